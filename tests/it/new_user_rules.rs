//! Output that says more than the data, or says it wrong (issue 13): the rules of `failures`,
//! one meaning of "failing" in every report, and the digest's "failing since". Each is a run of
//! the binary with its exact command, the fragment of output that matters and the exit code.
//!
//! The histories come from a fake master (`common::fake_master`, real regrtest logs): neither
//! the harness's master nor the snapshot recorded from it has these histories.

use crate::common::fake_master::{Build, Builder, log, serve_master, started_at};
use crate::common::*;

/// `bbreport --server URL ARGS...` in a fresh hermetic environment.
fn run(url: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--server", url];
    all.extend_from_slice(args);
    bbreport(&all)
}

/// Builder 1's builds #1..#4, failing test_bbr_broken where `scenario` says F (oldest first).
fn history(scenario: &str) -> Vec<Build> {
    history_of(1, scenario)
}

/// A builder's builds from #1, failing test_bbr_broken where `scenario` says F (oldest first).
fn history_of(builderid: u32, scenario: &str) -> Vec<Build> {
    scenario
        .chars()
        .zip(1..)
        .map(|(c, n)| match c {
            'F' => Build::fail(builderid, n, log("fail.txt")),
            _ => Build::pass(builderid, n),
        })
        .collect()
}

fn failures_of(builders: Vec<Builder>, builds: Vec<Build>) -> (String, i32) {
    let url = serve_master(builders, builds);
    let o = run(&url, &["--format", "plain", "failures", "3.x"]);
    assert_eq!(stderr(&o), "", "{}", stdout(&o));
    (stdout(&o), code(&o))
}

#[test]
fn a_test_the_newest_builds_passed_is_not_failing_since_its_old_failure() {
    // #1 and #2 failed test_bbr_broken, #3 and #4 passed it.
    let (out, exit) = failures_of(
        vec![Builder::new(1, "AMD64 Recovered 3.x")],
        history("FFPP"),
    );
    assert_eq!(exit, 0);
    assert!(
        out.contains(
            "\ntest_bbr_broken  flaky, 1 builder\n    AMD64 Recovered 3.x  #2, #1  (passing since #3)\n"
        ),
        "{out}"
    );
    assert!(!out.contains("failing since"), "{out}");
}

#[test]
fn a_test_failing_the_newest_builds_in_a_row_is_persistent_as_release_says() {
    let builders = vec![Builder::new(1, "AMD64 Persistent 3.x")];
    // #2, #3 and #4 failed it, #1 passed.
    let (out, exit) = failures_of(builders.clone(), history("PFFF"));
    assert_eq!(exit, 0);
    assert!(
        out.contains(
            "\ntest_bbr_broken  persistent on one builder\n    AMD64 Persistent 3.x  #4, #3, #2  (failing since #2)\n"
        ),
        "{out}"
    );
    // release judges the same builder by the same count: persistent, failed 3 in a row.
    let url = serve_master(builders, history("PFFF"));
    let o = run(&url, &["--format", "plain", "release", "3.x"]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("AMD64 Persistent 3.x  (tier-1)  persistent, failed 3 in a row"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_first_failure_after_green_builds_is_unknown_not_flaky() {
    let (out, exit) = failures_of(vec![Builder::new(1, "AMD64 Fresh 3.x")], history("PPPF"));
    assert_eq!(exit, 0);
    assert!(
        out.contains(
            "\ntest_bbr_broken  unknown (too few builds), 1 builder\n    AMD64 Fresh 3.x  #4  (failing since #4)\n"
        ),
        "{out}"
    );
}

#[test]
fn the_headline_counts_builders_where_the_test_failed_apart_from_re_runs() {
    // Builder 1 fails test_bbr_broken every build; on builder 2 it failed, then passed on
    // re-run (the harness's flaky log, its test renamed).
    let rerun = log("flaky.txt").replace("test_bbr_flaky", "test_bbr_broken");
    let mut builds = history("FFFF");
    builds.extend([
        Build::pass(2, 1),
        Build::pass(2, 2),
        Build::pass(2, 3),
        Build::warnings(2, 4, rerun),
    ]);
    let (out, exit) = failures_of(
        vec![
            Builder::new(1, "AMD64 Persistent 3.x"),
            Builder::new(2, "ARM64 Rerun 3.x"),
        ],
        builds,
    );
    assert_eq!(exit, 0);
    assert!(
        out.contains(
            "\ntest_bbr_broken  persistent on one builder; passed on re-run on 1 more\n    \
             AMD64 Persistent 3.x  #4, #3, #2, #1  (failing since #1 or earlier)\n    \
             ARM64 Rerun 3.x       #4 passed on re-run\n"
        ),
        "{out}"
    );
}

#[test]
fn an_exception_in_the_test_step_is_listed_with_the_tests_not_outside_them() {
    // #4's worker went away while the tests ran: the log stops after the first test's result
    // (so no test is named as running: the progress line says test_bbr_broken had ended).
    let cut: String = log("fail.txt")
        .lines()
        .take(14)
        .map(|l| format!("{l}\n"))
        .collect();
    let mut builds = history("PPP");
    builds.push(Build::exception_in_test(1, 4, cut));
    // Builder 2's #4 failed to compile: that one is outside the test step.
    builds.extend((1..=3).map(|n| Build::pass(2, n)));
    builds.push(Build::compile_failed(2, 4));
    let url = serve_master(
        vec![
            Builder::new(1, "AMD64 Lost Worker 3.x"),
            Builder::new(2, "AMD64 No Compiler 3.x"),
        ],
        builds,
    );
    let o = run(&url, &["--format", "plain", "failures", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with(
            "\n\nException in the test step (infrastructure, not a test failure):\n    \
             AMD64 Lost Worker 3.x  #4 exception test\n\n\
             Failed outside the test step:\n    \
             AMD64 No Compiler 3.x  #4 failed compile\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&url, &["--format", "json", "failures", "3.x"]);
    let v = parse_failures(&o);
    let outside: Vec<(&str, u32)> = v
        .outside_tests
        .iter()
        .map(|o| (o.builder.as_str(), o.number))
        .collect();
    assert_eq!(outside, [("AMD64 No Compiler 3.x", 4)]);
    let e = &v.test_step_exceptions[0];
    assert_eq!(
        (e.number, e.reason.as_str(), e.last_test.as_deref()),
        (4, "exception test", None)
    );
}

#[test]
fn failures_json_says_where_the_current_streak_starts() {
    let url = serve_master(
        vec![Builder::new(1, "AMD64 Recovered 3.x")],
        history("FFPF"),
    );
    let o = run(&url, &["--format", "json", "failures", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = parse_failures(&o);
    let occ = &v.test("test_bbr_broken").occurrences[0];
    // #4 failed again after #3 passed: failing since #4, one build, not since #1.
    assert_eq!(
        (
            occ.since,
            occ.streak,
            occ.streak_open_ended,
            occ.passing_since,
            occ.persistent
        ),
        (Some(4), 1, false, None, false)
    );
    assert_eq!(v.test("test_bbr_broken").classification, "flaky");
}

/// Two runs of `bbreport --server URL --since-last-run 3.x` in one environment (one cache):
/// the second run's output.
fn digest_twice(url: &str, format: &str) -> std::process::Output {
    let env = TestEnv::new();
    let args = [
        "--server",
        url,
        "--format",
        format,
        "--since-last-run",
        "3.x",
    ];
    let first = env.run(&args, &[]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(
        stdout(&first).contains(if format == "json" {
            "\"previous_at\": null"
        } else {
            "First run"
        }),
        "{}",
        stdout(&first)
    );
    env.run(&args, &[])
}

#[test]
fn the_digest_dates_a_streak_from_the_builds_in_hand_not_from_the_first_run() {
    // Builder 1: #1 passed, #2..#4 failed. Builder 2: all four read failed.
    let mut builds = history("PFFF");
    builds.extend((1..=4).map(|n| Build::fail(2, n, log("fail.txt"))));
    let url = serve_master(
        vec![
            Builder::new(1, "AMD64 Three Red 3.x"),
            Builder::new(2, "AMD64 Always Red 3.x"),
        ],
        builds,
    );
    let o = digest_twice(&url, "plain");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    // #2 started at 2026-11-30 10:03 UTC (fake_master::started_at): the streak's first build,
    // not the digest's first run, nor #4.
    assert!(
        out.contains(&format!(
            "\n  AMD64 Three Red 3.x  failing since 2026-11-30 10:03 UTC (build 2, 25 h)  \
             {url}#/builders/1/builds/4\n"
        )),
        "{out}"
    );
    // Every build read failed: it started at #1 or before.
    assert!(
        out.contains(&format!(
            "\n  AMD64 Always Red 3.x  failing at least since 2026-11-30 09:03 UTC (build 1, 26 h)  \
             {url}#/builders/2/builds/4\n"
        )),
        "{out}"
    );
    let j: crate::common::schemas::DigestJson =
        serde_json::from_slice(&digest_twice(&url, "json").stdout).expect("digest JSON");
    let still: Vec<(&str, i64, Option<u32>, bool)> = j
        .still_failing
        .iter()
        .map(|s| (s.name.as_str(), s.since, s.since_number, s.since_at_least))
        .collect();
    assert_eq!(
        still,
        [
            ("AMD64 Always Red 3.x", started_at(1), Some(1), true),
            ("AMD64 Three Red 3.x", started_at(2), Some(2), false),
        ]
    );
}

/// Two builders gone offline (one failing every build, one green) beside a failing and a green
/// connected one.
fn offline_fleet() -> String {
    let mut builds = history_of(1, "FFFF");
    builds.extend(history_of(2, "PPPP"));
    builds.extend(history_of(3, "FFFF"));
    builds.extend(history_of(4, "PPPP"));
    serve_master(
        vec![
            Builder::new(1, "AMD64 Gone Red 3.x").offline(),
            Builder::new(2, "ARM64 Gone Green 3.x").offline(),
            Builder::new(3, "AMD64 Red 3.x"),
            Builder::new(4, "AMD64 Green 3.x"),
        ],
        builds,
    )
}

#[test]
fn an_offline_builder_whose_builds_fail_counts_failing_and_says_offline() {
    let url = offline_fleet();
    let o = run(&url, &["-q", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "\n# AMD64 Gone Red 3.x    failure    # 4, # 3, # 2, # 1  (offline)  failed test\n",
        "\n* ARM64 Gone Green 3.x  offline    _ 4, _ 3, _ 2, _ 1\n",
        "\n# AMD64 Red 3.x         failure    # 4, # 3, # 2, # 1  failed test\n",
        "\nTotals: 0 building, 1 success, 0 unstable, 2 failure (1 offline), 1 offline, 0 no builds\n",
    ] {
        assert!(out.contains(line), "{line:?} in:\n{out}");
    }
    // -qq groups it with the failures, marked.
    let o = run(&url, &["-qq", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "\nFailure:\n    # AMD64 Gone Red  3.x  (offline)\n    # AMD64 Red       3.x\n\n\
             Offline:\n    * ARM64 Gone Green  3.x\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&url, &["--format", "markdown", "3.x"]);
    assert!(
        stdout(&o).contains("| failure (offline) |"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn summary_json_keeps_status_and_adds_what_the_builds_say() {
    let url = offline_fleet();
    let o = run(&url, &["--format", "json", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = parse_summary(&o);
    let of = |name: &str| {
        let b = v.branches[0]
            .builders
            .iter()
            .find(|b| b.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        (b.status.as_deref(), b.builds_status.as_deref(), b.connected)
    };
    // `status` keeps schema_version 1's meaning (offline whatever the builds say); what the
    // builds say is a field of its own.
    assert_eq!(
        of("AMD64 Gone Red 3.x"),
        (Some("offline"), Some("failure"), false)
    );
    assert_eq!(
        of("ARM64 Gone Green 3.x"),
        (Some("offline"), Some("success"), false)
    );
    assert_eq!(
        of("AMD64 Red 3.x"),
        (Some("failure"), Some("failure"), true)
    );
    let t = |k: &str| v.totals[k];
    assert_eq!(
        (
            t("failure"),
            t("offline"),
            t("failing"),
            t("failing_offline")
        ),
        (1, 2, 2, 1)
    );
}

#[test]
fn release_and_the_summary_agree_an_offline_builder_is_failing() {
    let url = offline_fleet();
    let o = run(&url, &["--format", "plain", "release", "3.x"]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("AMD64 Gone Red 3.x  (tier-1)  persistent, failed 4 in a row"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_failed_build_whose_log_the_janitor_deleted_is_listed_and_said_so() {
    use crate::common::fake_master::Steps;
    let mut builds = history("PPP");
    builds.push(Build {
        builderid: 1,
        number: 4,
        results: 2,
        state_string: "failed test (failure)".into(),
        steps: Steps::TestLogDeleted(2, 5_000),
        running_on: None,
    });
    let url = serve_master(vec![Builder::new(1, "AMD64 Old Logs 3.x")], builds);
    let o = run(&url, &["--format", "plain", "failures", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o)
            .contains("AMD64 Old Logs 3.x  #4 failed test: its test log (5000 lines) was deleted by the server"),
        "{}",
        stdout(&o)
    );
    let o = run(&url, &["build", "AMD64 Old Logs 3.x", "4"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("The test step's stdio log (5000 lines) was deleted by the server"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("did not finish"), "{}", stdout(&o));
    let o = run(&url, &["repro", "AMD64 Old Logs 3.x", "4"]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("its test step's log was deleted by the server"),
        "{}",
        stderr(&o)
    );
}
