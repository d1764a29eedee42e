//! Lines found by the substring search ([`FINDS`]): Buildbot's kills, fatal errors, faulthandler's
//! timeouts and reference leaks, each attributed to the test whose output they are in.

use super::*;

/// What the substring search over every line finds; anything else is recognised by how a line
/// starts (Buildbot's own lines, git's, the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Find {
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
pub(super) const FINDS: &[(&str, Find)] = &[
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
pub(super) const LINE_STARTS: &[(&str, Option<&str>)] = &[
    ("fatal: unable to access", Some("fatal: unable to access")),
    ("fatal: early EOF", Some("fatal: early EOF")),
    ("fatal: Out of memory", Some("out of memory (git)")),
    ("command timed out: ", None),
    ("process killed by signal ", None),
];

/// One automaton for every substring of [`FINDS`], run over whole chunks: leftmost-first, so
/// it searches with a SIMD prefilter (several GB/s), and a line costs a search only when it
/// holds one of them.
pub(super) fn finder() -> &'static AhoCorasick {
    static FINDER: OnceLock<AhoCorasick> = OnceLock::new();
    FINDER.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(FINDS.iter().map(|(s, _)| s))
            .expect("fixed, valid patterns")
    })
}

pub(super) fn hits_in(line: &[u8]) -> u64 {
    finder()
        .find_iter(line)
        .fold(0, |hits, m| hits | 1 << m.pattern().as_usize())
}

impl Parser {
    /// Lines holding one of [`FINDS`].
    pub(super) fn found(&mut self, line: &[u8], hits: u64) {
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
    pub(super) fn died_here(&mut self, how: &str) {
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
    pub(super) fn timeout(&mut self, line: &[u8]) {
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
    pub(super) fn leak(&mut self, line: &[u8]) {
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
}

/// `command timed out: 1200 seconds without output running [b'make', …], attempting to kill`
/// → `Buildbot killed the step: command timed out: 1200 seconds without output`.
pub(super) fn buildbot_kill(line: &[u8], start: &str) -> String {
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
