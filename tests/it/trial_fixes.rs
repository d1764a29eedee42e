//! Findings of a new user's trial, on a fake master serving real regrtest logs
//! (`common::fake_master`): `test NAME` says when failures were timeouts or crashes, its
//! markdown carries the seed, and a name no build failed gets a hint.

use crate::common::fake_master::{Build, Builder, log, serve_master};
use crate::common::*;

/// test_bbr_hang times out twice on one builder, test_bbr_crash crashes once on another,
/// test_bbr_broken fails on a third (its log shows `Using random seed: 1001`).
fn fleet() -> String {
    let builders = vec![
        Builder::new(1, "AMD64 Hang 3.x"),
        Builder::new(2, "AMD64 Crash 3.x"),
        Builder::new(3, "AMD64 Broken 3.x"),
    ];
    let builds = vec![
        Build::pass(1, 1),
        Build::fail(1, 2, log("timeout.txt")),
        Build::fail(1, 3, log("timeout.txt")),
        Build::pass(2, 1),
        Build::fail(2, 2, log("crash.txt")),
        Build::pass(2, 3),
        Build::pass(3, 1),
        Build::fail(3, 2, log("fail.txt")),
    ];
    serve_master(builders, builds)
}

fn run(url: &str, format: &str, test: &str) -> std::process::Output {
    let o = bbreport(&["--server", url, "--format", format, "test", test]);
    assert_eq!(code(&o), 0, "{test}: {}", stderr(&o));
    o
}

#[test]
fn test_name_says_timed_out_and_crashed() {
    let url = fleet();
    let out = stdout(&run(&url, "plain", "test_bbr_hang"));
    assert!(
        out.contains("AMD64 Hang 3.x: 2 failed (2 timed out), 0 flaky"),
        "{out}"
    );
    let out = stdout(&run(&url, "plain", "test_bbr_crash"));
    assert!(
        out.contains("AMD64 Crash 3.x: 1 failed (1 crashed),"),
        "{out}"
    );
    let out = stdout(&run(&url, "markdown", "test_bbr_hang"));
    assert!(out.contains("| 2 (2 timed out) |"), "{out}");
    // A plain failure says nothing more.
    let out = stdout(&run(&url, "plain", "test_bbr_broken"));
    assert!(out.contains("AMD64 Broken 3.x: 1 failed, 0 flaky"), "{out}");
}

#[test]
fn test_name_markdown_has_the_seed_plain_text_shows() {
    let url = fleet();
    let plain = stdout(&run(&url, "plain", "test_bbr_broken"));
    assert!(plain.contains("  seed: 1001"), "{plain}");
    let md = stdout(&run(&url, "markdown", "test_bbr_broken"));
    assert!(md.contains("Seed: 1001"), "{md}");
}

#[test]
fn a_name_no_build_failed_gets_a_hint() {
    let url = fleet();
    let o = run(&url, "plain", "test_bbr_brokn");
    assert!(stdout(&o).contains("no build of the 3 builders failed it"));
    assert!(
        stderr(&o).contains("did you mean test_bbr_broken?"),
        "{}",
        stderr(&o)
    );
    let o = run(&url, "plain", "test_bbr_broken.BrokenTests.test_broken");
    assert!(
        stderr(&o).contains("takes a regrtest test name")
            && stderr(&o).contains("try `bbreport test test_bbr_broken`"),
        "{}",
        stderr(&o)
    );
    // Nothing close: no hint.
    let o = run(&url, "plain", "test_zipfile");
    assert!(!stderr(&o).contains("did you mean"), "{}", stderr(&o));
}

#[test]
fn commit_help_says_what_builds_bounds() {
    let o = bbreport(&["commit", "--help"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let help = stdout(&o);
    let builds = help
        .split("-l, --builds")
        .nth(1)
        .and_then(|s| s.split("\n  -").next())
        .unwrap_or_else(|| panic!("{help}"));
    assert!(!builds.contains("not built yet"), "{builds}");
    assert!(
        builds.contains("own builds are found whatever N"),
        "{builds}"
    );
}
