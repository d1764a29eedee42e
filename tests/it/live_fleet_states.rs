//! What every report says about the states of a long-lived master, on a real Buildbot 4.3
//! master put into them by the harness's `states` fleet (tests/harness/harness.py `states()`):
//! a master killed mid-build and restarted under another name, its build left
//! `complete: false` with a newer build finished since, and a worker paused through the REST
//! control API with a reason; a failure, then a build whose worker's host died (RETRY) and the
//! re-run of its build request stopped through the REST API (CANCELLED). Plus the time rule on
//! the mini fleet's hung build.

use std::path::Path;

use serde::Deserialize;

use crate::common::schemas::{ConsoleJson, WaterfallJson};
use crate::common::{
    code, live_env, live_manifest, load_manifest, parse_build, parse_release, parse_summary,
    real_now, stderr, stdout,
};

#[derive(Debug, Deserialize)]
struct States {
    stale: Named,
    newer_finished: Named,
    paused: Paused,
    failed: Named,
    retried: Named,
    cancelled_rerun: Named,
    untagged: String,
}

#[derive(Debug, Deserialize)]
struct Named {
    builder: String,
    number: u32,
}

#[derive(Debug, Deserialize)]
struct Paused {
    builder: String,
    reason: String,
}

/// The states fleet: its URL and what the harness did to it.
fn states_fleet() -> (String, States) {
    let path = std::env::var("BBREPORT_TEST_STATES_MANIFEST").expect(
        "BBREPORT_TEST_STATES_MANIFEST is not set: run scripts/test.sh, which starts the masters",
    );
    let manifest = load_manifest(Path::new(&path));
    let text = std::fs::read_to_string(&path).expect("manifest");
    let raw: serde_json::Value = serde_json::from_str(&text).expect("manifest JSON");
    let states: States =
        serde_json::from_value(raw["states"].clone()).expect("the manifest's states");
    (manifest.server, states)
}

fn run(server: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--server", server, "--no-cache"];
    all.extend_from_slice(args);
    live_env(&all, &[("BBREPORT_NOW", &real_now())])
}

#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn summary_shows_the_dead_masters_build_stale_and_the_paused_builder_paused() {
    let (server, st) = states_fleet();
    let o = run(&server, &["--format", "json", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    let hung = s
        .builders()
        .find(|b| b.name == st.stale.builder)
        .expect("the builder");
    // Build 3 finished after the stale build 2: it decides, and nothing is building.
    assert_eq!(hung.status.as_deref(), Some("success"), "{hung:?}");
    let numbers: Vec<u32> = hung.builds.iter().map(|b| b.number).collect();
    assert_eq!(numbers, [st.newer_finished.number, 2, 1]);
    let stale = &hung.builds[1];
    assert!(!stale.running);
    let why = stale.stale.as_ref().expect("build 2 is stale");
    assert_eq!(why.reason, "master_gone");
    assert!(why.age_seconds >= 180, "{why:?}");
    assert_eq!(s.totals["building"], 0);
    let paused = s
        .builders()
        .find(|b| b.name == st.paused.builder)
        .expect("the paused builder");
    assert_eq!(paused.status.as_deref(), Some("paused"));
    assert!(paused.connected && paused.paused);
    assert_eq!(
        paused.pause_reason.as_deref(),
        Some(st.paused.reason.as_str())
    );
    assert_eq!(s.totals["paused"], 1);

    let o = run(&server, &["--format", "plain", "3.x"]);
    let out = stdout(&o);
    assert!(out.contains("% 2"), "{out}");
    assert!(out.contains("its master is gone"), "{out}");
    assert!(
        out.contains(&format!("(reason: {})", st.paused.reason)),
        "{out}"
    );
    assert!(out.contains("0 building"), "{out}");
    assert!(out.contains("1 paused"), "{out}");
}

#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn waterfall_console_build_and_release_say_the_same() {
    let (server, st) = states_fleet();
    let o = run(&server, &["--format", "plain", "waterfall", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("◌ stale"), "{out}");
    assert!(out.contains("(#2 stale: started"), "{out}");
    assert!(
        out.contains(&format!("(paused: {})", st.paused.reason)),
        "{out}"
    );
    let o = run(&server, &["--format", "json", "waterfall", "3.x"]);
    let w: WaterfallJson = serde_json::from_slice(&o.stdout).expect("waterfall JSON");
    let row = w
        .branches
        .iter()
        .flat_map(|b| &b.groups)
        .flat_map(|g| &g.builders)
        .find(|r| r.name == st.stale.builder)
        .expect("row");
    assert!(
        row.builds
            .iter()
            .any(|b| b.number == 2 && b.stale.is_some() && !b.running)
    );

    let o = run(&server, &["--format", "json", "console", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let c: ConsoleJson = serde_json::from_slice(&o.stdout).expect("console JSON");
    let b = c
        .builders
        .iter()
        .find(|b| b.name == st.stale.builder)
        .expect("column");
    assert_eq!(b.stale.as_ref().map(|s| s.number), Some(2));
    let p = c
        .builders
        .iter()
        .find(|b| b.name == st.paused.builder)
        .expect("column");
    assert!(p.paused);

    let o = run(
        &server,
        &["--format", "json", "build", &st.stale.builder, "2"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let b = parse_build(&o);
    assert!(!b.running);
    assert_eq!(
        b.stale.as_ref().map(|s| s.reason.as_str()),
        Some("master_gone")
    );
    let o = run(
        &server,
        &["--format", "plain", "build", &st.stale.builder, "2"],
    );
    assert!(stdout(&o).contains("#2: stale: started"), "{}", stdout(&o));

    let o = run(&server, &["--format", "plain", "release", "3.x"]);
    let out = stdout(&o);
    assert!(out.contains("Worker health: 1 paused"), "{out}");
    assert!(out.contains(&st.paused.reason), "{out}");
    assert!(
        out.contains("Stale builds (listed as running, no effect): 1"),
        "{out}"
    );
    let o = run(&server, &["--format", "json", "release", "3.x"]);
    let r = parse_release(&o);
    assert_eq!(
        r.branches[0].paused,
        std::slice::from_ref(&st.paused.builder)
    );
    let j = r.branches[0]
        .builders
        .iter()
        .find(|j| j.name == st.stale.builder)
        .expect("judged");
    assert!(!j.running);
    assert_eq!(j.stale.as_ref().map(|s| s.number), Some(2));
}

/// The mini fleet's hung build (scenario R) is young by the default bound, and stale by a
/// config whose bound it has outrun.
#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn an_overdue_build_is_stale_by_the_configured_bound() {
    let m = live_manifest();
    let hung = m
        .builders
        .iter()
        .find(|b| b.scenario.ends_with('R'))
        .expect("a hung build");
    let n = hung.scenario.len().to_string();
    let o = live_env(
        &[
            "--server",
            &m.server,
            "--no-cache",
            "--format",
            "json",
            "-n",
            &hung.name,
            &hung.branch,
        ],
        &[("BBREPORT_NOW", &real_now())],
    );
    let s = parse_summary(&o);
    let b = s.builders().next().expect("the builder");
    assert_eq!(b.status.as_deref(), Some("building"), "{}", stdout(&o));
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[stale]\nfactor = 1\nfloor_minutes = 1\n").expect("config");
    let config = config.to_string_lossy().into_owned();
    // A minute after it started at the earliest (it ran while the rest of the fleet built).
    let o = live_env(
        &[
            "--server",
            &m.server,
            "--no-cache",
            "--config",
            &config,
            "--format",
            "json",
            "-n",
            &hung.name,
            &hung.branch,
        ],
        &[(
            "BBREPORT_NOW",
            &(real_now().parse::<i64>().expect("now") + 120).to_string(),
        )],
    );
    let s = parse_summary(&o);
    let b = s.builders().next().expect("the builder");
    assert_ne!(b.status.as_deref(), Some("building"), "{}", stdout(&o));
    let newest = &b.builds[0];
    assert_eq!(newest.number.to_string(), n);
    assert_eq!(
        newest.stale.as_ref().map(|s| s.reason.as_str()),
        Some("overdue")
    );
}

/// RETRY and CANCELLED on top of a failure: neither decides the builder's status, each has its
/// own symbol, and the re-run is linked to the retried build (same build request).
#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn a_retried_build_and_its_cancelled_rerun_leave_the_failure_in_charge() {
    let (server, st) = states_fleet();
    let name = &st.retried.builder;
    let o = run(&server, &["--format", "json", "-n", name, "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    let row = s.builders().find(|b| &b.name == name).expect("the builder");
    // Build 3 is the newest build that decides: one failure after green builds is "unstable";
    // the RETRY and the CANCELLED re-run on top of it change nothing.
    assert_eq!(row.status.as_deref(), Some("unstable"), "{row:?}");
    let builds: Vec<(u32, Option<&str>, Option<u32>)> = row
        .builds
        .iter()
        .map(|b| (b.number, b.result.as_deref(), b.rerun_of))
        .take(3)
        .collect();
    assert_eq!(
        builds,
        [
            (
                st.cancelled_rerun.number,
                Some("cancelled"),
                Some(st.retried.number)
            ),
            (st.retried.number, Some("retry"), None),
            (st.failed.number, Some("failure"), None),
        ]
    );
    let failure = row.last_failure.as_ref().expect("the failure");
    assert_eq!(failure.number, st.failed.number);

    let o = run(&server, &["--format", "plain", "-v", "-n", name, "3.x"]);
    let out = stdout(&o);
    assert!(
        out.contains(&format!("(re-run of retried #{})", st.retried.number)),
        "{out}"
    );
    // Plain text: `@` retry, `x` cancelled (README's symbol table), not the failure's symbol.
    for (symbol, number) in [("@", st.retried.number), ("x", st.cancelled_rerun.number)] {
        assert!(out.contains(&format!("{symbol} {number:>5}:")), "{out}");
    }

    let o = run(
        &server,
        &["--format", "json", "waterfall", "-n", name, "3.x"],
    );
    let w: WaterfallJson = serde_json::from_slice(&o.stdout).expect("waterfall JSON");
    let cell = w
        .branches
        .iter()
        .flat_map(|b| &b.groups)
        .flat_map(|g| &g.builders)
        .flat_map(|r| &r.builds)
        .find(|c| c.number == st.cancelled_rerun.number)
        .expect("the re-run's cell");
    assert_eq!(cell.rerun_of, Some(st.retried.number));
}

/// Buildbot's janitor (JanitorConfigurator, as on python.org) with a short log horizon, forced:
/// old logs keep their name and length but lose their content. The janitor's own `__Janitor`
/// builder never shows; a failed build whose log is gone is listed and said so.
#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn the_janitor_is_hidden_and_the_logs_it_deleted_are_said_so() {
    let (server, st) = states_fleet();
    for args in [
        &["--format", "json", "-v"][..],
        &["--format", "json", "waterfall"],
        &["--format", "json", "release"],
        &["--format", "json", "console", "3.x"],
    ] {
        let o = run(&server, args);
        assert!(
            !stdout(&o).contains("__Janitor"),
            "{args:?}: {}",
            stdout(&o)
        );
    }
    let (builder, number) = (&st.failed.builder, st.failed.number.to_string());
    let o = run(&server, &["--format", "json", "build", builder, &number]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let b = parse_build(&o);
    let t = b.test_log.as_ref().expect("the test step");
    assert!(t.deleted, "{t:?}");
    assert!(
        t.windows.is_empty() && t.num_lines.unwrap_or(0) > 0,
        "{t:?}"
    );
    let o = run(&server, &["--format", "plain", "build", builder, &number]);
    assert!(
        stdout(&o).contains("deleted by the server"),
        "{}",
        stdout(&o)
    );
    let o = run(&server, &["--format", "plain", "failures", "3.x"]);
    let out = stdout(&o);
    assert!(
        out.contains(&format!("#{number}")) && out.contains("deleted by the server"),
        "{out}"
    );
}

/// A builder with no tags names no branch: left out of every branch and of release, listed
/// when `no-branch` is asked for, counted by `-v`.
#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn a_builder_without_tags_is_in_no_branch() {
    let (server, st) = states_fleet();
    let o = run(&server, &["--format", "json", "3.x"]);
    let s = parse_summary(&o);
    assert!(s.builders().all(|b| b.name != st.untagged), "{s:?}");
    let o = run(&server, &["--format", "json", "no-branch"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    let names: Vec<&str> = s.builders().map(|b| b.name.as_str()).collect();
    assert_eq!(names, [st.untagged.as_str()]);
    assert!(s.branches.iter().all(|b| b.name == "no-branch"));
    let o = run(&server, &["--format", "json", "release"]);
    let r = parse_release(&o);
    assert!(
        r.branches
            .iter()
            .flat_map(|b| &b.builders)
            .all(|j| j.name != st.untagged)
    );
    let o = run(&server, &["-v"]);
    assert!(
        stderr(&o).contains(
            "1 active builder has no branch tag and is not shown; `bbreport no-branch` lists them"
        ),
        "{}",
        stderr(&o)
    );
}
