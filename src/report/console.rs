//! The console report (`bbreport console`): one branch's newest commits × its builders, each
//! cell the build that tested that commit. Its JSON is `kind: "console"`.

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use super::summary::StaleEntry;
use crate::model::console::{Console, ConsoleCell};
use crate::model::status::{BuildResult, Outcome};

#[derive(Debug, Serialize)]
pub struct ConsoleReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub branch: String,
    /// The git branch its commits are on (`main` for CPython's 3.x).
    pub git_branch: Option<String>,
    pub builders: Vec<BuilderEntry>,
    /// Newest first; `cells` follow `builders`' order.
    pub commits: Vec<CommitEntry>,
}

#[derive(Debug, Serialize)]
pub struct BuilderEntry {
    /// Its column number in the text grid, from 1.
    pub column: usize,
    pub name: String,
    pub builderid: u32,
    /// The builder's web page.
    pub url: String,
    pub connected: bool,
    /// Connected, but every connected worker is paused: it takes no build.
    pub paused: bool,
    /// Why, when the master says (Buildbot 4.x).
    pub pause_reason: Option<String>,
    /// Its newest stale build among those read (listed as running, but its master is gone or
    /// it is overdue); null when none.
    pub stale: Option<StaleBuildEntry>,
}

/// A stale build named by its number.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct StaleBuildEntry {
    pub number: u32,
    #[serde(flatten)]
    pub stale: StaleEntry,
}

#[derive(Debug, Serialize)]
pub struct CommitEntry {
    pub revision: String,
    pub author: String,
    /// Unix seconds.
    pub when: Option<i64>,
    /// First line of the commit message.
    pub subject: String,
    pub cells: Vec<CellEntry>,
}

/// How a builder tested a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    /// A build of exactly this commit.
    Built,
    /// A newer commit's build tested it (Buildbot built a burst of pushes once).
    Covered,
    /// No build of this builder tested it (yet).
    NotBuilt,
}

#[derive(Debug, Serialize)]
pub struct CellEntry {
    pub state: CellState,
    /// The build that tested it; null when not built.
    pub number: Option<u32>,
    /// That build's result; null while running and when not built.
    pub result: Option<BuildResult>,
    pub running: bool,
    /// That build is stale (see the builder's `stale`); `running` is then false.
    pub stale: bool,
    /// That build's web page.
    pub url: Option<String>,
}

impl CellEntry {
    /// The outcome of the build that tested the commit; `None` when none did.
    pub fn outcome(&self) -> Option<Outcome> {
        match (self.state, self.running, self.result) {
            (CellState::NotBuilt, _, _) => None,
            _ if self.stale => Some(Outcome::Stale),
            (_, true, _) => Some(Outcome::Running),
            (_, false, Some(r)) => Some(Outcome::Finished(r)),
            (_, false, None) => Some(Outcome::Unrecognised),
        }
    }
}

impl ConsoleReport {
    pub fn new(c: &Console, origin: &ReportOrigin<'_>) -> ConsoleReport {
        let server = origin.server;
        ConsoleReport {
            header: origin.header("console"),
            branch: c.branch.clone(),
            git_branch: c.git_branch.clone(),
            builders: c
                .builders
                .iter()
                .enumerate()
                .map(|(i, b)| BuilderEntry {
                    column: i + 1,
                    name: b.name.clone(),
                    builderid: b.builderid,
                    url: server.builder_url(b.builderid),
                    connected: b.connected,
                    paused: b.paused,
                    pause_reason: b.pause_reason.clone(),
                    stale: b.stale.map(|(number, s)| StaleBuildEntry {
                        number,
                        stale: s.into(),
                    }),
                })
                .collect(),
            commits: c
                .commits
                .iter()
                .map(|row| CommitEntry {
                    revision: row.revision.clone(),
                    author: row.author.clone(),
                    when: row.when,
                    subject: row.subject.clone(),
                    cells: row
                        .cells
                        .iter()
                        .zip(&c.builders)
                        .map(|(cell, b)| {
                            let (state, build) = match *cell {
                                ConsoleCell::Built { number, outcome } => {
                                    (CellState::Built, Some((number, outcome)))
                                }
                                ConsoleCell::Covered { number, outcome } => {
                                    (CellState::Covered, Some((number, outcome)))
                                }
                                ConsoleCell::NotBuilt => (CellState::NotBuilt, None),
                            };
                            CellEntry {
                                state,
                                number: build.map(|(n, _)| n),
                                result: build.and_then(|(_, o)| match o {
                                    Outcome::Finished(r) => Some(r),
                                    Outcome::Running | Outcome::Stale | Outcome::Unrecognised => {
                                        None
                                    }
                                }),
                                running: build.is_some_and(|(_, o)| o == Outcome::Running),
                                stale: build.is_some_and(|(_, o)| o == Outcome::Stale),
                                url: build.map(|(n, _)| server.build_url(b.builderid, n)),
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// When the report was made (Unix seconds): commit ages count from it.
    pub fn now(&self) -> i64 {
        self.header.generated_at
    }
}
