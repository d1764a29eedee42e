//! The cache file itself: opening it, telling ours from anything else, creating the tables,
//! rebuilding an older format, and moving a broken file aside. `super` reads and writes the
//! data once the file is open.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

use super::{CacheError, meta_get, meta_set};

/// `PRAGMA application_id`: "bbrp". Tells our files from any other SQLite database.
pub(super) const APPLICATION_ID: i32 = 0x6262_7270;
/// `PRAGMA user_version`. Bump it when the tables change: older files are rebuilt.
/// 2: builds carry `buildrequestid` (a file of version 1 holds builds without it, which would
/// make a cached run print less than an uncached one).
pub const SCHEMA_VERSION: i32 = 2;
/// How long a run waits for another run's write to finish before going on without the cache.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// The tables (see the module documentation of `super` for what each holds).
const SCHEMA: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(name TEXT PRIMARY KEY, body TEXT NOT NULL, fetched_at INTEGER NOT NULL);
CREATE TABLE builds(
    buildid INTEGER PRIMARY KEY,
    builderid INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    has_revision INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX builds_by_builder ON builds(builderid, buildid);
CREATE TABLE coverage(
    builderid INTEGER PRIMARY KEY,
    known_from INTEGER NOT NULL,
    known_to INTEGER NOT NULL
);
CREATE TABLE responses(path TEXT PRIMARY KEY, body BLOB NOT NULL, fetched_at INTEGER NOT NULL);
";

/// Open (or create) the cache file of `server`, healing what can be healed: a file that is
/// not ours or is unreadable is moved aside and started anew, an older format is rebuilt. The
/// strings returned are warnings for stderr.
pub(super) fn open_healed(
    path: &Path,
    server: &str,
) -> Result<(Connection, Vec<String>), CacheError> {
    let unavailable = |message: String| CacheError::Unavailable {
        path: path.to_path_buf(),
        message,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| unavailable(e.to_string()))?;
    }
    let mut warnings = Vec::new();
    let conn = match open_waiting(path, server) {
        Ok(conn) => conn,
        Err(Opened::Unusable(message) | Opened::Busy(message)) => {
            return Err(unavailable(message));
        }
        Err(Opened::Broken(why)) => {
            let aside = set_aside(path)
                .map_err(|e| unavailable(format!("{why}, and it cannot be moved aside: {e}")))?;
            warnings.push(format!(
                "the cache file {} {why}; moved it to {} and started a new one",
                path.display(),
                aside.display()
            ));
            open_waiting(path, server).map_err(|e| unavailable(e.message()))?
        }
        Err(Opened::Outdated(version)) => {
            warnings.push(format!(
                "the cache file {} has an older format ({version}); rebuilding it",
                path.display()
            ));
            rebuild(&conn_for_rebuild(path)?, server).map_err(|e| unavailable(e.to_string()))?;
            open_waiting(path, server).map_err(|e| unavailable(e.message()))?
        }
    };
    Ok((conn, warnings))
}

/// Delete a cache file and its WAL companions. Missing files are fine.
pub fn remove_files(path: &Path) -> std::io::Result<bool> {
    let mut removed = false;
    for p in [
        path.to_path_buf(),
        sibling(path, "-wal"),
        sibling(path, "-shm"),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => removed = true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

enum Opened {
    /// Not ours, or unreadable: move it aside and start again.
    Broken(String),
    /// Ours, older schema: rebuild in place.
    Outdated(i32),
    /// Cannot be used at all this run (newer schema, permissions…).
    Unusable(String),
    /// Another run holds a lock SQLite would not wait for (runs creating the file, or switching
    /// it to WAL, at the same moment): try again shortly.
    Busy(String),
}

impl Opened {
    fn message(&self) -> String {
        match self {
            Opened::Broken(m) | Opened::Unusable(m) | Opened::Busy(m) => m.clone(),
            Opened::Outdated(v) => format!("schema {v} could not be rebuilt"),
        }
    }
}

fn open_checked(path: &Path, server: &str) -> Result<Connection, Opened> {
    let conn = Connection::open(path).map_err(|e| classify_open_error(&e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify_open_error(&e))?;
    // One statement, so one consistent view: read apart, another run creating the file at the
    // same moment could commit in between, and its new tables would look like a foreign file.
    let (app, version, tables): (i32, i32, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_master)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| classify_open_error(&e))?;
    match (app, version) {
        (0, 0) if tables == 0 => {
            create(&conn, server).map_err(|e| classify_open_error(&e))?;
        }
        (APPLICATION_ID, v) if v == SCHEMA_VERSION => {}
        (APPLICATION_ID, v) if v < SCHEMA_VERSION => return Err(Opened::Outdated(v)),
        (APPLICATION_ID, v) => {
            return Err(Opened::Unusable(format!(
                "it was written by a newer bbreport (cache format {v}, this one reads {SCHEMA_VERSION})"
            )));
        }
        _ => return Err(Opened::Broken("is not a bbreport cache".into())),
    }
    // WAL: readers never block the writer, and a killed writer leaves the last commit intact.
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| classify_open_error(&e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| classify_open_error(&e))?;
    match meta_get(&conn, "server").map_err(|e| classify_open_error(&e))? {
        Some(s) if s == server => Ok(conn),
        Some(s) => Err(Opened::Broken(format!("belongs to another server ({s})"))),
        None => Err(Opened::Broken("has no server recorded".into())),
    }
}

/// [`open_checked`], tried again while another run holds the file busy, for up to
/// [`BUSY_TIMEOUT`] (SQLite's own busy wait does not cover every lock taken while opening).
fn open_waiting(path: &Path, server: &str) -> Result<Connection, Opened> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match open_checked(path, server) {
            Err(Opened::Busy(_)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn classify_open_error(e: &rusqlite::Error) -> Opened {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Opened::Broken(format!("is unreadable ({e})"))
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Opened::Busy(e.to_string()),
        _ => Opened::Unusable(e.to_string()),
    }
}

/// Create the tables in a new file. Two runs may race to do it: the second one waits for the
/// first one's transaction and then finds the tables there.
fn create(conn: &Connection, server: &str) -> rusqlite::Result<()> {
    in_write_transaction(conn, || {
        if user_version(conn)? == 0 {
            install_schema(conn, server)?;
        }
        Ok(())
    })
}

fn conn_for_rebuild(path: &Path) -> Result<Connection, CacheError> {
    Connection::open(path).map_err(|e| CacheError::Unavailable {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Drop every table of an older schema and create the current one, in one transaction.
fn rebuild(conn: &Connection, server: &str) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    in_write_transaction(conn, || {
        if user_version(conn)? < SCHEMA_VERSION {
            let tables: Vec<String> = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for t in tables {
                conn.execute_batch(&format!("DROP TABLE IF EXISTS \"{t}\""))?;
            }
            install_schema(conn, server)?;
        }
        Ok(())
    })
}

fn user_version(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// The tables, the server they belong to, and the header that marks the file as ours.
fn install_schema(conn: &Connection, server: &str) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    meta_set(conn, "server", server)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)
}

/// Run `f` in a `BEGIN IMMEDIATE` transaction (the write lock first, so two runs creating or
/// rebuilding the same file take turns), committed when it succeeds.
fn in_write_transaction(
    conn: &Connection,
    f: impl FnOnce() -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match f() {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Move a broken file (and its WAL companions) to `<name>.broken-<unix time>`.
pub(super) fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let aside = sibling(path, &format!(".broken-{stamp}"));
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let companion = sibling(path, suffix);
        if companion.exists() {
            let _ = std::fs::rename(&companion, sibling(&aside, suffix));
        }
    }
    Ok(aside)
}

pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
