//! One build in full (`bbreport build`): the build, its steps, what its test step's log says,
//! and the end of the log of a step that failed outside the tests. Its JSON is `kind: "build"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use super::summary::StaleEntry;
use crate::api::types::{Build, Builder, Log, Step};
use crate::model::failure_search::SearchOutcome;
use crate::model::regrtest::{self, LogSummary};
use crate::model::stale::Stale;
use crate::model::status::{BuildResult, Outcome};

#[derive(Debug, Serialize)]
pub struct BuildReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub builder: String,
    pub builderid: u32,
    /// The builder's web page.
    pub builder_url: String,
    pub number: u32,
    pub buildid: u64,
    /// The build's web page.
    pub url: String,
    /// null while running (and for a result code this version does not know).
    pub result: Option<BuildResult>,
    pub running: bool,
    /// Listed as running, but stale (its master is gone, or it has run far longer than its
    /// builder's builds take): its age and why; `running` is then false. Null otherwise.
    pub stale: Option<StaleEntry>,
    pub state_string: String,
    /// `got_revision`.
    pub revision: Option<String>,
    /// Unix seconds.
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
    /// In order, hidden ones included.
    pub steps: Vec<StepEntry>,
    /// What was read of the test step; null when the build has none.
    pub test_log: Option<TestLogEntry>,
    /// The end of the log of the step that made the build fail, when that is not the test step
    /// (compile, configure…); null otherwise.
    pub failed_step: Option<FailedStepEntry>,
}

#[derive(Debug, Serialize)]
pub struct StepEntry {
    pub number: u32,
    pub name: String,
    pub result: Option<BuildResult>,
    pub running: bool,
    /// Buildbot hides it in its UI; the text forms leave it out.
    pub hidden: bool,
    pub state_string: String,
    pub started_at: Option<i64>,
    pub complete_at: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct TestLogEntry {
    /// The test step's name.
    pub step: String,
    /// Its stdio log's name; null when it has none (and then nothing was read).
    pub log: Option<String>,
    pub num_lines: Option<u64>,
    /// The line windows read, in order.
    pub windows: Vec<LineWindow>,
    pub bytes_read: usize,
    /// The server deleted the log's content (Buildbot's janitor, log type `d`): nothing was read.
    pub deleted: bool,
    /// The windows first read held no final summary and the progress counters said tests
    /// failed in lines not read: what the search of the middle found. Null when there was no
    /// search (the windows sufficed, the log was short enough to read whole, or `--full-log`).
    pub search: Option<SearchEntry>,
    pub summary: Option<LogSummaryEntry>,
}

/// The search of a long log's middle for the failures its progress counters count
/// (`[index/total/fails]`), within a budget (see README, "Reading long logs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SearchEntry {
    /// Tests the last counter read says failed or changed the environment so far.
    pub counted: u32,
    /// Of those, how many ended in lines still unread: the report does not name them.
    pub unlocated: u32,
    /// Requests and bytes the search spent beyond the first windows, and in how many rounds
    /// (each waits for the one before).
    pub requests: u32,
    pub bytes: usize,
    pub rounds: u32,
    /// The search stopped at its budget with failures still unlocated (`--full-log` reads
    /// everything).
    pub budget_spent: bool,
}

/// The step that failed outside the tests, and the last lines of its stdio log.
#[derive(Debug, Serialize)]
pub struct FailedStepEntry {
    pub number: u32,
    pub step: String,
    /// Its stdio log's name; null when it has none (and then nothing was read).
    pub log: Option<String>,
    pub num_lines: Option<u64>,
    /// The window read: the log's last lines (none when there is no log or it is empty).
    pub windows: Vec<LineWindow>,
    pub bytes_read: usize,
    /// The lines read, oldest first, without Buildbot's stream letters; as the server sent
    /// them (the text forms strip control characters).
    pub tail: Vec<String>,
}

/// Lines `offset + 1` to `offset + limit` of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineWindow {
    /// Lines skipped before the window (0: from the first line).
    pub offset: u64,
    /// Lines in the window.
    pub limit: u64,
}

/// What the regrtest parser found in the lines read (see `model::regrtest::LogSummary`).
#[derive(Debug, Serialize)]
pub struct LogSummaryEntry {
    /// The final `== Tests result: … ==`, e.g. `FAILURE then SUCCESS`; null when the run did
    /// not finish.
    pub result: Option<String>,
    /// No complete final summary was read: the test lists were rebuilt from progress lines
    /// and say what the lines read showed so far.
    pub rebuilt_from_events: bool,
    /// Still failing at the end (without a final summary: reported failed so far).
    pub failed: Vec<String>,
    /// Failed, then passed when re-run.
    pub passed_on_rerun: Vec<String>,
    pub rerun: Vec<String>,
    pub timeouts: Vec<String>,
    pub crashes: Vec<Crash>,
    pub fatal_errors: Vec<String>,
    pub leaks: Vec<Leak>,
    pub env_changed: Vec<String>,
    /// Causes outside the code under test (`No space left on device`…).
    pub infrastructure: Vec<String>,
    /// The test still running when the log ends (hang, kill, crash); null when the run
    /// finished or the log cannot say.
    pub last_test: Option<String>,
    pub skipped: Vec<String>,
    /// `skipped (resource denied)`.
    pub resource_denied: Vec<String>,
    pub seed: Option<u64>,
    /// `sequential` or `parallel`: how the main run ran its tests; null when unknown.
    pub mode: Option<&'static str>,
    /// Worker processes of the main run (`-jN`; 0 for `-j0`); null for a sequential run.
    pub workers: Option<u32>,
    /// regrtest's `--timeout`, in seconds.
    pub timeout: Option<u64>,
    /// A reference-leak run (`-R`).
    pub refleak: Option<RefleakEntry>,
    /// The regrtest command line.
    pub command: Option<String>,
    /// The `== ` header lines (interpreter, OS…).
    pub platform: Vec<String>,
    /// Tests in the order they started in the first run.
    pub order: Vec<String>,
    /// `FAIL:`/`ERROR:` banners and exception lines.
    pub excerpts: Vec<String>,
    /// Lines parsed.
    pub lines: u64,
}

/// A test whose worker process died.
#[derive(Debug, Serialize)]
pub struct Crash {
    pub test: String,
    /// e.g. `Exit code -11 (SIGSEGV)`.
    pub how: String,
}

#[derive(Debug, Serialize)]
pub struct Leak {
    pub test: String,
    /// e.g. `references, sum=3`.
    pub what: String,
    /// `references`, `memory blocks` or `file descriptors`.
    pub kind: String,
    /// The deltas regrtest printed, e.g. `[1, 1, 1]`.
    pub counts: Vec<i64>,
}

/// `-R`: runs per test, the first `warmups` not counted (null when the log shows no split).
#[derive(Debug, Serialize)]
pub struct RefleakEntry {
    pub repetitions: u32,
    pub warmups: Option<u32>,
}

/// What `bbreport build` read: the build, its steps, its test step's log.
#[derive(Debug, Clone, Copy)]
pub struct BuildInput<'a> {
    pub builder: &'a Builder,
    pub build: &'a Build,
    pub steps: &'a [Step],
    /// `None` when the build has no test step.
    pub test_log: Option<TestLogInput<'a>>,
    /// `None` unless a step other than the test step made the build fail.
    pub failed_step: Option<FailedStepInput<'a>>,
    /// Set when the build is running but stale.
    pub stale: Option<Stale>,
}

/// The failed step and what was read of its log's end.
#[derive(Debug, Clone, Copy)]
pub struct FailedStepInput<'a> {
    pub step: &'a Step,
    pub log: Option<&'a Log>,
    /// The `(offset, limit)` window read.
    pub window: Option<(u64, u64)>,
    pub bytes: usize,
    pub lines: &'a [String],
}

#[derive(Debug, Clone, Copy)]
pub struct TestLogInput<'a> {
    pub step: &'a str,
    pub log: Option<&'a Log>,
    /// `(offset, limit)` line windows read.
    pub windows: &'a [(u64, u64)],
    pub bytes: usize,
    pub summary: Option<&'a LogSummary>,
    pub search: Option<&'a SearchOutcome>,
}

/// What a build or step's `results` and `complete` say.
fn outcome(results: Option<i64>, complete: bool) -> Outcome {
    match (complete, BuildResult::from_code(results)) {
        (_, Some(r)) => Outcome::Finished(r),
        (false, None) => Outcome::Running,
        (true, None) => Outcome::Unrecognised,
    }
}

fn result(o: Outcome) -> Option<BuildResult> {
    match o {
        Outcome::Finished(r) => Some(r),
        Outcome::Running | Outcome::Stale | Outcome::Unrecognised => None,
    }
}

/// The outcome the symbols and colours are chosen by.
fn outcome_of(running: bool, result: Option<BuildResult>) -> Outcome {
    match (running, result) {
        (_, Some(r)) => Outcome::Finished(r),
        (true, None) => Outcome::Running,
        (false, None) => Outcome::Unrecognised,
    }
}

impl BuildReport {
    pub fn new(input: BuildInput<'_>, origin: &ReportOrigin<'_>) -> BuildReport {
        let (b, server) = (input.build, origin.server);
        let o = match outcome(b.results, b.complete) {
            Outcome::Running if input.stale.is_some() => Outcome::Stale,
            o => o,
        };
        BuildReport {
            header: origin.header("build"),
            builder: input.builder.name.clone(),
            builderid: input.builder.builderid,
            builder_url: server.builder_url(input.builder.builderid),
            number: b.number,
            buildid: b.buildid,
            url: server.build_url(b.builderid, b.number),
            result: result(o),
            running: o == Outcome::Running,
            stale: input.stale.map(StaleEntry::from),
            state_string: b.state_string.clone(),
            revision: b.got_revision().map(str::to_string),
            started_at: b.started_at,
            complete_at: b.complete_at,
            steps: input.steps.iter().map(step).collect(),
            test_log: input.test_log.map(test_log),
            failed_step: input.failed_step.map(failed_step),
        }
    }

    pub fn outcome(&self) -> Outcome {
        if self.stale.is_some() {
            return Outcome::Stale;
        }
        outcome_of(self.running, self.result)
    }
}

impl StepEntry {
    pub fn outcome(&self) -> Outcome {
        outcome_of(self.running, self.result)
    }
}

fn step(s: &Step) -> StepEntry {
    let o = outcome(s.results, s.complete);
    StepEntry {
        number: s.number,
        name: s.name.clone(),
        result: result(o),
        running: o == Outcome::Running,
        hidden: s.hidden,
        state_string: s.state_string.clone(),
        started_at: s.started_at,
        complete_at: s.complete_at,
    }
}

fn test_log(t: TestLogInput<'_>) -> TestLogEntry {
    TestLogEntry {
        step: t.step.to_string(),
        log: t.log.map(|l| l.name.clone()),
        num_lines: t.log.map(|l| l.num_lines),
        deleted: t.log.is_some_and(Log::deleted),
        windows: t
            .windows
            .iter()
            .map(|&(offset, limit)| LineWindow { offset, limit })
            .collect(),
        bytes_read: t.bytes,
        search: t.search.map(|o| SearchEntry {
            counted: o.counted,
            unlocated: o.unlocated,
            requests: o.requests,
            bytes: o.bytes,
            rounds: o.rounds,
            budget_spent: o.budget_spent,
        }),
        summary: t.summary.map(summary),
    }
}

fn failed_step(f: FailedStepInput<'_>) -> FailedStepEntry {
    FailedStepEntry {
        number: f.step.number,
        step: f.step.name.clone(),
        log: f.log.map(|l| l.name.clone()),
        num_lines: f.log.map(|l| l.num_lines),
        windows: f
            .window
            .iter()
            .map(|&(offset, limit)| LineWindow { offset, limit })
            .collect(),
        bytes_read: f.bytes,
        tail: f.lines.to_vec(),
    }
}

/// The entry of a parsed test log (also `bbreport log`'s `summary`).
pub fn summary(s: &LogSummary) -> LogSummaryEntry {
    LogSummaryEntry {
        result: s.result.clone(),
        rebuilt_from_events: s.rebuilt_from_events,
        failed: s.failed.clone(),
        passed_on_rerun: s.passed_on_rerun.clone(),
        rerun: s.rerun.clone(),
        timeouts: s.timeouts.clone(),
        crashes: s
            .crashes
            .iter()
            .map(|(test, how)| Crash {
                test: test.clone(),
                how: how.clone(),
            })
            .collect(),
        fatal_errors: s.fatal_errors.clone(),
        leaks: s
            .leaks
            .iter()
            .map(|l| Leak {
                test: l.test.clone(),
                what: l.what(),
                kind: l.kind.clone(),
                counts: l.counts.clone(),
            })
            .collect(),
        env_changed: s.env_changed.clone(),
        infrastructure: s.infrastructure.clone(),
        last_test: s.last_running.clone(),
        skipped: s.skipped.clone(),
        resource_denied: s.resource_denied.clone(),
        seed: s.seed,
        mode: s.mode.map(|m| match m {
            regrtest::RunMode::Sequential => "sequential",
            regrtest::RunMode::Parallel { .. } => "parallel",
        }),
        workers: s.workers(),
        timeout: s.timeout,
        refleak: s.refleak.map(|r| RefleakEntry {
            repetitions: r.repetitions,
            warmups: r.warmups,
        }),
        command: s.command.clone(),
        platform: s.platform.clone(),
        order: s.order.clone(),
        excerpts: s.excerpts.clone(),
        lines: s.lines,
    }
}
