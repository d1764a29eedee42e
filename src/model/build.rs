//! Rules for reading one build: which step is the test step, which log windows to read.

use crate::api::types::{Log, Step};

/// The step whose log holds the test run: the one named `test`; else the steps whose name
/// contains "test" (iOS "Run test suite", Emscripten "Node full test suite"), the first that
/// failed, else the last of them.
pub fn test_step(steps: &[Step]) -> Option<&Step> {
    if let Some(s) = steps.iter().find(|s| s.name == "test") {
        return Some(s);
    }
    let candidates: Vec<&Step> = steps
        .iter()
        .filter(|s| s.name.to_ascii_lowercase().contains("test"))
        .collect();
    candidates
        .iter()
        .find(|s| s.results == Some(2))
        .or(candidates.last())
        .copied()
}

/// The step's stdio log (slug `stdio`, else the first of type `s`).
pub fn stdio_log(logs: &[Log]) -> Option<&Log> {
    logs.iter()
        .find(|l| l.slug == "stdio")
        .or_else(|| logs.iter().find(|l| l.kind == "s"))
}

/// Lines read from the start and the end of a long log: the command, seed and platform are at
/// the top, the summary and the last running test at the bottom. About 64 KB of typical output.
pub const HEAD_LINES: u64 = 100;
pub const TAIL_LINES: u64 = 400;

/// `(offset, limit)` windows to read of a log of `num_lines`: all of it when short or asked
/// (`full`), else its head and its tail.
/// Lines per request when reading a whole log (`--full-log`).
pub const FULL_LOG_PAGE: u64 = 20_000;

pub fn windows(num_lines: u64, full: bool) -> Vec<(u64, u64)> {
    if num_lines == 0 {
        Vec::new()
    } else if full {
        // Pages, parsed and dropped one at a time: a 200 MB log never sits in memory whole.
        (0..num_lines)
            .step_by(FULL_LOG_PAGE as usize)
            .map(|start| (start, FULL_LOG_PAGE.min(num_lines - start)))
            .collect()
    } else if num_lines <= HEAD_LINES + TAIL_LINES {
        vec![(0, num_lines)]
    } else {
        vec![(0, HEAD_LINES), (num_lines - TAIL_LINES, TAIL_LINES)]
    }
}

/// The step that made the build fail when it is not the test step (compile, configure, git…):
/// the first step that ended in failure or exception. `None` when the test step failed first
/// (its log is parsed instead) or no step failed.
pub fn failed_step(steps: &[Step]) -> Option<&Step> {
    let test = test_step(steps).map(|s| s.stepid);
    steps
        .iter()
        .find(|s| matches!(s.results, Some(2 | 4)))
        .filter(|s| Some(s.stepid) != test)
}

/// Lines read from the end of a failed step's log: the compiler's or make's last words.
pub const FAILED_STEP_TAIL_LINES: u64 = 40;

/// The `(offset, limit)` window of the last `lines` lines of a log of `num_lines`; `None` when
/// the log is empty.
pub fn tail_window(num_lines: u64, lines: u64) -> Option<(u64, u64)> {
    (num_lines > 0 && lines > 0).then(|| {
        let limit = lines.min(num_lines);
        (num_lines - limit, limit)
    })
}

/// The lines of a stdio log page as Buildbot's `/contents` gives it, each without its stream
/// letter (`o` stdout, `e` stderr, `h` Buildbot's own header lines).
pub fn stdio_lines(page: &str) -> Vec<String> {
    page.lines()
        .map(|line| {
            let mut chars = line.chars();
            chars.next();
            chars.as_str().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(number: u32, name: &str, results: Option<i64>) -> Step {
        Step {
            stepid: u64::from(number),
            number,
            name: name.into(),
            results,
            complete: true,
            started_at: None,
            complete_at: None,
            state_string: String::new(),
            hidden: false,
        }
    }

    #[test]
    fn test_step_by_name_then_by_substring() {
        let s = [
            step(0, "git", Some(0)),
            step(1, "test", Some(2)),
            step(2, "clean", Some(0)),
        ];
        assert_eq!(test_step(&s).map(|s| s.number), Some(1));
        let emscripten = [
            step(0, "Node full test suite", Some(2)),
            step(1, "PyRepl in Chrome smoke test", Some(0)),
        ];
        assert_eq!(test_step(&emscripten).map(|s| s.number), Some(0));
        let ios = [step(0, "git", Some(0)), step(1, "Run test suite", Some(0))];
        assert_eq!(test_step(&ios).map(|s| s.number), Some(1));
        assert!(test_step(&[step(0, "compile", Some(2))]).is_none());
    }

    #[test]
    fn windows_read_head_and_tail_of_long_logs() {
        assert_eq!(windows(0, false), []);
        assert_eq!(windows(300, false), [(0, 300)]);
        assert_eq!(
            windows(100_000, false),
            [(0, HEAD_LINES), (100_000 - TAIL_LINES, TAIL_LINES)]
        );
        // --full-log: pages that cover every line exactly once.
        assert_eq!(
            windows(45_000, true),
            [(0, 20_000), (20_000, 20_000), (40_000, 5_000)]
        );
        assert_eq!(windows(300, true), [(0, 300)]);
    }

    #[test]
    fn the_failed_step_is_the_first_that_failed_unless_it_is_the_test_step() {
        let compile = [
            step(0, "git", Some(0)),
            step(1, "compile", Some(2)),
            step(2, "clean", Some(2)),
        ];
        assert_eq!(failed_step(&compile).map(|s| s.number), Some(1));
        let exception = [step(0, "git", Some(4)), step(1, "test", None)];
        assert_eq!(failed_step(&exception).map(|s| s.number), Some(0));
        let test = [
            step(0, "compile", Some(0)),
            step(1, "test", Some(2)),
            step(2, "clean", Some(2)),
        ];
        assert!(failed_step(&test).is_none(), "the test log says more");
        let passed = [step(0, "compile", Some(0)), step(1, "test", Some(1))];
        assert!(failed_step(&passed).is_none());
    }

    #[test]
    fn the_tail_window_holds_the_last_lines() {
        assert_eq!(tail_window(120, 40), Some((80, 40)));
        assert_eq!(tail_window(12, 40), Some((0, 12)));
        assert_eq!(tail_window(0, 40), None);
        assert_eq!(
            stdio_lines("hmake -j2\noerror: x\ne\n"),
            ["make -j2", "error: x", ""]
        );
    }
}
