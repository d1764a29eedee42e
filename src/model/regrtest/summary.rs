//! What a regrtest log says once parsed: the [`LogSummary`] every report reads, and its parts.
//! Serialisable so the cache can keep a finished build's summary next to its log (see
//! `crate::fetch::test_log`); its fields are not a report's JSON schema.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSummary {
    /// The regrtest command line, in whichever form the log shows it first (`+ …python… -m
    /// test …`, `./python -E -m test …`, `Tools\buildbot\test.bat …`), without prompt.
    pub command: Option<String>,
    /// `Using random seed: N`.
    pub seed: Option<u64>,
    /// `== CPython …`, `== Linux-…` and the other `== ` header lines.
    pub platform: Vec<String>,
    /// How the main run ran its tests (`Run N tests sequentially` / `Run N tests in parallel
    /// using M worker processes`; the re-run phase's own line is not the run's). Without that
    /// line, what the command's options imply (`-jN`, `--slow-ci`, `--single-process`).
    pub mode: Option<RunMode>,
    /// regrtest's `--timeout` in seconds, from `Run … (timeout: 20 min, …)`.
    pub timeout: Option<u64>,
    /// A reference-leak run (`-R`): `beginning 6 repetitions`.
    pub refleak: Option<Refleak>,
    /// The last `Tests result:` (`== Tests result: … ==`, `Tests result: …`, `Result: …`),
    /// e.g. `FAILURE then SUCCESS`.
    pub result: Option<String>,
    /// No complete final summary was read: the test lists below were rebuilt from progress
    /// lines (and from summary blocks printed before the log ends), so they say what the log
    /// showed so far, not the run's verdict.
    pub rebuilt_from_events: bool,
    /// Still failing at the end: the final `N tests failed:` block; without one, the tests the
    /// progress lines report as failed (not those reported crashed or timed out, see
    /// `crashes` and `timeouts`), less those that passed when re-run.
    pub failed: Vec<String>,
    /// Failed, then passed when re-run: flaky.
    pub passed_on_rerun: Vec<String>,
    /// Tests run again in the re-run phase (`N re-run tests:`, or every test the phase names).
    pub rerun: Vec<String>,
    pub skipped: Vec<String>,
    /// `skipped (resource denied)`: a resource (`-u`) the run did not enable.
    pub resource_denied: Vec<String>,
    pub env_changed: Vec<String>,
    /// What regrtest reports as leaks (never a line it marks `(this is fine)`).
    pub leaks: Vec<Leak>,
    /// Tests whose worker hit regrtest's `--timeout`: faulthandler's `Timeout (H:MM:SS)!` in
    /// the test's own output, or `timed out` when the main process killed it.
    pub timeouts: Vec<String>,
    /// (test, how): tests whose worker process died, e.g. `Exit code -11 (SIGSEGV)`, `Exit code
    /// 3221225477 (STATUS_ACCESS_VIOLATION)`, `Fatal Python error: Aborted`.
    pub crashes: Vec<(String, String)>,
    /// `Fatal Python error: …` messages (and `Windows fatal exception: …`), deduplicated.
    pub fatal_errors: Vec<String>,
    /// Causes outside the code under test, in words: `No space left on device`, Buildbot's
    /// `command timed out: 1200 seconds without output`, a test runner that failed before any
    /// test ran…
    pub infrastructure: Vec<String>,
    /// The test still running when the log ends (a hang, a kill, a crash), from the last of:
    /// a sequential progress line starting it, a `running (N): …` heartbeat or `-- running`
    /// list (the longest-running test), a `Kill <… test=…>` line, a crash. `None` when the run
    /// finished, or the log cannot say.
    pub last_running: Option<String>,
    /// Tests in the order progress lines reported them during the main run (re-runs
    /// excluded): the order they started in a sequential run, ended in a parallel one.
    pub order: Vec<String>,
    /// Lines worth showing: unittest's `FAIL: …`/`ERROR: …` banners and exception lines
    /// (`AssertionError: …`), deduplicated, at most [`MAX_EXCERPTS`](super::MAX_EXCERPTS).
    pub excerpts: Vec<String>,
    pub lines: u64,
}

impl LogSummary {
    /// Worker processes of the main run (`Some(0)`: `-j0`, as many as CPUs); `None` for a
    /// sequential run or when the log does not say.
    pub fn workers(&self) -> Option<u32> {
        match self.mode {
            Some(RunMode::Parallel { workers }) => Some(workers),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunMode {
    /// One process ran every test in turn.
    Sequential,
    /// Each test ran in a fresh worker process, `workers` at a time (0: as many as CPUs, `-j0`).
    Parallel { workers: u32 },
}

/// `-R`: `repetitions` runs of each test, the first `warmups` not counted (from `123:456`;
/// `None` when the log prints no split, as before 3.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refleak {
    pub repetitions: u32,
    pub warmups: Option<u32>,
}

/// `test_x leaked [1, 1, 1] file descriptors, sum=3` (refleak.py).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leak {
    pub test: String,
    /// `references`, `memory blocks` or `file descriptors`.
    pub kind: String,
    /// The deltas of the counted runs, as printed (they may be negative).
    pub counts: Vec<i64>,
}

impl Leak {
    /// `file descriptors, sum=3`: the leak as regrtest words it after the counts.
    pub fn what(&self) -> String {
        format!("{}, sum={}", self.kind, self.counts.iter().sum::<i64>())
    }
}
