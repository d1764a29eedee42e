//! The master's Buildbot version: read once per run, by the reads whose answer depends on it
//! (a branch's or a revision's `changes`, see [`crate::model::server_version`]) and for the
//! `--stats` / `-v` line, which names it; kept with the cache's server data for a day.

use super::source::Live;
use crate::model::server_version::ServerVersion;

/// The cache document holding the version (its JSON).
const DOCUMENT: &str = "server_version";
/// How long a cached version is trusted (seconds): a master is upgraded rarely, and reading
/// it again costs one small request.
const VERSION_TTL: i64 = 24 * 3600;

impl Live {
    /// The master's Buildbot version: from the cache when read there within [`VERSION_TTL`]
    /// (any age `--offline`), else `GET <root>config` (Buildbot 3.x+), else the web root's
    /// HTML (older masters embed the same object in it). Once per run. `None` when the master
    /// does not say (a proxy that hides both, a failed request, `--offline` with nothing
    /// cached): the caller then asks as it asks Buildbot 4.3, which answers the same as 3.9+.
    pub async fn server_version(&self) -> Option<ServerVersion> {
        self.server_version
            .get_or_init(|| async {
                if let Some(v) = self.cached_version() {
                    return Some(v);
                }
                if self.is_offline() {
                    return None;
                }
                let mut found = None;
                for path in ["config", ""] {
                    if let Ok(body) = self.client().get_page(path).await
                        && let Some(v) = ServerVersion::from_config_body(&body)
                    {
                        found = Some(v);
                        break;
                    }
                }
                if let (Some(v), Some(cache)) = (&found, self.cache())
                    && let Ok(body) = serde_json::to_string(v)
                {
                    cache.put_document(DOCUMENT, &body, self.now());
                }
                found
            })
            .await
            .clone()
    }

    /// The version if this run has read it or the cache holds it, without a request (for
    /// the `--stats` and `-v` line, once `Context::read_server_version` has read it).
    pub fn known_server_version(&self) -> Option<ServerVersion> {
        match self.server_version.get() {
            Some(v) => v.clone(),
            None => self.cached_version(),
        }
    }

    fn cached_version(&self) -> Option<ServerVersion> {
        let (body, fetched_at) = self.cache()?.document(DOCUMENT)?;
        if !self.is_offline() && self.now() - fetched_at > VERSION_TTL {
            return None;
        }
        serde_json::from_str(&body).ok()
    }
}
