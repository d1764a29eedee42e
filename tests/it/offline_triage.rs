//! Triage on the shipped snapshot (format 2 records the steps and test log windows of its
//! failed, warnings and exception builds): `build`, `failures`, `repro` and `--tests` with no
//! server. What is expected comes from the harness's account (tests/fixtures/
//! snapshot-manifest.json: each builder's scenario, one letter per build) and the harness's
//! own list of the tests each letter runs (tests/harness/step.py `TESTS_FOR_OUTCOME`).

use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

fn manifest() -> Manifest {
    load_manifest(&repo().join("tests/fixtures/snapshot-manifest.json"))
}

/// The test a scenario letter makes fail (or pass only on re-run), from step.py: the tests
/// that letter runs that a passing build does not. `None` for a letter without one (P, S, C, E,
/// R: a pass, a compile failure, an exception, a running build).
fn failing_test(letter: char) -> Option<String> {
    if letter == 'R' {
        return None; // still running when recorded: no result, no failure yet
    }
    let step = std::fs::read_to_string(repo().join("tests/harness/step.py")).expect("step.py");
    let tests_of = |l: char| -> BTreeSet<String> {
        let key = format!("\"{l}\": [");
        let Some(line) = step.lines().find(|x| x.trim_start().starts_with(&key)) else {
            return BTreeSet::new();
        };
        let list = &line[line.find('[').expect("[") + 1..line.find(']').expect("]")];
        list.split(',')
            .map(|t| t.trim().trim_matches('"').to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let passing = tests_of('P');
    assert!(passing.contains("test_bbr_sample"), "step.py changed shape");
    let mut extra = tests_of(letter)
        .into_iter()
        .filter(|t| !passing.contains(t));
    let first = extra.next();
    assert!(extra.next().is_none(), "letter {letter}: one failing test");
    first
}

/// Builders whose newest build's letter is `letters`, with that letter.
fn newest_with(m: &Manifest, letters: &str) -> Vec<(String, u32, char)> {
    m.builders
        .iter()
        .filter_map(|b| {
            let last = b.scenario.chars().last()?;
            letters
                .contains(last)
                .then(|| (b.name.clone(), b.scenario.len() as u32, last))
        })
        .collect()
}

fn run(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--snapshot", "tests/fixtures/snapshot"];
    let snap = snap();
    all[1] = &snap;
    all.extend_from_slice(args);
    bbreport(&all)
}

#[test]
fn build_names_each_failed_builds_test_from_the_recorded_log() {
    let m = manifest();
    let cases = newest_with(&m, "FWTXDL");
    assert!(
        cases.len() >= 6,
        "the mini fleet's failed builds: {cases:?}"
    );
    let mut letters = BTreeSet::new();
    for (name, number, letter) in &cases {
        let test = failing_test(*letter).expect("a failing test");
        let o = run(&["--format", "json", "build", name]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        let v = parse_build(&o);
        assert_eq!(
            (v.number, v.source.as_str()),
            (*number, "snapshot"),
            "{name}"
        );
        let expected_result = if *letter == 'W' {
            "warnings"
        } else {
            "failure"
        };
        assert_eq!(v.result.as_deref(), Some(expected_result), "{name}");
        let s = v.log_summary();
        let named = match letter {
            'F' | 'D' => s.failed.contains(&test),
            'W' => s.passed_on_rerun.contains(&test),
            _ => format!("{s:?}").contains(&test),
        };
        assert!(named, "{name} #{number} ({letter}): {test} not in {s:?}");
        assert!(v.steps.iter().any(|st| st.name == "test"), "{name}: steps");
        letters.insert(*letter);
    }
    assert!(letters.len() >= 5, "kinds of failure covered: {letters:?}");
}

#[test]
fn build_of_a_compile_failure_shows_the_failed_steps_tail() {
    let m = manifest();
    let (name, number) = m
        .builders
        .iter()
        .find_map(|b| {
            let i = b.scenario.find('C')?;
            Some((b.name.clone(), i as u32 + 1))
        })
        .expect("a compile failure in the mini fleet");
    let o = run(&["--format", "json", "build", &name, &number.to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["result"], "failure");
    let failed = &v["failed_step"];
    assert!(
        failed["step"]
            .as_str()
            .is_some_and(|s| s.contains("compile")),
        "{v}"
    );
    let tail = failed["tail"].as_array().expect("the step's last lines");
    assert!(
        tail.iter()
            .any(|l| l.as_str().is_some_and(|l| l.contains("error:"))),
        "{v}"
    );
}

#[test]
fn failures_lists_the_branchs_failing_tests_where_the_manifest_says() {
    let m = manifest();
    let o = run(&["--format", "json", "failures", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let f = parse_failures(&o);
    // The newest 4 builds (failures' default) of every 3.x builder, by the scenario.
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for b in m.builders.iter().filter(|b| b.branch == "3.x") {
        let letters: Vec<char> = b.scenario.chars().collect();
        for l in letters.iter().rev().take(4) {
            if let Some(t) = failing_test(*l) {
                expected.entry(t).or_default().insert(b.name.clone());
            }
        }
    }
    assert!(!expected.is_empty());
    let actual: BTreeMap<String, BTreeSet<String>> = f
        .tests
        .iter()
        .map(|t| {
            let builders = t.occurrences.iter().map(|o| o.builder.clone()).collect();
            (t.test.clone(), builders)
        })
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn repro_gives_the_command_for_the_newest_failed_test() {
    let m = manifest();
    let cases = newest_with(&m, "F");
    assert!(!cases.is_empty());
    for (name, number, letter) in cases {
        let test = failing_test(letter).expect("F fails a test");
        let o = run(&["--format", "json", "repro", &name]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        let r = parse_repro(&o);
        assert_eq!(
            (r.number, r.target.as_str()),
            (number, test.as_str()),
            "{name}"
        );
        assert!(
            r.command.as_deref().is_some_and(|c| c.contains(&test)),
            "{r:?}"
        );
        assert!(r.revision.is_some(), "{r:?}");
    }
}

#[test]
fn tests_flag_names_failing_tests_in_the_summary() {
    let m = manifest();
    let o = run(&["--tests", "--format", "json", "3.12"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let text = v.to_string();
    let mut checked = 0;
    for b in m.builders.iter().filter(|b| b.branch == "3.12") {
        if let Some(t) = b.scenario.chars().last().and_then(failing_test) {
            assert!(text.contains(&format!("\"{t}\"")), "{} {t}: {text}", b.name);
            checked += 1;
        }
    }
    assert!(checked >= 2, "3.12's failed builders: {checked}");
}

#[test]
fn what_was_not_recorded_is_said_with_exit_7() {
    let m = manifest();
    // A passing build: the snapshot records no steps of it.
    let green = m
        .builders
        .iter()
        .find(|b| b.scenario.ends_with('P') && !b.scenario.contains(|c| c != 'P'))
        .expect("an all-green builder");
    let o = run(&["build", &green.name]);
    assert_eq!(code(&o), 7, "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("not recorded in the snapshot"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn a_format_1_snapshot_cannot_triage_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in [
        "builders.json",
        "workers.json",
        "builds.json",
        "changes.json",
    ] {
        std::fs::copy(fixture_snapshot().join(f), dir.path().join(f)).expect("copy");
    }
    let meta = std::fs::read_to_string(fixture_snapshot().join("meta.json")).expect("meta");
    let mut meta: serde_json::Value = serde_json::from_str(&meta).expect("meta json");
    meta["format"] = 1.into();
    std::fs::write(dir.path().join("meta.json"), meta.to_string()).expect("write");
    let d = dir.path().to_str().expect("utf-8");
    let o = bbreport(&["--snapshot", d, "-q", "3.x"]);
    assert_eq!(code(&o), 0, "format 1 is still read: {}", stderr(&o));
    for args in [&["failures", "3.x"][..], &["--tests", "3.12"][..]] {
        let o = bbreport(&[&["--snapshot", d][..], args].concat());
        assert_eq!(code(&o), 7, "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.contains("format 1") && err.contains("records no build steps or logs"),
            "{err}"
        );
    }
}
