//! `release --format markdown`: a checklist for a release issue or mail.

use std::io::{self, Write};

use super::markdown::escape;
use super::release_json::ReleaseContext;
use super::release_text::{footer, revision_line, rule_line};
use super::symbols;
use crate::model::release::{BranchVerdict, Breaking, Effect};

pub fn render(
    out: &mut dyn Write,
    verdicts: &[BranchVerdict],
    ctx: &ReleaseContext<'_>,
) -> io::Result<()> {
    writeln!(out, "## {}", escape(&rule_line(ctx.rule)))?;
    writeln!(out)?;
    if let Some(line) = revision_line(ctx) {
        writeln!(out, "{}", escape(&line))?;
        writeln!(out)?;
    }
    writeln!(out, "| Branch | Verdict | Why |")?;
    writeln!(out, "|---|---|---|")?;
    for v in verdicts {
        writeln!(
            out,
            "| {} | {} {} | {} |",
            escape(&v.branch),
            symbols::verdict_glyph(v.verdict),
            v.verdict.label(),
            escape(&v.summary)
        )?;
    }
    for v in verdicts {
        let drivers: Vec<_> = v
            .builders
            .iter()
            .filter(|j| j.effect != Effect::None)
            .collect();
        writeln!(out)?;
        writeln!(
            out,
            "### {}: {} {}",
            escape(&v.branch),
            symbols::verdict_glyph(v.verdict),
            v.verdict.label()
        )?;
        writeln!(out)?;
        if !drivers.is_empty() {
            writeln!(out, "| | Builder | Tier | Why | Latest | Breaking build |")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for j in drivers {
                let link = |n: u32| {
                    format!(
                        "[#{n}]({}#/builders/{}/builds/{n})",
                        ctx.origin.server.root(),
                        j.builderid
                    )
                };
                let latest = j.latest.as_ref().map_or(String::new(), |b| {
                    format!(
                        "{} {}",
                        link(b.number),
                        escape(b.failed_step.as_deref().unwrap_or(b.result.as_str()))
                    )
                });
                let breaking = match &j.breaking {
                    Some(Breaking::Build(b)) => link(b.number),
                    Some(Breaking::BeyondHistory) => {
                        format!("before the {} builds read", j.builds_read)
                    }
                    None => String::new(),
                };
                writeln!(
                    out,
                    "| {} | [{}]({}) | {} | {} | {latest} | {breaking} |",
                    symbols::effect_glyph(j.effect),
                    escape(&j.name),
                    ctx.origin.server.builder_url(j.builderid),
                    j.class
                        .tier
                        .map_or("tierless".to_string(), |t| format!("tier-{t}")),
                    escape(j.reason.as_deref().unwrap_or_default()),
                )?;
            }
            writeln!(out)?;
        }
        for line in footer(v) {
            writeln!(out, "- {}", escape(&line))?;
        }
    }
    Ok(())
}
