//! The digest (`--since-last-run`): what changed since the previous run of the same selection.
//! Its JSON is `kind: "digest"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::api::ServerUrl;
use crate::model::digest::{Change, ChangeKind, Digest, StillFailing};

#[derive(Debug, Serialize)]
pub struct DigestReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// When the previous run saved its state (Unix seconds); null on the first run.
    pub previous_at: Option<i64>,
    /// New failures, fixes, builders gone offline or back online.
    pub changes: Vec<ChangeEntry>,
    /// Builders failing then and now, oldest streak first.
    pub still_failing: Vec<StillFailingEntry>,
}

#[derive(Debug, Serialize)]
pub struct ChangeEntry {
    /// new_failure, fixed, offline, back_online.
    pub kind: ChangeKind,
    pub builderid: u32,
    pub name: String,
    pub branch: String,
    /// The build that shows it (failures and fixes); null for connection changes.
    pub number: Option<u32>,
    /// Why that build failed (Buildbot's summary), for new failures.
    pub reason: Option<String>,
    /// The build's web page, else the builder's.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct StillFailingEntry {
    pub builderid: u32,
    pub name: String,
    pub branch: String,
    /// Start of the failing streak (Unix seconds): when its oldest failing build read started.
    pub since: i64,
    /// That build; null when no build said when (then `since` is when a run first saw it).
    pub since_number: Option<u32>,
    /// The streak reaches past the builds read: it started at `since` or earlier.
    pub since_at_least: bool,
    /// The newest failed build.
    pub number: Option<u32>,
    /// The build's web page, else the builder's.
    pub url: String,
}

impl DigestReport {
    pub fn new(d: &Digest, origin: &ReportOrigin<'_>) -> DigestReport {
        let server = origin.server;
        DigestReport {
            header: origin.header("digest"),
            previous_at: d.previous_at,
            changes: d.changes.iter().map(|c| change(c, server)).collect(),
            still_failing: d
                .still_failing
                .iter()
                .map(|s| still_failing(s, server))
                .collect(),
        }
    }

    /// When the report was made (Unix seconds): ages count from it.
    pub fn now(&self) -> i64 {
        self.header.generated_at
    }
}

/// A build's page when there is a build, else the builder's.
pub fn link(server: &ServerUrl, builderid: u32, number: Option<u32>) -> String {
    match number {
        Some(n) => server.build_url(builderid, n),
        None => server.builder_url(builderid),
    }
}

fn change(c: &Change, server: &ServerUrl) -> ChangeEntry {
    ChangeEntry {
        kind: c.kind,
        builderid: c.builderid,
        name: c.name.clone(),
        branch: c.branch.clone(),
        number: c.number,
        reason: c.reason.clone(),
        url: link(server, c.builderid, c.number),
    }
}

fn still_failing(s: &StillFailing, server: &ServerUrl) -> StillFailingEntry {
    StillFailingEntry {
        builderid: s.builderid,
        name: s.name.clone(),
        branch: s.branch.clone(),
        since: s.since,
        since_number: s.since_number,
        since_at_least: s.since_at_least,
        number: s.number,
        url: link(server, s.builderid, s.number),
    }
}
