//! One line of a regrtest log, lexed: what other tools put before it, regrtest's own log prefix,
//! and the shapes of its progress lines, running lists, durations and exit codes (the wordings
//! of `Lib/test/libregrtest` from 3.8 to 3.16: logger.py, result.py, run_workers.py,
//! runtest_mp.py, utils.py).

use memchr::memmem;

/// `needle` in `hay`, found through its byte `needle[k]` (a rare one): for the short lines of a
/// log, cheaper than building a substring searcher per call.
pub(super) fn find_by(hay: &[u8], needle: &[u8], k: usize) -> Option<usize> {
    memchr::memchr_iter(needle[k], hay.get(k..)?).find(|&i| hay[i..].starts_with(needle))
}

/// Drop what a CI system writes before each line: GitHub Actions' `2023-08-24T12:00:00.1234567Z `
/// and the Open Build Service's `[15008s] ` (right-aligned, so `[  12s] ` too).
pub(super) fn strip_wrapper(line: &[u8]) -> &[u8] {
    match line.first() {
        Some(b'[') => {
            let digits = line[1..].iter().take_while(|b| **b == b' ').count() + 1;
            let end = digits
                + line[digits..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            if end > digits && line[end..].starts_with(b"s]") {
                let rest = &line[end + 2..];
                return rest.strip_prefix(b" ").unwrap_or(rest);
            }
            line
        }
        Some(b'0'..=b'9')
            if line.len() > 21 && line[4] == b'-' && line[7] == b'-' && line[10] == b'T' =>
        {
            match memchr::memchr(b'Z', &line[..line.len().min(40)]) {
                // A timestamp may wrap another CI system's line (`[15008s] …`).
                Some(z) if line[z + 1..].starts_with(b" ") => strip_wrapper(&line[z + 2..]),
                Some(z) if z + 1 == line.len() => &[],
                _ => line,
            }
        }
        _ => line,
    }
}

/// Remove ANSI escape sequences (regrtest colours its output since 3.13 when `FORCE_COLOR` is
/// set, as on GitHub Actions) into `out`.
pub(super) fn strip_ansi(line: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < line.len() {
        if line[i] == 0x1b {
            i += 1;
            if line.get(i) == Some(&b'[') {
                i += 1;
                while i < line.len() && !(0x40..=0x7e).contains(&line[i]) {
                    i += 1;
                }
            }
            i += 1;
        } else {
            out.push(line[i]);
            i += 1;
        }
    }
}

/// The body of a line regrtest's main process logged: after `0:01:05 ` (elapsed time) and the
/// `name: value ` fields that follow it (`load avg: 1.80 `, `mem: …`). `None` without the time.
pub(super) fn log_body(line: &[u8]) -> Option<&[u8]> {
    let h = line.iter().take_while(|b| b.is_ascii_digit()).count();
    let time = line.get(h..h + 7)?;
    if h == 0
        || time[0] != b':'
        || time[3] != b':'
        || time[6] != b' '
        || ![time[1], time[2], time[4], time[5]]
            .iter()
            .all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut body = &line[h + 7..];
    // `load avg: 0.64 ` and other lowercase `name: value ` fields; never `running: …`, whose
    // value is a test list.
    while let Some(colon) = find_by(&body[..body.len().min(24)], b": ", 0) {
        let name = &body[..colon];
        if name.is_empty()
            || name == b"running"
            || !name.iter().all(|b| b.is_ascii_lowercase() || *b == b' ')
        {
            break;
        }
        let value = &body[colon + 2..];
        let Some(end) = memchr::memchr(b' ', value) else {
            break;
        };
        // `mem: 1.2 GiB `: a unit of bytes after the number.
        let mut rest = &value[end + 1..];
        for unit in [
            &b"B "[..],
            b"kB ",
            b"KiB ",
            b"MB ",
            b"MiB ",
            b"GB ",
            b"GiB ",
        ] {
            if let Some(r) = rest.strip_prefix(unit) {
                rest = r;
                break;
            }
        }
        body = rest;
    }
    Some(body)
}

/// `[ 51/405/1]`, `[463/1]`, `[12]`: the numbers of a progress counter, and what follows it.
/// `Err(())` for a counter cut short (`[19/` at the end of an excerpt).
pub(super) fn counter(body: &[u8]) -> Option<Result<(Counter, &[u8]), ()>> {
    let inner = body.strip_prefix(b"[")?;
    let first = inner.iter().position(|b| *b != b' ').unwrap_or(inner.len());
    if !inner.get(first).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let Some(close) = memchr::memchr(b']', inner) else {
        let cut = inner[first..]
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b'/' || *b == b' ');
        return cut.then_some(Err(()));
    };
    let mut numbers = inner[first..close].split(|b| *b == b'/').map(|n| {
        std::str::from_utf8(n.trim_ascii())
            .ok()
            .and_then(|n| n.parse::<u32>().ok())
    });
    let index = numbers.next().flatten()?;
    let second = numbers.next().map(|n| n.ok_or(()));
    let third = numbers.next().map(|n| n.ok_or(()));
    if numbers.next().is_some() {
        return None;
    }
    let (second, third) = match (second, third) {
        (None, None) => (None, None),
        (Some(Ok(a)), None) => (Some(a), None),
        (Some(Ok(a)), Some(Ok(b))) => (Some(a), Some(b)),
        _ => return None,
    };
    let rest = &inner[close + 1..];
    Some(Ok((
        Counter {
            index,
            second,
            third,
        },
        rest.strip_prefix(b" ").unwrap_or(rest),
    )))
}

/// `[index/total/failures]`; regrtest omits the total when it does not know it (`--forever`,
/// some re-run phases: `[463/1]`) and the failures while there are none, or with `--pgo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counter {
    pub index: u32,
    pub second: Option<u32>,
    pub third: Option<u32>,
}

/// What a progress line says about a test, in the words of result.py (3.12+) and runtest.py
/// (3.8-3.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    Passed,
    /// `failed`, `failed (2 failures)`, `failed (uncaught exception)`, `failed (reference
    /// leak)`, `worker bug (…)`.
    Failed,
    /// `failed (env changed)`.
    EnvChanged,
    Skipped,
    /// `skipped (resource denied)`.
    ResourceDenied,
    Interrupted,
    /// The worker process died: `crashed (Exit code -11)` (3.8-3.11), `process crashed (Exit
    /// code 1)` (3.12), `worker non-zero exit code (Exit code 3221225477
    /// (STATUS_ACCESS_VIOLATION))` (3.13+). Holds `Exit code N (NAME)`.
    Crashed(String),
    /// `timed out (20 min)`: the main process killed a worker past its timeout.
    TimedOut,
    /// `ran no tests`, `run no tests`.
    NoTests,
}

/// A progress line after its counter: `test_x failed (1 failure) (35.1 sec) -- running (2): …`
/// in parallel runs, `test_y -- test_x failed (1 failure) in 35.1 sec` in sequential ones.
#[derive(Debug)]
pub(super) struct Progress<'a> {
    pub test: &'a [u8],
    /// `None`: the line names a test that starts (sequential) or says nothing (`--pgo`).
    pub outcome: Option<Outcome>,
    /// Sequential runs: the previous test and how it ended.
    pub previous: Option<(&'a [u8], Outcome)>,
    /// The `-- running (N): …` list, when there is one.
    pub running: Option<&'a [u8]>,
    /// Text after the name that is no outcome regrtest prints (a line cut short): the test
    /// ended, how is unknown.
    pub unknown: bool,
}

pub(super) fn progress(rest: &[u8]) -> Option<Progress<'_>> {
    let name_end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    let test = &rest[..name_end];
    if !is_test_name(test) {
        return None;
    }
    let mut status = &rest[name_end..];
    let mut running = None;
    if let Some(i) = find_by(status, b" -- running", 1) {
        running = Some(&status[i + " -- ".len()..]);
        status = &status[..i];
    }
    let status = status.trim_ascii();
    let mut p = Progress {
        test,
        outcome: None,
        previous: None,
        running,
        unknown: false,
    };
    if status.is_empty() {
        return Some(p);
    }
    if let Some(prev) = status.strip_prefix(b"-- ") {
        let end = memchr::memchr(b' ', prev).unwrap_or(prev.len());
        if is_test_name(&prev[..end])
            && let Some(o) = outcome(prev[end..].trim_ascii())
        {
            p.previous = Some((&prev[..end], o));
        }
        return Some(p);
    }
    match outcome(status) {
        Some(o) => p.outcome = Some(o),
        None => p.unknown = true,
    }
    Some(p)
}

/// `test_x`, `test.test_os.test_os`, `test_asyncio.test_server`: what regrtest names a test.
pub(super) fn is_test_name(name: &[u8]) -> bool {
    name.starts_with(b"test")
        && name.len() > 4
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
}

/// The outcome at the start of `status` (durations and details after it ignored).
pub(super) fn outcome(status: &[u8]) -> Option<Outcome> {
    let word = |w: &[u8]| {
        status.starts_with(w)
            && status
                .get(w.len())
                .is_none_or(|b| matches!(b, b' ' | b'(' | b','))
    };
    if word(b"passed") {
        Some(Outcome::Passed)
    } else if status.starts_with(b"failed (env changed)") {
        Some(Outcome::EnvChanged)
    } else if word(b"failed") || word(b"worker bug") {
        Some(Outcome::Failed)
    } else if status.starts_with(b"skipped (resource denied)") {
        Some(Outcome::ResourceDenied)
    } else if word(b"skipped") {
        Some(Outcome::Skipped)
    } else if word(b"interrupted") {
        Some(Outcome::Interrupted)
    } else if word(b"timed out") {
        Some(Outcome::TimedOut)
    } else if word(b"ran no tests") || word(b"run no tests") {
        Some(Outcome::NoTests)
    } else {
        let after = [
            &b"worker non-zero exit code"[..],
            b"process crashed",
            b"crashed",
        ]
        .iter()
        .find_map(|w| word(w).then(|| &status[w.len()..]))?;
        Some(Outcome::Crashed(exit_code(after)))
    }
}

/// `(Exit code 3221225477 (STATUS_ACCESS_VIOLATION))` → `Exit code 3221225477
/// (STATUS_ACCESS_VIOLATION)`; a code regrtest printed without its name gets the name its
/// newer versions give (`Exit code -11` → `Exit code -11 (SIGSEGV)`).
fn exit_code(after: &[u8]) -> String {
    let after = after.trim_ascii_start();
    let Some(inner) = after.strip_prefix(b"(") else {
        return "crashed".into();
    };
    let mut depth = 1;
    let mut end = inner.len();
    for (i, b) in inner.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let how = String::from_utf8_lossy(&inner[..end]).into_owned();
    if let Some(code) = how.strip_prefix("Exit code ")
        && let Ok(code) = code.trim().parse::<i64>()
        && let Some(name) = exit_code_name(code)
    {
        return format!("Exit code {code} ({name})");
    }
    how
}

/// What `test.support.get_signal_name` says about a worker's exit code: a signal for negative
/// codes and shell codes 129-255, a Windows NTSTATUS (printed unsigned) otherwise. Only signals
/// numbered alike on Linux, macOS and the BSDs.
pub(super) fn exit_code_name(code: i64) -> Option<&'static str> {
    let signal = |n: i64| {
        Some(match n {
            1 => "SIGHUP",
            2 => "SIGINT",
            3 => "SIGQUIT",
            4 => "SIGILL",
            5 => "SIGTRAP",
            6 => "SIGABRT",
            8 => "SIGFPE",
            9 => "SIGKILL",
            11 => "SIGSEGV",
            13 => "SIGPIPE",
            14 => "SIGALRM",
            15 => "SIGTERM",
            _ => return None,
        })
    };
    match code {
        c if c < 0 => signal(-c),
        c if 128 < c && c < 256 => signal(c - 128),
        0xC000_0005 => Some("STATUS_ACCESS_VIOLATION"),
        0xC000_00FD => Some("STATUS_STACK_OVERFLOW"),
        0xC000_013A => Some("STATUS_CONTROL_C_EXIT"),
        0xC000_0409 => Some("STATUS_STACK_BUFFER_OVERRUN"),
        0xC000_0374 => Some("STATUS_HEAP_CORRUPTION"),
        0xC000_001D => Some("STATUS_ILLEGAL_INSTRUCTION"),
        0xC000_0094 => Some("STATUS_INTEGER_DIVIDE_BY_ZERO"),
        0x8000_0003 => Some("STATUS_BREAKPOINT"),
        _ => None,
    }
}

/// The items of a running list (`running (3): test_a (5 min 2 sec), test_b (39.0 sec), tes`,
/// or 3.8-3.11's `running: test_a (30.0 sec)`): each test with how long it has run, in ms.
/// `None` for the last item when a line was cut inside it.
pub(super) fn running_list(list: &[u8]) -> Vec<(&[u8], Option<u64>)> {
    let items = match find_by(list, b": ", 0) {
        Some(i) if list.starts_with(b"running") => &list[i + 2..],
        _ => return Vec::new(),
    };
    items
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|item| !item.is_empty())
        .map(|item| match find_by(item, b" (", 1) {
            Some(i) if item.ends_with(b")") => {
                (&item[..i], duration_ms(&item[i + 2..item.len() - 1]))
            }
            Some(i) => (&item[..i], None),
            None => (item, None),
        })
        .collect()
}

/// `3 hour 12 min`, `1 min 30 sec`, `39.0 sec`, `500 ms` (utils.format_duration) in ms.
pub(super) fn duration_ms(text: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(text).ok()?;
    let mut words = text.split_ascii_whitespace();
    let mut total = 0.0;
    let mut any = false;
    while let Some(number) = words.next() {
        let n: f64 = number.parse().ok()?;
        let unit = match words.next()? {
            "hour" | "hours" => 3_600_000.0,
            "min" => 60_000.0,
            "sec" => 1000.0,
            "ms" => 1.0,
            _ => return None,
        };
        total += n * unit;
        any = true;
    }
    // Rounded to whole milliseconds: the durations are at most a few days.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a non-negative duration of at most days, in ms"
    )]
    any.then_some(total.round() as u64)
}

/// `Kill <WorkerThread #2 running test=test_x pid=1364 time=1.1 sec>` (and 3.8-3.11's
/// `<TestWorkerProcess #1 running test=…>`, `Waiting for <…>` lines): the test named.
pub(super) fn worker_test(line: &[u8]) -> Option<&[u8]> {
    let i = memmem::find(line, b" test=")?;
    let rest = &line[i + " test=".len()..];
    let end = rest
        .iter()
        .position(|b| *b == b' ' || *b == b'>')
        .unwrap_or(rest.len());
    let test = &rest[..end];
    is_test_name(test).then_some(test)
}

/// `test_x (test.test_threading.ThreadTests.test_x) ... ok`: the regrtest test a unittest
/// verbose line belongs to (`test_threading`; `test.test_os.test_os` for a test package).
pub(super) fn verbose_test(line: &[u8]) -> Option<String> {
    let open = find_by(line, b" (", 1)?;
    if !line[..open]
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    let id = &line[open + 2..];
    let id = &id[..memchr::memchr(b')', id)?];
    let parts: Vec<&[u8]> = id.split(|b| *b == b'.').collect();
    // The module is what comes before the class (the first capitalised part).
    let class = parts
        .iter()
        .position(|p| p.first().is_some_and(u8::is_ascii_uppercase))?;
    let module = &parts[..class];
    let name = match module {
        [b"test", single] => single.to_vec(),
        [first, ..] if first.starts_with(b"test") => module.join(&b"."[..]),
        _ => return None,
    };
    is_test_name(&name).then(|| String::from_utf8_lossy(&name).into_owned())
}

#[cfg(test)]
#[path = "line_tests.rs"]
mod tests;
