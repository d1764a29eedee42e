//! The waterfall in text (terminal and plain alike) and markdown: one row of build glyphs per
//! builder, newest on the left, grouped by stability and tier.

use std::io::{self, Write};

use super::grid::fit_line;
use super::markdown::escape;
use super::text::{display_width, elide_end, pad, sanitize};
use super::{Report, Settings};
use crate::report::summary::BuildLabel;
use crate::report::waterfall::{CellEntry, RowEntry, WaterfallReport};

/// Builds per row that fit `width`, given the longest builder name.
pub fn builds_that_fit(width: usize, longest_name: usize, id: Option<BuildLabel>) -> usize {
    // Room for "  (offline)" after the cells.
    let name = name_column(width, longest_name) + 11;
    let cell = cell_width(id);
    (width.saturating_sub(2 + name + 2) / cell).clamp(1, 60)
}

fn name_column(width: usize, longest_name: usize) -> usize {
    longest_name.min(width * 45 / 100).max(12)
}

/// A glyph and a space; with ids, room for a 5-digit number or a 7-character revision.
fn cell_width(id: Option<BuildLabel>) -> usize {
    match id {
        None => 2,
        Some(BuildLabel::Number) => 7,
        Some(BuildLabel::Revision) => 9,
    }
}

impl Report for WaterfallReport {
    const TITLE: &'static str = "bbreport waterfall";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        text(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        markdown(self, out, settings)
    }
}

/// `Waterfall: 16 builders of 3.x, newest build first`.
fn header(w: &WaterfallReport) -> String {
    let branches: Vec<&str> = w.branches.iter().map(|b| b.name.as_str()).collect();
    format!(
        "Waterfall: {} builders of {}, newest build first",
        w.rows().count(),
        sanitize(&branches.join(", "))
    )
}

/// What a row says after its builds: `(offline)`, `(paused: why)`, and each stale build
/// (`(#5 stale: started 14 h ago, its master is gone)`).
fn row_notes(row: &RowEntry) -> String {
    let mut notes = Vec::new();
    if !row.connected {
        notes.push("(offline)".to_string());
    } else if row.paused {
        notes.push(match &row.pause_reason {
            Some(r) => format!("(paused: {})", sanitize(r)),
            None => "(paused)".to_string(),
        });
    }
    for c in &row.builds {
        if let Some(s) = &c.stale {
            notes.push(format!("(#{} {})", c.number, super::text::stale_text(s)));
        }
    }
    notes.iter().map(|n| format!("  {n}")).collect::<String>()
}

/// What a row shows instead of builds, if anything.
fn instead_of_builds(row: &RowEntry) -> Option<String> {
    match &row.error {
        Some(e) => Some(format!("builds could not be fetched: {}", sanitize(e))),
        None if row.builds.is_empty() => Some("no builds".to_string()),
        None => None,
    }
}

fn text(w: &WaterfallReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let (styles, glyphs, width) = (settings.styles, settings.glyphs, settings.width);
    let longest = w
        .rows()
        .map(|r| display_width(&sanitize(&r.name)))
        .max()
        .unwrap_or(0);
    let name_w = name_column(width, longest);
    for line in fit_line(&header(w), width) {
        writeln!(out, "{line}")?;
    }
    let stale = w.rows().flat_map(|r| &r.builds).any(|c| c.stale.is_some());
    for line in glyphs.legend_lines_for(width, stale) {
        writeln!(out, "{}", styles.dim(&line))?;
    }
    for branch in &w.branches {
        for group in &branch.groups {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                styles.bold(&format!("{}: {}", sanitize(&branch.name), group.label))
            )?;
            for row in &group.builders {
                let name = pad(&elide_end(&sanitize(&row.name), name_w, glyphs), name_w);
                let mut cells = match instead_of_builds(row) {
                    Some(note) if row.error.is_some() => note,
                    Some(note) => styles.dim(&note),
                    None => row
                        .builds
                        .iter()
                        .map(|c| cell(c, w.id, settings))
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                let notes = row_notes(row);
                if !notes.is_empty() {
                    cells.push_str(&styles.dim(&notes));
                }
                writeln!(out, "  {name}  {}", cells.trim_end())?;
            }
        }
    }
    Ok(())
}

fn cell(c: &CellEntry, id: Option<BuildLabel>, settings: &Settings) -> String {
    let glyph = settings.glyphs.outcome(c.outcome());
    let text = match id {
        None => glyph.to_string(),
        Some(kind) => pad(
            &format!("{glyph}{}", label(c, kind)),
            cell_width(Some(kind)) - 1,
        ),
    };
    settings.styles.outcome(c.outcome(), &text)
}

fn markdown(w: &WaterfallReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let glyphs = settings.glyphs;
    writeln!(out, "{}", escape(&header(w)))?;
    writeln!(out)?;
    for branch in &w.branches {
        for group in &branch.groups {
            writeln!(out, "### {}: {}", escape(&branch.name), group.label)?;
            writeln!(out)?;
            writeln!(out, "| Builder | Builds, newest first |")?;
            writeln!(out, "|---|---|")?;
            for row in &group.builders {
                let builds = match instead_of_builds(row) {
                    Some(note) => escape(&note),
                    None => row
                        .builds
                        .iter()
                        .map(|c| {
                            let label = match w.id {
                                Some(kind) => {
                                    format!(
                                        "{}{}",
                                        glyphs.outcome(c.outcome()),
                                        escape(&label(c, kind))
                                    )
                                }
                                None => glyphs.outcome(c.outcome()).to_string(),
                            };
                            format!("[{label}]({})", c.url)
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                let notes = row_notes(row);
                let notes = match notes.trim() {
                    "" => String::new(),
                    n => format!(" {}", escape(n)),
                };
                writeln!(
                    out,
                    "| [{}]({}){notes} | {builds} |",
                    escape(&row.name),
                    row.url,
                )?;
            }
            writeln!(out)?;
        }
    }
    writeln!(out, "{}", glyphs.legend())
}

/// What names a build in a row: its number, or its short revision.
fn label(cell: &CellEntry, label: BuildLabel) -> String {
    match (label, &cell.revision) {
        (BuildLabel::Revision, Some(rev)) => sanitize(rev).chars().take(7).collect(),
        _ => cell.number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ServerUrl;
    use crate::model::classify::Stability;
    use crate::model::status::{BuildResult, Outcome};
    use crate::model::summary::BuildCell;
    use crate::model::waterfall::{Group, Row, Waterfall, WaterfallBranch};
    use crate::render::{Format, Glyphs, keys, to_string};
    use crate::report::header::{DataSource, ReportOrigin};

    fn report(id: Option<BuildLabel>) -> WaterfallReport {
        let cell = |number, outcome| BuildCell {
            buildid: 1000 + u64::from(number),
            number,
            outcome,
            revision: Some(format!("abcdef{number}123")),
            state_string: String::new(),
            started_at: Some(1_795_300_000),
            complete_at: None,
            rerun_of: None,
            stale: None,
        };
        let row = |builderid, name: &str| Row {
            builderid,
            name: name.into(),
            connected: true,
            paused: false,
            pause_reason: None,
            builds: Vec::new(),
            error: None,
        };
        let w = Waterfall {
            branches: vec![WaterfallBranch {
                name: "3.x".into(),
                groups: vec![Group {
                    stability: Stability::Stable,
                    tier: Some(1),
                    rows: vec![
                        Row {
                            builds: vec![
                                cell(2, Outcome::Running),
                                cell(1, Outcome::Finished(BuildResult::Failure)),
                            ],
                            ..row(
                                1,
                                "AMD64 Fedora Stable with a very long name that will not fit 3.x",
                            )
                        },
                        Row {
                            connected: false,
                            ..row(2, "ARM64 macOS 3.x")
                        },
                        Row {
                            error: Some("HTTP 500".into()),
                            ..row(3, "AMD64 Ubuntu 3.x")
                        },
                    ],
                }],
            }],
        };
        let server = ServerUrl::parse("https://buildbot.example/all/").expect("url");
        let origin = ReportOrigin {
            server: &server,
            source: DataSource::Snapshot,
            recorded_at: Some(1_795_000_000),
            now: 1_795_400_000,
        };
        WaterfallReport::new(&w, &origin, id)
    }

    #[test]
    fn markdown_carries_what_text_carries() {
        let r = report(Some(BuildLabel::Number));
        let settings = Settings::plain();
        let text = to_string(&r, Format::Plain, &settings);
        let md = to_string(&r, Format::Markdown, &settings);
        for form in [&text, &md] {
            assert!(
                form.contains("Waterfall: 3 builders of 3.x, newest build first"),
                "{form}"
            );
            assert!(form.contains("3.x: stable, tier-1"), "{form}");
            assert!(
                form.contains("builds could not be fetched: HTTP 500"),
                "{form}"
            );
            assert!(form.contains("no builds"), "{form}");
            assert!(form.contains("(offline)"), "{form}");
            assert!(form.contains("●2") && form.contains("✘1"), "{form}");
        }
        assert!(md.contains("[✘1](https://buildbot.example/all/#/builders/1/builds/1)"));
        let html = to_string(&r, Format::Html, &settings);
        assert!(
            html.contains("builds could not be fetched: HTTP 500"),
            "{html}"
        );
    }

    #[test]
    fn ascii_text_is_pure_ascii() {
        let settings = Settings {
            glyphs: Glyphs { ascii: true },
            width: 40,
            ..Settings::plain()
        };
        for id in [None, Some(BuildLabel::Revision)] {
            let r = report(id);
            for format in [Format::Plain, Format::Table, Format::Markdown] {
                let out = to_string(&r, format, &settings);
                assert!(out.is_ascii(), "{out}");
                if format != Format::Markdown {
                    assert!(
                        out.contains("AMD64 Fedora St..."),
                        "the name is elided: {out}"
                    );
                }
            }
        }
    }

    #[test]
    fn json_keeps_its_field_names() {
        let r = report(None);
        let v: serde_json::Value =
            serde_json::from_str(&to_string(&r, Format::Json, &Settings::plain())).expect("json");
        assert_eq!(
            keys(&v),
            [
                "branches",
                "generated_at",
                "kind",
                "recorded_at",
                "schema_version",
                "server",
                "source"
            ]
        );
        assert_eq!(v["kind"], "waterfall");
        let group = &v["branches"][0]["groups"][0];
        assert_eq!(keys(group), ["builders", "label", "stability", "tier"]);
        let row = &group["builders"][0];
        assert_eq!(
            keys(row),
            [
                "builderid",
                "builds",
                "connected",
                "error",
                "name",
                "pause_reason",
                "paused",
                "url"
            ]
        );
        assert_eq!(
            keys(&row["builds"][0]),
            [
                "buildid",
                "number",
                "rerun_of",
                "result",
                "revision",
                "running",
                "stale",
                "started_at",
                "url"
            ]
        );
        assert_eq!(row["builds"][0]["running"], true);
        assert_eq!(row["builds"][1]["result"], "failure");
    }

    #[test]
    fn more_builds_fit_a_wider_terminal() {
        let narrow = builds_that_fit(80, 39, None);
        let wide = builds_that_fit(120, 39, None);
        assert!(narrow >= 10 && wide > narrow, "{narrow} {wide}");
        assert!(builds_that_fit(80, 39, Some(BuildLabel::Revision)) < narrow);
        assert_eq!(builds_that_fit(20, 60, None), 1);
    }
}
