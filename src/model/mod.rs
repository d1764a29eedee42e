//! Compute layer: pure functions from API data to view models. No I/O, no colour, no clock.

pub mod branch;
pub mod build;
pub mod classify;
pub mod console;
pub mod digest;
pub mod failures;
pub mod known_issues;
pub mod regrtest;
pub mod release;
pub mod repro;
pub mod select;
pub mod status;
pub mod summary;
pub mod waterfall;
