//! Shared by the end-to-end tests: run the binary in a clean environment, read its JSON back
//! into the documented schema, and the harness's account of what it ran.

pub mod fake_master;
pub mod old_master;
pub mod regrtest_cases;
pub mod schemas;
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

/// "Now" for every run that does not pass its own `BBREPORT_NOW`: 2026-12-01 11:49:40 UTC,
/// 21 hours after the shipped snapshot was recorded (`recorded_at` in its meta.json), so ages
/// and times in reports on it do not drift with the calendar.
pub const NOW: &str = "1796125780";

/// One run's private corner of the file system, removed on drop: the temporary directory is
/// HOME, and holds the config directory (`config/`) and the cache (`cache/`).
#[derive(Debug)]
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl Default for TestEnv {
    fn default() -> TestEnv {
        TestEnv::new()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temporary HOME"),
        }
    }

    /// The temporary directory (HOME).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `BBREPORT_CACHE_DIR`: where `XDG_CACHE_HOME` would put it too.
    pub fn cache_dir(&self) -> PathBuf {
        self.path().join("cache").join("bbreport")
    }

    /// Make `cmd` hermetic: a cleared environment with PATH only, then a fixed clock, width and
    /// locale, and HOME, config and cache inside the temporary directory. `cmd` is bbreport, or a
    /// program that starts it (script(1), time(1)) and passes the environment on. Tests that need
    /// something else set it on the command afterwards (or pass it to [`TestEnv::run`]).
    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        let home = self.path();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("BBREPORT_CACHE_DIR", self.cache_dir())
            .env("BBREPORT_NOW", NOW)
            .env("COLUMNS", "100")
            .env("LANG", "C.UTF-8")
    }

    /// The binary, in this environment, without arguments.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bbreport"));
        self.apply(&mut cmd);
        cmd
    }

    /// Run the binary to completion; `env` adds to the hermetic environment or overrides it.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command();
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run bbreport")
    }
}

/// Run bbreport in a fresh hermetic environment (see [`TestEnv::apply`]).
pub fn bbreport(args: &[&str]) -> Output {
    bbreport_env(args, &[])
}

/// Run bbreport in a fresh hermetic environment, with `env` added or overriding.
pub fn bbreport_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    TestEnv::new().run(args, env)
}

/// The real clock, as `BBREPORT_NOW` takes it: the real masters of the live tests build in real
/// time, and the fixed [`NOW`] would put their builds in the future.
pub fn real_now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
        .to_string()
}

/// [`bbreport`] against a live master: the hermetic environment with the real clock.
pub fn live(args: &[&str]) -> Output {
    live_env(args, &[])
}

/// [`bbreport_env`] against a live master: the hermetic environment with the real clock.
pub fn live_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let now = real_now();
    let mut all = vec![("BBREPORT_NOW", now.as_str())];
    all.extend_from_slice(env);
    bbreport_env(args, &all)
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
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
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
    pub shallow: Option<ShallowJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchJson {
    pub name: String,
    pub builders: Vec<BuilderJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct BuilderJson {
    pub name: String,
    pub builderid: u32,
    pub url: String,
    pub branch: String,
    pub stability: String,
    pub tier: Option<u8>,
    pub tags: Vec<String>,
    pub connected: bool,
    pub paused: bool,
    pub pause_reason: Option<String>,
    pub status: Option<String>,
    pub builds_status: Option<String>,
    pub error: Option<String>,
    pub last_failure: Option<FailureJson>,
    pub builds: Vec<BuildJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct FailureJson {
    pub number: u32,
    pub result: String,
    pub reason: String,
    pub url: String,
    pub tests: Vec<FailedTestJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedTestJson {
    pub name: String,
    pub known: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct BuildJson {
    pub number: u32,
    pub buildid: u64,
    pub result: Option<String>,
    pub running: bool,
    pub revision: Option<String>,
    pub state_string: String,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    pub stale: Option<StaleJson>,
    pub url: String,
    pub rerun_of: Option<u32>,
}

/// A stale running build, in every report that names builds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleJson {
    pub age_seconds: i64,
    pub reason: String,
}

/// A stale build named by its number (console builders, release evidence).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct NumberedStaleJson {
    pub number: u32,
    pub age_seconds: i64,
    pub reason: String,
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
    /// The Buildbot version the harness ran (`buildbot.version`); absent in older manifests.
    #[serde(default)]
    pub buildbot: Option<String>,
    pub builders: Vec<ManifestBuilder>,
    /// Every commit the harness sent to the master, in order.
    pub commits: Vec<ManifestCommit>,
}

#[derive(Debug, Deserialize)]
pub struct ManifestCommit {
    pub branch: String,
    pub round: u32,
    /// The round number, or e.g. `2a` for a commit pushed just before the round's commit.
    pub label: String,
    /// Whether a build was made of exactly this commit (false: a newer commit's build tested it).
    pub built: bool,
    pub revision: String,
    pub subject: String,
    pub author: String,
}

#[derive(Debug, Deserialize)]
#[expect(
    dead_code,
    reason = "the harness's account, kept whole for whoever reads it next"
)]
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
    /// On the cases fleet: the real case (tests/fixtures/regrtest-cases/) the builder prints.
    #[serde(default)]
    pub case: Option<String>,
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
        "FFFF" | "F" | "T" | "X" => "failure",
        "PPFF" | "PPPF" | "PPPC" | "PFFF" | "PPEE" | "FFFP" | "PF" | "CP" | "PD" | "PL" => {
            "unstable"
        }
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
            'F' | 'C' | 'T' | 'X' | 'D' | 'L' => Some("failure"),
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
        'F' | 'T' | 'X' | 'D' | 'L' => Some("failed test"),
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

// ---- The release JSON schema (schema_version 1), read back as a consumer would. ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct ReleaseJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub rule: String,
    pub threshold: Option<usize>,
    pub verdict: String,
    pub exit_code: u8,
    pub at: Option<RevisionJson>,
    pub branches: Vec<ReleaseBranchJson>,
    pub shallow: Option<ShallowJson>,
}

/// Set when release judged from fewer builds per builder than its default.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ShallowJson {
    pub builds_per_builder: usize,
    pub default: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct RevisionJson {
    pub revision: String,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub branch: Option<String>,
    pub builds: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBranchJson {
    pub name: String,
    pub verdict: String,
    pub summary: String,
    pub builders: Vec<ReleaseBuilderJson>,
    pub disconnected: Vec<String>,
    pub paused: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct ReleaseBuilderJson {
    pub name: String,
    pub builderid: u32,
    pub url: String,
    pub tier: Option<u8>,
    pub stability: String,
    pub tags: Vec<String>,
    pub role: String,
    pub connected: bool,
    pub finding: String,
    pub effect: String,
    pub reason: Option<String>,
    pub streak: usize,
    pub streak_open_ended: bool,
    pub running: bool,
    pub stale: Option<NumberedStaleJson>,
    pub paused: bool,
    pub pause_reason: Option<String>,
    pub builds_read: usize,
    pub error: Option<String>,
    pub latest: Option<ReleaseBuildJson>,
    pub breaking: Option<ReleaseBuildJson>,
    pub breaking_beyond_history: bool,
    pub failing_tests: Vec<FailedTestJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the whole schema is read, so that an unknown field fails; not every test looks at every field"
)]
pub struct ReleaseBuildJson {
    pub number: u32,
    pub result: String,
    pub complete_at: Option<i64>,
    pub failed_step: Option<String>,
    pub url: String,
}

pub fn parse_release(o: &Output) -> ReleaseJson {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("release JSON does not match schema: {e}\n{}", stdout(o)))
}

impl ReleaseJson {
    pub fn branch(&self, name: &str) -> &ReleaseBranchJson {
        self.branches
            .iter()
            .find(|b| b.name == name)
            .unwrap_or_else(|| panic!("no branch {name}"))
    }

    pub fn verdicts(&self) -> Vec<(&str, &str)> {
        self.branches
            .iter()
            .map(|b| (b.name.as_str(), b.verdict.as_str()))
            .collect()
    }
}

impl ReleaseBranchJson {
    pub fn builder(&self, name: &str) -> &ReleaseBuilderJson {
        self.builders
            .iter()
            .find(|b| b.name == name)
            .unwrap_or_else(|| panic!("no builder {name} in {}", self.name))
    }
}

/// The release status dashboard's documented rule (shared/docs/cpython-buildbots.md §d) applied
/// by hand to the harness's scenarios: for each builder with a problem, the problem the
/// dashboard shows. Builders not listed show "No problem detected" (or "No builds" when they
/// have none). Written out, not computed, so it checks bbreport's rule code independently.
pub const DASHBOARD_ORACLE: &[(&str, &str)] = &[
    // 3.x: latest SUCCESS/WARNINGS/FAILURE build decides; exceptions ignored.
    ("AMD64 Fedora Stable Clang 3.x", "release_blocking_failure"), // PPFF, stable tier-2
    (
        "AMD64 Fedora Stable LTO + PGO 3.x",
        "release_blocking_failure",
    ), // FFFF, stable tier-1
    (
        "AMD64 Fedora Stable Refleaks 3.x",
        "release_blocking_failure",
    ), // PPPF, stable tier-1
    ("AMD64 Ubuntu Shared 3.x", "release_blocking_failure"),       // PPPC, stable tier-1 (compile)
    ("ARM Raspbian 3.x", "nonblocking_failure"),                   // PFFF, stable tier-3
    ("AMD64 Fedora Rawhide 3.x", "unstable_builder_failure"),      // FFFF, unstable
    ("AMD64 Fedora Stable LTO 3.x", "stable_warnings"),            // PPPW
    ("AMD64 Alpine Linux 3.x", "stable_warnings"),                 // PWPW, stable tierless
    ("AMD64 FreeBSD14 3.x", "none"), // PPEE: exceptions ignored, latest P
    ("AMD64 Alpine Linux NoGIL 3.x", "none"), // FFFP: latest P
    ("AMD64 Fedora Stable Clang Installed 3.x", "none"), // PPPR: running build ignored
    ("AMD64 FreeBSD Refleaks 3.x", "no_builds"),
    // 3.14
    ("AMD64 Fedora Stable 3.14", "release_blocking_failure"), // PF: one fresh failure
    ("ARM Raspbian 3.14", "stable_warnings"),                 // WW, tier-3
    // 3.13
    ("AMD64 Fedora Stable LTO 3.13", "none"), // CP: latest P
    // 3.12
    ("ARM Raspbian 3.12", "nonblocking_failure"), // F, tier-3
];

/// Branch verdicts the dashboard shows for the harness's builds: Unreleasable when a stable
/// tier-1/2 builder's latest build failed, Concern for tier-3/tierless, N/A without builds.
pub const DASHBOARD_BRANCHES: &[(&str, &str)] = &[
    ("3.x", "unreleasable"),
    ("3.15", "not_available"),
    ("3.14", "unreleasable"),
    ("3.13", "releasable"),
    ("3.12", "concern"),
];

/// Check `release --rule dashboard` JSON against the hand-applied dashboard rule.
pub fn assert_dashboard_oracle(r: &ReleaseJson) {
    assert_eq!(r.rule, "dashboard");
    let branches: Vec<(&str, &str)> = DASHBOARD_BRANCHES.to_vec();
    assert_eq!(r.verdicts(), branches);
    for branch in &r.branches {
        for b in &branch.builders {
            let problem = DASHBOARD_ORACLE
                .iter()
                .find(|(n, _)| *n == b.name)
                .map_or_else(
                    || {
                        if b.latest.is_none() {
                            "no_builds"
                        } else {
                            "none"
                        }
                    },
                    |(_, p)| *p,
                );
            let (effect, finding): (&str, Option<&str>) = match problem {
                "release_blocking_failure" => ("unreleasable", Some("failing")),
                "nonblocking_failure" => ("concern", Some("failing")),
                "unstable_builder_failure" => ("none", Some("failing")),
                "stable_warnings" => ("none", Some("warnings")),
                "no_builds" => ("none", Some("no_completed_build")),
                "none" => ("none", None),
                other => panic!("unknown dashboard problem {other}"),
            };
            assert_eq!(b.effect, effect, "{}: dashboard shows {problem}", b.name);
            if let Some(f) = finding {
                assert_eq!(b.finding, f, "{}: dashboard shows {problem}", b.name);
            }
        }
    }
}

/// The revision the harness committed on `branch` in round `round`.
pub fn harness_revision(m: &Manifest, branch: &str, round: u32) -> String {
    m.commits
        .iter()
        .find(|c| c.branch == branch && c.round == round && c.built)
        .unwrap_or_else(|| panic!("the harness made no commit {round} on {branch}"))
        .revision
        .clone()
}

/// `waterfall --format json --limit 4` against what the harness ran, builder for builder.
pub fn check_waterfall_json(o: &Output, m: &Manifest) {
    let _: schemas::WaterfallJson = serde_json::from_slice(&o.stdout).expect("waterfall schema");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        (v["schema_version"].as_u64(), v["kind"].as_str()),
        (Some(1), Some("waterfall"))
    );
    let mut seen = 0;
    for branch in v["branches"].as_array().expect("branches") {
        let groups = branch["groups"].as_array().expect("groups");
        let labels: Vec<&str> = groups.iter().filter_map(|g| g["label"].as_str()).collect();
        let stable_first = labels
            .iter()
            .position(|l| l.starts_with("unstable"))
            .is_none_or(|i| labels[..i].iter().all(|l| l.starts_with("stable")));
        assert!(stable_first, "{labels:?}");
        for g in groups {
            for b in g["builders"].as_array().expect("builders") {
                let mb = m
                    .builders
                    .iter()
                    .find(|x| x.name == b["name"].as_str().expect("name"))
                    .expect("known builder");
                let results: Vec<Option<&str>> = b["builds"]
                    .as_array()
                    .expect("builds")
                    .iter()
                    .map(|x| x["result"].as_str())
                    .collect();
                assert_eq!(results, expected_results(&mb.scenario, 4), "{}", mb.name);
                seen += 1;
            }
        }
    }
    assert_eq!(seen, m.builders.iter().filter(|b| !b.retired).count());
}

/// `console BRANCH --format json` (a branch whose git branch has its name): every commit the
/// harness pushed, newest first; each builder's build on the commit it built, and the commits
/// pushed just before a round's commit marked covered by that round's build.
pub fn check_console_json(o: &Output, m: &Manifest, branch: &str) {
    let _: schemas::ConsoleJson = serde_json::from_slice(&o.stdout).expect("console schema");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["git_branch"].as_str(), Some(branch));
    let commits = v["commits"].as_array().expect("commits");
    let want: Vec<&ManifestCommit> = m
        .commits
        .iter()
        .rev()
        .filter(|c| c.branch == branch)
        .collect();
    let revs: Vec<&str> = commits
        .iter()
        .filter_map(|c| c["revision"].as_str())
        .collect();
    assert_eq!(
        revs,
        want.iter().map(|c| c.revision.as_str()).collect::<Vec<_>>(),
        "newest first, every commit"
    );
    let builders = v["builders"].as_array().expect("builders");
    for (row, commit) in commits.iter().zip(&want) {
        for (cell, b) in row["cells"].as_array().expect("cells").iter().zip(builders) {
            let mb = m
                .builders
                .iter()
                .find(|x| x.name == b["name"].as_str().expect("name"))
                .expect("builder");
            let state = cell["state"].as_str().expect("state");
            if mb.scenario.is_empty() {
                assert_eq!(state, "not_built", "{}", mb.name);
            } else if commit.built {
                assert_eq!(
                    (state, cell["number"].as_u64()),
                    ("built", Some(u64::from(commit.round))),
                    "{} @ {}",
                    mb.name,
                    commit.label
                );
            } else {
                // Pushed together with the round's commit: that build tested it too.
                assert_eq!(
                    (state, cell["number"].as_u64()),
                    ("covered", Some(u64::from(commit.round))),
                    "{} @ {}",
                    mb.name,
                    commit.label
                );
            }
        }
    }
    assert!(
        want.iter().any(|c| !c.built),
        "the harness must push a commit that is only covered"
    );
}

// ---- The failures JSON schema (schema_version 1), read back as a consumer would. ----

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailuresJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub branch: String,
    pub builds_per_builder: usize,
    pub logs_parsed: usize,
    pub tests: Vec<FailingTestJson>,
    pub log_notes: Vec<LogNoteJson>,
    pub test_step_exceptions: Vec<TestStepExceptionJson>,
    pub no_failing_test: Vec<NoFailingTestJson>,
    pub outside_tests: Vec<OutsideTestJson>,
}

/// A failed build whose test step failed but whose log names no failing test.
#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoFailingTestJson {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    pub result: String,
    pub reason: String,
    pub step: Option<String>,
    pub why: String,
    pub causes: Vec<String>,
    pub env_changed: Vec<String>,
    pub last_test: Option<String>,
    pub log_lines: Option<u64>,
    pub read_error: Option<String>,
    pub unlocated: Option<UnlocatedJson>,
    pub url: String,
}

/// A build of the matrix whose log does not tell everything.
#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogNoteJson {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    pub causes: Vec<String>,
    pub last_test: Option<String>,
    pub unlocated: Option<UnlocatedJson>,
    pub url: String,
}

/// Failures a long log's search left unread.
#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlocatedJson {
    pub counted: u32,
    pub unlocated: u32,
    pub budget_spent: bool,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailingTestJson {
    pub test: String,
    pub classification: String,
    pub shared: Option<String>,
    pub occurrences: Vec<TestOccurrenceJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestOccurrenceJson {
    pub builder: String,
    pub builderid: u32,
    pub url: String,
    pub builds: Vec<BuildSymptomJson>,
    pub since: Option<u32>,
    pub streak: usize,
    pub streak_open_ended: bool,
    pub passing_since: Option<u32>,
    pub persistent: bool,
    pub known: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildSymptomJson {
    pub number: u32,
    pub symptom: String,
    pub url: String,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutsideTestJson {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    pub reason: String,
    pub step: Option<String>,
    pub url: String,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestStepExceptionJson {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    pub reason: String,
    pub causes: Vec<String>,
    pub last_test: Option<String>,
    pub url: String,
}

pub fn parse_failures(o: &Output) -> FailuresJson {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("failures JSON does not match schema: {e}\n{}", stdout(o)))
}

impl FailuresJson {
    pub fn test(&self, name: &str) -> &FailingTestJson {
        self.tests
            .iter()
            .find(|t| t.test == name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.tests))
    }
}

// ---- The build JSON schema (schema_version 1), read back as a consumer would. ----

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildReportJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub builder: String,
    pub builderid: u32,
    pub builder_url: String,
    pub number: u32,
    pub buildid: u64,
    pub url: String,
    pub result: Option<String>,
    pub running: bool,
    pub stale: Option<StaleJson>,
    pub state_string: String,
    pub revision: Option<String>,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    pub steps: Vec<StepJson>,
    pub test_log: Option<TestLogJson>,
    pub failed_step: Option<FailedStepJson>,
}

/// The step that failed outside the tests, and the end of its stdio log.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
pub struct FailedStepJson {
    pub number: u32,
    pub step: String,
    pub log: Option<String>,
    pub num_lines: Option<u64>,
    pub windows: Vec<LineWindowJson>,
    pub bytes_read: usize,
    pub tail: Vec<String>,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepJson {
    pub number: u32,
    pub name: String,
    pub result: Option<String>,
    pub running: bool,
    pub hidden: bool,
    pub state_string: String,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestLogJson {
    pub step: String,
    pub log: Option<String>,
    pub num_lines: Option<u64>,
    pub windows: Vec<LineWindowJson>,
    pub bytes_read: usize,
    pub deleted: bool,
    pub search: Option<SearchJson>,
    pub summary: Option<LogSummaryJson>,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchJson {
    pub counted: u32,
    pub unlocated: u32,
    pub requests: u32,
    pub bytes: usize,
    pub rounds: u32,
    pub budget_spent: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineWindowJson {
    pub offset: u64,
    pub limit: u64,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSummaryJson {
    pub result: Option<String>,
    pub rebuilt_from_events: bool,
    pub failed: Vec<String>,
    pub passed_on_rerun: Vec<String>,
    pub rerun: Vec<String>,
    pub timeouts: Vec<String>,
    pub crashes: Vec<CrashJson>,
    pub fatal_errors: Vec<String>,
    pub leaks: Vec<LeakJson>,
    pub env_changed: Vec<String>,
    pub infrastructure: Vec<String>,
    pub last_test: Option<String>,
    pub skipped: Vec<String>,
    pub resource_denied: Vec<String>,
    pub seed: Option<u64>,
    pub mode: Option<String>,
    pub workers: Option<u32>,
    pub timeout: Option<u64>,
    pub refleak: Option<RefleakJson>,
    pub command: Option<String>,
    pub platform: Vec<String>,
    pub order: Vec<String>,
    pub excerpts: Vec<String>,
    pub lines: u64,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrashJson {
    pub test: String,
    pub how: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeakJson {
    pub test: String,
    pub what: String,
    pub kind: String,
    pub counts: Vec<i64>,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefleakJson {
    pub repetitions: u32,
    pub warmups: Option<u32>,
}

pub fn parse_build(o: &Output) -> BuildReportJson {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("build JSON does not match schema: {e}\n{}", stdout(o)))
}

impl BuildReportJson {
    /// The parsed test log; panics when the build has no test step or its log was not read.
    pub fn log_summary(&self) -> &LogSummaryJson {
        self.test_log
            .as_ref()
            .and_then(|t| t.summary.as_ref())
            .unwrap_or_else(|| panic!("no parsed test log: {self:?}"))
    }
}

// ---- The repro JSON schema (schema_version 1), read back as a consumer would. ----

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReproJson {
    pub schema_version: u32,
    pub kind: String,
    pub server: String,
    pub source: String,
    pub recorded_at: Option<i64>,
    pub generated_at: i64,
    pub builder: String,
    pub builderid: u32,
    pub builder_url: String,
    pub number: u32,
    pub url: String,
    pub revision: Option<String>,
    pub checkout: Option<String>,
    pub command: Option<String>,
    pub command_source: Option<String>,
    pub guessed: Vec<GuessJson>,
    pub seed: Option<u64>,
    pub randomized: Option<bool>,
    pub target: String,
    pub failed: Vec<String>,
    pub alone: String,
    pub also_failed: Vec<OtherTestJson>,
    pub all_failed: Option<String>,
    pub last_running: Option<OtherTestJson>,
    pub mode: RunModeJson,
}

/// `repro`'s other failed tests and the test still running, each with its command alone.
#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherTestJson {
    pub test: String,
    pub alone: String,
}

#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuessJson {
    pub option: String,
    pub why: String,
}

/// `kind` is `sequential` (with `before`, its halves, `worker_processes` and
/// `replay_options`), `parallel` (with `workers` and `bisect`) or `order_unknown` (nothing
/// else).
#[expect(
    dead_code,
    reason = "the mirror reads every field so unknown ones are refused; tests look at some"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunModeJson {
    pub kind: String,
    pub before: Option<Vec<String>>,
    pub first_half: Option<Vec<String>>,
    pub second_half: Option<Vec<String>>,
    pub worker_processes: Option<bool>,
    pub replay_options: Option<Vec<String>>,
    pub workers: Option<u32>,
    pub bisect: Option<String>,
    pub files: Option<ReplayFilesJson>,
}

/// `repro --out DIR`: the `--fromfile` lists written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayFilesJson {
    pub dir: String,
    pub order: String,
    pub first_half: Option<String>,
    pub second_half: Option<String>,
}

pub fn parse_repro(o: &Output) -> ReproJson {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("repro JSON does not match schema: {e}\n{}", stdout(o)))
}
