//! The summary in text, table and markdown.
//!
//! Plain text is the old bbreport's layout, for pipes, cron mail and `grep`: every status and
//! build carries the old tool's symbol (`_` success, `#` failure, `?` unstable/exception, `*`
//! building/offline, `.` no builds, `!` unknown), extended so that each result has its own (`~`
//! warnings, `@` retry, `x` cancelled, `-` skipped). Colour only adds colour: the text, symbols
//! and layout are the same with and without it. `-qq` groups builders by status with each
//! host's branches on one line, in every text form.

use std::io::{self, Write};

use super::grid::{Cell, Column, Grid, fit_line};
use super::markdown::escape;
use super::text::{display_width, elide_end, pad, sanitize, wrap_items};
use super::{Report, Settings, Styles, symbols};
use crate::model::branch;
use crate::model::classify::Stability;
use crate::model::status::BuilderStatus;
use crate::report::summary::{
    BuildEntry, BuildLabel, BuilderEntry, LastFailure, SummaryReport, Totals,
};

/// `-q` cuts the failure reason to this many columns, like the old tool.
const QUIET_REASON_WIDTH: usize = 60;

impl Report for SummaryReport {
    const TITLE: &'static str = "bbreport";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        if self.layout.quiet >= 2 {
            return grouped(self, out, settings, None);
        }
        plain(self, out, settings)
    }

    fn table(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        if self.layout.quiet >= 2 {
            return grouped(self, out, settings, Some(settings.width));
        }
        table(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        markdown(self, out, settings)
    }
}

fn plain(s: &SummaryReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let styles = settings.styles;
    writeln!(out, "{}", header(s))?;
    let name_width = s
        .builders()
        .map(|r| display_width(&sanitize(&r.name)))
        .max()
        .unwrap_or(0);
    let capsules: Vec<Vec<String>> = s
        .branches
        .iter()
        .map(|b| {
            b.builders
                .iter()
                .map(|r| capsule(r, s.layout.label, styles))
                .collect()
        })
        .collect();
    let capsule_width = capsules
        .iter()
        .flatten()
        .map(|c| display_width(c))
        .max()
        .unwrap_or(0);
    for (branch, caps) in s.branches.iter().zip(&capsules) {
        writeln!(out)?;
        for (row, cap) in branch.builders.iter().zip(caps) {
            let shown = row.shown_status();
            let name = pad(
                &styles.link(&row.url, &styles.status(shown, &sanitize(&row.name))),
                name_width,
            );
            let status = pad(&styles.status(shown, status_word(shown)), 9);
            let mut line = format!(
                "{} {name}  {status}  {}",
                styles.status(shown, symbols::plain_status(shown)),
                pad(cap, capsule_width)
            );
            if let Some(note) = presence_note(row) {
                line = line.trim_end().to_string();
                line.push_str("  ");
                line.push_str(&note);
            }
            if s.layout.quiet >= 1 {
                if let Some(reason) = line_reason(row) {
                    line.push_str("  ");
                    // Buildbot's state string is cut; the failing tests `--tests` read never
                    // are: a name cut short is a wrong name.
                    let tests_read = row
                        .last_failure
                        .as_ref()
                        .is_some_and(|f| !f.tests.is_empty());
                    if tests_read {
                        line.push_str(&reason);
                    } else {
                        line.push_str(&elide_end(&reason, QUIET_REASON_WIDTH, settings.glyphs));
                    }
                }
            } else if let Some(e) = &row.error {
                line.push_str("  builds could not be fetched: ");
                line.push_str(&sanitize(e));
            }
            if settings.urls {
                line = line.trim_end().to_string();
                line.push_str("  ");
                line.push_str(row.row_url());
            }
            writeln!(out, "{}", line.trim_end())?;
            if s.layout.quiet == 0 {
                let listed = |c: &&BuildEntry| s.layout.verbose || c.failed() || c.stale.is_some();
                for cell in row.builds.iter().filter(listed) {
                    writeln!(out, "      {}", detail(cell, styles))?;
                }
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", totals_line(&s.totals, styles))
}

/// The summary as a table fitted to the width (see [`Grid`] for how it gives way): names and
/// failure reasons wrap at spaces, links go under their row when they do not fit, and the
/// failure reason follows them when even the narrowest names do not leave it room.
fn table(s: &SummaryReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let (styles, width, glyphs) = (settings.styles, settings.width, settings.glyphs);
    for line in fit_line(&header(s), width) {
        writeln!(out, "{line}")?;
    }
    // Four builds stay on one line (the default --limit); more wrap first.
    let builds_min = s
        .builders()
        .map(|r| {
            let four: Vec<String> = r
                .builds
                .iter()
                .take(4)
                .map(|c| table_build(c, s.layout.label, glyphs))
                .collect();
            display_width(&four.join(" "))
        })
        .max()
        .unwrap_or(0);
    let mut columns = vec![
        Column::wrap("Builder", NAME_MIN),
        Column::fixed("Tier"),
        Column::fixed("Status"),
        Column::wrap("Builds", builds_min),
        Column::wrap("Last failure", REASON_MIN).optional(),
    ];
    if settings.urls {
        columns.push(Column::link("Link"));
    }
    let mut grid = Grid::new(columns);
    grid.rule = glyphs.rule();
    for row in s.builders() {
        let mut builds = Cell::default();
        for c in &row.builds {
            let outcome = c.outcome();
            builds.push(table_build(c, s.layout.label, glyphs), move |t| {
                styles.outcome(outcome, t)
            });
        }
        let status = row.shown_status();
        let url = row.url.as_str();
        let mut cells = vec![
            Cell::painted(sanitize(&row.name), move |t| {
                styles.link(url, &styles.status(status, t))
            }),
            Cell::plain(tier_label(row)),
            Cell::painted(status_word(status), move |t| styles.status(status, t)),
            builds,
            Cell::plain(table_reason(row)),
        ];
        if settings.urls {
            cells.push(Cell::plain(row.row_url()));
        }
        grid.row(cells);
    }
    for line in grid.render(width) {
        writeln!(out, "{line}")?;
    }
    let stale = s
        .builders()
        .flat_map(|r| &r.builds)
        .any(|c| c.stale.is_some());
    let legend = glyphs.legend_lines_for(width, stale);
    for line in legend.iter().chain(&fit_line(TIER_LEGEND, width)) {
        writeln!(out, "{}", styles.dim(line))?;
    }
    // Broken between counts, each count painted on its own.
    let counts = totals_counts(&s.totals, styles);
    for line in wrap_items(&counts, " ", width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `-qq`: builders grouped by status, each host's branches folded onto one line
/// (`AMD64 Ubuntu  3.x, 3.14`), as the old bbreport did. With a `width` (on a terminal) the
/// branch lists, the header and the totals break to fit it.
fn grouped(
    s: &SummaryReport,
    out: &mut dyn Write,
    settings: &Settings,
    settings_width: Option<usize>,
) -> io::Result<()> {
    let styles = settings.styles;
    for line in settings_width.map_or_else(|| vec![header(s)], |w| fit_line(&header(s), w)) {
        writeln!(out, "{line}")?;
    }
    let groups = BuilderStatus::ALL.iter().map(Some).chain([None]);
    for status in groups {
        let status = status.copied();
        // host = the name without its branch word; keep first-seen order of hosts.
        // A failing builder gone offline is marked, so its host gets a line of its own.
        let mut hosts: Vec<(HostKey<'_>, Vec<String>)> = Vec::new();
        for row in s.builders().filter(|r| r.shown_status() == status) {
            let name = sanitize(&row.name).into_owned();
            let host = name
                .strip_suffix(row.branch.as_str())
                .map(|h| h.trim_end().to_string())
                .filter(|h| !h.is_empty())
                .unwrap_or(name.clone());
            let key = (host, row.presence_mark());
            match hosts.iter_mut().find(|(h, _)| *h == key) {
                Some((_, branches)) => branches.push(row.branch.clone()),
                None => hosts.push((key, vec![row.branch.clone()])),
            }
        }
        if hosts.is_empty() {
            continue;
        }
        hosts.sort_by_key(|((host, offline), _)| (host.to_lowercase(), *offline));
        let title = match status {
            Some(s) => capitalise(s.as_str()),
            None => "Unknown (builds could not be fetched)".into(),
        };
        writeln!(out)?;
        writeln!(out, "{}:", styles.status(status, &title))?;
        let width = hosts
            .iter()
            .map(|((h, _), _)| display_width(h))
            .max()
            .unwrap_or(0);
        // `    _ HOST  `: where the branch list starts. On a terminal too narrow for the list
        // beside the hosts, it goes under its host.
        let beside = 4 + 2 + width + 2;
        let lead = match settings_width {
            Some(w) if w < beside + BRANCHES_MIN => 8,
            _ => beside,
        };
        for ((host, offline), mut branches) in hosts {
            branches.sort_by(|a, b| branch::compare(a, b));
            let mut items: Vec<String> = branches
                .iter()
                .map(|b| format!("{},", sanitize(b)))
                .collect();
            if let Some(last) = items.last_mut() {
                last.pop();
            }
            if let Some(mark) = offline
                && let Some(last) = items.last_mut()
            {
                last.push_str(&format!("  ({mark})"));
            }
            let lines = match settings_width {
                Some(w) => wrap_items(&items, " ", w.saturating_sub(lead)),
                None => vec![items.join(" ")],
            };
            let mark = styles.status(status, symbols::plain_status(status));
            if lead == beside {
                for (i, line) in lines.iter().enumerate() {
                    if i == 0 {
                        writeln!(out, "    {mark} {}  {line}", pad(&host, width))?;
                    } else {
                        writeln!(out, "{}{line}", " ".repeat(lead))?;
                    }
                }
            } else {
                writeln!(out, "    {mark} {host}")?;
                for line in lines {
                    writeln!(out, "{}{line}", " ".repeat(lead))?;
                }
            }
        }
    }
    writeln!(out)?;
    match settings_width {
        Some(w) => {
            for line in wrap_items(&totals_counts(&s.totals, styles), " ", w) {
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
        None => writeln!(out, "{}", totals_line(&s.totals, styles)),
    }
}

/// A `-qq` line's host and the mark of its builders (`offline`, `paused`), if any.
type HostKey<'a> = (String, Option<&'a str>);

/// The narrowest a `-qq` branch list gets before it is left on one line.
const BRANCHES_MIN: usize = 12;

fn markdown(s: &SummaryReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    writeln!(out, "{}", escape(&header(s)))?;
    writeln!(out)?;
    writeln!(out, "| Builder | Status | Builds | Last failure |")?;
    writeln!(out, "|---|---|---|---|")?;
    for row in s.builders() {
        let builds: Vec<String> = row
            .builds
            .iter()
            .map(|c| {
                format!(
                    "[{}{}]({})",
                    settings.glyphs.outcome(c.outcome()),
                    escape(&build_label(c, s.layout.label)),
                    c.url
                )
            })
            .collect();
        let failure = match (&row.error, &row.last_failure) {
            (Some(e), _) => format!("builds could not be fetched: {}", escape(e)),
            (None, Some(f)) => format!("[#{}]({}) {}", f.number, f.url, escape(&failure_text(f))),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "| [{}]({}) | {} | {} | {failure} |",
            escape(&row.name),
            row.url,
            status_text(row),
            builds.join(" ")
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", totals_line(&s.totals, Styles::plain()))
}

/// `Selected builders: 16 / 92 (branch: 3.x)`.
fn header(s: &SummaryReport) -> String {
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
        s.active,
        sanitize(&branches)
    )
}

fn status_word(s: Option<BuilderStatus>) -> &'static str {
    s.map_or("unknown", BuilderStatus::as_str)
}

/// What the `-q` line ends with: why the builder is not green.
fn line_reason(row: &BuilderEntry) -> Option<String> {
    if let Some(e) = &row.error {
        return Some(format!("builds could not be fetched: {}", sanitize(e)));
    }
    row.last_failure.as_ref().map(failure_text)
}

/// `failed test: test_os test_ssl`gh-123` (known tests carry their issue after a backquote, as
/// in the old bbreport), or Buildbot's own summary when the tests were not read.
fn failure_text(f: &LastFailure) -> String {
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
fn capsule(row: &BuilderEntry, label: BuildLabel, styles: Styles) -> String {
    row.builds
        .iter()
        .map(|c| {
            let id = build_label(c, label);
            styles.outcome(
                c.outcome(),
                &format!("{} {id}", symbols::plain_outcome(c.outcome())),
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn detail(cell: &BuildEntry, styles: Styles) -> String {
    let what = match cell.result {
        _ if cell.stale.is_some() => cell
            .stale
            .as_ref()
            .map(super::text::stale_text)
            .unwrap_or_default(),
        Some(_) if cell.failed() => crate::model::summary::failure_reason(&cell.state_string),
        Some(r) => r.as_str().to_string(),
        None => sanitize(&cell.state_string).into_owned(),
    };
    let rev = cell
        .revision
        .as_deref()
        .map(|r| format!(" {}", sanitize(r).chars().take(7).collect::<String>()))
        .unwrap_or_default();
    let label = format!(
        "{} {:>5}{rev}:",
        symbols::plain_outcome(cell.outcome()),
        cell.number
    );
    let rerun = cell
        .rerun_of
        .map(|n| format!(" (re-run of retried #{n})"))
        .unwrap_or_default();
    format!(
        "{} {}{rerun}",
        styles.outcome(cell.outcome(), &label),
        sanitize(&what)
    )
}

/// After a builder shown failing though no worker is connected (or all are paused): offline
/// (paused) and failing are two facts, both shown, `(offline)`, `(paused: why)`. A builder shown
/// paused gets its pause reason, when the master gives one: `(reason: why)`.
fn presence_note(row: &BuilderEntry) -> Option<String> {
    let reason = row.pause_reason.as_deref().map(sanitize);
    match (row.presence_mark(), reason) {
        (Some("paused"), Some(r)) => Some(format!("(paused: {r})")),
        (Some(mark), _) => Some(format!("({mark})")),
        (None, Some(r)) if row.shown_status() == Some(BuilderStatus::Paused) => {
            Some(format!("(reason: {r})"))
        }
        (None, _) => None,
    }
}

/// The status a markdown cell names: `failure (offline)` for a failing builder gone offline,
/// `paused (reason: …)`.
fn status_text(row: &BuilderEntry) -> String {
    let word = status_word(row.shown_status());
    match presence_note(row) {
        Some(note) => format!("{word} {}", escape(&note)),
        None => word.to_string(),
    }
}

/// `Totals: 1 building, 4 success, 6 unstable, 3 failure (1 offline), 1 offline, 1 no builds`:
/// builders by the status they are shown by, so a failing builder gone offline counts failing,
/// and the failure count says how many of its builders are offline.
fn totals_line(t: &Totals, styles: Styles) -> String {
    format!("Totals: {}", totals_parts(t, styles).join(", "))
}

/// `Totals: 1 building,`, `4 success,`, …: the totals line in the pieces it may break between.
fn totals_counts(t: &Totals, styles: Styles) -> Vec<String> {
    let parts = totals_parts(t, styles);
    let last = parts.len().saturating_sub(1);
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let p = if i == 0 { format!("Totals: {p}") } else { p };
            if i < last { format!("{p},") } else { p }
        })
        .collect()
}

fn totals_parts(t: &Totals, styles: Styles) -> Vec<String> {
    let mut parts: Vec<String> = BuilderStatus::ALL
        .iter()
        // Paused builders are rare: counted only when there are some.
        .filter(|s| **s != BuilderStatus::Paused || t.paused > 0)
        .map(|s| {
            let n = t.shown(*s);
            let mut text = format!("{n} {}", s.as_str());
            if *s == BuilderStatus::Failure {
                let marks: Vec<String> =
                    [(t.failing_offline, "offline"), (t.failing_paused, "paused")]
                        .iter()
                        .filter(|(k, _)| *k > 0)
                        .map(|(k, w)| format!("{k} {w}"))
                        .collect();
                if !marks.is_empty() {
                    text.push_str(&format!(" ({})", marks.join(", ")));
                }
            }
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
    parts
}

/// The narrowest the table makes builder names (wrapped at spaces) …
const NAME_MIN: usize = 14;
/// … and failure reasons, before the reason goes under its row.
const REASON_MIN: usize = 16;

const TIER_LEGEND: &str = "Tier: 1-3, or - for tierless; u marks an unstable builder.";

/// `1`, `2u`, `-` (tierless), as the Tier column shows it.
fn tier_label(row: &BuilderEntry) -> String {
    let tier = row.tier.map_or("-".to_string(), |t| t.to_string());
    match row.stability {
        Stability::Unstable => format!("{tier}u"),
        Stability::Stable | Stability::Unspecified => tier,
    }
}

/// A build as the table's Builds column shows it: `✘4`.
fn table_build(c: &BuildEntry, label: BuildLabel, glyphs: symbols::Glyphs) -> String {
    format!("{}{}", glyphs.outcome(c.outcome()), build_label(c, label))
}

fn table_reason(row: &BuilderEntry) -> String {
    if let Some(e) = &row.error {
        return format!("builds could not be fetched: {}", sanitize(e));
    }
    let note = presence_note(row)
        .map(|n| format!("{n} "))
        .unwrap_or_default();
    row.last_failure
        .as_ref()
        .map_or(note.trim_end().to_string(), |f| {
            format!("{note}#{} {}", f.number, failure_text(f))
        })
}

/// What names a build in a builds list: its number, or its short revision.
fn build_label(build: &BuildEntry, label: BuildLabel) -> String {
    match (label, &build.revision) {
        (BuildLabel::Revision, Some(rev)) => sanitize(rev).chars().take(7).collect(),
        _ => build.number.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
