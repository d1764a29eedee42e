//! The failing tests of a branch (`bbreport failures`): per test, the builders where it fails,
//! in which builds and how, since when, and a classification across builders. Its JSON is
//! `kind: "failures"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::api::ServerUrl;
use crate::model::failures::{
    Classification, LogNote, NoFailingTest, NoTestWhy, Occurrence, OutsideTests, Symptom, TestRow,
    TestStepException, Unlocated,
};

#[derive(Debug, Serialize)]
pub struct FailuresReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub branch: String,
    /// Newest builds read per builder (`--builds`).
    pub builds_per_builder: usize,
    /// Test logs read and parsed (one per failure or warnings build).
    pub logs_parsed: usize,
    /// Most widespread first, then by name.
    pub tests: Vec<FailingTest>,
    /// Builds of the matrix whose test log does not tell everything: Buildbot killed the step
    /// (or the log names another infrastructure cause), a test was still running when the log
    /// ends, or the search of a long log left failures unread.
    pub log_notes: Vec<LogNoteEntry>,
    /// EXCEPTION builds whose exception happened in the test step (a lost worker, a full
    /// disk): with the tests, but no test's failure.
    pub test_step_exceptions: Vec<TestStepExceptionEntry>,
    /// Failed or exception builds whose test step failed but whose log names no failing test
    /// (Buildbot's no-output kill, a test runner that failed before any test ran, a log
    /// deleted by the server or unreadable): listed with what is known, never dropped.
    pub no_failing_test: Vec<NoFailingTestEntry>,
    /// Failed builds whose failure is not in a test step (compile, configure, a step after
    /// the tests, an exception in another step).
    pub outside_tests: Vec<OutsideTest>,
}

#[derive(Debug, Serialize)]
pub struct FailingTest {
    pub test: String,
    pub classification: Classification,
    /// For `platform_or_worker`: what the failing builders share (`tag refleak`, `worker NAME`).
    pub shared: Option<String>,
    /// One per builder where it failed.
    pub occurrences: Vec<TestOccurrence>,
    /// Builders where it failed outright, and builders where it only passed on re-run (the
    /// classification is made from the first).
    #[serde(skip)]
    pub builder_counts: (usize, usize),
}

#[derive(Debug, Serialize)]
pub struct TestOccurrence {
    pub builder: String,
    pub builderid: u32,
    /// The builder's web page.
    pub url: String,
    /// Newest first.
    pub builds: Vec<BuildSymptom>,
    /// The oldest build of the current streak: every build from it to the newest that ran the
    /// test failed it (not just passed on re-run); null when the newest did not fail it.
    pub since: Option<u32>,
    /// Builds in the current streak.
    pub streak: usize,
    /// The streak reaches the oldest build read: it may be longer (`since` or earlier).
    pub streak_open_ended: bool,
    /// Not failing now: the builds since this one ran it without failing it.
    pub passing_since: Option<u32>,
    /// Failing the newest builds in a row, as many as the release rule's threshold (2) or more.
    pub persistent: bool,
    /// The known issue it matches; null: new.
    pub known: Option<String>,
}

/// One build in which a test failed, and how.
#[derive(Debug, Serialize)]
pub struct BuildSymptom {
    pub number: u32,
    /// failed, passed_on_rerun, timed_out, crashed.
    pub symptom: Symptom,
    /// The build's web page.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct TestStepExceptionEntry {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    /// Buildbot's summary (`exception test`, `exception interrupted`).
    pub reason: String,
    /// Infrastructure causes its test log names (`No space left on device`…).
    pub causes: Vec<String>,
    /// The test running when the log ends; null when unknown.
    pub last_test: Option<String>,
    /// The build's web page.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct NoFailingTestEntry {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    /// The build's result: `failure` or `exception`.
    pub result: &'static str,
    /// Buildbot's summary (`failed test`).
    pub reason: String,
    /// The test step's name; null when the steps could not be read.
    pub step: Option<String>,
    /// `log_names_no_test`, `log_deleted` (by the server), `no_log` (the step has no stdio
    /// log) or `log_unreadable` (the server answered with an error; exit code 6).
    pub why: NoTestWhy,
    /// Infrastructure causes the log names (`Buildbot killed the step: command timed out: 1200
    /// seconds without output`, `No space left on device`…).
    pub causes: Vec<String>,
    /// Tests that altered the environment (a failure with `--fail-env-changed`).
    pub env_changed: Vec<String>,
    /// The test still running when the log ends; null when none or unknown.
    pub last_test: Option<String>,
    /// The log's length in lines, when the server lists the log (a deleted log keeps it).
    pub log_lines: Option<u64>,
    /// Why the log could not be read (`log_unreadable`); null otherwise.
    pub read_error: Option<String>,
    /// The search of a long log left failures unread (`{counted, unlocated, budget_spent}`);
    /// null when there was no search or it found them all.
    pub unlocated: Option<Unlocated>,
    /// The build's web page.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct LogNoteEntry {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    /// Infrastructure causes the log names (`Buildbot killed the step: command timed out: 1200
    /// seconds without output`).
    pub causes: Vec<String>,
    /// The test still running when the log ends; null when none.
    pub last_test: Option<String>,
    /// The search of a long log left failures unread (`{counted, unlocated, budget_spent}`);
    /// null otherwise.
    pub unlocated: Option<Unlocated>,
    /// The build's web page.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct OutsideTest {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    /// What failed, from Buildbot's summary (`failed compile`, `exception: …`).
    pub reason: String,
    /// The first step that failed or ended in an exception (`compile`); null when unknown.
    pub step: Option<String>,
    /// The build's web page.
    pub url: String,
}

/// What the `failures` command found, as the model computed it.
#[derive(Debug, Clone, Copy)]
pub struct FailuresInput<'a> {
    pub branch: &'a str,
    pub builds_per_builder: usize,
    pub logs_parsed: usize,
    pub rows: &'a [TestRow],
    pub outside: &'a [OutsideTests],
    pub exceptions: &'a [TestStepException],
    pub no_failing_test: &'a [NoFailingTest],
    pub log_notes: &'a [LogNote],
}

impl FailuresReport {
    pub fn new(input: FailuresInput<'_>, origin: &ReportOrigin<'_>) -> FailuresReport {
        let server = origin.server;
        FailuresReport {
            header: origin.header("failures"),
            branch: input.branch.to_string(),
            builds_per_builder: input.builds_per_builder,
            logs_parsed: input.logs_parsed,
            tests: input
                .rows
                .iter()
                .map(|t| FailingTest {
                    test: t.test.clone(),
                    classification: t.classification,
                    shared: t.shared.clone(),
                    occurrences: t
                        .occurrences
                        .iter()
                        .map(|o| occurrence(o, server))
                        .collect(),
                    builder_counts: t.builder_counts(),
                })
                .collect(),
            log_notes: input
                .log_notes
                .iter()
                .map(|n| LogNoteEntry {
                    builder: n.builder.clone(),
                    builderid: n.builderid,
                    number: n.number,
                    causes: n.causes.clone(),
                    last_test: n.last_test.clone(),
                    unlocated: n.unlocated,
                    url: server.build_url(n.builderid, n.number),
                })
                .collect(),
            test_step_exceptions: input
                .exceptions
                .iter()
                .map(|e| TestStepExceptionEntry {
                    builder: e.builder.clone(),
                    builderid: e.builderid,
                    number: e.number,
                    reason: e.reason.clone(),
                    causes: e.causes.clone(),
                    last_test: e.last_test.clone(),
                    url: server.build_url(e.builderid, e.number),
                })
                .collect(),
            no_failing_test: input
                .no_failing_test
                .iter()
                .map(|n| NoFailingTestEntry {
                    builder: n.builder.clone(),
                    builderid: n.builderid,
                    number: n.number,
                    result: n.result.as_str(),
                    reason: n.reason.clone(),
                    step: n.step.clone(),
                    why: n.why,
                    causes: n.causes.clone(),
                    env_changed: n.env_changed.clone(),
                    last_test: n.last_test.clone(),
                    log_lines: n.log_lines,
                    read_error: n.read_error.clone(),
                    unlocated: n.unlocated,
                    url: server.build_url(n.builderid, n.number),
                })
                .collect(),
            outside_tests: input
                .outside
                .iter()
                .map(|o| OutsideTest {
                    builder: o.builder.clone(),
                    builderid: o.builderid,
                    number: o.number,
                    reason: o.reason.clone(),
                    step: o.step.clone(),
                    url: server.build_url(o.builderid, o.number),
                })
                .collect(),
        }
    }

    /// Builders where some test failed.
    pub fn failing_builders(&self) -> usize {
        let ids: std::collections::BTreeSet<u32> = self
            .tests
            .iter()
            .flat_map(|t| t.occurrences.iter().map(|o| o.builderid))
            .collect();
        ids.len()
    }
}

fn occurrence(o: &Occurrence, server: &ServerUrl) -> TestOccurrence {
    TestOccurrence {
        builder: o.builder.clone(),
        builderid: o.builderid,
        url: server.builder_url(o.builderid),
        builds: o
            .builds
            .iter()
            .map(|&(number, symptom)| BuildSymptom {
                number,
                symptom,
                url: server.build_url(o.builderid, number),
            })
            .collect(),
        since: o.since,
        streak: o.streak,
        streak_open_ended: o.streak_open_ended,
        passing_since: o.passing_since,
        persistent: o.persistent,
        known: o.known.clone(),
    }
}
