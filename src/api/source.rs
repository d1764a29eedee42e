//! Where data comes from: a live master or a recorded snapshot, behind the same typed queries.

use std::sync::Arc;

use super::cached;
use super::client::{HttpClient, StatsSnapshot};
use super::error::ApiError;
use super::snapshot::Snapshot;
use super::types::{Build, BuildId, Builder, BuilderId, BuildsPage, Change, ChangesPage, Worker};

/// Change fields bbreport reads (each change costs the server a sourcestamp lookup; fewer
/// fields only trim the JSON).
const CHANGE_FIELDS: &str =
    "field=changeid&field=revision&field=branch&field=author&field=comments&field=when_timestamp";

/// Branch names can hold `/` and other characters that must not break the query string.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Build fields bbreport reads. `field=` trims the JSON (not the server's SQL work), and every
/// filter or order field must be listed too, or Buildbot answers 400.
pub(super) const BUILD_FIELDS: &[&str] = &[
    "buildid",
    "builderid",
    "number",
    "results",
    "complete",
    "started_at",
    "complete_at",
    "state_string",
];

/// The newest builds of a set of builders, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildsQuery {
    /// Sent as repeated `builderid__eq=`, which Buildbot turns into one SQL `IN`.
    pub builderids: Vec<BuilderId>,
    /// Only builds with a smaller id (`buildid__lt=`): key-set paging, cheaper than `offset`.
    pub before: Option<BuildId>,
    /// Global, not per builder: a busy builder can fill the page.
    pub limit: usize,
    /// Also fetch the `got_revision` property (one extra SQL query per build on the server).
    pub with_revision: bool,
    /// Every build field rather than the few reports read (for recording snapshots).
    pub all_fields: bool,
}

impl BuildsQuery {
    pub fn to_path(&self) -> String {
        let mut q: Vec<String> = self
            .builderids
            .iter()
            .map(|id| format!("builderid__eq={id}"))
            .collect();
        if let Some(before) = self.before {
            q.push(format!("buildid__lt={before}"));
        }
        // -buildid is the primary key: the cheap order (started_at has no index).
        q.push("order=-buildid".into());
        q.push(format!("limit={}", self.limit));
        if !self.all_fields {
            q.extend(BUILD_FIELDS.iter().map(|f| format!("field={f}")));
            if self.with_revision {
                q.push("field=properties".into());
            }
        }
        if self.with_revision {
            q.push("property=got_revision".into());
        }
        format!("builds?{}", q.join("&"))
    }
}

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
        all_fields: bool,
    ) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Http(c) if c.cache().is_some() && !all_fields => {
                // One builder: when it cannot be read, `recent_builds` returns the error itself.
                let mut recent =
                    super::cached::recent_builds(self, c, &[builderid], limit, with_revision)
                        .await?;
                Ok(recent.by_builder.remove(&builderid).unwrap_or_default())
            }
            _ => {
                self.fetch_builder_builds(builderid, limit, with_revision, all_fields)
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
        all_fields: bool,
    ) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Http(c) => {
                let mut path = format!("builders/{builderid}/builds?order=-number&limit={limit}");
                if !all_fields {
                    for f in BUILD_FIELDS {
                        path.push_str("&field=");
                        path.push_str(f);
                    }
                    if with_revision {
                        path.push_str("&field=properties");
                    }
                }
                if with_revision {
                    path.push_str("&property=got_revision");
                }
                Ok(c.get_json::<BuildsPage>(&path).await?.builds)
            }
            Source::Snapshot(s) => Ok(s.builds(&BuildsQuery {
                builderids: vec![builderid],
                before: None,
                limit,
                with_revision,
                all_fields,
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
            Source::Http(c) => {
                let mut q: Vec<String> = revisions
                    .iter()
                    .map(|r| format!("revision__eq={r}"))
                    .collect();
                q.push(CHANGE_FIELDS.into());
                q.push(format!("limit={}", revisions.len() * 4));
                q.push("order=-changeid".into());
                Ok(
                    c.get_json::<ChangesPage>(&format!("changes?{}", q.join("&")))
                        .await?
                        .changes,
                )
            }
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
                let branch = percent_encode(git_branch);
                let path = format!(
                    "changes?branch={branch}&order=-changeid&limit={limit}&{CHANGE_FIELDS}"
                );
                c.get_json::<ChangesPage>(&path).await?.changes
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
                let path = if rev.len() == 40 {
                    format!("changes?revision={rev}&{CHANGE_FIELDS}")
                } else {
                    format!(
                        "changes?revision__contains={rev}&order=-changeid&limit=50&{CHANGE_FIELDS}"
                    )
                };
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
                    let fields: Vec<String> =
                        BUILD_FIELDS.iter().map(|f| format!("field={f}")).collect();
                    let path = format!("changes/{}/builds?{}", ch.changeid, fields.join("&"));
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
