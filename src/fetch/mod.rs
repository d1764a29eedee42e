//! Between the API and the commands: where each answer comes from (a live master, its local
//! cache, the cache alone with `--offline`, or a recorded snapshot), and the multi-request reads
//! the commands share.
//!
//! [`Source`] is the run's data source; [`Live`] is where the HTTP client (`crate::api`) and the
//! local cache (`crate::cache`) meet, so those two never import each other. "The newest N builds
//! of these builders" has one entry point, [`newest_builds`] in [`recent`], which owns the cache
//! policy and documents the coverage/watermark invariant it rests on.
//!
//! - `window`: the bulk-window algorithm that reads newest builds straight from a source;
//! - `catch_up`: brings the cache level with the server once per run;
//! - `lists`: the builders and workers lists, reused while fresh;
//! - [`revision`]: which commit a revision names and its builds, a branch's newest commits;
//! - [`selection`]: which builders a report covers, and the summary's read of the fleet;
//! - [`build_detail`]: one build's steps and log windows; [`test_log`] reads and parses a
//!   build's test log, and the failing tests `--tests` attaches to reports;
//! - [`poll`]: the pause between polls of `commit --watch` and `pr --watch`;
//! - [`record`]: the raw lists `bbreport snapshot` records;
//! - `server_version`: the master's Buildbot version, read once when a read depends on it.

pub mod build_detail;
mod catch_up;
mod changes_scan;
mod lists;
pub mod log_file;
pub mod poll;
pub mod recent;
pub mod record;
pub mod revision;
pub mod selection;
mod server_version;
mod source;
pub mod test_health;
pub mod test_log;
mod window;

pub(crate) use crate::api::Fields;
pub use lists::LISTS_TTL;
pub use recent::{Newest, RecentBuilds, newest_builds, newest_builds_of, warn_failed};
pub use source::{Live, Source, no_triage};
