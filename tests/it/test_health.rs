//! `bbreport tests` and `bbreport test NAME` on a fake master serving real regrtest logs
//! (`common::fake_master`): histories the harness's fleet does not have (a deleted log, an
//! unreadable one), every format, and that a second run reads no log again.

use serde_json::Value;

use crate::common::fake_master::{Build, Builder, Steps, log, serve_master};
use crate::common::*;

fn tagged(id: u32, name: &str, extra: &[&str]) -> Builder {
    let mut b = Builder::new(id, name);
    b.tags.extend(extra.iter().map(|t| t.to_string()));
    b
}

/// Builds #1.. of a builder, oldest first: P pass, W test_bbr_flaky passed on re-run, F
/// test_bbr_broken fails, L test_bbr_leak leaks, D a full disk, E an exception in the test
/// step, G the test log deleted, U the test log unreadable, C a compile error.
fn history(builderid: u32, scenario: &str) -> Vec<Build> {
    scenario
        .chars()
        .zip(1..)
        .map(|(c, n)| match c {
            'W' => Build::warnings(builderid, n, log("flaky.txt")),
            'F' => Build::fail(builderid, n, log("fail.txt")),
            'L' => Build::fail(builderid, n, log("leak.txt")),
            'D' => Build::fail(builderid, n, log("diskfull.txt")),
            'E' => Build::exception_in_test(builderid, n, log("pass.txt")),
            'G' => Build {
                steps: Steps::TestLogDeleted(2, 1200),
                ..Build::fail(builderid, n, String::new())
            },
            'U' => Build {
                steps: Steps::TestLogUnreadable(2, 1200),
                ..Build::fail(builderid, n, String::new())
            },
            'C' => Build::compile_failed(builderid, n),
            _ => Build::pass(builderid, n),
        })
        .collect()
}

/// The fleet: test_bbr_flaky flaky on three builders, test_bbr_leak on the two refleak ones,
/// test_bbr_broken persistent on one, and one builder of infrastructure failures.
fn fleet(unreadable: bool) -> String {
    let builders = vec![
        tagged(1, "AMD64 Alpha 3.x", &[]),
        tagged(2, "AMD64 Beta 3.x", &["clang"]),
        tagged(3, "AMD64 Gamma 3.x", &[]),
        tagged(4, "AMD64 Alpha Refleaks 3.x", &["refleak"]),
        tagged(5, "AMD64 Beta Refleaks 3.x", &["refleak"]),
        tagged(6, "ARM Broken 3.x", &[]),
        tagged(7, "AMD64 Infra 3.x", &[]),
    ];
    let infra = if unreadable { "PDEGUC" } else { "PDEGPC" };
    let mut builds = Vec::new();
    for (id, scenario) in [
        (1, "WPWP"),
        (2, "PPWP"),
        (3, "FPPW"),
        (4, "PLPL"),
        (5, "PPLP"),
        (6, "PPFF"),
        (7, infra),
    ] {
        builds.extend(history(id, scenario));
    }
    serve_master(builders, builds)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn test_named<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .find(|t| t["test"] == name)
        .unwrap_or_else(|| panic!("no {name} in {report}"))
}

#[test]
fn tests_counts_flaky_persistent_refleak_only_and_infrastructure_apart() {
    let url = fleet(false);
    let o = bbreport(&["--server", &url, "--format", "json", "tests", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["kind"], "tests");
    assert_eq!(r["window"]["days"], 7);
    assert_eq!(r["builders"], 7);
    let names: Vec<&str> = r["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| t["test"].as_str().expect("name"))
        .collect();
    // By failures: flaky 4 (on 3 builders), then broken and leak, 3 each on 2 builders, by name.
    assert_eq!(
        names,
        ["test_bbr_flaky", "test_bbr_broken", "test_bbr_leak"]
    );

    let flaky = test_named(&r, "test_bbr_flaky");
    assert_eq!(flaky["class"], "flaky");
    assert_eq!(
        (flaky["failures"].as_u64(), flaky["flaky"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(flaky["builders"].as_array().map(Vec::len), Some(3));

    let broken = test_named(&r, "test_bbr_broken");
    assert_eq!(broken["class"], "persistent");
    // Gamma's #1 failure was followed by a pass, but nothing ran before it (the window's
    // oldest build): not called flaky; ARM Broken's two are persistent.
    assert_eq!(
        (broken["failures"].as_u64(), broken["flaky"].as_u64()),
        (Some(3), Some(0))
    );
    let arm = &broken["builders"][0];
    assert_eq!(arm["builder"], "ARM Broken 3.x");
    assert_eq!(arm["failing_since"], 3);

    let leak = test_named(&r, "test_bbr_leak");
    assert_eq!(leak["shared_tags"], serde_json::json!(["refleak"]));
    assert_eq!(leak["class"], "flaky");

    // Infrastructure: a full disk, an exception in the test step, a deleted log; the compile
    // error is no one's (not run); test_bbr_diskfull is counted against nobody.
    let infra = &r["infrastructure"];
    let count = |kind: &str| {
        infra["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["kind"] == kind)
            .and_then(|c| c["builds"].as_u64())
    };
    assert_eq!(count("resources"), Some(1));
    assert_eq!(count("test_step_exception"), Some(1));
    assert_eq!(count("log_deleted"), Some(1));
    assert_eq!(count("log_unreadable"), Some(0));
    assert!(!names.contains(&"test_bbr_diskfull"), "{names:?}");
    let disk = infra["builds"]
        .as_array()
        .expect("builds")
        .iter()
        .find(|b| b["kind"] == "resources")
        .expect("the full disk");
    assert_eq!(disk["tests"], serde_json::json!(["test_bbr_diskfull"]));
    assert_eq!(disk["number"], 2);
}

#[test]
fn an_unreadable_log_is_infrastructure_and_makes_the_run_incomplete() {
    let url = fleet(true);
    let o = bbreport(&["--server", &url, "--format", "json", "tests", "3.x"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("could not read the test log"),
        "{}",
        stderr(&o)
    );
    let r = json(&o);
    assert_eq!(r["logs_unreadable"], 1);
}

#[test]
fn a_second_run_reads_no_log_and_offline_answers_the_same() {
    let url = fleet(false);
    let env = TestEnv::new();
    let args = ["--server", &url, "--format", "json", "tests", "3.x"];
    let log_requests = [("BBREPORT_LOG_REQUESTS", "1")];
    let cold = env.run(&args, &log_requests);
    assert_eq!(code(&cold), 0, "{}", stderr(&cold));
    assert!(stderr(&cold).contains("/contents"), "{}", stderr(&cold));
    let warm = env.run(&args, &log_requests);
    assert_eq!(code(&warm), 0, "{}", stderr(&warm));
    for word in ["/contents", "/steps", "/logs"] {
        assert!(!stderr(&warm).contains(word), "{word}: {}", stderr(&warm));
    }
    let offline = env.run(
        &[
            "--server",
            &url,
            "--offline",
            "--format",
            "json",
            "tests",
            "3.x",
        ],
        &[],
    );
    assert_eq!(code(&offline), 0, "{}", stderr(&offline));
    let (c, w, f) = (json(&cold), json(&warm), json(&offline));
    assert_eq!(c["tests"], w["tests"]);
    assert_eq!(c["tests"], f["tests"]);
    assert_eq!(c["infrastructure"], f["infrastructure"]);
    assert_eq!(f["source"], "cache");
}

#[test]
fn test_name_shows_a_timeline_per_builder_messages_and_the_latest_failures_repro() {
    let url = fleet(false);
    let o = bbreport(&[
        "--server",
        &url,
        "--format",
        "json",
        "test",
        "test_bbr_broken",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["kind"], "test");
    assert_eq!(r["class"], "persistent");
    let arm = &r["builders"][0];
    let cells: Vec<&str> = arm["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|t| t["cell"].as_str().expect("cell"))
        .collect();
    assert_eq!(cells, ["failed", "failed", "passed", "passed"]);
    assert!(
        r["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .any(|m| m["message"]
                .as_str()
                .is_some_and(|s| s.contains("test_bbr_broken"))),
        "{}",
        r["messages"]
    );
    let repro = &r["repro"];
    assert_eq!(repro["builder"], "ARM Broken 3.x");
    assert_eq!(repro["number"], 4);
    assert_eq!(repro["target"], "test_bbr_broken");
    assert!(
        repro["alone"]
            .as_str()
            .is_some_and(|a| a.contains("test_bbr_broken"))
    );

    // Text: the waterfall's glyphs, oldest build left.
    let o = bbreport(&[
        "--server",
        &url,
        "--format",
        "plain",
        "test",
        "test_bbr_broken",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("  ✔✔✘✘  ARM Broken 3.x: 2 failed, 0 flaky, failing since #3"),
        "{out}"
    );
    assert!(out.contains("Latest failure: ARM Broken 3.x #4"), "{out}");
}

#[test]
fn a_test_no_build_failed_says_so() {
    let url = fleet(false);
    let o = bbreport(&["--server", &url, "--format", "plain", "test", "test_os"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("no build of the 7 builders failed it"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn every_format_renders_and_markdown_links_the_builds() {
    let url = fleet(false);
    for format in ["plain", "table", "markdown", "html"] {
        let o = bbreport(&["--server", &url, "--format", format, "tests", "3.x"]);
        assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("test_bbr_flaky"),
            "{format}: {}",
            stdout(&o)
        );
    }
    let o = bbreport(&["--server", &url, "--format", "markdown", "tests", "3.x"]);
    assert!(
        stdout(&o).contains("/#/builders/6/builds/4)"),
        "{}",
        stdout(&o)
    );
    let o = bbreport(&["--server", &url, "--format", "plain", "tests", "3.x"]);
    assert!(
        stdout(&o)
            .contains("Infrastructure failures (counted apart, never against a test): 3 builds"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let o = bbreport(&["tests", "--days", "3", "--builds", "4"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = bbreport(&["test", "test os"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("is not a test name"), "{}", stderr(&o));
}
