//! The run's data source: a live master (through its local cache, or from the cache alone with
//! `--offline`) or a recorded snapshot. [`Live`] is where the HTTP client and the cache meet;
//! `api` and `cache` know nothing of each other.

use std::sync::Arc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;

use super::catch_up::{CatchUp, catch_up};
use super::recent::Newest;
use crate::api::types::{Build, BuildId, BuilderId, BuildsPage, Master};
use crate::api::{
    ApiError, ApiErrorKind, BuildsQuery, HttpClient, ServerUrl, Snapshot, Stats, endpoints,
};
use crate::cache::Cache;
use crate::model::server_version::ServerVersion;

#[derive(Debug, Clone)]
pub enum Source {
    Live(Live),
    Snapshot(Arc<Snapshot>),
}

/// A live master: the HTTP client, and this server's local cache when one is in use.
#[derive(Debug, Clone)]
pub struct Live {
    client: HttpClient,
    /// The local cache of this server, when one is in use (see `crate::cache`).
    cache: Option<Arc<Cache>>,
    /// `--offline`: answer from the cache or fail with `NotCached`; never touch the network.
    offline: bool,
    /// The run's clock (Unix seconds), stamped on what is cached.
    now: i64,
    /// The catch-up with the server, done once per run (see `super::catch_up`).
    pub(super) catch_up: Arc<OnceCell<CatchUp>>,
    /// The masters list once read this run (see `super::lists`): started early, in the round
    /// of requests that first sees a running build, so judging stale builds adds no round.
    pub(super) masters: Arc<OnceCell<Vec<Master>>>,
    /// The master's Buildbot version, read at most once per run (see `super::server_version`).
    pub(super) server_version: Arc<OnceCell<Option<ServerVersion>>>,
}

/// A builds page read for its ids alone.
#[derive(Debug, Deserialize)]
struct IdsPage {
    builds: Vec<IdOnly>,
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    buildid: BuildId,
}

impl Live {
    /// Read and fill `cache` (stamping entries with `now`); with `offline`, read only it.
    pub fn new(client: HttpClient, cache: Option<Arc<Cache>>, offline: bool, now: i64) -> Live {
        Live {
            client,
            cache,
            offline,
            now,
            catch_up: Arc::default(),
            masters: Arc::default(),
            server_version: Arc::default(),
        }
    }

    /// The cache, unless there is none or an error disabled it this run.
    pub fn cache(&self) -> Option<&Arc<Cache>> {
        self.cache.as_ref().filter(|c| c.is_usable())
    }

    /// The cache file this run opened, even when an error has since disabled it.
    pub fn cache_file(&self) -> Option<&std::path::Path> {
        self.cache.as_deref().map(Cache::path)
    }

    /// The same source for another round of a long-running command (`watch`): its own
    /// catch-up with the server, the same connections, cache and counters.
    pub fn fresh_round(&self) -> Live {
        let mut live = self.clone();
        live.catch_up = Arc::default();
        live.masters = Arc::default();
        live
    }

    pub fn is_offline(&self) -> bool {
        self.offline
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    pub fn server(&self) -> &ServerUrl {
        self.client.server()
    }

    pub(super) fn client(&self) -> &HttpClient {
        &self.client
    }

    pub fn stats(&self) -> &Stats {
        self.client.stats()
    }

    /// GET and decode; `--offline`, fail with `NotCached` without a request.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        if self.offline {
            return Err(self.not_cached(path));
        }
        self.client.get_json(path).await
    }

    /// GET a resource that can no longer change (steps, logs and log lines of a finished
    /// build): from the cache when it holds it, else from the server, and then cached.
    pub(crate) async fn get_json_immutable<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ApiError> {
        self.get_json_immutable_if(path, |_: &T| true).await
    }

    /// [`Live::get_json_immutable`] for a resource that can no longer change once `settled`
    /// says so (a build, once finished): cached only then.
    pub(crate) async fn get_json_immutable_if<T: DeserializeOwned>(
        &self,
        path: &str,
        settled: impl Fn(&T) -> bool,
    ) -> Result<T, ApiError> {
        let Some(cache) = self.cache() else {
            return self.get_json(path).await;
        };
        if let Some(body) = cache.response(path)
            && let Ok(v) = serde_json::from_slice(&body)
        {
            self.stats().count_cache_hits(1);
            return Ok(v);
        }
        if self.offline {
            return Err(self.not_cached(path));
        }
        let body = self.client.get_bytes(path).await?;
        let value = self.client.decode(path, &body)?;
        if settled(&value) {
            cache.put_response(path, &body, self.now);
        }
        Ok(value)
    }

    /// `--offline` asked for something the cache does not hold.
    pub(super) fn not_cached(&self, path: &str) -> ApiError {
        ApiError {
            url: self.server().api_url(path),
            kind: ApiErrorKind::NotCached,
        }
    }
}

impl Source {
    /// The live master, unless this run reads a snapshot.
    pub fn live(&self) -> Option<&Live> {
        match self {
            Source::Live(live) => Some(live),
            Source::Snapshot(_) => None,
        }
    }

    /// One bulk window of builds, straight from the master or the snapshot (the cache policy
    /// is `super::recent`'s).
    pub(super) async fn builds_window(&self, query: &BuildsQuery) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Live(live) => Ok(live.get_json::<BuildsPage>(&query.to_path()).await?.builds),
            Source::Snapshot(s) => Ok(s.builds(query)),
        }
    }

    /// A build id that bounds the bulk windows below (`super::window`): every build with a
    /// smaller or equal id existed when it was learnt, and it is at or near the master's newest.
    /// `None`: there is no build at all. From, in order:
    /// - a snapshot: its newest build;
    /// - the run's catch-up (a cache that was brought level): its watermark, no request;
    /// - the newest build of `sample` (a few of the builders about to be read; one IN-list
    ///   request whose count covers only their builds, [`endpoints::newest_build_of`]);
    /// - when none of those ever built: the master's newest ([`endpoints::NEWEST_BUILD`], whose
    ///   count covers every build of the master: ~1 s on 2.4 million builds).
    pub(super) async fn newest_build_id(
        &self,
        sample: &[BuilderId],
    ) -> Result<Option<BuildId>, ApiError> {
        let live = match self {
            Source::Snapshot(s) => return Ok(s.newest_build_id()),
            Source::Live(live) => live,
        };
        if let Some(w) = catch_up(live).await.watermark {
            return Ok(Some(w));
        }
        if !sample.is_empty() {
            let page: IdsPage = live.get_json(&endpoints::newest_build_of(sample)).await?;
            if let Some(id) = page.builds.iter().map(|b| b.buildid).max() {
                return Ok(Some(id));
            }
        }
        let page: IdsPage = live.get_json(endpoints::NEWEST_BUILD).await?;
        Ok(page.builds.iter().map(|b| b.buildid).max())
    }

    /// The newest builds of one builder, straight from the master (through its
    /// `(builderid, number)` index) or the snapshot.
    pub(super) async fn builder_window(
        &self,
        builderid: BuilderId,
        want: &Newest,
    ) -> Result<Vec<Build>, ApiError> {
        match self {
            Source::Live(live) => {
                let path = endpoints::builder_builds(
                    builderid,
                    want.per_builder,
                    want.with_revision,
                    want.fields,
                );
                Ok(live.get_json::<BuildsPage>(&path).await?.builds)
            }
            Source::Snapshot(s) => Ok(s.builds(&BuildsQuery {
                builderids: vec![builderid],
                before: None,
                after: None,
                limit: want.per_builder,
                with_revision: want.with_revision,
                fields: want.fields,
            })),
        }
    }
}
