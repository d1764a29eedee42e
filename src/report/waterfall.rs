//! The waterfall report (`bbreport waterfall`): per branch, builders grouped by stability and
//! tier, each with its newest builds, newest first. Its JSON is `kind: "waterfall"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use super::summary::{BuildLabel, StaleEntry};
use crate::api::ServerUrl;
use crate::model::classify::Stability;
use crate::model::status::{BuildResult, Outcome};
use crate::model::summary::BuildCell;
use crate::model::waterfall::{Row, Waterfall};

#[derive(Debug, Serialize)]
pub struct WaterfallReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub branches: Vec<BranchEntry>,
    /// `--id`: label each build with its number or revision; `None`: glyphs only.
    #[serde(skip)]
    pub id: Option<BuildLabel>,
}

#[derive(Debug, Serialize)]
pub struct BranchEntry {
    pub name: String,
    pub groups: Vec<GroupEntry>,
}

#[derive(Debug, Serialize)]
pub struct GroupEntry {
    /// `stable, tier-1`, `unstable, tierless`, `tier-2` (no stability tags), …
    pub label: String,
    pub stability: Stability,
    /// 1..3, or null for tierless.
    pub tier: Option<u8>,
    pub builders: Vec<RowEntry>,
}

#[derive(Debug, Serialize)]
pub struct RowEntry {
    pub name: String,
    pub builderid: u32,
    /// The builder's web page.
    pub url: String,
    pub connected: bool,
    /// Connected, but every connected worker is paused: it takes no build.
    pub paused: bool,
    /// Why, when the master says (Buildbot 4.x).
    pub pause_reason: Option<String>,
    /// Why its builds could not be fetched.
    pub error: Option<String>,
    /// Newest first.
    pub builds: Vec<CellEntry>,
}

#[derive(Debug, Serialize)]
pub struct CellEntry {
    pub number: u32,
    pub buildid: u64,
    /// success, warnings, failure, skipped, exception, retry, cancelled; null while running.
    pub result: Option<BuildResult>,
    pub running: bool,
    /// `got_revision`, when fetched (`--id revision`, snapshots).
    pub revision: Option<String>,
    /// Unix seconds.
    pub started_at: Option<i64>,
    /// Listed as running but stale (then `running` is false): its age and why; null otherwise.
    pub stale: Option<StaleEntry>,
    pub url: String,
    /// The number of the RETRY build whose build request this build runs again; null otherwise.
    pub rerun_of: Option<u32>,
}

impl CellEntry {
    /// The outcome the glyphs and colours are chosen by.
    pub fn outcome(&self) -> Outcome {
        match (self.running, self.result) {
            _ if self.stale.is_some() => Outcome::Stale,
            (true, _) => Outcome::Running,
            (false, Some(r)) => Outcome::Finished(r),
            (false, None) => Outcome::Unrecognised,
        }
    }
}

impl WaterfallReport {
    pub fn new(
        w: &Waterfall,
        origin: &ReportOrigin<'_>,
        id: Option<BuildLabel>,
    ) -> WaterfallReport {
        let server = origin.server;
        WaterfallReport {
            header: origin.header("waterfall"),
            branches: w
                .branches
                .iter()
                .map(|b| BranchEntry {
                    name: b.name.clone(),
                    groups: b
                        .groups
                        .iter()
                        .map(|g| GroupEntry {
                            label: g.label(),
                            stability: g.stability,
                            tier: g.tier,
                            builders: g.rows.iter().map(|r| row(r, server)).collect(),
                        })
                        .collect(),
                })
                .collect(),
            id,
        }
    }

    /// Every builder, branch by branch and group by group.
    pub fn rows(&self) -> impl Iterator<Item = &RowEntry> {
        self.branches
            .iter()
            .flat_map(|b| &b.groups)
            .flat_map(|g| &g.builders)
    }
}

fn row(r: &Row, server: &ServerUrl) -> RowEntry {
    RowEntry {
        name: r.name.clone(),
        builderid: r.builderid,
        url: server.builder_url(r.builderid),
        connected: r.connected,
        paused: r.paused,
        pause_reason: r.pause_reason.clone(),
        error: r.error.clone(),
        builds: r
            .builds
            .iter()
            .map(|c| cell(c, server, r.builderid))
            .collect(),
    }
}

fn cell(c: &BuildCell, server: &ServerUrl, builderid: u32) -> CellEntry {
    CellEntry {
        number: c.number,
        buildid: c.buildid,
        result: c.result(),
        running: c.outcome == Outcome::Running,
        revision: c.revision.clone(),
        started_at: c.started_at,
        stale: c.stale.map(StaleEntry::from),
        url: server.build_url(builderid, c.number),
        rerun_of: c.rerun_of,
    }
}
