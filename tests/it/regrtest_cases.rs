//! Every real regrtest log in tests/fixtures/regrtest-cases/ (pasted from public CPython issues
//! and pull requests, 3.8 to 3.16; the README there says where each comes from) goes through the
//! parser, and every field a core developer reads from it (`expected` in the case's JSON) is
//! compared with what the parser reports, as tests/it/common/regrtest_cases.rs says.

use bbreport::model::regrtest::parse;

use crate::common::regrtest_cases::{Reported, case_log, case_names, judge, load_case};

#[test]
fn every_real_log_reads_as_a_core_developer_reads_it() {
    let names = case_names();
    assert!(names.len() >= 18, "cases found: {names:?}");
    let mut table = Vec::new();
    let mut wrong = Vec::new();
    let (mut right_total, mut total) = (0, 0);
    for name in &names {
        let case = load_case(name);
        let s = parse(&case_log(name));
        let v = judge(name, &case.expected, &Reported::from(&s));
        right_total += v.right;
        total += v.total;
        table.push(format!("{name}: {}/{}", v.right, v.total));
        wrong.extend(v.wrong);
    }
    println!("{}\ntotal: {right_total}/{total}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `repro` on the same logs: a seeded command whenever the seed is known, the options a test
/// needs kept, the order replayed only when it carries over, bisect_cmd for a -jN run.
#[test]
fn repro_plans_of_the_real_logs() {
    use bbreport::model::regrtest::RunMode;
    use bbreport::model::repro::{CommandOrigin, ReproMode, plan};
    let mut plans = 0;
    for name in case_names() {
        let s = parse(&case_log(&name));
        let Some(p) = plan(&s) else {
            continue;
        };
        plans += 1;
        if let Some(seed) = s.seed {
            let command = p.command.as_deref().unwrap_or_default();
            let ordered = matches!(
                s.mode,
                Some(RunMode::Sequential | RunMode::Parallel { workers: 1 })
            );
            assert!(
                command.contains(&format!("--randseed={seed}"))
                    || (p.randomized == Some(false) && ordered),
                "{name}: {command}"
            );
        }
        match s.mode {
            Some(RunMode::Parallel { workers }) if workers != 1 => {
                assert_eq!(p.mode, ReproMode::Parallel { workers }, "{name}");
            }
            None => assert_eq!(p.mode, ReproMode::OrderUnknown, "{name}"),
            _ => {}
        }
        if s.command.is_none() && s.seed.is_none() {
            assert_eq!(p.origin, CommandOrigin::Unknown, "{name}");
        }
    }
    assert_eq!(
        plans, 10,
        "the cases with a failed, crashed, timed-out or leaking test (11 only leaks)"
    );
    // The one with a command, a seed and -j8: the seeded command and regrtest's bisection.
    let log = case_log("16-local-313-asyncio-package-subtests-counter");
    let p = plan(&parse(&log)).expect("a plan");
    assert_eq!(
        (p.command.as_deref(), &p.mode, p.target.as_str()),
        (
            Some("./python -m test test_asyncio -wW -j8 --randseed=1988926982"),
            &ReproMode::Parallel { workers: 8 },
            "test_asyncio.test_server"
        )
    );
}
