//! `bbreport watch` events: one report per line of the stream, written as it happens. In JSON
//! each is one object on one line, `event` naming its kind.

use serde::Serialize;

use super::header::SCHEMA_VERSION;
use crate::api::ServerUrl;
use crate::model::digest::{Change, ChangeKind, health_of};
use crate::model::summary::Summary;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum WatchEvent {
    /// The first line: what is watched and how it stands.
    Watching {
        schema_version: u32,
        /// Unix seconds, like every event's `time`.
        time: i64,
        /// Builders watched, of these branches.
        builders: usize,
        branches: Vec<String>,
        /// Seconds between polls.
        interval: u64,
        /// Builders whose newest telling build failed, and builders with no worker connected.
        failing: usize,
        offline: usize,
    },
    /// A builder's newest finished build failed; it passed before (or never built).
    NewFailure(BuilderChange),
    /// A failing builder's newest finished build passed.
    Fixed(BuilderChange),
    /// No worker of the builder is connected any more.
    Offline(BuilderChange),
    /// A worker of the builder is connected again.
    BackOnline(BuilderChange),
    /// `--tests`: a builder's newest failed build fails tests its previous failed build did not.
    NewFailingTest {
        time: i64,
        builderid: u32,
        name: String,
        number: u32,
        /// The tests that fail now and did not before, sorted.
        tests: Vec<String>,
        /// The build's web page.
        url: String,
    },
    /// `--until-complete`: how many release-blocking builders have finished the revision.
    Progress {
        time: i64,
        /// The full revision.
        revision: String,
        finished: usize,
        blocking: usize,
    },
}

/// A builder that changed state (new failure, fixed, offline, back online).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuilderChange {
    pub time: i64,
    pub builderid: u32,
    pub name: String,
    pub branch: String,
    /// The build that shows it (failures and fixes); null for connection changes.
    pub number: Option<u32>,
    /// Why that build failed (Buildbot's summary), for new failures.
    pub reason: Option<String>,
    /// The build's web page, else the builder's.
    pub url: String,
}

impl WatchEvent {
    /// The first line of a watch: builders watched, branches, how many fail, how many are
    /// offline.
    pub fn watching(s: &Summary, time: i64, interval: u64) -> WatchEvent {
        let rows: Vec<_> = s.branches.iter().flat_map(|b| &b.builders).collect();
        WatchEvent::Watching {
            schema_version: SCHEMA_VERSION,
            time,
            builders: rows.len(),
            branches: s.branches.iter().map(|b| b.name.clone()).collect(),
            interval,
            failing: rows
                .iter()
                .filter_map(|r| health_of(r))
                .filter(|h| h.failing == Some(true))
                .count(),
            offline: rows.iter().filter(|r| !r.connected).count(),
        }
    }

    /// A change the digest rule found between two polls.
    pub fn change(c: &Change, time: i64, server: &ServerUrl) -> WatchEvent {
        let change = BuilderChange {
            time,
            builderid: c.builderid,
            name: c.name.clone(),
            branch: c.branch.clone(),
            number: c.number,
            reason: c.reason.clone(),
            url: crate::report::digest::link(server, c.builderid, c.number),
        };
        match c.kind {
            ChangeKind::NewFailure => WatchEvent::NewFailure(change),
            ChangeKind::Fixed => WatchEvent::Fixed(change),
            ChangeKind::Offline => WatchEvent::Offline(change),
            ChangeKind::BackOnline => WatchEvent::BackOnline(change),
        }
    }

    /// When it happened (Unix seconds).
    pub fn time(&self) -> i64 {
        match self {
            WatchEvent::Watching { time, .. }
            | WatchEvent::NewFailingTest { time, .. }
            | WatchEvent::Progress { time, .. } => *time,
            WatchEvent::NewFailure(c)
            | WatchEvent::Fixed(c)
            | WatchEvent::Offline(c)
            | WatchEvent::BackOnline(c) => c.time,
        }
    }
}
