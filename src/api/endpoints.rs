//! Every path bbreport asks a master for, relative to its `api/v2/` root: the one place that
//! spells Buildbot's query syntax. What is fetched when, and from where, is `crate::fetch`'s.
//!
//! Each query lists the fields it reads (`field=` trims the JSON, not the server's SQL work), and
//! orders and filters by indexed columns where the master's cost matters.

use super::types::{BuildId, BuilderId};

/// About 20 bytes per `builderid__eq=NNNN&`: 300 ids keep the URL near 6 KB, under the 8 KB
/// request-line limit common in front proxies (nginx's default).
pub const MAX_IDS_PER_REQUEST: usize = 300;

/// Build fields bbreport reads. Every filter or order field must be listed too, or Buildbot
/// answers 400.
pub const BUILD_FIELDS: &[&str] = &[
    "buildid",
    "builderid",
    "number",
    "results",
    "complete",
    "started_at",
    "complete_at",
    "state_string",
    // Links the re-run of a RETRY build to it (the same build request).
    "buildrequestid",
    // Which master runs a running build: a build whose master is gone is stale.
    "masterid",
];

/// Change fields bbreport reads (each change costs the server a sourcestamp lookup; fewer
/// fields only trim the JSON).
const CHANGE_FIELDS: &str =
    "field=changeid&field=revision&field=branch&field=author&field=comments&field=when_timestamp";

/// The builders list, with the fields the reports read.
pub const BUILDERS: &str = "builders?field=builderid&field=name&field=masterids&field=tags";
/// The workers list, with which builders each serves (`configured_on`).
pub const WORKERS: &str =
    "workers?field=workerid&field=name&field=connected_to&field=configured_on&field=paused";
/// Connection state only: a tenth of the full list's size on python.org's fleet.
pub const WORKERS_STATE: &str = "workers?field=workerid&field=name&field=connected_to&field=paused";
/// The masters, read only when some build is running: a build whose master is gone is stale
/// (`crate::model::stale`).
pub const MASTERS: &str = "masters?field=masterid&field=name&field=active&field=last_active";
/// Paused workers with every field the master has: `pause_reason` exists from Buildbot 4.x
/// only, and asking an older master for it by `field=` is a 400. Read only when a worker is
/// paused (the `paused` filter is pushed to SQL).
pub const PAUSED_WORKERS: &str = "workers?paused=true";
/// The builds collection, as named in errors about builds as a whole (`--offline`).
pub const BUILDS: &str = "builds";
/// The master's newest build, its id only. Costly on a big master: Buildbot counts (and on
/// SQLite materialises) every build for the `limit` (1.0-1.2 s on 2.4 million builds), so it is
/// asked only when [`newest_build_of`] finds nothing.
pub const NEWEST_BUILD: &str = "builds?order=-buildid&limit=1&field=buildid";

/// The newest build of a few builders, its id only: the count Buildbot runs for the `limit`
/// covers only their builds (`builderid` is indexed).
pub fn newest_build_of(builderids: &[BuilderId]) -> String {
    let mut q: Vec<String> = builderids
        .iter()
        .map(|id| format!("builderid__eq={id}"))
        .collect();
    q.push("order=-buildid&limit=1&field=buildid&field=builderid".into());
    format!("builds?{}", q.join("&"))
}

/// The builders and workers lists exactly as the master serves them, every field: a snapshot
/// records the master's own answers.
pub const ALL_BUILDERS: &str = "builders";
pub const ALL_WORKERS: &str = "workers";

/// Which build fields a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// The few the reports read ([`BUILD_FIELDS`]).
    Summary,
    /// Every field Buildbot has (for recording snapshots).
    All,
}

/// The newest builds of a set of builders, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildsQuery {
    /// Sent as repeated `builderid__eq=`, which Buildbot turns into one SQL `IN`.
    pub builderids: Vec<BuilderId>,
    /// Only builds with a smaller id (`buildid__lt=`): key-set paging, cheaper than `offset`.
    pub before: Option<BuildId>,
    /// Only builds with a larger id (`buildid__gt=`): the window's floor. Buildbot counts every
    /// row matching a limited query before it cuts the page (Buildbot 4.3,
    /// `ResultSpec.applyToSQLQuery`), so without a floor a query's cost grows with the
    /// builders' whole history.
    pub after: Option<BuildId>,
    /// Global, not per builder: a busy builder can fill the page.
    pub limit: usize,
    /// Also fetch the `got_revision` property (one extra SQL query per build on the server).
    pub with_revision: bool,
    pub fields: Fields,
}

impl BuildsQuery {
    pub fn to_path(&self) -> String {
        let mut q: Vec<String> = self
            .builderids
            .iter()
            .map(|id| format!("builderid__eq={id}"))
            .collect();
        if let Some(after) = self.after {
            q.push(format!("buildid__gt={after}"));
        }
        if let Some(before) = self.before {
            q.push(format!("buildid__lt={before}"));
        }
        // -buildid is the primary key: the cheap order (started_at has no index).
        q.push("order=-buildid".into());
        q.push(format!("limit={}", self.limit));
        if self.fields == Fields::Summary {
            q.extend(BUILD_FIELDS.iter().map(|f| format!("field={f}")));
            if self.with_revision {
                q.push("field=properties".into());
            }
        }
        if self.with_revision {
            q.push("property=got_revision".into());
        }
        format!("builds?{}", q.join("&"))
    }
}

/// The newest `limit` builds of one builder, through its `(builderid, number)` index.
pub fn builder_builds(
    builderid: BuilderId,
    limit: usize,
    with_revision: bool,
    fields: Fields,
) -> String {
    let mut path = format!("builders/{builderid}/builds?order=-number&limit={limit}");
    if fields == Fields::Summary {
        for f in BUILD_FIELDS {
            path.push_str("&field=");
            path.push_str(f);
        }
        if with_revision {
            path.push_str("&field=properties");
        }
    }
    if with_revision {
        path.push_str("&property=got_revision");
    }
    path
}

/// Up to `limit` builds above `after`, oldest first (`order=buildid`: primary-key order, cheap
/// for the master).
pub fn builds_after(after: BuildId, limit: usize) -> String {
    let fields: String = BUILD_FIELDS.iter().map(|f| format!("&field={f}")).collect();
    format!("builds?buildid__gt={after}&order=buildid&limit={limit}{fields}")
}

/// The given builds (`buildid__eq=` IN-list, at most [`MAX_IDS_PER_REQUEST`]), with
/// `got_revision` if asked.
pub fn builds_by_id(ids: &[BuildId], with_revision: bool) -> String {
    let mut q: Vec<String> = ids.iter().map(|id| format!("buildid__eq={id}")).collect();
    q.push(format!("limit={}", ids.len()));
    q.extend(BUILD_FIELDS.iter().map(|f| format!("field={f}")));
    if with_revision {
        q.push("field=properties".into());
        q.push("property=got_revision".into());
    }
    format!("builds?{}", q.join("&"))
}

/// The newest `limit` changes (commits), every field. Always with a limit: an unlimited
/// `/changes` loads every change the master ever saw.
pub fn recent_changes(limit: usize) -> String {
    format!("changes?order=-changeid&limit={limit}")
}

/// The changes with these exact revisions (one `revision__eq` IN-list query; indexed).
pub fn changes_with_revisions(revisions: &[String]) -> String {
    let mut q: Vec<String> = revisions
        .iter()
        .map(|r| format!("revision__eq={r}"))
        .collect();
    q.push(CHANGE_FIELDS.into());
    q.push(format!("limit={}", revisions.len() * 4));
    q.push("order=-changeid".into());
    format!("changes?{}", q.join("&"))
}

/// The newest `limit` changes of a git branch. (Buildbot answers a limited `changes` page in
/// ascending order.)
pub fn branch_changes(git_branch: &str, limit: usize) -> String {
    let branch = percent_encode(git_branch);
    format!("changes?branch={branch}&order=-changeid&limit={limit}&{CHANGE_FIELDS}")
}

/// [`branch_changes`] with the changes' properties (a pull request's base branch): no more
/// work for the server, which reads every change's properties anyway.
pub fn branch_changes_with_properties(git_branch: &str, limit: usize) -> String {
    format!("{}&field=properties", branch_changes(git_branch, limit))
}

/// Up to `limit` changes below `before` (all when `None`), newest first in the query (the
/// master answers the page in ascending order): the one `changes` query a master before 3.9
/// runs in SQL (`changeid` is the only column its query selects), so its branch and revision
/// filters are applied here instead (`crate::model::server_version`).
pub fn changes_page(before: Option<u64>, limit: usize) -> String {
    match before {
        Some(id) => {
            format!("changes?changeid__lt={id}&order=-changeid&limit={limit}&{CHANGE_FIELDS}")
        }
        None => format!("changes?order=-changeid&limit={limit}&{CHANGE_FIELDS}"),
    }
}

/// The changes of a revision: `revision=` (indexed) for a full hash, `revision__contains` for a
/// lowercase prefix (the caller checks that the match is a prefix).
pub fn changes_at_revision(rev: &str) -> String {
    if rev.len() == 40 {
        format!("changes?revision={rev}&{CHANGE_FIELDS}")
    } else {
        format!("changes?revision__contains={rev}&order=-changeid&limit=50&{CHANGE_FIELDS}")
    }
}

/// The builds of one change (one server-side join).
pub fn change_builds(changeid: u64) -> String {
    let fields: Vec<String> = BUILD_FIELDS.iter().map(|f| format!("field={f}")).collect();
    format!("changes/{changeid}/builds?{}", fields.join("&"))
}

/// A build by builder id and number, or the builder's newest build when `number` is `None`,
/// with `got_revision`.
pub fn build(builderid: BuilderId, number: Option<u32>) -> String {
    match number {
        Some(n) => format!("builders/{builderid}/builds/{n}?property=got_revision"),
        None => format!("builders/{builderid}/builds?order=-number&limit=1&property=got_revision"),
    }
}

pub fn steps(buildid: BuildId) -> String {
    format!("builds/{buildid}/steps")
}

pub fn logs(stepid: u64) -> String {
    format!("steps/{stepid}/logs")
}

/// Lines `offset..offset+limit` of a log through `/contents`. `/raw` is never used: on
/// python.org big raw logs time out.
pub fn log_lines(logid: u64, offset: u64, limit: u64) -> String {
    format!("logs/{logid}/contents?offset={offset}&limit={limit}")
}

/// Branch names can hold `/` and other characters that must not break the query string.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_stay_under_the_proxy_url_limit() {
        let q = BuildsQuery {
            builderids: (100_000..100_000 + MAX_IDS_PER_REQUEST as u32).collect(),
            before: Some(9_999_999),
            after: Some(9_000_000),
            limit: 2400,
            with_revision: true,
            fields: Fields::Summary,
        };
        let url = format!("https://buildbot.python.org/all/api/v2/{}", q.to_path());
        assert!(url.len() < 8192, "{} bytes", url.len());
    }
}
