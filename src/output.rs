//! How output looks, decided once per run: format, colour, width.

use std::io::{self, BufWriter, IsTerminal, Write};

use crate::config::ColorChoice;
use crate::error::Error;
use crate::global::{FormatChoice, GlobalArgs};
use crate::render::Styles;

pub use crate::render::Format;

#[derive(Debug, Clone)]
pub struct OutputSettings {
    pub format: Format,
    pub styles: Styles,
    /// `--url`: text reports print each builder's web link.
    pub urls: bool,
    /// ASCII symbols instead of Unicode glyphs (config `ascii`, or a non-UTF-8 locale).
    pub ascii: bool,
    /// Columns available to the table.
    pub width: usize,
    /// The format is laid out to `width` (table, plain text); JSON, markdown and HTML are not,
    /// so a report sized by the terminal takes its fixed default there.
    pub width_bound: bool,
}

/// The environment variables colour and width depend on, read once (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct TermEnv {
    pub no_color: bool,
    pub clicolor_force: bool,
    pub term_dumb: bool,
    pub columns: Option<usize>,
    /// `BBREPORT_HYPERLINKS`: `Some(false)` for 0, `Some(true)` for any other value.
    pub hyperlinks: Option<bool>,
    /// The Linux virtual console shows OSC 8 as garbage.
    pub term_linux: bool,
}

impl TermEnv {
    pub fn from_process() -> TermEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        TermEnv {
            no_color: set("NO_COLOR"),
            clicolor_force: std::env::var("CLICOLOR_FORCE")
                .is_ok_and(|v| !v.is_empty() && v != "0"),
            term_dumb: std::env::var("TERM").is_ok_and(|t| t == "dumb"),
            hyperlinks: std::env::var("BBREPORT_HYPERLINKS")
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| v != "0"),
            term_linux: std::env::var("TERM").is_ok_and(|t| t == "linux"),
            columns: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .filter(|c| *c > 0),
        }
    }
}

/// `config_color` and `config_ascii` are the config file's `color` and `ascii`.
pub fn decide(
    global: &GlobalArgs,
    env: &TermEnv,
    config_color: Option<ColorChoice>,
    config_ascii: bool,
) -> OutputSettings {
    let tty = std::io::stdout().is_terminal();
    let format = match global.format {
        FormatChoice::Auto if tty => Format::Table,
        FormatChoice::Auto | FormatChoice::Plain => Format::Plain,
        FormatChoice::Table => Format::Table,
        FormatChoice::Json => Format::Json,
        FormatChoice::Markdown => Format::Markdown,
        FormatChoice::Html => Format::Html,
    };
    // A flag typed wins over the environment, which wins over the config (README).
    let from_env = if env.no_color {
        Some(ColorChoice::Never)
    } else if env.clicolor_force {
        Some(ColorChoice::Always)
    } else {
        None
    };
    let color_choice = if global.no_color {
        ColorChoice::Never
    } else {
        global
            .color
            .or(from_env)
            .or(config_color)
            .unwrap_or(ColorChoice::Auto)
    };
    // JSON and markdown are read by programs and other renderers: never escape codes.
    let colour = matches!(format, Format::Table | Format::Plain)
        && match color_choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !env.no_color && (env.clicolor_force || (tty && !env.term_dumb)),
        };
    let width = env
        .columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(80)
        .clamp(40, 1000);
    // OSC 8 hyperlinks: on terminals that get colour (not the Linux console), unless
    // BBREPORT_HYPERLINKS says otherwise; never in JSON, markdown or HTML.
    let links = matches!(format, Format::Table | Format::Plain)
        && env
            .hyperlinks
            .unwrap_or(colour && tty && !env.term_linux && !env.term_dumb);
    let ascii = global.ascii || config_ascii || !utf8_locale();
    OutputSettings {
        format,
        styles: Styles::new(colour).with_links(links),
        urls: global.url,
        ascii,
        width,
        width_bound: matches!(format, Format::Table | Format::Plain),
    }
}

/// The settings of a command that reads no server (`log`): the config file's `color` and
/// `ascii` apply as for every report; an invalid config file is an error, as everywhere.
pub fn local_settings(global: &GlobalArgs) -> Result<OutputSettings, Error> {
    let (config, _) = crate::config::load(global.config.as_deref())?;
    Ok(decide(
        global,
        &TermEnv::from_process(),
        config.color,
        config.ascii,
    ))
}

impl OutputSettings {
    /// What the renderers need to draw text.
    pub fn render_settings(&self) -> crate::render::Settings {
        crate::render::Settings {
            styles: self.styles,
            glyphs: crate::render::Glyphs { ascii: self.ascii },
            width: self.width,
            urls: self.urls,
        }
    }
}

/// Write a report to stdout in the run's format (see [`crate::render::write`]).
pub fn write_report<R: crate::render::Report>(
    report: &R,
    settings: &OutputSettings,
) -> Result<(), Error> {
    for note in crate::render::stderr_notes(report) {
        crate::stderr::note(&note);
    }
    write_stdout(|out| {
        crate::render::write(report, settings.format, out, &settings.render_settings())
    })
}

/// Write a stream's reports (`watch` events), in order, to stdout in the run's format: one
/// buffered write, nothing when there are none.
pub fn write_reports<R: crate::render::Report>(
    reports: &[R],
    settings: &OutputSettings,
) -> Result<(), Error> {
    if reports.is_empty() {
        return Ok(());
    }
    let render_settings = settings.render_settings();
    write_stdout(|out| {
        reports
            .iter()
            .try_for_each(|r| crate::render::write(r, settings.format, out, &render_settings))
    })
}

/// Write a report to stdout, buffered. A reader that went away (`bbreport … | head`) is not a
/// failure of ours: the run ends quietly with the exit code the report had.
pub fn write_stdout(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    crate::stderr::clear_progress();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match render(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        _ => Ok(()),
    }
}

/// Whether the locale promises UTF-8 (the first of LC_ALL, LC_CTYPE, LANG that is set decides;
/// none set counts as UTF-8, as on most terminals today).
pub fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_none_or(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}
