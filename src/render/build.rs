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
