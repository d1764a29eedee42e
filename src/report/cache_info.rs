//! `bbreport cache info`: where the server's cache is and what it holds. Its JSON is
//! `kind: "cache"`.

use std::path::Path;

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::cache::CacheInfo;

#[derive(Debug, Serialize)]
pub struct CacheInfoReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    /// The server's cache file (whether or not it exists yet).
    pub path: String,
    pub exists: bool,
    /// How long the builders list is reused after it is read (seconds).
    pub lists_ttl_seconds: i64,
    /// What the file holds; null when it does not exist.
    pub cache: Option<CacheContents>,
}

#[derive(Debug, Serialize)]
pub struct CacheContents {
    pub path: String,
    /// The server the file belongs to, as recorded in it.
    pub server: Option<String>,
    /// The cache file's format version (not the JSON schema's).
    pub schema_version: i32,
    /// The database and its write-ahead log, in bytes.
    pub file_bytes: u64,
    /// When it last caught up with the server (Unix seconds).
    pub synced_at: Option<i64>,
    /// Every build up to this build id has been seen.
    pub watermark: Option<u64>,
    /// When the builders and workers lists were last read (Unix seconds).
    pub builders_fetched_at: Option<i64>,
    pub workers_fetched_at: Option<i64>,
    /// Builds stored, those running when last seen, builders whose newest builds it holds.
    pub builds: i64,
    pub running_builds: i64,
    pub covered_builders: i64,
    /// Stored steps and log responses, and their compressed size in bytes.
    pub responses: i64,
    pub response_bytes: i64,
}

impl CacheInfoReport {
    pub fn new(
        path: &Path,
        info: Option<&CacheInfo>,
        lists_ttl_seconds: i64,
        origin: &ReportOrigin<'_>,
    ) -> CacheInfoReport {
        CacheInfoReport {
            header: origin.header("cache"),
            path: path.to_string_lossy().into_owned(),
            exists: info.is_some(),
            lists_ttl_seconds,
            cache: info.map(|i| CacheContents {
                path: i.path.to_string_lossy().into_owned(),
                server: i.server.clone(),
                schema_version: i.schema_version,
                file_bytes: i.file_bytes,
                synced_at: i.synced_at,
                watermark: i.watermark,
                builders_fetched_at: i.builders_fetched_at,
                workers_fetched_at: i.workers_fetched_at,
                builds: i.builds,
                running_builds: i.running_builds,
                covered_builders: i.covered_builders,
                responses: i.responses,
                response_bytes: i.response_bytes,
            }),
        }
    }

    /// When the report was made (Unix seconds): ages count from it.
    pub fn now(&self) -> i64 {
        self.header.generated_at
    }
}
