//! One test's history (`bbreport test NAME`) in text and markdown (its JSON is the report
//! struct). The timeline uses the waterfall's glyphs: a pass is a success, a failure a
//! failure, a pass on re-run a warnings build, a build that did not run the test a commit no
//! build tested.

use std::io::{self, Write};

use super::markdown::{escape, table_code};
use super::symbols::Glyphs;
use super::test_health::{class_text, cut_note, window_text};
use super::text::{format_time, sanitize};
use super::{Report, Settings};
use crate::model::failures::Symptom;
use crate::model::status::{BuildResult, Outcome};
use crate::model::test_health::Cell;
use crate::report::test_history::{BuilderTimeline, TestReport};

impl Report for TestReport {
    const TITLE: &'static str = "bbreport test";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

fn glyph(c: Cell, g: Glyphs) -> &'static str {
    match c {
        Cell::Passed => g.outcome(Outcome::Finished(BuildResult::Success)),
        Cell::Failed => g.outcome(Outcome::Finished(BuildResult::Failure)),
        Cell::PassedOnRerun => g.outcome(Outcome::Finished(BuildResult::Warnings)),
        Cell::NotRun => g.not_built(),
    }
}

fn legend(g: Glyphs) -> String {
    format!(
        "{} passed  {} failed  {} passed on re-run  {} not run (oldest build left)",
        glyph(Cell::Passed, g),
        glyph(Cell::Failed, g),
        glyph(Cell::PassedOnRerun, g),
        glyph(Cell::NotRun, g)
    )
}

/// Oldest first, left to right.
fn cells(b: &BuilderTimeline, g: Glyphs) -> String {
    b.timeline.iter().rev().map(|t| glyph(t.cell, g)).collect()
}

fn since_text(b: &BuilderTimeline) -> String {
    match (b.failing_since, b.failing_since_at) {
        (Some(n), at) => format!(
            "failing since #{n}{}{}",
            at.map(|t| format!(" ({})", format_time(t)))
                .unwrap_or_default(),
            if b.since_open_ended {
                " or earlier"
            } else {
                ""
            }
        ),
        (None, _) => "passing now".into(),
    }
}

/// ` (1 timed out, 2 crashed)`: how many of a builder's failures were timeouts or crashes (the
/// timeline's `symptom`); nothing when none were.
fn symptoms_text(b: &BuilderTimeline) -> String {
    let count = |s: Symptom| b.timeline.iter().filter(|t| t.symptom == Some(s)).count();
    let parts: Vec<String> = [
        (Symptom::TimedOut, "timed out"),
        (Symptom::Crashed, "crashed"),
    ]
    .into_iter()
    .filter_map(|(s, what)| {
        let n = count(s);
        (n > 0).then(|| format!("{n} {what}"))
    })
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn headline(r: &TestReport) -> String {
    let mut s = format!(
        "{} on {}: {}",
        sanitize(&r.test),
        r.branches.join(", "),
        window_text(&r.window)
    );
    match r.class {
        None => s.push_str(&format!(
            "; no build of the {} builders failed it",
            r.builders_covered
        )),
        Some(c) => s.push_str(&format!(
            "; {}: {} failure{} ({} flaky) on {} of {} builders",
            class_text(c),
            r.failures,
            if r.failures == 1 { "" } else { "s" },
            r.flaky,
            r.builders.len(),
            r.builders_covered
        )),
    }
    if !r.shared_tags.is_empty() {
        s.push_str(&format!(", all {}", r.shared_tags.join(", ")));
    }
    if let Some(k) = &r.known {
        s.push_str(&format!(" [{}]", sanitize(k)));
    }
    s
}

fn plain(r: &TestReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    writeln!(out, "{}", headline(r))?;
    if let Some(note) = cut_note(&r.window) {
        writeln!(out, "note: {note}")?;
    }
    if r.builders.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", legend(settings.glyphs))?;
    // Right-aligned, so every builder's newest build is in the same column.
    let width = r
        .builders
        .iter()
        .map(|b| b.timeline.len())
        .max()
        .unwrap_or(0);
    for b in &r.builders {
        writeln!(
            out,
            "  {:>width$}  {}: {} failed{}, {} flaky, {}{}",
            cells(b, settings.glyphs),
            sanitize(&b.builder),
            b.failures,
            symptoms_text(b),
            b.flaky,
            since_text(b),
            if settings.urls {
                format!("  {}", b.url)
            } else {
                String::new()
            }
        )?;
    }
    if !r.messages.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failure messages (builds showing each):")?;
        for m in &r.messages {
            writeln!(out, "  {:>3}  {}", m.builds, sanitize(&m.message))?;
        }
    }
    if let Some(f) = &r.repro {
        writeln!(out)?;
        writeln!(
            out,
            "Latest failure: {} #{}  {}",
            sanitize(&f.builder),
            f.number,
            f.url
        )?;
        if let Some(seed) = f.plan.seed {
            writeln!(out, "  seed: {seed}")?;
        }
        if let Some(c) = &f.plan.command {
            writeln!(out, "  the run:    {}", sanitize(c))?;
        }
        writeln!(out, "  test alone: {}", sanitize(&f.plan.alone))?;
    }
    Ok(())
}

fn markdown(r: &TestReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}", escape(&headline(r)))?;
    writeln!(out)?;
    if let Some(note) = cut_note(&r.window) {
        writeln!(out, "_{}_", escape(&note))?;
        writeln!(out)?;
    }
    if r.builders.is_empty() {
        return Ok(());
    }
    let g = Glyphs { ascii: false };
    writeln!(out, "{}", escape(&legend(g)))?;
    writeln!(out)?;
    writeln!(out, "| Builder | Timeline | Failures | Flaky | Since |")?;
    writeln!(out, "|---|---|---:|---:|---|")?;
    for b in &r.builders {
        writeln!(
            out,
            "| [{}]({}) | {} | {}{} | {} | {} |",
            escape(&b.builder),
            b.url,
            cells(b, g),
            b.failures,
            symptoms_text(b),
            b.flaky,
            escape(&since_text(b))
        )?;
    }
    if !r.messages.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Failure messages")?;
        writeln!(out)?;
        writeln!(out, "| Builds | Message |")?;
        writeln!(out, "|---:|---|")?;
        for m in &r.messages {
            writeln!(out, "| {} | {} |", m.builds, table_code(&m.message))?;
        }
    }
    if let Some(f) = &r.repro {
        writeln!(out)?;
        writeln!(
            out,
            "### Latest failure: [{} #{}]({})",
            escape(&f.builder),
            f.number,
            f.url
        )?;
        writeln!(out)?;
        if let Some(seed) = f.plan.seed {
            writeln!(out, "Seed: {seed}")?;
            writeln!(out)?;
        }
        writeln!(out, "```")?;
        if let Some(c) = &f.plan.command {
            writeln!(out, "{}", sanitize(c))?;
        }
        writeln!(out, "{}", sanitize(&f.plan.alone))?;
        writeln!(out, "```")?;
    }
    Ok(())
}
