//! The summary as JSON: bbreport's own schema, versioned, documented in README.md.
//!
//! These structs are the schema (see [`super::json_header::SCHEMA_VERSION`]).

use std::io::{self, Write};

use serde::Serialize;

use super::json_header::{JsonHeader, ReportOrigin};
use crate::api::ServerUrl;
use crate::model::classify::Stability;
use crate::model::summary::{BuilderRow, Summary};

#[derive(Debug, Serialize)]
pub struct SummaryJson {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// False when some builders' builds could not be fetched (see their `error`).
    pub complete: bool,
    pub selected: usize,
    pub active: usize,
    pub branches: Vec<BranchJson>,
    pub totals: TotalsJson,
}

#[derive(Debug, Serialize)]
pub struct BranchJson {
    pub name: String,
    pub builders: Vec<BuilderJson>,
}

#[derive(Debug, Serialize)]
pub struct BuilderJson {
    pub name: String,
    pub builderid: u32,
    pub url: String,
    pub branch: String,
    pub stability: Stability,
    /// 1..3, or null for tierless.
    pub tier: Option<u8>,
    pub tags: Vec<String>,
    pub connected: bool,
    /// success, unstable, failure, building, offline, no_builds; null when unknown.
    pub status: Option<&'static str>,
    pub error: Option<String>,
    pub last_failure: Option<FailureJson>,
    /// Newest first.
    pub builds: Vec<BuildJson>,
}

#[derive(Debug, Serialize)]
pub struct FailureJson {
    pub number: u32,
    pub result: &'static str,
    pub reason: String,
    pub url: String,
    /// Failing tests from its log, with `--tests` (else empty); `known` is the matching issue.
    pub tests: Vec<crate::model::summary::FailedTest>,
}

#[derive(Debug, Serialize)]
pub struct BuildJson {
    pub number: u32,
    pub buildid: u64,
    /// success, warnings, failure, skipped, exception, retry, cancelled; null while running.
    pub result: Option<&'static str>,
    pub running: bool,
    /// `got_revision`, when fetched (`--id revision`, snapshots).
    pub revision: Option<String>,
    pub state_string: String,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct TotalsJson {
    pub building: usize,
    pub success: usize,
    pub unstable: usize,
    pub failure: usize,
    pub offline: usize,
    pub no_builds: usize,
    pub unknown: usize,
}

pub fn to_json(s: &Summary, ctx: &ReportOrigin<'_>) -> SummaryJson {
    use crate::model::status::BuilderStatus as S;
    let count = |st| s.totals.by_status.get(&st).copied().unwrap_or(0);
    SummaryJson {
        header: ctx.header("summary"),
        complete: s.totals.unknown == 0,
        selected: s.selected,
        active: s.active_total,
        branches: s
            .branches
            .iter()
            .map(|b| BranchJson {
                name: b.name.clone(),
                builders: b.builders.iter().map(|r| builder(r, ctx.server)).collect(),
            })
            .collect(),
        totals: TotalsJson {
            building: count(S::Building),
            success: count(S::Success),
            unstable: count(S::Unstable),
            failure: count(S::Failure),
            offline: count(S::Offline),
            no_builds: count(S::NoBuilds),
            unknown: s.totals.unknown,
        },
    }
}

fn builder(r: &BuilderRow, server: &ServerUrl) -> BuilderJson {
    use crate::model::status::BuilderStatus as S;
    BuilderJson {
        name: r.name.clone(),
        builderid: r.builderid,
        url: server.builder_url(r.builderid),
        branch: r.class.branch.clone(),
        stability: r.class.stability,
        tier: r.class.tier,
        tags: r.tags.clone(),
        connected: r.connected,
        status: r.status.map(|st| {
            if st == S::NoBuilds {
                "no_builds"
            } else {
                st.as_str()
            }
        }),
        error: r.load_error.clone(),
        last_failure: r.last_failure.as_ref().map(|f| FailureJson {
            number: f.number,
            result: f.result.as_str(),
            reason: f.reason.clone(),
            url: server.build_url(r.builderid, f.number),
            tests: f.tests.clone(),
        }),
        builds: r
            .builds
            .iter()
            .map(|c| BuildJson {
                number: c.number,
                buildid: c.buildid,
                result: c.result().map(|x| x.as_str()),
                running: c.outcome == crate::model::status::Outcome::Running,
                revision: c.revision.clone(),
                state_string: c.state_string.clone(),
                started_at: c.started_at,
                complete_at: c.complete_at,
                url: server.build_url(r.builderid, c.number),
            })
            .collect(),
    }
}

pub fn render(out: &mut dyn Write, s: &Summary, ctx: &ReportOrigin<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json(s, ctx))?;
    writeln!(out)
}
