//! One test's history (`bbreport test NAME`): a timeline per builder where it failed, the
//! failure messages seen, how to reproduce the latest failure, and since when it fails. Its
//! JSON is `kind: "test"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use super::repro::ReproPlanEntry;
use super::test_health::WindowEntry;
use crate::model::failures::Symptom;
use crate::model::repro::ReproPlan;
use crate::model::test_health::{Cell, HealthClass, TestHealth};

#[derive(Debug, Serialize)]
pub struct TestReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub test: String,
    pub branches: Vec<String>,
    pub window: WindowEntry,
    /// Builders covered.
    pub builders_covered: usize,
    /// Builds of the window that failed it; 0 when none did (`class` is then null).
    pub failures: usize,
    pub flaky: usize,
    pub class: Option<HealthClass>,
    pub shared_tags: Vec<String>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub known: Option<String>,
    /// The builders where it failed, most failures first.
    pub builders: Vec<BuilderTimeline>,
    /// Failure messages (unittest's banners and exception lines), deduplicated, most frequent
    /// first, with how many builds showed each.
    pub messages: Vec<MessageEntry>,
    /// How to reproduce its latest failure; null when no log of the window shows how.
    pub repro: Option<LatestFailure>,
}

#[derive(Debug, Serialize)]
pub struct BuilderTimeline {
    pub builder: String,
    pub builderid: u32,
    pub url: String,
    pub failures: usize,
    pub flaky: usize,
    pub class: HealthClass,
    /// The oldest build of the current streak of failures and its start time; null when the
    /// newest build that ran it did not fail it.
    pub failing_since: Option<u32>,
    pub failing_since_at: Option<i64>,
    /// The streak reaches the oldest build of the window: it may be older.
    pub since_open_ended: bool,
    /// Every build of the window, newest first.
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub number: u32,
    pub started_at: Option<i64>,
    /// `passed`, `failed`, `passed_on_rerun`, `not_run`.
    pub cell: Cell,
    /// `failed`, `timed_out`, `crashed`, `passed_on_rerun`; null when it did not fail.
    pub symptom: Option<Symptom>,
    /// A failure that came and went (passed on re-run, or the next build passed it).
    pub flaky: bool,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct MessageEntry {
    pub message: String,
    pub builds: usize,
}

#[derive(Debug, Serialize)]
pub struct LatestFailure {
    pub builder: String,
    pub builderid: u32,
    pub number: u32,
    pub url: String,
    #[serde(flatten)]
    pub plan: ReproPlanEntry,
}

/// What the `test` command computed.
#[derive(Debug, Clone, Copy)]
pub struct TestInput<'a> {
    pub test: &'a str,
    pub branches: &'a [String],
    pub window: &'a WindowEntry,
    pub builders_covered: usize,
    pub health: Option<&'a TestHealth>,
    pub messages: &'a [(String, usize)],
    /// The latest failure's builder, build and plan.
    pub repro: Option<(u32, u32, &'a ReproPlan)>,
}

impl TestReport {
    pub fn new(input: TestInput<'_>, origin: &ReportOrigin<'_>) -> TestReport {
        let server = origin.server;
        let h = input.health;
        let name_of = |id: u32| {
            h.and_then(|h| h.builders.iter().find(|b| b.builderid == id))
                .map(|b| b.builder.clone())
                .unwrap_or_default()
        };
        TestReport {
            header: origin.header("test"),
            test: input.test.to_string(),
            branches: input.branches.to_vec(),
            window: WindowEntry {
                days: input.window.days,
                builds: input.window.builds,
                since: input.window.since,
                cut_builders: input.window.cut_builders.clone(),
                max_builds: input.window.max_builds,
            },
            builders_covered: input.builders_covered,
            failures: h.map_or(0, |h| h.failures),
            flaky: h.map_or(0, |h| h.flaky),
            class: h.map(|h| h.class),
            shared_tags: h.map(|h| h.shared_tags.clone()).unwrap_or_default(),
            first_seen: h.and_then(|h| h.first_seen),
            last_seen: h.and_then(|h| h.last_seen),
            known: h.and_then(|h| h.known.clone()),
            builders: h
                .map(|h| &h.builders[..])
                .unwrap_or_default()
                .iter()
                .map(|b| BuilderTimeline {
                    builder: b.builder.clone(),
                    builderid: b.builderid,
                    url: server.builder_url(b.builderid),
                    failures: b.failures,
                    flaky: b.flaky,
                    class: b.class,
                    failing_since: b.failing_since.map(|s| s.0),
                    failing_since_at: b.failing_since.and_then(|s| s.1),
                    since_open_ended: b.since_open_ended,
                    timeline: b
                        .timeline
                        .iter()
                        .map(|t| TimelineEntry {
                            number: t.number,
                            started_at: t.started_at,
                            cell: t.cell,
                            symptom: t.symptom,
                            flaky: t.flaky,
                            url: server.build_url(b.builderid, t.number),
                        })
                        .collect(),
                })
                .collect(),
            messages: input
                .messages
                .iter()
                .map(|(m, n)| MessageEntry {
                    message: m.clone(),
                    builds: *n,
                })
                .collect(),
            repro: input.repro.map(|(builderid, number, plan)| LatestFailure {
                builder: name_of(builderid),
                builderid,
                number,
                url: server.build_url(builderid, number),
                plan: ReproPlanEntry::new(plan, None),
            }),
        }
    }
}
