//! Serde types of raw Buildbot REST responses (data API v2). Only the fields bbreport reads;
//! unknown fields are ignored, so any Buildbot 3.x/4.x master decodes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub type BuilderId = u32;
pub type WorkerId = u32;
pub type BuildId = u64;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Builder {
    pub builderid: BuilderId,
    pub name: String,
    /// `[]` once the builder is no longer configured on any master (it stays listed forever).
    #[serde(default)]
    pub masterids: Vec<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Worker {
    pub workerid: WorkerId,
    pub name: String,
    /// `[]` means disconnected.
    #[serde(default)]
    pub connected_to: Vec<MasterRef>,
    #[serde(default)]
    pub configured_on: Vec<ConfiguredOn>,
    /// Connected but taking no build (paused through the REST control API or the web UI).
    #[serde(default)]
    pub paused: bool,
    /// Why it was paused (Buildbot 4.x; absent on older masters, and forgotten by 4.3 when the
    /// master restarts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_reason: Option<String>,
}

/// A Buildbot master process (`/masters`): one row per master name (`host:basedir`) ever run.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Master {
    pub masterid: u32,
    #[serde(default)]
    pub name: String,
    /// False once the master stopped cleanly or its row expired (silent for 10 minutes).
    #[serde(default)]
    pub active: bool,
    /// When it last checked in (Unix seconds, the server's clock; every 60 s while it runs).
    #[serde(default)]
    pub last_active: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MasterRef {
    pub masterid: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ConfiguredOn {
    pub builderid: BuilderId,
    #[serde(default)]
    pub masterid: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Build {
    pub buildid: BuildId,
    pub builderid: BuilderId,
    pub number: u32,
    /// Buildbot result code (0 success … 6 cancelled); `None` while the build runs.
    #[serde(default)]
    pub results: Option<i64>,
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub started_at: Option<i64>,
    #[serde(default)]
    pub complete_at: Option<i64>,
    #[serde(default)]
    pub state_string: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildrequestid: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workerid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masterid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locks_duration_s: Option<i64>,
    /// Only filled for the names asked with `property=`; `{name: [value, source]}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl Build {
    /// A build with the fields the rules read: finished with `results`, or running when
    /// `None`. Tests set the rest (times, state string, properties) on the value.
    #[cfg(test)]
    pub fn for_test(
        buildid: BuildId,
        builderid: BuilderId,
        number: u32,
        results: Option<i64>,
    ) -> Build {
        Build {
            buildid,
            builderid,
            number,
            results,
            complete: results.is_some(),
            started_at: None,
            complete_at: None,
            state_string: String::new(),
            buildrequestid: None,
            workerid: None,
            masterid: None,
            locks_duration_s: None,
            properties: BTreeMap::new(),
        }
    }

    /// The revision the build checked out (`got_revision`), when it was fetched.
    ///
    /// A master with several codebases records it per codebase, as an object
    /// (`{"": "3f2a…", "docs": "…"}`): the default codebase's (`""`) is taken, else `cpython`'s,
    /// else the first by name.
    pub fn got_revision(&self) -> Option<&str> {
        let value = self.properties.get("got_revision")?.get(0)?;
        if let Some(per_codebase) = value.as_object() {
            return ["", "cpython"]
                .iter()
                .find_map(|k| per_codebase.get(*k)?.as_str())
                .or_else(|| {
                    let mut names: Vec<&String> = per_codebase.keys().collect();
                    names.sort();
                    names.iter().find_map(|k| per_codebase.get(*k)?.as_str())
                });
        }
        value.as_str()
    }
}

/// `{"<plural>": [...], "meta": {...}}`: every Buildbot list response.
#[derive(Debug, Deserialize)]
pub struct BuildersPage {
    pub builders: Vec<Builder>,
}

#[derive(Debug, Deserialize)]
pub struct WorkersPage {
    pub workers: Vec<Worker>,
}

#[derive(Debug, Deserialize)]
pub struct MastersPage {
    pub masters: Vec<Master>,
}

#[derive(Debug, Deserialize)]
pub struct BuildsPage {
    pub builds: Vec<Build>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Change {
    pub changeid: u64,
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub comments: String,
    #[serde(default)]
    pub when_timestamp: Option<i64>,
    /// The change's properties (`{name: [value, source]}`), only where asked (`field=properties`):
    /// a GitHub pull request's change records its base branch as `basename`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl Change {
    /// A string property's value (`None`: absent, or not a string).
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.get(name)?.get(0)?.as_str()
    }
}

#[derive(Debug, Deserialize)]
pub struct ChangesPage {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Step {
    pub stepid: u64,
    pub number: u32,
    pub name: String,
    #[serde(default)]
    pub results: Option<i64>,
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub started_at: Option<i64>,
    #[serde(default)]
    pub complete_at: Option<i64>,
    #[serde(default)]
    pub state_string: String,
    #[serde(default)]
    pub hidden: bool,
}

#[derive(Debug, Deserialize)]
pub struct StepsPage {
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Log {
    pub logid: u64,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub num_lines: u64,
    /// `s` stdio, `t` text, `h` html, `d` deleted by the master's janitor.
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub complete: bool,
}

impl Log {
    /// Buildbot's janitor deleted its content (type `d`); `num_lines` still says how long it was.
    pub fn deleted(&self) -> bool {
        self.kind == "d"
    }
}

#[derive(Debug, Deserialize)]
pub struct LogsPage {
    pub logs: Vec<Log>,
}

#[derive(Debug, Deserialize)]
pub struct LogChunk {
    #[serde(default)]
    pub firstline: u64,
    pub content: String,
}

#[derive(Debug, Deserialize)]
pub struct LogChunksPage {
    pub logchunks: Vec<LogChunk>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_revision(value: serde_json::Value) -> Build {
        let mut b = Build::for_test(1, 1, 1, Some(0));
        b.properties
            .insert("got_revision".into(), serde_json::json!([value, "Git"]));
        b
    }

    #[test]
    fn got_revision_as_a_string_or_per_codebase() {
        assert_eq!(
            with_revision(serde_json::json!("3f2a1c9")).got_revision(),
            Some("3f2a1c9")
        );
        let per = serde_json::json!({"docs": "d0c5", "": "3f2a1c9"});
        assert_eq!(with_revision(per).got_revision(), Some("3f2a1c9"));
        let per = serde_json::json!({"zlib": "2", "cpython": "c9"});
        assert_eq!(with_revision(per).got_revision(), Some("c9"));
        let per = serde_json::json!({"zlib": "2", "openssl": "1"});
        assert_eq!(with_revision(per).got_revision(), Some("1"));
        assert_eq!(with_revision(serde_json::json!(null)).got_revision(), None);
    }
}
