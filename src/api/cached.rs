//! Fetching through the local cache (`crate::cache`): what to ask the server for, given what
//! the cache already holds.
//!
//! Once per run, [`catch_up`] brings the cache level with the server in one or two small
//! requests: every build above the cache's watermark (`buildid__gt=`, primary-key order, so
//! cheap for the master), and fresh copies of the builds that were still running. Then:
//! - a builder whose coverage reaches the run's watermark is answered from the cache;
//! - the other builders are fetched as without a cache (`recent::fetch_recent_builds`) and
//!   become covered;
//! - the builders list (and the workers' `configured_on`, which changes with it) is reused for
//!   [`LISTS_TTL`] seconds; worker connection state is fetched every run (a trimmed list).
//!
//! `--offline` answers from the cache alone, whatever its age, and says what it lacks.

use std::collections::{HashMap, HashSet};

use super::client::HttpClient;
use super::endpoints::{self, Fields, MAX_IDS_PER_REQUEST};
use super::error::{ApiError, ApiErrorKind};
use super::recent::{RecentBuilds, fetch_recent_builds};
use super::source::Source;
use super::types::{
    Build, BuildId, Builder, BuilderId, BuildersPage, BuildsPage, Worker, WorkersPage,
};
use crate::cache::{CachedBuild, StoredBuild};

/// How long the builders list and the workers' configuration are reused. A master's
/// configuration changes a few times a week; `bbreport cache clear` forces a fresh read.
pub const LISTS_TTL: i64 = 3600;
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
pub async fn catch_up(client: &HttpClient) -> CatchUp {
    let cell = client.catch_up.clone();
    cell.get_or_init(|| catch_up_once(client)).await.clone()
}

async fn catch_up_once(client: &HttpClient) -> CatchUp {
    let Some(cache) = client.cache() else {
        return CatchUp::default();
    };
    let previous = cache.watermark().map(|(w, _)| w);
    if client.is_offline() {
        return CatchUp {
            watermark: previous,
            ..CatchUp::default()
        };
    }
    let Some(from) = previous else {
        return CatchUp::default(); // first run: the reports' own fetches set the watermark
    };
    let running = cache.running_build_ids(from);
    let (new, refreshed) = tokio::join!(builds_after(client, from), builds_by_id(client, &running));
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
    cache.apply_catch_up(Some(from), to, &stored(&builds), &gone, client.now());
    CatchUp {
        // A catch-up cut short holds every build up to `to`, but not the newest ones: nothing
        // is current, so the reports fetch what they show.
        watermark: complete.then_some(to),
        active_builders,
    }
}

/// Every build above `from`, oldest first, in pages; `false` when there were more than
/// [`CATCH_UP_PAGES`] pages.
async fn builds_after(client: &HttpClient, from: BuildId) -> Result<(Vec<Build>, bool), ApiError> {
    let mut out: Vec<Build> = Vec::new();
    let mut after = from;
    for _ in 0..CATCH_UP_PAGES {
        let page: BuildsPage = client
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
async fn builds_by_id_with(
    client: &HttpClient,
    ids: &[BuildId],
    with_revision: bool,
) -> Result<Vec<Build>, ApiError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(MAX_IDS_PER_REQUEST) {
        let page: BuildsPage = client
            .get_json(&endpoints::builds_by_id(chunk, with_revision))
            .await?;
        out.extend(page.builds);
    }
    Ok(out)
}

async fn builds_by_id(client: &HttpClient, ids: &[BuildId]) -> Result<Vec<Build>, ApiError> {
    builds_by_id_with(client, ids, false).await
}

/// The builders list: reused from the cache for [`LISTS_TTL`], else fetched and stored.
pub async fn builders(client: &HttpClient, force: bool) -> Result<Vec<Builder>, ApiError> {
    let cache = client.cache();
    if let Some(cache) = cache
        && !force
        && let Some(list) = fresh_document::<Vec<Builder>>(client, cache, "builders")
    {
        return Ok(list);
    }
    if client.is_offline() {
        return Err(not_cached(client, endpoints::BUILDERS));
    }
    let list = client
        .get_json::<BuildersPage>(endpoints::BUILDERS)
        .await?
        .builders;
    if let Some(cache) = cache
        && let Ok(body) = serde_json::to_string(&list)
    {
        cache.put_document("builders", &body, client.now());
    }
    Ok(list)
}

/// Workers with their connection state as of now; `configured_on` (which builders each
/// serves) comes from the cache while it is fresh, so a warm run reads the trimmed list only.
pub async fn workers(client: &HttpClient) -> Result<Vec<Worker>, ApiError> {
    let Some(cache) = client.cache() else {
        return Ok(client
            .get_json::<WorkersPage>(endpoints::WORKERS)
            .await?
            .workers);
    };
    if client.is_offline() {
        // The newest connection state seen, else the full list's.
        return ["workers_state", "workers"]
            .iter()
            .find_map(|name| {
                let (body, _) = cache.document(name)?;
                serde_json::from_str(&body).ok()
            })
            .ok_or_else(|| not_cached(client, endpoints::WORKERS));
    }
    if let Some(configured) = fresh_document::<Vec<Worker>>(client, cache, "workers") {
        let state = client
            .get_json::<WorkersPage>(endpoints::WORKERS_STATE)
            .await?
            .workers;
        let config: HashMap<u32, &Worker> = configured.iter().map(|w| (w.workerid, w)).collect();
        // A worker the cached configuration does not know: the configuration changed.
        if state.iter().all(|w| config.contains_key(&w.workerid)) {
            let merged: Vec<Worker> = state
                .into_iter()
                .map(|mut w| {
                    w.configured_on = config[&w.workerid].configured_on.clone();
                    w
                })
                .collect();
            if let Ok(body) = serde_json::to_string(&merged) {
                cache.put_document("workers_state", &body, client.now());
            }
            return Ok(merged);
        }
    }
    let list = client
        .get_json::<WorkersPage>(endpoints::WORKERS)
        .await?
        .workers;
    if let Ok(body) = serde_json::to_string(&list) {
        cache.put_document("workers", &body, client.now());
        cache.forget_document("workers_state");
    }
    Ok(list)
}

/// A cached list, if it is younger than [`LISTS_TTL`] (any age `--offline`).
fn fresh_document<T: serde::de::DeserializeOwned>(
    client: &HttpClient,
    cache: &crate::cache::Cache,
    name: &str,
) -> Option<T> {
    let (body, fetched_at) = cache.document(name)?;
    if !client.is_offline() && client.now() - fetched_at > LISTS_TTL {
        return None;
    }
    let value = serde_json::from_str(&body).ok()?;
    client.stats().count_cache_hits(1);
    Some(value)
}

/// The newest `per_builder` builds of each builder, from the cache where it covers them.
pub async fn recent_builds(
    source: &Source,
    client: &HttpClient,
    ids: &[BuilderId],
    per_builder: usize,
    with_revision: bool,
) -> Result<RecentBuilds, ApiError> {
    let Some(cache) = client.cache() else {
        return fetch_recent_builds(source, ids, per_builder, with_revision, Fields::Summary).await;
    };
    let watermark = catch_up(client).await.watermark;
    let mut out = RecentBuilds::default();
    let mut missing: Vec<BuilderId> = Vec::new();
    let mut needs_revision: Vec<BuildId> = Vec::new();
    for &id in ids {
        let cached = watermark
            .and_then(|w| cache.covered_builds(id, w, per_builder))
            .and_then(read_back);
        match cached {
            Some(builds) => {
                needs_revision.extend(
                    builds
                        .iter()
                        .filter(|(_, has_revision)| with_revision && !has_revision)
                        .map(|(b, _)| b.buildid),
                );
                out.by_builder
                    .insert(id, builds.into_iter().map(|(b, _)| b).collect());
            }
            None => missing.push(id),
        }
    }
    client.stats().count_cache_hits(out.by_builder.len() as u64);

    if client.is_offline() {
        let served = !out.by_builder.is_empty();
        for id in missing {
            out.failed.insert(
                id,
                format!("fewer than {per_builder} of its builds are in the cache (--offline)"),
            );
        }
        if !served && !out.failed.is_empty() {
            return Err(not_cached(client, endpoints::BUILDS));
        }
        return Ok(out);
    }

    if !needs_revision.is_empty() {
        // A failure here leaves the builds without revisions, as a live fetch that could not
        // read them would: the reports already handle builds without `got_revision`.
        if let Ok(with_rev) = builds_by_id_with(client, &needs_revision, true).await {
            cache.store_builds(&stored(&with_rev), true);
            let fresh: HashMap<BuildId, Build> =
                with_rev.into_iter().map(|b| (b.buildid, b)).collect();
            for builds in out.by_builder.values_mut() {
                for b in builds.iter_mut() {
                    if let Some(f) = fresh.get(&b.buildid) {
                        *b = f.clone();
                    }
                }
            }
        }
    }

    if !missing.is_empty() {
        let fetched = match fetch_recent_builds(
            source,
            &missing,
            per_builder,
            with_revision,
            Fields::Summary,
        )
        .await
        {
            Ok(f) => f,
            Err(e) if out.by_builder.is_empty() => return Err(e),
            Err(e) => RecentBuilds {
                failed: missing.iter().map(|id| (*id, e.to_string())).collect(),
                ..RecentBuilds::default()
            },
        };
        // Coverage holds up to the catch-up's watermark (the fetch came after it), or on a first
        // run up to the fetch's own watermark.
        if let Some(covered_to) = watermark.or(fetched.watermark) {
            let unbounded: HashSet<BuilderId> = if watermark.is_some() {
                HashSet::new()
            } else {
                fetched.no_watermark.iter().copied().collect()
            };
            let rows: Vec<(BuilderId, Vec<StoredBuild>, bool)> = fetched
                .by_builder
                .iter()
                .filter(|(id, _)| !unbounded.contains(id))
                .map(|(id, builds)| (*id, stored(builds), builds.len() < per_builder))
                .collect();
            let rows: Vec<(BuilderId, &[StoredBuild], bool)> = rows
                .iter()
                .map(|(id, builds, whole)| (*id, builds.as_slice(), *whole))
                .collect();
            cache.store_fetched(&rows, covered_to, with_revision);
            if watermark.is_none() {
                cache.apply_catch_up(None, covered_to, &[], &[], client.now());
            }
        }
        out.by_builder.extend(fetched.by_builder);
        out.failed.extend(fetched.failed);
    }
    Ok(out)
}

/// Builds as the cache files them. A `Build` always serialises (plain fields, string-keyed
/// maps); were one ever not to, its empty body would read back as unreadable, and its builder
/// be fetched again.
fn stored(builds: &[Build]) -> Vec<StoredBuild> {
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
fn read_back(cached: Vec<CachedBuild>) -> Option<Vec<(Build, bool)>> {
    cached
        .into_iter()
        .map(|c| Some((serde_json::from_str(&c.build.body).ok()?, c.has_revision)))
        .collect()
}

fn not_cached(client: &HttpClient, path: &str) -> ApiError {
    ApiError {
        url: client.server().api_url(path),
        kind: ApiErrorKind::NotCached,
    }
}
