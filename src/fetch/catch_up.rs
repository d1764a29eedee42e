//! Bringing the local cache level with the server, once per run, in one or two small
//! requests: every build above the cache's watermark (`buildid__gt=`, primary-key order, so
//! cheap for the master), and fresh copies of the builds that were still running. What the
//! watermark then promises is explained in `super::recent`. Also how builds are filed in the
//! cache (ids plus their JSON) and read back.

use std::collections::HashSet;

use super::source::Live;
use crate::api::ApiError;
use crate::api::endpoints::{self, MAX_IDS_PER_REQUEST};
use crate::api::types::{Build, BuildId, BuilderId, BuildsPage};
use crate::cache::{CachedBuild, StoredBuild};

/// Builds per catch-up page, and pages before the catch-up gives up and the run refetches what
/// it shows (cheaper than paging through a long absence).
const CATCH_UP_PAGE: usize = 1000;
const CATCH_UP_PAGES: usize = 5;

/// What the run's catch-up established.
#[derive(Debug, Clone, Default)]
pub struct CatchUp {
    /// Builders covered up to this id are current. `None`: nothing in the cache can be trusted
    /// as current this run (first run, a failed or too long catch-up): fetch everything.
    pub watermark: Option<BuildId>,
    /// Builders that started builds since the last run.
    pub active_builders: HashSet<BuilderId>,
}

/// The run's catch-up, done once however many reports ask.
pub async fn catch_up(live: &Live) -> CatchUp {
    let cell = live.catch_up.clone();
    cell.get_or_init(|| catch_up_once(live)).await.clone()
}

async fn catch_up_once(live: &Live) -> CatchUp {
    let Some(cache) = live.cache() else {
        return CatchUp::default();
    };
    let previous = cache.watermark().map(|(w, _)| w);
    if live.is_offline() {
        return CatchUp {
            watermark: previous,
            ..CatchUp::default()
        };
    }
    let Some(from) = previous else {
        return CatchUp::default(); // first run: the reports' own fetches set the watermark
    };
    let running = cache.running_build_ids(from);
    let (new, refreshed) = tokio::join!(builds_after(live, from), builds_by_id(live, &running));
    let (Ok((new, complete)), Ok(refreshed)) = (new, refreshed) else {
        return CatchUp::default(); // the reports' own fetches will say what failed
    };
    let still_there: HashSet<BuildId> = refreshed.iter().map(|b| b.buildid).collect();
    let gone: Vec<BuildId> = running
        .into_iter()
        .filter(|id| !still_there.contains(id))
        .collect();
    let to = new
        .iter()
        .map(|b| b.buildid)
        .max()
        .unwrap_or(from)
        .max(from);
    let active_builders = new.iter().map(|b| b.builderid).collect();
    let mut builds = new;
    builds.extend(refreshed);
    cache.apply_catch_up(Some(from), to, &stored(&builds), &gone, live.now());
    CatchUp {
        // A catch-up cut short holds every build up to `to`, but not the newest ones: nothing
        // is current, so the reports fetch what they show.
        watermark: complete.then_some(to),
        active_builders,
    }
}

/// Every build above `from`, oldest first, in pages; `false` when there were more than
/// [`CATCH_UP_PAGES`] pages.
async fn builds_after(live: &Live, from: BuildId) -> Result<(Vec<Build>, bool), ApiError> {
    let mut out: Vec<Build> = Vec::new();
    let mut after = from;
    for _ in 0..CATCH_UP_PAGES {
        let page: BuildsPage = live
            .get_json(&endpoints::builds_after(after, CATCH_UP_PAGE))
            .await?;
        let full = page.builds.len() >= CATCH_UP_PAGE;
        after = page.builds.iter().map(|b| b.buildid).max().unwrap_or(after);
        out.extend(page.builds);
        if !full {
            return Ok((out, true));
        }
    }
    Ok((out, false))
}

/// Current copies of the given builds (`buildid__eq=` IN-lists), with `got_revision` if asked.
pub(super) async fn builds_by_id_with(
    live: &Live,
    ids: &[BuildId],
    with_revision: bool,
) -> Result<Vec<Build>, ApiError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(MAX_IDS_PER_REQUEST) {
        let page: BuildsPage = live
            .get_json(&endpoints::builds_by_id(chunk, with_revision))
            .await?;
        out.extend(page.builds);
    }
    Ok(out)
}

async fn builds_by_id(live: &Live, ids: &[BuildId]) -> Result<Vec<Build>, ApiError> {
    builds_by_id_with(live, ids, false).await
}

/// Builds as the cache files them. A `Build` always serialises (plain fields, string-keyed
/// maps); were one ever not to, its empty body would read back as unreadable, and its builder
/// be fetched again.
pub(super) fn stored(builds: &[Build]) -> Vec<StoredBuild> {
    builds
        .iter()
        .map(|b| StoredBuild {
            buildid: b.buildid,
            builderid: b.builderid,
            complete: b.complete,
            body: serde_json::to_string(b).unwrap_or_default(),
        })
        .collect()
}

/// A builder's cached builds with whether each has `got_revision`; `None` when a body does not
/// read back (the builder is fetched instead).
pub(super) fn read_back(cached: Vec<CachedBuild>) -> Option<Vec<(Build, bool)>> {
    cached
        .into_iter()
        .map(|c| Some((serde_json::from_str(&c.build.body).ok()?, c.has_revision)))
        .collect()
}
