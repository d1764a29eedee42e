//! Report models: one owned, serialisable struct per report, built from model values with its
//! links resolved.
//!
//! Each struct *is* that report's JSON schema (`schema_version` in [`header`]; README.md
//! documents every field), and the text, table and markdown renderers read the same struct, so
//! no format can show what another one lacks. Presentation choices that are not data (`-q`
//! levels, the build id shown) ride along as `#[serde(skip)]` fields.

pub mod build;
pub mod cache_info;
pub mod commit;
pub mod console;
pub mod digest;
pub mod failures;
pub mod header;
pub mod log;
pub mod pull_request;
pub mod release;
pub mod repro;
pub mod summary;
pub mod test_health;
pub mod test_history;
pub mod watch;
pub mod waterfall;
