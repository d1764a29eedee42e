//! A fake Buildbot 3.0.3 master, for what a master before 3.9 does with `changes` on more
//! history than the harness's real 3.0.3 master holds (thousands of changes over several
//! branches). What it copies from the real one (README, "Master versions";
//! `crate::model::server_version` in the library):
//! - `GET /config` is a 404 HTML page and the web root's HTML embeds the config, with the
//!   version (both bodies recorded from a real 3.0.3 master: tests/fixtures/buildbot-3.0.3/);
//! - `changes` filtered by `branch` or `revision*` is filtered in Python after reading the
//!   whole table, and a limited query answers the *oldest* matches, ascending;
//! - `changes` ordered and cut by `changeid` alone (`changeid__lt=`) is done in SQL: the newest
//!   below the bound, answered ascending.
//!
//! Builders and workers are `stub::fleet_pages` (branch 3.x, stable, tier 1); every build
//! passed and carries its `got_revision`.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::stub::{Reply, fleet_pages, json, serve};

/// One change (commit) the master knows.
#[derive(Debug, Clone)]
pub struct Change {
    pub changeid: u64,
    pub revision: String,
    pub branch: String,
}

impl Change {
    /// A change with a revision made from its id: 40 hex digits starting with `0`, so that no
    /// generated revision starts with a prefix a test picks (`abcd`, `5eed`).
    pub fn new(changeid: u64, branch: &str) -> Change {
        let mix = u128::from(changeid).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        Change {
            changeid,
            revision: format!("0{changeid:07x}{mix:032x}"),
            branch: branch.into(),
        }
    }

    /// The same change with this revision.
    pub fn with_revision(mut self, revision: &str) -> Change {
        assert_eq!(revision.len(), 40, "{revision}");
        self.revision = revision.into();
        self
    }

    fn json(&self) -> String {
        format!(
            r#"{{"changeid":{},"revision":"{}","branch":"{}","author":"A <a@example.org>","comments":"change {}","when_timestamp":{}}}"#,
            self.changeid,
            self.revision,
            self.branch,
            self.changeid,
            1_795_000_000 + self.changeid
        )
    }
}

/// One finished, passing build of `builderid` (1..=builders) that checked out `revision`.
#[derive(Debug, Clone)]
pub struct Build {
    pub builderid: u32,
    pub number: u32,
    pub revision: String,
}

impl Build {
    /// Builds of round N come after every build of round N-1, as on a real master.
    fn buildid(&self) -> u64 {
        u64::from(self.number) * 100 + u64::from(self.builderid)
    }

    fn json(&self) -> String {
        let started = 1_795_300_000 + i64::from(self.number) * 3600;
        format!(
            r#"{{"buildid":{},"builderid":{},"number":{},"results":0,"complete":true,"started_at":{started},"complete_at":{},"state_string":"build successful","masterid":1,"properties":{{"got_revision":["{}","Git"]}}}}"#,
            self.buildid(),
            self.builderid,
            self.number,
            started + 600,
            self.revision
        )
    }
}

/// What the master was asked, and (with [`Fake::hold_lists`]) how long the builders list's
/// answer waited for the version to be asked (the longest wait, over every such request).
#[derive(Debug, Default)]
pub struct Seen {
    pub paths: Vec<String>,
    pub version_asked: bool,
    pub builders_held: Option<Duration>,
}

/// The fake master to serve.
pub struct Fake {
    pub builders: u32,
    pub changes: Vec<Change>,
    pub builds: Vec<Build>,
    /// Hold the answer to the builders list until the version was asked for (`/config` or the
    /// web root), for at most two seconds: a client that asks for the version only after the
    /// lists are answered is caught waiting.
    pub hold_lists: bool,
}

/// A serving fake: its root URL and what it was asked.
pub struct OldMaster {
    pub url: String,
    pub seen: Arc<(Mutex<Seen>, Condvar)>,
}

impl OldMaster {
    /// Every path and query asked, in order.
    pub fn paths(&self) -> Vec<String> {
        self.seen.0.lock().expect("lock").paths.clone()
    }

    pub fn builders_held(&self) -> Option<Duration> {
        self.seen.0.lock().expect("lock").builders_held
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/buildbot-3.0.3/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn serve_old_master(fake: Fake) -> OldMaster {
    let root = fixture("root.html");
    let config_404 = fixture("config-404.html");
    let (builders, workers) = fleet_pages(fake.builders);
    let seen = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
    let state = Arc::clone(&seen);
    let stub = serve(move |path| {
        let (lock, cond) = &*state;
        lock.lock().expect("lock").paths.push(path.to_string());
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        match route {
            "/" | "/config" => {
                lock.lock().expect("lock").version_asked = true;
                cond.notify_all();
                if route == "/" {
                    Reply::Body(200, "text/html", root.clone())
                } else {
                    Reply::Body(404, "text/html; charset=utf-8", config_404.clone())
                }
            }
            "/api/v2/builders" => {
                if fake.hold_lists {
                    let start = Instant::now();
                    let mut s = lock.lock().expect("lock");
                    while !s.version_asked && start.elapsed() < Duration::from_secs(2) {
                        s = cond
                            .wait_timeout(s, Duration::from_millis(50))
                            .expect("wait")
                            .0;
                    }
                    let held = start.elapsed();
                    s.builders_held = Some(s.builders_held.map_or(held, |h| h.max(held)));
                }
                json(&builders)
            }
            "/api/v2/workers" => json(&workers),
            "/api/v2/builds" => builds_page(&fake.builds, query),
            "/api/v2/changes" => changes_page(&fake.changes, query),
            _ => match route
                .strip_prefix("/api/v2/changes/")
                .and_then(|r| r.strip_suffix("/builds"))
                .and_then(|id| id.parse::<u64>().ok())
            {
                Some(id) => {
                    let revision = fake
                        .changes
                        .iter()
                        .find(|c| c.changeid == id)
                        .map(|c| c.revision.clone());
                    let items: Vec<String> = fake
                        .builds
                        .iter()
                        .filter(|b| Some(&b.revision) == revision.as_ref())
                        .map(Build::json)
                        .collect();
                    page("builds", &items)
                }
                None => Reply::Body(
                    404,
                    "text/plain; charset=utf-8",
                    br#"{"error": "Invalid path"}"#.to_vec(),
                ),
            },
        }
    });
    OldMaster {
        url: stub.url,
        seen,
    }
}

fn values<'a>(query: &'a str, key: &str) -> Vec<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .collect()
}

fn number<T: std::str::FromStr>(query: &str, key: &str) -> Option<T> {
    values(query, key).first().and_then(|v| v.parse().ok())
}

fn page(kind: &str, items: &[String]) -> Reply {
    json(&format!(
        r#"{{"{kind}":[{}],"meta":{{"total":{}}}}}"#,
        items.join(","),
        items.len()
    ))
}

fn builds_page(builds: &[Build], query: &str) -> Reply {
    let ids: Vec<u32> = values(query, "builderid__eq")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let eq: Vec<u64> = values(query, "buildid__eq")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let lt: u64 = number(query, "buildid__lt").unwrap_or(u64::MAX);
    let gt: u64 = number(query, "buildid__gt").unwrap_or(0);
    let mut found: Vec<&Build> = builds
        .iter()
        .filter(|b| ids.is_empty() || ids.contains(&b.builderid))
        .filter(|b| eq.is_empty() || eq.contains(&b.buildid()))
        .filter(|b| b.buildid() < lt && b.buildid() > gt)
        .collect();
    found.sort_by_key(|b| b.buildid());
    if values(query, "order") != ["buildid"] {
        found.reverse();
    }
    let limit: usize = number(query, "limit").unwrap_or(usize::MAX);
    let items: Vec<String> = found.iter().take(limit).map(|b| b.json()).collect();
    page("builds", &items)
}

/// `changes` as Buildbot 3.0.3 answers it (see the module's doc).
fn changes_page(changes: &[Change], query: &str) -> Reply {
    let limit: usize = number(query, "limit").unwrap_or(usize::MAX);
    let branch = values(query, "branch");
    let eq = values(query, "revision__eq");
    let exact = values(query, "revision");
    let contains = values(query, "revision__contains");
    let mut all: Vec<&Change> = changes.iter().collect();
    all.sort_by_key(|c| c.changeid);
    let filtered_in_python =
        !branch.is_empty() || !eq.is_empty() || !exact.is_empty() || !contains.is_empty();
    let answered: Vec<&Change> = if filtered_in_python {
        // The whole table, filtered, then cut: the oldest matches, whatever `order` says.
        all.into_iter()
            .filter(|c| branch.is_empty() || branch.contains(&c.branch.as_str()))
            .filter(|c| eq.is_empty() || eq.contains(&c.revision.as_str()))
            .filter(|c| exact.is_empty() || exact.contains(&c.revision.as_str()))
            .filter(|c| contains.iter().all(|s| c.revision.contains(s)))
            .take(limit)
            .collect()
    } else {
        let lt: u64 = number(query, "changeid__lt").unwrap_or(u64::MAX);
        let mut below: Vec<&Change> = all.into_iter().filter(|c| c.changeid < lt).collect();
        if values(query, "order") == ["-changeid"] {
            below.reverse();
        }
        let mut cut: Vec<&Change> = below.into_iter().take(limit).collect();
        cut.sort_by_key(|c| c.changeid);
        cut
    };
    let items: Vec<String> = answered.iter().map(|c| c.json()).collect();
    page("changes", &items)
}
