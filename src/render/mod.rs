//! Render layer: synchronous writers of view models into `&mut dyn Write`.
//!
//! The only users of owo-colors; tables are laid out by `grid`. Colour arrives decided, as
//! [`Styles`].

pub mod build;
mod cache_info;
mod console;
mod digest;
pub mod failures;
mod grid;
pub mod html;
mod markdown;
mod release;
pub mod repro;
mod styles;
mod summary;
pub mod symbols;
pub mod text;
mod watch;
pub(crate) mod waterfall;

pub use styles::Styles;
pub use symbols::Glyphs;

use std::io::{self, Write};

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
pub trait Report: serde::Serialize {
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
    match format {
        Format::Plain => report.plain(out, settings),
        Format::Table => report.table(out, settings),
        Format::Markdown => report.markdown(out, &markdown_settings(settings)),
        Format::Html => html::from_markdown(out, R::TITLE, |md| {
            report.markdown(md, &markdown_settings(settings))
        }),
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
