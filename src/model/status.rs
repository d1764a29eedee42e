//! Build results and the one definition of a builder's status.

use serde::Serialize;

/// Buildbot's result codes (`buildbot.process.results`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BuildResult {
    Success,
    Warnings,
    Failure,
    Skipped,
    Exception,
    Retry,
    Cancelled,
}

impl BuildResult {
    /// `None` for a running build (`results: null`) and for codes this version does not know.
    pub fn from_code(code: Option<i64>) -> Option<BuildResult> {
        Some(match code? {
            0 => BuildResult::Success,
            1 => BuildResult::Warnings,
            2 => BuildResult::Failure,
            3 => BuildResult::Skipped,
            4 => BuildResult::Exception,
            5 => BuildResult::Retry,
            6 => BuildResult::Cancelled,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BuildResult::Success => "success",
            BuildResult::Warnings => "warnings",
            BuildResult::Failure => "failure",
            BuildResult::Skipped => "skipped",
            BuildResult::Exception => "exception",
            BuildResult::Retry => "retry",
            BuildResult::Cancelled => "cancelled",
        }
    }

    /// Whether the build passed. WARNINGS passes: on CPython it means a test failed and then
    /// passed on re-run, or a git/clean step failed; the code under test built and passed.
    pub fn passed(self) -> bool {
        matches!(self, BuildResult::Success | BuildResult::Warnings)
    }

    /// SUCCESS, WARNINGS or FAILURE: the results the release rules judge by (an exception is
    /// Buildbot's or the worker's trouble; skipped, retried and cancelled builds say nothing).
    pub fn is_decisive(self) -> bool {
        matches!(
            self,
            BuildResult::Success | BuildResult::Warnings | BuildResult::Failure
        )
    }

    /// Whether the build says anything about the code: skipped, retried and cancelled builds
    /// do not; exceptions do (the old bbreport counted them against the builder).
    pub fn is_verdict(self) -> bool {
        !matches!(
            self,
            BuildResult::Skipped | BuildResult::Retry | BuildResult::Cancelled
        )
    }
}

/// A build's outcome as the status rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Running,
    /// Listed as running, but it will never finish or has run far too long (its master is gone,
    /// or it is overdue: see `super::stale`). Says nothing about the builder: ignored like a
    /// cancelled build, and it does not make the builder building.
    Stale,
    Finished(BuildResult),
    /// Finished with a result code this version does not know; ignored like a cancelled build.
    Unrecognised,
}

/// A builder's status, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuilderStatus {
    Building,
    Success,
    Unstable,
    Failure,
    /// Its connected workers are all paused: it takes no build until one is unpaused.
    Paused,
    Offline,
    NoBuilds,
}

impl BuilderStatus {
    pub const ALL: [BuilderStatus; 7] = [
        BuilderStatus::Building,
        BuilderStatus::Success,
        BuilderStatus::Unstable,
        BuilderStatus::Failure,
        BuilderStatus::Paused,
        BuilderStatus::Offline,
        BuilderStatus::NoBuilds,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BuilderStatus::Building => "building",
            BuilderStatus::Success => "success",
            BuilderStatus::Unstable => "unstable",
            BuilderStatus::Failure => "failure",
            BuilderStatus::Paused => "paused",
            BuilderStatus::Offline => "offline",
            BuilderStatus::NoBuilds => "no builds",
        }
    }
}

/// Whether a builder can build now: some worker configured for it is connected and not paused
/// (`Connected`), every connected one is paused (`Paused`: Buildbot's `paused: true`, set
/// through the REST control API or the web UI), or none is connected (`Offline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    Connected,
    Paused,
    Offline,
}

impl Presence {
    pub fn of(connected: bool, paused: bool) -> Presence {
        match (connected, paused) {
            (false, _) => Presence::Offline,
            (true, true) => Presence::Paused,
            (true, false) => Presence::Connected,
        }
    }

    /// The status a builder that cannot build has, whatever its builds say.
    fn status(self) -> Option<BuilderStatus> {
        match self {
            Presence::Connected => None,
            Presence::Paused => Some(BuilderStatus::Paused),
            Presence::Offline => Some(BuilderStatus::Offline),
        }
    }

    /// The word of the mark next to a failing builder that cannot build: `offline`, `paused`.
    pub fn mark(self) -> Option<&'static str> {
        self.status().map(BuilderStatus::as_str)
    }
}

/// The status of a builder from its newest builds (newest first) and whether it can build:
///
/// - `offline`: no connected worker (whatever its builds say: nothing new will come);
/// - `paused`: its connected workers are all paused (nothing new will come until unpaused);
/// - otherwise what its builds say ([`builds_status`]).
///
/// This is the JSON `status` (schema_version 1). Offline (or paused) and failing are two
/// facts: reports show a builder by [`shown_status`], which does not let the first hide the
/// second.
pub fn builder_status(outcomes: &[Outcome], presence: Presence) -> BuilderStatus {
    presence.status().unwrap_or_else(|| builds_status(outcomes))
}

/// What a builder's builds say, whether or not a worker is connected (never `offline`):
///
/// - `building`: a build is running (a stale one does not count: [`Outcome::Stale`]);
/// - `no builds`: no finished build that says anything (only skipped, retried, cancelled);
/// - `success`: every such build passed (success or warnings);
/// - `failure`: none passed (failure or exception);
/// - `unstable`: some passed and some did not.
pub fn builds_status(outcomes: &[Outcome]) -> BuilderStatus {
    if outcomes.contains(&Outcome::Running) {
        return BuilderStatus::Building;
    }
    let verdicts = outcomes.iter().filter_map(|o| match o {
        Outcome::Finished(r) if r.is_verdict() => Some(r.passed()),
        _ => None,
    });
    let (mut passed, mut failed) = (0, 0);
    for p in verdicts {
        if p { passed += 1 } else { failed += 1 }
    }
    match (passed, failed) {
        (0, 0) => BuilderStatus::NoBuilds,
        (_, 0) => BuilderStatus::Success,
        (0, _) => BuilderStatus::Failure,
        _ => BuilderStatus::Unstable,
    }
}

/// The status a report shows a builder by: failing outranks offline and paused. An offline
/// (or paused) builder whose builds fail is shown as a failure (and marked: see
/// [`presence_mark`]), as `release` calls it persistently failing and `watch` counts it
/// failing; any other offline or paused builder is shown offline or paused. A reader counting
/// red must not miss one because its worker went away or was paused.
pub fn shown_status(builds: BuilderStatus, presence: Presence) -> BuilderStatus {
    match (presence.status(), builds) {
        (None, s) | (Some(_), s @ BuilderStatus::Failure) => s,
        (Some(p), _) => p,
    }
}

/// What a builder shown by `shown` cannot do that its status does not already say: the
/// `offline` or `paused` mark next to a failing builder.
pub fn presence_mark(shown: BuilderStatus, presence: Presence) -> Option<&'static str> {
    presence.mark().filter(|_| presence.status() != Some(shown))
}

/// `-qq` judges a builder by its latest build only (as the old bbreport did): the prefix of
/// `outcomes` up to and including the newest build that is running or gives a verdict.
pub fn latest_only(outcomes: &[Outcome]) -> &[Outcome] {
    let end = outcomes
        .iter()
        .position(|o| {
            matches!(o, Outcome::Running) || matches!(o, Outcome::Finished(r) if r.is_verdict())
        })
        .map_or(outcomes.len(), |i| i + 1);
    &outcomes[..end]
}

#[cfg(test)]
mod tests {
    use super::BuildResult::*;
    use super::BuilderStatus as S;
    use super::*;

    const C: Presence = Presence::Connected;
    const OFF: Presence = Presence::Offline;

    fn f(results: &[BuildResult]) -> Vec<Outcome> {
        results.iter().map(|r| Outcome::Finished(*r)).collect()
    }

    #[test]
    fn all_passing_is_success_warnings_included() {
        assert_eq!(
            builder_status(&f(&[Success, Warnings, Success]), C),
            S::Success
        );
    }

    #[test]
    fn none_passing_is_failure_exceptions_included() {
        assert_eq!(
            builder_status(&f(&[Failure, Exception, Failure]), C),
            S::Failure
        );
    }

    #[test]
    fn mixed_is_unstable_in_either_direction() {
        assert_eq!(
            builder_status(&f(&[Failure, Success, Success]), C),
            S::Unstable
        );
        assert_eq!(
            builder_status(&f(&[Success, Failure, Failure]), C),
            S::Unstable
        );
        assert_eq!(builder_status(&f(&[Success, Exception]), C), S::Unstable);
    }

    #[test]
    fn disconnected_is_offline_even_with_green_builds() {
        assert_eq!(builder_status(&f(&[Success]), OFF), S::Offline);
        assert_eq!(builder_status(&[], OFF), S::Offline);
    }

    #[test]
    fn offline_does_not_hide_failing() {
        let failed = f(&[Failure, Failure, Failure, Failure]);
        // JSON's status (v1): offline wins; what the builds say is kept beside it.
        assert_eq!(builder_status(&failed, OFF), S::Offline);
        assert_eq!(builds_status(&failed), S::Failure);
        // Shown: a failure, marked offline.
        assert_eq!(shown_status(builds_status(&failed), OFF), S::Failure);
        assert_eq!(presence_mark(S::Failure, OFF), Some("offline"));
        // Offline with green or mixed builds is shown offline, without a second mark.
        for other in [f(&[Success]), f(&[Failure, Success]), Vec::new()] {
            assert_eq!(shown_status(builds_status(&other), OFF), S::Offline);
            assert_eq!(presence_mark(S::Offline, OFF), None);
        }
        assert_eq!(shown_status(S::Failure, C), S::Failure);
        assert_eq!(presence_mark(S::Failure, C), None);
    }

    #[test]
    fn paused_is_its_own_status_and_does_not_hide_failing() {
        let p = Presence::of(true, true);
        assert_eq!(p, Presence::Paused);
        assert_eq!(Presence::of(false, true), OFF, "disconnected wins");
        assert_eq!(builder_status(&f(&[Success]), p), S::Paused);
        let failed = f(&[Failure, Failure]);
        assert_eq!(shown_status(builds_status(&failed), p), S::Failure);
        assert_eq!(presence_mark(S::Failure, p), Some("paused"));
        assert_eq!(shown_status(builds_status(&f(&[Success])), p), S::Paused);
        assert_eq!(presence_mark(S::Paused, p), None);
    }

    #[test]
    fn a_stale_build_neither_makes_it_building_nor_hides_the_finished_ones() {
        let mut o = vec![Outcome::Stale];
        o.extend(f(&[Failure, Success]));
        assert_eq!(builder_status(&o, C), S::Unstable);
        assert_eq!(builder_status(&[Outcome::Stale], C), S::NoBuilds);
        // -qq: the newest finished build decides, past the stale one.
        assert_eq!(latest_only(&o), &o[..2]);
        assert_eq!(builder_status(latest_only(&o), C), S::Failure);
    }

    #[test]
    fn a_running_build_makes_it_building() {
        let mut o = vec![Outcome::Running];
        o.extend(f(&[Failure, Failure]));
        assert_eq!(builder_status(&o, C), S::Building);
    }

    #[test]
    fn no_verdict_builds_is_no_builds() {
        assert_eq!(builder_status(&[], C), S::NoBuilds);
        assert_eq!(
            builder_status(&f(&[Cancelled, Skipped, Retry]), C),
            S::NoBuilds
        );
        assert_eq!(builder_status(&[Outcome::Unrecognised], C), S::NoBuilds);
    }

    #[test]
    fn cancelled_builds_do_not_count() {
        assert_eq!(
            builder_status(&f(&[Cancelled, Success, Retry]), C),
            S::Success
        );
    }

    #[test]
    fn latest_only_stops_at_first_verdict() {
        let o = f(&[Cancelled, Failure, Success]);
        assert_eq!(latest_only(&o), &o[..2]);
        assert_eq!(builder_status(latest_only(&o), C), S::Failure);
        let running = vec![Outcome::Running, Outcome::Finished(Success)];
        assert_eq!(latest_only(&running), &running[..1]);
    }

    #[test]
    fn result_codes_map_like_buildbot() {
        let codes: Vec<_> = (0..7).map(|c| BuildResult::from_code(Some(c))).collect();
        assert_eq!(
            codes,
            [
                Some(Success),
                Some(Warnings),
                Some(Failure),
                Some(Skipped),
                Some(Exception),
                Some(Retry),
                Some(Cancelled)
            ]
        );
        assert_eq!(BuildResult::from_code(None), None);
        assert_eq!(BuildResult::from_code(Some(42)), None);
    }
}
