//! Fetch layer: the only async code and the only code that knows Buildbot URLs.
//!
//! [`Source`] answers the few typed queries bbreport needs, either from a live master over HTTP
//! ([`HttpClient`]) or from a recorded snapshot directory ([`Snapshot`]). [`recent`] turns
//! "the last N builds of these builders" into a handful of bulk requests.

mod auth;
pub mod build_detail;
mod cached;
mod client;
pub mod endpoints;
mod error;
pub mod recent;
mod snapshot;
mod source;
pub mod types;

pub use auth::{Auth, Secret};
pub use cached::LISTS_TTL;
pub use client::{HttpClient, ServerUrl, Stats};
pub use error::{ApiError, ApiErrorKind};
pub use snapshot::{Snapshot, SnapshotError, SnapshotMeta};

/// The snapshot directory format this build writes and reads.
pub fn snapshot_format() -> u32 {
    snapshot::SNAPSHOT_FORMAT
}
pub use endpoints::{BuildsQuery, Fields};
pub use source::{RevisionBuilds, Source};
