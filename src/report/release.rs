//! The release report (`bbreport release [BRANCH]...`): a verdict per branch with every
//! builder's evidence. Its JSON is `kind: "release"`.

use serde::Serialize;

use super::header::{JsonHeader, Provenance, ReportOrigin};
use crate::api::ServerUrl;
use crate::model::classify::Stability;
use crate::model::release::{
    BranchVerdict, Breaking, BuildRef, BuilderJudgement, Effect, Finding, Role, Rule, Verdict,
};
use crate::model::status::BuildResult;
use crate::model::summary::FailedTest;

#[derive(Debug, Serialize)]
pub struct ReleaseReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// `persistent` or `dashboard`.
    pub rule: &'static str,
    /// Consecutive failures that block, for the persistent rule (null for the dashboard's).
    pub threshold: Option<usize>,
    /// The most severe branch verdict, and the exit code it gives.
    pub verdict: Verdict,
    pub exit_code: u8,
    /// The commit judged with `--at`; null for the newest builds.
    pub at: Option<RevisionEntry>,
    pub branches: Vec<BranchEntry>,
    /// `-v`: the text forms name every disconnected builder (not part of the JSON, which
    /// always lists them in `disconnected`).
    #[serde(skip)]
    pub verbose: bool,
    /// Set when the data holds fewer builds per builder than release reads by default (a
    /// snapshot recorded with `snapshot --builds 3`): the verdicts saw no further back.
    pub shallow: Option<Shallow>,
}

/// Fewer builds per builder than release reads by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shallow {
    /// What the data holds, and what the verdicts were judged from.
    pub builds_per_builder: usize,
    /// What release reads by default (`--builds`, the config's `release.builds`).
    pub default: usize,
}

/// The commit `--at` judged.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionEntry {
    pub revision: String,
    /// From the master's change, when it has one (not in snapshots).
    pub author: Option<String>,
    pub subject: Option<String>,
    pub branch: Option<String>,
    /// Builds of this revision found, on any builder.
    pub builds: usize,
}

#[derive(Debug, Serialize)]
pub struct BranchEntry {
    pub name: String,
    /// releasable, concern, unreleasable, unknown, not_available (the dashboard's N/A).
    pub verdict: Verdict,
    pub summary: String,
    /// Every builder of the branch, those moving the verdict first.
    pub builders: Vec<BuilderEntry>,
    /// Names of the branch's builders with no connected worker (never changes the verdict).
    pub disconnected: Vec<String>,
    /// Names of the branch's builders whose connected workers are all paused (worker health;
    /// never changes the verdict).
    pub paused: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct BuilderEntry {
    pub name: String,
    pub builderid: u32,
    /// The builder's web page.
    pub url: String,
    pub tier: Option<u8>,
    pub stability: Stability,
    pub tags: Vec<String>,
    /// blocking (stable tier-1/2), non_blocking (stable tier-3/tierless), informational.
    pub role: Role,
    pub connected: bool,
    /// passing, warnings, failing, no_completed_build, fetch_failed, revision_not_built,
    /// revision_building.
    pub finding: Finding,
    /// none, concern, unknown, unreleasable.
    pub effect: Effect,
    pub reason: Option<String>,
    pub streak: usize,
    /// The streak reaches the oldest build read and may be longer.
    pub streak_open_ended: bool,
    pub running: bool,
    /// Its newest stale build (listed as running, but its master is gone or it is overdue);
    /// never changes the verdict. Null when none.
    pub stale: Option<super::console::StaleBuildEntry>,
    /// Connected, but every connected worker is paused; and why, when the master says.
    pub paused: bool,
    pub pause_reason: Option<String>,
    pub builds_read: usize,
    /// Why its builds could not be fetched.
    pub error: Option<String>,
    /// Its latest SUCCESS/WARNINGS/FAILURE build.
    pub latest: Option<BuildEntry>,
    /// The first failure after its last success.
    pub breaking: Option<BuildEntry>,
    /// The failing streak starts before the builds read: the breaking build is older.
    pub breaking_beyond_history: bool,
    /// The latest build's failing tests (`--tests`), each with its known issue or null.
    pub failing_tests: Vec<FailedTest>,
}

#[derive(Debug, Serialize)]
pub struct BuildEntry {
    pub number: u32,
    /// success, warnings or failure.
    pub result: BuildResult,
    /// Unix seconds.
    pub complete_at: Option<i64>,
    /// What failed, from Buildbot's summary (`failed test`); null for passing builds.
    pub failed_step: Option<String>,
    /// The build's web page.
    pub url: String,
}

impl ReleaseReport {
    pub fn new(
        verdicts: &[BranchVerdict],
        origin: &ReportOrigin<'_>,
        rule: Rule,
        exit_code: u8,
        at: Option<RevisionEntry>,
    ) -> ReleaseReport {
        ReleaseReport {
            header: origin.header("release"),
            rule: rule.name(),
            threshold: match rule {
                Rule::Persistent { threshold } => Some(threshold),
                Rule::Dashboard => None,
            },
            verdict: crate::model::release::overall(verdicts),
            exit_code,
            at,
            branches: verdicts.iter().map(|v| branch(v, origin.server)).collect(),
            verbose: false,
            shallow: None,
        }
    }

    /// The rule the verdicts were reached by (the persistent rule is the one with a threshold).
    pub fn applied_rule(&self) -> Rule {
        match self.threshold {
            Some(threshold) => Rule::Persistent { threshold },
            None => Rule::Dashboard,
        }
    }
}

impl Provenance for ReleaseReport {
    fn header(&self) -> Option<&JsonHeader> {
        Some(&self.header)
    }

    fn data_notes(&self) -> Vec<String> {
        self.shallow
            .iter()
            .map(|s| {
                format!(
                    "Judged from the {} builds per builder the data holds, not the default {}: \
                     a failing streak may go back further.",
                    s.builds_per_builder, s.default
                )
            })
            .collect()
    }
}

impl BranchEntry {
    /// The builders that move the verdict (they come first).
    pub fn drivers(&self) -> impl Iterator<Item = &BuilderEntry> {
        self.builders.iter().filter(|j| j.effect != Effect::None)
    }
}

impl BuilderEntry {
    /// Whether the breaking build is the latest one (a fresh failure).
    pub fn broke_at_latest(&self) -> bool {
        matches!((&self.breaking, &self.latest), (Some(b), Some(l)) if b.number == l.number)
    }

    /// The page that is the evidence: the latest build's, else the builder's.
    pub fn evidence_url(&self) -> &str {
        self.latest.as_ref().map_or(&self.url, |b| &b.url)
    }
}

fn branch(v: &BranchVerdict, server: &ServerUrl) -> BranchEntry {
    BranchEntry {
        name: v.branch.clone(),
        verdict: v.verdict,
        summary: v.summary.clone(),
        builders: v.builders.iter().map(|j| builder(j, server)).collect(),
        disconnected: v
            .builders
            .iter()
            .filter(|j| !j.connected)
            .map(|j| j.name.clone())
            .collect(),
        paused: v
            .builders
            .iter()
            .filter(|j| j.connected && j.paused)
            .map(|j| j.name.clone())
            .collect(),
    }
}

fn builder(j: &BuilderJudgement, server: &ServerUrl) -> BuilderEntry {
    let build = |b: &BuildRef| BuildEntry {
        number: b.number,
        result: b.result,
        complete_at: b.complete_at,
        failed_step: b.failed_step.clone(),
        url: server.build_url(j.builderid, b.number),
    };
    BuilderEntry {
        name: j.name.clone(),
        builderid: j.builderid,
        url: server.builder_url(j.builderid),
        tier: j.class.tier,
        stability: j.class.stability,
        tags: j.tags.clone(),
        role: j.role,
        connected: j.connected,
        finding: j.finding,
        effect: j.effect,
        reason: j.reason.clone(),
        streak: j.streak,
        streak_open_ended: j.streak_open_ended,
        running: j.running,
        stale: j.stale.map(|(number, s)| super::console::StaleBuildEntry {
            number,
            stale: s.into(),
        }),
        paused: j.paused,
        pause_reason: j.pause_reason.clone(),
        builds_read: j.builds_read,
        error: j.error.clone(),
        latest: j.latest.as_ref().map(build),
        breaking: match &j.breaking {
            Some(Breaking::Build(b)) => Some(build(b)),
            _ => None,
        },
        breaking_beyond_history: j.breaking == Some(Breaking::BeyondHistory),
        failing_tests: j.failing_tests.clone(),
    }
}
