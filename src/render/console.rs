//! The console: commits × builders. Builder columns are numbered (names listed under each
//! panel); builders that do not fit the width continue in another panel of the same commits.

use std::io::{self, Write};

use serde::Serialize;

use super::markdown::escape;
use super::text::{elide_end, pad, sanitize};
use super::{Glyphs, Styles};
use crate::api::ServerUrl;
use crate::model::console::{CommitRow, Console, ConsoleCell};
use crate::model::status::Outcome;
use crate::report::header::{JsonHeader, ReportOrigin};

#[derive(Debug, Clone, Copy)]
pub struct ConsoleView {
    pub glyphs: Glyphs,
    pub width: usize,
    /// Unix seconds, for commit ages.
    pub now: i64,
}

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

/// `Victor Stinner <vstinner@python.org>` → `Victor Stinner`.
fn author_name(author: &str) -> String {
    let name = author.split('<').next().unwrap_or(author).trim();
    sanitize(if name.is_empty() { author } else { name }).into_owned()
}

fn symbol(cell: ConsoleCell, glyphs: Glyphs, styles: Styles) -> String {
    match cell {
        ConsoleCell::Built { outcome, .. } => styles.outcome(outcome, glyphs.outcome(outcome)),
        ConsoleCell::Covered { outcome, .. } => styles.outcome(outcome, glyphs.covered()),
        ConsoleCell::NotBuilt => styles.dim(glyphs.not_built()),
    }
}

pub fn render_text(
    out: &mut dyn Write,
    c: &Console,
    v: &ConsoleView,
    styles: Styles,
) -> io::Result<()> {
    let git = c
        .git_branch
        .as_deref()
        .map(|g| format!(" (git branch {})", sanitize(g)))
        .unwrap_or_default();
    writeln!(
        out,
        "Console: {}{git}, {} commits {} {} builders, newest commit first",
        sanitize(&c.branch),
        c.commits.len(),
        if v.glyphs.ascii { "x" } else { "×" },
        c.builders.len()
    )?;
    let cells = format!(
        "{} tested by a newer commit's build  {} not tested",
        v.glyphs.covered(),
        v.glyphs.not_built()
    );
    for line in [v.glyphs.legend(), cells] {
        writeln!(out, "{}", styles.dim(&elide_end(&line, v.width, v.glyphs)))?;
    }
    let col = column_width(c.builders.len());
    let per_panel = builders_per_panel(v.width, c.builders.len());
    let panels: Vec<usize> = (0..c.builders.len()).step_by(per_panel).collect();
    for &start in &panels {
        let end = (start + per_panel).min(c.builders.len());
        let cells_width = (end - start) * col;
        let subject_w = v
            .width
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
                .map(|cell| format!("{}{}", " ".repeat(col - 2), symbol(*cell, v.glyphs, styles)))
                .collect();
            writeln!(
                out,
                "{}{}",
                info(row, v, subject_w),
                cells.join(" ").trim_end()
            )?;
        }
        writeln!(out)?;
        let names: Vec<String> = c.builders[start..end]
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let offline = if b.connected { "" } else { " (offline)" };
                format!("{:>3} {}{offline}", start + i + 1, sanitize(&b.name))
            })
            .collect();
        for line in columns_of(&names, v.width) {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    if c.commits.is_empty() {
        writeln!(out, "(no commits)")?;
    }
    Ok(())
}

fn info(row: &CommitRow, v: &ConsoleView, subject_w: usize) -> String {
    let rev: String = sanitize(&row.revision).chars().take(REV).collect();
    format!(
        "{}  {}  {}  {}  ",
        pad(&rev, REV),
        pad(
            &elide_end(&author_name(&row.author), AUTHOR, v.glyphs),
            AUTHOR
        ),
        pad(&age(v.now, row.when), AGE),
        pad(
            &elide_end(&sanitize(&row.subject), subject_w, v.glyphs),
            subject_w
        )
    )
}

/// Lay `items` out in as many equal columns as fit `width`.
fn columns_of(items: &[String], width: usize) -> Vec<String> {
    let w = items
        .iter()
        .map(|s| super::text::display_width(s))
        .max()
        .unwrap_or(0)
        + 2;
    let per_line = (width / w.max(1)).max(1);
    items
        .chunks(per_line)
        .map(|chunk| chunk.iter().map(|s| pad(s, w)).collect::<String>())
        .collect()
}

pub fn render_markdown(
    out: &mut dyn Write,
    c: &Console,
    v: &ConsoleView,
    server: &ServerUrl,
) -> io::Result<()> {
    let numbers: Vec<String> = (1..=c.builders.len()).map(|n| n.to_string()).collect();
    writeln!(out, "### Console: {}", escape(&c.branch))?;
    writeln!(out)?;
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
            .zip(&c.builders)
            .map(|(cell, b)| match cell {
                ConsoleCell::Built { number, outcome }
                | ConsoleCell::Covered { number, outcome } => {
                    let sym = match cell {
                        ConsoleCell::Built { .. } => v.glyphs.outcome(*outcome),
                        _ => v.glyphs.covered(),
                    };
                    format!("[{sym}]({})", server.build_url(b.builderid, *number))
                }
                ConsoleCell::NotBuilt => v.glyphs.not_built().to_string(),
            })
            .collect();
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            escape(&row.revision.chars().take(REV).collect::<String>()),
            escape(&author_name(&row.author)),
            age(v.now, row.when),
            escape(&row.subject),
            cells.join(" | ")
        )?;
    }
    writeln!(out)?;
    for (i, b) in c.builders.iter().enumerate() {
        writeln!(
            out,
            "{}. [{}]({})",
            i + 1,
            escape(&b.name),
            server.builder_url(b.builderid)
        )?;
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct ConsoleJson {
    #[serde(flatten)]
    header: JsonHeader,
    branch: String,
    git_branch: Option<String>,
    builders: Vec<BuilderJson>,
    /// Newest first; `cells` follow `builders`' order.
    commits: Vec<CommitJson>,
}

#[derive(Debug, Serialize)]
struct BuilderJson {
    column: usize,
    name: String,
    builderid: u32,
    url: String,
    connected: bool,
}

#[derive(Debug, Serialize)]
struct CommitJson {
    revision: String,
    author: String,
    when: Option<i64>,
    subject: String,
    cells: Vec<CellJson>,
}

#[derive(Debug, Serialize)]
struct CellJson {
    /// `built` (a build of this commit), `covered` (a newer commit's build tested it),
    /// `not_built`.
    state: &'static str,
    number: Option<u32>,
    result: Option<&'static str>,
    running: bool,
    url: Option<String>,
}

pub fn render_json(out: &mut dyn Write, c: &Console, origin: &ReportOrigin<'_>) -> io::Result<()> {
    let server = origin.server;
    let doc = ConsoleJson {
        header: origin.header("console"),
        branch: c.branch.clone(),
        git_branch: c.git_branch.clone(),
        builders: c
            .builders
            .iter()
            .enumerate()
            .map(|(i, b)| BuilderJson {
                column: i + 1,
                name: b.name.clone(),
                builderid: b.builderid,
                url: server.builder_url(b.builderid),
                connected: b.connected,
            })
            .collect(),
        commits: c
            .commits
            .iter()
            .map(|row| CommitJson {
                revision: row.revision.clone(),
                author: row.author.clone(),
                when: row.when,
                subject: row.subject.clone(),
                cells: row
                    .cells
                    .iter()
                    .zip(&c.builders)
                    .map(|(cell, b)| {
                        let (state, build) = match cell {
                            ConsoleCell::Built { number, outcome } => {
                                ("built", Some((*number, *outcome)))
                            }
                            ConsoleCell::Covered { number, outcome } => {
                                ("covered", Some((*number, *outcome)))
                            }
                            ConsoleCell::NotBuilt => ("not_built", None),
                        };
                        CellJson {
                            state,
                            number: build.map(|(n, _)| n),
                            result: build.and_then(|(_, o)| match o {
                                Outcome::Finished(r) => Some(r.as_str()),
                                Outcome::Running | Outcome::Unrecognised => None,
                            }),
                            running: build.is_some_and(|(_, o)| o == Outcome::Running),
                            url: build.map(|(n, _)| server.build_url(b.builderid, n)),
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            author_name("Victor Stinner <vstinner@python.org>"),
            "Victor Stinner"
        );
        assert_eq!(author_name("<a@b>"), "<a@b>");
    }
}
