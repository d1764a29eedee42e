//! Test health across the fleet (`bbreport tests`) in text and markdown (its JSON is the
//! report struct).

use std::io::{self, Write};

use super::markdown::{escape, table_code};
use super::text::{format_time, pad, sanitize};
use super::{Report, Settings};
use crate::model::test_health::HealthClass;
use crate::report::test_health::{InfraBuildEntry, TestEntry, TestsReport, WindowEntry};

impl Report for TestsReport {
    const TITLE: &'static str = "bbreport tests";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

pub(super) fn class_text(c: HealthClass) -> &'static str {
    match c {
        HealthClass::Persistent => "persistent",
        HealthClass::Flaky => "flaky",
        HealthClass::New => "new",
        HealthClass::Fixed => "fixed",
    }
}

/// `the last 7 days (since 2026-11-15 06:40 UTC)` or `the newest 10 builds per builder`.
pub(super) fn window_text(w: &WindowEntry) -> String {
    match (w.days, w.builds) {
        (Some(d), _) => format!(
            "the last {d} day{}{}",
            if d == 1 { "" } else { "s" },
            w.since
                .map(|s| format!(" (since {})", format_time(s)))
                .unwrap_or_default()
        ),
        (None, Some(n)) => format!(
            "the newest {n} build{} per builder",
            if n == 1 { "" } else { "s" }
        ),
        (None, None) => "the builds read".into(),
    }
}

/// The window cut on builders that build more often than `--days` reads.
pub(super) fn cut_note(w: &WindowEntry) -> Option<String> {
    if w.cut_builders.is_empty() {
        return None;
    }
    Some(format!(
        "{} builder{} built more than {} times in the window: only their newest {} builds were read ({})",
        w.cut_builders.len(),
        if w.cut_builders.len() == 1 { "" } else { "s" },
        w.max_builds.unwrap_or_default(),
        w.max_builds.unwrap_or_default(),
        w.cut_builders
            .iter()
            .map(|b| sanitize(b).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn headline(r: &TestsReport) -> String {
    format!(
        "Test health of {}: {}; {} builders, {} builds, {} test logs read{}",
        r.branches.join(", "),
        window_text(&r.window),
        r.builders,
        r.builds,
        r.logs_read,
        if r.logs_unreadable > 0 {
            format!(" ({} unreadable)", r.logs_unreadable)
        } else {
            String::new()
        }
    )
}

/// `3 builders: refleak` / `1 builder`.
fn where_text(t: &TestEntry) -> String {
    let n = t.builders.len();
    let mut s = format!("{n} builder{}", if n == 1 { "" } else { "s" });
    if !t.shared_tags.is_empty() {
        let tags: Vec<String> = t
            .shared_tags
            .iter()
            .map(|x| sanitize(x).into_owned())
            .collect();
        s.push_str(&format!(" (all {})", tags.join(", ")));
    }
    s
}

fn seen(t: Option<i64>) -> String {
    t.map(format_time).unwrap_or_else(|| "-".into())
}

fn infra_line(i: &InfraBuildEntry) -> String {
    let mut s = format!("{} #{}: {}", sanitize(&i.builder), i.number, i.kind.text());
    if !i.causes.is_empty() {
        let c: Vec<String> = i.causes.iter().map(|c| sanitize(c).into_owned()).collect();
        s.push_str(&format!(" ({})", c.join("; ")));
    }
    if !i.tests.is_empty() {
        let t: Vec<String> = i.tests.iter().map(|c| sanitize(c).into_owned()).collect();
        s.push_str(&format!("; failed then, not counted: {}", t.join(", ")));
    }
    if let Some(t) = &i.last_test {
        s.push_str(&format!("; running at the end: {}", sanitize(t)));
    }
    s
}

fn infra_counts_text(r: &TestsReport) -> String {
    let parts: Vec<String> = r
        .infrastructure
        .counts
        .iter()
        .filter(|c| c.builds > 0)
        .map(|c| format!("{} {}", c.builds, c.kind.text()))
        .collect();
    parts.join(", ")
}

const INFRA_TITLE: &str = "Infrastructure failures (counted apart, never against a test)";

fn plain(r: &TestsReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    writeln!(out, "{}", headline(r))?;
    if let Some(note) = cut_note(&r.window) {
        writeln!(out, "note: {note}")?;
    }
    writeln!(out)?;
    if r.tests.is_empty() {
        writeln!(out, "No test failed or was re-run in the window.")?;
    } else {
        let name_w = r
            .tests
            .iter()
            .map(|t| super::text::display_width(&sanitize(&t.test)))
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            out,
            "{}  {}  {:>5}  {:>5}  WHERE",
            pad("TEST", name_w),
            pad("CLASS", 10),
            "FAILS",
            "FLAKY"
        )?;
        for t in &r.tests {
            let known = t
                .known
                .as_deref()
                .map(|k| format!("  [{}]", sanitize(k)))
                .unwrap_or_default();
            writeln!(
                out,
                "{}  {}  {:>5}  {:>5}  {}{known}",
                pad(&sanitize(&t.test), name_w),
                pad(class_text(t.class), 10),
                t.failures,
                t.flaky,
                where_text(t)
            )?;
            for b in &t.builders {
                let since = b
                    .failing_since
                    .map(|n| format!(", failing since #{n}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "    {}: {} failed, {} flaky, {}{since}; latest #{}{}",
                    sanitize(&b.builder),
                    b.failures,
                    b.flaky,
                    class_text(b.class),
                    b.latest_failure,
                    if settings.urls {
                        format!("  {}", b.latest_failure_url)
                    } else {
                        String::new()
                    }
                )?;
            }
            writeln!(
                out,
                "    first seen {}, last seen {}",
                seen(t.first_seen),
                seen(t.last_seen)
            )?;
        }
    }
    writeln!(out)?;
    let n = r.infrastructure.builds.len();
    if n == 0 {
        writeln!(out, "{INFRA_TITLE}: none.")?;
    } else {
        writeln!(
            out,
            "{INFRA_TITLE}: {n} build{}: {}",
            if n == 1 { "" } else { "s" },
            infra_counts_text(r)
        )?;
        for i in &r.infrastructure.builds {
            writeln!(out, "  {}", infra_line(i))?;
        }
    }
    Ok(())
}

fn markdown(r: &TestsReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}", escape(&headline(r)))?;
    writeln!(out)?;
    if let Some(note) = cut_note(&r.window) {
        writeln!(out, "_{}_", escape(&note))?;
        writeln!(out)?;
    }
    if r.tests.is_empty() {
        writeln!(out, "No test failed or was re-run in the window.")?;
    } else {
        writeln!(
            out,
            "| Test | Class | Failures | Flaky | Where | Builders | Last seen | Known |"
        )?;
        writeln!(out, "|---|---|---:|---:|---|---|---|---|")?;
        for t in &r.tests {
            let builders: Vec<String> = t
                .builders
                .iter()
                .map(|b| {
                    format!(
                        "{} [{}/{}]({})",
                        escape(&b.builder),
                        b.failures,
                        b.flaky,
                        b.latest_failure_url
                    )
                })
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                table_code(&t.test),
                class_text(t.class),
                t.failures,
                t.flaky,
                escape(&where_text(t)),
                builders.join("<br>"),
                seen(t.last_seen),
                t.known.as_deref().map(escape).unwrap_or_default()
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "_Per builder: failures/flaky, linked to the latest failure._"
        )?;
    }
    writeln!(out)?;
    writeln!(out, "### {INFRA_TITLE}")?;
    writeln!(out)?;
    if r.infrastructure.builds.is_empty() {
        writeln!(out, "None.")?;
    } else {
        writeln!(out, "{}", escape(&infra_counts_text(r)))?;
        writeln!(out)?;
        for i in &r.infrastructure.builds {
            writeln!(out, "- [{}]({})", escape(&infra_line(i)), i.url)?;
        }
    }
    Ok(())
}
