//! The pull request report (`bbreport pr N`): the buildbot runs of its newest head, each
//! failure compared with the same platform's builder on the target branch. Its JSON is
//! `kind: "pr"`.

use serde::Serialize;

use super::header::JsonHeader;
use crate::model::commit::{Novelty, Outcome, State};
use crate::model::summary::FailedTest;

#[derive(Debug, Serialize)]
pub struct PrReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// The pull request number.
    pub number: u32,
    /// `refs/pull/N/merge`.
    pub git_branch: String,
    /// The newest head (merge commit) the master received; null when it knows none.
    pub head: Option<Head>,
    /// Older heads, collapsed: counted, not shown.
    pub older_heads: usize,
    /// The branch the PR builders' failures are compared with (`3.x`).
    pub target_branch: String,
    /// Where `target_branch` comes from: `asked` (`--target`), `base_branch` (the PR's base
    /// branch, from its head's change property `basename`), `newest_branch` (the master
    /// records no base branch, or bbreport knows no builders of it).
    pub target_from: TargetFrom,
    /// `no_new_failure`, `new_failures`, `incomplete` or `pending` (no build of the newest
    /// head yet counts as pending).
    pub outcome: Outcome,
    pub exit_code: u8,
    /// The PR builders that built (or build) the newest head, by name.
    pub builders: Vec<PrBuilder>,
    /// PR builders that built an older head only, by name (their results are not the PR's
    /// as it is).
    pub older_head_only: Vec<String>,
}

/// Where a PR's target branch comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetFrom {
    Asked,
    BaseBranch,
    NewestBranch,
}

#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub revision: String,
    pub author: String,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrBuilder {
    pub builderid: u32,
    pub name: String,
    /// `building`, `passed`, `failed`, `cancelled`, `skipped`, `not_built` (retried, its re-run
    /// not started) or `unread`.
    pub state: State,
    pub number: u32,
    pub url: String,
    /// Buildbot's summary of the build.
    pub reason: Option<String>,
    /// For a failed build: `new` (the PR's own) or `pre_existing` (the target branch's
    /// builder fails the same way).
    pub novelty: Option<Novelty>,
    /// Failing tests the target branch's builder does not fail: the PR's own.
    pub own_tests: Vec<FailedTest>,
    /// Failing tests the target branch's builder fails too.
    pub pre_existing_tests: Vec<FailedTest>,
    /// The target branch's builder compared with, and its newest decisive build.
    pub target: Option<Target>,
    /// Why its data is missing (`unread`).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub name: String,
    pub number: Option<u32>,
    pub url: String,
    /// Its newest decisive build failed.
    pub failed: bool,
}
