//! `bbreport snapshot DIR`: record a master's API for offline use.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::api::recent::recent_builds;
use crate::api::types::{Builder, Worker};
use crate::api::{Fields, SnapshotMeta, Source, endpoints};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::model::select::select;

/// Record the server's builders, workers and newest builds into DIR for offline use
///
/// Writes builders.json, workers.json and changes.json (the newest 200 commits) as the master
/// sent them, builds.json with the newest builds of every active builder (with got_revision),
/// and meta.json. Read it back with
/// `bbreport --snapshot DIR`. Files are replaced atomically; nothing is written if any fetch
/// fails.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Directory to write (created if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Newest builds to record per builder
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub builds: u32,
}

/// Commits recorded for `console`.
const CHANGES_RECORDED: usize = 200;

pub async fn run(args: &SnapshotArgs, ctx: &Context) -> Result<u8, Error> {
    let Source::Http(client) = &ctx.source else {
        return Err(Error::usage(
            "snapshot records from a server, not from another snapshot",
            Some("drop --snapshot/BBREPORT_SNAPSHOT and give --server URL".to_string()),
        ));
    };
    // The newest commits too, for `console`.
    let changes_path = endpoints::recent_changes(CHANGES_RECORDED);
    let (builders_raw, workers_raw, changes_raw) = tokio::try_join!(
        client.get_json::<serde_json::Value>(endpoints::ALL_BUILDERS),
        client.get_json::<serde_json::Value>(endpoints::ALL_WORKERS),
        client.get_json::<serde_json::Value>(&changes_path),
    )?;
    let decode = |what: &str, e: serde_json::Error| {
        Error::Api(crate::api::ApiError {
            url: client.server().api_url(what),
            kind: crate::api::ApiErrorKind::Json(e.to_string()),
        })
    };
    let builders: Vec<Builder> = serde_json::from_value(builders_raw["builders"].clone())
        .map_err(|e| decode(endpoints::ALL_BUILDERS, e))?;
    let workers: Vec<Worker> = serde_json::from_value(workers_raw["workers"].clone())
        .map_err(|e| decode(endpoints::ALL_WORKERS, e))?;
    let selection = select(&builders, &workers, &ctx.tag_rules, &[], None)?;
    let ids: Vec<_> = selection.builders.iter().map(|b| b.builderid).collect();
    let per = args.builds as usize;
    let recent = recent_builds(&ctx.source, &ids, per, true, Fields::All).await?;
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
    let meta = SnapshotMeta {
        format: crate::api::snapshot_format(),
        server: ctx.server.root().to_string(),
        recorded_at: ctx.now,
        builds_per_builder: per,
        recorded_by: concat!("bbreport ", env!("CARGO_PKG_VERSION")).to_string(),
    };
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::WriteFile {
        path: args.dir.clone(),
        source: e,
    })?;
    write_json(&args.dir.join("builders.json"), &builders_raw)?;
    write_json(&args.dir.join("workers.json"), &workers_raw)?;
    write_json(&args.dir.join("changes.json"), &changes_raw)?;
    write_json(
        &args.dir.join("builds.json"),
        &serde_json::json!({ "builds": builds, "meta": { "total": total } }),
    )?;
    // meta.json last: a directory without it is not a snapshot, so a crash never leaves a
    // half-written one that looks complete.
    write_json(&args.dir.join("meta.json"), &meta)?;
    crate::stderr::note(&format!(
        "recorded {} builders ({} active), {} workers and {total} builds into {}",
        builders.len(),
        ids.len(),
        workers.len(),
        args.dir.display()
    ));
    Ok(exit_code::OK)
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), Error> {
    let err = |e: std::io::Error| Error::WriteFile {
        path: path.to_path_buf(),
        source: e,
    };
    let mut text = serde_json::to_string_pretty(value).map_err(|e| err(e.into()))?;
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}
