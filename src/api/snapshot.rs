//! A recorded copy of a master's API, for offline runs (`--snapshot DIR`) and tests.
//!
//! The directory holds the master's own JSON answers, unedited: `builders.json`,
//! `workers.json` and `builds.json` (the newest builds of every active builder, with the
//! `got_revision` property), plus `meta.json` saying where and when they were recorded.
//! `bbreport snapshot DIR` writes one ([`Snapshot::write`]). Queries are answered by applying Buildbot's own
//! semantics (IN-list, `buildid__lt`, `order=-buildid`, `limit`) to the recorded builds.
//!
//! Format 2 adds `triage.json`: for the failed, warnings and exception builds recorded, the
//! master's answers to what triage reads of them (their steps, the test step's logs, the test
//! log's head and tail windows and whatever the failure search read of its middle, the tail of
//! a failed step's log, and a short test log whole), keyed by the API path asked
//! (`{"responses": {"builds/12/steps?…": {…}}}`). They are answered as recorded, so triage
//! reads the same lines it read live; anything else is not in the snapshot
//! ([`Snapshot::response`] is `None`). Format-1 snapshots are still read; they have no triage.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::endpoints::BuildsQuery;
use super::types::{
    Build, BuildId, Builder, BuilderId, BuildersPage, BuildsPage, Change, ChangesPage, Worker,
    WorkersPage,
};

pub const SNAPSHOT_FORMAT: u32 = 2;
/// The first format with `triage.json`.
const TRIAGE_FORMAT: u32 = 2;

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
    /// `triage.json`'s answers by API path (empty for format 1).
    responses: HashMap<String, serde_json::Value>,
}

/// `triage.json`: the master's answers to triage's reads, by API path.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct TriageFile {
    pub responses: BTreeMap<String, serde_json::Value>,
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
    /// `triage.json`'s answers (format 2).
    pub triage: &'a TriageFile,
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
        if meta.format == 0 || meta.format > SNAPSHOT_FORMAT {
            return Err(err(
                dir,
                format!(
                    "format {} is not supported (this bbreport reads formats 1 to {SNAPSHOT_FORMAT})",
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
        // A format-2 directory without it (a copy of some files only) simply recorded nothing
        // for triage: every read of it is "not recorded".
        let triage_file = dir.join("triage.json");
        if meta_format_has_triage(snapshot.meta.format) && triage_file.exists() {
            let triage: TriageFile = read_json(&triage_file).map_err(|m| err(dir, m))?;
            snapshot.responses = triage.responses.into_iter().collect();
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
            responses: HashMap::new(),
        }
    }

    /// Add recorded answers (tests of the code that reads from a snapshot).
    #[cfg(test)]
    pub fn with_responses(mut self, triage: TriageFile) -> Snapshot {
        self.responses = triage.responses.into_iter().collect();
        self
    }

    /// The number of the oldest build recorded of a builder (`None`: none recorded).
    pub fn oldest_number(&self, builderid: BuilderId) -> Option<u32> {
        self.builds_by_builder
            .get(&builderid)?
            .iter()
            .map(|b| b.number)
            .min()
    }

    /// Whether this snapshot's format records triage (`triage.json`, format 2 on); a format-1
    /// snapshot records no steps or logs at all.
    pub fn records_triage(&self) -> bool {
        meta_format_has_triage(self.meta.format)
    }

    /// The recorded answer to `path` (an API path as `crate::api::endpoints` builds it), or
    /// `None` when it was not recorded.
    pub fn response(&self, path: &str) -> Option<&serde_json::Value> {
        self.responses.get(path)
    }

    /// Build `number` of a builder, or its newest recorded build (`None`); `None` when the
    /// snapshot does not hold it (it may be older than the builds recorded).
    pub fn build(&self, builderid: BuilderId, number: Option<u32>) -> Option<Build> {
        let builds = self.builds_by_builder.get(&builderid)?;
        match number {
            None => builds.first().cloned(),
            Some(n) => builds.iter().find(|b| b.number == n).cloned(),
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
        write_json(&dir.join("triage.json"), r.triage)?;
        // meta.json last: a directory without it is not a snapshot, so a crash never leaves a
        // half-written one that looks complete.
        write_json(&dir.join("meta.json"), r.meta)
    }
}

fn meta_format_has_triage(format: u32) -> bool {
    format >= TRIAGE_FORMAT
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

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
