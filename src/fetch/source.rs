//! The run's data source: a live master (through its local cache, or from the cache alone with
//! `--offline`) or a recorded snapshot. [`Live`] is where the HTTP client and the cache meet;
//! `api` and `cache` know nothing of each other.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
    /// A snapshot run's reader ([`Live::recorded`]): every answer comes from the snapshot's
    /// recorded answers, or is `NotRecorded`; nothing is sent.
    recorded: Option<Arc<Snapshot>>,
    /// `bbreport snapshot` ([`Live::recording`]): every answer read is kept, by API path.
    recorder: Option<Recorder>,
}

/// The answers a recording [`Live`] read, by API path (`triage.json`'s `responses`).
pub type Recorder = Arc<Mutex<BTreeMap<String, serde_json::Value>>>;

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
            recorded: None,
            recorder: None,
        }
    }

    /// The reader of a snapshot's recorded answers (format 2 on): the same fetch functions
    /// answer from it as they would from the master it was recorded from, and what it did not
    /// record fails with `NotRecorded` (exit 7). Sends nothing; its client only names URLs.
    pub fn recorded(snapshot: Arc<Snapshot>) -> Result<Live, ApiError> {
        let server = ServerUrl::parse(&snapshot.meta.server).map_err(|m| ApiError {
            url: snapshot.meta.server.clone(),
            kind: ApiErrorKind::Json(format!("the snapshot's meta.json: {m}")),
        })?;
        let client = HttpClient::new(server, Duration::from_secs(1))?;
        let mut live = Live::new(client, None, true, snapshot.meta.recorded_at);
        live.recorded = Some(snapshot);
        Ok(live)
    }

    /// The same master, keeping every answer read in the returned [`Recorder`] (recording a
    /// snapshot's triage: exactly what `build`, `failures`, `repro` and `--tests` read).
    pub fn recording(&self) -> (Live, Recorder) {
        let recorder = Recorder::default();
        let mut live = self.clone();
        live.recorder = Some(recorder.clone());
        (live, recorder)
    }

    /// The snapshot this reader answers from ([`Live::recorded`]).
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.recorded.as_deref()
    }

    /// A snapshot reader asked for something the snapshot did not record.
    pub(crate) fn not_recorded(&self, path: &str) -> ApiError {
        ApiError {
            url: self.server().api_url(path),
            kind: ApiErrorKind::NotRecorded,
        }
    }

    fn keep(&self, path: &str, body: &[u8]) {
        if let Some(recorder) = &self.recorder
            && let Ok(value) = serde_json::from_slice(body)
        {
            let mut kept = recorder.lock().unwrap_or_else(|e| e.into_inner());
            kept.insert(path.to_string(), value);
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

    /// GET and decode; `--offline`, fail with `NotCached` without a request; a snapshot
    /// reader, answer as recorded or fail with `NotRecorded`.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        if let Some(snapshot) = &self.recorded {
            let value = snapshot
                .response(path)
                .ok_or_else(|| self.not_recorded(path))?;
            return T::deserialize(value).map_err(|e| ApiError {
                url: self.server().api_url(path),
                kind: ApiErrorKind::Json(e.to_string()),
            });
        }
        if self.offline {
            return Err(self.not_cached(path));
        }
        if self.recorder.is_none() {
            return self.client.get_json(path).await;
        }
        let body = self.client.get_bytes(path).await?;
        self.keep(path, &body);
        self.client.decode(path, &body)
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
            self.keep(path, &body);
            return Ok(v);
        }
        if self.offline {
            return Err(self.not_cached(path));
        }
        let body = self.client.get_bytes(path).await?;
        self.keep(path, &body);
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

/// A format-1 snapshot asked for steps or logs (`what`: the command): it records none.
pub fn no_triage(snapshot: &Snapshot, what: &str) -> crate::error::Error {
    crate::error::Error::Snapshot {
        path: snapshot.dir.clone(),
        message: format!(
            "this snapshot (format {}) records no build steps or logs",
            snapshot.meta.format
        ),
        hint: Some(format!(
            "record it again with this bbreport (bbreport --server URL snapshot DIR), or run \
             `{what}` against the server (--server URL)"
        )),
    }
}

impl Source {
    /// What reads builds' steps and logs (`what`: the command, for the error): the live
    /// master, or a snapshot's recorded answers ([`Live::recorded`]); a format-1 snapshot
    /// has none ([`no_triage`], exit 7).
    pub fn reader(&self, what: &str) -> Result<Live, crate::error::Error> {
        match self {
            Source::Live(live) => Ok(live.clone()),
            Source::Snapshot(s) if s.records_triage() => Ok(Live::recorded(s.clone())?),
            Source::Snapshot(s) => Err(no_triage(s, what)),
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
