//! The summary report (`bbreport [BRANCH]...`): per branch, each selected builder with its
//! status, newest builds and last failure. Its JSON is `kind: "summary"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::model::classify::Stability;
use crate::model::stale::{Stale, StaleWhy};
use crate::model::status::{self, BuildResult, BuilderStatus, Outcome, Presence};
use crate::model::summary::{BuildCell, BuilderRow, FailedTest, FailureNote, Summary};

/// What identifies a build in the compact list of a builder's builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum BuildLabel {
    /// The build number, e.g. `4`.
    #[default]
    #[value(name = "build")]
    Number,
    /// The short revision the build checked out (`got_revision`), e.g. `3f2a1c9`.
    Revision,
}

/// How the text forms lay the summary out (not part of the JSON).
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryLayout {
    /// 0: builder lines plus failed builds; 1 (`-q`): one line per builder; 2 (`-qq`): grouped.
    pub quiet: u8,
    /// `-v`: also list successful builds under each builder (default mode).
    pub verbose: bool,
    /// `--id`: what names a build in the builds list.
    pub label: BuildLabel,
}

#[derive(Debug, Serialize)]
pub struct SummaryReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// False when some builders' builds could not be fetched (see their `error`).
    pub complete: bool,
    /// Builders shown / active builders on the master.
    pub selected: usize,
    pub active: usize,
    pub branches: Vec<BranchEntry>,
    pub totals: Totals,
    /// Set when the data holds fewer builds per builder than the summary shows by default (a
    /// shallow snapshot): statuses were judged from fewer builds.
    pub shallow: Option<super::release::Shallow>,
    #[serde(skip)]
    pub layout: SummaryLayout,
}

impl super::header::Provenance for SummaryReport {
    fn header(&self) -> Option<&JsonHeader> {
        Some(&self.header)
    }

    fn data_notes(&self) -> Vec<String> {
        self.shallow
            .iter()
            .map(|s| {
                format!(
                    "Judged from the {} builds per builder the data holds, not the default {}.",
                    s.builds_per_builder, s.default
                )
            })
            .collect()
    }
}

#[derive(Debug, Serialize)]
pub struct BranchEntry {
    pub name: String,
    pub builders: Vec<BuilderEntry>,
}

#[derive(Debug, Serialize)]
pub struct BuilderEntry {
    pub name: String,
    pub builderid: u32,
    /// The builder's web page.
    pub url: String,
    pub branch: String,
    pub stability: Stability,
    /// 1..3, or null for tierless.
    pub tier: Option<u8>,
    pub tags: Vec<String>,
    pub connected: bool,
    /// Connected, but every connected worker is paused: it takes no build.
    pub paused: bool,
    /// Why, when the master says (Buildbot 4.x); null otherwise.
    pub pause_reason: Option<String>,
    /// success, unstable, failure, building, paused, offline, no_builds; null when unknown.
    /// `offline` (or `paused`) whatever the builds say (see `builds_status`).
    pub status: Option<BuilderStatus>,
    /// What the builds alone say, whether or not a worker is connected: success, unstable,
    /// failure, building, no_builds; null when unknown. An offline builder whose builds fail
    /// is `failure` here, and text reports show it failing, marked offline.
    pub builds_status: Option<BuilderStatus>,
    /// Why its builds could not be fetched.
    pub error: Option<String>,
    pub last_failure: Option<LastFailure>,
    /// Newest first.
    pub builds: Vec<BuildEntry>,
}

#[derive(Debug, Serialize)]
pub struct LastFailure {
    pub number: u32,
    pub result: BuildResult,
    /// What failed, from Buildbot's summary (`failed test`).
    pub reason: String,
    /// The failed build's web page.
    pub url: String,
    /// Failing tests from its log, with `--tests` (else empty); `known` is the matching issue.
    pub tests: Vec<FailedTest>,
}

#[derive(Debug, Serialize)]
pub struct BuildEntry {
    pub number: u32,
    pub buildid: u64,
    /// success, warnings, failure, skipped, exception, retry, cancelled; null while running.
    pub result: Option<BuildResult>,
    pub running: bool,
    /// `got_revision`, when fetched (`--id revision`, snapshots).
    pub revision: Option<String>,
    pub state_string: String,
    /// Unix seconds.
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    /// Listed as running, but stale (its master is gone, or it has run far longer than its
    /// builder's builds take): then `running` is false. Null otherwise.
    pub stale: Option<StaleEntry>,
    pub url: String,
    /// The number of the RETRY build whose build request this build runs again; null otherwise.
    pub rerun_of: Option<u32>,
}

/// A stale running build (`crate::model::stale`), in every report's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StaleEntry {
    /// Seconds since it started, as of when the data was read.
    pub age_seconds: i64,
    /// `master_gone` (its master is no longer active) or `overdue` (it has run longer than the
    /// config's `[stale]` bound).
    pub reason: StaleWhy,
}

impl From<Stale> for StaleEntry {
    fn from(s: Stale) -> StaleEntry {
        StaleEntry {
            age_seconds: s.age,
            reason: s.why,
        }
    }
}

impl BuildEntry {
    /// The outcome the symbols and colours are chosen by.
    pub fn outcome(&self) -> Outcome {
        match (self.running, self.result) {
            _ if self.stale.is_some() => Outcome::Stale,
            (true, _) => Outcome::Running,
            (false, Some(r)) => Outcome::Finished(r),
            (false, None) => Outcome::Unrecognised,
        }
    }

    /// A finished build that says the code failed (failure or exception).
    pub fn failed(&self) -> bool {
        self.result.is_some_and(|r| r.is_verdict() && !r.passed())
    }
}

impl BuilderEntry {
    /// The status text reports show it by: failing outranks offline
    /// ([`crate::model::status::shown_status`]); `None` when unknown.
    pub fn shown_status(&self) -> Option<BuilderStatus> {
        match (self.status, self.builds_status) {
            (Some(_), Some(builds)) => Some(status::shown_status(builds, self.presence())),
            (status, _) => status,
        }
    }

    pub fn presence(&self) -> Presence {
        Presence::of(self.connected, self.paused)
    }

    /// Shown failing though no worker is connected (or all are paused): `offline`, `paused`.
    pub fn presence_mark(&self) -> Option<&'static str> {
        self.shown_status()
            .and_then(|s| status::presence_mark(s, self.presence()))
    }

    /// The link a builder line stands for: its newest failed build when it has one (what a
    /// reader will open), else the builder.
    pub fn row_url(&self) -> &str {
        self.last_failure.as_ref().map_or(&self.url, |f| &f.url)
    }
}

/// Builders per status. Every status is always present, zero included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub building: usize,
    pub success: usize,
    pub unstable: usize,
    pub failure: usize,
    pub offline: usize,
    pub no_builds: usize,
    /// Builders whose builds could not be fetched.
    pub unknown: usize,
    /// Builders whose builds fail (`builds_status` failure), offline and paused ones included:
    /// `failure` plus `failing_offline` plus `failing_paused`.
    pub failing: usize,
    /// How many of the failing builders are offline (counted in `offline` above).
    pub failing_offline: usize,
    /// Builders whose connected workers are all paused.
    pub paused: usize,
    /// How many of the failing builders are paused (counted in `paused` above).
    pub failing_paused: usize,
}

impl Totals {
    /// Builders shown with this status in text reports: a failing builder gone offline counts
    /// as failing, not offline ([`BuilderEntry::shown_status`]).
    pub fn shown(&self, status: BuilderStatus) -> usize {
        match status {
            BuilderStatus::Failure => self.failing,
            BuilderStatus::Offline => self.offline - self.failing_offline,
            BuilderStatus::Paused => self.paused - self.failing_paused,
            other => self.get(other),
        }
    }

    pub fn get(&self, status: BuilderStatus) -> usize {
        match status {
            BuilderStatus::Building => self.building,
            BuilderStatus::Success => self.success,
            BuilderStatus::Unstable => self.unstable,
            BuilderStatus::Failure => self.failure,
            BuilderStatus::Paused => self.paused,
            BuilderStatus::Offline => self.offline,
            BuilderStatus::NoBuilds => self.no_builds,
        }
    }
}

impl SummaryReport {
    pub fn new(s: &Summary, origin: &ReportOrigin<'_>, layout: SummaryLayout) -> SummaryReport {
        let count = |st| s.totals.by_status.get(&st).copied().unwrap_or(0);
        SummaryReport {
            header: origin.header("summary"),
            complete: s.totals.unknown == 0,
            selected: s.selected,
            active: s.active_total,
            branches: s
                .branches
                .iter()
                .map(|b| BranchEntry {
                    name: b.name.clone(),
                    builders: b
                        .builders
                        .iter()
                        .map(|r| builder(r, origin.server))
                        .collect(),
                })
                .collect(),
            totals: Totals {
                building: count(BuilderStatus::Building),
                success: count(BuilderStatus::Success),
                unstable: count(BuilderStatus::Unstable),
                failure: count(BuilderStatus::Failure),
                offline: count(BuilderStatus::Offline),
                no_builds: count(BuilderStatus::NoBuilds),
                unknown: s.totals.unknown,
                failing: count(BuilderStatus::Failure)
                    + s.totals.failing_offline
                    + s.totals.failing_paused,
                failing_offline: s.totals.failing_offline,
                paused: count(BuilderStatus::Paused),
                failing_paused: s.totals.failing_paused,
            },
            shallow: None,
            layout,
        }
    }

    /// Every builder, branch by branch.
    pub fn builders(&self) -> impl Iterator<Item = &BuilderEntry> {
        self.branches.iter().flat_map(|b| &b.builders)
    }
}

fn builder(r: &BuilderRow, server: &crate::api::ServerUrl) -> BuilderEntry {
    BuilderEntry {
        name: r.name.clone(),
        builderid: r.builderid,
        url: server.builder_url(r.builderid),
        branch: r.class.branch.clone(),
        stability: r.class.stability,
        tier: r.class.tier,
        tags: r.tags.clone(),
        connected: r.connected,
        paused: r.paused,
        pause_reason: r.pause_reason.clone(),
        status: r.status,
        builds_status: r.builds_status,
        error: r.load_error.clone(),
        last_failure: r
            .last_failure
            .as_ref()
            .map(|f| last_failure(f, server, r.builderid)),
        builds: r
            .builds
            .iter()
            .map(|c| build(c, server, r.builderid))
            .collect(),
    }
}

fn last_failure(f: &FailureNote, server: &crate::api::ServerUrl, builderid: u32) -> LastFailure {
    LastFailure {
        number: f.number,
        result: f.result,
        reason: f.reason.clone(),
        url: server.build_url(builderid, f.number),
        tests: f.tests.clone(),
    }
}

fn build(c: &BuildCell, server: &crate::api::ServerUrl, builderid: u32) -> BuildEntry {
    BuildEntry {
        number: c.number,
        buildid: c.buildid,
        result: c.result(),
        running: c.outcome == Outcome::Running,
        revision: c.revision.clone(),
        state_string: c.state_string.clone(),
        started_at: c.started_at,
        complete_at: c.complete_at,
        stale: c.stale.map(StaleEntry::from),
        url: server.build_url(builderid, c.number),
        rerun_of: c.rerun_of,
    }
}
