//! A snapshot recorded from the real master answers `build`, `failures`, `repro`, `--tests`,
//! `commit`, `pr`, `tests` and `test` as the master itself does: the same JSON, header aside
//! (source, recorded_at, generated_at) and the start of a `--days` window (a second apart: the
//! snapshot's clock is its recording time).

use crate::common::*;

/// The report without the fields that say where and when it was made.
fn body(o: &std::process::Output, what: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{what}: {e}\n{}\n{}", stdout(o), stderr(o)));
    for k in ["source", "recorded_at", "generated_at"] {
        v.as_object_mut().expect("an object").remove(k);
    }
    if let Some(w) = v.get_mut("window").and_then(|w| w.as_object_mut()) {
        w.remove("since");
    }
    v
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn triage_on_a_recorded_snapshot_matches_the_live_master() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = dir.path().join("snap");
    let snap = snap.to_str().expect("utf-8");
    let o = live(&["--server", &m.server, "snapshot", snap, "--builds", "10"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let named = |letter: char| {
        m.builders
            .iter()
            .find(|b| b.scenario.ends_with(letter))
            .unwrap_or_else(|| panic!("a builder whose newest build is {letter}"))
            .name
            .clone()
    };
    let (fail, flaky, crash) = (named('F'), named('W'), named('X'));
    let compile = m
        .builders
        .iter()
        .find_map(|b| Some((b.name.clone(), (b.scenario.find('C')? + 1).to_string())))
        .expect("a compile failure");
    // The newest 3.x commit (a push with a new failure on the mini fleet) and the PR.
    let o = live(&["--server", &m.server, "--format", "json", "console", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let console: serde_json::Value = serde_json::from_slice(&o.stdout).expect("console json");
    let newest = console["commits"][0]["revision"]
        .as_str()
        .expect("a 3.x commit")
        .to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["failures", "3.x"],
        vec!["failures", "3.12"],
        vec!["build", &fail],
        vec!["build", &flaky],
        vec!["build", &crash],
        vec!["build", &compile.0, &compile.1],
        vec!["repro", &fail],
        vec!["--tests", "3.x"],
        vec!["release", "--tests", "3.x", "3.12"],
        vec!["commit", &newest[..10]],
        vec!["pr", "140000"],
        vec!["tests", "3.x"],
        vec!["test", "test_bbr_broken"],
    ];
    for args in runs {
        let live_run = live(
            &[
                &["--server", m.server.as_str(), "--format", "json"][..],
                &args,
            ]
            .concat(),
        );
        let offline = live(&[&["--snapshot", snap, "--format", "json"][..], &args].concat());
        assert_eq!(
            code(&offline),
            code(&live_run),
            "{args:?}: {}",
            stderr(&offline)
        );
        assert_eq!(
            body(&offline, "snapshot"),
            body(&live_run, "live"),
            "{args:?}: the snapshot's answer differs from the master's"
        );
    }
}
