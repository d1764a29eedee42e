//! Options whose value starts with `-` (`-u-cpu`, as CPython's refleak builders run): the
//! commands of a plan keep them in a form regrtest's argparse accepts, never `-u -cpu` ("argument
//! -u/--use: expected one argument").

use super::*;
use crate::model::regrtest::RunMode;

/// A refleak builder's run as the harness's refleak step (and CPython's refleak builders,
/// `testFlags = ["-R", "3:3", "-u-cpu"]`) runs it: one worker at a time, so its order carries
/// over.
fn refleak_run(command: &str) -> LogSummary {
    LogSummary {
        command: Some(command.into()),
        seed: Some(1001),
        order: ["test_bbr_ok", "test_bbr_other", "test_bbr_leak"]
            .map(String::from)
            .to_vec(),
        failed: vec!["test_bbr_leak".into()],
        mode: Some(RunMode::Parallel { workers: 1 }),
        ..LogSummary::default()
    }
}

/// The words after `-m test` in one of the plan's commands, as regrtest would parse them.
fn parsed(command: &str) -> Flags {
    let words = command_words(command);
    let at = words.iter().position(|w| w == "test").expect("-m test") + 1;
    Flags::parse(&words[at..].iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn a_negative_resource_stays_glued_to_u() {
    let p = plan(&refleak_run(
        "/usr/bin/python3-dbg -m test --header -R 3:3 -u-cpu --timeout=2700 -j1 \
         --randseed=1001 test_bbr_ok test_bbr_other test_bbr_leak",
    ))
    .expect("plan");
    assert_eq!(p.kept, ["-R 3:3", "-u-cpu", "--timeout=2700"]);
    // The run's own command keeps its words.
    assert!(
        p.command.as_deref().is_some_and(|c| c.contains(" -u-cpu ")),
        "{:?}",
        p.command
    );
    let entry = crate::report::repro::ReproPlanEntry::new(&p, None);
    assert_eq!(
        entry.alone,
        "./python -m test -R 3:3 -u-cpu --timeout=2700 test_bbr_leak -v"
    );
    let f = parsed(&entry.alone);
    assert_eq!(f.resources, ["-cpu"]);
    assert_eq!(f.tests, ["test_bbr_leak"]);
    let crate::report::repro::RunMode::Sequential { replay_options, .. } = &entry.mode else {
        panic!("{:?}", entry.mode);
    };
    assert_eq!(
        replay_options,
        &["-R 3:3", "-u-cpu", "--timeout=2700", "-j1"]
    );
    assert!(!replay_options.iter().any(|o| o.starts_with("-u -")));
}

#[test]
fn every_spelling_of_use_keeps_a_leading_dash() {
    for spelling in ["-u-cpu", "--use=-cpu", "-u -cpu"] {
        let p = plan(&refleak_run(&format!(
            "./python -m test -R 3:3 {spelling} -j1 test_bbr_leak"
        )))
        .expect("plan");
        assert_eq!(p.kept, ["-R 3:3", "-u-cpu"], "{spelling}");
    }
    // After a resource that is not negative, the list reads as one value.
    let p = plan(&refleak_run(
        "./python -m test --slow-ci -R 3:3 -u-cpu -j1 test_bbr_leak",
    ))
    .expect("plan");
    assert!(p.kept.contains(&"-u all,-cpu".to_string()), "{:?}", p.kept);
}

#[test]
fn other_values_with_a_leading_dash_are_glued_too() {
    assert_eq!(option_with_value("-u", "-cpu,-curses"), "-u-cpu,-curses");
    assert_eq!(option_with_value("--testdir", "-tests"), "--testdir=-tests");
    assert_eq!(
        option_with_value("--testdir", "-my tests"),
        "--testdir='-my tests'"
    );
    assert_eq!(option_with_value("-R", "3:3"), "-R 3:3");
    let p = plan(&refleak_run(
        "./python -m test --testdir=-tests -j1 test_bbr_leak",
    ))
    .expect("plan");
    assert_eq!(p.kept, ["--testdir=-tests"]);
    assert_eq!(
        parsed(&format!("./python -m test {} x", p.kept[0]))
            .testdir
            .as_deref(),
        Some("-tests")
    );
}
