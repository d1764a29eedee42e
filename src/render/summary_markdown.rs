//! The summary as markdown, for issues and mail.

use std::io::{self, Write};

use super::markdown::escape;
use super::summary_plain::{header, id_text, status_word, totals_line};
use super::{Styles, SummaryView, symbols};
use crate::api::ServerUrl;
use crate::model::summary::Summary;

pub fn render(
    out: &mut dyn Write,
    s: &Summary,
    view: &SummaryView,
    server: &ServerUrl,
) -> io::Result<()> {
    writeln!(out, "{}", escape(&header(s)))?;
    writeln!(out)?;
    writeln!(out, "| Builder | Status | Builds | Last failure |")?;
    writeln!(out, "|---|---|---|---|")?;
    for row in s.branches.iter().flat_map(|b| &b.builders) {
        let builds: Vec<String> = row
            .builds
            .iter()
            .map(|c| {
                format!(
                    "[{}{}]({})",
                    symbols::glyph(c.outcome),
                    escape(&id_text(c, view.id)),
                    server.build_url(row.builderid, c.number)
                )
            })
            .collect();
        let failure = match (&row.load_error, &row.last_failure) {
            (Some(e), _) => format!("builds could not be fetched: {}", escape(e)),
            (None, Some(f)) => format!("#{} {}", f.number, escape(&f.reason)),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "| [{}]({}) | {} | {} | {failure} |",
            escape(&row.name),
            server.builder_url(row.builderid),
            status_word(row.status),
            builds.join(" ")
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", totals_line(&s.totals, Styles::plain()))
}
