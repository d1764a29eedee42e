//! One build in full: header, steps, the test log's parsed summary and relevant lines.

use std::io::{self, Write};

use serde::Serialize;

use super::markdown::escape;
use super::text::{pad, sanitize};
use super::{Glyphs, Styles};
use crate::api::ServerUrl;
use crate::api::types::{Build, Builder, Log, Step};
use crate::model::regrtest::LogSummary;
use crate::model::status::{BuildResult, Outcome};
use crate::model::summary::failure_reason;
use crate::report::header::{JsonHeader, ReportOrigin};

#[derive(Debug)]
pub struct BuildReport<'a> {
    pub builder: &'a Builder,
    pub build: &'a Build,
    pub steps: &'a [Step],
    pub test_log: Option<&'a TestLogReport>,
}

#[derive(Debug)]
pub struct TestLogReport {
    pub step: String,
    pub log: Option<Log>,
    /// `(offset, limit)` line windows read.
    pub windows: Vec<(u64, u64)>,
    pub bytes: usize,
    pub summary: Option<LogSummary>,
}

fn outcome(results: Option<i64>, complete: bool) -> Outcome {
    match (complete, BuildResult::from_code(results)) {
        (_, Some(r)) => Outcome::Finished(r),
        (false, None) => Outcome::Running,
        (true, None) => Outcome::Unrecognised,
    }
}

fn duration(start: Option<i64>, end: Option<i64>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if e >= s => {
            let d = e - s;
            if d < 120 {
                format!("{d}s")
            } else if d < 7200 {
                format!("{}m", d / 60)
            } else {
                format!("{}h{:02}m", d / 3600, d % 3600 / 60)
            }
        }
        (Some(_), None) => "running".into(),
        _ => String::new(),
    }
}

fn when(t: Option<i64>) -> String {
    t.map(super::text::format_time).unwrap_or_default()
}

fn windows_text(t: &TestLogReport) -> String {
    let Some(log) = &t.log else {
        return String::new();
    };
    let read: u64 = t.windows.iter().map(|(_, n)| n).sum();
    let kib = t.bytes as f64 / 1024.0;
    if read >= log.num_lines {
        format!("{} lines, read all ({kib:.1} KiB)", log.num_lines)
    } else {
        let parts: Vec<String> = t
            .windows
            .iter()
            .map(|(o, n)| format!("{}-{}", o + 1, o + n))
            .collect();
        format!(
            "{} lines, read {} ({kib:.1} KiB; --full-log for all)",
            log.num_lines,
            parts.join(" and ")
        )
    }
}

/// `(label, value)` rows of a log summary, only those with something to say.
fn summary_rows(s: &LogSummary) -> Vec<(&'static str, String)> {
    let list = |v: &[String]| v.join(" ");
    let mut rows = Vec::new();
    let mut push = |label, value: String| {
        if !value.is_empty() {
            rows.push((label, value));
        }
    };
    push(
        "Result",
        s.result
            .clone()
            .unwrap_or_else(|| "(no final result: the run did not finish)".into()),
    );
    push("Failed", list(&s.failed));
    push("Passed on re-run", list(&s.passed_on_rerun));
    push("Timed out", list(&s.timeouts));
    push(
        "Crashed",
        s.crashes
            .iter()
            .map(|(t, how)| format!("{t} ({how})"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    push("Fatal errors", s.fatal_errors.join("; "));
    push(
        "Leaks",
        s.leaks
            .iter()
            .map(|(t, what)| format!("{t} ({what})"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    push("Env changed", list(&s.env_changed));
    push("Infrastructure", s.infrastructure.join("; "));
    if s.result.is_none() {
        push("Last test", s.last_test.clone().unwrap_or_default());
    }
    push("Seed", s.seed.map(|n| n.to_string()).unwrap_or_default());
    push(
        "Workers",
        s.workers.map(|n| n.to_string()).unwrap_or_default(),
    );
    push(
        "Skipped",
        if s.skipped.is_empty() {
            String::new()
        } else {
            format!("{} tests", s.skipped.len())
        },
    );
    push("Command", s.command.clone().unwrap_or_default());
    push(
        "Platform",
        s.platform
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join("; "),
    );
    rows
}

pub fn render_text(
    out: &mut dyn Write,
    r: &BuildReport<'_>,
    server: &ServerUrl,
    glyphs: Glyphs,
    styles: Styles,
) -> io::Result<()> {
    let b = r.build;
    let o = outcome(b.results, b.complete);
    let result = match o {
        Outcome::Finished(res) if !res.passed() => format!(
            "{} ({})",
            res.as_str(),
            sanitize(&failure_reason(&b.state_string))
        ),
        Outcome::Finished(res) => res.as_str().to_string(),
        Outcome::Running => format!("running ({})", sanitize(&b.state_string)),
        Outcome::Unrecognised => "unknown result".into(),
    };
    writeln!(
        out,
        "{} #{}: {}",
        styles.bold(&sanitize(&r.builder.name)),
        b.number,
        styles.outcome(o, &result)
    )?;
    let rev = b
        .got_revision()
        .map(|r| {
            format!(
                "revision {}  ",
                sanitize(&r.chars().take(10).collect::<String>())
            )
        })
        .unwrap_or_default();
    writeln!(
        out,
        "  {rev}started {}  took {}",
        when(b.started_at),
        duration(b.started_at, b.complete_at)
    )?;
    writeln!(out, "  {}", server.build_url(b.builderid, b.number))?;
    writeln!(out)?;
    writeln!(out, "Steps")?;
    let name_w = r
        .steps
        .iter()
        .map(|s| sanitize(&s.name).chars().count())
        .max()
        .unwrap_or(4);
    for s in r.steps.iter().filter(|s| !s.hidden) {
        let so = outcome(s.results, s.complete);
        let note = match so {
            Outcome::Finished(res) if !res.passed() && res.is_verdict() => {
                format!("  {}", sanitize(&s.state_string))
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "  {} {:>2} {}  {:>7}{note}",
            styles.outcome(so, glyphs.outcome(so)),
            s.number,
            pad(&sanitize(&s.name), name_w),
            duration(s.started_at, s.complete_at)
        )?;
    }
    writeln!(out)?;
    match r.test_log {
        None => writeln!(
            out,
            "No test step: nothing to triage (the steps above say what failed)."
        )?,
        Some(t) => match (&t.log, &t.summary) {
            (Some(log), Some(s)) => {
                writeln!(
                    out,
                    "Test log ({} › {}): {}",
                    sanitize(&t.step),
                    sanitize(&log.name),
                    windows_text(t)
                )?;
                let rows = summary_rows(s);
                let w = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 1;
                for (label, value) in rows {
                    writeln!(
                        out,
                        "  {}  {}",
                        pad(&format!("{label}:"), w),
                        sanitize(&value)
                    )?;
                }
                if !s.excerpts.is_empty() {
                    writeln!(out)?;
                    writeln!(out, "Relevant lines")?;
                    for l in &s.excerpts {
                        writeln!(out, "  {}", sanitize(l))?;
                    }
                }
            }
            _ => writeln!(out, "The {} step has no stdio log.", sanitize(&t.step))?,
        },
    }
    Ok(())
}

pub fn render_markdown(
    out: &mut dyn Write,
    r: &BuildReport<'_>,
    server: &ServerUrl,
    glyphs: Glyphs,
) -> io::Result<()> {
    let b = r.build;
    writeln!(
        out,
        "### [{} #{}]({}): {}",
        escape(&r.builder.name),
        b.number,
        server.build_url(b.builderid, b.number),
        escape(&b.state_string)
    )?;
    writeln!(out)?;
    writeln!(out, "| | Step | Took | |")?;
    writeln!(out, "|---|---|---|---|")?;
    for s in r.steps.iter().filter(|s| !s.hidden) {
        let so = outcome(s.results, s.complete);
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            glyphs.outcome(so),
            escape(&s.name),
            duration(s.started_at, s.complete_at),
            escape(&s.state_string)
        )?;
    }
    if let Some(s) = r.test_log.and_then(|t| t.summary.as_ref()) {
        writeln!(out)?;
        for (label, value) in summary_rows(s) {
            writeln!(out, "- **{label}:** {}", escape(&value))?;
        }
        if !s.excerpts.is_empty() {
            writeln!(out)?;
            writeln!(out, "```")?;
            for l in &s.excerpts {
                writeln!(out, "{}", sanitize(l).replace("```", "'''"))?;
            }
            writeln!(out, "```")?;
        }
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct BuildJson<'a> {
    #[serde(flatten)]
    header: JsonHeader,
    builder: &'a str,
    builderid: u32,
    number: u32,
    buildid: u64,
    url: String,
    result: Option<&'static str>,
    running: bool,
    state_string: &'a str,
    revision: Option<&'a str>,
    started_at: Option<i64>,
    complete_at: Option<i64>,
    steps: Vec<StepJson<'a>>,
    test_log: Option<TestLogJson<'a>>,
}

#[derive(Debug, Serialize)]
struct StepJson<'a> {
    number: u32,
    name: &'a str,
    result: Option<&'static str>,
    state_string: &'a str,
    started_at: Option<i64>,
    complete_at: Option<i64>,
}

#[derive(Debug, Serialize)]
struct TestLogJson<'a> {
    step: &'a str,
    log: Option<&'a str>,
    num_lines: Option<u64>,
    /// `[offset, limit]` line windows read.
    windows: &'a [(u64, u64)],
    bytes_read: usize,
    summary: Option<&'a LogSummary>,
}

pub fn render_json(
    out: &mut dyn Write,
    r: &BuildReport<'_>,
    origin: &ReportOrigin<'_>,
) -> io::Result<()> {
    let b = r.build;
    let o = outcome(b.results, b.complete);
    let result = |o: Outcome| match o {
        Outcome::Finished(res) => Some(res.as_str()),
        _ => None,
    };
    let doc = BuildJson {
        header: origin.header("build"),
        builder: &r.builder.name,
        builderid: r.builder.builderid,
        number: b.number,
        buildid: b.buildid,
        url: origin.server.build_url(b.builderid, b.number),
        result: result(o),
        running: o == Outcome::Running,
        state_string: &b.state_string,
        revision: b.got_revision(),
        started_at: b.started_at,
        complete_at: b.complete_at,
        steps: r
            .steps
            .iter()
            .map(|s| StepJson {
                number: s.number,
                name: &s.name,
                result: result(outcome(s.results, s.complete)),
                state_string: &s.state_string,
                started_at: s.started_at,
                complete_at: s.complete_at,
            })
            .collect(),
        test_log: r.test_log.map(|t| TestLogJson {
            step: &t.step,
            log: t.log.as_ref().map(|l| l.name.as_str()),
            num_lines: t.log.as_ref().map(|l| l.num_lines),
            windows: &t.windows,
            bytes_read: t.bytes,
            summary: t.summary.as_ref(),
        }),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(number: u32, name: &str, results: Option<i64>, took: i64) -> Step {
        Step {
            stepid: 100 + u64::from(number),
            number,
            name: name.into(),
            results,
            complete: results.is_some(),
            started_at: Some(1_795_318_631),
            complete_at: results.map(|_| 1_795_318_631 + took),
            state_string: match results {
                Some(2) => format!("{name} (failure)"),
                _ => name.to_string(),
            },
            hidden: false,
        }
    }

    fn builder() -> Builder {
        Builder {
            builderid: 14,
            name: "AMD64 Fedora Stable LTO + PGO 3.x".into(),
            masterids: vec![1],
            tags: vec!["3.x".into()],
        }
    }

    fn build() -> Build {
        let mut b = Build::for_test(124, 14, 4, Some(2));
        b.started_at = Some(1_795_318_631);
        b.complete_at = Some(1_795_318_639);
        b.state_string = "failed test (failure)".into();
        b.properties.insert(
            "got_revision".into(),
            serde_json::json!(["8a163284d6c0ffee", "Git"]),
        );
        b
    }

    fn steps() -> Vec<Step> {
        let mut hidden = step(6, "set_props", Some(0), 0);
        hidden.hidden = true;
        vec![
            step(0, "git", Some(0), 1),
            step(1, "compile", Some(0), 150),
            step(2, "test", Some(2), 7300),
            hidden,
            step(7, "clean", Some(0), 0),
        ]
    }

    fn test_log(num_lines: u64, windows: Vec<(u64, u64)>) -> TestLogReport {
        TestLogReport {
            step: "test".into(),
            log: Some(Log {
                logid: 9,
                name: "stdio".into(),
                slug: "stdio".into(),
                num_lines,
                kind: "s".into(),
                complete: true,
            }),
            windows,
            bytes: 5734,
            summary: Some(LogSummary {
                command: Some("python -m test -j1 --randseed=1004".into()),
                seed: Some(1004),
                platform: vec!["CPython 3.14.0".into(), "Linux-6.18".into(), "x".into()],
                workers: Some(1),
                result: Some("FAILURE then FAILURE".into()),
                failed: vec!["test_bbr_broken".into()],
                leaks: vec![("test_leak".into(), "references, sum=3".into())],
                crashes: vec![("test_crash".into(), "Exit code -11 (SIGSEGV)".into())],
                skipped: vec!["test_a".into(), "test_b".into()],
                excerpts: vec![
                    "FAIL: test_regression (test_bbr_broken.BrokenTests.test_regression)".into(),
                    "AssertionError: 0.99 != 1.0".into(),
                ],
                ..LogSummary::default()
            }),
        }
    }

    fn server() -> ServerUrl {
        ServerUrl::parse("http://127.0.0.1:8010/").expect("url")
    }

    fn text(r: &BuildReport<'_>, ascii: bool) -> String {
        let mut out = Vec::new();
        render_text(&mut out, r, &server(), Glyphs { ascii }, Styles::plain()).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    fn markdown(r: &BuildReport<'_>) -> String {
        let mut out = Vec::new();
        render_markdown(&mut out, r, &server(), Glyphs { ascii: false }).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_shows_steps_and_the_parsed_test_log() {
        let (builder, build, steps) = (builder(), build(), steps());
        let log = test_log(127, vec![(0, 127)]);
        let r = BuildReport {
            builder: &builder,
            build: &build,
            steps: &steps,
            test_log: Some(&log),
        };
        assert_eq!(
            text(&r, false),
            "\
AMD64 Fedora Stable LTO + PGO 3.x #4: failure (failed test)
  revision 8a163284d6  started 2026-11-22 03:37 UTC  took 8s
  http://127.0.0.1:8010/#/builders/14/builds/4

Steps
  ✔  0 git             1s
  ✔  1 compile         2m
  ✘  2 test         2h01m  test (failure)
  ✔  7 clean           0s

Test log (test › stdio): 127 lines, read all (5.6 KiB)
  Result:    FAILURE then FAILURE
  Failed:    test_bbr_broken
  Crashed:   test_crash (Exit code -11 (SIGSEGV))
  Leaks:     test_leak (references, sum=3)
  Seed:      1004
  Workers:   1
  Skipped:   2 tests
  Command:   python -m test -j1 --randseed=1004
  Platform:  CPython 3.14.0; Linux-6.18

Relevant lines
  FAIL: test_regression (test_bbr_broken.BrokenTests.test_regression)
  AssertionError: 0.99 != 1.0
"
        );
    }

    #[test]
    fn text_says_what_was_read_and_what_is_missing() {
        let (builder, build, steps) = (builder(), build(), steps());
        let log = test_log(100_000, vec![(0, 100), (99_600, 400)]);
        let r = BuildReport {
            builder: &builder,
            build: &build,
            steps: &steps,
            test_log: Some(&log),
        };
        let out = text(&r, true);
        assert!(
            out.contains(
                "Test log (test › stdio): 100000 lines, read 1-100 and 99601-100000 (5.6 KiB; --full-log for all)\n"
            ),
            "{out}"
        );
        assert!(out.contains("\n  #  2 test "), "{out}");
        let no_log = TestLogReport {
            log: None,
            summary: None,
            windows: Vec::new(),
            bytes: 0,
            ..test_log(0, Vec::new())
        };
        let r = BuildReport {
            test_log: Some(&no_log),
            ..r
        };
        assert!(text(&r, false).ends_with("\nThe test step has no stdio log.\n"));
        let r = BuildReport {
            test_log: None,
            ..r
        };
        assert!(
            text(&r, false).ends_with(
                "\nNo test step: nothing to triage (the steps above say what failed).\n"
            )
        );
    }

    #[test]
    fn markdown_links_the_build() {
        let (builder, build, steps) = (builder(), build(), steps());
        let log = test_log(127, vec![(0, 127)]);
        let r = BuildReport {
            builder: &builder,
            build: &build,
            steps: &steps,
            test_log: Some(&log),
        };
        assert_eq!(
            markdown(&r),
            "\
### [AMD64 Fedora Stable LTO + PGO 3.x #4](http://127.0.0.1:8010/#/builders/14/builds/4): failed test (failure)

| | Step | Took | |
|---|---|---|---|
| ✔ | git | 1s | git |
| ✔ | compile | 2m | compile |
| ✘ | test | 2h01m | test (failure) |
| ✔ | clean | 0s | clean |

- **Result:** FAILURE then FAILURE
- **Failed:** test\\_bbr\\_broken
- **Crashed:** test\\_crash (Exit code -11 (SIGSEGV))
- **Leaks:** test\\_leak (references, sum=3)
- **Seed:** 1004
- **Workers:** 1
- **Skipped:** 2 tests
- **Command:** python -m test -j1 --randseed=1004
- **Platform:** CPython 3.14.0; Linux-6.18

```
FAIL: test_regression (test_bbr_broken.BrokenTests.test_regression)
AssertionError: 0.99 != 1.0
```
"
        );
    }
}
