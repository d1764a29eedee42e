//! `release` as text: a table on a terminal (dashboard glyphs), plain lines for pipes and mail.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, TableComponent, presets};

use super::release_json::ReleaseContext;
use super::text::{display_width, sanitize};
use super::{Styles, symbols};
use crate::model::release::{
    BranchVerdict, Breaking, BuilderJudgement, Effect, Finding, Role, Rule,
};

/// `width`: `Some` renders the evidence as a table fitted to it, `None` as plain lines.
pub fn render(
    out: &mut dyn Write,
    verdicts: &[BranchVerdict],
    ctx: &ReleaseContext<'_>,
    styles: Styles,
    width: Option<usize>,
    urls: bool,
) -> io::Result<()> {
    let links = Links {
        server: ctx.origin.server,
        urls,
    };
    writeln!(out, "{}", rule_line(ctx.rule))?;
    if let Some(line) = revision_line(ctx) {
        writeln!(out, "{line}")?;
    }
    for v in verdicts {
        writeln!(out)?;
        let mark = if width.is_some() && !ctx.ascii {
            symbols::verdict_glyph(v.verdict)
        } else {
            symbols::verdict_plain(v.verdict)
        };
        let head = format!("{}  {mark} {}: {}", v.branch, v.verdict.label(), v.summary);
        writeln!(out, "{}", styles.verdict(v.verdict, &head))?;
        let drivers: Vec<&BuilderJudgement> = v
            .builders
            .iter()
            .filter(|j| j.effect != Effect::None)
            .collect();
        match width {
            Some(w) if !drivers.is_empty() => table(out, &drivers, styles, w, links, ctx.ascii)?,
            _ => {
                for j in &drivers {
                    writeln!(out, "  {}", plain_line(j, styles, links))?;
                }
            }
        }
        for line in footer(v) {
            for part in wrap(&line, width.map(|w| w.saturating_sub(4))) {
                writeln!(out, "  {}", styles.dim(&part))?;
            }
        }
    }
    if verdicts.len() > 1 {
        writeln!(out)?;
        writeln!(
            out,
            "Overall: {} (exit code {})",
            styles.verdict(ctx.overall, ctx.overall.label()),
            ctx.exit_code
        )?;
    }
    Ok(())
}

pub fn rule_line(rule: Rule) -> String {
    match rule {
        Rule::Persistent { threshold } => format!(
            "Release readiness (rule: persistent; a stable tier-1/2 builder blocks after {threshold} failed builds in a row)"
        ),
        Rule::Dashboard => {
            "Release readiness (rule: dashboard; the latest build of each stable tier-1/2 builder decides)".to_string()
        }
    }
}

/// `At revision 1a2b3c4d5e (gh-123: subject, by Author)`, for `--at`.
pub fn revision_line(ctx: &ReleaseContext<'_>) -> Option<String> {
    let at = ctx.at.as_ref()?;
    let rev = &at.revision[..at.revision.len().min(10)];
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

fn table(
    out: &mut dyn Write,
    drivers: &[&BuilderJudgement],
    styles: Styles,
    width: usize,
    links: Links<'_>,
    ascii: bool,
) -> io::Result<()> {
    let mut t = Table::new();
    let mut header = vec!["", "Builder", "Tier", "Why", "Latest", "Since"];
    if links.urls {
        header.push("Link");
    }
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width.saturating_sub(2)).unwrap_or(u16::MAX))
        .set_header(header);
    let rule = if ascii { '-' } else { '─' };
    t.set_style(TableComponent::HeaderLines, rule);
    t.set_style(TableComponent::MiddleHeaderIntersections, rule);
    t.set_style(TableComponent::LeftHeaderIntersection, rule);
    t.set_style(TableComponent::RightHeaderIntersection, rule);
    for j in drivers {
        let mut cells = vec![
            styles.effect(
                j.effect,
                if ascii {
                    symbols::effect_plain(j.effect)
                } else {
                    symbols::effect_glyph(j.effect)
                },
            ),
            styles.link(&links.builder(j), &sanitize(&j.name)),
            tier(j),
            why(j),
            latest(j),
            breaking(j),
        ];
        if links.urls {
            cells.push(links.evidence(j));
        }
        t.add_row(cells);
    }
    for col in t.column_iter_mut() {
        col.set_padding((0, 1));
    }
    for line in t.to_string().lines() {
        writeln!(out, "  {}", line.trim_end())?;
    }
    Ok(())
}

/// Where builder names link to, and whether `--url` prints the links.
#[derive(Clone, Copy)]
struct Links<'a> {
    server: &'a crate::api::ServerUrl,
    urls: bool,
}

impl Links<'_> {
    fn builder(&self, j: &BuilderJudgement) -> String {
        self.server.builder_url(j.builderid)
    }

    /// The build that is the evidence (the latest one), else the builder.
    fn evidence(&self, j: &BuilderJudgement) -> String {
        match &j.latest {
            Some(b) => self.server.build_url(j.builderid, b.number),
            None => self.builder(j),
        }
    }
}

fn plain_line(j: &BuilderJudgement, styles: Styles, links: Links<'_>) -> String {
    let mut parts = vec![
        styles
            .effect(j.effect, symbols::effect_plain(j.effect))
            .to_string(),
        styles.link(&links.builder(j), &sanitize(&j.name)),
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
    if links.urls {
        parts.push(links.evidence(j));
    }
    parts.join("  ")
}

fn tier(j: &BuilderJudgement) -> String {
    let tier = j
        .class
        .tier
        .map_or("tierless".to_string(), |t| format!("tier-{t}"));
    match j.role {
        Role::Informational => format!("{tier}, unstable"),
        Role::Blocking | Role::NonBlocking => tier,
    }
}

fn why(j: &BuilderJudgement) -> String {
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

fn latest(j: &BuilderJudgement) -> String {
    j.latest
        .as_ref()
        .map(|b| match &b.failed_step {
            Some(step) => format!("#{} {}", b.number, sanitize(step)),
            None => format!("#{} {}", b.number, b.result.as_str()),
        })
        .unwrap_or_default()
}

fn breaking(j: &BuilderJudgement) -> String {
    match &j.breaking {
        Some(Breaking::Build(b)) if j.latest.as_ref().is_some_and(|l| l.number == b.number) => {
            "(latest)".into()
        }
        Some(Breaking::Build(b)) => format!("#{}", b.number),
        Some(Breaking::BeyondHistory) => format!("before the {} builds read", j.builds_read),
        None => String::new(),
    }
}

/// Break `line` at spaces to fit `width` columns (continuation lines indented); no width, no wrap.
fn wrap(line: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|w| *w >= 20) else {
        return vec![line.to_string()];
    };
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in line.split(' ') {
        let indent = if lines.is_empty() { 0 } else { 2 };
        if !cur.is_empty() && display_width(&cur) + 1 + display_width(word) + indent > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l.clone() } else { format!("  {l}") })
        .collect()
}

/// Worker health and what did not move the verdict.
pub fn footer(v: &BranchVerdict) -> Vec<String> {
    let mut lines = Vec::new();
    let disconnected: Vec<String> = v
        .builders
        .iter()
        .filter(|j| !j.connected)
        .map(|j| format!("{} ({})", sanitize(&j.name), tier(j)))
        .collect();
    if !disconnected.is_empty() {
        lines.push(format!(
            "Worker health: {} disconnected: {}",
            disconnected.len(),
            disconnected.join(", ")
        ));
    }
    let unstable_failing: Vec<String> = v
        .builders
        .iter()
        .filter(|j| j.role == Role::Informational && j.finding == Finding::Failing)
        .map(|j| sanitize(&j.name).into_owned())
        .collect();
    if !unstable_failing.is_empty() {
        lines.push(format!(
            "Unstable builders failing (no effect): {}",
            unstable_failing.join(", ")
        ));
    }
    let blocking: Vec<&BuilderJudgement> = v
        .builders
        .iter()
        .filter(|j| j.role == Role::Blocking)
        .collect();
    let passing = blocking
        .iter()
        .filter(|j| matches!(j.finding, Finding::Passing | Finding::Warnings))
        .count();
    lines.push(format!(
        "{passing} of {} release-blocking builders pass; {} builders in all",
        blocking.len(),
        v.builders.len()
    ));
    lines
}
