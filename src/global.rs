//! The options every command shares (`--server`, `--format`, `--color`, …): declared here
//! rather than in `cli.rs` so that what reads them (`context`, `output`) does not depend on
//! the command-line definition, which depends on every verb.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::config::ColorChoice;

pub const DEFAULT_SERVER: &str = "https://buildbot.python.org/all/";

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Buildbot master to read, its web root or API root
    ///
    /// Else BBREPORT_SERVER, else the config file's `server`, else
    /// <https://buildbot.python.org/all/>. A flag on the command line wins over the environment,
    /// which wins over the config. Credentials do not go in the URL: see the config's `token`.
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,

    /// Read a recorded snapshot directory instead of a server (no network)
    ///
    /// `bbreport snapshot DIR` records one. The repository ships one in tests/fixtures/snapshot.
    /// Also BBREPORT_SNAPSHOT, unless --server or --offline is on the command line.
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "server")]
    pub snapshot: Option<PathBuf>,

    /// Configuration file
    ///
    /// Default: $XDG_CONFIG_HOME/bbreport/config.toml, else ~/.config/bbreport/config.toml
    /// (read if present). Keys: server, branches, limit, timeout, known_issues, token, color,
    /// ascii, and `[tags]` and `[release]` tables (README.md shows them all). BBREPORT_TOKEN
    /// overrides `token`:
    /// user:password logs in to Buildbot's own auth, anything else is sent as a bearer token.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "BBREPORT_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,

    /// Output format
    ///
    /// `auto` is a table on a terminal and plain text otherwise. `json` follows bbreport's own
    /// versioned schema (schema_version 1), documented in README.md. `markdown` suits a release
    /// checklist, an issue or a mail; `html` is one self-contained page with inline styles and
    /// no scripts, for mail clients.
    #[arg(long, global = true, value_name = "FORMAT", default_value = "auto")]
    pub format: FormatChoice,

    /// When to colour the output [default: the config's `color`, else auto]
    ///
    /// `auto` colours a terminal unless NO_COLOR is set or TERM=dumb; CLICOLOR_FORCE forces it.
    #[arg(long, global = true, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// Same as --color never
    #[arg(long, global = true)]
    pub no_color: bool,

    /// ASCII symbols, rules and ellipses in every text report instead of ✔ ⚠ ✘ ─ …
    ///
    /// Also the config's `ascii = true`, and automatic when the locale is not UTF-8.
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Also print the web link of each builder (or of its failing build) in text reports
    ///
    /// Markdown, HTML and JSON always carry links. On a terminal, builder names are also OSC 8
    /// hyperlinks (set BBREPORT_HYPERLINKS=0 to turn them off, 1 to force them).
    #[arg(long, global = true)]
    pub url: bool,

    /// Deadline in seconds for each request, retries included (default 30, or the config's `timeout`)
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,

    /// Print on stderr how many requests and bytes the run used, and the master's Buildbot version
    ///
    /// The version is read beside the command's first requests (one request, none while the
    /// cache holds it, a day).
    #[arg(long, global = true)]
    pub stats: bool,

    /// Neither read nor write the local cache
    ///
    /// By default finished builds, the builders list and immutable logs are kept in
    /// $BBREPORT_CACHE_DIR, else $XDG_CACHE_HOME/bbreport, else ~/.cache/bbreport (one SQLite file
    /// per server), and each run fetches only what is new or still running.
    #[arg(long, global = true, conflicts_with_all = ["offline", "snapshot"])]
    pub no_cache: bool,

    /// Answer from the local cache only, without any request; says how old it is
    ///
    /// What the cache does not hold is reported as missing (exit code 7 when nothing can be
    /// shown, 6 when some builders are missing).
    #[arg(long, global = true, conflicts_with = "snapshot")]
    pub offline: bool,

    /// Never show the progress line on stderr
    ///
    /// It appears only on a terminal, once a fetch has taken over 0.4 s. (-q/--quiet is the
    /// summary's one-line-per-builder report, as in the old bbreport.)
    #[arg(long, global = true)]
    pub no_progress: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatChoice {
    Auto,
    Table,
    Plain,
    Json,
    Markdown,
    Html,
}
