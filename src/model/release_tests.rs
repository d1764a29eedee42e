//! Tests of the release rules (kept apart: they are as long as the rules).

use super::*;
use crate::model::classify::TagRules;
use crate::model::stale::{Stale, StaleBuilds, StaleWhy};

fn builder(tags: &[&str], connected: bool) -> SelectedBuilder {
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    SelectedBuilder {
        builderid: 1,
        name: "AMD64 Test 3.x".into(),
        class: TagRules::default().classify("AMD64 Test 3.x", &tags),
        tags,
        connected,
        paused: false,
        pause_reason: None,
    }
}

/// Builds from a scenario string, oldest first: P success, W warnings, F failure,
/// E exception, C cancelled, R running.
fn builds(scenario: &str) -> Vec<Build> {
    let mut v: Vec<Build> = scenario
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let n = i as u32 + 1;
            let results = match c {
                'P' => Some(0),
                'W' => Some(1),
                'F' => Some(2),
                'E' => Some(4),
                'C' => Some(6),
                _ => None,
            };
            let mut b = Build::for_test(u64::from(n), 1, n, results);
            b.started_at = Some(i64::from(n) * 10);
            b.complete_at = results.map(|_| i64::from(n) * 10 + 5);
            b.state_string = if c == 'F' {
                "failed test (failure)".into()
            } else {
                "build successful".into()
            };
            b
        })
        .collect();
    v.reverse();
    v
}

const PERSISTENT: Rule = Rule::Persistent { threshold: 2 };
const T1: &[&str] = &["3.x", "stable", "tier-1"];
const T3: &[&str] = &["3.x", "stable", "tier-3"];
const UNSTABLE: &[&str] = &["3.x", "unstable", "tier-1"];

fn judge(tags: &[&str], scenario: &str, rule: Rule) -> BuilderJudgement {
    let b = builder(tags, true);
    let builds = builds(scenario);
    judge_builder(
        &BuilderHistory {
            builder: &b,
            builds: &builds,
            complete: true,
            error: None,
            at: AtRevision::Newest,
            stale: &StaleBuilds::default(),
        },
        rule,
    )
}

#[test]
fn fresh_tier1_failure_is_unreleasable_on_dashboard_and_concern_by_default() {
    assert_eq!(
        judge(T1, "PPF", Rule::Dashboard).effect,
        Effect::Unreleasable
    );
    let j = judge(T1, "PPF", PERSISTENT);
    assert_eq!(j.effect, Effect::Concern);
    assert!(
        j.reason
            .as_deref()
            .is_some_and(|r| r.contains("awaiting the next build"))
    );
    assert_eq!(j.streak, 1);
}

#[test]
fn persistent_tier1_failure_blocks_under_both_rules() {
    for rule in [Rule::Dashboard, PERSISTENT] {
        assert_eq!(
            judge(T1, "PFF", rule).effect,
            Effect::Unreleasable,
            "{rule:?}"
        );
    }
    assert_eq!(
        judge(T1, "PFF", Rule::Persistent { threshold: 3 }).effect,
        Effect::Concern
    );
}

#[test]
fn exceptions_are_ignored_judged_on_the_last_real_result() {
    let j = judge(T1, "PPEE", PERSISTENT);
    assert_eq!((j.finding, j.effect), (Finding::Passing, Effect::None));
    let j = judge(T1, "FFEE", PERSISTENT);
    assert_eq!(
        (j.finding, j.effect, j.streak),
        (Finding::Failing, Effect::Unreleasable, 2)
    );
}

#[test]
fn warnings_pass_and_end_a_streak_but_the_dashboard_skips_them_for_the_breaking_build() {
    let j = judge(T1, "PFWF", PERSISTENT);
    assert_eq!(j.streak, 1);
    assert_eq!(
        j.breaking,
        Some(Breaking::Build(build_ref(
            &builds("PF")[0],
            BuildResult::Failure
        )))
    );
    assert_eq!(judge(T1, "PPW", Rule::Dashboard).finding, Finding::Warnings);
}

#[test]
fn breaking_build_is_first_failure_after_last_success() {
    let j = judge(T1, "PPFFF", PERSISTENT);
    match j.breaking {
        Some(Breaking::Build(b)) => assert_eq!(b.number, 3),
        other => panic!("{other:?}"),
    }
    assert_eq!(j.latest.map(|l| l.number), Some(5));
    assert_eq!(judge(T1, "PPP", PERSISTENT).breaking, None);
}

#[test]
fn streak_past_the_history_read_is_open_ended() {
    let b = builder(T1, true);
    let bs = builds("FFF");
    let j = judge_builder(
        &BuilderHistory {
            builder: &b,
            builds: &bs,
            complete: false,
            error: None,
            at: AtRevision::Newest,
            stale: &StaleBuilds::default(),
        },
        PERSISTENT,
    );
    assert!(j.streak_open_ended);
    assert_eq!(j.breaking, Some(Breaking::BeyondHistory));
    assert!(
        j.reason
            .as_deref()
            .is_some_and(|r| r.contains("failed 3+ in a row")),
        "{:?}",
        j.reason
    );
}

#[test]
fn tier3_failure_is_a_concern_and_unstable_has_no_effect() {
    for rule in [Rule::Dashboard, PERSISTENT] {
        assert_eq!(judge(T3, "PFF", rule).effect, Effect::Concern);
        assert_eq!(judge(UNSTABLE, "FFF", rule).effect, Effect::None);
    }
}

#[test]
fn blocking_builder_without_builds_is_unknown_by_default_not_on_the_dashboard() {
    assert_eq!(judge(T1, "", PERSISTENT).effect, Effect::Unknown);
    assert_eq!(judge(T1, "EEC", PERSISTENT).effect, Effect::Unknown);
    assert_eq!(judge(T1, "", Rule::Dashboard).effect, Effect::None);
}

#[test]
fn fetch_failure_makes_the_branch_unknown_never_releasable() {
    let b = builder(T1, true);
    let j = judge_builder(
        &BuilderHistory {
            builder: &b,
            builds: &[],
            complete: false,
            error: Some("HTTP 500"),
            at: AtRevision::Newest,
            stale: &StaleBuilds::default(),
        },
        PERSISTENT,
    );
    assert_eq!(j.effect, Effect::Unknown);
    let v = judge_branch("3.x", PERSISTENT, vec![j, judge(T1, "PP", PERSISTENT)]);
    assert_eq!(v.verdict, Verdict::Unknown);
}

#[test]
fn branch_verdicts() {
    let v = |rule, js: Vec<BuilderJudgement>| judge_branch("3.x", rule, js).verdict;
    assert_eq!(
        v(
            PERSISTENT,
            vec![judge(T1, "PP", PERSISTENT), judge(T3, "PP", PERSISTENT)]
        ),
        Verdict::Releasable
    );
    assert_eq!(
        v(
            PERSISTENT,
            vec![judge(T1, "PP", PERSISTENT), judge(T3, "PF", PERSISTENT)]
        ),
        Verdict::Concern
    );
    assert_eq!(
        v(
            PERSISTENT,
            vec![judge(T1, "FF", PERSISTENT), judge(T1, "", PERSISTENT)]
        ),
        Verdict::Unreleasable
    );
    assert_eq!(
        v(PERSISTENT, vec![judge(T3, "PP", PERSISTENT)]),
        Verdict::Unknown,
        "no blocking builder"
    );
    assert_eq!(
        v(Rule::Dashboard, vec![judge(T1, "", Rule::Dashboard)]),
        Verdict::NotAvailable
    );
    assert_eq!(
        v(
            Rule::Dashboard,
            vec![
                judge(T1, "", Rule::Dashboard),
                judge(T3, "P", Rule::Dashboard)
            ]
        ),
        Verdict::Releasable
    );
}

#[test]
fn disconnected_builders_do_not_change_the_verdict() {
    let b = builder(T1, false);
    let bs = builds("PP");
    let j = judge_builder(
        &BuilderHistory {
            builder: &b,
            builds: &bs,
            complete: true,
            error: None,
            at: AtRevision::Newest,
            stale: &StaleBuilds::default(),
        },
        PERSISTENT,
    );
    assert_eq!(
        judge_branch("3.x", PERSISTENT, vec![j]).verdict,
        Verdict::Releasable
    );
}

#[test]
fn at_revision_pending_blocking_builders_make_it_unknown() {
    let none = StaleBuilds::default();
    let b = builder(T1, true);
    let bs = builds("PP");
    for (at, finding) in [
        (AtRevision::NotBuilt, Finding::RevisionNotBuilt),
        (AtRevision::Building, Finding::RevisionBuilding),
    ] {
        let h = BuilderHistory {
            builder: &b,
            builds: &bs,
            complete: true,
            error: None,
            at,
            stale: &none,
        };
        let j = judge_builder(&h, PERSISTENT);
        assert_eq!((j.finding, j.effect), (finding, Effect::Unknown));
        let v = judge_branch("3.x", PERSISTENT, vec![j]);
        assert_eq!(v.verdict, Verdict::Unknown);
        assert_eq!(
            v.summary,
            "1 release-blocking builder not done with this revision"
        );
    }
    let t3 = builder(T3, true);
    let h = BuilderHistory {
        builder: &t3,
        builds: &bs,
        complete: true,
        error: None,
        at: AtRevision::NotBuilt,
        stale: &none,
    };
    assert_eq!(judge_builder(&h, PERSISTENT).effect, Effect::None);
}

#[test]
fn overall_is_the_most_severe() {
    let mk = |verdict| BranchVerdict {
        branch: String::new(),
        verdict,
        summary: String::new(),
        builders: vec![],
    };
    assert_eq!(
        overall(&[mk(Verdict::Releasable), mk(Verdict::Concern)]),
        Verdict::Concern
    );
    assert_eq!(
        overall(&[mk(Verdict::Unknown), mk(Verdict::Concern)]),
        Verdict::Unknown
    );
    assert_eq!(
        overall(&[mk(Verdict::Unknown), mk(Verdict::Unreleasable)]),
        Verdict::Unreleasable
    );
}

#[test]
fn deeper_history_is_read_for_an_open_streak_or_no_decisive_build() {
    assert!(
        needs_deeper_history(&builds("FFE")),
        "still failing at the oldest read"
    );
    assert!(
        !needs_deeper_history(&builds("PFF")),
        "the green build before the streak is here"
    );
    assert!(needs_deeper_history(&builds("EEC")), "no decisive build");
    assert!(needs_deeper_history(&builds("")), "nothing at all");
    assert!(
        !needs_deeper_history(&builds("EWR")),
        "a warnings build is decisive"
    );
}

#[test]
fn history_at_a_revision_ends_with_its_build() {
    let window = builds("PFPF"); // newest first: #4 F, #3 P, #2 F, #1 P
    let of_revision = vec![window[2].clone()]; // build #2
    let (history, at) = history_at(&window, &of_revision, 1);
    assert_eq!(at, AtRevision::Built);
    assert_eq!(history.iter().map(|b| b.number).collect::<Vec<_>>(), [2, 1]);
    let (history, at) = history_at(&window, &[], 1);
    assert_eq!((history.len(), at), (0, AtRevision::NotBuilt));
    let mut running = window[0].clone();
    running.complete = false;
    running.results = None;
    assert_eq!(history_at(&window, &[running], 1).1, AtRevision::Building);
}

#[test]
fn a_stale_build_is_not_running_and_is_named_in_the_evidence() {
    let b = builder(T1, true);
    let bs = builds("PFR"); // #3 listed as running
    let running_id = bs[0].buildid;
    let stale = StaleBuilds::of(&[(
        running_id,
        Stale {
            age: 50_000,
            why: StaleWhy::MasterGone,
        },
    )]);
    let judge = |stale: &StaleBuilds| {
        judge_builder(
            &BuilderHistory {
                builder: &b,
                builds: &bs,
                complete: true,
                error: None,
                at: AtRevision::Newest,
                stale,
            },
            PERSISTENT,
        )
    };
    let fresh = judge(&StaleBuilds::default());
    assert!(fresh.running && fresh.stale.is_none());
    let j = judge(&stale);
    assert!(!j.running, "a stale build is not the next build under way");
    assert_eq!(
        j.stale.map(|(n, s)| (n, s.why)),
        Some((3, StaleWhy::MasterGone))
    );
    // The verdict still rests on the finished builds: one fresh failure after a pass.
    assert_eq!((j.finding, j.effect), (fresh.finding, fresh.effect));
}
