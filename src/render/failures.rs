//! The failing-test matrix: text, markdown, JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::Styles;
use super::markdown::escape;
use super::text::{pad, sanitize};
use crate::api::types::BuilderId;
use crate::model::failures::{Classification, Occurrence, Symptom, TestRow};
use crate::report::header::{JsonHeader, ReportOrigin};

#[derive(Debug)]
pub struct FailuresReport<'a> {
    pub branch: &'a str,
    pub builds_per_builder: usize,
    pub logs_parsed: usize,
    pub rows: &'a [TestRow],
    pub outside: &'a [OutsideTests],
}

/// A failed build whose failure is not in a test step (compile, configure…).
#[derive(Debug, Clone, Serialize)]
pub struct OutsideTests {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    pub reason: String,
}

pub fn label(c: Classification) -> &'static str {
    match c {
        Classification::LikelyRegression => "likely regression",
        Classification::PlatformOrWorker => "platform or worker",
        Classification::Flaky => "flaky",
        Classification::PersistentOnOneBuilder => "persistent on one builder",
        Classification::Unknown => "unknown (too few builds)",
    }
}

fn mark(s: Symptom) -> &'static str {
    match s {
        Symptom::Failed => "",
        Symptom::PassedOnRerun => " passed on re-run",
        Symptom::TimedOut => " timed out",
        Symptom::Crashed => " crashed",
    }
}

fn builds_text(o: &Occurrence) -> String {
    let list: Vec<String> = o
        .builds
        .iter()
        .map(|(n, s)| format!("#{n}{}", mark(*s)))
        .collect();
    let since = match (o.since, o.persistent) {
        (Some(n), true) => format!("  (every build read, since #{n} or earlier)"),
        (Some(n), false) => format!("  (failing since #{n})"),
        (None, _) => String::new(),
    };
    format!("{}{since}", list.join(", "))
}

pub fn render_text(out: &mut dyn Write, r: &FailuresReport<'_>, styles: Styles) -> io::Result<()> {
    let builders: std::collections::BTreeSet<BuilderId> = r
        .rows
        .iter()
        .flat_map(|t| t.occurrences.iter().map(|o| o.builderid))
        .collect();
    writeln!(
        out,
        "Failing tests on {}: {} tests on {} builders ({} test logs parsed; newest {} builds per builder)",
        sanitize(r.branch),
        r.rows.len(),
        builders.len(),
        r.logs_parsed,
        r.builds_per_builder
    )?;
    let name_w = r
        .rows
        .iter()
        .flat_map(|t| &t.occurrences)
        .map(|o| sanitize(&o.builder).chars().count())
        .max()
        .unwrap_or(0);
    for t in r.rows {
        writeln!(out)?;
        let shared = t
            .shared
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        let n = t.occurrences.len();
        writeln!(
            out,
            "{}  {}{shared}, {n} builder{}",
            styles.bold(&sanitize(&t.test)),
            label(t.classification),
            if n == 1 { "" } else { "s" }
        )?;
        for o in &t.occurrences {
            let known = match &o.known {
                Some(issue) => styles.dim(&format!("  known: {}", sanitize(issue))),
                None => String::new(),
            };
            writeln!(
                out,
                "    {}  {}{known}",
                pad(&sanitize(&o.builder), name_w),
                builds_text(o)
            )?;
        }
    }
    if !r.outside.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failed outside the test step:")?;
        for o in r.outside {
            writeln!(
                out,
                "    {}  #{} {}",
                pad(&sanitize(&o.builder), name_w),
                o.number,
                sanitize(&o.reason)
            )?;
        }
    }
    if r.rows.is_empty() && r.outside.is_empty() {
        writeln!(out)?;
        writeln!(out, "No failed test in the builds read.")?;
    }
    Ok(())
}

pub fn render_markdown(out: &mut dyn Write, r: &FailuresReport<'_>) -> io::Result<()> {
    writeln!(out, "### Failing tests on {}", escape(r.branch))?;
    writeln!(out)?;
    writeln!(out, "| Test | Kind | Builder | Builds | Known issue |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for t in r.rows {
        for (i, o) in t.occurrences.iter().enumerate() {
            let (test, kind) = if i == 0 {
                let shared = t
                    .shared
                    .as_deref()
                    .map(|s| format!(" ({})", escape(s)))
                    .unwrap_or_default();
                (
                    format!("`{}`", escape(&t.test)),
                    format!("{}{shared}", label(t.classification)),
                )
            } else {
                (String::new(), String::new())
            };
            writeln!(
                out,
                "| {test} | {kind} | {} | {} | {} |",
                escape(&o.builder),
                escape(&builds_text(o)),
                o.known.as_deref().map_or("new".to_string(), escape)
            )?;
        }
    }
    for o in r.outside {
        writeln!(
            out,
            "| | failed outside tests | {} | #{} {} | |",
            escape(&o.builder),
            o.number,
            escape(&o.reason)
        )?;
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct FailuresJson<'a> {
    #[serde(flatten)]
    header: JsonHeader,
    branch: &'a str,
    builds_per_builder: usize,
    logs_parsed: usize,
    /// Most widespread first.
    tests: &'a [TestRow],
    outside_tests: &'a [OutsideTests],
}

pub fn render_json(
    out: &mut dyn Write,
    r: &FailuresReport<'_>,
    origin: &ReportOrigin<'_>,
) -> io::Result<()> {
    let doc = FailuresJson {
        header: origin.header("failures"),
        branch: r.branch,
        builds_per_builder: r.builds_per_builder,
        logs_parsed: r.logs_parsed,
        tests: r.rows,
        outside_tests: r.outside,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
