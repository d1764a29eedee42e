//! `bbreport snapshot DIR`: record a master's API for offline use.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::api::{Recording, Snapshot, SnapshotMeta};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::record::{RawLists, raw_lists};
use crate::fetch::{Fields, Newest, Source, newest_builds};
use crate::model::select::select;

/// Record the server's builders, workers and newest builds into DIR for offline use
///
/// Writes builders.json, workers.json and changes.json (the newest 200 commits) as the master
/// sent them, builds.json with the newest builds of every active builder (with got_revision),
/// triage.json with what triage reads of the failed, warnings and exception builds among them
/// (their steps, the test log's head and tail windows and what the failure search read, short
/// test logs whole, a failed step's last lines), and meta.json. Read it back with
/// `bbreport --snapshot DIR`: build, failures, repro and --tests then work offline. Files are replaced atomically; nothing is written if any fetch
/// fails.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Directory to write (created if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Newest builds to record per builder
    #[arg(short = 'l', long, visible_alias = "limit", value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub builds: u32,
}

/// Commits recorded for `console`.
const CHANGES_RECORDED: usize = 200;

pub async fn run(args: &SnapshotArgs, ctx: &Context) -> Result<u8, Error> {
    let Source::Live(live) = &ctx.source else {
        return Err(Error::usage(
            "snapshot records from a server, not from another snapshot",
            Some("drop --snapshot/BBREPORT_SNAPSHOT and give --server URL".to_string()),
        ));
    };
    if live.is_offline() {
        return Err(Error::usage(
            "snapshot records what the server says now, and --offline makes no request",
            Some("drop --offline".to_string()),
        ));
    }
    // Before any request: a recording can take minutes on a big master.
    check_target(&args.dir)?;
    // The newest commits too, for `console`.
    let RawLists {
        builders_raw,
        workers_raw,
        changes_raw,
        builders,
        workers,
    } = raw_lists(live, CHANGES_RECORDED).await?;
    let selection = select(&builders, &workers, &ctx.tag_rules, &[], None)?;
    let ids: Vec<_> = selection.builders.iter().map(|b| b.builderid).collect();
    let per = args.builds as usize;
    let want = Newest {
        fields: Fields::All,
        ..Newest::builds(per).with_revision(true)
    };
    let recent = newest_builds(&ctx.source, &ids, want).await?;
    if let Some((id, reason)) = recent.failed.iter().next() {
        return Err(Error::Snapshot {
            path: args.dir.clone(),
            message: format!(
                "builds of {} builders could not be fetched (builder {id}: {reason})",
                recent.failed.len()
            ),
            hint: Some("nothing was written; try again".into()),
        });
    }
    let mut builds: Vec<_> = recent.by_builder.into_values().flatten().collect();
    builds.sort_by_key(|b| std::cmp::Reverse(b.buildid));
    let total = builds.len();
    let triage = crate::fetch::record::triage(live, &builds).await?;
    let triaged = builds
        .iter()
        .filter(|b| crate::fetch::record::is_triaged(b))
        .count();
    let meta = SnapshotMeta {
        format: crate::api::snapshot_format(),
        server: ctx.server.root().to_string(),
        recorded_at: ctx.now,
        builds_per_builder: per,
        recorded_by: concat!("bbreport ", env!("CARGO_PKG_VERSION")).to_string(),
    };
    let recording = Recording {
        builders: &builders_raw,
        workers: &workers_raw,
        changes: &changes_raw,
        builds: &builds,
        triage: &triage,
        meta: &meta,
    };
    Snapshot::write(&args.dir, &recording).map_err(|e| Error::WriteFile {
        path: e.path,
        source: e.source,
    })?;
    crate::stderr::note(&format!(
        "recorded {} builders ({} active), {} workers and {total} builds ({triaged} with their steps and test logs) into {}",
        builders.len(),
        ids.len(),
        workers.len(),
        args.dir.display()
    ));
    Ok(exit_code::OK)
}

/// Refuse a DIR that cannot hold a snapshot, before anything is fetched: a file, a path inside a
/// file, or a directory holding other things (the snapshot's files would be mixed into them,
/// and a later recording could not tell them apart). An existing snapshot is replaced.
fn check_target(dir: &Path) -> Result<(), Error> {
    let hint = || {
        Some(
            "give a new or empty directory, or an existing snapshot's directory to replace it"
                .to_string(),
        )
    };
    let not_a_dir = |p: &Path| {
        Error::usage(
            format!(
                "cannot record a snapshot into {}: {} is not a directory",
                dir.display(),
                p.display()
            ),
            hint(),
        )
    };
    let unreadable = |e: std::io::Error| Error::WriteFile {
        path: dir.to_path_buf(),
        source: e,
    };
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(not_a_dir(dir)),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(unreadable)?;
            if entries.next().is_none() || dir.join("meta.json").is_file() {
                return Ok(());
            }
            Err(Error::usage(
                format!(
                    "cannot record a snapshot into {}: it is not empty, and holds no snapshot (no meta.json)",
                    dir.display()
                ),
                hint(),
            ))
        }
        // Created when the recording is written; what exists of its path must be directories.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match dir.ancestors().skip(1).find(|a| a.exists()) {
                Some(a) if !a.as_os_str().is_empty() && !a.is_dir() => Err(not_a_dir(a)),
                _ => Ok(()),
            }
        }
        // Under a file, or unreadable: let the OS name it.
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            let file = dir.ancestors().skip(1).find(|a| a.is_file()).unwrap_or(dir);
            Err(not_a_dir(file))
        }
        Err(e) => Err(unreadable(e)),
    }
}
