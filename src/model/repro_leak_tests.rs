//! Refleak runs and killed runs, from real logs (tests/fixtures/regrtest-cases/).

use super::plan;
use crate::model::regrtest::parse;

fn case(name: &str) -> crate::model::regrtest::LogSummary {
    let path = format!(
        "{}/tests/fixtures/regrtest-cases/{name}.log",
        env!("CARGO_MANIFEST_DIR")
    );
    parse(&std::fs::read(&path).expect("io"))
}

#[test]
fn a_leak_without_a_command_keeps_r_as_a_guess() {
    // `test_importlib leaked [1, 1, 1] file descriptors, sum=3` then `failed again`: no
    // command, no `beginning N repetitions`.
    let p = plan(&case("12-refleaks-importlib-fd-leak-failed-again")).expect("io");
    assert_eq!(p.target, "test_importlib");
    assert_eq!(p.kept, vec!["-R 3:3".to_string()]);
    let guess = p.guessed.iter().find(|g| g.option == "-R 3:3").expect("io");
    assert!(guess.why.contains("test_importlib leaked"), "{}", guess.why);
}

#[test]
fn a_leaking_test_is_a_target_even_when_none_failed() {
    // Only `Leaks:` (the fd line; the references line is "this is fine").
    let p = plan(&case("11-nogil-refleaks-this-is-fine-and-fd-sum0")).expect("io");
    assert_eq!(p.target, "test_free_threading");
    assert_eq!(p.failed, vec!["test_free_threading".to_string()]);
    assert_eq!(p.kept, vec!["-R 3:3".to_string()]);
}

#[test]
fn the_refleak_line_wins_over_the_leak_lines() {
    // Case 04 prints `beginning 6 repetitions`: its split, not a default.
    let s = case("04-win11-refleaks-deadlock-count-no-total");
    assert!(s.refleak.is_some());
    let p = plan(&s).expect("io");
    let r: Vec<_> = p
        .guessed
        .iter()
        .filter(|g| g.option.starts_with("-R"))
        .collect();
    assert_eq!(r.len(), 1, "{:?}", p.guessed);
    assert!(r[0].why.contains("repetitions"), "{:?}", r[0]);
}

#[test]
fn a_killed_run_keeps_the_test_still_running() {
    let p = plan(&case("08-gha-win-threading-rerun-crash-interleaved-kill")).expect("io");
    assert_eq!(
        p.last_running.as_deref(),
        Some("test.test_concurrent_futures.test_as_completed")
    );
}
