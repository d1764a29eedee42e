//! The builders and workers lists, reused from the cache while fresh: a master's
//! configuration changes a few times a week, its workers' connections any minute.
//!
//! The builders list (and the workers' `configured_on`, which changes with it) is reused for
//! [`LISTS_TTL`] seconds; worker connection state is fetched every run (a trimmed list).
//! `--offline` reads them from the cache whatever their age.

use std::collections::{HashMap, HashSet};

use super::catch_up::catch_up;
use super::source::{Live, Source};
use crate::api::types::{
    Build, Builder, BuilderId, BuildersPage, Master, MastersPage, Worker, WorkersPage,
};
use crate::api::{ApiError, endpoints};
use crate::cache::Cache;
use crate::model::stale::{self, StaleBuilds, StaleRule};

/// How long the builders list and the workers' configuration are reused. `bbreport cache
/// clear` forces a fresh read.
pub const LISTS_TTL: i64 = 3600;

/// How long the masters list is reused: a master's row changes once a minute (`last_active`)
/// and a dead one is told by a lag of minutes (`crate::model::stale::SILENT_AFTER`), so a warm
/// run right after another asks nothing more.
pub const MASTERS_TTL: i64 = 60;

impl Source {
    pub async fn builders(&self) -> Result<Vec<Builder>, ApiError> {
        match self {
            Source::Live(live) => builders(live, false).await,
            Source::Snapshot(s) => Ok(s.builders.clone()),
        }
    }

    pub async fn workers(&self) -> Result<Vec<Worker>, ApiError> {
        match self {
            Source::Live(live) => workers(live).await,
            Source::Snapshot(s) => Ok(s.workers.clone()),
        }
    }

    /// The stale builds among `by_builder` ([`stale::judge`]), as of `as_of` (when the data was
    /// read). The masters list is read only when some build is running, so a run with no
    /// running build makes no extra request; a snapshot and `--offline` have no masters list,
    /// and judge by time alone.
    pub async fn stale_builds(
        &self,
        by_builder: &HashMap<BuilderId, Vec<Build>>,
        rule: StaleRule,
        as_of: i64,
    ) -> Result<StaleBuilds, ApiError> {
        let running = by_builder.values().flatten().any(stale::is_incomplete);
        let gone = match self {
            Source::Live(live) if running => stale::gone_masters(&masters(live).await?),
            Source::Live(_) | Source::Snapshot(_) => HashSet::new(),
        };
        Ok(stale::judge(by_builder, &gone, rule, as_of))
    }

    /// Builders and workers, for reports that go on to read builds: with a cache, the run's
    /// catch-up with the server goes out in the same round of requests. A builder that started
    /// building since the cached builders list was read means the configuration changed: the
    /// list is read again.
    pub async fn fleet(&self) -> Result<(Vec<Builder>, Vec<Worker>), ApiError> {
        let Source::Live(live) = self else {
            return tokio::try_join!(self.builders(), self.workers());
        };
        let (builders, workers, catch_up) =
            tokio::join!(self.builders(), self.workers(), catch_up(live));
        let (mut builders, workers) = (builders?, workers?);
        let known: HashSet<BuilderId> = builders.iter().map(|b| b.builderid).collect();
        if !live.is_offline()
            && catch_up
                .active_builders
                .iter()
                .any(|id| !known.contains(id))
        {
            builders = self::builders(live, true).await?;
        }
        Ok((builders, workers))
    }
}

/// The builders list: reused from the cache for [`LISTS_TTL`], else fetched and stored.
async fn builders(live: &Live, force: bool) -> Result<Vec<Builder>, ApiError> {
    let cache = live.cache();
    if let Some(cache) = cache
        && !force
        && let Some(list) = fresh_document::<Vec<Builder>>(live, cache, "builders")
    {
        return Ok(list);
    }
    if live.is_offline() {
        return Err(live.not_cached(endpoints::BUILDERS));
    }
    let list = live
        .get_json::<BuildersPage>(endpoints::BUILDERS)
        .await?
        .builders;
    if let Some(cache) = cache
        && let Ok(body) = serde_json::to_string(&list)
    {
        cache.put_document("builders", &body, live.now());
    }
    Ok(list)
}

/// Workers with their connection state as of now; `configured_on` (which builders each
/// serves) comes from the cache while it is fresh, so a warm run reads the trimmed list only.
async fn workers(live: &Live) -> Result<Vec<Worker>, ApiError> {
    let Some(cache) = live.cache() else {
        let mut list = live
            .get_json::<WorkersPage>(endpoints::WORKERS)
            .await?
            .workers;
        add_pause_reasons(live, &mut list).await?;
        return Ok(list);
    };
    if live.is_offline() {
        // The newest connection state seen, else the full list's.
        return ["workers_state", "workers"]
            .iter()
            .find_map(|name| {
                let (body, _) = cache.document(name)?;
                serde_json::from_str(&body).ok()
            })
            .ok_or_else(|| live.not_cached(endpoints::WORKERS));
    }
    if let Some(configured) = fresh_document::<Vec<Worker>>(live, cache, "workers") {
        let state = live
            .get_json::<WorkersPage>(endpoints::WORKERS_STATE)
            .await?
            .workers;
        let config: HashMap<u32, &Worker> = configured.iter().map(|w| (w.workerid, w)).collect();
        // A worker the cached configuration does not know: the configuration changed.
        if state.iter().all(|w| config.contains_key(&w.workerid)) {
            let mut merged: Vec<Worker> = state
                .into_iter()
                .map(|mut w| {
                    w.configured_on = config[&w.workerid].configured_on.clone();
                    w
                })
                .collect();
            add_pause_reasons(live, &mut merged).await?;
            if let Ok(body) = serde_json::to_string(&merged) {
                cache.put_document("workers_state", &body, live.now());
            }
            return Ok(merged);
        }
    }
    let mut list = live
        .get_json::<WorkersPage>(endpoints::WORKERS)
        .await?
        .workers;
    add_pause_reasons(live, &mut list).await?;
    if let Ok(body) = serde_json::to_string(&list) {
        cache.put_document("workers", &body, live.now());
        cache.forget_document("workers_state");
    }
    Ok(list)
}

/// The masters list, read at most once a run (concurrent callers share the one request) and
/// reused from the cache for [`MASTERS_TTL`] (`--offline`: whatever the cache holds, else none:
/// the time rule alone).
async fn masters(live: &Live) -> Result<Vec<Master>, ApiError> {
    live.masters
        .get_or_try_init(|| read_masters(live))
        .await
        .cloned()
}

/// Start reading the masters list now, in the background, when `builds` holds a running build
/// (the list is needed only then): called by the builds fetch as soon as a round of requests
/// shows one, so the list arrives with the fetch's next round instead of in a round of its own
/// afterwards. A failure is left for [`Source::stale_builds`] to meet again and report.
pub(super) fn prefetch_masters_if_running<'a>(
    live: &Live,
    mut builds: impl Iterator<Item = &'a Build>,
) {
    if live.is_offline() || live.masters.initialized() || !builds.any(stale::is_incomplete) {
        return;
    }
    let live = live.clone();
    tokio::spawn(async move {
        let _ = masters(&live).await;
    });
}

async fn read_masters(live: &Live) -> Result<Vec<Master>, ApiError> {
    let cache = live.cache();
    if let Some(cache) = cache
        && let Some(list) =
            fresh_document_within::<Vec<Master>>(live, cache, "masters", MASTERS_TTL)
    {
        return Ok(list);
    }
    if live.is_offline() {
        return Ok(Vec::new());
    }
    let list = live
        .get_json::<MastersPage>(endpoints::MASTERS)
        .await?
        .masters;
    if let Some(cache) = cache
        && let Ok(body) = serde_json::to_string(&list)
    {
        cache.put_document("masters", &body, live.now());
    }
    Ok(list)
}

/// Why each paused worker was paused: the trimmed lists cannot ask for `pause_reason` (a 400
/// on masters before 4.x, which lack the field), so when some connected worker is paused, the
/// paused ones are read again with every field, in one request. A master without the field
/// leaves the reasons unknown.
async fn add_pause_reasons(live: &Live, workers: &mut [Worker]) -> Result<(), ApiError> {
    if !workers
        .iter()
        .any(|w| w.paused && !w.connected_to.is_empty())
    {
        return Ok(());
    }
    let paused = live
        .get_json::<WorkersPage>(endpoints::PAUSED_WORKERS)
        .await?
        .workers;
    let reasons: HashMap<u32, Option<String>> = paused
        .into_iter()
        .map(|w| (w.workerid, w.pause_reason))
        .collect();
    for w in workers.iter_mut() {
        if let Some(reason) = reasons.get(&w.workerid) {
            w.pause_reason.clone_from(reason);
        }
    }
    Ok(())
}

/// A cached list, if it is younger than [`LISTS_TTL`] (any age `--offline`).
fn fresh_document<T: serde::de::DeserializeOwned>(
    live: &Live,
    cache: &Cache,
    name: &str,
) -> Option<T> {
    fresh_document_within(live, cache, name, LISTS_TTL)
}

/// A cached document younger than `ttl` seconds (any age `--offline`).
fn fresh_document_within<T: serde::de::DeserializeOwned>(
    live: &Live,
    cache: &Cache,
    name: &str,
    ttl: i64,
) -> Option<T> {
    let (body, fetched_at) = cache.document(name)?;
    if !live.is_offline() && live.now() - fetched_at > ttl {
        return None;
    }
    let value = serde_json::from_str(&body).ok()?;
    live.stats().count_cache_hits(1);
    Some(value)
}
