//! The summary as plain text: the old bbreport's layout, for pipes, cron mail and `grep`.
//!
//! Without colour every status and build carries the old tool's symbol (`_` success, `#`
//! failure, `?` unstable/exception, `*` building/offline, `~` warnings, `-` skipped/cancelled,
//! `.` no builds, `!` unknown); with colour the symbols give way to colours, as they did there.

use std::io::{self, Write};

use super::text::{elide_end, pad, sanitize};
use super::{BuildId, Styles, SummaryView, symbols};
use crate::model::status::BuilderStatus;
use crate::model::summary::{BuildCell, BuilderRow, Summary, Totals};

/// `-q` cuts the failure reason to this many columns, like the old tool.
const QUIET_REASON_WIDTH: usize = 60;

pub fn render(
    out: &mut dyn Write,
    s: &Summary,
    view: &SummaryView,
    styles: Styles,
) -> io::Result<()> {
    writeln!(out, "{}", header(s))?;
    let name_width = s
        .branches
        .iter()
        .flat_map(|b| &b.builders)
        .map(|r| sanitize(&r.name).chars().count())
        .max()
        .unwrap_or(0);
    let capsules: Vec<Vec<String>> = s
        .branches
        .iter()
        .map(|b| {
            b.builders
                .iter()
                .map(|r| capsule(r, view, styles))
                .collect()
        })
        .collect();
    let capsule_width = capsules
        .iter()
        .flatten()
        .map(|c| super::text::display_width(c))
        .max()
        .unwrap_or(0);
    for (branch, caps) in s.branches.iter().zip(&capsules) {
        writeln!(out)?;
        for (row, cap) in branch.builders.iter().zip(caps) {
            let url = view.row_url(row);
            let name = pad(
                &styles.link(
                    &view.builder_url(row),
                    &styles.status(row.status, &sanitize(&row.name)),
                ),
                name_width,
            );
            let status = pad(&styles.status(row.status, status_word(row.status)), 9);
            let mut line = if styles.enabled() {
                format!("{name}  {status}  {}", pad(cap, capsule_width))
            } else {
                format!(
                    "{} {name}  {status}  {}",
                    symbols::plain_status(row.status),
                    pad(cap, capsule_width)
                )
            };
            if view.quiet >= 1 {
                if let Some(reason) = line_reason(row) {
                    line.push_str("  ");
                    line.push_str(&elide_end(&reason, QUIET_REASON_WIDTH));
                }
            } else if let Some(e) = &row.load_error {
                line.push_str("  builds could not be fetched: ");
                line.push_str(&sanitize(e));
            }
            if view.urls {
                line = line.trim_end().to_string();
                line.push_str("  ");
                line.push_str(&url);
            }
            writeln!(out, "{}", line.trim_end())?;
            if view.quiet == 0 {
                for cell in row.builds.iter().filter(|c| view.verbose || c.failed()) {
                    writeln!(out, "      {}", detail(cell, styles))?;
                }
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", totals_line(&s.totals, styles))
}

pub fn header(s: &Summary) -> String {
    let branches: Vec<&str> = s.branches.iter().map(|b| b.name.as_str()).collect();
    let branches = if branches.is_empty() {
        "none".to_string()
    } else {
        branches.join(", ")
    };
    let label = if s.branches.len() == 1 {
        "branch"
    } else {
        "branches"
    };
    format!(
        "Selected builders: {} / {} ({label}: {})",
        s.selected,
        s.active_total,
        sanitize(&branches)
    )
}

pub fn status_word(s: Option<BuilderStatus>) -> &'static str {
    s.map_or("unknown", BuilderStatus::as_str)
}

/// What the `-q` line ends with: why the builder is not green.
fn line_reason(row: &BuilderRow) -> Option<String> {
    if let Some(e) = &row.load_error {
        return Some(format!("builds could not be fetched: {}", sanitize(e)));
    }
    row.last_failure.as_ref().map(failure_text)
}

/// `failed test: test_os test_ssl`gh-123` (known tests carry their issue after a backquote, as
/// in the old bbreport), or Buildbot's own summary when the tests were not read.
pub fn failure_text(f: &crate::model::summary::FailureNote) -> String {
    if f.tests.is_empty() {
        return sanitize(&f.reason).into_owned();
    }
    let tests: Vec<String> = f
        .tests
        .iter()
        .map(|t| match &t.known {
            Some(issue) => format!("{}`{}", sanitize(&t.name), sanitize(issue)),
            None => sanitize(&t.name).into_owned(),
        })
        .collect();
    format!("{}: {}", sanitize(&f.reason), tests.join(" "))
}

/// The builder's builds, newest first: `# 4, _ 3, _ 2, _ 1` (or coloured ids).
pub fn capsule(row: &BuilderRow, view: &SummaryView, styles: Styles) -> String {
    row.builds
        .iter()
        .map(|c| {
            let id = id_text(c, view.id);
            if styles.enabled() {
                styles.outcome(c.outcome, &id)
            } else {
                format!("{} {id}", symbols::plain_outcome(c.outcome))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn id_text(cell: &BuildCell, id: BuildId) -> String {
    match (id, &cell.revision) {
        (BuildId::Revision, Some(rev)) => sanitize(rev).chars().take(7).collect(),
        _ => cell.number.to_string(),
    }
}

fn detail(cell: &BuildCell, styles: Styles) -> String {
    let what = match cell.result() {
        Some(_) if cell.failed() => crate::model::summary::failure_reason(&cell.state_string),
        Some(r) => r.as_str().to_string(),
        None => sanitize(&cell.state_string).into_owned(),
    };
    let rev = cell
        .revision
        .as_deref()
        .map(|r| format!(" {}", sanitize(r).chars().take(7).collect::<String>()))
        .unwrap_or_default();
    let label = format!("{:>5}{rev}:", cell.number);
    if styles.enabled() {
        format!(
            "{} {}",
            styles.outcome(cell.outcome, &label),
            sanitize(&what)
        )
    } else {
        format!(
            "{} {label} {}",
            symbols::plain_outcome(cell.outcome),
            sanitize(&what)
        )
    }
}

pub fn totals_line(t: &Totals, styles: Styles) -> String {
    let mut parts: Vec<String> = BuilderStatus::ALL
        .iter()
        .map(|s| {
            let n = t.by_status.get(s).copied().unwrap_or(0);
            let text = format!("{n} {}", s.as_str());
            if n > 0 {
                styles.status(Some(*s), &text)
            } else {
                text
            }
        })
        .collect();
    if t.unknown > 0 {
        parts.push(styles.bold(&format!("{} unknown", t.unknown)));
    }
    format!("Totals: {}", parts.join(", "))
}
