//! The fields every JSON report starts with, and where its data came from.

use serde::Serialize;

use crate::api::ServerUrl;

/// Version of bbreport's JSON schemas. Changing a field's meaning or removing one bumps it;
/// adding a field does not.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a report's data came from and when it was made; shared by every renderer that links
/// or dates things.
#[derive(Debug, Clone, Copy)]
pub struct ReportOrigin<'a> {
    pub server: &'a ServerUrl,
    pub source: DataSource,
    /// For snapshot and `--offline` runs: when the data was read from the server (Unix seconds).
    pub recorded_at: Option<i64>,
    /// Unix seconds.
    pub now: i64,
}

/// Where a run's data came from (the JSON `source` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataSource {
    /// The server, now (through the cache for what cannot have changed).
    Live,
    /// A recorded snapshot directory.
    Snapshot,
    /// `--offline`: the local cache alone, as of its last catch-up with the server.
    Cache,
}

/// What a reader must know about a report's data before reading it: where and when it was read
/// (its header), and anything that makes it thinner than usual. Every format but JSON prints
/// these as lines above the report (`render::write`); JSON has the same facts as fields.
pub trait Provenance {
    /// The report's header; `None` for reports without one (`watch`'s event lines).
    fn header(&self) -> Option<&JsonHeader>;

    /// Sentences about the data a reader must not miss (e.g. fewer builds than usual judged).
    fn data_notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The reports whose provenance is their header alone.
macro_rules! provenance_is_the_header {
    ($($report:ty),* $(,)?) => {$(
        impl Provenance for $report {
            fn header(&self) -> Option<&JsonHeader> {
                Some(&self.header)
            }
        }
    )*};
}

provenance_is_the_header!(
    super::build::BuildReport,
    super::cache_info::CacheInfoReport,
    super::commit::CommitReport,
    super::console::ConsoleReport,
    super::digest::DigestReport,
    super::failures::FailuresReport,
    super::pull_request::PrReport,
    super::repro::ReproReport,
    super::test_health::TestsReport,
    super::test_history::TestReport,
    super::waterfall::WaterfallReport,
);

/// Watch events are written as they happen, from a live master only.
impl Provenance for super::watch::WatchEvent {
    fn header(&self) -> Option<&JsonHeader> {
        None
    }
}

impl DataSource {
    const ALL: [DataSource; 3] = [DataSource::Live, DataSource::Snapshot, DataSource::Cache];

    /// The JSON `source` value.
    pub fn name(self) -> &'static str {
        match self {
            DataSource::Live => "live",
            DataSource::Snapshot => "snapshot",
            DataSource::Cache => "cache",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonHeader {
    pub schema_version: u32,
    /// What the report is: `summary`, `release`, `failures`, `build`, `repro`…
    pub kind: &'static str,
    /// Web root of the master the data came from.
    pub server: String,
    /// `live`, `snapshot` or `cache` (`--offline`).
    pub source: &'static str,
    /// When the data was read from the server (Unix seconds), for `snapshot` and `cache`.
    pub recorded_at: Option<i64>,
    /// When this report was made (Unix seconds).
    pub generated_at: i64,
}

impl JsonHeader {
    /// Where the data came from, as `source` says (an unknown value reads as live).
    pub fn data_source(&self) -> DataSource {
        DataSource::ALL
            .into_iter()
            .find(|s| s.name() == self.source)
            .unwrap_or(DataSource::Live)
    }
}

impl ReportOrigin<'_> {
    /// A live run at a fixed time, for unit tests of reports.
    #[cfg(test)]
    pub fn for_test(server: &ServerUrl) -> ReportOrigin<'_> {
        ReportOrigin {
            server,
            source: DataSource::Live,
            recorded_at: None,
            now: 1_795_318_941,
        }
    }

    pub fn header(&self, kind: &'static str) -> JsonHeader {
        JsonHeader {
            schema_version: SCHEMA_VERSION,
            kind,
            server: self.server.root().to_string(),
            source: self.source.name(),
            recorded_at: self.recorded_at,
            generated_at: self.now,
        }
    }
}
