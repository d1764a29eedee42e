//! Commits and the builds of a revision: the `changes` queries, live or from a snapshot.

use super::source::Source;
use crate::api::types::{Build, BuildsPage, Change, ChangesPage};
use crate::api::{ApiError, endpoints};

impl Source {
    /// The commits with these exact revisions (one `revision__eq` IN-list query; indexed).
    pub async fn changes_with_revisions(
        &self,
        revisions: &[String],
    ) -> Result<Vec<Change>, ApiError> {
        if revisions.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Source::Live(live) => Ok(live
                .get_json::<ChangesPage>(&endpoints::changes_with_revisions(revisions))
                .await?
                .changes),
            Source::Snapshot(s) => Ok(s
                .changes()
                .filter(|ch| ch.revision.as_ref().is_some_and(|r| revisions.contains(r)))
                .cloned()
                .collect()),
        }
    }

    /// The newest `limit` commits of a git branch, newest first. (Buildbot returns a limited
    /// `changes` page in ascending order; it is sorted here.)
    pub async fn branch_changes(
        &self,
        git_branch: &str,
        limit: usize,
    ) -> Result<Vec<Change>, ApiError> {
        let mut changes = match self {
            Source::Live(live) => {
                live.get_json::<ChangesPage>(&endpoints::branch_changes(git_branch, limit))
                    .await?
                    .changes
            }
            Source::Snapshot(s) => s
                .changes()
                .filter(|ch| ch.branch.as_deref() == Some(git_branch))
                .cloned()
                .collect(),
        };
        changes.sort_by_key(|ch| std::cmp::Reverse(ch.changeid));
        changes.truncate(limit);
        Ok(changes)
    }

    /// The builds of one commit, and the commits a (possibly short) revision matched.
    ///
    /// Live: `changes?revision=` (indexed; `revision__contains` for a short prefix, checked
    /// client-side), then `changes/{id}/builds` per matching change (one server-side join).
    /// Snapshot: the recorded builds whose `got_revision` starts with the prefix.
    pub async fn builds_at_revision(&self, revision: &str) -> Result<RevisionBuilds, ApiError> {
        let rev = revision.to_ascii_lowercase();
        match self {
            Source::Live(live) => {
                let path = endpoints::changes_at_revision(&rev);
                let changes: Vec<Change> = live
                    .get_json::<ChangesPage>(&path)
                    .await?
                    .changes
                    .into_iter()
                    .filter(|ch| {
                        ch.revision
                            .as_deref()
                            .is_some_and(|r| r.to_ascii_lowercase().starts_with(&rev))
                    })
                    .collect();
                let mut builds = Vec::new();
                for ch in &changes {
                    let path = endpoints::change_builds(ch.changeid);
                    builds.extend(live.get_json::<BuildsPage>(&path).await?.builds);
                }
                let revisions = distinct(changes.iter().filter_map(|ch| ch.revision.clone()));
                Ok(RevisionBuilds {
                    revisions,
                    changes,
                    builds,
                })
            }
            Source::Snapshot(s) => {
                let builds: Vec<Build> = s
                    .all_builds()
                    .filter(|b| {
                        b.got_revision()
                            .is_some_and(|r| r.to_ascii_lowercase().starts_with(&rev))
                    })
                    .cloned()
                    .collect();
                let revisions = distinct(
                    builds
                        .iter()
                        .filter_map(|b| b.got_revision().map(str::to_string)),
                );
                Ok(RevisionBuilds {
                    revisions,
                    changes: Vec::new(),
                    builds,
                })
            }
        }
    }
}

/// What `builds_at_revision` found.
#[derive(Debug, Clone, Default)]
pub struct RevisionBuilds {
    /// Distinct full revisions the prefix matched (more than one: ambiguous).
    pub revisions: Vec<String>,
    /// The changes (commits) found, when the source has them.
    pub changes: Vec<Change>,
    pub builds: Vec<Build>,
}

fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = items.collect();
    v.sort();
    v.dedup();
    v
}
