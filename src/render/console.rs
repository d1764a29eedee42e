//! The console in text and markdown: commits × builders. Builder columns are numbered (names
//! listed under each panel); builders that do not fit the width continue in another panel of
//! the same commits.

use std::io::{self, Write};

use super::grid::fit_line;
use super::markdown::{escape, table_code};
use super::text::{display_width, elide_end, pad, sanitize, wrap_items};
use super::{Glyphs, Report, Settings, Styles};
use crate::report::console::{BuilderEntry, CellEntry, CellState, CommitEntry, ConsoleReport};

const REV: usize = 7;
const AUTHOR: usize = 14;
const AGE: usize = 4;
const SUBJECT_MIN: usize = 16;

/// Columns left of the builder cells, subject at its minimum.
fn info_width() -> usize {
    REV + 2 + AUTHOR + 2 + AGE + 2 + SUBJECT_MIN + 2
}

fn column_width(builders: usize) -> usize {
    builders.to_string().len().max(2) + 1
}

/// How many builder columns one panel holds at `width`.
pub fn builders_per_panel(width: usize, builders: usize) -> usize {
    (width.saturating_sub(info_width()) / column_width(builders)).max(1)
}

/// `3h`, `5d`: how long ago, in one unit.
pub fn age(now: i64, when: Option<i64>) -> String {
    let Some(when) = when else { return "?".into() };
    let s = (now - when).max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        86_400..1_209_600 => format!("{}d", s / 86_400),
        _ => format!("{}w", s / 604_800),
    }
}

/// `Ada Example <ada@example.org>` → `Ada Example`.
fn author_name(author: &str) -> String {
    let name = author.split('<').next().unwrap_or(author).trim();
    sanitize(if name.is_empty() { author } else { name }).into_owned()
}

/// The cell's symbol, uncoloured.
fn symbol(cell: &CellEntry, glyphs: Glyphs) -> &'static str {
    match (cell.state, cell.outcome()) {
        (CellState::Built, Some(o)) => glyphs.outcome(o),
        (CellState::Covered, Some(_)) => glyphs.covered(),
        _ => glyphs.not_built(),
    }
}

fn styled_symbol(cell: &CellEntry, glyphs: Glyphs, styles: Styles) -> String {
    match cell.outcome() {
        Some(o) => styles.outcome(o, symbol(cell, glyphs)),
        None => styles.dim(symbol(cell, glyphs)),
    }
}

impl Report for ConsoleReport {
    const TITLE: &'static str = "bbreport console";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        text(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        markdown(self, out, settings)
    }
}

/// `Console: 3.13 (git branch 3.13), 3 commits × 11 builders, newest commit first`.
fn header(c: &ConsoleReport, glyphs: Glyphs) -> String {
    let git = c
        .git_branch
        .as_deref()
        .map(|g| format!(" (git branch {})", sanitize(g)))
        .unwrap_or_default();
    format!(
        "Console: {}{git}, {} commits {} {} builders, newest commit first",
        sanitize(&c.branch),
        c.commits.len(),
        glyphs.times(),
        c.builders.len()
    )
}

/// The two legends: result glyphs, then what the other cells mean.
fn legend(glyphs: Glyphs) -> [String; 2] {
    [
        glyphs.legend(),
        format!(
            "{} tested by a newer commit's build  {} not tested",
            glyphs.covered(),
            glyphs.not_built()
        ),
    ]
}

/// What a builder's name is followed by under the grid: `(offline)`, `(paused: why)`, its
/// stale build (`(#5 stale: started 14 h ago, its master is gone)`).
fn builder_notes(b: &BuilderEntry) -> String {
    let mut notes = String::new();
    if !b.connected {
        notes.push_str(" (offline)");
    } else if b.paused {
        match &b.pause_reason {
            Some(r) => notes.push_str(&format!(" (paused: {})", sanitize(r))),
            None => notes.push_str(" (paused)"),
        }
    }
    if let Some(s) = &b.stale {
        notes.push_str(&format!(
            " (#{} {})",
            s.number,
            super::text::stale_text(&s.stale)
        ));
    }
    notes
}

/// The legends broken between items to fit `width` columns.
fn legend_lines(glyphs: Glyphs, width: usize, stale: bool) -> Vec<String> {
    let mut lines = glyphs.legend_lines_for(width, stale);
    lines.extend(wrap_items(
        &[
            format!("{} tested by a newer commit's build", glyphs.covered()),
            format!("{} not tested", glyphs.not_built()),
        ],
        "  ",
        width,
    ));
    lines
}

fn text(c: &ConsoleReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let (styles, glyphs, width) = (settings.styles, settings.glyphs, settings.width);
    for line in fit_line(&header(c, glyphs), width) {
        writeln!(out, "{line}")?;
    }
    let stale = c.builders.iter().any(|b| b.stale.is_some());
    for line in legend_lines(glyphs, width, stale) {
        writeln!(out, "{}", styles.dim(&line))?;
    }
    let col = column_width(c.builders.len());
    let per_panel = builders_per_panel(width, c.builders.len());
    let panels: Vec<usize> = (0..c.builders.len()).step_by(per_panel).collect();
    for &start in &panels {
        let end = (start + per_panel).min(c.builders.len());
        let cells_width = (end - start) * col;
        let subject_w = width
            .saturating_sub(REV + 2 + AUTHOR + 2 + AGE + 2 + 2 + cells_width)
            .max(SUBJECT_MIN);
        let info_w = REV + 2 + AUTHOR + 2 + AGE + 2 + subject_w + 2;
        writeln!(out)?;
        if panels.len() > 1 {
            writeln!(
                out,
                "{}",
                styles.bold(&format!(
                    "Builders {}-{} of {}",
                    start + 1,
                    end,
                    c.builders.len()
                ))
            )?;
        }
        let numbers: String = (start + 1..=end)
            .map(|n| format!("{n:>width$}", width = col - 1))
            .map(|n| format!("{n} "))
            .collect();
        writeln!(out, "{}{}", " ".repeat(info_w), numbers.trim_end())?;
        for row in &c.commits {
            let cells: Vec<String> = row.cells[start..end]
                .iter()
                .map(|cell| {
                    format!(
                        "{}{}",
                        " ".repeat(col - 2),
                        styled_symbol(cell, glyphs, styles)
                    )
                })
                .collect();
            writeln!(
                out,
                "{}{}",
                info(row, c.now(), glyphs, subject_w),
                cells.join(" ").trim_end()
            )?;
        }
        writeln!(out)?;
        let names: Vec<String> = c.builders[start..end]
            .iter()
            .map(|b| format!("{:>3} {}{}", b.column, sanitize(&b.name), builder_notes(b)))
            .collect();
        for line in columns_of(&names, width) {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    if c.commits.is_empty() {
        writeln!(out, "(no commits)")?;
    }
    Ok(())
}

fn info(row: &CommitEntry, now: i64, glyphs: Glyphs, subject_w: usize) -> String {
    let rev: String = sanitize(&row.revision).chars().take(REV).collect();
    format!(
        "{}  {}  {}  {}  ",
        pad(&rev, REV),
        pad(
            &elide_end(&author_name(&row.author), AUTHOR, glyphs),
            AUTHOR
        ),
        pad(&age(now, row.when), AGE),
        pad(
            &elide_end(&sanitize(&row.subject), subject_w, glyphs),
            subject_w
        )
    )
}

/// Lay `items` out in as many equal columns as fit `width`.
fn columns_of(items: &[String], width: usize) -> Vec<String> {
    let w = items.iter().map(|s| display_width(s)).max().unwrap_or(0) + 2;
    let per_line = (width / w.max(1)).max(1);
    items
        .chunks(per_line)
        .map(|chunk| chunk.iter().map(|s| pad(s, w)).collect::<String>())
        .collect()
}

fn markdown(c: &ConsoleReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let glyphs = settings.glyphs;
    writeln!(out, "### {}", escape(&header(c, glyphs)))?;
    writeln!(out)?;
    for line in legend(glyphs) {
        writeln!(out, "{line}")?;
        writeln!(out)?;
    }
    if c.commits.is_empty() {
        writeln!(out, "(no commits)")?;
    } else {
        let numbers: Vec<String> = c.builders.iter().map(|b| b.column.to_string()).collect();
        writeln!(
            out,
            "| Commit | Author | Age | Subject | {} |",
            numbers.join(" | ")
        )?;
        writeln!(out, "|---|---|---|---|{}", "---|".repeat(c.builders.len()))?;
        for row in &c.commits {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|cell| match &cell.url {
                    Some(url) => format!("[{}]({url})", symbol(cell, glyphs)),
                    None => symbol(cell, glyphs).to_string(),
                })
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                table_code(&row.revision.chars().take(REV).collect::<String>()),
                escape(&author_name(&row.author)),
                age(c.now(), row.when),
                escape(&row.subject),
                cells.join(" | ")
            )?;
        }
    }
    writeln!(out)?;
    for b in &c.builders {
        writeln!(
            out,
            "{}. [{}]({}){}",
            b.column,
            escape(&b.name),
            b.url,
            escape(&builder_notes(b))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ServerUrl;
    use crate::model::console::{CommitRow, Console, ConsoleBuilder, ConsoleCell};
    use crate::model::status::{BuildResult, Outcome};
    use crate::render::{Format, keys, to_string};
    use crate::report::header::{DataSource, ReportOrigin};

    const NOW: i64 = 1_795_400_000;

    fn report(commits: usize) -> ConsoleReport {
        let failed = Outcome::Finished(BuildResult::Failure);
        let rows = [
            (
                "a53cb5b0",
                "Ada Lovelace-Byron <ada@example.org>",
                "gh-1: A change whose subject is far too long for any column",
            ),
            (
                "4445052f",
                "Grace Hopper <grace@example.org>",
                "gh-2: Another change",
            ),
        ];
        let c = Console {
            branch: "3.13".into(),
            git_branch: Some("3.13".into()),
            builders: vec![
                ConsoleBuilder {
                    builderid: 1,
                    name: "AMD64 Fedora Stable 3.13".into(),
                    connected: true,
                    paused: false,
                    pause_reason: None,
                    stale: None,
                },
                ConsoleBuilder {
                    builderid: 2,
                    name: "ARM64 macOS 3.13".into(),
                    connected: false,
                    paused: false,
                    pause_reason: None,
                    stale: None,
                },
            ],
            commits: rows[..commits]
                .iter()
                .map(|(rev, author, subject)| CommitRow {
                    revision: (*rev).into(),
                    author: (*author).into(),
                    when: Some(NOW - 3 * 3600),
                    subject: (*subject).into(),
                    cells: vec![
                        ConsoleCell::Built {
                            number: 7,
                            outcome: failed,
                        },
                        ConsoleCell::NotBuilt,
                    ],
                })
                .collect(),
        };
        let server = ServerUrl::parse("https://buildbot.example/all/").expect("url");
        let origin = ReportOrigin {
            server: &server,
            source: DataSource::Live,
            recorded_at: None,
            now: NOW,
        };
        ConsoleReport::new(&c, &origin)
    }

    #[test]
    fn markdown_carries_what_text_carries() {
        let settings = Settings::plain();
        let r = report(2);
        let text = to_string(&r, Format::Plain, &settings);
        let md = to_string(&r, Format::Markdown, &settings);
        for form in [&text, &md] {
            assert!(
                form.contains("Console: 3.13 (git branch 3.13), 2 commits × 2 builders"),
                "{form}"
            );
            assert!(form.contains("✘ failure"), "{form}");
            assert!(
                form.contains("┆ tested by a newer commit's build  · not tested"),
                "{form}"
            );
            assert!(form.contains("(offline)"), "{form}");
            assert!(form.contains("3h"), "{form}");
        }
        assert!(
            md.contains("[✘](https://buildbot.example/all/#/builders/1/builds/7)"),
            "{md}"
        );
        let empty = report(0);
        for format in [Format::Plain, Format::Markdown] {
            let out = to_string(&empty, format, &settings);
            assert!(out.contains("(no commits)"), "{out}");
        }
    }

    #[test]
    fn ascii_has_no_unicode_ellipsis_or_glyphs() {
        let settings = Settings {
            glyphs: Glyphs { ascii: true },
            width: 60,
            ..Settings::plain()
        };
        for format in [Format::Plain, Format::Table, Format::Markdown] {
            let out = to_string(&report(2), format, &settings);
            assert!(out.is_ascii(), "{out}");
            assert!(out.contains("2 commits x 2 builders"), "{out}");
        }
        let text = to_string(&report(2), Format::Plain, &settings);
        assert!(text.contains("Ada Lovelac..."), "{text}");
    }

    #[test]
    fn json_keeps_its_field_names() {
        let v: serde_json::Value =
            serde_json::from_str(&to_string(&report(1), Format::Json, &Settings::plain()))
                .expect("json");
        assert_eq!(
            keys(&v),
            [
                "branch",
                "builders",
                "commits",
                "generated_at",
                "git_branch",
                "kind",
                "recorded_at",
                "schema_version",
                "server",
                "source"
            ]
        );
        assert_eq!(v["kind"], "console");
        assert_eq!(
            keys(&v["builders"][0]),
            [
                "builderid",
                "column",
                "connected",
                "name",
                "pause_reason",
                "paused",
                "stale",
                "url"
            ]
        );
        let commit = &v["commits"][0];
        assert_eq!(
            keys(commit),
            ["author", "cells", "revision", "subject", "when"]
        );
        assert_eq!(
            keys(&commit["cells"][0]),
            ["number", "result", "running", "stale", "state", "url"]
        );
        assert_eq!(commit["cells"][0]["state"], "built");
        assert_eq!(commit["cells"][0]["result"], "failure");
        assert_eq!(commit["cells"][1]["state"], "not_built");
        assert_eq!(commit["cells"][1]["url"], serde_json::Value::Null);
    }

    #[test]
    fn ages_use_one_unit() {
        assert_eq!(age(1000, Some(990)), "10s");
        assert_eq!(age(10_000, Some(10_000 - 7200)), "2h");
        assert_eq!(age(10_000_000, Some(10_000_000 - 3 * 86_400)), "3d");
        assert_eq!(age(0, None), "?");
    }

    #[test]
    fn panels_fit_80_and_120_columns() {
        assert!(builders_per_panel(80, 16) < 16);
        assert!(builders_per_panel(120, 16) >= 16);
        assert_eq!(builders_per_panel(10, 16), 1);
    }

    #[test]
    fn author_names_drop_the_address() {
        assert_eq!(author_name("Ada Example <ada@example.org>"), "Ada Example");
        assert_eq!(author_name("<a@b>"), "<a@b>");
    }
}
