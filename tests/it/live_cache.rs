//! The local cache against the real Buildbot masters scripts/test.sh starts: warm runs give the
//! same reports as uncached ones for a fraction of the requests; new and finishing builds are
//! picked up; --offline; and the cache under real use: concurrent runs, runs killed mid-write,
//! a corrupt file, an unwritable directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::*;

/// Runs with one fixed clock, read when the test binary first needs it (not the real clock of
/// the other live tests), so that reports made seconds apart are byte-for-byte comparable. Not
/// the suite's fixed [`NOW`]: that is 21 hours after the shipped snapshot was recorded, which can
/// lie ahead of this master's builds and make a running one look hours overdue (stale), never
/// `building`.
fn clock() -> &'static str {
    static CLOCK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CLOCK.get_or_init(real_now)
}

fn run(server: &str, cache: &Path, args: &[&str]) -> Output {
    let cache = cache.to_string_lossy().to_string();
    bbreport_env(
        &[&["--server", server, "--stats"][..], args].concat(),
        &[
            ("BBREPORT_CACHE_DIR", cache.as_str()),
            ("BBREPORT_NOW", clock()),
        ],
    )
}

fn uncached(server: &str, args: &[&str]) -> Output {
    bbreport_env(
        &[&["--server", server, "--no-cache"][..], args].concat(),
        &[("BBREPORT_NOW", clock())],
    )
}

/// (requests, wire bytes) from the `--stats` line. Retries are not counted: the harness master
/// resets a connection now and then (see RETRY_PAUSE_CUT in src/api/client.rs), which says
/// nothing about what bbreport chose to ask.
fn cost(o: &Output) -> (u64, f64) {
    let err = stderr(o);
    let line = err
        .lines()
        .find(|l| l.contains(" requests") && l.contains(" received"))
        .unwrap_or_else(|| panic!("no --stats line in: {err}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let requests: u64 = words[1].parse().expect("request count");
    let retries: u64 = if line.contains("(1 was a retry)") {
        1
    } else {
        line.split(" were retries)")
            .next()
            .filter(|head| head.len() < line.len())
            .and_then(|head| head.rsplit('(').next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    let requests = requests - retries;
    let at = words
        .iter()
        .position(|w| w.starts_with("received"))
        .expect("received");
    let n: f64 = words[at - 2].parse().expect("bytes");
    let bytes = match words[at - 1] {
        "B" => n,
        "KiB" => n * 1024.0,
        "MiB" => n * 1_048_576.0,
        unit => panic!("unit {unit}"),
    };
    (requests, bytes)
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn the_cache_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = cache_files(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".sqlite3"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn warm_runs_give_the_uncached_reports_for_a_fraction_of_the_cost() {
    let m = live_manifest();
    let reports: &[&[&str]] = &[
        &["-q", "3.x"],
        &["-q"],
        &["-v", "3.14"],
        &["--format", "json", "release"],
        &["--format", "json", "release", "--rule", "dashboard"],
        &["--format", "json", "failures", "3.x"],
        &["--format", "json", "waterfall"],
        &["--format", "json", "console", "3.x"],
        &[
            "--format",
            "json",
            "build",
            "AMD64 Fedora Stable Clang 3.x",
            "4",
        ],
    ];
    for args in reports {
        let dir = tempfile::tempdir().expect("cache dir");
        let cold = run(&m.server, dir.path(), args);
        let warm = run(&m.server, dir.path(), args);
        let reference = uncached(&m.server, args);
        assert_eq!(code(&warm), code(&reference), "{args:?}: {}", stderr(&warm));
        assert_eq!(stdout(&cold), stdout(&reference), "{args:?} cold");
        assert_eq!(stdout(&warm), stdout(&reference), "{args:?} warm");
        assert!(
            !stderr(&warm).contains("warning"),
            "{args:?}: {}",
            stderr(&warm)
        );
        let ((cold_requests, cold_bytes), (warm_requests, warm_bytes)) = (cost(&cold), cost(&warm));
        assert!(
            warm_bytes <= cold_bytes,
            "{args:?}: warm {warm_bytes} B > cold {cold_bytes} B"
        );
        // Warm: the workers' state, the builds above the watermark, the running builds: about
        // 1 KB. Cold `-q` on the mini fleet is about 3.9 KB since its windows are bounded by
        // build id (it was 5-6 KB), so a third of it is the bound that says "a fraction".
        if args[0] == "-q" {
            assert!(warm_requests <= 3, "{args:?}: {warm_requests} requests");
            assert!(
                warm_bytes <= 0.34 * cold_bytes,
                "{args:?}: warm {warm_bytes} B vs cold {cold_bytes} B"
            );
        }
        if args.contains(&"failures") || args.contains(&"build") {
            // Steps and log lines of finished builds come from the cache.
            assert!(
                warm_requests < cold_requests,
                "{args:?}: {warm_requests} vs {cold_requests}"
            );
        }
    }
}

/// A run that read `got_revision` (console, `--id revision`) stores builds with it; a later run
/// that does not ask for it prints what an uncached run prints, revisions and all.
#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn revisions_stored_by_one_report_do_not_leak_into_another() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("cache dir");
    for first in [&["console", "3.x"][..], &["--id", "revision", "-v", "3.x"]] {
        let o = run(&m.server, dir.path(), first);
        assert_eq!(code(&o), 0, "{first:?}: {}", stderr(&o));
        for args in [
            &["--format", "json", "3.x"][..],
            &["-v", "3.x"],
            &["--format", "json", "waterfall", "3.x"],
        ] {
            let warm = run(&m.server, dir.path(), args);
            let reference = uncached(&m.server, args);
            assert_eq!(
                stdout(&warm),
                stdout(&reference),
                "{args:?} after {first:?}"
            );
        }
    }
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn offline_answers_from_the_cache_alone_and_says_what_it_lacks() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("cache dir");
    let empty = run(&m.server, dir.path(), &["--offline", "-q", "3.x"]);
    assert_eq!(code(&empty), 7, "{}", stderr(&empty));
    assert!(stderr(&empty).contains("no cache for this server yet"));
    assert!(stderr(&empty).contains("hint: run once without --offline"));

    let online = run(&m.server, dir.path(), &["--format", "json", "-q", "3.x"]);
    assert_eq!(code(&online), 0, "{}", stderr(&online));
    let offline = run(
        &m.server,
        dir.path(),
        &["--offline", "--format", "json", "-q", "3.x"],
    );
    assert_eq!(code(&offline), 0, "{}", stderr(&offline));
    assert_eq!(cost(&offline).0, 0, "no request offline");
    assert!(
        stderr(&offline).contains("offline: showing the cache as of"),
        "{}",
        stderr(&offline)
    );
    let (a, b) = (parse_summary(&online), parse_summary(&offline));
    assert_eq!((a.source.as_str(), b.source.as_str()), ("live", "cache"));
    assert!(b.recorded_at.is_some());
    // The same report but for where it came from.
    let body = |o: &Output| {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        for k in ["source", "recorded_at"] {
            v.as_object_mut().expect("object").remove(k);
        }
        v
    };
    assert_eq!(body(&online), body(&offline));

    // 3.14's builds were never read: nothing to show (exit 7); with 3.x, shown as missing
    // (exit 6). Nothing is made up.
    let none = run(&m.server, dir.path(), &["--offline", "-q", "3.14"]);
    assert_eq!(code(&none), 7, "{}", stderr(&none));
    assert!(stderr(&none).contains("not in the cache (--offline)"));
    let partial = run(&m.server, dir.path(), &["--offline", "-q", "3.x", "3.14"]);
    assert_eq!(code(&partial), 6, "{}", stderr(&partial));
    assert!(stderr(&partial).contains("in the cache (--offline)"));
    // A build's steps were never read.
    let build = run(
        &m.server,
        dir.path(),
        &["--offline", "build", "AMD64 Fedora Stable Clang 3.x", "4"],
    );
    assert_eq!(code(&build), 7, "{}", stderr(&build));
    assert!(stderr(&build).contains("not in the cache (--offline)"));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn concurrent_runs_share_one_cache() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("cache dir");
    let reference = uncached(&m.server, &["-q"]);
    let children: Vec<_> = (0..6)
        .map(|_| {
            let server = m.server.clone();
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || run(&server, &dir, &["-q"]))
        })
        .collect();
    for child in children {
        let o = child.join().expect("thread");
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&reference));
        assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    }
    let warm = run(&m.server, dir.path(), &["-q"]);
    assert_eq!(stdout(&warm), stdout(&reference));
    assert!(cost(&warm).0 <= 3, "{}", stderr(&warm));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn runs_killed_mid_write_leave_a_usable_cache() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("cache dir");
    let env = TestEnv::new();
    let reference = uncached(&m.server, &["-q"]);
    for i in 0..12u64 {
        // Killed at 0, 15, 30… ms: before, during and after its writes.
        let mut child = env
            .command()
            .env("BBREPORT_NOW", real_now())
            .env("BBREPORT_CACHE_DIR", dir.path())
            .args(["--server", m.server.as_str(), "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(i * 15));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    let after = run(&m.server, dir.path(), &["-q"]);
    assert_eq!(code(&after), 0, "{}", stderr(&after));
    assert_eq!(stdout(&after), stdout(&reference));
    assert!(!stderr(&after).contains("warning"), "{}", stderr(&after));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn a_corrupt_or_foreign_cache_file_is_set_aside_and_rebuilt() {
    let m = live_manifest();
    let reference = uncached(&m.server, &["-q", "3.x"]);
    for damage in ["garbage", "truncated"] {
        let dir = tempfile::tempdir().expect("cache dir");
        assert_eq!(code(&run(&m.server, dir.path(), &["-q", "3.x"])), 0);
        let file = the_cache_file(dir.path());
        for companion in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{companion}", file.display()));
        }
        match damage {
            "garbage" => std::fs::write(&file, b"not a database at all\n".repeat(500)),
            _ => {
                let bytes = std::fs::read(&file).expect("read");
                std::fs::write(&file, &bytes[..bytes.len() / 3])
            }
        }
        .expect("damage");
        let healed = run(&m.server, dir.path(), &["-q", "3.x"]);
        assert_eq!(code(&healed), 0, "{damage}: {}", stderr(&healed));
        assert_eq!(stdout(&healed), stdout(&reference), "{damage}");
        if damage == "garbage" {
            assert!(
                stderr(&healed).contains("moved it to"),
                "{damage}: {}",
                stderr(&healed)
            );
        }
        // Healed for good: the run after has no warning and reads the cache again.
        let next = run(&m.server, dir.path(), &["-q", "3.x"]);
        assert_eq!(stdout(&next), stdout(&reference), "{damage}");
        assert!(!stderr(&next).contains("warning"), "{}", stderr(&next));
        let cached = run(&m.server, dir.path(), &["-q", "3.x"]);
        assert!(cost(&cached).0 <= 3, "{damage}: {}", stderr(&cached));
    }
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn an_unusable_cache_directory_means_no_cache_not_a_failure() {
    let m = live_manifest();
    let not_a_dir = tempfile::NamedTempFile::new().expect("file");
    let dir = not_a_dir.path().join("cache");
    let o = run(&m.server, &dir, &["-q", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&uncached(&m.server, &["-q", "3.x"])));
    assert!(
        stderr(&o).contains("warning: cannot use the cache"),
        "{}",
        stderr(&o)
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn cache_info_and_clear() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("cache dir");
    let none = run(&m.server, dir.path(), &["cache", "info"]);
    assert_eq!(code(&none), 0);
    assert!(
        stdout(&none).starts_with("No cache for"),
        "{}",
        stdout(&none)
    );
    assert!(cache_files(dir.path()).is_empty(), "info creates nothing");

    assert_eq!(code(&run(&m.server, dir.path(), &["-q", "3.x"])), 0);
    let info = run(
        &m.server,
        dir.path(),
        &["--format", "json", "cache", "info"],
    );
    let v: crate::common::schemas::CacheInfoJson =
        serde_json::from_slice(&info.stdout).expect("cache info schema");
    assert_eq!((v.kind.as_str(), v.exists), ("cache", true));
    let contents = v.cache.expect("what the cache holds");
    let covered = contents.covered_builders as u64;
    let selected = m
        .builders
        .iter()
        .filter(|b| b.branch == "3.x" && !b.retired)
        .count() as u64;
    assert_eq!(covered, selected, "every selected 3.x builder is covered");
    assert!(contents.watermark.is_some());
    assert_eq!(contents.path, v.path);

    let clear = run(&m.server, dir.path(), &["cache", "clear"]);
    assert_eq!(code(&clear), 0);
    assert!(stdout(&clear).starts_with("Deleted "), "{}", stdout(&clear));
    assert!(
        cache_files(dir.path()).is_empty(),
        "{:?}",
        cache_files(dir.path())
    );
    let again = run(&m.server, dir.path(), &["cache", "clear"]);
    assert!(stdout(&again).starts_with("No cache for"));
}

// ---- The cache fleet: builds start and finish between runs. ----

fn cache_manifest() -> (Manifest, PathBuf) {
    let path = std::env::var("BBREPORT_TEST_CACHE_MANIFEST").expect(
        "BBREPORT_TEST_CACHE_MANIFEST is not set: run scripts/test.sh, which starts the masters",
    );
    let path = PathBuf::from(path);
    let state = path.parent().expect("state dir").to_path_buf();
    (load_manifest(&path), state)
}

/// Run a harness.py command on the cache fleet; its stdout (`change` prints the revision).
fn harness(state: &Path, args: &[&str]) -> String {
    let python = repo().join(".venv/bin/python");
    let out = Command::new(std::env::var_os("BBREPORT_VENV_PYTHON").unwrap_or(python.into()))
        .arg(repo().join("tests/harness/harness.py"))
        .args(args.iter().take(1))
        .arg(state)
        .args(args.iter().skip(1))
        .stderr(Stdio::inherit())
        .output()
        .expect("run harness.py");
    assert!(out.status.success(), "harness.py {args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn builder<'a>(s: &'a SummaryJson, name: &str) -> &'a BuilderJson {
    s.builders()
        .find(|b| b.name == name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn new_running_and_finished_builds_are_picked_up() {
    let (m, state) = cache_manifest();
    let dir = tempfile::tempdir().expect("cache dir");
    let summary = |cached: bool| {
        let args = ["--format", "json", "-q", "3.x"];
        let o = if cached {
            run(&m.server, dir.path(), &args)
        } else {
            uncached(&m.server, &args)
        };
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        o
    };
    let first = summary(true);
    let s = parse_summary(&first);
    let slow = "AMD64 Alpine Linux 3.x";
    let breaking = "AMD64 Fedora Stable 3.x";
    assert_eq!(
        builder(&s, slow).builds.len(),
        1,
        "the cache fleet is single-use: restart it (harness.py up STATE --fleet cache)"
    );
    assert_eq!(builder(&s, breaking).status.as_deref(), Some("success"));
    // The cron digest: the first run records, the next ones report changes.
    let digest = |extra: &[&str]| {
        let o = run(
            &m.server,
            dir.path(),
            &[&["--since-last-run"][..], extra, &["3.x"]].concat(),
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        stdout(&o)
    };
    assert!(digest(&[]).starts_with("First run"));
    assert_eq!(digest(&["--only-changes"]), "", "nothing changed");

    // `watch` polls through round 2 (stopped with SIGINT below).
    let watch_env = TestEnv::new();
    let watch = watch_env
        .command()
        .env("BBREPORT_NOW", real_now())
        .env("HOME", dir.path())
        .env("BBREPORT_CACHE_DIR", dir.path().join("watch"))
        .env("BBREPORT_LOG_REQUESTS", "1")
        .args([
            "--server",
            m.server.as_str(),
            "watch",
            "3.x",
            "--interval",
            "1",
            "--tests",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch");

    // Round 2: the Fedora builder breaks, the Alpine one compiles for 8 s.
    harness(&state, &["change", "3.x", "2"]);
    loop {
        let o = summary(false);
        if builder(&parse_summary(&o), slow).status.as_deref() == Some("building") {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    // The slow build runs for 8 s more: the cached run must show it running, as build 2. (The
    // other builder's build is not compared here: its state string changes from one second to
    // the next while it runs.)
    let warm = summary(true);
    let w = parse_summary(&warm);
    let running = builder(&w, slow);
    assert_eq!(running.status.as_deref(), Some("building"));
    assert_eq!(
        running
            .builds
            .iter()
            .map(|b| (b.number, b.running))
            .collect::<Vec<_>>(),
        [(2, true), (1, false)]
    );
    assert_eq!(
        builder(&w, breaking).builds[0].number,
        2,
        "its new build is listed"
    );
    let (requests, _) = cost(&warm);
    assert!(requests <= 3, "{}", stderr(&warm));

    harness(&state, &["wait", "2"]);
    let finished = summary(true);
    let reference = summary(false);
    assert_eq!(
        stdout(&finished),
        stdout(&reference),
        "the running build finished"
    );
    let s = parse_summary(&finished);
    assert_eq!(builder(&s, slow).status.as_deref(), Some("success"));
    assert_eq!(builder(&s, slow).builds.len(), 2);
    assert_eq!(builder(&s, breaking).status.as_deref(), Some("unstable"));
    // The finished build is cached now: one more run reads no build at all.
    let again = summary(true);
    assert_eq!(stdout(&again), stdout(&reference));

    // watch saw the same change, once, and stops cleanly on Ctrl-C.
    std::thread::sleep(Duration::from_secs(2));
    let interrupted = Command::new("kill")
        .args(["-INT", &watch.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let watched = watch.wait_with_output().expect("watch output");
    assert_eq!(watched.status.code(), Some(130), "{}", stderr(&watched));
    let seen = stdout(&watched);
    let lines: Vec<&str> = seen.lines().collect();
    assert_eq!(lines.len(), 3, "{seen}\nstderr: {}", stderr(&watched));
    assert!(
        lines[0].ends_with("watching 2 builders (3.x) every 1 s: 0 failing, 0 offline"),
        "{seen}"
    );
    assert!(
        lines[1].contains("  AMD64 Fedora Stable 3.x  went red (build 2: failed test)  http"),
        "{seen}"
    );
    // --tests: the test that broke, read from the failed build's log.
    assert!(
        lines[2].contains("  AMD64 Fedora Stable 3.x  new failing test: test_bbr_broken (build 2)"),
        "{seen}"
    );
    assert!(
        stderr(&watched)
            .lines()
            .all(|l| l.starts_with("bbreport: GET ")),
        "{}",
        stderr(&watched)
    );

    // The digest names the one change, once.
    let news = digest(&["--only-changes"]);
    let lines: Vec<&str> = news.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{news}");
    assert!(lines[0].starts_with("Changes since the last run"), "{news}");
    assert!(
        lines[1].starts_with("new failure  AMD64 Fedora Stable 3.x  build 2: failed test  http"),
        "{news}"
    );
    assert_eq!(digest(&["--only-changes"]), "", "reported once");
    let j: crate::common::schemas::DigestJson =
        serde_json::from_str(&digest(&["--format", "json"])).expect("digest schema");
    assert_eq!(j.kind, "digest");
    assert!(j.previous_at.is_some());
    assert_eq!(j.changes.len(), 0);
    assert_eq!(j.still_failing[0].name, breaking);
    assert!(
        j.still_failing[0].url.contains("/#/builders/"),
        "{:?}",
        j.still_failing
    );

    // Round 3 fixes the Fedora builder: `watch --until-complete` follows the commit until its
    // release-blocking builder (Fedora, tier-1) has built it, then gives the release verdict.
    let rev = harness(&state, &["change", "3.x", "3"]);
    assert_eq!(rev.len(), 40, "{rev}");
    let until_env = TestEnv::new();
    let mut until = until_env
        .command()
        .env("BBREPORT_NOW", real_now())
        .env("HOME", dir.path())
        .env("BBREPORT_CACHE_DIR", dir.path())
        .args([
            "--server",
            m.server.as_str(),
            "watch",
            "3.x",
            "--interval",
            "1",
        ])
        .args(["--until-complete", &rev[..12]])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch --until-complete");
    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    while until.try_wait().expect("poll").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = until.kill();
            panic!("watch --until-complete did not finish");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let o = until.wait_with_output().expect("output");
    let text = stdout(&o);
    assert_eq!(code(&o), 0, "{text}\n{}", stderr(&o));
    assert!(
        text.contains(&format!(
            "1 of 1 release-blocking builders finished {}",
            &rev[..10]
        )),
        "{text}"
    );
    assert!(text.contains("Releasable"), "{text}");
}
