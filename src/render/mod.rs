//! Render layer: synchronous writers of view models into `&mut dyn Write`.
//!
//! The only users of owo-colors; tables are laid out by `grid`. Colour arrives decided, as
//! [`Styles`].

pub mod build;
mod cache_info;
mod commit;
mod console;
mod digest;
pub mod failures;
mod grid;
pub mod html;
mod log;
mod markdown;
mod pull_request;
mod release;
pub mod repro;
mod styles;
mod summary;
pub mod symbols;
mod test_health;
mod test_history;
pub mod text;
mod watch;
pub(crate) mod waterfall;

pub use styles::Styles;
pub use symbols::Glyphs;

use std::io::{self, Write};

use crate::report::header::{DataSource, Provenance};

/// The output formats (`--format`; `auto` is decided into `Table` or `Plain` in `output.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table fitted to the terminal, with the release dashboard's glyphs.
    Table,
    /// The old bbreport's plain text, for pipes, cron mail and `grep`.
    Plain,
    /// bbreport's own versioned schema: the report struct, serialised.
    Json,
    Markdown,
    /// One email-ready HTML document with inline styles (made from the markdown).
    Html,
}

/// How text is drawn, decided once per run (`output::decide`) and handed to every renderer.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub styles: Styles,
    /// ASCII symbols, rules and ellipses, or the dashboard's glyphs.
    pub glyphs: Glyphs,
    /// Columns available (tables, legends, elisions).
    pub width: usize,
    /// `--url`: text reports print each builder's web link.
    pub urls: bool,
}

impl Settings {
    /// No colour, Unicode glyphs, 100 columns: what unit tests of renderers use.
    #[cfg(test)]
    pub fn plain() -> Settings {
        Settings {
            styles: Styles::plain(),
            glyphs: Glyphs { ascii: false },
            width: 100,
            urls: false,
        }
    }
}

/// A report that can be written in every format. The struct is the JSON schema; its text,
/// table and markdown forms read the same fields (HTML is made from the markdown).
pub trait Report: serde::Serialize + Provenance {
    /// The HTML document's title.
    const TITLE: &'static str;

    /// Plain text (also what `--format table` gets unless [`Report::table`] is overridden).
    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()>;

    /// A table for a terminal.
    fn table(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        self.plain(out, settings)
    }

    /// Markdown, for issues, mail and the HTML form.
    fn markdown(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()>;

    /// JSON on one line (a stream of events, one per line) instead of pretty-printed.
    fn json_lines(&self) -> bool {
        false
    }
}

/// Write `report` in `format`: the one place that chooses between the formats.
pub fn write<R: Report>(
    report: &R,
    format: Format,
    out: &mut dyn Write,
    settings: &Settings,
) -> io::Result<()> {
    let lines = provenance_lines(report);
    let markdown = |md: &mut dyn Write| -> io::Result<()> {
        for line in &lines {
            writeln!(md, "_{}_", markdown::escape(line))?;
            writeln!(md)?;
        }
        report.markdown(md, &markdown_settings(settings))
    };
    match format {
        Format::Plain | Format::Table => {
            for line in &lines {
                for part in text::wrap_words(&text::sanitize(line), settings.width, 2) {
                    writeln!(out, "{part}")?;
                }
            }
            match format {
                Format::Table => report.table(out, settings),
                _ => report.plain(out, settings),
            }
        }
        Format::Markdown => markdown(out),
        Format::Html => html::from_markdown(out, R::TITLE, markdown),
        Format::Json => {
            if report.json_lines() {
                serde_json::to_writer(&mut *out, report)?;
            } else {
                serde_json::to_writer_pretty(&mut *out, report)?;
            }
            writeln!(out)
        }
    }
}

/// What every format but JSON says above the report: when data that was not read from the
/// server just now was recorded (a snapshot, `--offline`), and the report's own notes on its
/// data. JSON carries the same facts in its fields.
fn provenance_lines(report: &dyn Provenance) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(h) = report.header() {
        let offline = match h.data_source() {
            DataSource::Live => None,
            DataSource::Snapshot => Some(""),
            DataSource::Cache => Some(" (--offline)"),
        };
        if let Some(offline) = offline {
            lines.push(match h.recorded_at {
                Some(at) => format!(
                    "Data recorded {} ({} ago) from {}{offline}",
                    text::format_time(at),
                    text::format_age(h.generated_at - at),
                    h.server
                ),
                None => format!("Data from {}, as earlier runs cached it{offline}", h.server),
            });
        }
    }
    lines.extend(report.data_notes());
    lines
}

/// What stderr says before a report is written, whatever its format: how old a snapshot's data
/// is, and the report's notes on its data, as fragments. (`--offline` says its age as the run
/// starts, in `context`.)
pub fn stderr_notes(report: &dyn Provenance) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(h) = report.header()
        && h.data_source() == DataSource::Snapshot
        && let Some(at) = h.recorded_at
    {
        notes.push(format!(
            "snapshot: showing data recorded {} ({} ago) from {}",
            text::format_time(at),
            text::format_age(h.generated_at - at),
            h.server
        ));
    }
    for note in report.data_notes() {
        let mut chars = note.chars();
        let lower: String = chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default();
        notes.push(lower.trim_end_matches('.').to_string());
    }
    notes
}

/// `report` in `format`, as a string (unit tests of renderers).
#[cfg(test)]
pub fn to_string<R: Report>(report: &R, format: Format, settings: &Settings) -> String {
    let mut out = Vec::new();
    write(report, format, &mut out, settings).expect("writing to memory");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// The keys of a JSON object, sorted (unit tests of schemas).
#[cfg(test)]
pub fn keys(v: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// Markdown is read by programs and mail clients: never escape codes, and the glyphs the
/// settings chose.
fn markdown_settings(settings: &Settings) -> Settings {
    Settings {
        styles: Styles::plain(),
        ..*settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::header::JsonHeader;

    #[derive(serde::Serialize)]
    struct Tiny {
        #[serde(flatten)]
        header: JsonHeader,
    }

    impl Provenance for Tiny {
        fn header(&self) -> Option<&JsonHeader> {
            Some(&self.header)
        }
        fn data_notes(&self) -> Vec<String> {
            vec!["Judged from fewer builds than usual.".into()]
        }
    }

    impl Report for Tiny {
        const TITLE: &'static str = "tiny";
        fn plain(&self, out: &mut dyn Write, _: &Settings) -> io::Result<()> {
            writeln!(out, "the report")
        }
        fn markdown(&self, out: &mut dyn Write, _: &Settings) -> io::Result<()> {
            writeln!(out, "## the report")
        }
    }

    fn tiny(source: &'static str, recorded_at: Option<i64>) -> Tiny {
        Tiny {
            header: JsonHeader {
                schema_version: 1,
                kind: "tiny",
                server: "http://m/".into(),
                source,
                recorded_at,
                // 8 days and 2 hours later.
                generated_at: 1_795_325_579 + 8 * 86_400 + 7_200,
            },
        }
    }

    #[test]
    fn every_format_but_json_says_when_offline_data_was_recorded() {
        let settings = Settings::plain();
        let snap = tiny("snapshot", Some(1_795_325_579));
        let line = "Data recorded 2026-11-22 05:32 UTC (8 days ago) from http://m/";
        assert_eq!(
            to_string(&snap, Format::Plain, &settings),
            format!("{line}\nJudged from fewer builds than usual.\nthe report\n")
        );
        assert!(to_string(&snap, Format::Table, &settings).starts_with(line));
        assert!(
            to_string(&snap, Format::Markdown, &settings).starts_with(&format!(
                "_{line}_\n\n_Judged from fewer builds than usual._\n\n## the report"
            ))
        );
        assert!(to_string(&snap, Format::Html, &settings).contains(line));
        assert!(!to_string(&snap, Format::Json, &settings).contains("Data recorded"));
        let cached = tiny("cache", Some(1_795_325_579));
        assert!(
            to_string(&cached, Format::Plain, &settings)
                .starts_with(&format!("{line} (--offline)\n"))
        );
        assert_eq!(
            stderr_notes(&snap),
            [
                "snapshot: showing data recorded 2026-11-22 05:32 UTC (8 days ago) from http://m/",
                "judged from fewer builds than usual"
            ]
        );
        // Live data is read now: only the notes.
        assert_eq!(
            to_string(&tiny("live", None), Format::Plain, &settings),
            "Judged from fewer builds than usual.\nthe report\n"
        );
    }
}
