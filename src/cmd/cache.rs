//! `bbreport cache info|clear`: see and reset the local cache of the selected server.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::cache::{self, Cache, location};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::{LISTS_TTL, Source};
use crate::output;
use crate::report::cache_info::CacheInfoReport;

/// Show or delete the local cache
///
/// bbreport keeps one SQLite file per server in $BBREPORT_CACHE_DIR, else
/// $XDG_CACHE_HOME/bbreport, else ~/.cache/bbreport. It holds finished builds, the builders list
/// (reused for an hour), and the steps and log lines of finished builds; each run fetches only
/// the builds that are new or were still running. Deleting it is always safe.
#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Where the server's cache is, its size, when it last caught up, and what it holds
    Info,
    /// Delete the server's cache (with --all, every server's); the next run rebuilds it
    Clear {
        /// Every cache file in the cache directory, and files set aside as broken
        #[arg(long)]
        all: bool,
    },
}

pub async fn run(args: &CacheArgs, ctx: &Context) -> Result<u8, Error> {
    if let Source::Snapshot(s) = &ctx.source {
        return Err(Error::usage(
            format!(
                "`bbreport cache` manages the cache of a server, not a snapshot ({})",
                s.dir.display()
            ),
            Some("drop --snapshot; select the server with --server".to_string()),
        ));
    }
    let Some(dir) = location::cache_dir(|k| std::env::var(k).ok()) else {
        return Err(Error::usage(
            "no cache directory is known",
            Some("set BBREPORT_CACHE_DIR, XDG_CACHE_HOME or HOME".to_string()),
        ));
    };
    let path = dir.join(location::file_name(ctx.server.root()));
    match &args.action {
        CacheAction::Info => info(ctx, &path),
        CacheAction::Clear { all } => clear(ctx, &dir, &path, *all),
    }
}

fn info(ctx: &Context, path: &Path) -> Result<u8, Error> {
    let info = if path.exists() {
        let (cache, warnings) = Cache::open(path, ctx.server.root()).map_err(|e| Error::Cache {
            path: path.to_path_buf(),
            message: e.to_string(),
            hint: Some("`bbreport cache clear` deletes it".into()),
        })?;
        for w in warnings {
            crate::stderr::warn(&w);
        }
        cache.info()
    } else {
        None
    };
    let report = CacheInfoReport::new(path, info.as_ref(), LISTS_TTL, &ctx.origin());
    output::write_report(&report, &ctx.output)?;
    Ok(exit_code::OK)
}

fn clear(ctx: &Context, dir: &Path, path: &Path, all: bool) -> Result<u8, Error> {
    let targets: Vec<PathBuf> = if all {
        match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_cache_file(p))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(Error::WriteFile {
                    path: dir.to_path_buf(),
                    source: e,
                });
            }
        }
    } else {
        vec![path.to_path_buf()]
    };
    let mut removed = Vec::new();
    for target in targets {
        let gone = if target.to_string_lossy().ends_with(".sqlite3") {
            cache::remove_files(&target)
        } else {
            // A companion already removed with its database is fine.
            match std::fs::remove_file(&target) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            }
        };
        match gone {
            Ok(true) => removed.push(target),
            Ok(false) => {}
            Err(e) => {
                return Err(Error::WriteFile {
                    path: target,
                    source: e,
                });
            }
        }
    }
    let text = match (removed.len(), all) {
        (0, false) => format!("No cache for {} to delete\n", ctx.server.root()),
        (0, true) => format!("No cache files in {}\n", dir.display()),
        _ => removed
            .iter()
            .map(|p| format!("Deleted {}\n", p.display()))
            .collect(),
    };
    output::write_stdout(|out| out.write_all(text.as_bytes()))?;
    Ok(exit_code::OK)
}

/// Our files: `*.sqlite3`, their WAL companions, and `*.sqlite3.broken-*` set aside.
fn is_cache_file(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_string());
    name.is_some_and(|n| {
        n.ends_with(".sqlite3")
            || n.contains(".sqlite3.broken-")
            || n.ends_with(".sqlite3-wal")
            || n.ends_with(".sqlite3-shm")
    })
}
