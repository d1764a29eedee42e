//! What changed between two runs of the same report (`--since-last-run`): pure rules over the
//! builders' health then and now.
//!
//! A builder's **health** is judged by its newest finished build that says something (as the
//! status rule's verdict builds: success/warnings pass, failure/exception fail; skipped,
//! retried and cancelled builds say nothing), not by "building", which flips all day. The
//! digest lists:
//! - **new failure**: passing (or never built) then, failing now;
//! - **fixed**: failing then, passing now;
//! - **offline** / **back online**: no worker connected now / again;
//! - **still failing**: failing then and now, since the start of the oldest failing build of
//!   the current streak among the builds in hand. When every build in hand failed, the streak
//!   may be longer than what was read: it is dated "at least" from that build, or from what an
//!   earlier run saw when that is older (the run itself when no build says when).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::types::BuilderId;
use crate::model::status::Outcome;
use crate::model::summary::{BuildCell, BuilderRow, Summary};

/// What is kept between runs, per builder (serialised into the cache).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub name: String,
    pub branch: String,
    /// `Some(true)` failing, `Some(false)` passing, `None` no telling build yet.
    pub failing: Option<bool>,
    /// The build that decided `failing`.
    pub number: Option<u32>,
    pub connected: bool,
    /// When the current failing streak started (Unix seconds): the start of its oldest failing
    /// build in hand (or an earlier run's, see [`digest`]).
    pub failing_since: Option<i64>,
    /// That build.
    #[serde(default)]
    pub since_number: Option<u32>,
    /// The streak reaches past the builds read: it started at `failing_since` or earlier.
    /// (States saved before this field was kept dated streaks from when a run saw them.)
    #[serde(default = "at_least")]
    pub since_at_least: bool,
}

fn at_least() -> bool {
    true
}

/// The state of a report at one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestState {
    pub saved_at: i64,
    pub builders: BTreeMap<BuilderId, Health>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    NewFailure,
    Fixed,
    Offline,
    BackOnline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub builderid: BuilderId,
    pub name: String,
    pub branch: String,
    /// The build that shows it (for failures and fixes).
    pub number: Option<u32>,
    /// Why the build failed (Buildbot's state string), for new failures.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StillFailing {
    pub builderid: BuilderId,
    pub name: String,
    pub branch: String,
    /// When the streak started (see [`Health::failing_since`]).
    pub since: i64,
    /// The oldest failing build of the streak, when known.
    pub since_number: Option<u32>,
    /// The streak started at `since` or earlier.
    pub since_at_least: bool,
    /// The newest failed build.
    pub number: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// When the previous run saved its state; `None` on the first run.
    pub previous_at: Option<i64>,
    pub changes: Vec<Change>,
    pub still_failing: Vec<StillFailing>,
    /// The state to save for the next run.
    pub state: DigestState,
}

/// A row's health now; `None` when its builds could not be read (keep the old state).
pub fn health_of(row: &BuilderRow) -> Option<Health> {
    if row.load_error.is_some() {
        return None;
    }
    // The builds that say something, newest first: failed (failure, exception) or passed.
    let verdicts: Vec<(&BuildCell, bool)> = row
        .builds
        .iter()
        .filter_map(|b| match b.outcome {
            Outcome::Finished(r) if r.is_verdict() => Some((b, !r.passed())),
            _ => None,
        })
        .collect();
    let decisive = verdicts.first();
    let streak = verdicts.iter().take_while(|(_, failed)| *failed).count();
    // The current streak dates from its oldest failing build in hand; when no passing build
    // is older, the streak may reach further back than the builds read.
    let oldest = streak.checked_sub(1).map(|i| verdicts[i].0);
    let started = oldest.and_then(|b| b.started_at.or(b.complete_at));
    Some(Health {
        name: row.name.clone(),
        branch: row.class.branch.clone(),
        failing: decisive.map(|(_, failed)| *failed),
        number: decisive.map(|(b, _)| b.number),
        connected: row.connected,
        failing_since: started,
        since_number: oldest.map(|b| b.number),
        since_at_least: started.is_none() || streak == verdicts.len(),
    })
}

/// Compare the summary now with the state saved by the previous run.
pub fn digest(previous: Option<&DigestState>, summary: &Summary, now: i64) -> Digest {
    let mut state = DigestState {
        saved_at: now,
        builders: BTreeMap::new(),
    };
    let mut changes = Vec::new();
    let mut still_failing = Vec::new();
    for row in summary.branches.iter().flat_map(|b| &b.builders) {
        let before = previous.and_then(|p| p.builders.get(&row.builderid));
        let Some(mut health) = health_of(row) else {
            if let Some(b) = before {
                state.builders.insert(row.builderid, b.clone()); // unknown now: keep
            }
            continue;
        };
        let failing_now = health.failing == Some(true);
        if failing_now {
            // A streak longer than the builds in hand: an earlier run may have seen more of
            // it. Failing then and now, its date is the older of the two.
            let earlier = before
                .filter(|b| b.failing == Some(true))
                .and_then(|b| Some((b.failing_since?, b)));
            if let Some((then, b)) = earlier
                && health.since_at_least
                && health.failing_since.is_none_or(|t| then < t)
            {
                health.failing_since = Some(then);
                health.since_number = b.since_number;
                health.since_at_least = b.since_at_least;
            }
            if health.failing_since.is_none() {
                // No build says when: the run that first sees it.
                health.failing_since = Some(now);
                health.since_at_least = true;
            }
        }
        if let (Some(before), Some(_)) = (before, previous) {
            let change = |kind| Change {
                kind,
                builderid: row.builderid,
                name: row.name.clone(),
                branch: row.class.branch.clone(),
                number: health.number,
                reason: None,
            };
            match (before.failing, health.failing) {
                (Some(true), Some(true)) => still_failing.push(StillFailing {
                    builderid: row.builderid,
                    name: row.name.clone(),
                    branch: row.class.branch.clone(),
                    since: health.failing_since.unwrap_or(now),
                    since_number: health.since_number,
                    since_at_least: health.since_at_least,
                    number: health.number,
                }),
                (Some(false) | None, Some(true)) => changes.push(Change {
                    reason: row
                        .last_failure
                        .as_ref()
                        .filter(|f| Some(f.number) == health.number)
                        .map(|f| f.reason.clone()),
                    ..change(ChangeKind::NewFailure)
                }),
                (Some(true), Some(false)) => changes.push(change(ChangeKind::Fixed)),
                _ => {}
            }
            match (before.connected, health.connected) {
                (true, false) => changes.push(Change {
                    number: None,
                    ..change(ChangeKind::Offline)
                }),
                (false, true) => changes.push(Change {
                    number: None,
                    ..change(ChangeKind::BackOnline)
                }),
                _ => {}
            }
        }
        state.builders.insert(row.builderid, health);
    }
    changes.sort_by(|a, b| (a.kind, &a.branch, &a.name).cmp(&(b.kind, &b.branch, &b.name)));
    still_failing.sort_by_key(|s| (s.since, s.name.clone()));
    Digest {
        previous_at: previous.map(|p| p.saved_at),
        changes,
        still_failing,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::classify::{BuilderClass, Stability};
    use crate::model::status::{BuildResult, BuilderStatus};
    use crate::model::summary::{BranchSummary, BuildCell, FailureNote, Totals};

    fn row(id: BuilderId, connected: bool, outcomes: &[Outcome]) -> BuilderRow {
        let builds: Vec<BuildCell> = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| BuildCell {
                buildid: 100 + i as u64,
                number: (outcomes.len() - i) as u32,
                outcome: *o,
                revision: None,
                state_string: String::new(),
                started_at: None,
                complete_at: None,
                rerun_of: None,
                stale: None,
            })
            .collect();
        let last_failure = builds.iter().find_map(|b| match b.outcome {
            Outcome::Finished(r) if r.is_verdict() && !r.passed() => Some(FailureNote {
                number: b.number,
                result: r,
                reason: "failed test".into(),
                tests: Vec::new(),
            }),
            _ => None,
        });
        BuilderRow {
            builderid: id,
            name: format!("builder {id}"),
            tags: Vec::new(),
            class: BuilderClass {
                branch: "3.x".into(),
                branch_from_tag: true,
                stability: Stability::Stable,
                tier: Some(1),
            },
            connected,
            paused: false,
            pause_reason: None,
            status: Some(BuilderStatus::Success),
            builds_status: Some(BuilderStatus::Success),
            builds,
            last_failure,
            load_error: None,
        }
    }

    fn summary(rows: Vec<BuilderRow>) -> Summary {
        Summary {
            selected: rows.len(),
            active_total: rows.len(),
            branches: vec![BranchSummary {
                name: "3.x".into(),
                builders: rows,
            }],
            totals: Totals::default(),
        }
    }

    const PASS: Outcome = Outcome::Finished(BuildResult::Success);
    const FAIL: Outcome = Outcome::Finished(BuildResult::Failure);
    const SKIP: Outcome = Outcome::Finished(BuildResult::Cancelled);

    #[test]
    fn the_first_run_reports_nothing_and_records_everything() {
        let d = digest(None, &summary(vec![row(1, true, &[FAIL])]), 1000);
        assert_eq!(d.previous_at, None);
        assert!(d.changes.is_empty() && d.still_failing.is_empty());
        assert_eq!(d.state.builders[&1].failing_since, Some(1000));
    }

    #[test]
    fn failures_fixes_and_connections_are_changes() {
        let before = digest(
            None,
            &summary(vec![
                row(1, true, &[PASS]),
                row(2, true, &[FAIL]),
                row(3, true, &[PASS]),
                row(4, false, &[PASS]),
                row(5, true, &[FAIL]),
            ]),
            1000,
        )
        .state;
        let now = summary(vec![
            row(1, true, &[Outcome::Running, FAIL, PASS]),
            row(2, true, &[PASS, FAIL]),
            row(3, false, &[PASS]),
            row(4, true, &[PASS]),
            row(5, true, &[SKIP, FAIL]),
        ]);
        let d = digest(Some(&before), &now, 5000);
        let kinds: Vec<(ChangeKind, BuilderId, Option<u32>)> = d
            .changes
            .iter()
            .map(|c| (c.kind, c.builderid, c.number))
            .collect();
        assert_eq!(
            kinds,
            [
                (ChangeKind::NewFailure, 1, Some(2)),
                (ChangeKind::Fixed, 2, Some(2)),
                (ChangeKind::Offline, 3, None),
                (ChangeKind::BackOnline, 4, None),
            ]
        );
        assert_eq!(d.changes[0].reason.as_deref(), Some("failed test"));
        // Builder 5 still fails (a cancelled build says nothing), since the first run.
        assert_eq!(d.still_failing.len(), 1);
        assert_eq!(
            (d.still_failing[0].builderid, d.still_failing[0].since),
            (5, 1000)
        );
        assert_eq!(d.previous_at, Some(1000));
    }

    /// `row` with times: build N started at N * 100 and took 50 s.
    fn timed(id: BuilderId, outcomes: &[Outcome]) -> BuilderRow {
        let mut r = row(id, true, outcomes);
        for b in &mut r.builds {
            b.started_at = Some(i64::from(b.number) * 100);
            b.complete_at = Some(i64::from(b.number) * 100 + 50);
        }
        r
    }

    #[test]
    fn a_streak_dates_from_its_oldest_failing_build_in_hand_not_from_the_run() {
        // #4, #3, #2 failed, #1 passed: failing since #2 started, whenever the digest first ran.
        let builds = [FAIL, FAIL, FAIL, PASS];
        let first = digest(None, &summary(vec![timed(1, &builds)]), 9000);
        let h = &first.state.builders[&1];
        assert_eq!(
            (h.failing_since, h.since_number, h.since_at_least),
            (Some(200), Some(2), false)
        );
        let d = digest(Some(&first.state), &summary(vec![timed(1, &builds)]), 9500);
        let s = &d.still_failing[0];
        assert_eq!(
            (s.since, s.since_number, s.since_at_least, s.number),
            (200, Some(2), false, Some(4))
        );
    }

    #[test]
    fn a_streak_longer_than_the_builds_read_is_dated_at_least_and_keeps_what_an_earlier_run_saw() {
        // Every build in hand failed: the streak began at #1's start or earlier.
        let d = digest(None, &summary(vec![timed(1, &[FAIL, FAIL])]), 9000);
        let h = &d.state.builders[&1];
        assert_eq!(
            (h.failing_since, h.since_number, h.since_at_least),
            (Some(100), Some(1), true)
        );
        // An earlier run saw where it started (#2, after #1 passed); now only #3..#5 are in
        // hand, all failing: the earlier, exact date stands.
        let earlier = digest(None, &summary(vec![timed(1, &[FAIL, PASS])]), 1000).state;
        let now = timed(1, &[FAIL, FAIL, FAIL]);
        let mut now = now;
        for (b, n) in now.builds.iter_mut().zip([5, 4, 3]) {
            b.number = n;
            b.started_at = Some(i64::from(n) * 100);
        }
        let d = digest(Some(&earlier), &summary(vec![now]), 9000);
        let s = &d.still_failing[0];
        assert_eq!(
            (s.since, s.since_number, s.since_at_least),
            (200, Some(2), false)
        );
        // A state saved before streaks were dated from builds is taken as "at least".
        let old: Health = serde_json::from_str(
            r#"{"name":"b","branch":"3.x","failing":true,"number":4,"connected":true,"failing_since":7}"#,
        )
        .expect("an old state reads");
        assert_eq!((old.since_number, old.since_at_least), (None, true));
    }

    #[test]
    fn an_unreadable_builder_keeps_its_previous_state() {
        let before = digest(None, &summary(vec![row(1, true, &[FAIL])]), 1000).state;
        let mut broken = row(1, true, &[]);
        broken.load_error = Some("HTTP 500".into());
        let d = digest(Some(&before), &summary(vec![broken]), 2000);
        assert!(d.changes.is_empty());
        assert_eq!(d.state.builders[&1], before.builders[&1]);
    }
}
