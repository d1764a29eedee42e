//! The summary as a table for a terminal: one row per builder, fitted to the width.

use std::io::{self, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, TableComponent, Width, presets};

use super::summary_plain::{header, id_text, status_word, totals_line};
use super::text::{display_width, elide_end, sanitize};
use super::{Styles, SummaryView, symbols};
use crate::model::classify::Stability;
use crate::model::summary::{BuilderRow, Summary};

pub fn render(
    out: &mut dyn Write,
    s: &Summary,
    view: &SummaryView,
    styles: Styles,
    width: usize,
) -> io::Result<()> {
    writeln!(out, "{}", header(s))?;
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX))
        .set_header(if view.urls {
            vec![
                "Builder",
                "Tier",
                "Status",
                "Builds",
                "Last failure",
                "Link",
            ]
        } else {
            vec!["Builder", "Tier", "Status", "Builds", "Last failure"]
        });
    for row in s.branches.iter().flat_map(|b| &b.builders) {
        let url = view.row_url(row);
        let mut cells = vec![
            styles.link(
                &view.builder_url(row),
                &styles.status(row.status, &sanitize(&row.name)),
            ),
            class(row),
            styles.status(row.status, status_word(row.status)),
            builds(row, view, styles),
            reason(row),
        ];
        if view.urls {
            cells.push(url);
        }
        table.add_row(cells);
    }
    // A rule under the header only; the preset draws column borders as spaces.
    let rule = if view.ascii { '-' } else { '─' };
    table.set_style(TableComponent::HeaderLines, rule);
    table.set_style(TableComponent::MiddleHeaderIntersections, rule);
    table.set_style(TableComponent::LeftHeaderIntersection, rule);
    table.set_style(TableComponent::RightHeaderIntersection, rule);
    for col in table.column_iter_mut() {
        col.set_padding((0, 1));
    }
    // Short columns never wrap. The name keeps its width while the failure reason still gets
    // a readable share; past that, names wrap (they are long: "AMD64 Fedora Stable LTO + PGO 3.x").
    let rows: Vec<_> = s.branches.iter().flat_map(|b| &b.builders).collect();
    let name_width = rows
        .iter()
        .map(|r| display_width(&sanitize(&r.name)))
        .max()
        .unwrap_or(7);
    let builds_width = rows
        .iter()
        .map(|r| display_width(&builds(r, view, Styles::plain())))
        .max()
        .unwrap_or(6);
    let fixed = 1 + (4 + 2) + (9 + 2) + (builds_width + 2);
    let name_min = name_width
        .min(width.saturating_sub(fixed + 2 + REASON_MIN))
        .max(12);
    let name_min = u16::try_from(name_min).unwrap_or(u16::MAX);
    for (index, constraint) in [
        (0, ColumnConstraint::LowerBoundary(Width::Fixed(name_min))),
        (1, ColumnConstraint::ContentWidth),
        (2, ColumnConstraint::ContentWidth),
        (3, ColumnConstraint::ContentWidth),
        // Links are never wrapped: a cut URL is useless.
        (5, ColumnConstraint::ContentWidth),
    ] {
        if let Some(col) = table.column_mut(index) {
            col.set_constraint(constraint);
        }
    }
    for line in table.to_string().lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    let legend = [
        symbols::Glyphs { ascii: view.ascii }.legend(),
        TIER_LEGEND.to_string(),
    ];
    for line in legend {
        writeln!(out, "{}", styles.dim(&elide_end(&line, width)))?;
    }
    writeln!(out, "{}", totals_line(&s.totals, styles))
}

/// Columns the failure reason keeps before builder names start to wrap.
const REASON_MIN: usize = 18;

const TIER_LEGEND: &str = "Tier: 1-3, or - for tierless; u marks an unstable builder.";

fn class(row: &BuilderRow) -> String {
    let tier = row.class.tier.map_or("-".to_string(), |t| t.to_string());
    match row.class.stability {
        Stability::Unstable => format!("{tier}u"),
        Stability::Stable | Stability::Unspecified => tier,
    }
}

fn builds(row: &BuilderRow, view: &SummaryView, styles: Styles) -> String {
    row.builds
        .iter()
        .map(|c| {
            styles.outcome(
                c.outcome,
                &format!(
                    "{}{}",
                    symbols::Glyphs { ascii: view.ascii }.outcome(c.outcome),
                    id_text(c, view.id)
                ),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn reason(row: &BuilderRow) -> String {
    if let Some(e) = &row.load_error {
        return format!("builds could not be fetched: {}", sanitize(e));
    }
    row.last_failure
        .as_ref()
        .map(|f| format!("#{} {}", f.number, super::summary_plain::failure_text(f)))
        .unwrap_or_default()
}
