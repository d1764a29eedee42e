//! The local cache: one SQLite file per master, so nothing that cannot change is fetched twice.
//!
//! What it holds:
//! - **builds**, by build id, as the JSON bodies they came as. A finished build never changes;
//!   a running one is re-read every run until it finishes. Each builder's **coverage** row
//!   (`known_from`, `known_to`) and the file's **watermark** say which builds the cache holds
//!   *all* of; what they promise and why serving from them is safe is explained once, in
//!   `crate::fetch::recent`.
//! - **documents**: the builders and workers lists, whole, with when they were fetched.
//! - **responses**: bodies of immutable API resources (steps, logs and log lines of finished
//!   builds), deflate-compressed, keyed by path.
//!
//! Safe under real use: WAL mode lets readers and one writer work at once, writes are short
//! transactions (so overlapping cron jobs wait milliseconds, not minutes), and SQLite's journal
//! makes a run killed mid-write leave the last committed state. A file that is not ours, is
//! corrupt, or has an older schema is moved aside (or rebuilt) with a warning; a newer schema or
//! an unwritable directory means running without the cache, with a warning. A cache problem
//! never fails a report: the data is fetched instead.
//!
//! This module is storage only: it knows no URL and no API type (builds are ids and opaque
//! bodies). `crate::fetch` decides what to fetch and what to keep.
//! `file` opens, checks, creates and heals the file; this module reads and writes its data.

mod file;
pub mod location;

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

#[cfg(test)]
use file::APPLICATION_ID;
pub use file::{SCHEMA_VERSION, remove_files};
use file::{set_aside, sibling};

/// Builds kept per builder: the release dashboard's 200-build walk plus room.
const KEEP_BUILDS_PER_BUILDER: i64 = 250;
/// Total size of cached responses (compressed) before the oldest are dropped.
const RESPONSES_BUDGET: i64 = 64 * 1024 * 1024;

/// Why the cache cannot be used this run (the run goes on without it).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot use the cache {}: {message}", path.display())]
    Unavailable { path: PathBuf, message: String },
}

/// The server's build and builder ids (the same integers the API types use; spelled again here
/// so that storage depends on nothing above it).
pub type BuildId = u64;
pub type BuilderId = u32;

/// A build as the cache files it: the keys it is stored under, and its body (the JSON it came
/// as, which only the caller reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBuild {
    pub buildid: BuildId,
    pub builderid: BuilderId,
    pub complete: bool,
    pub body: String,
}

/// A builder's newest builds as the cache holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedBuild {
    pub build: StoredBuild,
    /// `got_revision` was asked for when it was fetched (and the build had finished).
    pub has_revision: bool,
}

/// What `bbreport cache info` shows.
#[derive(Debug, Clone)]
pub struct CacheInfo {
    pub path: PathBuf,
    pub server: Option<String>,
    pub schema_version: i32,
    pub file_bytes: u64,
    pub synced_at: Option<i64>,
    pub watermark: Option<BuildId>,
    pub builders_fetched_at: Option<i64>,
    pub workers_fetched_at: Option<i64>,
    pub builds: i64,
    pub running_builds: i64,
    pub covered_builders: i64,
    pub responses: i64,
    pub response_bytes: i64,
}

#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    /// `None` once an error disabled the cache for the rest of the run.
    conn: Mutex<Option<Connection>>,
    warned: AtomicBool,
}

impl Cache {
    /// Open (or create) the cache file of `server`, healing what can be healed. The strings
    /// returned are warnings for stderr (a file moved aside, a format upgraded).
    pub fn open(path: &Path, server: &str) -> Result<(Cache, Vec<String>), CacheError> {
        let (conn, warnings) = file::open_healed(path, server)?;
        Ok((
            Cache {
                path: path.to_path_buf(),
                conn: Mutex::new(Some(conn)),
                warned: AtomicBool::new(false),
            },
            warnings,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on the connection. An error disables the cache for the rest of the run (one
    /// warning); a corrupt file is moved aside so the next run starts a new one.
    fn with<T>(
        &self,
        what: &str,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Option<T> {
        let mut guard = self.conn.lock().ok()?;
        let conn = guard.as_mut()?;
        match f(conn) {
            Ok(v) => Some(v),
            Err(e) => {
                let corrupt = matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
                );
                *guard = None;
                let mut message = format!("cache: {what} failed ({e}); going on without the cache");
                if corrupt && let Ok(aside) = set_aside(&self.path) {
                    message.push_str(&format!(
                        "; the file was corrupt and is moved to {}",
                        aside.display()
                    ));
                }
                if !self.warned.swap(true, Ordering::Relaxed) {
                    crate::stderr::warn(&message);
                }
                None
            }
        }
    }

    /// Whether the cache is still in use this run (no error disabled it).
    pub fn is_usable(&self) -> bool {
        self.conn.lock().is_ok_and(|g| g.is_some())
    }

    /// The highest build id up to which the cache has seen every new build, and when it last
    /// caught up with the server.
    pub fn watermark(&self) -> Option<(BuildId, i64)> {
        self.with("reading the watermark", |c| {
            let w = meta_get(c, "watermark")?;
            let at = meta_get(c, "synced_at")?;
            Ok(w.zip(at)
                .and_then(|(w, at)| Some((w.parse().ok()?, at.parse().ok()?))))
        })
        .flatten()
    }

    pub fn document(&self, name: &str) -> Option<(String, i64)> {
        self.with("reading a document", |c| {
            c.query_row(
                "SELECT body, fetched_at FROM documents WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
        .flatten()
    }

    /// Store a document; `false` when it could not be (the cache is then disabled, with a
    /// warning).
    pub fn put_document(&self, name: &str, body: &str, now: i64) -> bool {
        self.with("storing a document", |c| {
            c.execute(
                "INSERT OR REPLACE INTO documents(name, body, fetched_at) VALUES (?1, ?2, ?3)",
                params![name, body, now],
            )
            .map(drop)
        })
        .is_some()
    }

    pub fn forget_document(&self, name: &str) {
        self.with("dropping a document", |c| {
            c.execute("DELETE FROM documents WHERE name = ?1", [name])
                .map(drop)
        });
    }

    /// Cached builds that were still running, at or below `at_most` (the ones above it come
    /// with the next catch-up anyway).
    pub fn running_build_ids(&self, at_most: BuildId) -> Vec<BuildId> {
        self.with("reading running builds", |c| {
            let mut st = c.prepare_cached(
                "SELECT buildid FROM builds WHERE complete = 0 AND buildid <= ?1 ORDER BY buildid",
            )?;
            let rows = st.query_map([to_sql_id(at_most)], |r| r.get::<_, i64>(0))?;
            rows.map(|r| r.map(from_sql_id)).collect()
        })
        .unwrap_or_default()
    }

    /// Record a catch-up with the server: `builds` are every build above `from` up to
    /// `to` (plus fresh copies of running builds), `gone` are running builds the server no
    /// longer has. Coverage that reached `from` now reaches `to`. With `from = None` (a first
    /// run) only the watermark is set.
    pub fn apply_catch_up(
        &self,
        from: Option<BuildId>,
        to: BuildId,
        builds: &[StoredBuild],
        gone: &[BuildId],
        now: i64,
    ) {
        self.with("recording new builds", |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            upsert_builds(&tx, builds, false)?;
            for id in gone {
                tx.execute("DELETE FROM builds WHERE buildid = ?1", [to_sql_id(*id)])?;
            }
            if let Some(from) = from {
                tx.execute(
                    "UPDATE coverage SET known_to = ?2 WHERE known_to >= ?1 AND known_to < ?2",
                    params![to_sql_id(from), to_sql_id(to)],
                )?;
            }
            let mut touched: Vec<BuilderId> = builds.iter().map(|b| b.builderid).collect();
            touched.sort_unstable();
            touched.dedup();
            prune(&tx, &touched)?;
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('watermark', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value
                 WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)",
                [to.to_string()],
            )?;
            meta_set(&tx, "synced_at", &now.to_string())?;
            tx.commit()
        });
    }

    /// The newest `limit` builds of a builder, when the cache holds them all: its coverage
    /// reaches `watermark` and goes back far enough (or to the builder's first build).
    /// Newest first. `None`: not covered, fetch it.
    pub fn covered_builds(
        &self,
        builderid: BuilderId,
        watermark: BuildId,
        limit: usize,
    ) -> Option<Vec<CachedBuild>> {
        self.with("reading builds", |c| {
            let Some((known_from, known_to)) = c
                .prepare_cached("SELECT known_from, known_to FROM coverage WHERE builderid = ?1")?
                .query_row([builderid], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })
                .optional()?
            else {
                return Ok(None);
            };
            if from_sql_id(known_to) < watermark {
                return Ok(None);
            }
            let mut st = c.prepare_cached(
                "SELECT buildid, complete, body, has_revision FROM builds
                 WHERE builderid = ?1 AND buildid >= ?2 ORDER BY buildid DESC LIMIT ?3",
            )?;
            let rows = st.query_map(params![builderid, known_from, limit as i64], |r| {
                Ok(CachedBuild {
                    build: StoredBuild {
                        buildid: from_sql_id(r.get(0)?),
                        builderid,
                        complete: r.get(1)?,
                        body: r.get(2)?,
                    },
                    has_revision: r.get(3)?,
                })
            })?;
            let out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            let whole_history = known_from == 0;
            Ok((out.len() >= limit || whole_history).then_some(out))
        })
        .flatten()
    }

    /// Store builders' newest builds as fetched after the run's watermark was known: each
    /// `(builder, builds, whole_history)` becomes covered from its oldest build (or from the
    /// start when `whole_history`) up to `watermark`.
    pub fn store_fetched(
        &self,
        fetched: &[(BuilderId, &[StoredBuild], bool)],
        watermark: BuildId,
        with_revision: bool,
    ) {
        self.with("storing builds", |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for (builderid, builds, whole_history) in fetched {
                upsert_builds(&tx, builds, with_revision)?;
                let known_from = if *whole_history {
                    0
                } else {
                    builds
                        .iter()
                        .map(|b| to_sql_id(b.buildid))
                        .min()
                        .unwrap_or(0)
                };
                tx.execute(
                    "INSERT INTO coverage(builderid, known_from, known_to) VALUES (?1, ?2, ?3)
                     ON CONFLICT(builderid) DO UPDATE SET known_from = excluded.known_from,
                        known_to = excluded.known_to
                     WHERE excluded.known_to >= coverage.known_to",
                    params![builderid, known_from, to_sql_id(watermark)],
                )?;
            }
            tx.commit()
        });
    }

    /// Store fresh copies of builds (e.g. with `got_revision` added); coverage is unchanged.
    pub fn store_builds(&self, builds: &[StoredBuild], with_revision: bool) {
        self.with("storing builds", |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            upsert_builds(&tx, builds, with_revision)?;
            tx.commit()
        });
    }

    /// The body of an immutable resource fetched before.
    pub fn response(&self, key: &str) -> Option<Vec<u8>> {
        let compressed: Vec<u8> = self
            .with("reading a response", |c| {
                c.prepare_cached("SELECT body FROM responses WHERE path = ?1")?
                    .query_row([key], |r| r.get(0))
                    .optional()
            })
            .flatten()?;
        let mut body = Vec::new();
        flate2::read::DeflateDecoder::new(compressed.as_slice())
            .read_to_end(&mut body)
            .ok()?;
        Some(body)
    }

    pub fn put_response(&self, key: &str, body: &[u8], now: i64) {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        if enc.write_all(body).is_err() {
            return;
        }
        let Ok(compressed) = enc.finish() else { return };
        self.with("storing a response", |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT OR REPLACE INTO responses(path, body, fetched_at) VALUES (?1, ?2, ?3)",
                params![key, compressed, now],
            )?;
            let total: i64 = tx.query_row(
                "SELECT coalesce(sum(length(body)), 0) FROM responses",
                [],
                |r| r.get(0),
            )?;
            if total > RESPONSES_BUDGET {
                // Oldest first, until three quarters of the budget are left.
                tx.execute(
                    "DELETE FROM responses WHERE path IN (
                        SELECT path FROM (
                            SELECT path, sum(length(body)) OVER (ORDER BY fetched_at DESC, path)
                                AS running FROM responses)
                        WHERE running > ?1)",
                    [RESPONSES_BUDGET * 3 / 4],
                )?;
            }
            tx.commit()
        });
    }

    pub fn info(&self) -> Option<CacheInfo> {
        let file_bytes = [
            self.path.clone(),
            sibling(&self.path, "-wal"),
            sibling(&self.path, "-shm"),
        ]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
        self.with("reading cache information", |c| {
            let count = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0));
            let fetched_at = |name: &str| {
                c.query_row(
                    "SELECT fetched_at FROM documents WHERE name = ?1",
                    [name],
                    |r| r.get::<_, i64>(0),
                )
                .optional()
            };
            Ok(CacheInfo {
                path: self.path.clone(),
                server: meta_get(c, "server")?,
                schema_version: SCHEMA_VERSION,
                file_bytes,
                synced_at: meta_get(c, "synced_at")?.and_then(|v| v.parse().ok()),
                watermark: meta_get(c, "watermark")?.and_then(|v| v.parse().ok()),
                builders_fetched_at: fetched_at("builders")?,
                workers_fetched_at: fetched_at("workers")?,
                builds: count("SELECT count(*) FROM builds")?,
                running_builds: count("SELECT count(*) FROM builds WHERE complete = 0")?,
                covered_builders: count("SELECT count(*) FROM coverage")?,
                responses: count("SELECT count(*) FROM responses")?,
                response_bytes: count("SELECT coalesce(sum(length(body)), 0) FROM responses")?,
            })
        })
    }
}

fn meta_get(c: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

fn meta_set(c: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
        params![key, value],
    )
    .map(drop)
}

/// Insert or refresh builds. A finished build is never replaced by an older, running copy,
/// and a copy with `got_revision` is never replaced by one without.
fn upsert_builds(
    c: &Connection,
    builds: &[StoredBuild],
    with_revision: bool,
) -> rusqlite::Result<()> {
    let mut st = c.prepare_cached(
        "INSERT INTO builds(buildid, builderid, complete, has_revision, body)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(buildid) DO UPDATE SET complete = excluded.complete,
            has_revision = excluded.has_revision, body = excluded.body
         WHERE NOT (builds.complete = 1 AND excluded.complete = 0)
           AND NOT (builds.has_revision = 1 AND excluded.has_revision = 0)",
    )?;
    for b in builds {
        st.execute(params![
            to_sql_id(b.buildid),
            b.builderid,
            b.complete,
            with_revision && b.complete,
            b.body
        ])?;
    }
    Ok(())
}

/// Keep the newest builds of each builder touched; coverage starts at the oldest kept.
fn prune(c: &Connection, builders: &[BuilderId]) -> rusqlite::Result<()> {
    for id in builders {
        let cutoff: Option<i64> = c
            .prepare_cached(
                "SELECT buildid FROM builds WHERE builderid = ?1 ORDER BY buildid DESC
                 LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![id, KEEP_BUILDS_PER_BUILDER - 1], |r| r.get(0))
            .optional()?;
        if let Some(oldest_kept) = cutoff {
            c.execute(
                "DELETE FROM builds WHERE builderid = ?1 AND buildid < ?2",
                params![id, oldest_kept],
            )?;
            c.execute(
                "UPDATE coverage SET known_from = ?2 WHERE builderid = ?1 AND known_from < ?2",
                params![id, oldest_kept],
            )?;
        }
    }
    Ok(())
}

/// Build ids fit in SQLite's signed 64-bit integers with room to spare.
fn to_sql_id(id: BuildId) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

fn from_sql_id(id: i64) -> BuildId {
    BuildId::try_from(id).unwrap_or(0)
}

#[cfg(test)]
mod tests;
