//! `bbreport log FILE` in text and markdown (its JSON is the report struct): the test log's
//! triage as `build` shows it, then the commands as `repro` gives them.

use std::io::{self, Write};

use super::build::{code_block, summary_rows};
use super::markdown::escape;
use super::repro::{Section, plan_sections, write_markdown, write_plain};
use super::text::{human_bytes, pad, sanitize};
use super::{Report, Settings};
use crate::model::regrtest::shell_word;
use crate::report::log::LogReport;

impl Report for LogReport {
    const TITLE: &'static str = "bbreport log";

    fn plain(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        writeln!(out, "{}", title(self))?;
        let rows = rows(self);
        let w = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 1;
        for (label, value) in rows {
            writeln!(
                out,
                "  {}  {}",
                pad(&format!("{label}:"), w),
                sanitize(&value)
            )?;
        }
        if !self.summary.excerpts.is_empty() {
            writeln!(out)?;
            writeln!(out, "Relevant lines")?;
            for l in &self.summary.excerpts {
                writeln!(out, "  {}", sanitize(l))?;
            }
        }
        writeln!(out)?;
        writeln!(out, "{}", reproduce_title(self))?;
        write_plain(out, &sections(self))
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        writeln!(out, "### {}", escape(&title(self)))?;
        writeln!(out)?;
        for (label, value) in rows(self) {
            writeln!(out, "- **{label}:** {}", escape(&value))?;
        }
        if !self.summary.excerpts.is_empty() {
            writeln!(out)?;
            writeln!(out, "Relevant lines:")?;
            writeln!(out)?;
            code_block(out, &self.summary.excerpts)?;
        }
        writeln!(out)?;
        writeln!(out, "#### {}", escape(&reproduce_title(self)))?;
        write_markdown(out, &sections(self))
    }
}

/// `Log run.log: 480 lines (1.2 MiB)`; standard input is named so.
fn title(r: &LogReport) -> String {
    let file = if r.file == "-" {
        "from standard input".to_string()
    } else {
        sanitize(&r.file).into_owned()
    };
    format!(
        "Log {file}: {} lines ({})",
        r.summary.lines,
        human_bytes(r.bytes_read)
    )
}

/// `build`'s rows, and the revision the header names.
fn rows(r: &LogReport) -> Vec<(&'static str, String)> {
    let mut rows = summary_rows(&r.summary);
    if let Some(rev) = &r.revision {
        rows.push(("Revision", rev.clone()));
    }
    rows
}

/// `Reproduce: test_x failed`, or `Nothing to reproduce: …`.
fn reproduce_title(r: &LogReport) -> String {
    match (&r.repro, &r.nothing_to_reproduce) {
        (Some(p), _) => format!("Reproduce: {} failed", sanitize(&p.failed.join(" "))),
        (None, Some(why)) => format!("Nothing to reproduce: {}.", sanitize(why)),
        (None, None) => "Nothing to reproduce.".into(),
    }
}

fn sections(r: &LogReport) -> Vec<Section> {
    let Some(plan) = &r.repro else {
        return Vec::new();
    };
    let checkout = match &r.checkout {
        Some(command) => Section {
            intro: "In a CPython checkout, the revision the log's header names; then build it as \
                    that run was built:"
                .into(),
            commands: vec![sanitize(command).into_owned()],
            note: None,
        },
        None => Section {
            intro: "In a CPython checkout of the revision that ran, built as that run was:".into(),
            commands: Vec::new(),
            note: Some(
                "(the log names no revision: its `== CPython … (heads/main:REV, …)` header is \
                 missing or names none)"
                    .into(),
            ),
        },
    };
    std::iter::once(checkout)
        .chain(plan_sections(
            plan,
            &format!(
                "--format json lists them all, or write them to files with: bbreport log {} --out DIR",
                shell_word(&sanitize(&r.file))
            ),
        ))
        .collect()
}

#[cfg(test)]
#[path = "log_tests.rs"]
mod tests;
