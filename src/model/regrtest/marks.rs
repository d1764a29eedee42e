//! Progress counters alone, for deciding which unread parts of a long log to read: regrtest's
//! `[index/total/fails]` counts, after each test, the tests that failed or changed the
//! environment so far (`len(bad) + len(env_changed)` in `display_progress`, libregrtest
//! main.py / logger.py), so two counters far apart say how many such tests ended between them.

use super::line::{self, Outcome};

/// A progress line's counter, at a line of the page scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterMark {
    /// Lines before it in the page (0: the page's first line).
    pub line: u64,
    /// Tests run so far, this one included.
    pub index: u32,
    /// Tests that failed or changed the environment so far (0 when the counter shows none).
    pub fails: u32,
    /// The line itself says a test ended badly (failed, env changed, crashed, timed out): it
    /// is one of the `fails`.
    pub bad: bool,
}

/// The progress counters of a page of Buildbot's `/contents` stdio lines (each led by its
/// stream letter), in order. Lines cut short, colour codes and CI prefixes are handled as the
/// parser handles them.
pub fn counter_marks(page: &str) -> Vec<CounterMark> {
    let mut out = Vec::new();
    let mut plain = Vec::new();
    for (n, raw) in page.split('\n').enumerate() {
        let Some(content) = raw.as_bytes().get(1..) else {
            continue;
        };
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let content = if memchr::memchr(0x1b, content).is_some() {
            line::strip_ansi(content, &mut plain);
            &plain[..]
        } else {
            content
        };
        let content = line::strip_wrapper(content);
        let body = match content.first() {
            Some(b'0'..=b'9') => line::log_body(content),
            Some(b'[') => Some(content),
            _ => None,
        };
        let Some(Some(Ok((c, rest)))) = body.map(line::counter) else {
            continue;
        };
        let bad = line::progress(rest).is_some_and(|p| {
            let bad = |o: &Outcome| {
                matches!(
                    o,
                    Outcome::Failed | Outcome::EnvChanged | Outcome::Crashed(_) | Outcome::TimedOut
                )
            };
            p.outcome.as_ref().is_some_and(bad) || p.previous.as_ref().is_some_and(|(_, o)| bad(o))
        });
        let fails = match (c.second, c.third) {
            (_, Some(f)) => f,
            // `[463/1]`: no total (regrtest did not know it), then the fails; a total is never
            // below the index, fails never above it.
            (Some(second), None) if second < c.index => second,
            _ => 0,
        };
        out.push(CounterMark {
            line: n as u64,
            index: c.index,
            fails,
            bad,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_read_every_counter_form_with_its_line() {
        let page = "o== CPython 3.14\n\
                    o0:00:01 load avg: 0.50 [  1/480] test_a passed\n\
                    o\n\
                    o0:00:02 load avg: 0.50 [  2/480/1] test_b failed (1 failure)\n\
                    oTraceback (most recent call last):\n\
                    o0:00:03 [463/2] test_c failed\n\
                    o[ 12/40] test_d\n\
                    o2024-05-01T12:00:00.1234567Z 0:00:09 [ 13/40/3] test_e failed\n\
                    o\x1b[31m0:00:10 [ 14/40/4] test_f failed\x1b[0m\n";
        let marks = counter_marks(page);
        let seen: Vec<(u64, u32, u32, bool)> = marks
            .iter()
            .map(|m| (m.line, m.index, m.fails, m.bad))
            .collect();
        assert_eq!(
            seen,
            [
                (1, 1, 0, false),
                (3, 2, 1, true),
                (5, 463, 2, true),
                (6, 12, 0, false),
                (7, 13, 3, true),
                (8, 14, 4, true)
            ]
        );
    }

    #[test]
    fn lines_that_only_look_like_counters_are_not_marks() {
        let page = "o[1, 2, 3] is a list\noAssertionError: 0:00:01 [x] \noe\n[19/";
        assert_eq!(counter_marks(page), []);
    }
}
