//! The release report in text, table and markdown.
//!
//! Plain text (pipes, cron mail) marks verdicts `[ok] [!] [X] [?]` and builders `- ! X ?`; the
//! table on a terminal uses the release dashboard's glyphs (✔ ⚠ ✘) unless ASCII was chosen.
//! Markdown is a summary table and one table per branch with links, for a release checklist.

use std::io::{self, Write};

use super::grid::{Cell, Column, Grid, fit_line};
use super::markdown::escape;
use super::text::{sanitize, wrap_words};
use super::{Report, Settings, symbols};
use crate::model::release::{Finding, Role, Rule};
use crate::report::release::{BranchEntry, BuilderEntry, ReleaseReport};

impl Report for ReleaseReport {
    const TITLE: &'static str = "bbreport release";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        text(self, out, settings, None)
    }

    fn table(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        text(self, out, settings, Some(settings.width))
    }

    fn markdown(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        markdown(self, out, settings)
    }
}

/// `width`: `Some` renders the evidence as a table and every line fitted to it (see
/// [`Grid`]), `None` as plain lines.
fn text(
    r: &ReleaseReport,
    out: &mut dyn Write,
    settings: &Settings,
    width: Option<usize>,
) -> io::Result<()> {
    let styles = settings.styles;
    // Lines around the table break at spaces to fit; plain text keeps them whole.
    let fit = |line: &str| match width {
        Some(w) => fit_line(line, w),
        None => vec![line.to_string()],
    };
    for line in fit(&rule_line(r.applied_rule())) {
        writeln!(out, "{line}")?;
    }
    if let Some(line) = revision_line(r) {
        for line in fit(&line) {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(line) = fleet_offline_line(r) {
        writeln!(out)?;
        for line in fit(&line) {
            writeln!(out, "{}", styles.bold(&line))?;
        }
    }
    for v in &r.branches {
        writeln!(out)?;
        let mark = match width {
            Some(_) => settings.glyphs.verdict(v.verdict),
            None => symbols::verdict_plain(v.verdict),
        };
        let head = format!("{}  {mark} {}: {}", v.name, v.verdict.label(), v.summary);
        for line in fit(&head) {
            writeln!(out, "{}", styles.verdict(v.verdict, &line))?;
        }
        let drivers: Vec<&BuilderEntry> = v.drivers().collect();
        match width {
            Some(w) if !drivers.is_empty() => table(out, &drivers, settings, w)?,
            _ => {
                for j in &drivers {
                    writeln!(out, "  {}", plain_line(j, settings))?;
                }
            }
        }
        for line in footer(v, r.verbose) {
            let parts = match width {
                Some(w) => wrap_words(&line.text, w.saturating_sub(2), 2),
                None => vec![line.text],
            };
            for part in parts {
                writeln!(out, "  {}", styles.dim(&part))?;
            }
            for item in &line.items {
                writeln!(out, "    {}", styles.dim(item))?;
            }
        }
    }
    if r.branches.len() > 1 {
        writeln!(out)?;
        writeln!(
            out,
            "Overall: {} (exit code {})",
            styles.verdict(r.verdict, r.verdict.label()),
            r.exit_code
        )?;
    }
    Ok(())
}

/// The same evidence as the text forms: every driver's reason with its failing tests, running
/// build and fetch error, worker health, and the overall verdict when several branches are judged.
fn markdown(r: &ReleaseReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let glyphs = settings.glyphs;
    writeln!(out, "## {}", escape(&rule_line(r.applied_rule())))?;
    writeln!(out)?;
    if let Some(line) = revision_line(r) {
        writeln!(out, "{}", escape(&line))?;
        writeln!(out)?;
    }
    if let Some(line) = fleet_offline_line(r) {
        writeln!(out, "**{}**", escape(&line))?;
        writeln!(out)?;
    }
    writeln!(out, "| Branch | Verdict | Why |")?;
    writeln!(out, "|---|---|---|")?;
    for v in &r.branches {
        writeln!(
            out,
            "| {} | {} {} | {} |",
            escape(&v.name),
            glyphs.verdict(v.verdict),
            v.verdict.label(),
            escape(&v.summary)
        )?;
    }
    for v in &r.branches {
        writeln!(out)?;
        writeln!(
            out,
            "### {}: {} {}",
            escape(&v.name),
            glyphs.verdict(v.verdict),
            v.verdict.label()
        )?;
        writeln!(out)?;
        let drivers: Vec<&BuilderEntry> = v.drivers().collect();
        if !drivers.is_empty() {
            writeln!(out, "| | Builder | Tier | Why | Latest | Breaking build |")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for j in drivers {
                let latest = j.latest.as_ref().map_or(String::new(), |b| {
                    format!(
                        "[#{}]({}) {}",
                        b.number,
                        b.url,
                        escape(b.failed_step.as_deref().unwrap_or(b.result.as_str()))
                    )
                });
                let breaking = match &j.breaking {
                    Some(b) => format!("[#{}]({})", b.number, b.url),
                    None if j.breaking_beyond_history => {
                        format!("before the {} builds read", j.builds_read)
                    }
                    None => String::new(),
                };
                writeln!(
                    out,
                    "| {} | [{}]({}) | {} | {} | {latest} | {breaking} |",
                    glyphs.effect(j.effect),
                    escape(&j.name),
                    j.url,
                    tier(j),
                    escape(&why(j)),
                )?;
            }
            writeln!(out)?;
        }
        for line in footer(v, r.verbose) {
            writeln!(out, "- {}", escape(&line.text))?;
            for item in &line.items {
                writeln!(out, "  - {}", escape(item))?;
            }
        }
    }
    if r.branches.len() > 1 {
        writeln!(out)?;
        writeln!(
            out,
            "Overall: {} (exit code {})",
            r.verdict.label(),
            r.exit_code
        )?;
    }
    Ok(())
}

fn rule_line(rule: Rule) -> String {
    match rule {
        Rule::Persistent { threshold } => format!(
            "Release readiness (rule: persistent; a stable tier-1/2 builder blocks after {threshold} failed builds in a row)"
        ),
        Rule::Dashboard => {
            "Release readiness (rule: dashboard; the latest build of each stable tier-1/2 builder decides)".to_string()
        }
    }
}

/// `At revision 1a2b3c4d5e (gh-123: subject, by Author): 12 builds of it found`, for `--at`.
fn revision_line(r: &ReleaseReport) -> Option<String> {
    let at = r.at.as_ref()?;
    let rev: String = sanitize(&at.revision).chars().take(10).collect();
    let about = match (&at.subject, &at.author) {
        (Some(s), Some(a)) => format!(" ({}, by {})", sanitize(s), sanitize(a)),
        (Some(s), None) => format!(" ({})", sanitize(s)),
        _ => String::new(),
    };
    Some(format!(
        "At revision {rev}{about}: {} builds of it found",
        at.builds
    ))
}

/// The builders that move the verdict, as a table fitted to `width`: names and reasons wrap at
/// spaces, links go under their row when they do not fit, then Latest and Since when even the
/// narrowest names and reasons leave them no room.
fn table(
    out: &mut dyn Write,
    drivers: &[&BuilderEntry],
    settings: &Settings,
    width: usize,
) -> io::Result<()> {
    let styles = settings.styles;
    let mut columns = vec![
        Column::fixed(""),
        Column::wrap("Builder", 14),
        Column::wrap("Tier", 6),
        Column::wrap("Why", 14),
        Column::wrap("Latest", 10).optional(),
        Column::wrap("Since", 8).optional(),
    ];
    if settings.urls {
        columns.push(Column::link("Link"));
    }
    let mut grid = Grid::new(columns);
    grid.margin = 2;
    grid.below_indent = 7;
    grid.rule = settings.glyphs.rule();
    for j in drivers {
        let (effect, url) = (j.effect, j.url.as_str());
        let mut cells = vec![
            Cell::painted(settings.glyphs.effect(effect), move |t| {
                styles.effect(effect, t)
            }),
            Cell::painted(sanitize(&j.name), move |t| styles.link(url, t)),
            Cell::plain(tier(j)),
            Cell::plain(why(j)),
            Cell::plain(latest(j)),
            Cell::plain(breaking(j)),
        ];
        if settings.urls {
            cells.push(Cell::plain(j.evidence_url()));
        }
        grid.row(cells);
    }
    for line in grid.render(width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn plain_line(j: &BuilderEntry, settings: &Settings) -> String {
    let styles = settings.styles;
    let mut parts = vec![
        styles.effect(j.effect, symbols::effect_plain(j.effect)),
        styles.link(&j.url, &sanitize(&j.name)),
        format!("({})", tier(j)),
        why(j),
    ];
    let latest = latest(j);
    if !latest.is_empty() {
        parts.push(format!("latest {latest}"));
    }
    let breaking = breaking(j);
    if !breaking.is_empty() {
        parts.push(format!("breaking {breaking}"));
    }
    if settings.urls {
        parts.push(j.evidence_url().to_string());
    }
    parts.join("  ")
}

/// `tier-1`, `tierless`, `tier-2, unstable`.
fn tier(j: &BuilderEntry) -> String {
    let tier = j
        .tier
        .map_or("tierless".to_string(), |t| format!("tier-{t}"));
    match j.role {
        Role::Informational => format!("{tier}, unstable"),
        Role::Blocking | Role::NonBlocking => tier,
    }
}

/// Why the builder moves the verdict: the rule's reason, its failing tests (`--tests`; known
/// ones as `test_x`gh-123`), whether a build is running, why its builds could not be fetched.
fn why(j: &BuilderEntry) -> String {
    let mut s = j.reason.clone().unwrap_or_default();
    if !j.failing_tests.is_empty() {
        let tests: Vec<String> = j
            .failing_tests
            .iter()
            .map(|t| match &t.known {
                Some(issue) => format!("{}`{}", sanitize(&t.name), sanitize(issue)),
                None => sanitize(&t.name).into_owned(),
            })
            .collect();
        s = format!("{s}: {}", tests.join(" "));
    }
    if j.running && j.finding == Finding::Failing {
        s.push_str("; a build is running");
    }
    if let Some(e) = &j.error {
        s = format!("{s}: {}", sanitize(e));
    }
    s
}

fn latest(j: &BuilderEntry) -> String {
    j.latest
        .as_ref()
        .map(|b| match &b.failed_step {
            Some(step) => format!("#{} {}", b.number, sanitize(step)),
            None => format!("#{} {}", b.number, b.result.as_str()),
        })
        .unwrap_or_default()
}

fn breaking(j: &BuilderEntry) -> String {
    match &j.breaking {
        Some(_) if j.broke_at_latest() => "(latest)".into(),
        Some(b) => format!("#{}", b.number),
        None if j.breaking_beyond_history => format!("before the {} builds read", j.builds_read),
        None => String::new(),
    }
}

/// A line under a branch's verdict, with the names listed under it (one per line).
struct FooterLine {
    text: String,
    items: Vec<String>,
}

impl FooterLine {
    fn new(text: String) -> FooterLine {
        FooterLine {
            text,
            items: Vec::new(),
        }
    }
}

/// When every builder judged is disconnected, the one line that says what that usually means.
fn fleet_offline_line(r: &ReleaseReport) -> Option<String> {
    let builders: Vec<&BuilderEntry> = r.branches.iter().flat_map(|v| &v.builders).collect();
    if builders.is_empty() || builders.iter().any(|j| j.connected) {
        return None;
    }
    let branches: Vec<String> = r
        .branches
        .iter()
        .map(|v| sanitize(&v.name).into_owned())
        .collect();
    Some(format!(
        "All {} builders of {} are disconnected: the master has probably lost its workers (a \
         master or network problem, not {} failures); the verdicts rest on their last builds.",
        builders.len(),
        branches.join(", "),
        builders.len()
    ))
}

/// Worker health and what did not move the verdict. Disconnected builders are counted and the
/// release-blocking ones named; the rest only with `-v` (`verbose`), one per line.
fn footer(v: &BranchEntry, verbose: bool) -> Vec<FooterLine> {
    let mut lines = Vec::new();
    let label = |j: &BuilderEntry| format!("{} ({})", sanitize(&j.name), tier(j));
    let disconnected: Vec<&BuilderEntry> = v.builders.iter().filter(|j| !j.connected).collect();
    let (blocking, others): (Vec<&BuilderEntry>, Vec<&BuilderEntry>) =
        disconnected.iter().partition(|j| j.role == Role::Blocking);
    let n = disconnected.len();
    if n > 0 && n == v.builders.len() && !verbose {
        let of_them = match blocking.len() {
            0 => String::new(),
            b => format!(" ({b} of them release-blocking)"),
        };
        lines.push(FooterLine::new(format!(
            "Worker health: all {n} builders disconnected{of_them}; -v names them"
        )));
    } else if n > 0 {
        let mut text = format!("Worker health: {n} disconnected");
        if blocking.is_empty() {
            text.push_str(", none release-blocking");
        } else {
            let names: Vec<String> = blocking.iter().map(|j| label(j)).collect();
            text.push_str(&format!("; release-blocking: {}", names.join(", ")));
        }
        let mut line = FooterLine::new(text);
        let the_others = match (blocking.is_empty(), others.len()) {
            (true, _) => "them".to_string(),
            (false, 1) => "the other one".to_string(),
            (false, k) => format!("the other {k}"),
        };
        if !others.is_empty() {
            if verbose {
                line.text.push_str(&format!("; {the_others}:"));
                line.items = others.iter().map(|j| label(j)).collect();
            } else {
                line.text.push_str(&format!("; -v names {the_others}"));
            }
        }
        lines.push(line);
    }
    // Paused builders: worker health too, each with its reason when the master gives one.
    let paused: Vec<String> = v
        .builders
        .iter()
        .filter(|j| j.connected && j.paused)
        .map(|j| match &j.pause_reason {
            Some(r) => format!("{}: {}", label(j), sanitize(r)),
            None => label(j),
        })
        .collect();
    if !paused.is_empty() {
        let mut line = FooterLine::new(format!(
            "Worker health: {} paused (connected, taking no builds):",
            paused.len()
        ));
        line.items = paused;
        lines.push(line);
    }
    // Stale builds: listed as running, but they will not finish; not the next build.
    let stale: Vec<String> = v
        .builders
        .iter()
        .filter_map(|j| {
            let s = j.stale.as_ref()?;
            Some(format!(
                "{} #{} {}",
                sanitize(&j.name),
                s.number,
                super::text::stale_text(&s.stale)
            ))
        })
        .collect();
    if !stale.is_empty() {
        let mut line = FooterLine::new(format!(
            "Stale builds (listed as running, no effect): {}",
            stale.len()
        ));
        line.items = stale;
        lines.push(line);
    }
    let unstable_failing: Vec<String> = v
        .builders
        .iter()
        .filter(|j| j.role == Role::Informational && j.finding == Finding::Failing)
        .map(|j| sanitize(&j.name).into_owned())
        .collect();
    if !unstable_failing.is_empty() {
        lines.push(FooterLine::new(format!(
            "Unstable builders failing (no effect): {}",
            unstable_failing.join(", ")
        )));
    }
    let blocking: Vec<&BuilderEntry> = v
        .builders
        .iter()
        .filter(|j| j.role == Role::Blocking)
        .collect();
    let passing = blocking
        .iter()
        .filter(|j| matches!(j.finding, Finding::Passing | Finding::Warnings))
        .count();
    lines.push(FooterLine::new(format!(
        "{passing} of {} release-blocking builders pass; {} builders in all",
        blocking.len(),
        v.builders.len()
    )));
    lines
}

#[cfg(test)]
#[path = "release_tests.rs"]
mod tests;
