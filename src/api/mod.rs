//! The Buildbot data API: the HTTP transport ([`HttpClient`]: compact JSON, gzip, retries,
//! login), the [`endpoints`] (the only code that knows Buildbot URLs), the serde [`types`] of
//! its answers, and a recorded copy of them ([`Snapshot`]) that answers the same queries
//! offline. Which of them a report reads, and the local cache, are `crate::fetch`'s: this
//! module knows nothing of the cache.

mod auth;
mod client;
pub(crate) mod endpoints;
mod error;
mod snapshot;
pub mod types;

pub(crate) use auth::{Auth, Secret};
pub(crate) use client::{HttpClient, ServerUrl, Stats};
pub(crate) use endpoints::{BuildsQuery, Fields};
pub use error::{ApiError, ApiErrorKind};
pub(crate) use snapshot::{Recording, Snapshot, SnapshotMeta, TriageFile};

/// The snapshot directory format this build writes and reads.
pub fn snapshot_format() -> u32 {
    snapshot::SNAPSHOT_FORMAT
}
