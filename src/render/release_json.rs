//! `release --format json`: every piece of evidence, in bbreport's own versioned schema.

use std::io::{self, Write};

use serde::Serialize;

use crate::api::ServerUrl;
use crate::model::classify::Stability;
use crate::model::release::{
    BranchVerdict, Breaking, BuildRef, BuilderJudgement, Effect, Finding, Role, Rule, Verdict,
};
use crate::report::header::{JsonHeader, ReportOrigin};

/// What the release renderers need besides the verdicts.
#[derive(Debug)]
pub struct ReleaseContext<'a> {
    pub origin: ReportOrigin<'a>,
    pub rule: Rule,
    pub overall: Verdict,
    pub exit_code: u8,
    /// `--at`: the commit judged.
    pub at: Option<RevisionJson>,
    /// ASCII symbols in text tables (config `ascii`, or a non-UTF-8 locale).
    pub ascii: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevisionJson {
    pub revision: String,
    /// From the master's change, when it has one (not in snapshots).
    pub author: Option<String>,
    pub subject: Option<String>,
    pub branch: Option<String>,
    /// Builds of this revision found, on any builder.
    pub builds: usize,
}

#[derive(Debug, Serialize)]
pub struct ReleaseJson {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// `persistent` or `dashboard`.
    pub rule: &'static str,
    /// Consecutive failures that block, for the persistent rule.
    pub threshold: Option<usize>,
    /// The most severe branch verdict, and the exit code it gives.
    pub verdict: Verdict,
    pub exit_code: u8,
    /// The commit judged with `--at`; null for the newest builds.
    pub at: Option<RevisionJson>,
    pub branches: Vec<BranchJson>,
}

#[derive(Debug, Serialize)]
pub struct BranchJson {
    pub name: String,
    /// releasable, concern, unreleasable, unknown, not_available (the dashboard's N/A).
    pub verdict: Verdict,
    pub summary: String,
    /// Every builder of the branch, those moving the verdict first.
    pub builders: Vec<BuilderJson>,
    /// Names of the branch's builders with no connected worker (never changes the verdict).
    pub disconnected: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct BuilderJson {
    pub name: String,
    pub builderid: u32,
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
    pub builds_read: usize,
    pub error: Option<String>,
    pub latest: Option<BuildJson>,
    pub breaking: Option<BuildJson>,
    /// The failing streak starts before the builds read: the breaking build is older.
    pub breaking_beyond_history: bool,
    /// The latest build's failing tests (`--tests`), each with its known issue or null.
    pub failing_tests: Vec<crate::model::summary::FailedTest>,
}

#[derive(Debug, Serialize)]
pub struct BuildJson {
    pub number: u32,
    pub result: &'static str,
    pub complete_at: Option<i64>,
    pub failed_step: Option<String>,
    pub url: String,
}

pub fn to_json(verdicts: &[BranchVerdict], ctx: &ReleaseContext<'_>) -> ReleaseJson {
    ReleaseJson {
        header: ctx.origin.header("release"),
        rule: ctx.rule.name(),
        threshold: match ctx.rule {
            Rule::Persistent { threshold } => Some(threshold),
            Rule::Dashboard => None,
        },
        verdict: ctx.overall,
        exit_code: ctx.exit_code,
        at: ctx.at.clone(),
        branches: verdicts
            .iter()
            .map(|v| BranchJson {
                name: v.branch.clone(),
                verdict: v.verdict,
                summary: v.summary.clone(),
                builders: v
                    .builders
                    .iter()
                    .map(|j| builder(j, ctx.origin.server))
                    .collect(),
                disconnected: v
                    .builders
                    .iter()
                    .filter(|j| !j.connected)
                    .map(|j| j.name.clone())
                    .collect(),
            })
            .collect(),
    }
}

fn builder(j: &BuilderJudgement, server: &ServerUrl) -> BuilderJson {
    let build = |b: &BuildRef| BuildJson {
        number: b.number,
        result: b.result.as_str(),
        complete_at: b.complete_at,
        failed_step: b.failed_step.clone(),
        url: server.build_url(j.builderid, b.number),
    };
    BuilderJson {
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

pub fn render(
    out: &mut dyn Write,
    verdicts: &[BranchVerdict],
    ctx: &ReleaseContext<'_>,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json(verdicts, ctx))?;
    writeln!(out)
}
