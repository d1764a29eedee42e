//! The commit report (`bbreport commit REV`): where every builder of the commit's branch stands
//! with it, new failures apart from pre-existing ones, and the suspects of each new failing
//! test. Its JSON is `kind: "commit"`.

use serde::Serialize;

use super::header::JsonHeader;
use crate::model::commit::{Novelty, Outcome, State};
use crate::model::summary::FailedTest;

#[derive(Debug, Serialize)]
pub struct CommitReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// The full revision REV named.
    pub revision: String,
    /// From the master's change, when it has one (not in snapshots).
    pub author: Option<String>,
    /// The commit message's first line.
    pub subject: Option<String>,
    /// The git branch the master received it on (`main`), when known.
    pub git_branch: Option<String>,
    /// The bbreport branch whose builders are listed (`3.x`).
    pub branch: String,
    /// `no_new_failure`, `new_failures`, `incomplete` or `pending`: what the exit code says.
    pub outcome: Outcome,
    pub exit_code: u8,
    /// Every active builder of the branch, by name.
    pub builders: Vec<CommitBuilder>,
    /// Each test that newly fails, with the builders where it does and its suspects.
    pub new_failures: Vec<NewFailure>,
    /// Newest builds read per builder (`--builds`): a commit older than that reads "not built".
    pub builds_per_builder: usize,
}

/// One builder and its build of the commit.
#[derive(Debug, Clone, Serialize)]
pub struct CommitBuilder {
    pub builderid: u32,
    pub name: String,
    /// `not_built` (queued, not scheduled, or retried and queued again), `building`, `passed`,
    /// `failed`, `cancelled`, `skipped` or `unread`.
    pub state: State,
    /// The build that tested the commit, and its web page (the builder's page when none).
    pub number: Option<u32>,
    pub url: String,
    /// Buildbot's summary of the build (`failed test`, `build successful`), or of the running
    /// build's progress.
    pub reason: Option<String>,
    /// When the build checked out a newer commit that contains this one (batched pushes):
    /// that commit's revision.
    pub built_with: Option<String>,
    /// For a failed build: `new` or `pre_existing`.
    pub novelty: Option<Novelty>,
    /// Failing tests its previous decisive build did not fail, with their known issue.
    pub new_tests: Vec<FailedTest>,
    /// Failing tests its previous decisive build failed too.
    pub pre_existing_tests: Vec<FailedTest>,
    /// The previous decisive build compared with (null: none read, or the build passed).
    pub previous: Option<u32>,
    /// No connected worker: a commit it has not built waits until one comes back.
    pub offline: bool,
    /// Why its data is missing (`unread`).
    pub error: Option<String>,
}

/// A test that newly fails on some builder, and the commits suspected of breaking it.
#[derive(Debug, Clone, Serialize)]
pub struct NewFailure {
    pub test: String,
    /// Its known issue, when one matches.
    pub known: Option<String>,
    /// Builders where it newly fails, by name.
    pub builders: Vec<String>,
    /// Commits between each such builder's last build that did not fail it and its failing
    /// build, intersected over those builders; oldest first.
    pub suspects: Vec<Suspect>,
    /// Some builder read no earlier build without the failure: the window is open below, and
    /// the suspects start at the oldest commit read.
    pub open_below: bool,
    /// The builders' windows do not overlap (it broke at different times): no suspect.
    pub disjoint: bool,
}

/// A suspect commit.
#[derive(Debug, Clone, Serialize)]
pub struct Suspect {
    pub revision: String,
    pub author: String,
    pub subject: String,
}
