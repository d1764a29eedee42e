//! The pull request report in text and markdown (its JSON is the report struct): the newest
//! head's builds, one line per PR builder, each failure split into the PR's own tests and
//! those the target branch's builder fails too.

use crate::model::commit::short_revision;
use std::io::{self, Write};

use super::commit::{outcome_text, state_status, state_text, tests_text};
use super::markdown::escape;
use super::text::sanitize;
use super::{Report, Settings};
use crate::report::pull_request::{PrBuilder, PrReport, TargetFrom};

impl Report for PrReport {
    const TITLE: &'static str = "bbreport pr";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

fn head_line(r: &PrReport) -> String {
    let older = match r.older_heads {
        0 => String::new(),
        1 => " (1 older head collapsed)".to_string(),
        n => format!(" ({n} older heads collapsed)"),
    };
    match &r.head {
        Some(h) => format!(
            "Pull request {} ({}), head {}{older}: {}",
            r.number,
            r.git_branch,
            short_revision(&h.revision),
            h.subject
        ),
        None => format!(
            "Pull request {} ({}): the master knows no head",
            r.number, r.git_branch
        ),
    }
}

/// Which branch the failures are compared with, and why that one.
fn target_line(r: &PrReport) -> String {
    let why = match r.target_from {
        TargetFrom::Asked => "--target",
        TargetFrom::BaseBranch => "the PR's base branch, as its change records it",
        TargetFrom::NewestBranch => "the newest branch: the master records no base branch",
    };
    format!("Compared with {} ({why})", r.target_branch)
}

fn target_text(b: &PrBuilder) -> String {
    match &b.target {
        Some(t) => match (t.number, t.failed) {
            (Some(n), true) => format!("{} #{n} fails", t.name),
            (Some(n), false) => format!("{} #{n} passed", t.name),
            (None, _) => format!("{}: no finished build", t.name),
        },
        None => "no target-branch builder to compare".to_string(),
    }
}

fn plain(r: &PrReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let styles = settings.styles;
    writeln!(out, "{}", sanitize(&head_line(r)))?;
    writeln!(
        out,
        "{}",
        styles.bold(&format!(
            "{} (exit {})",
            outcome_text(r.outcome),
            r.exit_code
        ))
    )?;
    writeln!(out, "{}", sanitize(&target_line(r)))?;
    writeln!(out)?;
    if r.builders.is_empty() {
        writeln!(out, "  no buildbot run of the newest head yet")?;
    }
    let width = r
        .builders
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(0);
    for b in &r.builders {
        let pad = width.saturating_sub(b.name.chars().count());
        let state = state_text(b.state, b.novelty, true);
        let mut line = format!(
            "  {}{}  {}  #{}",
            sanitize(&b.name),
            " ".repeat(pad),
            styles.status(state_status(b.state, b.novelty), &state),
            b.number
        );
        if let Some(reason) = &b.reason
            && b.state != crate::model::commit::State::Passed
            && reason != "building"
        {
            line.push_str(&format!("  {}", sanitize(reason)));
        }
        if let Some(e) = &b.error {
            line.push_str(&format!("  {}", sanitize(e)));
        }
        writeln!(out, "{line}")?;
        if !b.own_tests.is_empty() {
            writeln!(
                out,
                "      the PR's own: {}",
                sanitize(&tests_text(&b.own_tests))
            )?;
        }
        if !b.pre_existing_tests.is_empty() {
            writeln!(
                out,
                "      pre-existing ({}): {}",
                sanitize(&target_text(b)),
                sanitize(&tests_text(&b.pre_existing_tests))
            )?;
        }
        if settings.urls {
            writeln!(out, "      {}", b.url)?;
        }
    }
    if !r.older_head_only.is_empty() {
        writeln!(
            out,
            "\nBuilt an older head only: {}",
            sanitize(&r.older_head_only.join(", "))
        )?;
    }
    Ok(())
}

fn markdown(r: &PrReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}", escape(&head_line(r)))?;
    writeln!(out)?;
    writeln!(
        out,
        "**{}** (exit {})",
        outcome_text(r.outcome),
        r.exit_code
    )?;
    writeln!(out)?;
    writeln!(out, "{}.", escape(&target_line(r)))?;
    writeln!(out)?;
    if r.builders.is_empty() {
        writeln!(out, "No buildbot run of the newest head yet.")?;
        return Ok(());
    }
    writeln!(
        out,
        "| Builder | State | Build | The PR's own | Pre-existing on {} |",
        escape(&r.target_branch)
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    for b in &r.builders {
        writeln!(
            out,
            "| {} | {} | [\\#{}]({}) | {} | {} |",
            escape(&b.name),
            state_text(b.state, b.novelty, false),
            b.number,
            b.url,
            escape(&tests_text(&b.own_tests)),
            escape(&tests_text(&b.pre_existing_tests))
        )?;
    }
    if !r.older_head_only.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Built an older head only: {}",
            escape(&r.older_head_only.join(", "))
        )?;
    }
    Ok(())
}
