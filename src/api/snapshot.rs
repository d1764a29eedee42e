//! A recorded copy of a master's API, for offline runs (`--snapshot DIR`) and tests.
//!
//! The directory holds the master's own JSON answers, unedited: `builders.json`,
//! `workers.json` and `builds.json` (the newest builds of every active builder, with the
//! `got_revision` property), plus `meta.json` saying where and when they were recorded.
//! `bbreport snapshot DIR` writes one ([`Snapshot::write`]). Queries are answered by applying Buildbot's own
//! semantics (IN-list, `buildid__lt`, `order=-buildid`, `limit`) to the recorded builds.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::endpoints::BuildsQuery;
use super::types::{
    Build, BuildId, Builder, BuilderId, BuildersPage, BuildsPage, Change, ChangesPage, Worker,
    WorkersPage,
};

pub const SNAPSHOT_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapshotMeta {
    /// Format of this directory; bumped when its layout changes.
    pub format: u32,
    /// The master it was recorded from (web UI root).
    pub server: String,
    /// Unix seconds.
    pub recorded_at: i64,
    /// How many of each builder's newest builds were recorded.
    pub builds_per_builder: usize,
    pub recorded_by: String,
}

#[derive(Debug)]
pub struct Snapshot {
    pub dir: PathBuf,
    pub meta: SnapshotMeta,
    pub builders: Vec<Builder>,
    pub workers: Vec<Worker>,
    builds_by_builder: HashMap<BuilderId, Vec<Build>>,
    /// `changes.json`, when recorded (snapshots from before it was added have none).
    changes: Option<Vec<Change>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SnapshotError {
    pub path: PathBuf,
    pub message: String,
}

/// What a snapshot directory is written from: the master's own answers for the lists, the
/// builds recorded (newest first), and where and when.
#[derive(Debug)]
pub struct Recording<'a> {
    pub builders: &'a serde_json::Value,
    pub workers: &'a serde_json::Value,
    pub changes: &'a serde_json::Value,
    pub builds: &'a [Build],
    pub meta: &'a SnapshotMeta,
}

/// A file of the snapshot that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl Snapshot {
    pub fn load(dir: &Path) -> Result<Snapshot, SnapshotError> {
        let err = |path: &Path, message: String| SnapshotError {
            path: path.to_path_buf(),
            message,
        };
        if !dir.is_dir() {
            return Err(err(dir, "no such directory".into()));
        }
        let meta: SnapshotMeta = read_json(&dir.join("meta.json")).map_err(|m| err(dir, m))?;
        if meta.format != SNAPSHOT_FORMAT {
            return Err(err(
                dir,
                format!(
                    "format {} is not supported (this bbreport reads format {SNAPSHOT_FORMAT})",
                    meta.format
                ),
            ));
        }
        let builders: BuildersPage =
            read_json(&dir.join("builders.json")).map_err(|m| err(dir, m))?;
        let workers: WorkersPage = read_json(&dir.join("workers.json")).map_err(|m| err(dir, m))?;
        let builds: BuildsPage = read_json(&dir.join("builds.json")).map_err(|m| err(dir, m))?;
        let mut snapshot =
            Snapshot::from_parts(meta, builders.builders, workers.workers, builds.builds);
        snapshot.dir = dir.to_path_buf();
        let changes_file = dir.join("changes.json");
        if changes_file.exists() {
            let page: ChangesPage = read_json(&changes_file).map_err(|m| err(dir, m))?;
            snapshot.changes = Some(page.changes);
        }
        Ok(snapshot)
    }

    /// A snapshot built in memory (tests of the code that reads from a snapshot).
    pub fn from_parts(
        meta: SnapshotMeta,
        builders: Vec<Builder>,
        workers: Vec<Worker>,
        builds: Vec<Build>,
    ) -> Snapshot {
        let mut builds_by_builder: HashMap<BuilderId, Vec<Build>> = HashMap::new();
        for b in builds {
            builds_by_builder.entry(b.builderid).or_default().push(b);
        }
        for list in builds_by_builder.values_mut() {
            list.sort_by_key(|b| std::cmp::Reverse(b.buildid));
        }
        Snapshot {
            dir: PathBuf::new(),
            meta,
            builders,
            workers,
            builds_by_builder,
            changes: None,
        }
    }

    /// Answer a builds query as the master would have, from what was recorded. Only the newest
    /// `builds_per_builder` builds of each builder were recorded; callers check
    /// [`Snapshot::covers`] first so a deeper query fails loudly instead of looking complete.
    pub fn builds(&self, query: &BuildsQuery) -> Vec<Build> {
        let wanted: BTreeSet<_> = query.builderids.iter().collect();
        let mut out: Vec<Build> = wanted
            .iter()
            .filter_map(|id| self.builds_by_builder.get(id))
            .flatten()
            .filter(|b| query.before.is_none_or(|before| b.buildid < before))
            .filter(|b| query.after.is_none_or(|after| b.buildid > after))
            .cloned()
            .collect();
        out.sort_by_key(|b| std::cmp::Reverse(b.buildid));
        out.truncate(query.limit);
        if !query.with_revision {
            for b in &mut out {
                b.properties.clear();
            }
        }
        out
    }

    /// The newest build id the snapshot holds (`None`: it holds no build).
    pub fn newest_build_id(&self) -> Option<BuildId> {
        self.all_builds().map(|b| b.buildid).max()
    }

    /// Recorded commits (none when the snapshot has no changes.json).
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().flatten()
    }

    pub fn has_changes(&self) -> bool {
        self.changes.is_some()
    }

    pub fn all_builds(&self) -> impl Iterator<Item = &Build> {
        self.builds_by_builder.values().flatten()
    }

    /// Whether the snapshot holds enough history to answer "the last `per_builder` builds".
    pub fn covers(&self, per_builder: usize) -> bool {
        per_builder <= self.meta.builds_per_builder
    }
}

impl Snapshot {
    /// Write a snapshot directory (created if missing); each file is replaced atomically.
    pub fn write(dir: &Path, r: &Recording<'_>) -> Result<(), WriteError> {
        std::fs::create_dir_all(dir).map_err(|e| WriteError {
            path: dir.to_path_buf(),
            source: e,
        })?;
        write_json(&dir.join("builders.json"), r.builders)?;
        write_json(&dir.join("workers.json"), r.workers)?;
        write_json(&dir.join("changes.json"), r.changes)?;
        write_json(
            &dir.join("builds.json"),
            &serde_json::json!({ "builds": r.builds, "meta": { "total": r.builds.len() } }),
        )?;
        // meta.json last: a directory without it is not a snapshot, so a crash never leaves a
        // half-written one that looks complete.
        write_json(&dir.join("meta.json"), r.meta)
    }
}

fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), WriteError> {
    let err = |e: std::io::Error| WriteError {
        path: path.to_path_buf(),
        source: e,
    };
    let mut text = serde_json::to_string_pretty(value).map_err(|e| err(e.into()))?;
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{name} is not valid: {e}"))
}
