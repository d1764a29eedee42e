//! The waterfall: one row of build glyphs per builder, newest on the left, grouped by
//! stability and tier. Text (terminal and plain alike), markdown and JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::markdown::escape;
use super::text::{display_width, elide_end, pad, sanitize};
use super::{Glyphs, Styles};
use crate::api::ServerUrl;
use crate::model::classify::Stability;
use crate::model::status::Outcome;
use crate::model::summary::BuildCell;
use crate::model::waterfall::{Row, Waterfall};
use crate::report::header::{JsonHeader, ReportOrigin};
use crate::report::summary::BuildLabel as BuildId;

#[derive(Debug, Clone, Copy)]
pub struct WaterfallView {
    /// Label each build with its number or revision; `None`: glyphs only.
    pub id: Option<BuildId>,
    pub glyphs: Glyphs,
    pub width: usize,
}

/// Builds per row that fit `width`, given the longest builder name.
pub fn builds_that_fit(width: usize, longest_name: usize, id: Option<BuildId>) -> usize {
    // Room for "  (offline)" after the cells.
    let name = name_column(width, longest_name) + 11;
    let cell = cell_width(id);
    (width.saturating_sub(2 + name + 2) / cell).clamp(1, 60)
}

fn name_column(width: usize, longest_name: usize) -> usize {
    longest_name.min(width * 45 / 100).max(12)
}

/// A glyph and a space; with ids, room for a 5-digit number or a 7-character revision.
fn cell_width(id: Option<BuildId>) -> usize {
    match id {
        None => 2,
        Some(BuildId::Number) => 7,
        Some(BuildId::Revision) => 9,
    }
}

pub fn render_text(
    out: &mut dyn Write,
    w: &Waterfall,
    v: &WaterfallView,
    styles: Styles,
) -> io::Result<()> {
    let rows: Vec<&Row> = w
        .branches
        .iter()
        .flat_map(|b| &b.groups)
        .flat_map(|g| &g.rows)
        .collect();
    let longest = rows
        .iter()
        .map(|r| display_width(&sanitize(&r.name)))
        .max()
        .unwrap_or(0);
    let name_w = name_column(v.width, longest);
    let branches: Vec<&str> = w.branches.iter().map(|b| b.name.as_str()).collect();
    writeln!(
        out,
        "Waterfall: {} builders of {}, newest build first",
        rows.len(),
        sanitize(&branches.join(", "))
    )?;
    writeln!(
        out,
        "{}",
        styles.dim(&elide_end(&v.glyphs.legend(), v.width, v.glyphs))
    )?;
    for branch in &w.branches {
        for group in &branch.groups {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                styles.bold(&format!("{}: {}", sanitize(&branch.name), group.label()))
            )?;
            for row in &group.rows {
                let name = pad(&elide_end(&sanitize(&row.name), name_w, v.glyphs), name_w);
                let mut cells = match &row.error {
                    Some(e) => format!("builds could not be fetched: {}", sanitize(e)),
                    None if row.builds.is_empty() => styles.dim("no builds"),
                    None => row
                        .builds
                        .iter()
                        .map(|c| cell(c, v, styles))
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                if !row.connected {
                    cells.push_str(&styles.dim("  (offline)"));
                }
                writeln!(out, "  {name}  {}", cells.trim_end())?;
            }
        }
    }
    Ok(())
}

fn cell(c: &BuildCell, v: &WaterfallView, styles: Styles) -> String {
    let glyph = v.glyphs.outcome(c.outcome);
    let text = match v.id {
        None => glyph.to_string(),
        Some(kind) => pad(
            &format!("{glyph}{}", id_text(c, kind)),
            cell_width(Some(kind)) - 1,
        ),
    };
    styles.outcome(c.outcome, &text)
}

pub fn render_markdown(
    out: &mut dyn Write,
    w: &Waterfall,
    v: &WaterfallView,
    server: &ServerUrl,
) -> io::Result<()> {
    for branch in &w.branches {
        for group in &branch.groups {
            writeln!(out, "### {}: {}", escape(&branch.name), group.label())?;
            writeln!(out)?;
            writeln!(out, "| Builder | Builds, newest first |")?;
            writeln!(out, "|---|---|")?;
            for row in &group.rows {
                let builds: Vec<String> = row
                    .builds
                    .iter()
                    .map(|c| {
                        let label = match v.id {
                            Some(kind) => format!(
                                "{}{}",
                                v.glyphs.outcome(c.outcome),
                                escape(&id_text(c, kind))
                            ),
                            None => v.glyphs.outcome(c.outcome).to_string(),
                        };
                        format!("[{label}]({})", server.build_url(row.builderid, c.number))
                    })
                    .collect();
                let offline = if row.connected { "" } else { " (offline)" };
                writeln!(
                    out,
                    "| [{}]({}){offline} | {} |",
                    escape(&row.name),
                    server.builder_url(row.builderid),
                    builds.join(" ")
                )?;
            }
            writeln!(out)?;
        }
    }
    writeln!(out, "{}", v.glyphs.legend())
}

#[derive(Debug, Serialize)]
struct WaterfallJson {
    #[serde(flatten)]
    header: JsonHeader,
    branches: Vec<BranchJson>,
}

#[derive(Debug, Serialize)]
struct BranchJson {
    name: String,
    groups: Vec<GroupJson>,
}

#[derive(Debug, Serialize)]
struct GroupJson {
    label: String,
    stability: Stability,
    tier: Option<u8>,
    builders: Vec<RowJson>,
}

#[derive(Debug, Serialize)]
struct RowJson {
    name: String,
    builderid: u32,
    url: String,
    connected: bool,
    error: Option<String>,
    /// Newest first.
    builds: Vec<CellJson>,
}

#[derive(Debug, Serialize)]
struct CellJson {
    number: u32,
    buildid: u64,
    result: Option<&'static str>,
    running: bool,
    revision: Option<String>,
    started_at: Option<i64>,
    url: String,
}

pub fn render_json(
    out: &mut dyn Write,
    w: &Waterfall,
    origin: &ReportOrigin<'_>,
) -> io::Result<()> {
    let server = origin.server;
    let doc = WaterfallJson {
        header: origin.header("waterfall"),
        branches: w
            .branches
            .iter()
            .map(|b| BranchJson {
                name: b.name.clone(),
                groups: b
                    .groups
                    .iter()
                    .map(|g| GroupJson {
                        label: g.label(),
                        stability: g.stability,
                        tier: g.tier,
                        builders: g
                            .rows
                            .iter()
                            .map(|r| RowJson {
                                name: r.name.clone(),
                                builderid: r.builderid,
                                url: server.builder_url(r.builderid),
                                connected: r.connected,
                                error: r.error.clone(),
                                builds: r
                                    .builds
                                    .iter()
                                    .map(|c| CellJson {
                                        number: c.number,
                                        buildid: c.buildid,
                                        result: c.result().map(|x| x.as_str()),
                                        running: c.outcome == Outcome::Running,
                                        revision: c.revision.clone(),
                                        started_at: c.started_at,
                                        url: server.build_url(r.builderid, c.number),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// What names a build in a row: its number, or its short revision.
fn id_text(cell: &crate::model::summary::BuildCell, id: BuildId) -> String {
    match (id, &cell.revision) {
        (BuildId::Revision, Some(rev)) => sanitize(rev).chars().take(7).collect(),
        _ => cell.number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_builds_fit_a_wider_terminal() {
        let narrow = builds_that_fit(80, 39, None);
        let wide = builds_that_fit(120, 39, None);
        assert!(narrow >= 10 && wide > narrow, "{narrow} {wide}");
        assert!(builds_that_fit(80, 39, Some(BuildId::Revision)) < narrow);
        assert_eq!(builds_that_fit(20, 60, None), 1);
    }
}
