//! A streaming parser of CPython regrtest output (`python -m test`, `make buildbottest`).
//!
//! One pass, line by line, over bytes (logs are not always valid UTF-8), keeping only what a
//! report needs: the command, seed, platform lines, worker count, the final result, the test
//! lists of the summary blocks (`N tests failed:` and friends; the last block of each kind
//! wins, so the final summary overrides the one before re-runs), leaks, timeouts, crashes,
//! fatal errors and infrastructure causes (full disk, out of memory, git, lost worker).
//! Feed it whole logs or a head and a tail window: it never needs the middle.

use memchr::memmem;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// The regrtest command line (`+ …python… -m test …`), when the log shows it.
    pub command: Option<String>,
    /// `Using random seed: N`.
    pub seed: Option<u64>,
    /// `== CPython …`, `== Linux-…` and the other `== ` header lines.
    pub platform: Vec<String>,
    /// Worker processes (`Run N tests in parallel using M worker processes`).
    pub workers: Option<u32>,
    /// The last `== Tests result: … ==`, e.g. `FAILURE then SUCCESS`.
    pub result: Option<String>,
    /// Still failing at the end (the final `N tests failed:` block).
    pub failed: Vec<String>,
    /// Failed, then passed when re-run: flaky.
    pub passed_on_rerun: Vec<String>,
    /// The `N re-run tests:` block.
    pub rerun: Vec<String>,
    pub skipped: Vec<String>,
    pub env_changed: Vec<String>,
    /// `test_x leaked [1, 1, 1] references, sum=3` → (`test_x`, `references, sum=3`).
    pub leaks: Vec<(String, String)>,
    /// Tests whose worker hit regrtest's `--timeout`.
    pub timeouts: Vec<String>,
    /// (test, how): workers killed by a signal, e.g. `Exit code -11 (SIGSEGV)`.
    pub crashes: Vec<(String, String)>,
    /// `Fatal Python error: …` messages, deduplicated.
    pub fatal_errors: Vec<String>,
    /// Causes outside the code under test: `No space left on device`, `Cannot allocate memory`…
    pub infrastructure: Vec<String>,
    /// The last test a progress line named: the one running when a log ends abruptly.
    pub last_test: Option<String>,
    /// Tests in the order progress lines reported them during the first run (re-runs
    /// excluded). With one worker or none that is the order they ran in.
    pub order: Vec<String>,
    /// Lines worth showing: unittest's `FAIL: …`/`ERROR: …` banners and exception lines
    /// (`AssertionError: …`), deduplicated, at most [`MAX_EXCERPTS`].
    pub excerpts: Vec<String>,
    pub lines: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Failed,
    FailedAgain,
    Rerun,
    Skipped,
    EnvChanged,
    /// A block bbreport does not keep (`10 slowest tests:`, `2 tests OK.`…).
    Other,
}

pub const MAX_EXCERPTS: usize = 20;

/// Substrings whose presence marks an infrastructure failure rather than a test failure.
const INFRASTRUCTURE: &[&str] = &[
    "No space left on device",
    "filesystem is full",
    "Cannot allocate memory",
    "fatal: unable to access",
    "fatal: early EOF",
    "remote_lost",
    "slave lost",
    "worker lost",
];

#[derive(Debug)]
pub struct Parser {
    summary: LogSummary,
    block: Option<(Block, Vec<String>)>,
    failed_again: Vec<String>,
    /// The test whose worker exited non-zero last, with how, until a timeout claims it.
    pending_exit: Option<(String, String)>,
    /// Set at `Re-running …`: progress lines after it no longer give the run order.
    rerunning: bool,
    finders: Finders,
}

#[derive(Debug)]
struct Finders {
    fatal: memmem::Finder<'static>,
    leaked: memmem::Finder<'static>,
    timeout: memmem::Finder<'static>,
    nonzero: memmem::Finder<'static>,
    infra: Vec<memmem::Finder<'static>>,
}

impl Default for Parser {
    fn default() -> Self {
        Parser {
            summary: LogSummary::default(),
            block: None,
            failed_again: Vec::new(),
            pending_exit: None,
            rerunning: false,
            finders: Finders {
                fatal: memmem::Finder::new("Fatal Python error: "),
                leaked: memmem::Finder::new(" leaked ["),
                timeout: memmem::Finder::new("Timeout ("),
                nonzero: memmem::Finder::new("worker non-zero exit code ("),
                infra: INFRASTRUCTURE
                    .iter()
                    .map(|s| memmem::Finder::new(s.as_bytes()))
                    .collect(),
            },
        }
    }
}

impl Parser {
    /// Feed one line, without its newline. `\r` at the end is ignored.
    pub fn line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.summary.lines += 1;
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
        if first.is_ascii_digit() {
            if line.ends_with(b":") && (memchr::memchr(b'[', line).is_none()) {
                self.block = Some((classify_block(line), Vec::new()));
                return;
            }
            self.progress(line);
        } else if line.starts_with(b"== ") {
            if let Some(rest) = line.strip_prefix(b"== Tests result: ") {
                let rest = rest.strip_suffix(b" ==").unwrap_or(rest);
                self.summary.result = Some(text(rest));
                // A new summary starts (the one after re-runs supersedes the first): its
                // blocks are the ones that count.
                self.summary.failed.clear();
                self.summary.rerun.clear();
                self.summary.skipped.clear();
                self.summary.env_changed.clear();
                self.failed_again.clear();
            } else if self.summary.platform.len() < 12 {
                self.summary.platform.push(text(&line[3..]));
            }
            return;
        } else if let Some(rest) = line.strip_prefix(b"Using random seed") {
            let digits = rest
                .trim_ascii_start()
                .strip_prefix(b":")
                .unwrap_or(rest)
                .trim_ascii();
            self.summary.seed = std::str::from_utf8(digits)
                .ok()
                .and_then(|d| d.parse().ok());
            return;
        } else if first == b'+'
            && self.summary.command.is_none()
            && memmem::find(line, b" -m test").is_some()
        {
            self.summary.command = Some(text(line[1..].trim_ascii()));
            return;
        }
        self.anywhere(line);
    }

    /// Checks that apply to any line: fatal errors, leaks, timeouts, infrastructure.
    fn anywhere(&mut self, line: &[u8]) {
        if !self.rerunning
            && memmem::find(line, b"Re-running ").is_some()
            && memmem::find(line, b"verbose mode").is_some()
        {
            self.rerunning = true;
        }
        if line.first().is_some_and(u8::is_ascii_uppercase)
            && is_excerpt(line)
            && self.summary.excerpts.len() < MAX_EXCERPTS
        {
            let l = text(line.trim_ascii_end());
            if !self.summary.excerpts.contains(&l) {
                self.summary.excerpts.push(l);
            }
        }
        if let Some(i) = self.finders.fatal.find(line) {
            let msg = text(line[i + "Fatal Python error: ".len()..].trim_ascii());
            if !self.summary.fatal_errors.contains(&msg) {
                self.summary.fatal_errors.push(msg);
            }
        }
        if let Some(i) = self.finders.leaked.find(line) {
            let test = line[..i].rsplit(|b| *b == b' ').next().unwrap_or_default();
            if test.starts_with(b"test") {
                let after = &line[i + " leaked [".len()..];
                let what = memchr::memchr(b']', after)
                    .map_or(&after[..0], |j| after[j + 1..].trim_ascii());
                let leak = (text(test), text(what));
                if !self.summary.leaks.contains(&leak) {
                    self.summary.leaks.push(leak);
                }
            }
        }
        if self.finders.timeout.find(line).is_some() && line.ends_with(b")!") {
            let test = self
                .pending_exit
                .take()
                .map(|(t, _)| t)
                .or_else(|| self.summary.last_test.clone());
            if let Some(t) = test
                && !self.summary.timeouts.contains(&t)
            {
                self.summary.timeouts.push(t);
            }
        }
        for (finder, cause) in self.finders.infra.iter().zip(INFRASTRUCTURE) {
            if finder.find(line).is_some()
                && !self.summary.infrastructure.iter().any(|c| c == cause)
            {
                self.summary.infrastructure.push((*cause).to_string());
            }
        }
    }

    /// `0:00:03 load avg: 0.64 [2/2/1] test_x worker non-zero exit code (Exit code -11 (SIGSEGV))`
    fn progress(&mut self, line: &[u8]) {
        let Some(open) = memchr::memchr(b'[', line) else {
            if let Some(workers) = parse_workers(line) {
                self.summary.workers = Some(workers);
            }
            return self.anywhere(line);
        };
        let Some(close) = memchr::memchr(b']', &line[open..]).map(|i| open + i) else {
            return;
        };
        let rest = line[close + 1..].trim_ascii_start();
        let name_end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
        let name = &rest[..name_end];
        if !name.starts_with(b"test") {
            if let Some(workers) = parse_workers(line) {
                self.summary.workers = Some(workers);
            }
            return self.anywhere(line);
        }
        let test = text(name);
        self.summary.last_test = Some(test.clone());
        if !self.rerunning && !self.summary.order.contains(&test) {
            self.summary.order.push(test.clone());
        }
        let status = &rest[name_end..];
        if let Some(i) = self.finders.nonzero.find(status) {
            let how = status[i + "worker non-zero exit code (".len()..]
                .strip_suffix(b")")
                .unwrap_or_default();
            let how = text(how);
            // A negative exit code is a signal: the worker crashed. Exit code 1 after a
            // `Timeout (…)!` is regrtest's own timeout, claimed when that line comes.
            if how.contains("Exit code -") || how.contains("(SIG") {
                self.summary.crashes.push((test.clone(), how.clone()));
            }
            self.pending_exit = Some((test, how));
        } else if memmem::find(status, b"crashed").is_some() {
            self.summary.crashes.push((test, text(status.trim_ascii())));
        } else if memmem::find(status, b"timed out").is_some()
            && !self.summary.timeouts.contains(&test)
        {
            self.summary.timeouts.push(test);
        }
        self.anywhere(status);
    }

    fn close_block(&mut self) {
        let Some((kind, items)) = self.block.take() else {
            return;
        };
        match kind {
            Block::Failed => self.summary.failed = items,
            Block::FailedAgain => self.failed_again = items,
            Block::Rerun => self.summary.rerun = items,
            Block::Skipped => self.summary.skipped = items,
            Block::EnvChanged => self.summary.env_changed = items,
            Block::Other => {}
        }
    }

    pub fn finish(mut self) -> LogSummary {
        self.close_block();
        let mut s = self.summary;
        // Old regrtest lists what still fails after re-runs as "failed again"; new ones repeat
        // "N tests failed:" at the end. Either way those are the failures.
        if !self.failed_again.is_empty() {
            s.failed = self.failed_again;
        }
        s.passed_on_rerun = s
            .rerun
            .iter()
            .filter(|t| !s.failed.contains(t))
            .cloned()
            .collect();
        s
    }
}

/// `FAIL: test_x (mod.Class.test_x)`, `ERROR: …`, or `SomeError: message` / `mod.SomeError: …`.
fn is_excerpt(line: &[u8]) -> bool {
    if line.starts_with(b"FAIL: ") || line.starts_with(b"ERROR: ") {
        return true;
    }
    let Some(colon) = memmem::find(line, b": ") else {
        return false;
    };
    let name = &line[..colon];
    (name.ends_with(b"Error") || name.ends_with(b"Exception"))
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
}

fn classify_block(header: &[u8]) -> Block {
    let has = |needle: &str| memmem::find(header, needle.as_bytes()).is_some();
    if has("failed again") {
        Block::FailedAgain
    } else if has("re-run test") {
        Block::Rerun
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

/// `Run 2 tests in parallel using 1 worker process (…)` → 1.
fn parse_workers(line: &[u8]) -> Option<u32> {
    let i = memmem::find(line, b" using ")?;
    let rest = &line[i + " using ".len()..];
    let end = memchr::memchr(b' ', rest)?;
    if !rest[end..].starts_with(b" worker process") {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Parse a plain log (e.g. Buildbot's `/raw`, or a local regrtest run).
pub fn parse(log: &[u8]) -> LogSummary {
    let mut p = Parser::default();
    for line in log.split(|b| *b == b'\n') {
        p.line(line);
    }
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
    for line in chunk.as_bytes().split(|b| *b == b'\n') {
        if line.is_empty() {
            continue;
        }
        p.line(&line[1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> LogSummary {
        let path = format!("{}/tests/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"));
        parse(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    #[test]
    fn passing_run() {
        let s = fixture("pass.txt");
        assert_eq!(s.result.as_deref(), Some("SUCCESS"));
        assert!(s.failed.is_empty() && s.rerun.is_empty());
        assert_eq!(s.seed, Some(1001));
        assert_eq!(s.workers, Some(1));
        assert!(
            s.command
                .as_deref()
                .is_some_and(|c| c.contains("-m test") && c.contains("--randseed=1001")),
            "{:?}",
            s.command
        );
        assert!(
            s.platform.iter().any(|p| p.starts_with("CPython ")),
            "{:?}",
            s.platform
        );
    }

    #[test]
    fn run_order_excludes_reruns() {
        let s = fixture("fail.txt");
        assert_eq!(s.order.len(), 3, "{:?}", s.order);
        assert!(s.order.contains(&"test_bbr_broken".to_string()));
        let s = parse(b"0:00:00 load avg: 0.1 [1/2] test_b\n0:00:01 load avg: 0.1 [2/2] test_a failed\n0:00:01 load avg: 0.1 Re-running 1 failed tests in verbose mode\n0:00:02 load avg: 0.1 [1/1] test_c\n");
        assert_eq!(s.order, ["test_b", "test_a"]);
    }

    #[test]
    fn persistent_failure() {
        let s = fixture("fail.txt");
        assert_eq!(s.result.as_deref(), Some("FAILURE then FAILURE"));
        assert_eq!(s.failed, ["test_bbr_broken"]);
        assert_eq!(s.rerun, ["test_bbr_broken"]);
        assert!(
            s.excerpts
                .iter()
                .any(|l| l.starts_with("FAIL: test_regression")),
            "{:?}",
            s.excerpts
        );
        assert!(
            s.excerpts.iter().any(|l| l.starts_with("AssertionError: ")),
            "{:?}",
            s.excerpts
        );
        assert!(s.passed_on_rerun.is_empty());
    }

    #[test]
    fn flaky_failure_passes_on_rerun() {
        let s = fixture("flaky.txt");
        assert_eq!(s.result.as_deref(), Some("FAILURE then SUCCESS"));
        assert!(s.failed.is_empty(), "{:?}", s.failed);
        assert_eq!(s.passed_on_rerun, ["test_bbr_flaky"]);
    }

    #[test]
    fn timeout_names_the_test() {
        let s = fixture("timeout.txt");
        assert_eq!(s.timeouts, ["test_bbr_hang"]);
        assert_eq!(s.failed, ["test_bbr_hang"]);
        assert!(
            s.crashes.is_empty(),
            "exit code 1 after a timeout is not a crash: {:?}",
            s.crashes
        );
    }

    #[test]
    fn crash_names_the_test_and_signal() {
        let s = fixture("crash.txt");
        assert_eq!(
            s.crashes.first().map(|(t, how)| (t.as_str(), how.as_str())),
            Some(("test_bbr_crash", "Exit code -11 (SIGSEGV)"))
        );
        assert_eq!(s.fatal_errors, ["Segmentation fault"]);
        assert_eq!(s.failed, ["test_bbr_crash"]);
    }

    #[test]
    fn full_disk_is_infrastructure() {
        let s = fixture("diskfull.txt");
        assert_eq!(s.infrastructure, ["No space left on device"]);
        assert!(
            s.excerpts
                .iter()
                .any(|l| l.starts_with("OSError: [Errno 28] No space left on device")),
            "{:?}",
            s.excerpts
        );
        assert_eq!(s.failed, ["test_bbr_diskfull"]);
    }

    #[test]
    fn refleak_run_on_a_debug_build() {
        let s = fixture("leak.txt");
        assert_eq!(
            s.leaks,
            [("test_bbr_leak".to_string(), "references, sum=3".to_string())]
        );
        assert_eq!(s.failed, ["test_bbr_leak"]);
    }

    #[test]
    fn leak_lines_and_old_summary_formats() {
        // Several leak kinds on one test, and the old "failed again" block.
        let log = [
            "0:01:02 load avg: 1.0 [3/9] test_ssl",
            "beginning 6 repetitions",
            "test_ssl leaked [1, 1, 1] references, sum=3",
            "test_ssl leaked [1, 1, 1] memory blocks, sum=3",
            "",
            "2 tests failed:",
            "    test_ssl test_os",
            "",
            "1 test failed again:",
            "    test_ssl",
            "",
            "1 re-run test:",
            "    test_os",
        ]
        .join("\n");
        let log = log.as_bytes();
        let s = parse(log);
        assert_eq!(
            s.leaks,
            [
                ("test_ssl".to_string(), "references, sum=3".to_string()),
                ("test_ssl".to_string(), "memory blocks, sum=3".to_string())
            ]
        );
        assert_eq!(s.failed, ["test_ssl"]);
        assert_eq!(s.passed_on_rerun, ["test_os"]);
    }

    #[test]
    fn buildbot_stdio_prefixes_are_dropped_and_windows_suffice() {
        let s = parse_stdio_chunks([
            "hmake buildbottest\noUsing random seed: 42\n",
            "o== Tests result: SUCCESS ==\n",
        ]);
        assert_eq!((s.seed, s.result.as_deref()), (Some(42), Some("SUCCESS")));
    }

    #[test]
    fn a_log_cut_mid_run_names_the_last_test() {
        let s = parse(
            b"0:00:00 load avg: 0.1 [1/3] test_a passed\n0:00:01 load avg: 0.1 [2/3] test_b\n",
        );
        assert_eq!(s.last_test.as_deref(), Some("test_b"));
        assert_eq!(s.result, None);
    }

    #[test]
    fn invalid_utf8_and_crlf_do_not_break_it() {
        let s = parse(b"Using random seed: 7\r\n\xff\xfe garbage\n== Tests result: FAILURE ==\r\n");
        assert_eq!((s.seed, s.result.as_deref()), (Some(7), Some("FAILURE")));
    }
}
