//! Everything a command needs that the command line, config and environment decided.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::api::{HttpClient, ServerUrl, Snapshot};
use crate::cache::{Cache, location};
use crate::config::{self, Config};
use crate::error::Error;
use crate::fetch::{Live, Source};
use crate::global::{DEFAULT_SERVER, GlobalArgs};
use crate::model::classify::TagRules;
use crate::output::{self, OutputSettings, TermEnv};
use crate::render::text::{format_age, format_time, human_bytes};
use crate::report::header::{DataSource, ReportOrigin};

const DEFAULT_TIMEOUT_SECS: u64 = 30;

#[derive(Debug)]
pub struct Context {
    pub source: Source,
    /// The master the data belongs to (for a snapshot: where it was recorded), for links.
    pub server: ServerUrl,
    pub data_source: DataSource,
    /// For snapshot and `--offline` runs: when the data was read from the server (Unix seconds).
    pub recorded_at: Option<i64>,
    /// Why this run has no cache though it wanted one (`--since-last-run` needs it).
    pub cache_unavailable: Option<NoCache>,
    pub config: Config,
    pub config_path: Option<PathBuf>,
    pub tag_rules: TagRules,
    pub known_issues: crate::model::known_issues::KnownIssues,
    pub output: OutputSettings,
    /// Unix seconds when the run started; read once here so the rest of the program is
    /// clock-free. `watch`, which runs for hours, asks [`Context::clock_now`].
    pub now: i64,
    /// When `now` was read, for [`Context::clock_now`].
    started: std::time::Instant,
    pub show_stats: bool,
    /// A snapshot run's reader of its recorded steps and logs (`Live::recorded`); `None` for a
    /// live run and for a format-1 snapshot, which records none.
    snapshot_reader: Option<Live>,
}

impl Context {
    /// `reads_through_cache`: whether the command reads through the local cache (see
    /// `Cli::reads_through_cache`).
    pub fn new(global: &GlobalArgs, reads_through_cache: bool) -> Result<Context, Error> {
        let (config, config_path) = config::load(global.config.as_deref())?;
        let tag_rules = config.tag_rules(config_path.as_deref())?;
        let known_issues = config::known_issues(&config, config_path.as_deref())?;
        let output = output::decide(global, &TermEnv::from_process(), config.color, config.ascii);
        let now = now();
        let origin =
            DataOrigin::decide(global, |k| std::env::var(k).ok().filter(|v| !v.is_empty()))?;
        let mut cache_unavailable = None;
        let mut snapshot_reader = None;
        let (source, server, data_source, recorded_at) = match &origin.snapshot {
            Some(dir) => {
                let snap = Snapshot::load(dir).map_err(|e| Error::Snapshot {
                    path: e.path,
                    message: e.message,
                    hint: Some("record one with `bbreport --server URL snapshot DIR`; the repository ships tests/fixtures/snapshot".into()),
                })?;
                let server = ServerUrl::parse(&snap.meta.server).map_err(|m| Error::Snapshot {
                    path: dir.clone(),
                    message: format!("meta.json: bad server URL: {m}"),
                    hint: None,
                })?;
                let recorded_at = snap.meta.recorded_at;
                let snap = Arc::new(snap);
                if snap.records_triage() {
                    snapshot_reader = Some(Live::recorded(snap.clone())?);
                }
                (
                    Source::Snapshot(snap),
                    server,
                    DataSource::Snapshot,
                    Some(recorded_at),
                )
            }
            None => {
                let (raw, from) = match (&origin.server, &config.server) {
                    (Some((s, from)), _) => (s.clone(), *from),
                    (None, Some(s)) => (s.clone(), "the config's server"),
                    (None, None) => (DEFAULT_SERVER.to_string(), "--server"),
                };
                let server = ServerUrl::parse(&raw).map_err(|m| match &config_path {
                    Some(path) if origin.server.is_none() => Error::Config {
                        path: path.clone(),
                        message: format!("server: {m}"),
                    },
                    _ => Error::usage(
                        format!("invalid {from}: {m}"),
                        Some(
                            "give the master's web root, e.g. https://buildbot.python.org/all/"
                                .to_string(),
                        ),
                    ),
                })?;
                let timeout = global
                    .timeout
                    .or(config.timeout)
                    .unwrap_or(DEFAULT_TIMEOUT_SECS);
                let client = HttpClient::new(server.clone(), Duration::from_secs(timeout))?;
                // `cache` manages the files itself; `snapshot` records what the server says now.
                let wants_cache = !global.no_cache && reads_through_cache;
                let offline = global.offline;
                let cache = if wants_cache {
                    match open_cache(&server, offline)? {
                        Ok(cache) => Some(cache),
                        Err(why) => {
                            cache_unavailable = Some(why);
                            None
                        }
                    }
                } else {
                    None
                };
                // The cache's time is when it last caught up with the server. One that never
                // has may still hold what `build` or `repro` read (finished builds, their steps
                // and logs); a report that needs more says what is missing.
                let (data_source, recorded_at) = match &cache {
                    Some(cache) if offline => {
                        (DataSource::Cache, cache.watermark().map(|(_, at)| at))
                    }
                    _ => (DataSource::Live, None),
                };
                // BBREPORT_TOKEN wins over the config's `token`; neither is ever printed.
                let token = std::env::var("BBREPORT_TOKEN")
                    .ok()
                    .filter(|t| !t.is_empty())
                    .map(crate::api::Secret::new)
                    .or_else(|| config.token.clone());
                let client = client.with_auth(token.as_ref().map(crate::api::Auth::from_token));
                (
                    Source::Live(Live::new(client, cache, offline, now)),
                    server,
                    data_source,
                    recorded_at,
                )
            }
        };
        let progress = std::io::IsTerminal::is_terminal(&std::io::stderr())
            && !global.no_progress
            && data_source == DataSource::Live;
        crate::stderr::configure(progress, server.root());
        // Said first, as it also explains a failure to find something in the cache. A
        // snapshot's age is said with its report (`output::write_report`).
        match (data_source, recorded_at) {
            (DataSource::Cache, Some(at)) => crate::stderr::note(&format!(
                "offline: showing the cache as of {} ({} ago)",
                format_time(at),
                format_age(now - at)
            )),
            (DataSource::Cache, None) => crate::stderr::note(
                "offline: showing the cache, which holds only builds `build` or `repro` read",
            ),
            _ => {}
        }
        Ok(Context {
            source,
            cache_unavailable,
            server,
            data_source,
            recorded_at,
            config,
            config_path,
            tag_rules,
            known_issues,
            output,
            now,
            started: std::time::Instant::now(),
            show_stats: global.stats,
            snapshot_reader,
        })
    }

    /// What reads builds' steps and logs: the live master, or a snapshot's recorded answers
    /// (format 2 on). A format-1 snapshot records none: `Error::Snapshot` (exit 7).
    pub fn live(&self, what: &str) -> Result<&Live, Error> {
        match (&self.source, &self.snapshot_reader) {
            (Source::Live(live), _) => Ok(live),
            (Source::Snapshot(_), Some(reader)) => Ok(reader),
            (Source::Snapshot(s), None) => Err(crate::fetch::no_triage(s, what)),
        }
    }

    /// How many builds per builder a command may read. A live server has all its history.
    /// A snapshot holds only what it recorded: an explicit request for more (an option typed,
    /// or the config's key) is an error, never a silently shorter report; a default is capped
    /// at what was recorded (the caller says so where it changes a judgement).
    pub fn history_limit(&self, wanted: usize, asked: Asked<'_>) -> Result<usize, Error> {
        let Source::Snapshot(s) = &self.source else {
            return Ok(wanted);
        };
        let recorded = s.meta.builds_per_builder;
        if s.covers(wanted) {
            return Ok(wanted);
        }
        let (what, flag) = match asked {
            Asked::Default => return Ok(recorded),
            Asked::Flag(flag) => (format!("{flag} {wanted}"), flag),
            Asked::Config { key, flag } => (
                match &self.config_path {
                    Some(path) => format!("{key} = {wanted} in {}", path.display()),
                    None => format!("the config's {key} = {wanted}"),
                },
                flag,
            ),
        };
        Err(Error::Snapshot {
            path: s.dir.clone(),
            message: format!("it holds {recorded} builds per builder, fewer than {what}"),
            hint: Some(format!(
                "use {flag} {recorded} or less, or record a deeper snapshot: \
                 bbreport --server URL snapshot DIR --builds {wanted}"
            )),
        })
    }

    pub fn origin(&self) -> ReportOrigin<'_> {
        ReportOrigin {
            server: &self.server,
            source: self.data_source,
            recorded_at: self.recorded_at,
            now: self.now,
        }
    }

    /// When the data was read from the server: a snapshot's or the cache's (`--offline`) time,
    /// else now. Running builds' ages count to it (`crate::model::stale`).
    pub fn data_time(&self) -> i64 {
        self.recorded_at.unwrap_or(self.now)
    }

    /// The run's clock now: `now` plus the time elapsed since (so `BBREPORT_NOW` fixes the start
    /// of a long `watch` too). Unix seconds.
    pub fn clock_now(&self) -> i64 {
        self.now + i64::try_from(self.started.elapsed().as_secs()).unwrap_or(i64::MAX / 2)
    }

    /// Read the master's Buildbot version, for the `--stats` / `-v` line (one request unless
    /// this run or the cache already knows it; none from a snapshot or `--offline`).
    pub async fn read_server_version(&self) {
        self.source.prefetch_server_version().await;
    }

    /// One line for `--stats` / `-v`.
    pub fn stats_line(&self) -> String {
        match &self.source {
            Source::Snapshot(s) => format!(
                "bbreport: 0 requests (snapshot {}, recorded {} from {})",
                s.dir.display(),
                format_time(s.meta.recorded_at),
                s.meta.server
            ),
            Source::Live(c) => {
                let st = c.stats().snapshot();
                let retries = match st.retries {
                    0 => String::new(),
                    1 => " (1 was a retry)".to_string(),
                    n => format!(" ({n} were retries)"),
                };
                let cache = match c.cache() {
                    Some(cache) => format!(
                        "; {} answered by the cache {}{}",
                        st.cache_hits,
                        cache.path().display(),
                        if c.is_offline() { " (offline)" } else { "" }
                    ),
                    None => "; no cache".to_string(),
                };
                // Read for this line beside the first requests (`read_server_version`); unknown
                // when the master does not say.
                let version = c
                    .known_server_version()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default();
                format!(
                    "bbreport: {} requests{retries} to {}{version}, {} received ({} of JSON), {:.2} s waiting{cache}",
                    st.requests,
                    self.server.root(),
                    human_bytes(st.wire_bytes),
                    human_bytes(st.json_bytes),
                    st.wait_ms as f64 / 1000.0
                )
            }
        }
    }
}

/// Who asked for a number of builds per builder ([`Context::history_limit`]).
#[derive(Debug, Clone, Copy)]
pub enum Asked<'a> {
    /// The command's default.
    Default,
    /// An option typed on the command line (`--limit`).
    Flag(&'a str),
    /// A key of the config file (`limit`), and the option that overrides it.
    Config { key: &'a str, flag: &'a str },
}

/// Where the data comes from, from the command line and the environment (the config's
/// `server` comes after both): a flag typed on the command line wins over the environment.
#[derive(Debug, Default, PartialEq)]
struct DataOrigin {
    snapshot: Option<PathBuf>,
    /// The URL and where it came from (`--server` or `BBREPORT_SERVER`).
    server: Option<(String, &'static str)>,
}

impl DataOrigin {
    fn decide(g: &GlobalArgs, env: impl Fn(&str) -> Option<String>) -> Result<DataOrigin, Error> {
        if let Some(dir) = &g.snapshot {
            return Ok(DataOrigin {
                snapshot: Some(dir.clone()),
                server: None,
            });
        }
        if let Some(url) = &g.server {
            return Ok(DataOrigin {
                snapshot: None,
                server: Some((url.clone(), "--server")),
            });
        }
        // Nothing typed: the environment. --offline reads the cache, never a snapshot.
        let snapshot = env("BBREPORT_SNAPSHOT").filter(|_| !g.offline);
        let server = env("BBREPORT_SERVER");
        match (snapshot, server) {
            (Some(_), Some(_)) => Err(Error::usage(
                "BBREPORT_SNAPSHOT and BBREPORT_SERVER are both set",
                Some("unset one, or choose on the command line with --snapshot or --server".into()),
            )),
            (Some(dir), None) => Ok(DataOrigin {
                snapshot: Some(PathBuf::from(dir)),
                server: None,
            }),
            (None, server) => Ok(DataOrigin {
                snapshot: None,
                server: server.map(|s| (s, "BBREPORT_SERVER")),
            }),
        }
    }
}

/// Why a run that wanted the local cache goes on without one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoCache {
    /// None of BBREPORT_CACHE_DIR, XDG_CACHE_HOME and HOME is set.
    NoDirectory,
    /// The cache file could not be opened or created.
    Unusable { path: PathBuf, message: String },
}

/// Open this server's cache, or say why the run goes on without one (after a warning). With
/// `--offline`, a missing or unusable cache is an error: there is nothing else to read.
fn open_cache(server: &ServerUrl, offline: bool) -> Result<Result<Arc<Cache>, NoCache>, Error> {
    let Some(dir) = location::cache_dir(|k| std::env::var(k).ok()) else {
        if offline {
            return Err(Error::usage(
                "--offline needs a cache directory, and none is known",
                Some("set BBREPORT_CACHE_DIR, XDG_CACHE_HOME or HOME".to_string()),
            ));
        }
        return Ok(Err(NoCache::NoDirectory));
    };
    let path = dir.join(location::file_name(server.root()));
    if offline && !path.exists() {
        return Err(offline_error(
            &path,
            "there is no cache for this server yet",
        ));
    }
    match Cache::open(&path, server.root()) {
        Ok((cache, warnings)) => {
            for w in warnings {
                crate::stderr::warn(&w);
            }
            Ok(Ok(Arc::new(cache)))
        }
        Err(e) if offline => Err(offline_error(&path, &e.to_string())),
        Err(e) => {
            crate::stderr::warn(&format!(
                "{e}; going on without it (set BBREPORT_CACHE_DIR, or pass --no-cache)"
            ));
            let message = match e {
                crate::cache::CacheError::Unavailable { message, .. } => message,
            };
            Ok(Err(NoCache::Unusable { path, message }))
        }
    }
}

fn offline_error(path: &std::path::Path, message: &str) -> Error {
    Error::Cache {
        path: path.to_path_buf(),
        message: message.to_string(),
        hint: Some("run once without --offline to fill it".into()),
    }
}

/// The clock, read once. `BBREPORT_NOW` (Unix seconds) fixes it, so tests of ages and times
/// do not drift with the calendar; it is not meant for users.
pub fn now() -> i64 {
    std::env::var("BBREPORT_NOW")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().timestamp())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn decide(args: &[&str], env: &[(&str, &str)]) -> Result<DataOrigin, String> {
        let cli = Cli::try_parse_from(std::iter::once("bbreport").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        DataOrigin::decide(&cli.global, |k| {
            env.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn a_typed_flag_wins_over_the_environment() {
        let server = [("BBREPORT_SERVER", "http://env/")];
        let snap = [("BBREPORT_SNAPSHOT", "/env/snap")];
        assert_eq!(
            decide(&["--snapshot", "d"], &server)
                .expect("snapshot wins")
                .snapshot,
            Some(PathBuf::from("d"))
        );
        assert_eq!(
            decide(&["--server", "http://flag/"], &snap).expect("server wins"),
            DataOrigin {
                snapshot: None,
                server: Some(("http://flag/".into(), "--server"))
            }
        );
        assert_eq!(
            decide(&[], &server).expect("env").server,
            Some(("http://env/".into(), "BBREPORT_SERVER"))
        );
        assert_eq!(
            decide(&["--offline"], &snap).expect("offline"),
            DataOrigin::default()
        );
        let both = [snap[0], server[0]];
        assert!(
            decide(&[], &both)
                .expect_err("ambiguous")
                .contains("both set")
        );
        assert!(decide(&["--snapshot", "d", "--server", "http://x/"], &[]).is_err());
    }
}
