//! Finding the failures in the unread middle of a long test log, without reading all of it.
//!
//! A build's test log is read by its head and tail windows ([`super::build::windows`]). When
//! the tail holds regrtest's final summary, that is enough: the summary names every failed
//! test. When it does not (a build killed by Buildbot's no-output timeout, a lost worker, a log
//! still growing) the failures may sit anywhere in between. regrtest's progress counter tells
//! where: `[index/total/fails]` counts the tests that failed or changed the environment so far
//! (libregrtest's `display_progress`), so between two counters whose `fails` differ, that many
//! tests ended badly. [`Search`] bisects such intervals with small probe windows until each is
//! short enough to read whole, within a budget of requests and bytes; what it could not reach
//! is reported, never silently dropped.
//!
//! Logs no longer than [`WHOLE_READ_LINES`] are simply read whole when their summary is missing:
//! one request of a few hundred KiB costs less than a bisection.

use crate::model::regrtest::CounterMark;

/// An incomplete log (no final summary in the windows read) up to this many lines is read
/// whole: about 0.5 MB, one request.
pub const WHOLE_READ_LINES: u64 = 5_000;
/// Lines read per probe, at least: a `-j` run prints a progress line per test, dozens per 200
/// lines; where counters are sparser, probes grow (see `Search::probe_lines`).
pub const PROBE_LINES: u64 = 200;
/// Two counters this close (in lines, about 150 KB) with failures between them: read everything
/// between rather than bisect further (each halving costs a request round).
pub const READ_SPAN: u64 = 1_500;
/// Lines read after a counter that shows a new failure: in a parallel run the failed test's
/// output (traceback, `Timeout (0:20:00)!`, `Fatal Python error`) follows its progress line.
pub const CONTEXT_AFTER: u64 = 200;
/// Requests a search may make beyond the head and tail windows.
pub const MAX_REQUESTS: u32 = 32;
/// Bytes a search may read beyond the head and tail windows.
pub const MAX_BYTES: usize = 4 << 20;

/// A search over one log: what was read, the counters seen, what it cost.
#[derive(Debug, Clone)]
pub struct Search {
    num_lines: u64,
    /// Lines read, as merged `[start, end)` ranges, sorted.
    read: Vec<(u64, u64)>,
    /// Every counter seen, sorted by line; a virtual one at line 0 first: no test has failed
    /// before the log begins.
    marks: Vec<Mark>,
    /// Requests and bytes spent by the search itself (not the head and tail windows), and the
    /// rounds they went out in (each round waits for the one before: its cost in latency).
    pub requests: u32,
    pub bytes: usize,
    pub rounds: u32,
    /// The budget stopped the search with failures still unlocated.
    pub budget_spent: bool,
}

/// A counter at a line of the log.
#[derive(Debug, Clone, Copy)]
struct Mark {
    line: u64,
    fails: u32,
    /// Its own line says a test ended badly: that failure is located.
    bad: bool,
}

impl Mark {
    /// The failures that ended after `earlier` and up to this counter whose lines may be
    /// unread: all of them but the one this line reports.
    fn unseen_since(&self, earlier: &Mark) -> u32 {
        self.fails
            .saturating_sub(earlier.fails)
            .saturating_sub(u32::from(self.bad))
    }
}

/// What a search found, for the report (and the cache, beside the parsed summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchOutcome {
    /// Tests the last counter read says failed or changed the environment.
    pub counted: u32,
    /// Of those, how many ended in lines that were not read.
    pub unlocated: u32,
    /// Requests and bytes spent beyond the head and tail windows, in `rounds` rounds.
    pub requests: u32,
    pub bytes: usize,
    pub rounds: u32,
    pub budget_spent: bool,
}

impl Search {
    pub fn new(num_lines: u64) -> Self {
        Search {
            num_lines,
            read: Vec::new(),
            marks: vec![Mark {
                line: 0,
                fails: 0,
                bad: false,
            }],
            requests: 0,
            bytes: 0,
            rounds: 0,
            budget_spent: false,
        }
    }

    /// A window `(offset, limit)` was read: its counters (lines relative to the window), and
    /// what it cost when the search asked for it (`None` for the head and tail windows).
    pub fn record(&mut self, offset: u64, limit: u64, marks: &[CounterMark], cost: Option<usize>) {
        let end = (offset + limit).min(self.num_lines);
        self.read.push((offset, end));
        self.read.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.read.len());
        for &(s, e) in &self.read {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.read = merged;
        for m in marks {
            let mark = Mark {
                line: offset + m.line,
                fails: m.fails,
                bad: m.bad,
            };
            if let Err(at) = self.marks.binary_search_by_key(&mark.line, |m| m.line) {
                self.marks.insert(at, mark);
            }
        }
        if let Some(bytes) = cost {
            self.requests += 1;
            self.bytes += bytes;
        }
    }

    /// The unread `[start, end)` ranges within `[from, to)`.
    fn unread(&self, from: u64, to: u64) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let mut at = from;
        for &(s, e) in &self.read {
            if e <= at {
                continue;
            }
            if s >= to {
                break;
            }
            if s > at {
                out.push((at, s));
            }
            at = at.max(e);
        }
        if at < to {
            out.push((at, to));
        }
        out
    }

    /// Pairs of neighbouring counters with failures between them in unread lines.
    fn open_intervals(&self) -> impl Iterator<Item = (Mark, Mark)> + '_ {
        self.marks
            .windows(2)
            .map(|w| (w[0], w[1]))
            .filter(|(a, b)| b.unseen_since(a) > 0 && !self.unread(a.line + 1, b.line).is_empty())
    }

    /// The windows to read next, all at once (one round of requests); empty when every
    /// counted failure is located or the budget is spent (then [`Search::budget_spent`]).
    pub fn next_windows(&mut self) -> Vec<(u64, u64)> {
        let probe = self.probe_lines();
        let mut wanted: Vec<(u64, u64)> = Vec::new();
        for (a, b) in self.open_intervals() {
            let (lo, hi) = (a.line + 1, b.line);
            if hi - lo <= READ_SPAN {
                let to = (b.line + 1 + CONTEXT_AFTER).min(self.num_lines);
                wanted.extend(self.unread(lo, to).into_iter().map(|(s, e)| (s, e - s)));
            } else if let Some(&(u0, u1)) = self
                .unread(lo, hi)
                .iter()
                .max_by_key(|(s, e)| (e - s, std::cmp::Reverse(*s)))
            {
                // Quarter a long stretch in one round (three probes), halve a short one: fewer
                // rounds of requests, each round's requests sent together.
                let parts = if u1 - u0 > 4 * READ_SPAN { 4 } else { 2 };
                for k in 1..parts {
                    let limit = probe.min(u1 - u0);
                    let start = (u0 + (u1 - u0) * k / parts)
                        .saturating_sub(limit / 2)
                        .max(u0);
                    wanted.push((start, limit.min(u1 - start)));
                }
            }
        }
        // A probe that landed on a failure's own progress line: read the output after it.
        for m in self.marks.iter().filter(|m| m.bad) {
            let to = (m.line + 1 + CONTEXT_AFTER).min(self.num_lines);
            wanted.extend(
                self.unread(m.line + 1, to)
                    .into_iter()
                    .map(|(s, e)| (s, e - s)),
            );
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut out: Vec<(u64, u64)> = Vec::new();
        for (s, limit) in wanted {
            match out.last_mut() {
                // Windows close together are one request: re-reading a probe's worth of lines
                // costs less than a request.
                Some(last) if s <= last.0 + last.1 + PROBE_LINES => {
                    last.1 = last.1.max(s + limit - last.0);
                }
                _ => out.push((s, limit)),
            }
        }
        let room = MAX_REQUESTS.saturating_sub(self.requests) as usize;
        if self.bytes >= MAX_BYTES || out.len() > room {
            self.budget_spent = self.budget_spent || !out.is_empty();
            out.truncate(if self.bytes >= MAX_BYTES { 0 } else { room });
        }
        if !out.is_empty() {
            self.rounds += 1;
        }
        out
    }

    /// How many lines a probe reads: twice the lines per counter seen so far (so a probe
    /// most likely holds one even where tests print much between their progress lines),
    /// within [`PROBE_LINES`] and ten times that.
    fn probe_lines(&self) -> u64 {
        let read: u64 = self.read.iter().map(|(s, e)| e - s).sum();
        let counters = self.marks.len() as u64 - 1;
        (2 * read / counters.max(1)).clamp(PROBE_LINES, 10 * PROBE_LINES)
    }

    pub fn outcome(&self) -> SearchOutcome {
        let counted = self.marks.last().map_or(0, |m| m.fails);
        let unlocated = self.open_intervals().map(|(a, b)| b.unseen_since(&a)).sum();
        SearchOutcome {
            counted,
            unlocated,
            requests: self.requests,
            bytes: self.bytes,
            rounds: self.rounds,
            budget_spent: self.budget_spent && unlocated > 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(line: u64, fails: u32, bad: bool) -> CounterMark {
        CounterMark {
            line,
            index: 0,
            fails,
            bad,
        }
    }

    /// A log of `n` lines with one counter every `every` lines, whose fails rise at the given
    /// lines: what a window of `(offset, limit)` would see.
    fn log(every: u64, failures_at: &[u64]) -> impl Fn(u64, u64) -> Vec<CounterMark> {
        let failures_at = failures_at.to_vec();
        move |offset, limit| {
            (offset..offset + limit)
                .filter(|l| l % every == 0 || failures_at.contains(l))
                .map(|l| {
                    let fails = failures_at.iter().filter(|&&f| f <= l).count() as u32;
                    mark(l - offset, fails, failures_at.contains(&l))
                })
                .collect()
        }
    }

    fn run(n: u64, every: u64, failures_at: &[u64]) -> (Search, Vec<(u64, u64)>) {
        let probe = log(every, failures_at);
        let mut s = Search::new(n);
        for (o, l) in crate::model::build::windows(n, false) {
            s.record(o, l, &probe(o, l), None);
        }
        let mut all = Vec::new();
        loop {
            let next = s.next_windows();
            if next.is_empty() {
                break;
            }
            for (o, l) in next {
                s.record(o, l, &probe(o, l), Some(l as usize * 100));
                all.push((o, l));
            }
        }
        (s, all)
    }

    fn covers(read: &[(u64, u64)], line: u64) -> bool {
        read.iter().any(|&(o, l)| (o..o + l).contains(&line))
    }

    #[test]
    fn failures_in_the_middle_of_a_long_log_are_found_with_few_requests() {
        // 100,000 lines (about 10 MB), a counter every 20 lines, three failures far apart.
        let failures = [31_017, 31_400, 77_777];
        let (s, read) = run(100_000, 20, &failures);
        for f in failures {
            assert!(covers(&read, f), "line {f} not read: {read:?}");
            assert!(
                covers(&read, f + CONTEXT_AFTER),
                "the output after line {f} not read"
            );
        }
        let o = s.outcome();
        assert_eq!((o.counted, o.unlocated, o.budget_spent), (3, 0, false));
        assert!(o.requests <= MAX_REQUESTS, "{o:?}");
        assert!(o.rounds <= 8 && o.rounds < o.requests, "{o:?}");
        let lines: u64 = read.iter().map(|w| w.1).sum();
        assert!(lines < 10_000, "read {lines} lines of 100,000");
    }

    #[test]
    fn a_log_whose_counters_show_no_failure_is_not_searched() {
        let (s, read) = run(100_000, 20, &[]);
        assert_eq!(read, []);
        assert_eq!(s.outcome().counted, 0);
    }

    #[test]
    fn failures_already_in_the_tail_need_no_search() {
        let (s, read) = run(100_000, 20, &[99_900]);
        assert_eq!(read, []);
        assert_eq!((s.outcome().counted, s.outcome().unlocated), (1, 0));
    }

    #[test]
    fn a_spent_budget_is_reported_with_what_stayed_unlocated() {
        // A failure every 3,000 lines: more intervals than the request budget reaches.
        let failures: Vec<u64> = (1..33).map(|k| k * 3_000).collect();
        let (s, read) = run(100_000, 20, &failures);
        let o = s.outcome();
        assert!(o.budget_spent, "{o:?}");
        assert!(o.unlocated > 0 && o.unlocated < 32, "{o:?}");
        assert!(o.requests <= MAX_REQUESTS);
        assert_eq!(o.counted, 32);
        // What it located, it located for real.
        let found = failures.iter().filter(|f| covers(&read, **f)).count() as u32;
        assert!(found >= o.counted - o.unlocated, "{found} read, {o:?}");
    }

    #[test]
    fn probes_that_find_no_counter_still_make_progress() {
        // A counter only every 1,000 lines (verbose output between tests): most probes miss.
        let (s, read) = run(60_100, 1_000, &[30_100]);
        assert!(covers(&read, 30_100), "{read:?}");
        assert_eq!(s.outcome().unlocated, 0);
    }
}
