//! The summary as a table for a terminal: one row per builder, fitted to the width.

use std::io::{self, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::summary_plain::{header, id_text, status_word, totals_line};
use super::text::sanitize;
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
        .load_preset(presets::UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX))
        .set_header([
            "Builder",
            "Tier",
            "Status",
            "Builds (newest first)",
            "Last failure",
        ]);
    for row in s.branches.iter().flat_map(|b| &b.builders) {
        table.add_row([
            styles.status(row.status, &sanitize(&row.name)),
            class(row),
            styles.status(row.status, status_word(row.status)),
            builds(row, view, styles),
            reason(row),
        ]);
    }
    // The builds column must not wrap mid-list; names and reasons can.
    if let Some(col) = table.column_mut(3) {
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(12)));
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{}", styles.dim("Tier: 1-3 = tier, - = tierless; u = unstable builder.  ✔ success  ⚠ warnings  ✘ failure  ⊘ exception  ● running"))?;
    writeln!(out, "{}", totals_line(&s.totals, styles))
}

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
                &format!("{}{}", symbols::glyph(c.outcome), id_text(c, view.id)),
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
        .map(|f| format!("#{} {}", f.number, sanitize(&f.reason)))
        .unwrap_or_default()
}
