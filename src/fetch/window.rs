//! "The newest N builds of each of these builders" in a handful of requests, straight from the
//! source: the bulk-window algorithm behind [`super::newest_builds`].
//!
//! Asking per builder costs one request per builder (~140 per branch on python.org). Asking for
//! all of them in one IN-list (`builderid__eq=…&order=-buildid&limit=M`) costs the master a
//! count of every build those builders ever ran: Buildbot 4.3 runs a `count(*)` over all rows
//! matching a limited query and throws it away. On a master with python.org's history (2.4
//! million builds) the 3.x IN-list took 2.2 s, ~2.0 s of it that count. So every query here is
//! bounded by build id, and its cost depends on the window, not on years of history:
//! 1. a build id `top` at or near the master's newest is learnt first
//!    ([`Source::newest_build_id`]: the cache's catch-up watermark, else the newest build of
//!    [`SAMPLE`] builders of the selection, whose count is small; the master's own newest
//!    build, asked without a bound, costs ~1 s on python.org's history);
//! 2. one IN-list per chunk of builders over the **window** `buildid__gt=top − span`, where the
//!    span is [`SPAN_PER_BUILD`] ids per wanted build: one page, its limit twice what is wanted;
//! 3. builders with fewer than N builds in the window (quiet, rarely building, never built), or
//!    crowded out of a full page by busier ones, are **widened together**: one IN-list of just
//!    them below what was read (`buildid__lt=`), without a floor, paged by key-set (below the
//!    lowest id of a full page): only their own history is counted, and a page shorter than its
//!    limit proves they have no older builds (a never-built builder costs nothing more);
//! 4. a builder still short after [`MAX_PAGES`] pages of either kind gets a per-builder query
//!    (a last resort the benchmark's fleet never reaches).
//!
//! Every window is answered after `top` was, so it holds every build of its builders up to
//! `top`: that is the fetch's watermark ([`RecentBuilds::watermark`]).

use tokio::task::JoinSet;

use super::lists::prefetch_masters_if_running;
use super::recent::{Newest, RecentBuilds};
use super::source::Source;
use crate::api::ApiError;
use crate::api::endpoints::{BuildsQuery, MAX_IDS_PER_REQUEST};
use crate::api::types::{Build, BuildId, BuilderId};

/// Build ids below `top` that the first window spans, per build wanted of each builder. The
/// ids are the whole master's: one round of the benchmark's synthetic history is ~900 builds, a
/// commit on python.org's main starts ~280 (3.x and PR builders), so 1024 ids per wanted build
/// hold the wanted builds of every builder that builds about once a round; the others are
/// widened (step 3). Measured on 2.4 million builds (README, "Speed"): the 3.x window costs the
/// master 0.1-0.2 s, against ~4 s without a floor.
pub(super) const SPAN_PER_BUILD: BuildId = 1024;
/// Pages of the widening before the builders still short are asked one by one.
pub(super) const MAX_PAGES: usize = 8;
/// Page size as a multiple of the builds still wanted, in quarters (2/1). A page returns at most
/// what its range holds, so inside a bounded window the room costs nothing unless busy
/// builders fill it, and a full page costs a round (the next page).
const WINDOW_QUARTERS: usize = 8;

/// Builders whose newest build bounds the window when no catch-up did: enough that one of them
/// has built lately (most of a branch's builders build on every commit), few enough that
/// counting their builds stays cheap (~16,000 each at most on python.org).
pub(super) const SAMPLE: usize = 8;

/// Up to [`SAMPLE`] builders spread evenly over `sorted`.
pub(super) fn sample(sorted: &[BuilderId]) -> Vec<BuilderId> {
    let step = sorted.len().div_ceil(SAMPLE).max(1);
    sorted.iter().step_by(step).copied().collect()
}

/// The lowest build id the first window leaves out: the window is `buildid__gt=` this. A
/// master builds at least as many builds a round as the selection has builders, so a bigger
/// selection gets a wider span (`selected` ids per wanted build when that is more).
pub(super) fn window_floor(top: BuildId, per_builder: usize, selected: usize) -> BuildId {
    let per_build = SPAN_PER_BUILD.max(selected as BuildId);
    top.saturating_sub(per_build.saturating_mul(per_builder as BuildId))
}

/// The page size for `wanted` more builds (at least 20).
fn page_limit(wanted: usize) -> usize {
    (wanted * WINDOW_QUARTERS / 4).max(20)
}

/// A set of builders to read on, below `before`, above `after`.
#[derive(Debug, Clone)]
struct Pending {
    builders: Vec<BuilderId>,
    before: Option<BuildId>,
}

/// How a phase ended for its builders still short of N.
#[derive(Debug, Default)]
struct PhaseEnd {
    /// Every build in the phase's range was read (the last page was short).
    exhausted: Vec<BuilderId>,
    /// Still paging after [`MAX_PAGES`]: go on below `before`.
    unfinished: Vec<Pending>,
}

/// The newest `want.per_builder` builds of each builder in `ids`, straight from the source (no
/// cache). Fails only when nothing could be fetched, like [`super::newest_builds`].
pub(super) async fn fetch(
    source: &Source,
    ids: &[BuilderId],
    want: Newest,
) -> Result<RecentBuilds, ApiError> {
    let per_builder = want.per_builder;
    let mut out = RecentBuilds::default();
    if ids.is_empty() || per_builder == 0 {
        out.by_builder = ids.iter().map(|id| (*id, Vec::new())).collect();
        return Ok(out);
    }
    // Chunk in id order so the same selection always makes the same requests.
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if let [one] = sorted[..] {
        // One builder (`-n` naming one, release reading a streak deeper): one query over just
        // its builds costs the master only its history, where the sample, the window and the
        // widening would make three requests. Its newest build is the watermark: every build
        // of this builder up to it is in the answer (as a bounded window's top is).
        let query = BuildsQuery {
            builderids: vec![one],
            before: None,
            after: None,
            limit: per_builder,
            with_revision: want.with_revision,
            fields: want.fields,
        };
        let builds = source.builds_window(&query).await?;
        out.watermark = builds.iter().map(|b| b.buildid).max();
        let mut kept = RecentBuilds::default();
        kept.by_builder.insert(one, Vec::new());
        keep(&mut kept, builds, per_builder);
        out.by_builder = kept.by_builder;
        return Ok(out);
    }
    let top = source.newest_build_id(&sample(&sorted)).await?;
    for id in ids {
        out.by_builder.insert(*id, Vec::new());
    }
    let Some(top) = top else {
        // The master has no build at all. Nothing bounds what starts next: no watermark.
        return Ok(out);
    };
    let mut first_error: Option<ApiError> = None;
    let floor = window_floor(top, per_builder, sorted.len());
    let window: Vec<Pending> = chunks(&sorted, None);
    let end = phase(
        source,
        &mut out,
        window,
        Some(floor),
        1,
        want,
        &mut first_error,
    )
    .await;

    // A running build in the window: the masters list goes out with the widening's requests.
    if want.judges_stale
        && let Source::Live(live) = source
    {
        prefetch_masters_if_running(live, out.by_builder.values().flatten());
    }

    // Short in the window (or crowded out of a full one): below it, together.
    let mut widen = chunks(&end.exhausted, Some(floor + 1));
    widen.extend(end.unfinished);
    let end = phase(
        source,
        &mut out,
        widen,
        None,
        MAX_PAGES,
        want,
        &mut first_error,
    )
    .await;

    // Last resort: whatever is still short after MAX_PAGES pages, one by one.
    let mut tasks = JoinSet::new();
    for id in end.unfinished.into_iter().flat_map(|p| p.builders) {
        let source = source.clone();
        tasks.spawn(async move { (id, source.builder_window(id, &want).await) });
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, result)) = joined else { continue };
        match result {
            Ok(builds) => {
                out.by_builder.insert(id, builds);
            }
            Err(e) => fail(&mut out, &[id], e, &mut first_error),
        }
    }

    if out.by_builder.is_empty()
        && let Some(e) = first_error
    {
        return Err(e);
    }
    out.watermark = Some(top);
    Ok(out)
}

/// `builders` in chunks of at most [`MAX_IDS_PER_REQUEST`], each read below `before`.
fn chunks(builders: &[BuilderId], before: Option<BuildId>) -> Vec<Pending> {
    builders
        .chunks(MAX_IDS_PER_REQUEST)
        .map(|c| Pending {
            builders: c.to_vec(),
            before,
        })
        .collect()
}

fn fail(out: &mut RecentBuilds, ids: &[BuilderId], e: ApiError, first: &mut Option<ApiError>) {
    for id in ids {
        out.by_builder.remove(id);
        out.failed.insert(*id, e.to_string());
    }
    first.get_or_insert(e);
}

/// Page through `pending` above `after` (all chunks of one page in parallel) until every builder
/// has its builds or its range is exhausted, for at most `max_pages` pages.
async fn phase(
    source: &Source,
    out: &mut RecentBuilds,
    mut pending: Vec<Pending>,
    after: Option<BuildId>,
    max_pages: usize,
    want: Newest,
    first_error: &mut Option<ApiError>,
) -> PhaseEnd {
    let per_builder = want.per_builder;
    let mut end = PhaseEnd::default();
    for _ in 0..max_pages {
        if pending.is_empty() {
            return end;
        }
        let mut tasks = JoinSet::new();
        for (index, p) in pending.iter().enumerate() {
            let wanted: usize = p
                .builders
                .iter()
                .map(|id| per_builder - out.by_builder.get(id).map_or(0, Vec::len))
                .sum();
            let query = BuildsQuery {
                builderids: p.builders.clone(),
                before: p.before,
                after,
                limit: page_limit(wanted),
                with_revision: want.with_revision,
                fields: want.fields,
            };
            let source = source.clone();
            tasks.spawn(async move {
                let result = source.builds_window(&query).await;
                (index, query.limit, result)
            });
        }
        let mut next = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            let Ok((index, limit, result)) = joined else {
                continue;
            };
            let chunk = &pending[index].builders;
            let builds = match result {
                Ok(builds) => builds,
                Err(e) => {
                    fail(out, chunk, e, first_error);
                    continue;
                }
            };
            let full_page = builds.len() >= limit;
            let lowest = builds.iter().map(|b| b.buildid).min();
            keep(out, builds, per_builder);
            let short: Vec<BuilderId> = chunk
                .iter()
                .copied()
                .filter(|id| {
                    out.by_builder
                        .get(id)
                        .is_some_and(|l| l.len() < per_builder)
                })
                .collect();
            if short.is_empty() {
                continue;
            }
            if full_page {
                next.push(Pending {
                    builders: short,
                    before: lowest,
                });
            } else {
                end.exhausted.extend(short);
            }
        }
        pending = next;
    }
    end.unfinished = pending;
    end
}

/// File a page's builds (newest first) under their builders, up to `per_builder` each.
/// A build not below the last one kept (a server that ignored a bound) is not kept twice.
fn keep(out: &mut RecentBuilds, builds: Vec<Build>, per_builder: usize) {
    for b in builds {
        if let Some(list) = out.by_builder.get_mut(&b.builderid)
            && list.len() < per_builder
            && list.last().is_none_or(|last| b.buildid < last.buildid)
        {
            list.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::api::types::Build;
    use crate::api::{Snapshot, SnapshotMeta};

    fn build(buildid: BuildId, builderid: BuilderId, number: u32) -> Build {
        Build::for_test(buildid, builderid, number, Some(0))
    }

    /// Builder 1 is busy (200 recent builds), builder 2 built twice long ago, builder 3 built
    /// 6 times before builder 1's burst, builder 4 never built.
    fn source() -> Source {
        let mut builds = vec![build(1, 2, 1), build(2, 2, 2)];
        builds.extend((0..6).map(|i| build(10 + i, 3, i as u32 + 1)));
        builds.extend((0..200).map(|i| build(100 + i, 1, i as u32 + 1)));
        let meta = SnapshotMeta {
            format: 1,
            server: "http://x/".into(),
            recorded_at: 0,
            builds_per_builder: 200,
            recorded_by: "test".into(),
        };
        Source::Snapshot(Arc::new(Snapshot::from_parts(meta, vec![], vec![], builds)))
    }

    fn numbers(r: &RecentBuilds, id: BuilderId) -> Vec<u32> {
        r.by_builder[&id].iter().map(|b| b.number).collect()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn busy_builders_do_not_crowd_out_quiet_ones() {
        let r = fetch(&source(), &[1, 2, 3, 4], Newest::builds(4))
            .await
            .expect("fetch");
        assert_eq!(numbers(&r, 1), [200, 199, 198, 197]);
        assert_eq!(numbers(&r, 3), [6, 5, 4, 3], "found below the first window");
        assert_eq!(
            numbers(&r, 2),
            [2, 1],
            "short history is complete, not an error"
        );
        assert!(r.by_builder[&4].is_empty());
        assert!(r.failed.is_empty());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn one_builder_is_read_through_its_own_index() {
        let r = fetch(&source(), &[3, 3], Newest::builds(4))
            .await
            .expect("fetch");
        assert_eq!(numbers(&r, 3), [6, 5, 4, 3]);
        assert_eq!(r.watermark, Some(15), "its newest build");
        assert_eq!(r.by_builder.len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn every_requested_builder_gets_an_entry() {
        let r = fetch(&source(), &[4, 2, 2], Newest::builds(1))
            .await
            .expect("fetch");
        assert_eq!(r.by_builder.len(), 2);
        assert_eq!(numbers(&r, 2), [2]);
    }

    #[test]
    fn the_window_spans_ids_per_wanted_build_below_top() {
        assert_eq!(
            window_floor(1_000_000, 4, 141),
            1_000_000 - 4 * SPAN_PER_BUILD
        );
        assert_eq!(
            window_floor(1_000_000, 4, 5000),
            1_000_000 - 4 * 5000,
            "wider for more"
        );
        assert_eq!(
            window_floor(500, 4, 141),
            0,
            "a young master: the window is everything"
        );
    }

    #[test]
    fn the_sample_spreads_over_the_selection() {
        let all: Vec<BuilderId> = (1..=141).collect();
        let s = sample(&all);
        assert!(s.len() <= SAMPLE && s.len() >= SAMPLE - 1, "{s:?}");
        assert_eq!(s[0], 1);
        assert!(*s.last().expect("sample") > 120, "{s:?}");
        assert_eq!(
            sample(&[7, 9]),
            [7, 9],
            "small selections are sampled whole"
        );
        assert!(sample(&[]).is_empty());
    }

    /// A master with a long history: ids up to ~2 million. Builder 10 builds every round (one
    /// build per 900 ids, like the benchmark's rounds); builder 11 built 30 times two million
    /// ids ago and never since (rarely building); builder 12 never built; builder 13 built 2
    /// times in the window and 40 times long before (quiet); builder 14 is as busy as 10.
    fn long_history() -> (Source, BuildId) {
        let mut builds = Vec::new();
        let top: BuildId = 2_000_000;
        for r in 0..50u32 {
            let id = top - BuildId::from(r) * 900;
            builds.push(build(id, 10, 500 - r));
            builds.push(build(id - 1, 14, 500 - r));
        }
        builds.extend((0..30u32).map(|i| build(1_000 + BuildId::from(i) * 7, 11, i + 1)));
        builds.extend((0..40u32).map(|i| build(50_000 + BuildId::from(i) * 11, 13, i + 1)));
        builds.push(build(top - 1_500, 13, 41));
        builds.push(build(top - 700, 13, 42));
        let meta = SnapshotMeta {
            format: 1,
            server: "http://x/".into(),
            recorded_at: 0,
            builds_per_builder: 500,
            recorded_by: "test".into(),
        };
        let source = Source::Snapshot(Arc::new(Snapshot::from_parts(meta, vec![], vec![], builds)));
        (source, top)
    }

    #[tokio::test(flavor = "current_thread")]
    async fn builders_short_in_the_window_are_widened_below_it() {
        let (source, top) = long_history();
        let r = fetch(&source, &[10, 11, 12, 13, 14], Newest::builds(4))
            .await
            .expect("fetch");
        assert_eq!(numbers(&r, 10), [500, 499, 498, 497]);
        assert_eq!(numbers(&r, 14), [500, 499, 498, 497]);
        assert_eq!(
            numbers(&r, 11),
            [30, 29, 28, 27],
            "rarely building: found below"
        );
        assert!(
            r.by_builder[&12].is_empty(),
            "never built: an empty list, not an error"
        );
        assert_eq!(
            numbers(&r, 13),
            [42, 41, 40, 39],
            "two in the window, two below it"
        );
        assert!(r.failed.is_empty());
        assert_eq!(
            r.watermark,
            Some(top),
            "every builder is covered up to the top"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_crowded_window_pages_without_losing_builds() {
        // 40 wanted of each of two builders that alternate: pages of 160 hold them, and a
        // selection of one busy builder and one quiet builder still finds the quiet one's.
        let (source, _) = long_history();
        let r = fetch(&source, &[10, 13, 14], Newest::builds(40))
            .await
            .expect("fetch");
        assert_eq!(numbers(&r, 10).len(), 40);
        assert_eq!(numbers(&r, 14), (461..=500).rev().collect::<Vec<u32>>());
        assert_eq!(numbers(&r, 13), (3..=42).rev().collect::<Vec<u32>>());
    }
}
