//! Stale running builds and paused workers, on the fake master (issue 15): what every report
//! says about a build left running by a master that died, a build running far past its
//! builder's usual time, and a builder whose worker is paused. The same states on a real
//! Buildbot master are in `live_fleet_states.rs`.

use crate::common::fake_master::{Build, Builder, log, serve_master, started_at};
use crate::common::schemas::WaterfallJson;
use crate::common::{NOW, bbreport_env, code, parse_release, parse_summary, stderr, stdout};

/// 1: #2 left running by master 1 (killed), #3 and #4 failed since. 2: paused worker with a
/// reason, green. 3: green, nothing special. 4: #4 running on the live master for hours.
fn fleet() -> String {
    let fail = || log("fail.txt");
    let builders = vec![
        Builder::new(1, "AMD64 Dead Master 3.x"),
        Builder::new(2, "AMD64 Paused 3.x").paused(Some("disk replacement")),
        Builder::new(3, "AMD64 Fine 3.x"),
        Builder::new(4, "AMD64 Hung 3.x"),
    ];
    let builds = vec![
        Build::running(1, 2, 1),
        Build::fail(1, 3, fail()),
        Build::fail(1, 4, fail()),
        Build::pass(2, 1),
        Build::pass(2, 2),
        Build::pass(3, 1),
        Build::pass(3, 2),
        Build::pass(4, 1),
        Build::pass(4, 2),
        Build::pass(4, 3),
        Build::running(4, 4, 2),
    ];
    serve_master(builders, builds)
}

fn run(url: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut all = vec!["--server", url, "--no-cache"];
    all.extend_from_slice(args);
    bbreport_env(&all, env)
}

fn now() -> i64 {
    NOW.parse().expect("NOW")
}

#[test]
fn the_summary_shows_stale_builds_and_paused_builders_as_such() {
    let url = fleet();
    let o = run(&url, &["--format", "plain", "-q", "3.x"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    // The stale build is drawn `%`, and the builder is judged by the builds that finished
    // after it: failing, not building.
    assert!(
        out.contains("# AMD64 Dead Master 3.x  failure    # 4, # 3, % 2"),
        "{out}"
    );
    assert!(out.contains("= AMD64 Paused 3.x       paused"), "{out}");
    assert!(out.contains("(reason: disk replacement)"), "{out}");
    // #4 of Hung has run a day on a live master, past 4 x its usual 10 minutes and the 6 h
    // floor: overdue.
    assert!(
        out.contains("_ AMD64 Hung 3.x         success    % 4, _ 3"),
        "{out}"
    );
    assert!(
        out.contains("Totals: 0 building, 2 success, 0 unstable, 1 failure, 1 paused, 0 offline"),
        "{out}"
    );

    // Without -q, the stale build is listed under its builder with its age and why.
    let o = run(&url, &["--format", "plain", "3.x"], &[]);
    let out = stdout(&o);
    let age = (now() - started_at(2)) / 3600;
    assert!(
        out.contains(&format!(
            "%     2: stale: started {age} h ago, its master is gone"
        )),
        "{out}"
    );
    assert!(
        out.contains("far longer than its builder's builds take"),
        "{out}"
    );
}

#[test]
fn summary_json_gives_the_stale_state_with_its_age_and_the_pause() {
    let url = fleet();
    let o = run(&url, &["--format", "json", "3.x"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    let by_name = |n: &str| s.builders().find(|b| b.name == n).expect(n);
    let dead = by_name("AMD64 Dead Master 3.x");
    assert_eq!(dead.status.as_deref(), Some("failure"));
    let b2 = dead.builds.iter().find(|b| b.number == 2).expect("#2");
    assert!(!b2.running, "a stale build is not running");
    let stale = b2.stale.as_ref().expect("stale");
    assert_eq!(stale.reason, "master_gone");
    assert_eq!(stale.age_seconds, now() - started_at(2));
    let hung = by_name("AMD64 Hung 3.x");
    assert_eq!(
        hung.builds[0].stale.as_ref().map(|s| s.reason.as_str()),
        Some("overdue")
    );
    let paused = by_name("AMD64 Paused 3.x");
    assert_eq!(paused.status.as_deref(), Some("paused"));
    assert!(paused.paused && paused.connected);
    assert_eq!(paused.pause_reason.as_deref(), Some("disk replacement"));
    assert_eq!(s.totals["paused"], 1);
    assert_eq!(s.totals["building"], 0);
    let fine = by_name("AMD64 Fine 3.x");
    assert!(!fine.paused && fine.pause_reason.is_none());
}

#[test]
fn a_young_running_build_on_a_live_master_is_still_building() {
    let url = fleet();
    // An hour after Hung's #4 started: within the 6 h floor.
    let then = (started_at(4) + 3600).to_string();
    let o = run(
        &url,
        &["--format", "plain", "-q", "-n", "*Hung*", "3.x"],
        &[("BBREPORT_NOW", &then)],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("* AMD64 Hung 3.x  building   * 4, _ 3"),
        "{}",
        stdout(&o)
    );
    // The config's bound decides: a floor of 30 minutes and 2x the usual time make it stale.
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[stale]\nfactor = 2\nfloor_minutes = 30\n").expect("config");
    let config = config.to_string_lossy().into_owned();
    let o = run(
        &url,
        &[
            "--config", &config, "--format", "plain", "-q", "-n", "*Hung*", "3.x",
        ],
        &[("BBREPORT_NOW", &then)],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("_ AMD64 Hung 3.x  success    % 4, _ 3"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_masters_list_is_read_only_when_a_build_is_running() {
    let url = fleet();
    let log_requests = [("BBREPORT_LOG_REQUESTS", "1")];
    let o = run(&url, &["-q", "-n", "*Fine*", "3.x"], &log_requests);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("masters"), "{}", stderr(&o));
    let o = run(&url, &["-q", "-n", "*Dead*", "3.x"], &log_requests);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("/api/v2/masters").count(),
        1,
        "{}",
        stderr(&o)
    );
    // Pause reasons: one request more, only because a worker is paused.
    assert_eq!(
        stderr(&o).matches("workers?paused=true").count(),
        1,
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_waterfall_marks_stale_builds_and_paused_builders() {
    let url = fleet();
    let o = run(&url, &["--format", "plain", "waterfall", "3.x"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("◌ stale"), "the legend names it: {out}");
    assert!(out.contains("✘ ✘ ◌"), "{out}");
    assert!(out.contains("(#2 stale: started"), "{out}");
    assert!(out.contains("(paused: disk replacement)"), "{out}");
    let o = run(&url, &["--format", "json", "waterfall", "3.x"], &[]);
    let w: WaterfallJson = serde_json::from_slice(&o.stdout).expect("waterfall JSON");
    let rows: Vec<_> = w
        .branches
        .iter()
        .flat_map(|b| &b.groups)
        .flat_map(|g| &g.builders)
        .collect();
    let dead = rows.iter().find(|r| r.name.contains("Dead")).expect("row");
    assert_eq!(
        dead.builds[2].stale.as_ref().map(|s| s.reason.as_str()),
        Some("master_gone")
    );
    assert!(!dead.builds[2].running);
    assert!(
        rows.iter()
            .any(|r| r.paused && r.pause_reason.as_deref() == Some("disk replacement"))
    );
}

#[test]
fn release_evidence_lists_paused_builders_and_stale_builds_without_moving_the_verdict() {
    let url = fleet();
    let o = run(&url, &["--format", "plain", "release", "3.x"], &[]);
    let out = stdout(&o);
    assert!(
        out.contains("Worker health: 1 paused (connected, taking no builds):"),
        "{out}"
    );
    assert!(
        out.contains("AMD64 Paused 3.x (tier-1): disk replacement"),
        "{out}"
    );
    assert!(
        out.contains("Stale builds (listed as running, no effect): 2"),
        "{out}"
    );
    assert!(
        out.contains("AMD64 Dead Master 3.x #2 stale: started"),
        "{out}"
    );
    assert!(!out.contains("a build is running"), "{out}");
    let o = run(&url, &["--format", "json", "release", "3.x"], &[]);
    let r = parse_release(&o);
    let branch = &r.branches[0];
    assert_eq!(branch.paused, ["AMD64 Paused 3.x"]);
    let dead = branch
        .builders
        .iter()
        .find(|b| b.name == "AMD64 Dead Master 3.x")
        .expect("judged");
    assert!(!dead.running);
    assert_eq!(dead.stale.as_ref().map(|s| s.number), Some(2));
    // Its verdict rests on its finished builds: failing twice in a row.
    assert_eq!(dead.finding, "failing");
    assert_eq!(dead.streak, 2);
}

#[test]
fn grouped_summary_files_the_stale_builder_by_its_newest_finished_build() {
    let url = fleet();
    let o = run(&url, &["--format", "plain", "-qq", "3.x"], &[]);
    let out = stdout(&o);
    let failure = out.split("Failure:").nth(1).expect("a Failure group");
    assert!(failure.contains("AMD64 Dead Master"), "{out}");
    assert!(out.contains("Paused:\n    = AMD64 Paused"), "{out}");
    assert!(!out.contains("Building:"), "{out}");
}
