//! Argument groups several verbs share, declared once so that their flags, help and checks
//! agree everywhere.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::context::Context;
use crate::error::Error;
use crate::fetch::{Live, Source};
use crate::model::repro::{BISECT_OUTPUT_FILE, ReproMode, ReproPlan};
use crate::render::text::sanitize;

/// `-n/--name GLOB`: which builders a report covers, by name.
#[derive(Debug, Clone, Default, Args)]
pub struct NameFilter {
    /// Only builders whose name matches GLOB (case-insensitive; * ? [..])
    #[arg(short = 'n', long = "name", value_name = "GLOB")]
    pub name: Option<String>,
}

impl NameFilter {
    pub fn as_deref(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// `--out DIR` of `repro` and `log`: where a run's replay files go.
#[derive(Debug, Clone, Default, Args)]
pub struct ReplayOut {
    /// Write the test order and its bisect halves to files in DIR (created if missing):
    /// tests-order.txt, bisect-half1.txt, bisect-half2.txt, each a --fromfile list ending with
    /// the failing test; the report then prints `python -m test --fromfile DIR/…` commands
    /// instead of the lists. A -jN run's bisect_cmd writes DIR/bisect.txt. A DIR that cannot be
    /// written (a file, no permission) is exit code 9, before anything is read
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl ReplayOut {
    /// `--out DIR` as an absolute path (regrtest reads `--fromfile` relative to the directory
    /// it starts in, the checkout, not where bbreport ran), once it is known to be writable:
    /// DIR, or the nearest directory above it that exists, is a directory where a file can be
    /// created (a probe file, removed at once). Nothing is created. Errors: [`Error::LocalFiles`]
    /// (exit 9) for a DIR that is a file, or under one, or not writable.
    pub fn check(&self) -> Result<Option<PathBuf>, Error> {
        let Some(dir) = &self.out else {
            return Ok(None);
        };
        let abs = std::path::absolute(dir).map_err(|e| out_error(dir, &e))?;
        let existing = abs
            .ancestors()
            .find(|p| p.symlink_metadata().is_ok())
            .unwrap_or(Path::new("/"));
        if !existing.is_dir() {
            return Err(Error::LocalFiles {
                message: format!(
                    "cannot write the test order into {} (--out): {} is a file, not a directory",
                    dir.display(),
                    existing.display()
                ),
                hint: "give --out a directory you can write to (it is created if missing), or \
                       leave --out out to print the commands instead"
                    .into(),
            });
        }
        let probe = existing.join(format!(".bbreport-out-check-{}", std::process::id()));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
            .map_err(|e| out_error(dir, &e))?;
        let _ = std::fs::remove_file(&probe);
        Ok(Some(abs))
    }
}

/// Writes `DIR/tests-order.txt` and the bisect halves (see `ReproPlan::replay_files`), one
/// test per line, creating DIR; for a -jN run, creates DIR for bisect_cmd's
/// `DIR/bisect.txt`; for any other run writes nothing. Stderr says which. Errors:
/// [`Error::LocalFiles`] (exit 9).
pub fn write_replay_files(dir: &Path, plan: &ReproPlan) -> Result<(), Error> {
    let files = plan.replay_files();
    if files.is_empty() {
        if matches!(plan.mode, ReproMode::Parallel { .. }) {
            let created = !dir.exists();
            std::fs::create_dir_all(dir).map_err(|e| out_error(dir, &e))?;
            crate::stderr::note(&format!(
                "--out {}: nothing written, the order of this run does not carry over; {}\
                 bisect_cmd writes {BISECT_OUTPUT_FILE} there",
                dir.display(),
                if created { "created it, " } else { "" }
            ));
        } else {
            crate::stderr::note(&format!(
                "--out {}: nothing written, the log does not show the order this run ran in",
                dir.display()
            ));
        }
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| out_error(dir, &e))?;
    for (name, tests) in &files {
        let text: String = tests.iter().map(|t| format!("{}\n", sanitize(t))).collect();
        std::fs::write(dir.join(name), text).map_err(|e| out_error(&dir.join(name), &e))?;
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    crate::stderr::note(&format!(
        "wrote {} into {}",
        names.join(", "),
        dir.display()
    ));
    Ok(())
}

fn out_error(path: &Path, e: &std::io::Error) -> Error {
    Error::LocalFiles {
        message: format!(
            "cannot write the test order into {} (--out): {e}",
            path.display()
        ),
        hint: "give --out a directory you can write to, or leave --out out to print the \
               commands instead"
            .into(),
    }
}

/// `--watch` and `--interval` (`commit`, `pr`): wait until every builder has finished.
#[derive(Debug, Clone, Default, Args)]
pub struct WaitArgs {
    /// Poll until every builder has finished a build of it, saying each result on stderr as it
    /// lands, then print the report; Ctrl-C stops (exit 130). Needs a live server
    #[arg(long)]
    pub watch: bool,

    /// Seconds between polls with --watch
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub interval: u64,
}

/// The live master a polling command (`watch`, `commit --watch`, `pr --watch`) reads: a
/// snapshot or `--offline` cannot change, so waiting on them would never end (usage error).
pub fn polled_master(ctx: &Context, command: &str) -> Result<Live, Error> {
    match &ctx.source {
        Source::Live(live) if !live.is_offline() => Ok(live.clone()),
        _ => Err(Error::usage(
            format!("{command} polls a live server, and recorded data does not change"),
            Some("drop --snapshot / --offline".to_string()),
        )),
    }
}

/// `commit` and `pr` read the master's commits (`changes`), which the local cache does not
/// keep: `--offline` cannot answer them (a snapshot can: it records the newest commits).
pub fn refuse_offline(ctx: &Context, command: &str) -> Result<(), Error> {
    match &ctx.source {
        Source::Live(live) if live.is_offline() => Err(Error::usage(
            format!("{command} reads the master's commits, which the local cache does not keep"),
            Some(
                "drop --offline, or record a snapshot (bbreport snapshot DIR) and read it with \
                 --snapshot DIR"
                    .to_string(),
            ),
        )),
        _ => Ok(()),
    }
}

/// `--days N | --builds N` of `tests` and `test`: which builds of each builder are judged.
#[derive(Debug, Clone, Default, Args)]
pub struct HealthWindow {
    /// Judge the builds started in the last N days [default: 7]; at most 100 builds per
    /// builder are read (the report names builders cut there)
    #[arg(long, value_name = "N", conflicts_with = "builds", value_parser = clap::value_parser!(u32).range(1..=90))]
    pub days: Option<u32>,

    /// Judge each builder's newest N builds instead of a number of days
    #[arg(short = 'l', long, visible_alias = "limit", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub builds: Option<u32>,
}

/// `--days` when neither is given.
pub const DEFAULT_DAYS: u32 = 7;

impl HealthWindow {
    /// What `tests` and `test` judge: the selected builders (BRANCH arguments, else the
    /// config's, else every branch but PR; `-n GLOB`) and their builds in this window with
    /// the failed ones' test logs read. A builder whose builds could not be fetched is warned
    /// about (`missing` says what that costs the report).
    pub async fn read(
        &self,
        ctx: &Context,
        command: &str,
        branches: &[String],
        name: Option<&str>,
        missing: &str,
    ) -> Result<
        (
            crate::model::select::Selection,
            crate::fetch::test_health::HealthRead,
        ),
        Error,
    > {
        let live = ctx.live(command)?;
        let glob = crate::fetch::selection::name_glob(name)?;
        let (builders, workers) = ctx.source.fleet().await?;
        let selection = crate::fetch::test_health::selection(
            &builders,
            &workers,
            &ctx.tag_rules,
            ctx.config.branches.as_deref(),
            branches,
            glob.as_ref(),
        )?;
        let ids: Vec<_> = selection.builders.iter().map(|b| b.builderid).collect();
        let read = crate::fetch::test_health::read(
            &ctx.source,
            live,
            &ids,
            self.window(),
            ctx.data_time(),
        )
        .await?;
        crate::fetch::warn_failed(&read.failed, ids.len(), missing);
        Ok((selection, read))
    }

    pub fn window(&self) -> crate::fetch::test_health::Window {
        use crate::fetch::test_health::Window;
        match (self.days, self.builds) {
            (_, Some(n)) => Window::Builds(n),
            (Some(d), None) => Window::Days(d),
            (None, None) => Window::Days(DEFAULT_DAYS),
        }
    }
}
