//! What a new user hits about data (issue 13): how old it is, how deep it goes, which branch a
//! commit is on, exit codes that say a report is incomplete or a local file could not be
//! written, and `--offline` after an online run. Each test is a run of the binary with its
//! exact command, the fragment of output that matters and the exit code.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::stub::{Reply, fleet_pages, json, serve};
use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

/// `recorded_at` of the shipped snapshot (its meta.json): 2026-11-30 14:30 UTC.
const RECORDED_AT: i64 = 1_796_049_001;

/// "Now" eight days and a minute after the shipped snapshot was recorded.
fn eight_days_later() -> String {
    (RECORDED_AT + 8 * 86_400 + 60).to_string()
}

const RECORDED_LINE: &str =
    "Data recorded 2026-11-30 14:30 UTC (8 days ago) from http://127.0.0.1:36573/";

/// A master with one stable tier-1 builder on 3.x ("Builder1 3.x", id 1) whose only build, #1
/// (buildid 101), failed its test step; the step's stdio log is a real failing regrtest run.
/// `steps_fail`: the steps endpoint answers 500 (a test log that cannot be read) while set.
struct SmallMaster {
    url: String,
    steps_fail: Arc<AtomicBool>,
}

const BUILD: &str = r#"{"buildid":101,"builderid":1,"number":1,"results":2,"complete":true,"started_at":1795399000,"complete_at":1795399500,"state_string":"failed test (failure)","properties":{"got_revision":["8a163284d6def42f01fd4858f2e012d7f9ec74a4","Git"]}}"#;

fn small_master() -> SmallMaster {
    let (builders, workers) = fleet_pages(1);
    let log: String = std::fs::read_to_string(repo().join("tests/fixtures/logs/fail.txt"))
        .expect("log fixture")
        .lines()
        .map(|l| format!("o{l}\n"))
        .collect();
    let lines = log.lines().count();
    let steps_fail = Arc::new(AtomicBool::new(false));
    let failing = Arc::clone(&steps_fail);
    let builds = format!(r#"{{"builds":[{BUILD}],"meta":{{"total":1}}}}"#);
    let url = serve(move |path| {
        let p = path.trim_start_matches("/api/v2/");
        if p.starts_with("builders/1/builds/1?") || p.starts_with("builders/1/builds?") {
            json(&builds)
        } else if p.starts_with("builders") {
            json(&builders)
        } else if p.starts_with("workers") {
            json(&workers)
        } else if p.starts_with("builds/101/steps") {
            if failing.load(Ordering::SeqCst) {
                Reply::Body(500, "text/plain", b"internal error".to_vec())
            } else {
                json(
                    r#"{"steps":[{"stepid":1001,"number":0,"name":"test","results":2,"complete":true,"state_string":"test (failure)"}]}"#,
                )
            }
        } else if p.starts_with("steps/1001/logs") {
            json(&format!(
                r#"{{"logs":[{{"logid":5001,"name":"stdio","slug":"stdio","num_lines":{lines},"type":"s","complete":true}}]}}"#
            ))
        } else if p.starts_with("logs/5001/contents") {
            json(
                &serde_json::json!({"logchunks": [{"firstline": 0, "content": log}]})
                    .to_string(),
            )
        } else if p.starts_with("builds") {
            json(&builds)
        } else if p.starts_with("changes") {
            json(r#"{"changes":[],"meta":{"total":0}}"#)
        } else {
            Reply::Body(404, "text/plain", b"not found".to_vec())
        }
    })
    .url;
    SmallMaster { url, steps_fail }
}

// ---- Old data looks current ----

#[test]
fn every_report_from_old_data_says_when_it_was_recorded() {
    let now = eight_days_later();
    let env = [("BBREPORT_NOW", now.as_str())];
    // Before: "[ok] Releasable" from 8-day-old data, with no date anywhere.
    let o = bbreport_env(&["--snapshot", &snap(), "release", "3.13"], &env);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("{RECORDED_LINE}\nRelease readiness")),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("3.13  [ok] Releasable"));
    assert!(
        stderr(&o).contains(
            "bbreport: snapshot: showing data recorded 2026-11-30 14:30 UTC (8 days ago) from http://127.0.0.1:36573/"
        ),
        "{}",
        stderr(&o)
    );
    // Every report, in every format a person reads.
    let snap = snap();
    for report in [
        &["release", "3.13"][..],
        &["-q", "3.x"],
        &["waterfall", "3.x"],
        &["console", "3.x"],
    ] {
        for (format, expected) in [
            ("plain", RECORDED_LINE.to_string()),
            ("table", RECORDED_LINE.to_string()),
            ("markdown", format!("_{RECORDED_LINE}_\n")),
            ("html", format!("<p><em>{RECORDED_LINE}</em></p>")),
        ] {
            let args = [&["--snapshot", &snap, "--format", format][..], report].concat();
            let o = bbreport_env(&args, &[("BBREPORT_NOW", &now), ("COLUMNS", "120")]);
            assert!(stdout(&o).contains(&expected), "{args:?}: {}", stdout(&o));
        }
        // JSON has it as fields, not as a line.
        let args = [&["--snapshot", &snap, "--format", "json"][..], report].concat();
        let o = bbreport_env(&args, &env);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(v["recorded_at"], RECORDED_AT, "{args:?}");
        assert_eq!(v["source"], "snapshot");
    }
}

#[test]
fn an_offline_report_says_when_the_cache_last_heard_from_the_server() {
    let m = small_master();
    let env = TestEnv::new();
    let online = env.run(&["--server", &m.url, "-q", "3.x"], &[]);
    assert_eq!(code(&online), 0, "{}", stderr(&online));
    assert!(
        !stdout(&online).contains("Data recorded"),
        "live data is current"
    );
    let later = (1_796_125_780 + 3 * 3600).to_string();
    let o = env.run(
        &["--server", &m.url, "--offline", "-q", "3.x"],
        &[("BBREPORT_NOW", &later)],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!(
            "Data recorded 2026-12-01 11:49 UTC (3 h ago) from {} (--offline)\n",
            m.url
        )),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o)
            .contains("bbreport: offline: showing the cache as of 2026-12-01 11:49 UTC (3 h ago)"),
        "{}",
        stderr(&o)
    );
}

// ---- A snapshot with fewer builds than asked for ----

/// A copy of the shipped snapshot holding only each builder's 3 newest builds, as
/// `bbreport snapshot DIR --builds 3` would have recorded it.
fn shallow_snapshot(env: &TestEnv) -> String {
    let dir = env.path().join("shallow");
    std::fs::create_dir(&dir).expect("mkdir");
    for file in ["builders.json", "workers.json", "changes.json"] {
        std::fs::copy(fixture_snapshot().join(file), dir.join(file)).expect("copy");
    }
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(fixture_snapshot().join(f)).expect("read"))
            .expect("JSON")
    };
    let mut meta = read("meta.json");
    meta["builds_per_builder"] = 3.into();
    let mut builds = read("builds.json");
    let mut kept: Vec<serde_json::Value> = Vec::new();
    let mut all = builds["builds"].as_array().expect("builds").clone();
    all.sort_by_key(|b| std::cmp::Reverse(b["buildid"].as_u64()));
    for b in all {
        if kept
            .iter()
            .filter(|k| k["builderid"] == b["builderid"])
            .count()
            < 3
        {
            kept.push(b);
        }
    }
    builds["meta"]["total"] = kept.len().into();
    builds["builds"] = kept.into();
    std::fs::write(dir.join("meta.json"), meta.to_string()).expect("write");
    std::fs::write(dir.join("builds.json"), builds.to_string()).expect("write");
    dir.to_str().expect("utf-8").to_string()
}

#[test]
fn asking_a_snapshot_for_more_builds_than_it_holds_exits_7_in_every_command() {
    let env = TestEnv::new();
    let shallow = shallow_snapshot(&env);
    for (args, asked, flag) in [
        (&["-l", "4", "-q", "3.x"][..], "--builds 4", "--builds"),
        (&["waterfall", "-l", "4", "3.x"], "--builds 4", "--builds"),
        (&["console", "-l", "4", "3.x"], "--limit 4", "--limit"),
        // Before: judged silently from 3 builds, exit 0.
        (
            &["release", "--builds", "4", "3.13"],
            "--builds 4",
            "--builds",
        ),
    ] {
        let o = env.run(&[&["--snapshot", &shallow][..], args].concat(), &[]);
        assert_eq!(code(&o), 7, "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!(
                "bbreport: error: cannot use snapshot {shallow}: it holds 3 builds per builder, fewer than {asked}\n\
                 hint: use {flag} 3 or less, or record a deeper snapshot: bbreport --server URL snapshot DIR --builds 4\n"
            ),
            "{args:?}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
    // The config's values are requests too; the message names the file.
    for (config, args, asked) in [
        ("limit = 4\n", &["-q", "3.x"][..], "limit = 4 in "),
        (
            "[release]\nbuilds = 5\n",
            &["release", "3.13"],
            "release.builds = 5 in ",
        ),
    ] {
        let path = env.path().join("config.toml");
        std::fs::write(&path, config).expect("config");
        let path = path.to_str().expect("utf-8");
        let o = env.run(
            &[&["--config", path, "--snapshot", &shallow][..], args].concat(),
            &[],
        );
        assert_eq!(code(&o), 7, "{config:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("fewer than {asked}{path}\n")),
            "{config:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn release_on_a_snapshot_shallower_than_its_default_says_so() {
    let env = TestEnv::new();
    let shallow = shallow_snapshot(&env);
    let note = "Judged from the 3 builds per builder the data holds, not the default 10: a failing streak may go back further.";
    let o = env.run(
        &["--snapshot", &shallow, "release", "3.13"],
        &[("COLUMNS", "200")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("\n{note}\n")),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("3.13  [ok] Releasable"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains(
            "bbreport: judged from the 3 builds per builder the data holds, not the default 10"
        ),
        "{}",
        stderr(&o)
    );
    let o = env.run(
        &[
            "--snapshot",
            &shallow,
            "--format",
            "markdown",
            "release",
            "3.13",
        ],
        &[],
    );
    assert!(stdout(&o).contains(&format!("_{note}_")), "{}", stdout(&o));
    let json = parse_release(&env.run(
        &[
            "--snapshot",
            &shallow,
            "--format",
            "json",
            "release",
            "3.13",
        ],
        &[],
    ));
    assert_eq!(
        json.shallow,
        Some(ShallowJson {
            builds_per_builder: 3,
            default: 10
        })
    );
    // The shipped snapshot holds 10: nothing to say.
    let o = bbreport(&["--snapshot", &snap(), "release", "3.13"]);
    assert!(!stdout(&o).contains("Judged from"), "{}", stdout(&o));
    let json = parse_release(&bbreport(&[
        "--snapshot",
        &snap(),
        "--format",
        "json",
        "release",
        "3.13",
    ]));
    assert_eq!(json.shallow, None);
    // A default the snapshot cannot meet is capped, not refused: the summary shows 3 builds.
    let o = env.run(
        &[
            "--snapshot",
            &shallow,
            "-q",
            "-n",
            "AMD64 Alpine Linux 3.x",
            "3.x",
        ],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("success    ~ 4, _ 3, ~ 2\n"),
        "{}",
        stdout(&o)
    );
}

// ---- release --at a commit of another branch ----

#[test]
fn release_at_a_commit_of_another_branch_names_its_branch() {
    // a53cb5bff6 was built by the 3.13 builders of the shipped snapshot. Before: the 8 blocking
    // builders of 3.x "have not built this revision yet", Unknown, exit 12.
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "release",
        "3.x",
        "--at",
        "a53cb5bff6",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "bbreport: error: commit a53cb5bff6 is on branch 3.13, not 3.x: builders of 3.x will never build it\n\
         hint: judge it on its branch: bbreport release 3.13 --at a53cb5bff6\n"
    );
    assert!(stdout(&o).is_empty());
    // Its own branch, named or not, is judged.
    for args in [
        &["release", "3.13", "--at", "a53cb5bff6"][..],
        &["release", "--at", "a53cb5bff6"],
    ] {
        let o = bbreport(&[&["--snapshot", &snap()][..], args].concat());
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("3.13  [ok] Releasable"),
            "{}",
            stdout(&o)
        );
    }
    // Among several branches, the ones it is not on are named.
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "release",
        "3.x",
        "3.14",
        "3.13",
        "--at",
        "a53cb5bff6",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is on branch 3.13, not 3.x, 3.14:"),
        "{}",
        stderr(&o)
    );
}

// ---- Exit codes ----

#[test]
fn tests_flag_with_a_test_log_that_cannot_be_read_is_incomplete() {
    let m = small_master();
    // Readable: the failing test is named, exit 0.
    let o = bbreport(&["--server", &m.url, "--no-cache", "-q", "--tests", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("test_bbr_broken"), "{}", stdout(&o));
    // Unreadable. Before: the same report without the tests, exit 0.
    m.steps_fail.store(true, Ordering::SeqCst);
    let o = bbreport(&["--server", &m.url, "--no-cache", "-q", "--tests", "3.x"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("bbreport: warning: could not read the test log of Builder1 3.x: HTTP 500"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("# Builder1 3.x"),
        "the report is printed: {}",
        stdout(&o)
    );
    // release: the verdict's code stands (test logs are read only for builders that move it).
    let o = bbreport(&[
        "--server",
        &m.url,
        "--no-cache",
        "release",
        "--tests",
        "3.x",
    ]);
    assert!(
        stderr(&o).contains("could not read the test log of Builder1 3.x"),
        "{}",
        stderr(&o)
    );
    assert_eq!(code(&o), 11, "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn snapshot_user_errors_are_usage_errors_and_write_failures_exit_8() {
    let m = small_master();
    let env = TestEnv::new();
    let at = |name: &str| env.path().join(name).to_str().expect("utf-8").to_string();
    std::fs::write(at("a-file"), "").expect("file");
    std::fs::create_dir(at("notes")).expect("dir");
    std::fs::write(at("notes/todo.txt"), "keep me").expect("file");
    // Before: exit 1 ("internal error") for the first two, and the third wrote the snapshot's
    // files among the notes.
    for (dir, message) in [
        (
            at("a-file"),
            format!("{0}: {0} is not a directory", at("a-file")),
        ),
        (
            at("a-file/snap"),
            format!("{}: {} is not a directory", at("a-file/snap"), at("a-file")),
        ),
        (
            at("notes"),
            format!(
                "{}: it is not empty, and holds no snapshot (no meta.json)",
                at("notes")
            ),
        ),
    ] {
        let o = env.run(&["--server", &m.url, "snapshot", &dir], &[]);
        assert_eq!(code(&o), 2, "{dir}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!(
                "bbreport: error: cannot record a snapshot into {message}\n\
                 hint: give a new or empty directory, or an existing snapshot's directory to replace it\n"
            )
        );
    }
    assert_eq!(
        std::fs::read_dir(at("notes")).expect("notes").count(),
        1,
        "nothing written among the notes"
    );
    // Before: exit 7, "not in the cache".
    let o = env.run(
        &["--server", &m.url, "--offline", "snapshot", &at("new")],
        &[],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("hint: drop --offline\n"),
        "{}",
        stderr(&o)
    );
    // A new directory, then the same one again (a snapshot is replaced): fine.
    for _ in 0..2 {
        let o = env.run(&["--server", &m.url, "snapshot", &at("new")], &[]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    // A file that cannot be replaced (here a directory in the way): exit 9, not 1.
    std::fs::remove_file(at("new/builders.json")).expect("rm");
    std::fs::create_dir(at("new/builders.json")).expect("in the way");
    std::fs::write(at("new/builders.json/x"), "").expect("file");
    let o = env.run(&["--server", &m.url, "snapshot", &at("new")], &[]);
    assert_eq!(code(&o), 9, "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(&format!(
            "bbreport: error: cannot write {}: ",
            at("new/builders.json")
        )),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(&format!(
            "hint: check the permissions and free space of {}, or choose another place\n",
            at("new")
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn since_last_run_with_an_unusable_cache_names_it() {
    let m = small_master();
    let env = TestEnv::new();
    let file = env.path().join("a-file");
    std::fs::write(&file, "").expect("file");
    let cache_dir = file.join("cache");
    let cache_dir = cache_dir.to_str().expect("utf-8");
    // Before: exit 2, "which this run does not use", hint "drop --no-cache, --offline or
    // --snapshot".
    let o = env.run(
        &["--server", &m.url, "--since-last-run", "3.x"],
        &[("BBREPORT_CACHE_DIR", cache_dir)],
    );
    assert_eq!(code(&o), 9, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "bbreport: error: --since-last-run keeps its state in the cache, and the cache {cache_dir}/"
        )) && err.contains(" cannot be used: Not a directory (os error 20)\n"),
        "{err}"
    );
    assert!(
        err.ends_with(&format!(
            "hint: make {cache_dir} a writable directory, or set BBREPORT_CACHE_DIR to one\n"
        )),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    // Ruled out on the command line: a usage error whose hint is the flag to drop.
    let filled = env.run(&["--server", &m.url, "-q", "3.x"], &[]);
    assert_eq!(code(&filled), 0, "{}", stderr(&filled));
    for (flag, hint) in [
        ("--no-cache", "drop --no-cache"),
        ("--offline", "drop --offline"),
    ] {
        let o = env.run(&["--server", &m.url, flag, "--since-last-run", "3.x"], &[]);
        assert_eq!(code(&o), 2, "{flag}: {}", stderr(&o));
        assert!(
            stderr(&o).ends_with(&format!("hint: {hint}\n")),
            "{}",
            stderr(&o)
        );
    }
}

// ---- --offline after an online run ----

#[test]
fn offline_build_and_repro_show_a_build_an_online_run_read() {
    let m = small_master();
    let env = TestEnv::new();
    for args in [
        &["build", "Builder1 3.x", "1"][..],
        &["repro", "Builder1 3.x", "1"],
    ] {
        let online = env.run(&[&["--server", &m.url][..], args].concat(), &[]);
        assert_eq!(code(&online), 0, "{args:?}: {}", stderr(&online));
        // Before: "not in the cache (--offline)" for the build itself, exit 7.
        let offline = env.run(
            &[&["--server", &m.url, "--offline"][..], args].concat(),
            &[],
        );
        assert_eq!(code(&offline), 0, "{args:?}: {}", stderr(&offline));
        let (on, off) = (stdout(&online), stdout(&offline));
        assert!(
            off.ends_with(&on),
            "{args:?}: the same report, from the cache:\n{off}\nonline:\n{on}"
        );
        assert!(
            off.starts_with(&format!(
                "Data from {}, as earlier runs cached it (--offline)\n",
                m.url
            )),
            "{args:?}: {off}"
        );
    }
    // What no online run read is still refused: build 2 was never asked for.
    let o = env.run(
        &[
            "--server",
            &m.url,
            "--offline",
            "build",
            "Builder1 3.x",
            "2",
        ],
        &[],
    );
    assert_eq!(code(&o), 7, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not in the cache (--offline)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_summary_judged_from_a_shallow_snapshot_says_so() {
    let env = TestEnv::new();
    let shallow = shallow_snapshot(&env);
    // The default is 4 builds per builder; the snapshot holds 3.
    let o = env.run(&["--snapshot", &shallow, "-q", "3.x"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let note = "Judged from the 3 builds per builder the data holds, not the default 4.";
    assert!(stdout(&o).contains(note), "{}", stdout(&o));
    assert!(
        stderr(&o)
            .contains("judged from the 3 builds per builder the data holds, not the default 4"),
        "{}",
        stderr(&o)
    );
    let o = env.run(&["--snapshot", &shallow, "--format", "json", "3.x"], &[]);
    let v = parse_summary(&o);
    let s = v.shallow.expect("shallow in the JSON");
    assert_eq!((s.builds_per_builder, s.default), (3, 4));
}
