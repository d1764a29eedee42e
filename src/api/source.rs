//! Where data comes from: a live master or a recorded snapshot, behind the same typed queries.

use std::sync::Arc;

use super::cached;
use super::client::{HttpClient, StatsSnapshot};
use super::endpoints::{self, BuildsQuery, Fields};
use super::error::ApiError;
use super::snapshot::Snapshot;
use super::types::{Build, Builder, BuilderId, BuildsPage, Change, ChangesPage, Worker};

#[derive(Debug, Clone)]
pub enum Source {
    Http(HttpClient),
    Snapshot(Arc<Snapshot>),
}

impl Source {
    pub async fn builders(&self) -> Result<Vec<Builder>, ApiError> {
        match self {
            Source::Http(c) => cached::builders(c, false).await,
            Source::Snapshot(s) => Ok(s.builders.clone()),
        }
    }

    pub async fn workers(&self) -> Result<Vec<Worker>, ApiError> {
        match self {
            Source::Http(c) => cached::workers(c).await,
            Source::Snapshot(s) => Ok(s.workers.clone()),
        }
    }

    /// Builders and workers, for reports that go on to read builds: with a cache, the run's
    /// catch-up with the server goes out in the same round of requests. A builder that started
    /// building since the cached builders list was read means the configuration changed: the
    /// list is read again.
    pub async fn fleet(&self) -> Result<(Vec<Builder>, Vec<Worker>), ApiError> {
        let Source::Http(c) = self else {
            return tokio::try_join!(self.builders(), self.workers());
        };
        let (builders, workers, catch_up) =
            tokio::join!(self.builders(), self.workers(), cached::catch_up(c));
        let (mut builders, workers) = (builders?, workers?);
        let known: std::collections::HashSet<BuilderId> =
            builders.iter().map(|b| b.builderid).collect();
        if !c.is_offline()
            && catch_up
                .active_builders
                .iter()
                .any(|id| !known.contains(id))
        {
            builders = cached::builders(c, true).await?;
        }
        Ok((builders, workers))
    }

    pub async fn builds(&self, query: &BuildsQuery) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Http(c) => Ok(c.get_json::<BuildsPage>(&query.to_path()).await?.builds),
            Source::Snapshot(s) => Ok(s.builds(query)),
        }
    }

    /// The newest `limit` builds of one builder: from the cache when it covers them, else
    /// from the server (see [`Source::fetch_builder_builds`]).
    pub async fn builder_builds(
        &self,
        builderid: BuilderId,
        limit: usize,
        with_revision: bool,
        fields: Fields,
    ) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Http(c) if c.cache().is_some() && fields == Fields::Summary => {
                // One builder: when it cannot be read, `recent_builds` returns the error itself.
                let mut recent =
                    super::cached::recent_builds(self, c, &[builderid], limit, with_revision)
                        .await?;
                Ok(recent.by_builder.remove(&builderid).unwrap_or_default())
            }
            _ => {
                self.fetch_builder_builds(builderid, limit, with_revision, fields)
                    .await
            }
        }
    }

    /// The newest `limit` builds of one builder from the server, through its
    /// `(builderid, number)` index.
    pub async fn fetch_builder_builds(
        &self,
        builderid: BuilderId,
        limit: usize,
        with_revision: bool,
        fields: Fields,
    ) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Http(c) => {
                let path = endpoints::builder_builds(builderid, limit, with_revision, fields);
                Ok(c.get_json::<BuildsPage>(&path).await?.builds)
            }
            Source::Snapshot(s) => Ok(s.builds(&BuildsQuery {
                builderids: vec![builderid],
                before: None,
                limit,
                with_revision,
                fields,
            })),
        }
    }

    /// The commits with these exact revisions (one `revision__eq` IN-list query; indexed).
    pub async fn changes_with_revisions(
        &self,
        revisions: &[String],
    ) -> Result<Vec<Change>, ApiError> {
        if revisions.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Source::Http(c) => Ok(c
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
            Source::Http(c) => {
                c.get_json::<ChangesPage>(&endpoints::branch_changes(git_branch, limit))
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
            Source::Http(c) => {
                let path = endpoints::changes_at_revision(&rev);
                let changes: Vec<Change> = c
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
                    builds.extend(c.get_json::<BuildsPage>(&path).await?.builds);
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

    pub fn stats(&self) -> StatsSnapshot {
        match self {
            Source::Http(c) => c.stats().snapshot(),
            Source::Snapshot(_) => StatsSnapshot::default(),
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
