//! Shared by the end-to-end tests: run the binary in a clean environment, read its JSON back
//! into the documented schema, and the harness's account of what it ran.

#![allow(dead_code)] // each test binary uses a different part

pub mod stub;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_snapshot() -> PathBuf {
    repo().join("tests/fixtures/snapshot")
}

/// Run bbreport with a cleared environment (no config, no colour variables, a fixed width).
pub fn bbreport(args: &[&str]) -> Output {
    bbreport_env(args, &[])
}

pub fn bbreport_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("temp home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bbreport"));
    cmd.env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("COLUMNS", "100")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run bbreport")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

// ---- The JSON schema (schema_version 1), read back as a consumer would. ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub complete: bool,
    pub selected: usize,
    pub active: usize,
    pub branches: Vec<BranchJson>,
    pub totals: HashMap<String, usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchJson {
    pub name: String,
    pub builders: Vec<BuilderJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuilderJson {
    pub name: String,
    pub builderid: u32,
    pub url: String,
    pub branch: String,
    pub stability: String,
    pub tier: Option<u8>,
    pub tags: Vec<String>,
    pub connected: bool,
    pub status: Option<String>,
    pub error: Option<String>,
    pub last_failure: Option<FailureJson>,
    pub builds: Vec<BuildJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureJson {
    pub number: u32,
    pub result: String,
    pub reason: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildJson {
    pub number: u32,
    pub buildid: u64,
    pub result: Option<String>,
    pub running: bool,
    pub revision: Option<String>,
    pub state_string: String,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    pub url: String,
}

pub fn parse_summary(o: &Output) -> SummaryJson {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON does not match schema: {e}\n{}", stdout(o)))
}

impl SummaryJson {
    pub fn builders(&self) -> impl Iterator<Item = &BuilderJson> {
        self.branches.iter().flat_map(|b| &b.builders)
    }
}

// ---- What the harness ran (tests/harness/harness.py writes manifest.json). ----

#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub server: String,
    pub builders: Vec<ManifestBuilder>,
}

#[derive(Debug, Deserialize)]
pub struct ManifestBuilder {
    pub name: String,
    pub builderid: u32,
    pub branch: String,
    pub tags: Vec<String>,
    pub worker: String,
    /// One letter per build, oldest first: P pass, F test failure, W flaky (warnings),
    /// C compile failure, E exception, R still running.
    pub scenario: String,
    pub retired: bool,
    pub worker_connected: bool,
}

pub fn load_manifest(path: &Path) -> Manifest {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("manifest parses")
}

/// The live master's manifest. Live tests are `#[ignore]`d so a bare `cargo test` skips them;
/// scripts/test.sh starts the master and runs them with --include-ignored. Run that way without
/// a master, they fail here instead of passing vacuously.
pub fn live_manifest() -> Manifest {
    let path = std::env::var("BBREPORT_TEST_MANIFEST").expect(
        "BBREPORT_TEST_MANIFEST is not set: run scripts/test.sh, which starts the real master",
    );
    load_manifest(Path::new(&path))
}

/// The builder status a scenario must produce with the default 4-build window, written out by
/// hand for each scenario the harness uses (an oracle independent of bbreport's rule code).
pub fn expected_status(b: &ManifestBuilder) -> &'static str {
    if !b.worker_connected {
        return "offline";
    }
    let last4: String = b
        .scenario
        .chars()
        .rev()
        .take(4)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    match last4.as_str() {
        "" => "no_builds",
        "P" | "PP" | "PPPP" | "PPPW" | "PWPW" | "WW" => "success",
        "PPPR" => "building",
        "FFFF" => "failure",
        "PPFF" | "PPPF" | "PPPC" | "PFFF" | "PPEE" | "FFFP" | "PF" | "CP" => "unstable",
        other => panic!("scenario {other} has no expected status yet: add it to expected_status"),
    }
}

/// Expected build results, newest first, for a scenario's last `limit` builds.
pub fn expected_results(scenario: &str, limit: usize) -> Vec<Option<&'static str>> {
    scenario
        .chars()
        .rev()
        .take(limit)
        .map(|c| match c {
            'P' => Some("success"),
            'F' | 'C' => Some("failure"),
            'W' => Some("warnings"),
            'E' => Some("exception"),
            'R' => None,
            other => panic!("unknown scenario letter {other}"),
        })
        .collect()
}

/// The reason the newest failing build must give, if the window has one.
pub fn expected_reason(scenario: &str, limit: usize) -> Option<&'static str> {
    scenario.chars().rev().take(limit).find_map(|c| match c {
        'F' => Some("failed test"),
        'C' => Some("failed compile"),
        'E' => Some("exception"),
        _ => None,
    })
}

/// Check a summary's JSON against what the harness ran, builder for builder.
pub fn assert_matches_manifest(summary: &SummaryJson, manifest: &Manifest, branches: &[&str]) {
    let shown: HashMap<&str, &BuilderJson> =
        summary.builders().map(|b| (b.name.as_str(), b)).collect();
    let mut checked = 0;
    for m in &manifest.builders {
        let wanted = branches.is_empty() || branches.contains(&m.branch.as_str());
        if m.retired || !wanted {
            assert!(
                !shown.contains_key(m.name.as_str()),
                "{} must not be shown",
                m.name
            );
            continue;
        }
        let b = shown
            .get(m.name.as_str())
            .unwrap_or_else(|| panic!("{} missing from the report", m.name));
        assert_eq!(b.builderid, m.builderid, "{}", m.name);
        assert_eq!(
            b.status.as_deref(),
            Some(expected_status(m)),
            "status of {} (scenario {})",
            m.name,
            m.scenario
        );
        let results: Vec<Option<&str>> = b.builds.iter().map(|x| x.result.as_deref()).collect();
        assert_eq!(
            results,
            expected_results(&m.scenario, 4),
            "builds of {}",
            m.name
        );
        let numbers: Vec<u32> = b.builds.iter().map(|x| x.number).collect();
        let n = m.scenario.len() as u32;
        let want: Vec<u32> = (1..=n).rev().take(4).collect();
        assert_eq!(numbers, want, "build numbers of {}", m.name);
        match (expected_reason(&m.scenario, 4), &b.last_failure) {
            (None, None) => {}
            (Some(r), Some(f)) => assert!(
                f.reason.contains(r),
                "{}: reason {:?} should say {r:?}",
                m.name,
                f.reason
            ),
            (want, got) => panic!("{}: last failure {got:?}, expected {want:?}", m.name),
        }
        assert_eq!(b.connected, m.worker_connected, "{}", m.name);
        checked += 1;
    }
    assert!(checked > 0, "no builder was checked");
    assert_eq!(
        checked, summary.selected,
        "report shows builders the harness did not define"
    );
}
