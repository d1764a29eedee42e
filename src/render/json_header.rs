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
    /// Set for snapshot runs: when it was recorded (Unix seconds).
    pub recorded_at: Option<i64>,
    /// Unix seconds.
    pub now: i64,
}

#[derive(Debug, Serialize)]
pub struct JsonHeader {
    pub schema_version: u32,
    /// `summary` or `release`.
    pub kind: &'static str,
    /// Web root of the master the data came from.
    pub server: String,
    /// `live` or `snapshot`.
    pub source: &'static str,
    /// When the snapshot was recorded (Unix seconds), for snapshot runs.
    pub recorded_at: Option<i64>,
    /// When this report was made (Unix seconds).
    pub generated_at: i64,
}

impl ReportOrigin<'_> {
    pub fn header(&self, kind: &'static str) -> JsonHeader {
        JsonHeader {
            schema_version: SCHEMA_VERSION,
            kind,
            server: self.server.root().to_string(),
            source: if self.recorded_at.is_some() {
                "snapshot"
            } else {
                "live"
            },
            recorded_at: self.recorded_at,
            generated_at: self.now,
        }
    }
}
