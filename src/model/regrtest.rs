//! A streaming parser of CPython regrtest output (`python -m test`, `make buildbottest`,
//! `Tools\buildbot\test.bat`), in the shapes regrtest has printed from 3.8 to 3.16.
//!
//! One pass, line by line, over bytes (logs are not always valid UTF-8), keeping only what a
//! report needs. Two sources, in order of authority:
//!
//! - the **final summary** regrtest prints last: `== Tests result: … ==`, its blocks (`N tests
//!   failed:`, `N re-run tests:` …; a new header starts a new summary, so the one after the
//!   re-runs wins), closed by `Total duration:` and `Tests result:`/`Result:`;
//! - **events**: each test's progress line (`[ 12/480/1] test_x failed (1 failure)`) in the
//!   main run and, as a phase of its own, in the re-run phase; running lists and heartbeats;
//!   faulthandler's `Timeout (H:MM:SS)!`; `Fatal Python error:`; `Kill <… test=…>`.
//!
//! When the summary is missing (a killed build, a lost worker, a log cut short, an excerpt) the
//! lists are rebuilt from the events, and [`LogSummary::rebuilt_from_events`] says so. Crashes,
//! timeouts, leaks, infrastructure causes and the test still running always come from events.
//! Feed it whole logs or a head and a tail window: it never needs the middle.

mod command;
mod line;
mod marks;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem;

pub use command::{Flags, command_words, shell_word};
use line::Outcome;
pub use marks::{CounterMark, counter_marks};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// (`AssertionError: …`), deduplicated, at most [`MAX_EXCERPTS`].
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// One process ran every test in turn.
    Sequential,
    /// Each test ran in a fresh worker process, `workers` at a time (0: as many as CPUs, `-j0`).
    Parallel { workers: u32 },
}

/// `-R`: `repetitions` runs of each test, the first `warmups` not counted (from `123:456`;
/// `None` when the log prints no split, as before 3.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refleak {
    pub repetitions: u32,
    pub warmups: Option<u32>,
}

/// `test_x leaked [1, 1, 1] file descriptors, sum=3` (refleak.py).
#[derive(Debug, Clone, PartialEq, Eq)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Failed,
    FailedAgain,
    Rerun,
    Skipped,
    ResourceDenied,
    EnvChanged,
    /// A block bbreport does not keep (`10 slowest tests:`, `2 tests omitted:`…).
    Other,
}

pub const MAX_EXCERPTS: usize = 20;

/// What the substring search over every line finds; anything else is recognised by how a line
/// starts (Buildbot's own lines, git's, the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Find {
    FatalError,
    WindowsFatal,
    Leaked,
    Timeout,
    /// A cause outside the code under test, named as given.
    Infra(&'static str),
    /// The iOS and Android testbeds could not tell which simulator or emulator is theirs.
    Testbed,
}

/// Substrings that may sit anywhere in a line: faulthandler and fatal errors are often written
/// after a partial line (`test_x (…) ... Timeout (0:20:00)!`), leaks after progress dots, and
/// the error texts of a full disk or exhausted memory inside any tool's message.
const FINDS: &[(&str, Find)] = &[
    ("Fatal Python error: ", Find::FatalError),
    ("Windows fatal exception: ", Find::WindowsFatal),
    (" leaked [", Find::Leaked),
    ("Timeout (", Find::Timeout),
    (
        "No space left on device",
        Find::Infra("No space left on device"),
    ),
    ("Disk quota exceeded", Find::Infra("Disk quota exceeded")),
    ("filesystem is full", Find::Infra("filesystem is full")),
    (
        "Cannot allocate memory",
        Find::Infra("Cannot allocate memory"),
    ),
    (
        "virtual memory exhausted",
        Find::Infra("virtual memory exhausted"),
    ),
    ("remote_lost", Find::Infra("remote_lost")),
    ("slave lost", Find::Infra("slave lost")),
    ("worker lost", Find::Infra("worker lost")),
    (
        "PBConnectionLost",
        Find::Infra("worker lost (Buildbot lost its connection to the worker)"),
    ),
    ("Found more than one new device", Find::Testbed),
    ("Found more than one UID", Find::Testbed),
];

/// Lines that start with these are git's or Buildbot's own (Buildbot writes its header lines,
/// such as its kill, on lines of their own).
const LINE_STARTS: &[(&str, Option<&str>)] = &[
    ("fatal: unable to access", Some("fatal: unable to access")),
    ("fatal: early EOF", Some("fatal: early EOF")),
    ("fatal: Out of memory", Some("out of memory (git)")),
    ("command timed out: ", None),
    ("process killed by signal ", None),
];

/// One automaton for every substring of [`FINDS`], run over whole chunks: leftmost-first, so
/// it searches with a SIMD prefilter (several GB/s), and a line costs a search only when it
/// holds one of them.
fn finder() -> &'static AhoCorasick {
    static FINDER: OnceLock<AhoCorasick> = OnceLock::new();
    FINDER.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(FINDS.iter().map(|(s, _)| s))
            .expect("fixed, valid patterns")
    })
}

fn hits_in(line: &[u8]) -> u64 {
    finder()
        .find_iter(line)
        .fold(0, |hits, m| hits | 1 << m.pattern().as_usize())
}

/// A line that may hold the command: after a prompt (`$`, `»`, `+`, `%`, `#`, `>`), a
/// `VAR=value`, a quote, or its program's path (`./python`, `/usr/bin/python3`, `python3.13`,
/// `Tools\buildbot\test.bat`, `C:\…>`).
fn may_hold_command(first: u8) -> bool {
    first.is_ascii_uppercase()
        || matches!(
            first,
            b'+' | b'$' | b'%' | b'#' | b'>' | b'.' | b'/' | b'"' | b'\'' | b'p' | b'x' | 0xc2
        )
}

/// The test whose output the log is printing: in a parallel run the one whose progress line
/// came last (its worker's output follows it), in a sequential run the one running.
#[derive(Debug, Clone)]
struct Owner {
    test: String,
    state: OwnerState,
    /// Its progress line was one of the re-run phase.
    rerun: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OwnerState {
    Running,
    Crashed,
    /// Ended without its process dying (passed, failed, skipped…).
    Ended,
}

/// Each test's latest outcome in one phase, in the order they were first reported.
#[derive(Debug, Default)]
struct Outcomes {
    tests: Vec<(String, Outcome)>,
    index: HashMap<String, usize>,
}

impl Outcomes {
    fn set(&mut self, test: &str, outcome: Outcome) {
        match self.index.get(test) {
            Some(&i) => self.tests[i].1 = outcome,
            None => {
                self.index.insert(test.to_string(), self.tests.len());
                self.tests.push((test.to_string(), outcome));
            }
        }
    }

    fn with(&self, pick: impl Fn(&Outcome) -> bool) -> Vec<String> {
        self.tests
            .iter()
            .filter(|(_, o)| pick(o))
            .map(|(t, _)| t.clone())
            .collect()
    }
}

/// The blocks of the summary being read (since its `== Tests result` header).
#[derive(Debug, Default)]
struct Blocks {
    failed: Option<Vec<String>>,
    rerun: Option<Vec<String>>,
    skipped: Option<Vec<String>>,
    resource_denied: Option<Vec<String>>,
    env_changed: Option<Vec<String>>,
}

#[derive(Debug, Default)]
pub struct Parser {
    summary: LogSummary,
    block: Option<(Block, Vec<String>)>,
    blocks: Blocks,
    /// A `== Tests result` header was read since the re-run phase began (or in a run with none):
    /// the summary it starts is the final one.
    header_seen: bool,
    /// `Total duration:` or the closing `Tests result:`/`Result:` came after that header.
    closed: bool,
    /// The `N tests failed:` block of the summary printed before the re-run phase.
    first_failed: Option<Vec<String>>,
    /// `N tests failed again:` (printed once the re-runs are done).
    failed_again: Option<Vec<String>>,
    rerun_phase: bool,
    main: Outcomes,
    rerun: Outcomes,
    /// Every test the re-run phase named, in order.
    rerun_named: Vec<String>,
    in_order: HashSet<String>,
    /// The latest running list: tests and how long they had run (ms).
    running: Vec<(String, Option<u64>)>,
    last_running: Option<String>,
    owner: Option<Owner>,
    progress_seen: bool,
    /// Before any progress line: the test of the last unittest verbose line (a verbose excerpt
    /// with no regrtest line names its test only that way).
    verbose_test: Option<String>,
    /// `make: *** [target] Error N` or Buildbot's `program finished with exit code N`, for a
    /// runner that failed before any test ran.
    runner_error: Option<String>,
    /// `beginning N repetitions` was the previous line: the next one shows the warm-up split.
    repetitions_next: bool,
    /// The chunk being read has escape sequences (colour).
    ansi: bool,
    scratch: Vec<u8>,
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn push_unique(v: &mut Vec<String>, t: &str) {
    if !v.iter().any(|x| x == t) {
        v.push(t.to_string());
    }
}

impl Parser {
    /// Feed one line, without its newline. `\r` at the end is ignored.
    pub fn line(&mut self, line: &[u8]) {
        self.ansi = memchr::memchr(0x1b, line).is_some();
        self.process(line, hits_in(line));
    }

    /// Feed whole lines (a log, or a page of one); `stdio`: Buildbot's `/contents` form, each
    /// line led by its stream letter (`o`, `e`, `h`), which is dropped, and empty lines skipped.
    fn feed(&mut self, buf: &[u8], stdio: bool) {
        self.ansi = memchr::memchr(0x1b, buf).is_some();
        let mut found = finder().find_iter(buf);
        let mut next = found.next();
        let mut start = 0;
        loop {
            let newline = memchr::memchr(b'\n', &buf[start..]).map(|i| start + i);
            let end = newline.unwrap_or(buf.len());
            let mut hits = 0u64;
            while let Some(m) = &next {
                if m.start() >= end {
                    break;
                }
                hits |= 1 << m.pattern().as_usize();
                next = found.next();
            }
            let line = &buf[start..end];
            if !stdio {
                self.process(line, hits);
            } else if let Some(content) = line.get(1..) {
                self.process(content, hits);
            }
            match newline {
                Some(n) => start = n + 1,
                None => break,
            }
        }
    }

    fn process(&mut self, line: &[u8], hits: u64) {
        self.summary.lines += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if self.ansi && memchr::memchr(0x1b, line).is_some() {
            let mut plain = std::mem::take(&mut self.scratch);
            line::strip_ansi(line, &mut plain);
            self.content(&plain, hits_in(&plain));
            self.scratch = plain;
        } else {
            self.content(line, hits);
        }
    }

    fn content(&mut self, line: &[u8], hits: u64) {
        let line = line::strip_wrapper(line);
        if let Some((kind, items)) = &mut self.block {
            if line.starts_with(b"    ") && !line.trim_ascii().is_empty() {
                if *kind != Block::Other {
                    items.extend(
                        line.split(|b| *b == b' ')
                            .filter(|w| !w.is_empty())
                            .map(text),
                    );
                }
                return;
            }
            self.close_block();
        }
        let Some(&first) = line.first() else { return };
        let repetitions_next = std::mem::take(&mut self.repetitions_next);
        match first {
            b'0'..=b'9' => {
                if let Some(body) = line::log_body(line) {
                    self.logged(body);
                } else if repetitions_next {
                    self.warmups(line);
                } else if line.ends_with(b":") && memchr::memchr(b'[', line).is_none() {
                    self.block = Some((classify_block(line), Vec::new()));
                    return;
                }
            }
            // Before 3.8 progress lines had no time prefix.
            b'[' => self.progress(line, false),
            b'=' => {
                if let Some(rest) = line.strip_prefix(b"== Tests result: ") {
                    self.header(rest.strip_suffix(b" ==").unwrap_or(rest));
                } else if let Some(rest) = line.strip_prefix(b"== ")
                    && self.summary.platform.len() < 12
                {
                    self.summary.platform.push(text(rest));
                }
            }
            b'U' => {
                if let Some(rest) = line.strip_prefix(b"Using random seed") {
                    let digits = rest.strip_prefix(b":").unwrap_or(rest).trim_ascii();
                    self.summary.seed = std::str::from_utf8(digits)
                        .ok()
                        .and_then(|d| d.parse().ok());
                }
            }
            b'R' => {
                if line.starts_with(b"Re-running ") {
                    self.rerunning(line);
                } else if let Some(rest) = line.strip_prefix(b"Result: ") {
                    self.footer(rest);
                }
            }
            b'T' => {
                if let Some(rest) = line.strip_prefix(b"Tests result: ") {
                    self.footer(rest);
                } else if line.starts_with(b"Total duration: ") {
                    self.closed = true;
                    self.end_of_run();
                }
            }
            b'K' if line.starts_with(b"Kill <") => {
                if let Some(test) = line::worker_test(line) {
                    let test = text(test);
                    if self.rerun_phase {
                        push_unique(&mut self.rerun_named, &test);
                    }
                    self.last_running = Some(test);
                }
            }
            b'b' => {
                if let Some(rest) = line.strip_prefix(b"beginning ") {
                    let n = rest.split(|b| *b == b' ').next().unwrap_or_default();
                    if let Some(repetitions) =
                        std::str::from_utf8(n).ok().and_then(|n| n.parse().ok())
                    {
                        self.summary.refleak = Some(Refleak {
                            repetitions,
                            warmups: None,
                        });
                        self.repetitions_next = true;
                    }
                }
            }
            b't' => self.test_line(line),
            b'c' | b'p' | b'f' => {
                if let Some((start, cause)) = LINE_STARTS
                    .iter()
                    .find(|(start, _)| line.starts_with(start.as_bytes()))
                {
                    let cause = match cause {
                        Some(cause) => (*cause).to_string(),
                        None => buildbot_kill(line, start),
                    };
                    push_unique(&mut self.summary.infrastructure, &cause);
                } else if let Some(code) = line.strip_prefix(b"program finished with exit code ")
                    && code.trim_ascii() != b"0"
                    && self.runner_error.is_none()
                {
                    // Buildbot's last line: the step failed (a runner without Make, such as
                    // Android's android.py, says nothing else).
                    self.runner_error = Some(text(line.trim_ascii_end()));
                }
            }
            b'm' if line.starts_with(b"make")
                && self.runner_error.is_none()
                && memmem::find(line, b": *** ").is_some() =>
            {
                self.runner_error = Some(text(line.trim_ascii_end()));
            }
            _ => {}
        }
        // `AssertionError: …`, or module-qualified: `ssl.SSLError: …`, `concurrent.futures…`.
        if first.is_ascii_alphabetic()
            && self.summary.excerpts.len() < MAX_EXCERPTS
            && is_excerpt(line)
        {
            let l = line.trim_ascii_end();
            // Compared before copying: the same lines come back with every re-run.
            if !self.summary.excerpts.iter().any(|e| e.as_bytes() == l) {
                push_unique(&mut self.summary.excerpts, &text(l));
            }
        }
        if hits != 0 {
            self.found(line, hits);
        }
        if self.summary.command.is_none()
            && may_hold_command(first)
            && [&b" -m test"[..], b"-mtest", b"regrtest.py", b".bat"]
                .iter()
                .any(|n| memmem::find(line, n).is_some())
        {
            self.summary.command = command::recognise(&text(line));
        }
    }

    /// A line regrtest's main process logged (after its time and load prefix).
    fn logged(&mut self, body: &[u8]) {
        match body.first() {
            Some(b'[') => self.progress(body, true),
            Some(b'R') if body.starts_with(b"Run ") => self.run_line(body),
            Some(b'R') if body.starts_with(b"Re-running ") => self.rerunning(body),
            Some(b'r') if body.starts_with(b"running") => self.running_list(body, None),
            _ => {}
        }
    }

    /// `Run 475 tests in parallel using 40 worker processes (timeout: 20 min, worker timeout:
    /// 25 min)`, `Run tests in parallel using 2 child processes`, `Run 44 tests sequentially`,
    /// `Run 479 tests sequentially in a single process (timeout: 20 min)`.
    fn run_line(&mut self, body: &[u8]) {
        if self.progress_seen && !self.rerun_phase {
            // The main run's line comes before any test: this one starts the re-run phase,
            // whose `Re-running …` line was not read (a tail window, an excerpt).
            self.close_block();
            self.begin_rerun_phase();
            self.running.clear();
            self.last_running = None;
            self.owner = None;
        }
        if self.rerun_phase || self.summary.mode.is_some() {
            return;
        }
        if memmem::find(body, b" sequentially").is_some() {
            self.summary.mode = Some(RunMode::Sequential);
        } else if let Some(i) = memmem::find(body, b" in parallel using ") {
            let rest = &body[i + " in parallel using ".len()..];
            let n = rest.split(|b| *b == b' ').next().unwrap_or_default();
            if let Some(workers) = std::str::from_utf8(n).ok().and_then(|n| n.parse().ok()) {
                self.summary.mode = Some(RunMode::Parallel { workers });
            }
        }
        if let Some(i) = memmem::find(body, b"(timeout: ") {
            let rest = &body[i + "(timeout: ".len()..];
            let end = rest
                .iter()
                .position(|b| *b == b',' || *b == b')')
                .unwrap_or(rest.len());
            self.summary.timeout = line::duration_ms(&rest[..end]).map(|ms| ms.div_ceil(1000));
        }
    }

    /// `Re-running 2 failed tests in verbose mode in subprocesses` (3.12+), `Re-running failed
    /// tests in verbose mode` (3.8-3.11): the re-run phase begins. `Re-running test_x in verbose
    /// mode (matching: …)`: a test of it, printed by its worker after its progress line (3.12+)
    /// or by the main process before running it (sequential re-runs).
    fn rerunning(&mut self, body: &[u8]) {
        let rest = &body["Re-running ".len()..];
        let mut words = rest.split(|b| *b == b' ');
        let first = words.next().unwrap_or_default();
        let phase = first == b"failed"
            || (!first.is_empty()
                && first.iter().all(u8::is_ascii_digit)
                && words.next() == Some(&b"failed"[..]));
        if !self.rerun_phase {
            self.close_block();
            self.begin_rerun_phase();
            self.running.clear();
            self.last_running = None;
            self.owner = None;
        }
        if phase || !line::is_test_name(first) {
            return;
        }
        let test = text(first);
        push_unique(&mut self.rerun_named, &test);
        let printed_by_its_worker = self
            .owner
            .as_ref()
            .is_some_and(|o| o.rerun && o.test == test);
        if !printed_by_its_worker {
            self.started(test);
        }
    }

    /// The summary read so far was the one before the re-runs: its failed tests are what the
    /// re-runs start from.
    fn begin_rerun_phase(&mut self) {
        self.rerun_phase = true;
        self.first_failed = self.blocks.failed.take();
        self.blocks = Blocks::default();
        self.header_seen = false;
        self.closed = false;
    }

    /// A progress line, from its counter on; `logged`: after the main process's time prefix
    /// (without it, as before 3.8, only a whole line counts).
    fn progress(&mut self, body: &[u8], logged: bool) {
        let Some(counter) = line::counter(body) else {
            return;
        };
        let progress = match counter {
            Ok((_, rest)) => line::progress(rest),
            Err(()) => None,
        };
        let Some(p) = progress else {
            if logged {
                // Cut short after the counter: a test started or ended, which one is unknown.
                self.progress_seen = true;
                self.owner = None;
                self.last_running = None;
            }
            return;
        };
        self.progress_seen = true;
        let test = text(p.test);
        if let Some((previous, outcome)) = p.previous {
            self.ended(&text(previous), outcome);
        }
        if let Some(list) = p.running {
            self.running_list(list, Some(&test));
        }
        match p.outcome {
            Some(outcome) => {
                // Parallel: the test ended; its worker's output follows.
                if p.running.is_none() {
                    self.running.clear();
                    self.last_running = None;
                }
                self.ended(&test, outcome);
            }
            None if p.unknown => {
                self.note_test(&test);
                self.owner = Some(Owner {
                    test,
                    state: OwnerState::Ended,
                    rerun: self.rerun_phase,
                });
                if p.running.is_none() {
                    self.last_running = None;
                }
            }
            None => self.started(test),
        }
    }

    /// The test is in the run order (main run) or among the re-run tests.
    fn note_test(&mut self, test: &str) {
        if self.rerun_phase {
            push_unique(&mut self.rerun_named, test);
        } else if !self.in_order.contains(test) {
            self.in_order.insert(test.to_string());
            self.summary.order.push(test.to_string());
        }
    }

    /// A test starts in this process (sequential run or re-run).
    fn started(&mut self, test: String) {
        self.note_test(&test);
        self.running = vec![(test.clone(), None)];
        self.last_running = Some(test.clone());
        self.owner = Some(Owner {
            test,
            state: OwnerState::Running,
            rerun: self.rerun_phase,
        });
    }

    /// A test ended, as `outcome` says.
    fn ended(&mut self, test: &str, outcome: Outcome) {
        self.note_test(test);
        let mut state = OwnerState::Ended;
        match &outcome {
            Outcome::Crashed(how) => {
                self.crash(test, how);
                state = OwnerState::Crashed;
                self.last_running = Some(test.to_string());
            }
            Outcome::TimedOut => {
                push_unique(&mut self.summary.timeouts, test);
                state = OwnerState::Crashed;
                self.last_running = Some(test.to_string());
            }
            Outcome::Interrupted => self.last_running = Some(test.to_string()),
            _ => {
                if self.last_running.as_deref() == Some(test) {
                    self.last_running = None;
                }
                self.running.retain(|(t, _)| t != test);
            }
        }
        if self.rerun_phase {
            self.rerun.set(test, outcome);
        } else {
            self.main.set(test, outcome);
        }
        // The owner's name is reused: a progress line per test, most of a log's allocations.
        let rerun = self.rerun_phase;
        match &mut self.owner {
            Some(o) => {
                o.test.clear();
                o.test.push_str(test);
                o.state = state;
                o.rerun = rerun;
            }
            None => {
                self.owner = Some(Owner {
                    test: test.to_string(),
                    state,
                    rerun,
                });
            }
        }
    }

    fn crash(&mut self, test: &str, how: &str) {
        if !self.summary.crashes.iter().any(|(t, _)| t == test) {
            self.summary
                .crashes
                .push((test.to_string(), how.to_string()));
        }
    }

    /// `running (3): test_a (5 min 2 sec), test_b (39.0 sec), tes` (a heartbeat, or after
    /// `-- ` on a progress line; `running: …` before 3.12). `ended`: the test the line reports
    /// ended, not running any more. An item cut short is the test of the previous list it
    /// begins; a list cut short keeps the tests of the previous one.
    fn running_list(&mut self, list: &[u8], ended: Option<&str>) {
        let items = line::running_list(list);
        let count = list
            .strip_prefix(b"running (")
            .and_then(|r| r.split(|b| *b == b')').next())
            .and_then(|n| std::str::from_utf8(n).ok()?.parse::<usize>().ok());
        let mut now: Vec<(String, Option<u64>)> = Vec::new();
        for (name, ms) in &items {
            let item = match ms {
                Some(ms) => Some((text(name), Some(*ms))),
                None => self
                    .running
                    .iter()
                    .find(|(t, _)| t.as_bytes().starts_with(name))
                    .cloned(),
            };
            if let Some(item) = item
                && !now.iter().any(|(t, _)| *t == item.0)
            {
                now.push(item);
            }
        }
        let cut = items.last().is_some_and(|(_, ms)| ms.is_none())
            || count.is_some_and(|n| n > items.len());
        if cut {
            for (t, ms) in &self.running {
                if Some(t.as_str()) != ended && !now.iter().any(|(x, _)| x == t) {
                    now.push((t.clone(), *ms));
                }
            }
        }
        if self.rerun_phase {
            for (t, _) in &now {
                push_unique(&mut self.rerun_named, t);
            }
        }
        // The one running longest is the one a hang is about.
        let mut longest: Option<&(String, Option<u64>)> = None;
        for item in &now {
            if longest.is_none_or(|l| item.1 > l.1) {
                longest = Some(item);
            }
        }
        self.last_running = longest.map(|(t, _)| t.clone());
        self.running = now;
    }

    /// Lines that start with `test`: `test test_x failed` (3.8-3.11, and `test test_x crashed --
    /// Traceback` for an uncaught exception), the result of a sequential run's last test printed
    /// bare (`test_x failed (1 failure) in 35.1 sec`), and unittest's verbose lines.
    fn test_line(&mut self, line: &[u8]) {
        if let Some(rest) = line.strip_prefix(b"test ") {
            let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
            let status = &rest[end..];
            // Printed where the test ran: in this process, or in its worker's output after the
            // progress line that already said how it ended.
            if (status.starts_with(b" failed") || status.starts_with(b" crashed"))
                && self.owner.as_ref().is_some_and(|o| {
                    o.state == OwnerState::Running && o.test.as_bytes() == &rest[..end]
                })
            {
                let test = text(&rest[..end]);
                let phase = if self.rerun_phase {
                    &mut self.rerun
                } else {
                    &mut self.main
                };
                phase.set(&test, Outcome::Failed);
            }
            return;
        }
        if let Some(owner) = &self.owner
            && owner.state == OwnerState::Running
            && let Some(rest) = line.strip_prefix(owner.test.as_bytes())
            && let Some(status) = rest.strip_prefix(b" ")
            && let Some(outcome) = line::outcome(status)
        {
            let test = owner.test.clone();
            self.ended(&test, outcome);
            return;
        }
        if !self.progress_seen
            && let Some(test) = line::verbose_test(line)
        {
            self.verbose_test = Some(test);
        }
    }

    /// The line after `beginning N repetitions`: `123:456` (3.13+) shows the warm-ups.
    fn warmups(&mut self, line: &[u8]) {
        if let Some(colon) = memchr::memchr(b':', line)
            && line[..colon].iter().all(u8::is_ascii_digit)
            && let Some(r) = &mut self.summary.refleak
        {
            r.warmups = u32::try_from(colon).ok();
        }
    }

    /// `== Tests result: FAILURE then SUCCESS ==`: a summary starts.
    fn header(&mut self, result: &[u8]) {
        self.close_block();
        self.summary.result = Some(text(result.trim_ascii()));
        self.header_seen = true;
        self.closed = false;
        self.blocks = Blocks::default();
        self.end_of_run();
    }

    /// `Tests result: …` (3.8-3.12) or `Result: …` (3.13+): the last line of a run.
    fn footer(&mut self, result: &[u8]) {
        let result = result.trim_ascii();
        let state = [
            &b"SUCCESS"[..],
            b"FAILURE",
            b"ENV CHANGED",
            b"NO TEST",
            b"INTERRUPTED",
            b"WORKER BUG",
        ];
        if state.iter().any(|s| result.starts_with(s)) {
            self.summary.result = Some(text(result));
            self.closed = true;
            self.end_of_run();
        }
    }

    /// The run printed its result: nothing runs any more.
    fn end_of_run(&mut self) {
        self.running.clear();
        self.last_running = None;
        self.owner = None;
    }

    /// Lines holding one of [`FINDS`].
    fn found(&mut self, line: &[u8], hits: u64) {
        for (i, (needle, find)) in FINDS.iter().enumerate() {
            if hits & (1 << i) == 0 {
                continue;
            }
            match find {
                Find::FatalError | Find::WindowsFatal => {
                    let Some(at) = memmem::find(line, needle.as_bytes()) else {
                        continue;
                    };
                    let message = text(line[at + needle.len()..].trim_ascii());
                    let message = if *find == Find::FatalError {
                        message
                    } else {
                        format!("Windows fatal exception: {message}")
                    };
                    push_unique(&mut self.summary.fatal_errors, &message);
                    let how = if *find == Find::FatalError {
                        format!("Fatal Python error: {message}")
                    } else {
                        message
                    };
                    self.died_here(&how);
                }
                Find::Leaked => self.leak(line),
                Find::Timeout => self.timeout(line),
                Find::Infra(cause) => push_unique(&mut self.summary.infrastructure, cause),
                Find::Testbed => push_unique(
                    &mut self.summary.infrastructure,
                    &format!(
                        "the test runner could not tell which simulator or emulator is its own \
                         (\"{needle}\": two runs started at once?)"
                    ),
                ),
            }
        }
    }

    /// A fatal error in the output being printed: the test it belongs to crashed, unless its
    /// progress line already said how it ended.
    fn died_here(&mut self, how: &str) {
        match &mut self.owner {
            Some(o) if o.state == OwnerState::Running => {
                o.state = OwnerState::Crashed;
                let test = o.test.clone();
                self.crash(&test, how);
                self.last_running = Some(test);
            }
            Some(_) => {}
            None if !self.progress_seen => {
                if let Some(test) = self.verbose_test.clone() {
                    self.crash(&test, how);
                    self.last_running = Some(test.clone());
                    self.owner = Some(Owner {
                        test,
                        state: OwnerState::Crashed,
                        rerun: self.rerun_phase,
                    });
                }
            }
            None => {}
        }
    }

    /// faulthandler's `Timeout (0:20:00)!` (often mid-line, after `test_x (…) ... `): the test
    /// whose output it is in hit regrtest's `--timeout`.
    fn timeout(&mut self, line: &[u8]) {
        let Some(at) = memmem::find(line, b"Timeout (") else {
            return;
        };
        let rest = line[at + "Timeout (".len()..].trim_ascii_end();
        let Some(time) = rest.strip_suffix(b")!") else {
            return;
        };
        let hms = time.split(|b| *b == b':').count() == 3
            && time
                .iter()
                .all(|b| b.is_ascii_digit() || *b == b':' || *b == b'.');
        if !hms {
            return;
        }
        let test = match &self.owner {
            Some(o) if o.state != OwnerState::Ended => Some(o.test.clone()),
            Some(_) => None,
            None if !self.progress_seen => self.verbose_test.clone(),
            None => None,
        };
        if let Some(test) = test {
            push_unique(&mut self.summary.timeouts, &test);
            if self.owner.is_none() {
                self.last_running = Some(test);
            }
        }
    }

    /// `test_x leaked [1, 1, 1] references, sum=3`; ` (this is fine)` after it: no leak.
    fn leak(&mut self, line: &[u8]) {
        let Some(at) = memmem::find(line, b" leaked [") else {
            return;
        };
        let before = &line[..at];
        let word = before.rsplit(|b| *b == b' ').next().unwrap_or_default();
        // Progress dots can run into it: `......test_x leaked [...]`.
        let start = word.iter().position(|b| *b != b'.').unwrap_or(word.len());
        let test = &word[start..];
        if !line::is_test_name(test) {
            return;
        }
        let after = &line[at + " leaked [".len()..];
        let Some(close) = memchr::memchr(b']', after) else {
            return;
        };
        let counts: Option<Vec<i64>> = after[..close]
            .split(|b| *b == b',')
            .map(|n| std::str::from_utf8(n.trim_ascii()).ok()?.parse().ok())
            .collect();
        let what = after[close + 1..].trim_ascii();
        if what.ends_with(b"(this is fine)") {
            return;
        }
        let kind = match memmem::find(what, b", sum=") {
            Some(i) => &what[..i],
            None => what,
        };
        let leak = Leak {
            test: text(test),
            kind: text(kind),
            counts: counts.unwrap_or_default(),
        };
        match self
            .summary
            .leaks
            .iter_mut()
            .find(|l| l.test == leak.test && l.kind == leak.kind)
        {
            Some(l) => *l = leak,
            None => self.summary.leaks.push(leak),
        }
    }

    fn close_block(&mut self) {
        let Some((kind, items)) = self.block.take() else {
            return;
        };
        let b = &mut self.blocks;
        match kind {
            Block::Failed => b.failed = Some(items),
            Block::FailedAgain => {
                // Printed once the re-runs are done (the lines that began them may be unread).
                if !self.rerun_phase {
                    self.begin_rerun_phase();
                }
                self.failed_again = Some(items);
            }
            Block::Rerun => b.rerun = Some(items),
            Block::Skipped => b.skipped = Some(items),
            Block::ResourceDenied => b.resource_denied = Some(items),
            Block::EnvChanged => b.env_changed = Some(items),
            Block::Other => {}
        }
    }

    pub fn finish(mut self) -> LogSummary {
        self.close_block();
        let complete = self.header_seen && self.closed;
        let blocks = std::mem::take(&mut self.blocks);
        let mut s = std::mem::take(&mut self.summary);
        s.rebuilt_from_events = !complete;
        s.last_running = self.last_running.take();
        // A summary block printed before the log ends is what regrtest says (the blocks are
        // those of the summary being read: the re-run phase drops the ones before it); a summary
        // cut short lacks the blocks after the cut, and a tail window may lack its header.
        let mut failed;
        let mut rerun;
        let mut passed_on_rerun;
        if complete {
            failed = blocks.failed.unwrap_or_default();
            rerun = blocks.rerun.unwrap_or_default();
            passed_on_rerun = rerun.clone();
            s.env_changed = blocks.env_changed.unwrap_or_default();
            s.skipped = blocks.skipped.unwrap_or_default();
            s.resource_denied = blocks.resource_denied.unwrap_or_default();
        } else {
            failed = match (blocks.failed.clone(), self.first_failed.take()) {
                (Some(b), _) => b,
                (None, Some(first)) => first,
                (None, None) => self.main.with(|o| *o == Outcome::Failed),
            };
            rerun = blocks.rerun.clone().unwrap_or_default();
            for t in self
                .rerun_named
                .iter()
                .chain(self.failed_again.iter().flatten())
            {
                push_unique(&mut rerun, t);
            }
            passed_on_rerun = self.rerun.with(|o| *o == Outcome::Passed);
            failed.retain(|t| !passed_on_rerun.contains(t));
            for t in self.rerun.with(|o| *o == Outcome::Failed) {
                push_unique(&mut failed, &t);
            }
            if let Some(again) = self.failed_again.take() {
                passed_on_rerun = rerun.clone();
                failed = again;
            }
            if let Some(b) = blocks.failed {
                failed = b;
            }
            // `FAILURE then SUCCESS`: whatever the lines read show, nothing failed at the end.
            if let Some(result) = &s.result {
                let last = result.rsplit(" then ").next().unwrap_or(result);
                if !last.contains("FAILURE") {
                    failed.clear();
                    if result.contains(" then ") {
                        passed_on_rerun = rerun.clone();
                    }
                }
            }
            let changed = |o: &Outcome| *o == Outcome::EnvChanged;
            s.env_changed = blocks.env_changed.unwrap_or_else(|| {
                let mut v = self.main.with(changed);
                for t in self.rerun.with(changed) {
                    push_unique(&mut v, &t);
                }
                v
            });
            s.skipped = blocks
                .skipped
                .unwrap_or_else(|| self.main.with(|o| *o == Outcome::Skipped));
            s.resource_denied = blocks
                .resource_denied
                .unwrap_or_else(|| self.main.with(|o| *o == Outcome::ResourceDenied));
        }
        passed_on_rerun.retain(|t| !failed.contains(t));
        s.failed = failed;
        s.rerun = rerun;
        s.passed_on_rerun = passed_on_rerun;
        if s.mode.is_none()
            && let Some(command) = &s.command
            && !command.to_ascii_lowercase().contains(".bat")
        {
            s.mode = Some(match Flags::of_command(command).workers() {
                Some(workers) => RunMode::Parallel { workers },
                None => RunMode::Sequential,
            });
        }
        // Nothing of regrtest's own ran, and the step failed: the runner did (an emulator or
        // simulator that did not start, a testbed that did not build).
        let tests_ran = self.progress_seen
            || s.result.is_some()
            || self.header_seen
            || self.rerun_phase
            || self.verbose_test.is_some()
            || !s.leaks.is_empty();
        if !tests_ran && let Some(error) = self.runner_error {
            push_unique(
                &mut s.infrastructure,
                &format!("the test runner failed before any test ran ({error})"),
            );
        }
        s
    }
}

/// `command timed out: 1200 seconds without output running [b'make', …], attempting to kill`
/// → `Buildbot killed the step: command timed out: 1200 seconds without output`.
fn buildbot_kill(line: &[u8], start: &str) -> String {
    let end = [&b" running"[..], b", attempting"]
        .iter()
        .filter_map(|w| memmem::find(&line[start.len()..], w).map(|i| i + start.len()))
        .min()
        .unwrap_or(line.len());
    format!(
        "Buildbot killed the step: {}",
        text(line[..end].trim_ascii())
    )
}

/// `FAIL: test_x (mod.Class.test_x)`, `ERROR: …`, or `SomeError: message` / `mod.SomeError: …`.
fn is_excerpt(line: &[u8]) -> bool {
    if line.starts_with(b"FAIL: ") || line.starts_with(b"ERROR: ") {
        return true;
    }
    let Some(colon) = line::find_by(line, b": ", 0) else {
        return false;
    };
    let name = &line[..colon];
    // A lower-case first letter only for a qualified name (`ssl.SSLError`), not prose.
    let qualified = line[0].is_ascii_uppercase() || memchr::memchr(b'.', name).is_some();
    qualified
        && (name.ends_with(b"Error") || name.ends_with(b"Exception"))
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
}

/// The block a summary header starts (results.py, and main.py before 3.12).
fn classify_block(header: &[u8]) -> Block {
    let has = |needle: &str| line::find_by(header, needle.as_bytes(), 0).is_some();
    if has("failed again") {
        Block::FailedAgain
    } else if has("re-run test") {
        Block::Rerun
    } else if has("skipped (resource denied)") {
        Block::ResourceDenied
    } else if has(" failed") {
        Block::Failed
    } else if has(" skipped") {
        Block::Skipped
    } else if has("altered the execution environment") || has("env changed") {
        Block::EnvChanged
    } else {
        Block::Other
    }
}

/// Parse a plain log (e.g. Buildbot's `/raw`, or a local regrtest run).
pub fn parse(log: &[u8]) -> LogSummary {
    let mut p = Parser::default();
    p.feed(log, false);
    p.finish()
}

/// Parse Buildbot `/contents` text of a stdio log, whose lines start with a stream letter
/// (`o` stdout, `e` stderr, `h` header): the letter is dropped.
pub fn parse_stdio_chunks<'a>(chunks: impl IntoIterator<Item = &'a str>) -> LogSummary {
    let mut p = Parser::default();
    for chunk in chunks {
        feed_stdio_chunk(&mut p, chunk);
    }
    p.finish()
}

/// Feed one `/contents` chunk (whole lines) to a parser: lets a caller read a big log page by
/// page and drop each page once parsed, so memory stays bounded by the page, not the log.
pub fn feed_stdio_chunk(p: &mut Parser, chunk: &str) {
    p.feed(chunk.as_bytes(), true);
}

/// Feed whole plain lines (a piece of a log file that ends at a newline, or the file's last
/// piece) to a parser: lets a caller stream a file of any size through a fixed buffer.
pub fn feed_plain_chunk(p: &mut Parser, chunk: &[u8]) {
    p.feed(chunk, false);
}
