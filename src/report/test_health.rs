//! Test health across the fleet (`bbreport tests`): every test that failed or was re-run in
//! the window, how often, how, where and since when, and the infrastructure failures counted
//! apart. Its JSON is `kind: "tests"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::model::test_health::{HealthClass, InfraBuild, InfraKind, TestHealth, infra_counts};

#[derive(Debug, Serialize)]
pub struct TestsReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// The branches covered, newest first.
    pub branches: Vec<String>,
    pub window: WindowEntry,
    /// Builders covered.
    pub builders: usize,
    /// Finished builds judged in the window.
    pub builds: usize,
    /// FAILURE, WARNINGS and EXCEPTION builds whose test log was read (each once).
    pub logs_read: usize,
    /// Of those, the ones whose steps or log could not be fetched (exit code 6).
    pub logs_unreadable: usize,
    /// Sorted by failures, then builders affected, then the newest failure, then name.
    pub tests: Vec<TestEntry>,
    /// Builds that failed for no test's fault: counts per kind (every kind, zeros included)
    /// and the builds, newest first.
    pub infrastructure: InfraEntry,
}

/// Which builds were judged.
#[derive(Debug, Serialize)]
pub struct WindowEntry {
    /// `--days`: builds started in the last N days; null with `--builds`.
    pub days: Option<u32>,
    /// `--builds`: each builder's newest N builds; null with `--days`.
    pub builds: Option<u32>,
    /// `--days`: the window's start (Unix seconds).
    pub since: Option<i64>,
    /// `--days`: builders whose window was cut at `max_builds` builds (they build more often).
    pub cut_builders: Vec<String>,
    /// `--days`: builds read per builder at most.
    pub max_builds: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct TestEntry {
    pub test: String,
    /// `persistent` (failing the newest builds in a row on some builder), `flaky` (passed on
    /// re-run, or a later build passed it), `new` (no later build ran it yet).
    pub class: HealthClass,
    /// Builds that failed it (re-run passes included).
    pub failures: usize,
    /// Of those, the flaky ones: passed on re-run, or the builder's next build that ran it
    /// passed it.
    pub flaky: usize,
    /// Tags every affected builder has and not every covered builder has (`refleak`, `nogil`).
    pub shared_tags: Vec<String>,
    /// Start time (Unix seconds) of the oldest and newest builds that failed it.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// The known issue it matches (config's known issues); null: none.
    pub known: Option<String>,
    /// Most failures first.
    pub builders: Vec<BuilderEntry>,
}

#[derive(Debug, Serialize)]
pub struct BuilderEntry {
    pub builder: String,
    pub builderid: u32,
    pub url: String,
    pub failures: usize,
    pub flaky: usize,
    pub class: HealthClass,
    /// The oldest build of the current streak of failures; null when the newest build that ran
    /// it did not fail it.
    pub failing_since: Option<u32>,
    /// The newest build that failed it, and its web page.
    pub latest_failure: u32,
    pub latest_failure_url: String,
}

#[derive(Debug, Serialize)]
pub struct InfraEntry {
    pub counts: Vec<InfraCount>,
    pub builds: Vec<InfraBuildEntry>,
}

#[derive(Debug, Serialize)]
pub struct InfraCount {
    /// `test_step_exception`, `resources`, `no_test_named`, `log_deleted`, `no_log`,
    /// `log_unreadable`.
    pub kind: InfraKind,
    pub builds: usize,
}

#[derive(Debug, Serialize)]
pub struct InfraBuildEntry {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    pub started_at: Option<i64>,
    pub kind: InfraKind,
    /// The causes the log names (`No space left on device`, Buildbot's kill).
    pub causes: Vec<String>,
    /// Tests its log lists as failed, not counted against them.
    pub tests: Vec<String>,
    /// The test running when the log ends.
    pub last_test: Option<String>,
    pub url: String,
}

/// What the `tests` command computed.
#[derive(Debug, Clone, Copy)]
pub struct TestsInput<'a> {
    pub branches: &'a [String],
    pub days: Option<u32>,
    pub builds_per_builder: Option<u32>,
    pub since: Option<i64>,
    pub max_builds: Option<usize>,
    pub cut_builders: &'a [String],
    pub builders: usize,
    pub builds: usize,
    pub logs_read: usize,
    pub logs_unreadable: usize,
    pub tests: &'a [TestHealth],
    pub infra: &'a [InfraBuild],
}

impl TestsReport {
    pub fn new(input: TestsInput<'_>, origin: &ReportOrigin<'_>) -> TestsReport {
        let server = origin.server;
        TestsReport {
            header: origin.header("tests"),
            branches: input.branches.to_vec(),
            window: WindowEntry {
                days: input.days,
                builds: input.builds_per_builder,
                since: input.since,
                cut_builders: input.cut_builders.to_vec(),
                max_builds: input.max_builds,
            },
            builders: input.builders,
            builds: input.builds,
            logs_read: input.logs_read,
            logs_unreadable: input.logs_unreadable,
            tests: input
                .tests
                .iter()
                .map(|t| TestEntry {
                    test: t.test.clone(),
                    class: t.class,
                    failures: t.failures,
                    flaky: t.flaky,
                    shared_tags: t.shared_tags.clone(),
                    first_seen: t.first_seen,
                    last_seen: t.last_seen,
                    known: t.known.clone(),
                    builders: t
                        .builders
                        .iter()
                        .map(|b| BuilderEntry {
                            builder: b.builder.clone(),
                            builderid: b.builderid,
                            url: server.builder_url(b.builderid),
                            failures: b.failures,
                            flaky: b.flaky,
                            class: b.class,
                            failing_since: b.failing_since.map(|s| s.0),
                            latest_failure: b.latest_failure,
                            latest_failure_url: server.build_url(b.builderid, b.latest_failure),
                        })
                        .collect(),
                })
                .collect(),
            infrastructure: InfraEntry {
                counts: infra_counts(input.infra)
                    .into_iter()
                    .map(|(kind, builds)| InfraCount { kind, builds })
                    .collect(),
                builds: input
                    .infra
                    .iter()
                    .map(|i| InfraBuildEntry {
                        builder: i.builder.clone(),
                        builderid: i.builderid,
                        number: i.number,
                        started_at: i.started_at,
                        kind: i.infra.kind,
                        causes: i.infra.causes.clone(),
                        tests: i.infra.tests.clone(),
                        last_test: i.infra.last_test.clone(),
                        url: server.build_url(i.builderid, i.number),
                    })
                    .collect(),
            },
        }
    }
}
