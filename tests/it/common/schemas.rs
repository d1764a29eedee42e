//! The documented JSON schemas of the waterfall, console, digest, watch events and
//! `cache info`, read back with `deny_unknown_fields`: a field added, renamed or dropped fails
//! the test that parses it (the summary's and release's mirrors are in `mod.rs`).
#![expect(
    dead_code,
    reason = "each mirror reads every field so that an unknown one fails; tests look at some"
)]

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterfallJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub branches: Vec<WaterfallBranchJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterfallBranchJson {
    pub name: String,
    pub groups: Vec<WaterfallGroupJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterfallGroupJson {
    pub label: String,
    pub stability: String,
    pub tier: Option<u8>,
    pub builders: Vec<WaterfallRowJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterfallRowJson {
    pub name: String,
    pub builderid: u32,
    pub url: String,
    pub connected: bool,
    pub paused: bool,
    pub pause_reason: Option<String>,
    pub error: Option<String>,
    pub builds: Vec<WaterfallBuildJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterfallBuildJson {
    pub number: u32,
    pub buildid: u64,
    pub result: Option<String>,
    pub running: bool,
    pub revision: Option<String>,
    pub started_at: Option<i64>,
    pub stale: Option<super::StaleJson>,
    pub url: String,
    pub rerun_of: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub branch: String,
    pub git_branch: Option<String>,
    pub builders: Vec<ConsoleBuilderJson>,
    pub commits: Vec<ConsoleCommitJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleBuilderJson {
    pub column: usize,
    pub name: String,
    pub builderid: u32,
    pub url: String,
    pub connected: bool,
    pub paused: bool,
    pub pause_reason: Option<String>,
    pub stale: Option<super::NumberedStaleJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleCommitJson {
    pub revision: String,
    pub author: String,
    pub when: Option<i64>,
    pub subject: String,
    pub cells: Vec<ConsoleCellJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleCellJson {
    /// built, covered, not_built.
    pub state: String,
    pub number: Option<u32>,
    pub result: Option<String>,
    pub running: bool,
    pub stale: bool,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub previous_at: Option<i64>,
    pub changes: Vec<DigestChangeJson>,
    pub still_failing: Vec<StillFailingJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestChangeJson {
    /// new_failure, fixed, offline, back_online.
    pub kind: String,
    pub builderid: u32,
    pub name: String,
    pub branch: String,
    pub number: Option<u32>,
    pub reason: Option<String>,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StillFailingJson {
    pub builderid: u32,
    pub name: String,
    pub branch: String,
    pub since: i64,
    pub since_number: Option<u32>,
    pub since_at_least: bool,
    pub number: Option<u32>,
    pub url: String,
}

/// One line of `watch --format json`.
#[derive(Debug, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum WatchEventJson {
    Watching {
        schema_version: u32,
        time: i64,
        builders: usize,
        branches: Vec<String>,
        interval: u64,
        failing: usize,
        offline: usize,
    },
    NewFailure(WatchChangeJson),
    Fixed(WatchChangeJson),
    Offline(WatchChangeJson),
    BackOnline(WatchChangeJson),
    NewFailingTest {
        time: i64,
        builderid: u32,
        name: String,
        number: u32,
        tests: Vec<String>,
        url: String,
    },
    Progress {
        time: i64,
        revision: String,
        finished: usize,
        blocking: usize,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchChangeJson {
    pub time: i64,
    pub builderid: u32,
    pub name: String,
    pub branch: String,
    pub number: Option<u32>,
    pub reason: Option<String>,
    pub url: String,
}

/// Every line of a `watch --format json` stream.
pub fn parse_watch_lines(stdout: &str) -> Vec<WatchEventJson> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheInfoJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub path: String,
    pub exists: bool,
    pub lists_ttl_seconds: i64,
    pub cache: Option<CacheContentsJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheContentsJson {
    pub path: String,
    pub server: Option<String>,
    pub schema_version: i32,
    pub file_bytes: u64,
    pub synced_at: Option<i64>,
    pub watermark: Option<u64>,
    pub builders_fetched_at: Option<i64>,
    pub workers_fetched_at: Option<i64>,
    pub builds: i64,
    pub running_builds: i64,
    pub covered_builders: i64,
    pub responses: i64,
    pub response_bytes: i64,
}
