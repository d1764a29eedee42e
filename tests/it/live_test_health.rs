//! `bbreport tests` and `bbreport test NAME` on a real Buildbot 4.3 master: the harness's
//! `health` fleet (tests/harness/harness.py HEALTH_SCENARIOS), four rounds of real regrtest
//! runs: a test passing on re-run on several builders, one timing out once then passing, one
//! leaking only on the refleak builders (a debug CPython under `-R 3:3`), one failing the last
//! three builds of a builder, a test crashing its worker process, and infrastructure failures
//! (a full disk, an exception in the test step). The counts and classes expected are derived
//! from the manifest's scenario letters by the oracle below, not from bbreport.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{Manifest, TestEnv, code, load_manifest, real_now, stderr, stdout};

fn health_fleet() -> Manifest {
    let path = std::env::var("BBREPORT_TEST_HEALTH_MANIFEST").expect(
        "BBREPORT_TEST_HEALTH_MANIFEST is not set: run scripts/test.sh, which starts the masters",
    );
    load_manifest(Path::new(&path))
}

/// The test each failing letter fails (tests/harness/step.py TESTS_FOR_OUTCOME).
fn test_of(letter: char) -> Option<&'static str> {
    Some(match letter {
        'W' => "test_bbr_flaky",
        'F' => "test_bbr_broken",
        'L' => "test_bbr_leak",
        'T' => "test_bbr_hang",
        'X' => "test_bbr_crash",
        _ => return None,
    })
}

/// Letters whose build says nothing of other tests: no test ran to the end (C compile, E
/// exception) or the build is infrastructure (D full disk).
fn runs_nothing(letter: char) -> bool {
    matches!(letter, 'C' | 'E' | 'D' | 'R')
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Expected {
    failures: u64,
    flaky: u64,
    builders: Vec<String>,
    persistent: bool,
    /// Some builder's newest build that ran tests failed it.
    newest_fails: bool,
}

/// Per test: its failures, the flaky ones (W passes on re-run; any other failure is flaky when
/// the builder's builds that ran tests just before and just after it did not fail it), the
/// builders, whether some builder fails it in its newest 2 builds that ran tests, and whether
/// some builder's newest such build fails it (else it is fixed).
fn oracle(m: &Manifest) -> BTreeMap<&'static str, Expected> {
    let mut out: BTreeMap<&'static str, Expected> = BTreeMap::new();
    for b in &m.builders {
        let letters: Vec<char> = b.scenario.chars().collect();
        for (i, &c) in letters.iter().enumerate() {
            let Some(test) = test_of(c) else { continue };
            let e = out.entry(test).or_default();
            e.failures += 1;
            let next = letters[i + 1..].iter().find(|l| !runs_nothing(**l));
            let prev = letters[..i].iter().rev().find(|l| !runs_nothing(**l));
            if c == 'W' || (next.is_some_and(|n| *n != c) && prev.is_some_and(|p| *p != c)) {
                e.flaky += 1;
            }
            if !e.builders.contains(&b.name) {
                e.builders.push(b.name.clone());
            }
        }
        let ran: Vec<char> = letters
            .iter()
            .rev()
            .copied()
            .filter(|l| !runs_nothing(*l))
            .collect();
        if let Some(test) = ran.first().and_then(|c| test_of(*c)) {
            out.entry(test).or_default().newest_fails = true;
        }
        if ran.len() >= 2
            && ran[0] == ran[1]
            && ran[0] != 'W'
            && let Some(test) = test_of(ran[0])
        {
            out.entry(test).or_default().persistent = true;
        }
    }
    out
}

fn run(env: &TestEnv, server: &str, args: &[&str], extra: &[(&str, &str)]) -> std::process::Output {
    let mut all = vec!["--server", server];
    all.extend_from_slice(args);
    let now = real_now();
    let mut vars = vec![("BBREPORT_NOW", now.as_str())];
    vars.extend_from_slice(extra);
    env.run(&all, &vars)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn tests_counts_and_classes_match_the_scenarios_and_infrastructure_is_apart() {
    let m = health_fleet();
    let env = TestEnv::new();
    let o = run(&env, &m.server, &["--format", "json", "tests", "3.x"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = json(&o);
    let expected = oracle(&m);
    let tests = r["tests"].as_array().expect("tests");
    let seen: Vec<&str> = tests.iter().filter_map(|t| t["test"].as_str()).collect();
    let mut want: Vec<&str> = expected.keys().copied().collect();
    let mut got = seen.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "tests listed");
    // Sorted by failures, most first.
    let counts: Vec<u64> = tests
        .iter()
        .filter_map(|t| t["failures"].as_u64())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for t in tests {
        let name = t["test"].as_str().expect("name");
        let e = &expected[name];
        assert_eq!(t["failures"].as_u64(), Some(e.failures), "{name}");
        assert_eq!(t["flaky"].as_u64(), Some(e.flaky), "{name}");
        let mut builders: Vec<&str> = t["builders"]
            .as_array()
            .expect("builders")
            .iter()
            .filter_map(|b| b["builder"].as_str())
            .collect();
        builders.sort();
        let mut want: Vec<&str> = e.builders.iter().map(String::as_str).collect();
        want.sort();
        assert_eq!(builders, want, "{name}");
        let class = if e.persistent {
            "persistent"
        } else if e.flaky > 0 {
            "flaky"
        } else if e.newest_fails {
            "new"
        } else {
            "fixed"
        };
        assert_eq!(t["class"], class, "{name}");
    }
    // Intermittent on several builders; refleak-only; persistent.
    let by = |n: &str| tests.iter().find(|t| t["test"] == n).expect(n);
    assert!(
        by("test_bbr_flaky")["builders"]
            .as_array()
            .map_or(0, Vec::len)
            >= 2
    );
    assert_eq!(
        by("test_bbr_leak")["shared_tags"],
        serde_json::json!(["refleak"])
    );
    assert_eq!(by("test_bbr_broken")["class"], "persistent");
    // The full disk and the exception, apart; the test that failed on the full disk is in no
    // row.
    let letters = |c: char| {
        m.builders
            .iter()
            .map(|b| b.scenario.matches(c).count() as u64)
            .sum::<u64>()
    };
    let infra = &r["infrastructure"]["counts"];
    let count = |kind: &str| {
        infra
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["kind"] == kind)
            .and_then(|c| c["builds"].as_u64())
    };
    assert_eq!(count("resources"), Some(letters('D')));
    assert_eq!(count("test_step_exception"), Some(letters('E')));
    assert!(letters('D') > 0 && letters('E') > 0);
    assert!(!seen.contains(&"test_bbr_diskfull"), "{seen:?}");
    // Every WARNINGS, FAILURE and EXCEPTION build's log was read, no other.
    let evidence: u64 = ['W', 'F', 'L', 'T', 'X', 'D', 'E', 'C']
        .iter()
        .map(|c| letters(*c))
        .sum();
    assert_eq!(r["logs_read"].as_u64(), Some(evidence));
}

#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn a_second_run_reads_no_log_again() {
    let m = health_fleet();
    let env = TestEnv::new();
    let args = ["--stats", "--format", "json", "tests", "3.x"];
    let log = [("BBREPORT_LOG_REQUESTS", "1")];
    let cold = run(&env, &m.server, &args, &log);
    assert_eq!(code(&cold), 0, "{}", stderr(&cold));
    assert!(stderr(&cold).contains("/contents"), "{}", stderr(&cold));
    let warm = run(&env, &m.server, &args, &log);
    assert_eq!(code(&warm), 0, "{}", stderr(&warm));
    let err = stderr(&warm);
    let requests: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("bbreport: GET "))
        .collect();
    for r in &requests {
        assert!(
            !(r.contains("/contents") || r.contains("/steps") || r.contains("/logs")),
            "{r}"
        );
    }
    // The catch-up and the lists at most: a handful.
    assert!(requests.len() <= 4, "{requests:?}");
    assert_eq!(json(&cold)["tests"], json(&warm)["tests"]);
}

#[test]
#[ignore = "needs the real Buildbot master that scripts/test.sh starts"]
fn test_name_shows_the_refleak_only_test_on_its_builders_with_a_repro() {
    let m = health_fleet();
    let env = TestEnv::new();
    let o = run(
        &env,
        &m.server,
        &["--format", "json", "test", "test_bbr_leak"],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["shared_tags"], serde_json::json!(["refleak"]));
    let refleak: Vec<&str> = m
        .builders
        .iter()
        .filter(|b| b.scenario.contains('L'))
        .map(|b| b.name.as_str())
        .collect();
    for b in r["builders"].as_array().expect("builders") {
        let name = b["builder"].as_str().expect("name");
        assert!(refleak.contains(&name), "{name}");
        let scenario = &m
            .builders
            .iter()
            .find(|x| x.name == name)
            .expect("builder")
            .scenario;
        // The timeline, newest first, is the scenario read backwards.
        let cells: Vec<&str> = b["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter_map(|t| t["cell"].as_str())
            .collect();
        let want: Vec<&str> = scenario
            .chars()
            .rev()
            .map(|c| if c == 'L' { "failed" } else { "passed" })
            .collect();
        assert_eq!(cells, want, "{name}");
    }
    let repro = &r["repro"];
    assert_eq!(repro["target"], "test_bbr_leak");
    assert!(
        repro["alone"]
            .as_str()
            .is_some_and(|a| a.contains("-R 3:3")),
        "{repro}"
    );
    assert!(repro["seed"].as_u64().is_some(), "{repro}");
}
