//! `waterfall` and `console` against the real Buildbot master that scripts/test.sh starts.

use crate::common::*;

fn requests(o: &std::process::Output) -> u32 {
    stderr(o)
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", stderr(o)))
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn waterfall_json_matches_the_harness_in_six_requests() {
    let m = live_manifest();
    let o = live(&[
        "--server",
        &m.server,
        "--format",
        "json",
        "--stats",
        "waterfall",
        "--limit",
        "4",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    check_waterfall_json(&o, &m);
    // builders, workers, the sample (the window's top), the bulk window, the short builders
    // widened together, and the masters list (3.x has a running build); and the master's version, read for the `--stats` line.
    assert_eq!(requests(&o), 6 + 1, "{}", stderr(&o));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn console_json_matches_the_harness_in_eight_requests() {
    let m = live_manifest();
    let o = live(&[
        "--server", &m.server, "--format", "json", "--stats", "console", "3.13",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    check_console_json(&o, &m, "3.13");
    // builders, workers, the branch's changes, the sample, the window, the short builders
    // widened, the masters list, and the master's version (read beside the builds: `changes`
    // is read by version, see README "Master versions").
    assert_eq!(requests(&o), 8, "{}", stderr(&o));
    // 3.x: four commits, a running build on the newest, git branch `main`.
    let o = live(&["--server", &m.server, "--format", "json", "console", "3.x"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["git_branch"].as_str(), Some("main"));
    assert_eq!(v["commits"].as_array().map(Vec::len), Some(4));
    let running = v["commits"][0]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["running"] == true)
        .count();
    assert_eq!(running, 1);
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn plain_views_from_the_live_master() {
    let m = live_manifest();
    for (args, needle) in [
        (vec!["waterfall", "3.x"], "3.x: stable, tier-1"),
        (
            vec!["console", "3.x"],
            "Console: 3.x (git branch main), 4 commits × 16 builders",
        ),
    ] {
        let o = live(&[&["--server", m.server.as_str()][..], &args[..]].concat());
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains(needle), "{args:?}:\n{}", stdout(&o));
    }
}
