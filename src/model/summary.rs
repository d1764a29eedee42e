//! The summary view model: per branch, each selected builder with its status and newest builds.

use std::collections::{BTreeMap, HashMap};

use super::classify::BuilderClass;
use super::select::Selection;
use super::stale::{Stale, StaleBuilds};
use super::status::{
    BuildResult, BuilderStatus, Outcome, Presence, builder_status, builds_status, latest_only,
};
use crate::api::types::{Build, BuilderId};

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub branches: Vec<BranchSummary>,
    pub totals: Totals,
    pub selected: usize,
    pub active_total: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BranchSummary {
    pub name: String,
    pub builders: Vec<BuilderRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuilderRow {
    pub builderid: BuilderId,
    pub name: String,
    pub tags: Vec<String>,
    pub class: BuilderClass,
    pub connected: bool,
    /// Connected, but every connected worker is paused (see [`super::select::SelectedBuilder`]).
    pub paused: bool,
    pub pause_reason: Option<String>,
    /// `None` when its builds could not be fetched (see `load_error`).
    pub status: Option<BuilderStatus>,
    /// What its builds say whether or not a worker is connected (see
    /// [`super::status::builds_status`]); `None` when unknown.
    pub builds_status: Option<BuilderStatus>,
    /// Newest first.
    pub builds: Vec<BuildCell>,
    /// The newest build among `builds` that failed (failure or exception), and why.
    pub last_failure: Option<FailureNote>,
    pub load_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuildCell {
    pub buildid: u64,
    pub number: u32,
    pub outcome: Outcome,
    pub revision: Option<String>,
    pub state_string: String,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    /// The number of the RETRY build this one re-runs: Buildbot re-queues the build request of
    /// a build that ended in RETRY (a lost worker, a master restarted), and the same request's
    /// next build is its re-run.
    pub rerun_of: Option<u32>,
    /// Set when the build is [`Outcome::Stale`]: its age and why.
    pub stale: Option<Stale>,
}

impl BuildCell {
    pub fn result(&self) -> Option<BuildResult> {
        match self.outcome {
            Outcome::Finished(r) => Some(r),
            Outcome::Running | Outcome::Stale | Outcome::Unrecognised => None,
        }
    }

    pub fn failed(&self) -> bool {
        self.result().is_some_and(|r| r.is_verdict() && !r.passed())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureNote {
    pub number: u32,
    pub result: BuildResult,
    /// What failed, from Buildbot's summary (`failed test (failure)` → `failed test`).
    pub reason: String,
    /// The tests its log names as failing (`--tests`), with their known issue.
    pub tests: Vec<FailedTest>,
}

/// A failing test of a build, and the known issue it matches (`None`: new).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FailedTest {
    pub name: String,
    pub known: Option<String>,
}

/// The failing tests of a build's parsed log (failed, timed out, crashed), marked known or new.
pub fn failed_tests(
    s: &super::regrtest::LogSummary,
    builder: &str,
    known: &super::known_issues::KnownIssues,
) -> Vec<FailedTest> {
    use super::failures::Symptom;
    let mut out: Vec<FailedTest> = Vec::new();
    let all = s
        .timeouts
        .iter()
        .map(|t| (t, Symptom::TimedOut))
        .chain(s.crashes.iter().map(|(t, _)| (t, Symptom::Crashed)))
        .chain(s.failed.iter().map(|t| (t, Symptom::Failed)));
    for (t, symptom) in all {
        if !out.iter().any(|f| &f.name == t) {
            out.push(FailedTest {
                name: t.clone(),
                known: known.issue_for(t, symptom, builder).map(str::to_string),
            });
        }
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Builders per status (offline whatever the builds say).
    pub by_status: BTreeMap<BuilderStatus, usize>,
    /// Offline builders whose builds fail: counted offline in `by_status`, failing in every
    /// report's words (see [`super::status::shown_status`]).
    pub failing_offline: usize,
    /// Paused builders whose builds fail: counted paused in `by_status`, failing in words.
    pub failing_paused: usize,
    /// Builders whose builds could not be fetched.
    pub unknown: usize,
}

/// Which builds decide the status: all shown (`-q`, default) or the latest only (`-qq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWindow {
    AllShown,
    LatestOnly,
}

/// `stale`: the running builds that will never finish ([`super::stale::judge`]); they are
/// shown as such and do not decide the status.
pub fn summarize(
    selection: &Selection,
    builds: &HashMap<BuilderId, Vec<Build>>,
    failed: &HashMap<BuilderId, String>,
    stale: &StaleBuilds,
    window: StatusWindow,
) -> Summary {
    let mut branches: Vec<BranchSummary> = Vec::new();
    let mut totals = Totals::default();
    for b in &selection.builders {
        let cells: Vec<BuildCell> = builds
            .get(&b.builderid)
            .map(|v| cells_of(v, stale))
            .unwrap_or_default();
        let load_error = failed.get(&b.builderid).cloned();
        let (status, of_builds) = if load_error.is_some() {
            (None, None)
        } else {
            let outcomes: Vec<Outcome> = cells.iter().map(|c| c.outcome).collect();
            let judged = match window {
                StatusWindow::AllShown => &outcomes[..],
                StatusWindow::LatestOnly => latest_only(&outcomes),
            };
            (
                Some(builder_status(judged, b.presence())),
                Some(builds_status(judged)),
            )
        };
        match status {
            Some(s) => *totals.by_status.entry(s).or_default() += 1,
            None => totals.unknown += 1,
        }
        if of_builds == Some(BuilderStatus::Failure) {
            match b.presence() {
                Presence::Offline => totals.failing_offline += 1,
                Presence::Paused => totals.failing_paused += 1,
                Presence::Connected => {}
            }
        }
        let last_failure = cells.iter().find(|c| c.failed()).map(|c| FailureNote {
            number: c.number,
            result: c.result().unwrap_or(BuildResult::Failure),
            reason: failure_reason(&c.state_string),
            tests: Vec::new(),
        });
        let row = BuilderRow {
            builderid: b.builderid,
            name: b.name.clone(),
            tags: b.tags.clone(),
            class: b.class.clone(),
            connected: b.connected,
            paused: b.paused,
            pause_reason: b.pause_reason.clone(),
            status,
            builds_status: of_builds,
            builds: cells,
            last_failure,
            load_error,
        };
        match branches.last_mut() {
            Some(last) if last.name == b.class.branch => last.builders.push(row),
            _ => branches.push(BranchSummary {
                name: b.class.branch.clone(),
                builders: vec![row],
            }),
        }
    }
    Summary {
        branches,
        totals,
        selected: selection.builders.len(),
        active_total: selection.active_total,
    }
}

/// A build as the views show it; a running build in `stale` is [`Outcome::Stale`].
pub fn cell_of(b: &Build, stale: &StaleBuilds) -> BuildCell {
    let stale = stale.get(b.buildid);
    let outcome = match (b.complete, BuildResult::from_code(b.results)) {
        (false, _) if b.results.is_none() && stale.is_some() => Outcome::Stale,
        (false, _) if b.results.is_none() => Outcome::Running,
        (_, Some(r)) => Outcome::Finished(r),
        _ => Outcome::Unrecognised,
    };
    BuildCell {
        buildid: b.buildid,
        number: b.number,
        outcome,
        revision: b.got_revision().map(str::to_string),
        state_string: b.state_string.clone(),
        started_at: b.started_at,
        complete_at: b.complete_at,
        rerun_of: None,
        stale,
    }
}

/// A builder's builds as the views show them, each re-run of a RETRY build linked to it
/// (same `buildrequestid`, see [`BuildCell::rerun_of`]). Builds come newest first; a request
/// retried twice links each re-run to the retry just before it.
pub fn cells_of<'a>(
    builds: impl IntoIterator<Item = &'a Build>,
    stale: &StaleBuilds,
) -> Vec<BuildCell> {
    let builds: Vec<&Build> = builds.into_iter().collect();
    builds
        .iter()
        .map(|b| {
            let mut cell = cell_of(b, stale);
            cell.rerun_of = b.buildrequestid.and_then(|request| {
                builds
                    .iter()
                    .filter(|o| {
                        o.buildrequestid == Some(request)
                            && o.number < b.number
                            && BuildResult::from_code(o.results) == Some(BuildResult::Retry)
                    })
                    .map(|o| o.number)
                    .max()
            });
            cell
        })
        .collect()
}

/// Buildbot ends a finished build's summary with its result in brackets:
/// `failed test (failure)`, `failed compile (failure)`, `exception interrupted (exception)`.
/// The bracket repeats the result the report already shows.
pub fn failure_reason(state_string: &str) -> String {
    let s = state_string.trim();
    let s = match (s.rfind(" ("), s.ends_with(')')) {
        (Some(i), true) if BuildResult::from_name(&s[i + 2..s.len() - 1]).is_some() => &s[..i],
        _ => s,
    };
    if s.is_empty() {
        "no reason given".into()
    } else {
        s.to_string()
    }
}

impl BuildResult {
    fn from_name(name: &str) -> Option<BuildResult> {
        (0..7)
            .filter_map(|c| BuildResult::from_code(Some(c)))
            .find(|r| r.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_reason_drops_the_result_bracket_only() {
        assert_eq!(failure_reason("failed test (failure)"), "failed test");
        assert_eq!(failure_reason("failed compile (failure)"), "failed compile");
        assert_eq!(
            failure_reason("exception finished (exception)"),
            "exception finished"
        );
        assert_eq!(failure_reason("failed 'make (x)'"), "failed 'make (x)'");
        assert_eq!(failure_reason(""), "no reason given");
    }

    #[test]
    fn an_offline_builder_whose_builds_fail_is_offline_and_failing() {
        use crate::model::classify::TagRules;
        use crate::model::select::SelectedBuilder;
        let builder = |id: u32, connected: bool| {
            let tags = vec!["3.x".to_string(), "stable".to_string()];
            SelectedBuilder {
                builderid: id,
                name: format!("B{id} 3.x"),
                class: TagRules::default().classify("B 3.x", &tags),
                tags,
                connected,
                paused: false,
                pause_reason: None,
            }
        };
        let selection = Selection {
            builders: vec![builder(1, false), builder(2, false), builder(3, true)],
            active_total: 3,
            branches: vec!["3.x".into()],
            untagged_left_out: 0,
        };
        let builds = |id: u32, result: i64| -> Vec<Build> {
            (1..=4)
                .rev()
                .map(|n| Build::for_test(u64::from(n * 10 + id), id, n, Some(result)))
                .collect()
        };
        // 1: offline, every build failed; 2: offline and green; 3: connected, failing.
        let by_builder = HashMap::from([(1, builds(1, 2)), (2, builds(2, 0)), (3, builds(3, 2))]);
        let s = summarize(
            &selection,
            &by_builder,
            &HashMap::new(),
            &StaleBuilds::default(),
            StatusWindow::AllShown,
        );
        let rows = &s.branches[0].builders;
        let of = |i: usize| (rows[i].status, rows[i].builds_status);
        assert_eq!(
            of(0),
            (Some(BuilderStatus::Offline), Some(BuilderStatus::Failure))
        );
        assert_eq!(
            of(1),
            (Some(BuilderStatus::Offline), Some(BuilderStatus::Success))
        );
        assert_eq!(s.totals.by_status[&BuilderStatus::Offline], 2);
        assert_eq!(s.totals.by_status[&BuilderStatus::Failure], 1);
        assert_eq!(s.totals.failing_offline, 1);
    }

    #[test]
    fn running_build_cell() {
        let mut b = Build::for_test(9, 1, 3, None);
        b.started_at = Some(1);
        b.state_string = "building".into();
        assert_eq!(
            cell_of(&b, &StaleBuilds::default()).outcome,
            Outcome::Running
        );
        let stale = StaleBuilds::of(&[(
            9,
            Stale {
                age: 7200,
                why: crate::model::stale::StaleWhy::MasterGone,
            },
        )]);
        let cell = cell_of(&b, &stale);
        assert_eq!(cell.outcome, Outcome::Stale);
        assert_eq!(cell.stale.map(|s| s.age), Some(7200));
        assert_eq!(cell.result(), None);
    }

    #[test]
    fn a_stale_build_leaves_the_status_to_the_finished_builds_after_it() {
        use crate::model::classify::TagRules;
        use crate::model::select::SelectedBuilder;
        let tags = vec!["3.x".to_string(), "stable".to_string()];
        let selection = Selection {
            builders: vec![SelectedBuilder {
                builderid: 1,
                name: "B 3.x".into(),
                class: TagRules::default().classify("B 3.x", &tags),
                tags,
                connected: true,
                paused: false,
                pause_reason: None,
            }],
            active_total: 1,
            branches: vec!["3.x".into()],
            untagged_left_out: 0,
        };
        // #3 and #2 finished (failed) after #1, which is still listed as running.
        let builds = vec![
            Build::for_test(13, 1, 3, Some(2)),
            Build::for_test(12, 1, 2, Some(2)),
            Build::for_test(11, 1, 1, None),
        ];
        let by_builder = HashMap::from([(1, builds)]);
        let none = summarize(
            &selection,
            &by_builder,
            &HashMap::new(),
            &StaleBuilds::default(),
            StatusWindow::AllShown,
        );
        let row = &none.branches[0].builders[0];
        assert_eq!(row.status, Some(BuilderStatus::Building));
        let stale = StaleBuilds::of(&[(
            11,
            Stale {
                age: 90_000,
                why: crate::model::stale::StaleWhy::Overdue,
            },
        )]);
        for window in [StatusWindow::AllShown, StatusWindow::LatestOnly] {
            let s = summarize(&selection, &by_builder, &HashMap::new(), &stale, window);
            let row = &s.branches[0].builders[0];
            assert_eq!(row.status, Some(BuilderStatus::Failure), "{window:?}");
            assert_eq!(row.builds.len(), 3, "every build still shown");
            assert_eq!(row.builds[2].outcome, Outcome::Stale);
            assert_eq!(s.totals.by_status.get(&BuilderStatus::Building), None);
        }
    }
}

#[cfg(test)]
mod rerun_tests {
    use super::*;

    fn build(number: u32, results: Option<i64>, request: u64) -> Build {
        let mut b = Build::for_test(u64::from(number) + 100, 1, number, results);
        b.buildrequestid = Some(request);
        b
    }

    #[test]
    fn the_rerun_of_a_retried_build_request_is_linked_to_the_retry() {
        // Newest first: #5 re-runs request 9 after #4 and #3 were retried (a worker lost twice);
        // #2 failed and its request was never retried; #1 ran request 7.
        let builds = [
            build(5, Some(0), 9),
            build(4, Some(5), 9),
            build(3, Some(5), 9),
            build(2, Some(2), 8),
            build(1, Some(0), 7),
        ];
        let links: Vec<Option<u32>> = cells_of(&builds, &StaleBuilds::default())
            .iter()
            .map(|c| c.rerun_of)
            .collect();
        assert_eq!(links, [Some(4), Some(3), None, None, None]);
    }

    #[test]
    fn a_shared_request_without_a_retry_is_no_rerun() {
        // Buildbot collapses requests (same buildrequestid on a rebuild is not a retry).
        let builds = [build(2, Some(0), 9), build(1, Some(2), 9)];
        let cells = cells_of(&builds, &StaleBuilds::default());
        assert!(cells.iter().all(|c| c.rerun_of.is_none()));
    }
}
