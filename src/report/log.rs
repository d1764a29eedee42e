//! A regrtest log read from a file (`bbreport log FILE`): the triage `build` gives for a test
//! step's log and the commands `repro` gives, with no server. Its JSON is `kind: "log"`.

use serde::Serialize;

use super::build::{LogSummaryEntry, summary};
use super::header::{JsonHeader, Provenance, SCHEMA_VERSION};
use super::repro::{ReproPlanEntry, checkout};
use crate::model::log_file::header_revision;
use crate::model::regrtest::LogSummary;
use crate::model::repro::plan;

#[derive(Debug, Serialize)]
pub struct LogReport {
    pub schema_version: u32,
    /// `log`.
    pub kind: &'static str,
    /// When this report was made (Unix seconds). A log report has no `server`, `source` or
    /// `recorded_at`: the file is its data.
    pub generated_at: i64,
    /// The file read, as given on the command line; `-` for standard input.
    pub file: String,
    /// Its size: every byte was read.
    pub bytes_read: u64,
    /// The commit the log's `== CPython … (heads/main:26511993e63, …)` header names; null when
    /// it names none.
    pub revision: Option<String>,
    /// `git checkout REV` for that commit; null without one.
    pub checkout: Option<String>,
    /// What the parser found, as `build` reports a test log's `summary`.
    pub summary: LogSummaryEntry,
    /// How to reproduce the first failing test, as `repro` gives it after its checkout; null when
    /// no test failed, timed out or crashed.
    pub repro: Option<ReproPlanEntry>,
    /// Why there is nothing to reproduce, when `repro` is null (and the test still running
    /// when the log ends, if any).
    pub nothing_to_reproduce: Option<String>,
}

/// What `bbreport log` read.
#[derive(Debug, Clone, Copy)]
pub struct LogInput<'a> {
    /// As given: a path, or `-`.
    pub file: &'a str,
    pub bytes: u64,
    pub summary: &'a LogSummary,
    /// Unix seconds.
    pub now: i64,
    /// `--out DIR`, absolute: where the plan's replay files were written.
    pub out: Option<&'a std::path::Path>,
}

impl LogReport {
    pub fn new(input: LogInput<'_>) -> LogReport {
        let s = input.summary;
        let revision = header_revision(&s.platform);
        let repro = plan(s);
        let nothing_to_reproduce = repro.is_none().then(|| {
            let mut why = "no test failed, timed out or crashed".to_string();
            if !s.passed_on_rerun.is_empty() {
                why.push_str(&format!(
                    " in the end ({} passed on re-run)",
                    s.passed_on_rerun.join(" ")
                ));
            }
            // A hang or a kill: what was running is the lead, though nothing failed.
            if let Some(test) = &s.last_running {
                why.push_str(&format!("; {test} was still running when the log ends"));
            }
            why
        });
        LogReport {
            schema_version: SCHEMA_VERSION,
            kind: "log",
            generated_at: input.now,
            file: input.file.to_string(),
            bytes_read: input.bytes,
            checkout: revision.as_deref().and_then(checkout),
            revision,
            summary: summary(s),
            repro: repro.as_ref().map(|p| ReproPlanEntry::new(p, input.out)),
            nothing_to_reproduce,
        }
    }
}

impl Provenance for LogReport {
    /// The file is the data: there is no server, source or recording time to state.
    fn header(&self) -> Option<&JsonHeader> {
        None
    }

    fn data_notes(&self) -> Vec<String> {
        if self.summary.rebuilt_from_events {
            vec![
                "The log has no complete final summary (the run did not finish, or the log is \
                 cut): the test lists are rebuilt from its progress lines, and say what it \
                 showed so far."
                    .into(),
            ]
        } else {
            Vec::new()
        }
    }
}
