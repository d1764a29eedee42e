//! Where data comes from: a live master or a recorded snapshot, behind the same typed queries.

use std::sync::Arc;

use super::client::{HttpClient, StatsSnapshot};
use super::error::ApiError;
use super::snapshot::Snapshot;
use super::types::{
    Build, BuildId, Builder, BuilderId, BuildersPage, BuildsPage, Worker, WorkersPage,
};

/// Build fields bbreport reads. `field=` trims the JSON (not the server's SQL work), and every
/// filter or order field must be listed too, or Buildbot answers 400.
const BUILD_FIELDS: &[&str] = &[
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
            Source::Http(c) => {
                let page: BuildersPage = c
                    .get_json("builders?field=builderid&field=name&field=masterids&field=tags")
                    .await?;
                Ok(page.builders)
            }
            Source::Snapshot(s) => Ok(s.builders.clone()),
        }
    }

    pub async fn workers(&self) -> Result<Vec<Worker>, ApiError> {
        match self {
            Source::Http(c) => {
                let page: WorkersPage = c
                    .get_json("workers?field=workerid&field=name&field=connected_to&field=configured_on&field=paused")
                    .await?;
                Ok(page.workers)
            }
            Source::Snapshot(s) => Ok(s.workers.clone()),
        }
    }

    pub async fn builds(&self, query: &BuildsQuery) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Http(c) => Ok(c.get_json::<BuildsPage>(&query.to_path()).await?.builds),
            Source::Snapshot(s) => Ok(s.builds(query)),
        }
    }

    /// The newest `limit` builds of one builder, through its `(builderid, number)` index.
    pub async fn builder_builds(
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

    pub fn stats(&self) -> StatsSnapshot {
        match self {
            Source::Http(c) => c.stats().snapshot(),
            Source::Snapshot(_) => StatsSnapshot::default(),
        }
    }
}
