//! What `bbreport snapshot` reads that reports never do: the builders, workers and newest
//! changes exactly as the master serves them (every field), so that a snapshot holds the
//! master's own answers.

use serde_json::Value;

use super::source::Live;
use crate::api::types::{Builder, Worker};
use crate::api::{ApiError, ApiErrorKind, endpoints};

/// The lists as the master sent them, and decoded.
#[derive(Debug)]
pub struct RawLists {
    pub builders_raw: Value,
    pub workers_raw: Value,
    pub changes_raw: Value,
    pub builders: Vec<Builder>,
    pub workers: Vec<Worker>,
}

/// The builders and workers lists and the newest `changes` commits, in one round of requests.
pub async fn raw_lists(live: &Live, changes: usize) -> Result<RawLists, ApiError> {
    let changes_path = endpoints::recent_changes(changes);
    let (builders_raw, workers_raw, changes_raw) = tokio::try_join!(
        live.get_json::<Value>(endpoints::ALL_BUILDERS),
        live.get_json::<Value>(endpoints::ALL_WORKERS),
        live.get_json::<Value>(&changes_path),
    )?;
    let decode = |what: &str, e: serde_json::Error| ApiError {
        url: live.server().api_url(what),
        kind: ApiErrorKind::Json(e.to_string()),
    };
    let builders: Vec<Builder> = serde_json::from_value(builders_raw["builders"].clone())
        .map_err(|e| decode(endpoints::ALL_BUILDERS, e))?;
    let workers: Vec<Worker> = serde_json::from_value(workers_raw["workers"].clone())
        .map_err(|e| decode(endpoints::ALL_WORKERS, e))?;
    Ok(RawLists {
        builders_raw,
        workers_raw,
        changes_raw,
        builders,
        workers,
    })
}
