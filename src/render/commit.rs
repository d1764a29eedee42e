//! The commit report in text and markdown (its JSON is the report struct): one line per
//! builder, then each new failing test with its suspects. Markdown is for pasting into the
//! issue or pull request that asks "did this break anything?".

use crate::model::commit::short_revision;
use std::io::{self, Write};

use super::markdown::{code, escape};
use super::symbols;
use super::text::sanitize;
use super::{Report, Settings};
use crate::model::commit::{Novelty, Outcome, State};
use crate::model::status::BuilderStatus;
use crate::model::status::{BuildResult, Outcome as BuildOutcome};
use crate::model::summary::FailedTest;
use crate::report::commit::{CommitBuilder, CommitReport, NewFailure};

impl Report for CommitReport {
    const TITLE: &'static str = "bbreport commit";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

/// `failed (new)`, `building`, … as the line's first word, coloured by what it means. A
/// cancelled or skipped build carries the symbol the grids give its result (`x`/`-` in ASCII,
/// `⊗`/`⊖` otherwise: `super::symbols`).
pub(super) fn state_text(state: State, novelty: Option<Novelty>, ascii: bool) -> String {
    let mark = |r: BuildResult| {
        let o = BuildOutcome::Finished(r);
        if ascii {
            symbols::plain_outcome(o)
        } else {
            symbols::glyph(o)
        }
    };
    match (state, novelty) {
        (State::NotBuilt, _) => "not built yet".into(),
        (State::Building, _) => "building".into(),
        (State::Passed, _) => "passed".into(),
        (State::Failed, Some(Novelty::PreExisting)) => "failed (pre-existing)".into(),
        (State::Failed, _) => "failed (new)".into(),
        (State::Cancelled, _) => format!("{} cancelled", mark(BuildResult::Cancelled)),
        (State::Skipped, _) => format!("{} skipped", mark(BuildResult::Skipped)),
        (State::Unread, _) => "unread".into(),
    }
}

pub(super) fn state_status(state: State, novelty: Option<Novelty>) -> Option<BuilderStatus> {
    match (state, novelty) {
        (State::Passed, _) => Some(BuilderStatus::Success),
        (State::Building, _) => Some(BuilderStatus::Building),
        (State::Failed, Some(Novelty::PreExisting)) => Some(BuilderStatus::Unstable),
        (State::Failed, _) => Some(BuilderStatus::Failure),
        (State::NotBuilt | State::Cancelled | State::Skipped | State::Unread, _) => None,
    }
}

pub(super) fn outcome_text(o: Outcome) -> &'static str {
    match o {
        Outcome::NoNewFailure => "no new failure",
        Outcome::NewFailures => "NEW FAILURES",
        Outcome::Incomplete => "incomplete: some data could not be read",
        Outcome::Pending => "pending: some builders have not finished",
    }
}

/// `test_x [known: gh-1]` items.
pub(super) fn tests_text(tests: &[FailedTest]) -> String {
    tests
        .iter()
        .map(|t| match &t.known {
            Some(k) => format!("{} [known: {k}]", t.name),
            None => t.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// ` (failed in #N)`: the earlier build the pre-existing failures failed in, or nothing.
fn failed_before(b: &CommitBuilder) -> String {
    b.previous
        .map(|n| format!(" (failed in #{n})"))
        .unwrap_or_default()
}

/// What the builder's line says besides its state: the build number, then [`notes`].
fn details(b: &CommitBuilder) -> Vec<String> {
    b.number
        .map(|n| format!("#{n}"))
        .into_iter()
        .chain(notes(b))
        .collect()
}

/// Why a builder is in its state: the build's reason, the later build it was tested in, offline,
/// the error that left it unread.
fn notes(b: &CommitBuilder) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(r) = &b.reason
        && b.state != State::Passed
        && r != "building"
    {
        parts.push(r.clone());
    }
    if let Some(w) = &b.built_with {
        parts.push(format!("tested in the build of {}", short_revision(w)));
    }
    if b.offline && matches!(b.state, State::NotBuilt | State::Cancelled | State::Skipped) {
        parts.push("offline".into());
    }
    if let Some(e) = &b.error {
        parts.push(e.clone());
    }
    parts
}

fn plain(r: &CommitReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let styles = settings.styles;
    let subject = r.subject.as_deref().unwrap_or("");
    writeln!(
        out,
        "Commit {} on {}: {}",
        short_revision(&r.revision),
        sanitize(&r.branch),
        sanitize(subject)
    )?;
    writeln!(
        out,
        "{}",
        styles.bold(&format!(
            "{} (exit {})",
            outcome_text(r.outcome),
            r.exit_code
        ))
    )?;
    writeln!(out)?;
    let width = r
        .builders
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(0);
    for b in &r.builders {
        let state = state_text(b.state, b.novelty, true);
        let status = state_status(b.state, b.novelty);
        let pad = width.saturating_sub(b.name.chars().count());
        let mut line = format!(
            "  {}{}  {}",
            sanitize(&b.name),
            " ".repeat(pad),
            styles.status(status, &state)
        );
        let details = details(b);
        if !details.is_empty() {
            line.push_str(&format!("  {}", sanitize(&details.join("; "))));
        }
        writeln!(out, "{line}")?;
        if !b.new_tests.is_empty() {
            writeln!(out, "      new: {}", sanitize(&tests_text(&b.new_tests)))?;
        }
        if !b.pre_existing_tests.is_empty() {
            writeln!(
                out,
                "      pre-existing{}: {}",
                failed_before(b),
                sanitize(&tests_text(&b.pre_existing_tests))
            )?;
        }
        if settings.urls {
            writeln!(out, "      {}", b.url)?;
        }
    }
    for f in &r.new_failures {
        writeln!(out)?;
        plain_failure(f, out)?;
    }
    Ok(())
}

fn plain_failure(f: &NewFailure, out: &mut dyn Write) -> io::Result<()> {
    let known = f
        .known
        .as_ref()
        .map(|k| format!(" [known: {k}]"))
        .unwrap_or_default();
    writeln!(
        out,
        "New failure {}{known} on {}",
        sanitize(&f.test),
        sanitize(&f.builders.join(", "))
    )?;
    if f.disjoint {
        writeln!(
            out,
            "  suspects: none in common (it broke at different times)"
        )?;
        return Ok(());
    }
    let open = if f.open_below { " (or older)" } else { "" };
    writeln!(out, "  suspects{open}:")?;
    for s in &f.suspects {
        writeln!(
            out,
            "    {}  {}  {}",
            short_revision(&s.revision),
            sanitize(&s.author),
            sanitize(&s.subject)
        )?;
    }
    Ok(())
}

fn markdown(r: &CommitReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "## Commit {} on {}: {}",
        code(short_revision(&r.revision)),
        escape(&r.branch),
        escape(r.subject.as_deref().unwrap_or(""))
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "**{}** (exit {})",
        outcome_text(r.outcome),
        r.exit_code
    )?;
    writeln!(out)?;
    writeln!(out, "| Builder | State | Build | Failing tests |")?;
    writeln!(out, "|---|---|---|---|")?;
    for b in &r.builders {
        let build = match b.number {
            Some(n) => format!("[\\#{n}]({})", b.url),
            None => String::new(),
        };
        let mut tests = Vec::new();
        if !b.new_tests.is_empty() {
            tests.push(format!("new: {}", escape(&tests_text(&b.new_tests))));
        }
        if !b.pre_existing_tests.is_empty() {
            tests.push(format!(
                "pre-existing{}: {}",
                escape(&failed_before(b)),
                escape(&tests_text(&b.pre_existing_tests))
            ));
        }
        let mut state = state_text(b.state, b.novelty, false);
        let notes = notes(b);
        if !notes.is_empty() {
            state.push_str(&format!(" ({})", escape(&notes.join("; "))));
        }
        writeln!(
            out,
            "| {} | {} | {build} | {} |",
            escape(&b.name),
            state,
            tests.join("; ")
        )?;
    }
    for f in &r.new_failures {
        writeln!(out)?;
        let known = f
            .known
            .as_ref()
            .map(|k| format!(" {}", escape(&format!("[known: {k}]"))))
            .unwrap_or_default();
        writeln!(
            out,
            "### New failure {}{known} on {}",
            code(&f.test),
            escape(&f.builders.join(", "))
        )?;
        writeln!(out)?;
        if f.disjoint {
            writeln!(out, "No suspect in common: it broke at different times.")?;
            continue;
        }
        let open = if f.open_below { " (or older)" } else { "" };
        writeln!(out, "Suspects{open}:")?;
        writeln!(out)?;
        for s in &f.suspects {
            writeln!(
                out,
                "- {} {} ({})",
                code(short_revision(&s.revision)),
                escape(&s.subject),
                escape(&s.author)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "commit_tests.rs"]
mod tests;
