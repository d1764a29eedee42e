//! "The newest N builds of each of these builders" in a handful of requests, straight from the
//! source: the bulk-window algorithm behind [`super::newest_builds`].
//!
//! Asking per builder costs one request per builder (~140 per branch on python.org). Instead:
//! 1. one IN-list window per chunk of builders (`builderid__eq=…&order=-buildid&limit=M`);
//! 2. the window's limit is global, so a busy builder can crowd out a quiet one: builders still
//!    short of N continue in a second window over just them, below the first window's lowest
//!    build id (key-set paging), and so on for a few rounds;
//! 3. a page shorter than its limit proves those builders have no older builds;
//! 4. whatever is still short after the bulk rounds gets a per-builder query.
//!
//! The first windows also yield the fetch's watermark ([`RecentBuilds::watermark`]).

use tokio::task::JoinSet;

use super::recent::{Newest, RecentBuilds};
use super::source::Source;
use crate::api::ApiError;
use crate::api::endpoints::{BuildsQuery, MAX_IDS_PER_REQUEST};
use crate::api::types::{BuildId, BuilderId};

/// Bulk rounds before falling back to per-builder queries.
const BULK_ROUNDS: usize = 3;
/// Window size as a multiple of what the builders need, in quarters (5/4): room for builders
/// busier than the rest. Every build in a window costs the master serialising it, so the room is
/// kept small: on the benchmark's 1036-builder fleet 5/4 cut `-q` (all branches) from 1.2 s to
/// 0.8 s against 2/1, with the same number of requests; 1/1 needed 10 requests instead of 6.
const WINDOW_QUARTERS: usize = 5;

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
    let mut first_error: Option<ApiError> = None;
    // Chunk in id order so the same selection always makes the same requests.
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut pending: Vec<(Vec<BuilderId>, Option<BuildId>)> = sorted
        .chunks(MAX_IDS_PER_REQUEST)
        .map(|c| (c.to_vec(), None))
        .collect();
    for id in ids {
        out.by_builder.insert(*id, Vec::new());
    }

    let mut first_window_tops: Vec<BuildId> = Vec::new();
    for round in 0..BULK_ROUNDS {
        if pending.is_empty() {
            break;
        }
        let mut tasks = JoinSet::new();
        for (index, (chunk, before)) in pending.iter().enumerate() {
            let query = BuildsQuery {
                builderids: chunk.clone(),
                before: *before,
                limit: (chunk.len() * per_builder * WINDOW_QUARTERS / 4).max(20),
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
            let chunk = &pending[index].0;
            match result {
                Err(e) => {
                    for id in chunk {
                        out.by_builder.remove(id);
                        out.failed.insert(*id, e.to_string());
                    }
                    first_error.get_or_insert(e);
                }
                Ok(builds) => {
                    let full_page = builds.len() >= limit;
                    let lowest = builds.iter().map(|b| b.buildid).min();
                    if round == 0 {
                        match builds.iter().map(|b| b.buildid).max() {
                            Some(top) => first_window_tops.push(top),
                            None => out.no_watermark.extend(chunk),
                        }
                    }
                    for b in builds {
                        if let Some(list) = out.by_builder.get_mut(&b.builderid)
                            && list.len() < per_builder
                        {
                            list.push(b);
                        }
                    }
                    if full_page {
                        let short: Vec<BuilderId> = chunk
                            .iter()
                            .copied()
                            .filter(|id| {
                                out.by_builder
                                    .get(id)
                                    .is_some_and(|l| l.len() < per_builder)
                            })
                            .collect();
                        if !short.is_empty() {
                            next.push((short, lowest));
                        }
                    }
                }
            }
        }
        pending = next;
    }

    // Builders still short after the bulk rounds: ask each one directly.
    let mut tasks = JoinSet::new();
    for id in pending.into_iter().flat_map(|(chunk, _)| chunk) {
        let source = source.clone();
        tasks.spawn(async move { (id, source.builder_window(id, &want).await) });
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, result)) = joined else { continue };
        match result {
            Ok(builds) => {
                out.by_builder.insert(id, builds);
            }
            Err(e) => {
                out.by_builder.remove(&id);
                out.failed.insert(id, e.to_string());
                first_error.get_or_insert(e);
            }
        }
    }

    if out.by_builder.is_empty()
        && let Some(e) = first_error
    {
        return Err(e);
    }
    out.watermark = first_window_tops.into_iter().min();
    Ok(out)
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
    async fn every_requested_builder_gets_an_entry() {
        let r = fetch(&source(), &[4, 2, 2], Newest::builds(1))
            .await
            .expect("fetch");
        assert_eq!(r.by_builder.len(), 2);
        assert_eq!(numbers(&r, 2), [2]);
    }
}
