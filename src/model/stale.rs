//! Stale running builds: a build Buildbot still lists as running (`complete: false`,
//! `results: null`) that will never finish, or has run far longer than its builder's builds do.
//!
//! Where the rule comes from (`../shared/docs/real-fleet-quirks.md`, checked on a real Buildbot
//! 4.3.0 master): a master killed mid-build and brought back under another name (a new host)
//! leaves its builds `complete: false` until the dead master's row has been silent for 10
//! minutes, and older Buildbot versions could leave them so for good; on a master restarted
//! under the same name they end as RETRY. Such a build is not "building": it must not make its
//! builder look busy, nor hide the finished builds after it, nor hold up `watch
//! --until-complete`. A build can also legitimately run for hours (a hung test with a long
//! timeout), so the time bound is a multiple of the builder's own usual build time, never less
//! than an absolute floor.
//!
//! Buildbot's masters check in every 60 seconds (`last_active`, `BuildMaster.masterHeartbeat`),
//! and mark a master `active: false` once its row has been silent for 10 minutes. A master
//! whose row is [`SILENT_AFTER`] seconds older than the newest master's is treated as gone
//! at once: both times come from the server's clock, so a skewed local clock does not matter.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::api::types::{Build, BuildId, BuilderId, Master};

/// Seconds a master's `last_active` may lag the newest master's before it counts as gone: three
/// missed heartbeats (Buildbot's heartbeat is every 60 s).
pub const SILENT_AFTER: i64 = 180;

/// When a running build counts as stale by time (the config's `[stale]` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleRule {
    /// A running build is stale once it has run `factor` times its builder's usual build time
    /// (the median duration of its finished SUCCESS/WARNINGS/FAILURE builds read) …
    pub factor: u32,
    /// … and never before this many seconds (also the bound of a builder with no finished
    /// build to measure).
    pub floor: i64,
}

impl StaleRule {
    /// `factor = 4`: a CPython refleak builder's usual 3-4 hours gives 12-16 hours.
    pub const DEFAULT_FACTOR: u32 = 4;
    /// `floor_minutes = 360`: six hours, beyond any normal CPython build (most take under an
    /// hour, regrtest's per-test timeout on the buildbots is 20 minutes).
    pub const DEFAULT_FLOOR_MINUTES: u32 = 360;

    /// The seconds after which a running build of a builder whose usual build time is `usual`
    /// (seconds; `None` when it has no finished build to measure) is stale.
    pub fn bound(&self, usual: Option<i64>) -> i64 {
        usual
            .map_or(0, |u| u.saturating_mul(i64::from(self.factor)))
            .max(self.floor)
    }
}

impl Default for StaleRule {
    fn default() -> Self {
        StaleRule {
            factor: Self::DEFAULT_FACTOR,
            floor: i64::from(Self::DEFAULT_FLOOR_MINUTES) * 60,
        }
    }
}

/// The rule and the time a run's running builds are judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleCheck {
    pub rule: StaleRule,
    /// When the data was read (Unix seconds): ages count to it.
    pub as_of: i64,
}

/// Why a running build is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaleWhy {
    /// The master running it is no longer active (it died; another master took over).
    MasterGone,
    /// It has run longer than its builder's bound ([`StaleRule::bound`]).
    Overdue,
}

impl StaleWhy {
    /// In words, after "stale:".
    pub fn describe(self) -> &'static str {
        match self {
            StaleWhy::MasterGone => "its master is gone",
            StaleWhy::Overdue => "far longer than its builder's builds take",
        }
    }
}

/// A stale build: how long ago it started (seconds, as of the data's time) and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stale {
    pub age: i64,
    pub why: StaleWhy,
}

/// The stale builds among those read, by build id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaleBuilds(HashMap<BuildId, Stale>);

impl StaleBuilds {
    pub fn get(&self, buildid: BuildId) -> Option<Stale> {
        self.0.get(&buildid).copied()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// A set of stale builds for tests of the views.
    #[cfg(test)]
    pub fn of(entries: &[(BuildId, Stale)]) -> StaleBuilds {
        StaleBuilds(entries.iter().copied().collect())
    }
}

/// Whether a build is still running as far as the server says (`complete: false` and no
/// result): the builds [`judge`] looks at, and the ones that make the masters list worth reading.
pub fn is_incomplete(b: &Build) -> bool {
    !b.complete && b.results.is_none()
}

/// The masters whose running builds will never finish: `active: false`, or silent for more
/// than [`SILENT_AFTER`] seconds behind the newest master's `last_active` (a master killed
/// without a clean stop keeps `active: true` for 10 minutes).
pub fn gone_masters(masters: &[Master]) -> HashSet<u32> {
    let newest = masters.iter().filter_map(|m| m.last_active).max();
    masters
        .iter()
        .filter(|m| {
            !m.active
                || matches!((newest, m.last_active), (Some(n), Some(l)) if n - l > SILENT_AFTER)
        })
        .map(|m| m.masterid)
        .collect()
}

/// A builder's usual build time: the median duration (seconds) of its finished SUCCESS,
/// WARNINGS or FAILURE builds among `builds` (exceptions, retries and cancellations are cut
/// short and say nothing of how long a build takes). `None` without one.
pub fn usual_duration(builds: &[Build]) -> Option<i64> {
    let mut durations: Vec<i64> = builds
        .iter()
        .filter(|b| b.complete && matches!(b.results, Some(0..=2)))
        .filter_map(|b| Some(b.complete_at? - b.started_at?))
        .filter(|d| *d >= 0)
        .collect();
    if durations.is_empty() {
        return None;
    }
    durations.sort_unstable();
    Some(durations[durations.len() / 2])
}

/// The stale builds among each builder's builds (`by_builder`, as read): every running build
/// whose master is in `gone` (see [`gone_masters`]) or that started more than
/// [`StaleRule::bound`] seconds before `as_of` (the time the data was read: now for a live
/// server, the recording time of a snapshot or of the cache with `--offline`).
pub fn judge(
    by_builder: &HashMap<BuilderId, Vec<Build>>,
    gone: &HashSet<u32>,
    rule: StaleRule,
    as_of: i64,
) -> StaleBuilds {
    let mut out = HashMap::new();
    for builds in by_builder.values() {
        if !builds.iter().any(is_incomplete) {
            continue;
        }
        let bound = rule.bound(usual_duration(builds));
        for b in builds.iter().filter(|b| is_incomplete(b)) {
            let age = b.started_at.map_or(0, |t| (as_of - t).max(0));
            let why = if b.masterid.is_some_and(|m| gone.contains(&m)) {
                StaleWhy::MasterGone
            } else if b.started_at.is_some() && age > bound {
                StaleWhy::Overdue
            } else {
                continue;
            };
            out.insert(b.buildid, Stale { age, why });
        }
    }
    StaleBuilds(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;

    fn finished(id: u64, started: i64, took: i64, results: i64) -> Build {
        let mut b = Build::for_test(id, 1, id as u32, Some(results));
        b.started_at = Some(started);
        b.complete_at = Some(started + took);
        b
    }

    fn running(id: u64, started: i64, master: u32) -> Build {
        let mut b = Build::for_test(id, 1, id as u32, None);
        b.started_at = Some(started);
        b.masterid = Some(master);
        b
    }

    fn master(id: u32, active: bool, last_active: i64) -> Master {
        Master {
            masterid: id,
            name: format!("host{id}:/srv/master"),
            active,
            last_active: Some(last_active),
        }
    }

    #[test]
    fn the_bound_is_a_multiple_of_the_usual_time_never_below_the_floor() {
        let rule = StaleRule {
            factor: 4,
            floor: 6 * HOUR,
        };
        assert_eq!(rule.bound(None), 6 * HOUR, "no history: the floor");
        assert_eq!(
            rule.bound(Some(HOUR / 2)),
            6 * HOUR,
            "short builds: the floor"
        );
        assert_eq!(rule.bound(Some(3 * HOUR)), 12 * HOUR, "refleak builds: 4x");
        assert_eq!(StaleRule::default(), rule);
    }

    #[test]
    fn the_usual_time_is_the_median_of_decisive_finished_builds() {
        let builds = [
            finished(1, 0, 600, 0),
            finished(2, 0, 900, 2),
            finished(3, 0, 30, 4),   // exception: cut short, ignored
            finished(4, 0, 10, 6),   // cancelled: ignored
            finished(5, 0, 1200, 1), // warnings
            running(6, 0, 1),
        ];
        assert_eq!(usual_duration(&builds), Some(900));
        assert_eq!(usual_duration(&builds[2..4]), None);
    }

    #[test]
    fn a_master_is_gone_when_inactive_or_silent_behind_the_newest() {
        let masters = [
            master(1, true, 10_000),
            master(2, true, 10_000 - SILENT_AFTER - 1), // killed: still "active" for 10 min
            master(3, false, 10_000),
            master(4, true, 10_000 - SILENT_AFTER), // one heartbeat late is fine
        ];
        let gone = gone_masters(&masters);
        assert_eq!(gone, HashSet::from([2, 3]));
        assert!(gone_masters(&[]).is_empty());
    }

    #[test]
    fn a_running_build_is_stale_when_its_master_is_gone_or_it_is_overdue() {
        let now = 100 * HOUR;
        let rule = StaleRule::default();
        let by_builder = HashMap::from([
            (
                1,
                vec![
                    running(10, now - 60, 2), // a minute old, but its master died
                    running(9, now - 60, 1),  // a minute old on a live master
                    finished(8, now - 3 * HOUR, HOUR, 0),
                ],
            ),
            (
                2,
                vec![
                    running(20, now - 7 * HOUR, 1), // over the 6 h floor, usual 1 h
                    finished(19, now - 9 * HOUR, HOUR, 2),
                ],
            ),
            (
                3,
                vec![
                    running(30, now - 7 * HOUR, 1), // refleaks: usual 3 h, bound 12 h
                    finished(29, now - 11 * HOUR, 3 * HOUR, 0),
                ],
            ),
        ]);
        let stale = judge(&by_builder, &HashSet::from([2]), rule, now);
        assert_eq!(
            stale.get(10),
            Some(Stale {
                age: 60,
                why: StaleWhy::MasterGone
            })
        );
        assert_eq!(stale.get(9), None);
        assert_eq!(
            stale.get(20),
            Some(Stale {
                age: 7 * HOUR,
                why: StaleWhy::Overdue
            })
        );
        assert_eq!(stale.get(30), None, "within 4x a refleak builder's time");
        assert_eq!(stale.len(), 2);
        // Finished builds are never stale, whatever their master.
        assert!(
            judge(&by_builder, &HashSet::from([1, 2]), rule, now)
                .get(8)
                .is_none()
        );
    }

    #[test]
    fn a_build_without_a_start_time_or_master_is_judged_by_what_it_has() {
        let mut b = Build::for_test(5, 1, 5, None);
        b.masterid = None;
        let by_builder = HashMap::from([(1, vec![b])]);
        let stale = judge(
            &by_builder,
            &HashSet::from([1]),
            StaleRule::default(),
            1 << 40,
        );
        assert!(stale.is_empty(), "nothing says it is stale");
    }
}
