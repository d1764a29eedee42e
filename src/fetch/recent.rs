//! "The newest N builds of these builders": the one entry point every report reads them
//! through ([`newest_builds`], and [`newest_builds_of`] for a single builder), and the policy
//! deciding where they come from.
//!
//! # Where the builds come from
//!
//! Decided once, in `plan`:
//! - a **snapshot**, a live master **without a cache**, or a read of **every field** (recording
//!   a snapshot; the cache holds only the fields reports read): straight from the source, by
//!   the bulk windows of `super::window`;
//! - a live master **with a cache**: from the cache for each builder it covers (below), by the
//!   bulk windows for the others, which then become covered;
//! - **`--offline`**: from the cache alone, whatever its age; a builder it does not cover is
//!   reported as not fetched, never guessed.
//!
//! # Coverage and the watermark: why a cached answer is as good as a fetched one
//!
//! Buildbot numbers builds with one increasing id across the whole master, so "every build up
//! to id W" is a meaningful promise.
//! - The cache's **watermark** W: the cache has seen every build of the master up to W.
//! - A builder's **coverage** `known_from..=known_to`: the cache holds every build of that
//!   builder with an id in that range.
//! - A builder whose coverage reaches the run's watermark (`known_to >= W`) therefore has no
//!   build the cache lacks up to W; with W current, its newest N builds are the cache's newest
//!   N, as long as they lie within the coverage (or `known_from` is 0: its whole history).
//! - Once per run, the **catch-up** (`super::catch_up`) reads every build above the old
//!   watermark and fresh copies of the builds that were running, and moves the watermark and
//!   every coverage that reached the old watermark up to the newest id seen. A catch-up that
//!   fails or runs longer than its page budget establishes no watermark: nothing is served
//!   from the cache that run, everything is fetched (and re-covered).
//! - A builder the cache does not cover is fetched after the catch-up, so every build with an
//!   id up to the catch-up's watermark already existed when its window was answered: it becomes
//!   covered up to that watermark.
//! - On a first run there is no watermark yet; the fetch makes one ([`RecentBuilds::watermark`]):
//!   a build id learnt before any window was asked (`super::window`: the newest build of a few
//!   of the builders, or of the master). Every build with a smaller id existed when that was
//!   answered, and every window was answered later, so the windows saw every build of their
//!   builders up to it, a builder with no build at all included: all of them become covered up
//!   to it.
//!
//! `crate::cache` stores the rows; it knows none of this.

use std::collections::HashMap;

use super::catch_up::{builds_by_id_with, catch_up, read_back, stored};
use super::lists::prefetch_masters_if_running;
use super::source::{Live, Source};
use super::window;
use crate::api::types::{Build, BuildId, BuilderId};
use crate::api::{ApiError, Fields, endpoints};
use crate::cache::{Cache, StoredBuild};

/// What to read of each builder's newest builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newest {
    /// Builds per builder, newest first.
    pub per_builder: usize,
    /// Also read each build's `got_revision` (one extra SQL query per build on the server).
    pub with_revision: bool,
    pub fields: Fields,
    /// The caller goes on to judge stale builds ([`Source::stale_builds`]): the masters list
    /// is then started in the same round as the fetch's next requests, as soon as a running
    /// build shows, rather than in a round of its own afterwards.
    pub judges_stale: bool,
}

impl Newest {
    /// The newest `per_builder` builds with the fields reports read, without revisions.
    pub fn builds(per_builder: usize) -> Newest {
        Newest {
            per_builder,
            with_revision: false,
            fields: Fields::Summary,
            judges_stale: false,
        }
    }

    /// The caller will judge stale builds (see [`Newest::judges_stale`]).
    pub fn judging_stale(self) -> Newest {
        Newest {
            judges_stale: true,
            ..self
        }
    }

    /// Also read `got_revision` when `yes`.
    pub fn with_revision(self, yes: bool) -> Newest {
        Newest {
            with_revision: yes,
            ..self
        }
    }
}

#[derive(Debug, Default)]
pub struct RecentBuilds {
    /// Newest first, at most the number asked for. Every requested builder that did not fail has
    /// an entry, possibly empty.
    pub by_builder: HashMap<BuilderId, Vec<Build>>,
    /// Builders whose builds could not be fetched, with the reason.
    pub failed: HashMap<BuilderId, String>,
    /// A build id up to which every build of the builders in `by_builder` was read: the
    /// master's newest build id when the fetch began (`None`: the master had no build); see the
    /// module documentation.
    pub watermark: Option<BuildId>,
}

/// Fetch the newest builds of each builder in `ids`, from wherever the policy says.
///
/// Fails only when nothing could be fetched; a partial failure is reported in
/// [`RecentBuilds::failed`] so the caller can show what it has and say what is missing.
pub async fn newest_builds(
    source: &Source,
    ids: &[BuilderId],
    want: Newest,
) -> Result<RecentBuilds, ApiError> {
    match plan(source, &want) {
        Plan::Cached(live, cache) => through_cache(source, live, cache, ids, want).await,
        Plan::Direct => window::fetch(source, ids, want).await,
    }
}

/// The newest builds of one builder, by the same policy; straight from a master, that is one
/// request through the builder's own index rather than a bulk window.
pub async fn newest_builds_of(
    source: &Source,
    builderid: BuilderId,
    want: Newest,
) -> Result<Vec<Build>, ApiError> {
    match plan(source, &want) {
        Plan::Cached(live, cache) => {
            // One builder: when it cannot be read, the error itself is returned.
            let mut recent = through_cache(source, live, cache, &[builderid], want).await?;
            Ok(recent.by_builder.remove(&builderid).unwrap_or_default())
        }
        Plan::Direct => source.builder_window(builderid, &want).await,
    }
}

/// One stderr line when some builders' builds could not be fetched, saying what that does to
/// the report (`consequence`); the run then exits INCOMPLETE or judges them Unknown.
pub fn warn_failed(failed: &HashMap<BuilderId, String>, total: usize, consequence: &str) {
    let mut reasons: Vec<&String> = failed.values().collect();
    reasons.sort();
    if let Some(first) = reasons.first() {
        crate::stderr::warn(&format!(
            "builds of {} of {total} builders could not be fetched; {consequence}: {first}",
            failed.len()
        ));
    }
}

/// Where a read of newest builds is answered from.
enum Plan<'a> {
    /// Straight from the source (see the module documentation for when).
    Direct,
    /// The cache where it covers a builder, the master for the rest (not at all `--offline`).
    Cached(&'a Live, &'a Cache),
}

fn plan<'a>(source: &'a Source, want: &Newest) -> Plan<'a> {
    match source {
        Source::Live(live) if want.fields == Fields::Summary => match live.cache() {
            Some(cache) => Plan::Cached(live, cache),
            None => Plan::Direct,
        },
        _ => Plan::Direct,
    }
}

/// The newest builds of each builder from the cache where it covers them; the others fetched
/// by the bulk windows and recorded as covered.
async fn through_cache(
    source: &Source,
    live: &Live,
    cache: &Cache,
    ids: &[BuilderId],
    want: Newest,
) -> Result<RecentBuilds, ApiError> {
    let Newest {
        per_builder,
        with_revision,
        ..
    } = want;
    let watermark = catch_up(live).await.watermark;
    let mut out = RecentBuilds::default();
    let mut missing: Vec<BuilderId> = Vec::new();
    let mut needs_revision: Vec<BuildId> = Vec::new();
    for &id in ids {
        let cached = watermark
            .and_then(|w| cache.covered_builds(id, w, per_builder))
            .and_then(read_back);
        match cached {
            Some(mut builds) => {
                if !with_revision {
                    // A copy stored by a run that asked for `got_revision` (console, `--id
                    // revision`) keeps it; this run did not ask, and must print what an
                    // uncached run prints.
                    for (b, _) in &mut builds {
                        b.properties.clear();
                    }
                }
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
    live.stats().count_cache_hits(out.by_builder.len() as u64);
    if want.judges_stale {
        // With the revisions or the uncovered builders' windows, not after them.
        prefetch_masters_if_running(live, out.by_builder.values().flatten());
    }

    if live.is_offline() {
        let served = !out.by_builder.is_empty();
        for id in missing {
            out.failed.insert(
                id,
                format!("fewer than {per_builder} of its builds are in the cache (--offline)"),
            );
        }
        if !served && !out.failed.is_empty() {
            return Err(live.not_cached(endpoints::BUILDS));
        }
        return Ok(out);
    }

    if !needs_revision.is_empty() {
        // A failure here leaves the builds without revisions, as a live fetch that could not
        // read them would: the reports already handle builds without `got_revision`.
        if let Ok(with_rev) = builds_by_id_with(live, &needs_revision, true).await {
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
        let fetched = match window::fetch(source, &missing, want).await {
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
            let rows: Vec<(BuilderId, Vec<StoredBuild>, bool)> = fetched
                .by_builder
                .iter()
                .map(|(id, builds)| (*id, stored(builds), builds.len() < per_builder))
                .collect();
            let rows: Vec<(BuilderId, &[StoredBuild], bool)> = rows
                .iter()
                .map(|(id, builds, whole)| (*id, builds.as_slice(), *whole))
                .collect();
            cache.store_fetched(&rows, covered_to, with_revision);
            if watermark.is_none() {
                cache.apply_catch_up(None, covered_to, &[], &[], live.now());
            }
        }
        out.by_builder.extend(fetched.by_builder);
        out.failed.extend(fetched.failed);
    }
    Ok(out)
}
