//! Compute layer: pure functions from API data to view models. No I/O, no colour, no clock.

pub(crate) mod branch;
pub(crate) mod build;
pub(crate) mod classify;
pub(crate) mod commit;
pub(crate) mod console;
pub(crate) mod digest;
pub(crate) mod edit_distance;
pub(crate) mod failure_search;
pub(crate) mod failures;
pub(crate) mod known_issues;
pub mod log_file;
pub(crate) mod pull_request;
pub mod regrtest;
pub(crate) mod release;
pub mod repro;
pub(crate) mod select;
pub(crate) mod server_version;
pub(crate) mod stale;
pub(crate) mod status;
pub(crate) mod summary;
pub(crate) mod test_health;
pub(crate) mod test_history;
pub(crate) mod waterfall;
