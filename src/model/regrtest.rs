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
//!
//! Here: the line loop and how each line is routed. Beside it: `summary.rs` (the result types),
//! `events.rs` (progress lines and what they say of each test), `findings.rs` (the substring
//! search: kills, fatal errors, timeouts, leaks), `finish.rs` (summary blocks, and the lists
//! rebuilt from events), `line.rs` (lexing one line), `command.rs` (the command line),
//! `marks.rs` (counters alone, for the search of long logs).

mod command;
mod events;
mod findings;
mod finish;
mod line;
mod marks;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem;

pub use command::{Flags, command_words, shell_word};
use findings::{LINE_STARTS, buildbot_kill, finder, hits_in};
use line::Outcome;
pub use marks::{CounterMark, counter_marks};
pub use summary::{Leak, LogSummary, Refleak, RunMode};

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
