//! How to reproduce a build's test failure locally (`bbreport repro`): the buildbot's command
//! with its seed, the failing test alone, and the run order when it carries over. Its JSON is
//! `kind: "repro"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::api::types::{Build, Builder};
use crate::model::repro::{ReproMode, ReproPlan};

#[derive(Debug, Serialize)]
pub struct ReproReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub builder: String,
    pub builderid: u32,
    /// The builder's web page.
    pub builder_url: String,
    pub number: u32,
    /// The build's web page.
    pub url: String,
    /// `got_revision`: the commit to check out.
    pub revision: Option<String>,
    /// `git checkout REV`, the first command to run; null when the build names no commit id.
    pub checkout: Option<String>,
    /// The buildbot's regrtest command for a local checkout (`./python -m test …`), its seed
    /// pinned; null when the log does not show it.
    pub command: Option<String>,
    /// The test to reproduce: the first that failed, in run order when known.
    pub target: String,
    /// Every test that failed, timed out or crashed.
    pub failed: Vec<String>,
    pub mode: RunMode,
}

/// Whether the log's order is the order the tests ran in.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunMode {
    /// One worker or none: the log's order is the run order.
    Sequential {
        /// Tests run before the target, in order.
        before: Vec<String>,
        /// The two halves of `before`, each to run followed by the target.
        first_half: Vec<String>,
        second_half: Vec<String>,
    },
    /// Several workers ran tests interleaved: no single order exists.
    Parallel { workers: u32 },
    /// The log does not show where the target ran.
    OrderUnknown,
}

/// What `bbreport repro` read and planned.
#[derive(Debug, Clone, Copy)]
pub struct ReproInput<'a> {
    pub builder: &'a Builder,
    pub build: &'a Build,
    pub plan: &'a ReproPlan,
}

impl ReproReport {
    pub fn new(input: ReproInput<'_>, origin: &ReportOrigin<'_>) -> ReproReport {
        let (b, p, server) = (input.build, input.plan, origin.server);
        ReproReport {
            header: origin.header("repro"),
            builder: input.builder.name.clone(),
            builderid: input.builder.builderid,
            builder_url: server.builder_url(input.builder.builderid),
            number: b.number,
            url: server.build_url(b.builderid, b.number),
            revision: b.got_revision().map(str::to_string),
            checkout: b.got_revision().and_then(checkout),
            command: p.command.clone(),
            target: p.target.clone(),
            failed: p.failed.clone(),
            mode: match &p.mode {
                ReproMode::Sequential { before, halves } => RunMode::Sequential {
                    before: before.clone(),
                    first_half: halves.0.clone(),
                    second_half: halves.1.clone(),
                },
                ReproMode::Parallel { workers } => RunMode::Parallel { workers: *workers },
                ReproMode::OrderUnknown => RunMode::OrderUnknown,
            },
        }
    }
}

/// `git checkout REV` when `rev` is a commit id (hex, 7 to 64 digits): a revision is pasted
/// into a shell, so anything else from the server is never made a command.
fn checkout(rev: &str) -> Option<String> {
    let commit_id = (7..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit());
    commit_id.then(|| format!("git checkout {rev}"))
}

#[cfg(test)]
mod tests {
    use super::checkout;

    #[test]
    fn only_a_commit_id_becomes_a_checkout_command() {
        assert_eq!(
            checkout("8a163284d6c0ffee").as_deref(),
            Some("git checkout 8a163284d6c0ffee")
        );
        for bad in [
            "",
            "abc",
            "main; rm -rf ~",
            "--orphan",
            "8a16 3284",
            &"a".repeat(65),
        ] {
            assert_eq!(checkout(bad), None, "{bad:?}");
        }
    }
}
