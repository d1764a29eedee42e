//! `bbreport build` against the real master: steps, and the test log read through Buildbot's
//! `/contents` windows and parsed.

use crate::common::*;

fn build_json(m: &Manifest, args: &[&str]) -> (BuildReportJson, String) {
    let o = live(
        &[
            &[
                "--server",
                m.server.as_str(),
                "--format",
                "json",
                "--stats",
                "build",
            ][..],
            args,
        ]
        .concat(),
    );
    assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
    (parse_build(&o), stderr(&o))
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn persistent_failure_names_the_test_in_five_requests() {
    let m = live_manifest();
    let (v, err) = build_json(&m, &["AMD64 Fedora Stable LTO + PGO 3.x"]);
    assert_eq!(
        (v.kind.as_str(), v.number, v.result.as_deref()),
        ("build", 4, Some("failure"))
    );
    assert_eq!(
        (v.url.clone(), v.builder_url.clone()),
        (
            format!("{}#/builders/{}/builds/4", m.server, v.builderid),
            format!("{}#/builders/{}", m.server, v.builderid)
        )
    );
    let s = v.log_summary();
    assert_eq!(s.result.as_deref(), Some("FAILURE then FAILURE"));
    assert_eq!(s.failed, ["test_bbr_broken"]);
    assert_eq!(
        s.seed,
        Some(1004),
        "regrtest ran with --randseed=1000+build number"
    );
    assert!(
        s.excerpts
            .iter()
            .any(|l| l.starts_with("FAIL: test_regression")),
        "{s:?}"
    );
    assert!(
        s.platform.iter().any(|l| l.starts_with("CPython ")),
        "{s:?}"
    );
    let steps: Vec<&str> = v.steps.iter().map(|x| x.name.as_str()).collect();
    assert!(
        steps.contains(&"git") && steps.contains(&"test"),
        "{steps:?}"
    );
    // builders, the build, its steps, the test step's logs, one window of the short log; and
    // the master's version, read for the `--stats` line.
    assert!(err.starts_with("bbreport: 6 requests"), "{err}");
    let t = v.test_log.as_ref().expect("test log");
    assert!(t.bytes_read < 64 * 1024);
    let read: u64 = t.windows.iter().map(|w| w.limit).sum();
    assert_eq!(
        (t.windows.len(), t.windows[0].offset, Some(read)),
        (1, 0, t.num_lines),
        "a short log is read in one window"
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn every_log_shape_the_harness_ran_is_recognised() {
    let m = live_manifest();
    // Flaky: failed, then passed on re-run (WARNINGS).
    let (v, _) = build_json(&m, &["AMD64 Alpine Linux 3.x", "4"]);
    assert_eq!(v.result.as_deref(), Some("warnings"));
    assert_eq!(
        (
            v.log_summary().result.as_deref(),
            v.log_summary().passed_on_rerun.clone()
        ),
        (
            Some("FAILURE then SUCCESS"),
            vec!["test_bbr_flaky".to_string()]
        )
    );
    // Timeout past regrtest's --timeout.
    let (v, _) = build_json(&m, &["AMD64 Fedora Rawhide 3.12"]);
    assert_eq!(v.log_summary().timeouts, ["test_bbr_hang"]);
    // A worker killed by SIGSEGV.
    let (v, _) = build_json(&m, &["AMD64 Fedora Rawhide Clang 3.12"]);
    assert_eq!(v.log_summary().crashes[0].test, "test_bbr_crash");
    assert_eq!(v.log_summary().fatal_errors, ["Segmentation fault"]);
    // A full disk: infrastructure, not the code.
    let (v, _) = build_json(&m, &["AMD64 Fedora Rawhide 3.13", "2"]);
    assert_eq!(v.log_summary().infrastructure, ["No space left on device"]);
    // A reference leak under -R 3:3 (debug interpreter).
    let (v, _) = build_json(&m, &["AMD64 Fedora Rawhide Clang 3.13", "2"]);
    let leak = &v.log_summary().leaks[0];
    assert_eq!(
        (leak.test.as_str(), leak.what.as_str()),
        ("test_bbr_leak", "references, sum=3")
    );
    // Passing run.
    let (v, _) = build_json(&m, &["amd64 fedora stable 3.x", "1"]);
    assert_eq!(
        (
            v.log_summary().result.as_deref(),
            v.log_summary().failed.len()
        ),
        (Some("SUCCESS"), 0)
    );
    // Compile failure: the build stopped before the test step.
    let o = live(&[
        "--server",
        &m.server,
        "build",
        "AMD64 Ubuntu Shared 3.x",
        "4",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("#4: failure (failed compile)") && out.contains("No test step"),
        "{out}"
    );
    // The end of the compile step's log, as tests/harness/step.py printed it.
    assert!(
        out.contains("\nFailed step (compile › stdio): ")
            && out.contains("\n  make: *** [Makefile:3051: Objects/longobject.o] Error 1\n"),
        "{out}"
    );
    let (v, _) = build_json(&m, &["AMD64 Ubuntu Shared 3.x", "4"]);
    let failed = v.failed_step.as_ref().expect("failed_step");
    assert_eq!(failed.step, "compile");
    assert!(
        failed
            .tail
            .iter()
            .any(|l| l == "Objects/longobject.c:1234:5: error: 'digit' undeclared (first use in this function)"),
        "{failed:?}"
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn unknown_builder_or_build_is_a_usage_error_with_suggestions() {
    let m = live_manifest();
    let o = live(&["--server", &m.server, "build", "fedora stable lto"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("hint: did you mean: AMD64 Fedora Stable LTO"),
        "{}",
        stderr(&o)
    );
    let o = live(&[
        "--server",
        &m.server,
        "build",
        "AMD64 Fedora Stable 3.x",
        "99",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o)
            .starts_with("bbreport: error: builder 'AMD64 Fedora Stable 3.x' has no build 99"),
        "{}",
        stderr(&o)
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn failures_matrix_classifies_the_harness_tests() {
    let m = live_manifest();
    let o = live(&[
        "--server", &m.server, "--format", "json", "--stats", "failures", "3.x",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = parse_failures(&o);
    assert_eq!((v.kind.as_str(), v.branch.as_str()), ("failures", "3.x"));
    // test_bbr_broken fails on six builders of different kinds: a regression.
    let broken = v.test("test_bbr_broken");
    assert_eq!(broken.classification, "likely_regression");
    let on: Vec<&str> = broken
        .occurrences
        .iter()
        .map(|o| o.builder.as_str())
        .collect();
    let want: Vec<&str> = m
        .builders
        .iter()
        .filter(|b| b.branch == "3.x" && b.scenario.chars().rev().take(4).any(|c| c == 'F'))
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(on.len(), want.len(), "{on:?} vs {want:?}");
    assert!(want.iter().all(|w| on.contains(w)), "{on:?} vs {want:?}");
    let lto_pgo = broken
        .occurrences
        .iter()
        .find(|o| o.builder == "AMD64 Fedora Stable LTO + PGO 3.x")
        .expect("lto pgo");
    assert_eq!((lto_pgo.since, lto_pgo.persistent), (Some(1), true));
    // FFFF: every build read failed it, newest first, each linked to its page.
    let builds: Vec<(u32, &str)> = lto_pgo
        .builds
        .iter()
        .map(|b| (b.number, b.symptom.as_str()))
        .collect();
    assert_eq!(
        builds,
        [(4, "failed"), (3, "failed"), (2, "failed"), (1, "failed")]
    );
    assert_eq!(
        lto_pgo.builds[0].url,
        format!("{}#/builders/{}/builds/4", m.server, lto_pgo.builderid)
    );
    assert_eq!(
        lto_pgo.url,
        format!("{}#/builders/{}", m.server, lto_pgo.builderid)
    );
    // test_bbr_flaky only ever passed on re-run.
    let flaky = v.test("test_bbr_flaky");
    assert_eq!(flaky.classification, "flaky");
    assert!(
        flaky
            .occurrences
            .iter()
            .flat_map(|o| &o.builds)
            .all(|b| b.symptom == "passed_on_rerun"),
        "{flaky:?}"
    );
    // The compile failure is reported outside the tests.
    let outside = &v.outside_tests;
    assert!(
        outside
            .iter()
            .any(|o| o.builder == "AMD64 Ubuntu Shared 3.x" && o.reason == "failed compile"),
        "{outside:?}"
    );
    // PPEE: the two exceptions happened in the test step (the harness's renderer raises
    // there): listed with the tests as exceptions, not outside them.
    let exceptions: Vec<u32> = v
        .test_step_exceptions
        .iter()
        .filter(|e| e.builder == "AMD64 FreeBSD14 3.x")
        .map(|e| e.number)
        .collect();
    assert_eq!(exceptions, [4, 3], "{:?}", v.test_step_exceptions);
    assert!(
        !outside.iter().any(|o| o.builder == "AMD64 FreeBSD14 3.x"),
        "{outside:?}"
    );
    // 3 requests, then 3 per build with a test log (steps, logs, contents), 2 per exception in
    // the test step (steps, logs: Buildbot's err.text, no stdio to read), 1 per build that
    // failed before its test step (steps only).
    // builders, workers; the newest build of a sample of the builders (the window's top); the
    // window; the builders short in it (never built, rarely building) widened together; and
    // the master's version, read for the `--stats` line.
    let mut expected = 5 + 1;
    for b in m.builders.iter().filter(|b| b.branch == "3.x") {
        for c in b.scenario.chars().rev().take(4) {
            expected += match c {
                'F' | 'W' | 'T' | 'X' | 'D' => 3,
                'E' => 2,
                'C' => 1,
                _ => 0,
            };
        }
    }
    assert!(
        stderr(&o).starts_with(&format!("bbreport: {expected} requests")),
        "expected {expected}: {}",
        stderr(&o)
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn known_issues_mark_matching_failures_and_leave_the_rest_new() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("known.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nissue = \"gh-999\"\ntest = \"test_bbr_flaky\"\nsymptom = \"passed on re-run\"\n",
    )
    .expect("write");
    let o = live_env(
        &["--server", &m.server, "--format", "json", "failures", "3.x"],
        &[("BBREPORT_KNOWN_ISSUES", rules.to_str().expect("utf-8"))],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for t in &parse_failures(&o).tests {
        for occ in &t.occurrences {
            let want = (t.test == "test_bbr_flaky").then_some("gh-999");
            assert_eq!(occ.known.as_deref(), want, "{} on {}", t.test, occ.builder);
        }
    }
    let plain = stdout(&live_env(
        &["--server", &m.server, "failures", "3.x"],
        &[("BBREPORT_KNOWN_ISSUES", rules.to_str().expect("utf-8"))],
    ));
    assert!(plain.contains("known: gh-999"), "{plain}");
}

/// The run order as the raw log shows it (progress lines `[i/N] test_x` before re-runs), read
/// with curl straight from the master: independent of bbreport's parser.
fn raw_order(m: &Manifest, builder: &str, number: u32) -> Vec<String> {
    let id = m
        .builders
        .iter()
        .find(|b| b.name == builder)
        .expect("builder")
        .builderid;
    let url = format!(
        "{}api/v2/builders/{id}/builds/{number}/steps/test/logs/stdio/raw",
        m.server
    );
    let raw = std::process::Command::new("curl")
        .args(["-sf", &url])
        .output()
        .expect("curl");
    assert!(raw.status.success(), "curl {url}");
    let text = String::from_utf8_lossy(&raw.stdout);
    let mut order = Vec::new();
    for line in text.lines() {
        if line.contains("Re-running") {
            break;
        }
        if let Some(rest) = line.split("] ").nth(1)
            && line.contains(" load avg: ")
            && let Some(test) = rest.split_whitespace().next()
            && test.starts_with("test_")
            && !order.contains(&test.to_string())
        {
            order.push(test.to_string());
        }
    }
    order
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn repro_replays_the_sequential_order_up_to_the_failure() {
    let m = live_manifest();
    let builder = "AMD64 Fedora Stable LTO + PGO 3.x";
    let o = live(&["--server", &m.server, "repro", builder, "4"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("--randseed=1004"), "the seed is pinned: {out}");
    // Alone, with what it needs from the run: its test directory, resources and timeout.
    assert!(
        out.contains(" -u all --timeout=1200 test_bbr_broken -v") && out.contains(" --testdir "),
        "{out}"
    );
    // Parse the tests.txt heredoc back.
    let listed: Vec<String> = out
        .split("cat > tests.txt <<'EOF'\n")
        .nth(1)
        .and_then(|rest| rest.split("  EOF").next())
        .expect("a tests.txt list")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let order = raw_order(&m, builder, 4);
    let upto = order
        .iter()
        .position(|t| t == "test_bbr_broken")
        .expect("broken ran");
    assert_eq!(
        listed,
        order[..=upto].to_vec(),
        "the list replays the log's order up to the failing test"
    );
    // The same plan as JSON: the order before the failing test, split in two for bisecting.
    let o = bbreport(&[
        "--server", &m.server, "--format", "json", "repro", builder, "4",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = parse_repro(&o);
    assert_eq!(
        (r.kind.as_str(), r.number, r.target.as_str()),
        ("repro", 4, "test_bbr_broken")
    );
    assert_eq!(
        r.url,
        format!("{}#/builders/{}/builds/4", m.server, r.builderid)
    );
    assert!(
        r.command
            .as_deref()
            .is_some_and(|c| c.contains("--randseed=1004")),
        "{:?}",
        r.command
    );
    assert_eq!(r.mode.kind, "sequential", "{:?}", r.mode);
    let before = r.mode.before.clone().expect("before");
    assert_eq!(before, order[..upto].to_vec());
    let halves = [
        r.mode.first_half.clone().expect("first half"),
        r.mode.second_half.clone().expect("second half"),
    ]
    .concat();
    assert_eq!(halves, before, "the halves split the order, in order");
    assert_eq!(
        r.checkout,
        r.revision.as_ref().map(|rev| format!("git checkout {rev}")),
        "the build's got_revision, checked out first"
    );
    assert!(
        out.contains(&format!(
            "\n  git checkout {}\n",
            r.revision.as_deref().expect("revision")
        )),
        "{out}"
    );
    // Without a number: the newest build with a failing test (FFFF: #4).
    let o = live(&["--server", &m.server, "repro", builder]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("reproducing #4"), "{}", stderr(&o));
    // A flaky build has no failure left to reproduce: its own exit code, not a usage error.
    let o = live(&[
        "--server",
        &m.server,
        "repro",
        "AMD64 Alpine Linux 3.x",
        "4",
    ]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(stderr(&o).contains("no test failed"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn summary_and_release_name_failing_tests_with_known_issues() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("known.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nissue = \"gh-777\"\ntest = \"test_bbr_broken\"\nbuilder = \"ARM Raspbian.*\"\n",
    )
    .expect("write");
    let env = [("BBREPORT_KNOWN_ISSUES", rules.to_str().expect("utf-8"))];
    let o = live_env(&["--server", &m.server, "-q", "--tests", "3.x"], &env);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let line = |name: &str| {
        out.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}:\n{out}"))
            .to_string()
    };
    assert!(
        line("AMD64 Fedora Stable LTO + PGO 3.x").ends_with("failed test: test_bbr_broken"),
        "{out}"
    );
    assert!(
        line("ARM Raspbian 3.x").ends_with("failed test: test_bbr_broken`gh-777"),
        "known issue marked: {out}"
    );
    assert!(
        line("AMD64 Ubuntu Shared 3.x").ends_with("failed compile"),
        "no test step: Buildbot's summary stays: {out}"
    );

    let o = live_env(
        &[
            "--server", &m.server, "--format", "json", "release", "--tests", "3.x",
        ],
        &env,
    );
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    let r = parse_release(&o);
    let x = r.branch("3.x");
    let tests = |name: &str| {
        x.builder(name)
            .failing_tests
            .iter()
            .map(|t| (t.name.clone(), t.known.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tests("AMD64 Fedora Stable LTO + PGO 3.x"),
        [("test_bbr_broken".to_string(), None)]
    );
    assert_eq!(
        tests("ARM Raspbian 3.x"),
        [("test_bbr_broken".to_string(), Some("gh-777".to_string()))]
    );
    assert!(
        x.builder("AMD64 Fedora Stable 3.x")
            .failing_tests
            .is_empty(),
        "passing builders are not read"
    );
}
