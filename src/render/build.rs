//! One build in full, in text and markdown (its JSON is the report struct): header, steps, the
//! end of the log of a step that failed outside the tests, the test log's parsed summary and
//! relevant lines.

use std::borrow::Cow;
use std::io::{self, Write};

use super::markdown::escape;
use super::text::{display_width, pad, sanitize};
use super::{Glyphs, Report, Settings};
use crate::model::status::Outcome;
use crate::model::summary::failure_reason;
use crate::report::build::{
    BuildReport, FailedStepEntry, LogSummaryEntry, StepEntry, TestLogEntry,
};

impl Report for BuildReport {
    const TITLE: &'static str = "bbreport build";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        markdown(self, out, settings.glyphs)
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

/// `failure (failed test)`, `running (compile)`, `success`.
fn result_text(r: &BuildReport) -> String {
    match r.outcome() {
        Outcome::Finished(res) if !res.passed() => format!(
            "{} ({})",
            res.as_str(),
            sanitize(&failure_reason(&r.state_string))
        ),
        Outcome::Finished(res) => res.as_str().to_string(),
        Outcome::Running => format!("running ({})", sanitize(&r.state_string)),
        Outcome::Stale => match &r.stale {
            Some(s) => format!(
                "{} (listed as running: {})",
                super::text::stale_text(s),
                sanitize(&r.state_string)
            ),
            None => "stale".into(),
        },
        Outcome::Unrecognised => "unknown result".into(),
    }
}

/// `revision 8a163284d6  started 2026-11-22 04:36 UTC  took 8s`.
fn times_line(r: &BuildReport) -> String {
    let rev = r
        .revision
        .as_deref()
        .map(|v| {
            format!(
                "revision {}  ",
                sanitize(&v.chars().take(10).collect::<String>())
            )
        })
        .unwrap_or_default();
    if r.stale.is_some() {
        return format!("{rev}started {}  did not finish", when(r.started_at));
    }
    format!(
        "{rev}started {}  took {}",
        when(r.started_at),
        duration(r.started_at, r.complete_at)
    )
}

/// `127 lines, read all (5.6 KiB)`, or which windows were read.
fn windows_text(t: &TestLogEntry) -> String {
    let Some(num_lines) = t.num_lines else {
        return String::new();
    };
    let read: u64 = t.windows.iter().map(|w| w.limit).sum();
    let kib = t.bytes_read as f64 / 1024.0;
    if read >= num_lines {
        format!("{num_lines} lines, read all ({kib:.1} KiB)")
    } else {
        let parts: Vec<String> = t
            .windows
            .iter()
            .map(|w| format!("{}-{}", w.offset + 1, w.offset + w.limit))
            .collect();
        // A search reads many windows: name the first and last, count the rest.
        let parts = match parts.as_slice() {
            [first, middle @ .., last] if middle.len() > 2 => {
                format!("{first}, {last} and {} windows between", middle.len())
            }
            _ => parts.join(" and "),
        };
        format!("{num_lines} lines, read {read} in {parts} ({kib:.1} KiB; --full-log for all)")
    }
}

/// What the search of the middle found: `The progress counters count 3 failed or env-changed
/// tests; all 3 found (14 more requests, 812.3 KiB).`
fn search_text(t: &TestLogEntry) -> Option<String> {
    let s = t.search?;
    let cost = format!(
        "{} more request{} in {} round{}, {:.1} KiB",
        s.requests,
        if s.requests == 1 { "" } else { "s" },
        s.rounds,
        if s.rounds == 1 { "" } else { "s" },
        s.bytes as f64 / 1024.0
    );
    let tests = if s.counted == 1 { "test" } else { "tests" };
    Some(if s.unlocated == 0 {
        format!(
            "No final summary in those lines; the progress counters count {} failed or \
             env-changed {tests}, all found in the middle of the log ({cost}).",
            s.counted
        )
    } else {
        format!(
            "No final summary in those lines; the progress counters count {} failed or \
             env-changed {tests}, {} of them in lines not read{} ({cost}): --full-log reads \
             every line.",
            s.counted,
            s.unlocated,
            if s.budget_spent {
                ", the search's budget spent"
            } else {
                ""
            }
        )
    })
}

/// `Test log (test › stdio): 127 lines, read all (5.6 KiB)`.
fn test_log_line(t: &TestLogEntry, log: &str, glyphs: Glyphs) -> String {
    format!(
        "Test log ({} {} {}): {}",
        sanitize(&t.step),
        glyphs.within(),
        sanitize(log),
        windows_text(t)
    )
}

/// `Failed step (compile › stdio): last 40 of 120 lines (1.9 KiB)`, or why nothing was read.
fn failed_step_line(f: &FailedStepEntry, glyphs: Glyphs) -> String {
    let step = sanitize(&f.step);
    let (Some(log), Some(num_lines)) = (&f.log, f.num_lines) else {
        return format!("Failed step ({step}): it has no stdio log.");
    };
    let read: u64 = f.windows.iter().map(|w| w.limit).sum();
    let kib = f.bytes_read as f64 / 1024.0;
    let what = if read == 0 {
        "the log is empty.".to_string()
    } else if read >= num_lines {
        format!("all {num_lines} lines ({kib:.1} KiB)")
    } else {
        format!("last {read} of {num_lines} lines ({kib:.1} KiB)")
    };
    format!(
        "Failed step ({step} {} {}): {what}",
        glyphs.within(),
        sanitize(log)
    )
}

/// A line of a step's log for the terminal ([`sanitize`] removes whole escape sequences, so a
/// compiler's colours leave nothing behind).
fn log_line(line: &str) -> Cow<'_, str> {
    sanitize(line)
}

const NO_TEST_STEP: &str = "No test step: nothing to triage (the steps above say what failed).";

fn no_stdio_log(t: &TestLogEntry) -> String {
    if t.deleted {
        return format!(
            "The {} step's stdio log ({} lines) was deleted by the server (Buildbot's janitor \
             keeps logs for a limited time): the build's own summary above is all that is left.",
            sanitize(&t.step),
            t.num_lines.unwrap_or(0)
        );
    }
    format!("The {} step has no stdio log.", sanitize(&t.step))
}

/// `(label, value)` rows of a log summary, only those with something to say.
pub(super) fn summary_rows(s: &LogSummaryEntry) -> Vec<(&'static str, String)> {
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
            .map(|c| format!("{} ({})", c.test, c.how))
            .collect::<Vec<_>>()
            .join(", "),
    );
    push("Fatal errors", s.fatal_errors.join("; "));
    push(
        "Leaks",
        s.leaks
            .iter()
            .map(|l| format!("{} ({})", l.test, l.what))
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

fn shown_steps(r: &BuildReport) -> impl Iterator<Item = &StepEntry> {
    r.steps.iter().filter(|s| !s.hidden)
}

fn plain(r: &BuildReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let (styles, glyphs) = (settings.styles, settings.glyphs);
    writeln!(
        out,
        "{} #{}: {}",
        styles.link(&r.builder_url, &styles.bold(&sanitize(&r.builder))),
        r.number,
        styles.outcome(r.outcome(), &result_text(r))
    )?;
    writeln!(out, "  {}", times_line(r))?;
    writeln!(out, "  {}", r.url)?;
    writeln!(out)?;
    writeln!(out, "Steps")?;
    // Hidden steps count too: the column is as wide as it always was.
    let name_w = r
        .steps
        .iter()
        .map(|s| display_width(&sanitize(&s.name)))
        .max()
        .unwrap_or(4);
    for s in shown_steps(r) {
        let so = s.outcome();
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
    if let Some(f) = &r.failed_step {
        writeln!(out, "{}", failed_step_line(f, glyphs))?;
        for l in &f.tail {
            writeln!(out, "{}", format!("  {}", log_line(l)).trim_end())?;
        }
        writeln!(out)?;
    }
    let Some(t) = &r.test_log else {
        return writeln!(out, "{NO_TEST_STEP}");
    };
    let (Some(log), Some(s)) = (&t.log, &t.summary) else {
        return writeln!(out, "{}", no_stdio_log(t));
    };
    writeln!(out, "{}", test_log_line(t, log, glyphs))?;
    if let Some(text) = search_text(t) {
        writeln!(out, "{text}")?;
    }
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
    Ok(())
}

fn markdown(r: &BuildReport, out: &mut dyn Write, glyphs: Glyphs) -> io::Result<()> {
    writeln!(
        out,
        "### [{} #{}]({}): {}",
        escape(&r.builder),
        r.number,
        r.url,
        escape(&result_text(r))
    )?;
    writeln!(out)?;
    writeln!(out, "{}", escape(&times_line(r)))?;
    writeln!(out)?;
    writeln!(out, "| | # | Step | Took | |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for s in shown_steps(r) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            glyphs.outcome(s.outcome()),
            s.number,
            escape(&s.name),
            duration(s.started_at, s.complete_at),
            escape(&s.state_string)
        )?;
    }
    writeln!(out)?;
    if let Some(f) = &r.failed_step {
        writeln!(out, "{}", escape(&failed_step_line(f, glyphs)))?;
        writeln!(out)?;
        if !f.tail.is_empty() {
            let lines: Vec<String> = f.tail.iter().map(|l| log_line(l).into_owned()).collect();
            code_block(out, &lines)?;
            writeln!(out)?;
        }
    }
    let Some(t) = &r.test_log else {
        return writeln!(out, "{NO_TEST_STEP}");
    };
    let (Some(log), Some(s)) = (&t.log, &t.summary) else {
        return writeln!(out, "{}", escape(&no_stdio_log(t)));
    };
    writeln!(out, "{}", escape(&test_log_line(t, log, glyphs)))?;
    if let Some(text) = search_text(t) {
        writeln!(out)?;
        writeln!(out, "{}", escape(&text))?;
    }
    writeln!(out)?;
    for (label, value) in summary_rows(s) {
        writeln!(out, "- **{label}:** {}", escape(&value))?;
    }
    if !s.excerpts.is_empty() {
        writeln!(out)?;
        writeln!(out, "Relevant lines:")?;
        writeln!(out)?;
        code_block(out, &s.excerpts)?;
    }
    Ok(())
}

/// Server lines in a fenced block: sanitised, and unable to close it.
pub(super) fn code_block(out: &mut dyn Write, lines: &[String]) -> io::Result<()> {
    writeln!(out, "```")?;
    for l in lines {
        writeln!(out, "{}", sanitize(l).replace("```", "'''").trim_end())?;
    }
    writeln!(out, "```")
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;
