//! The console view model: commits of a branch (newest first) × builders, each cell the build
//! that tested that commit.
//!
//! Buildbot often builds a burst of pushes once, at the newest commit: a build of revision R
//! covers every commit after the revision of that builder's previous build, up to R. Such
//! commits get a `Covered` cell naming the build, not a blank that looks like a missing build.

use std::collections::HashMap;

use super::select::SelectedBuilder;
use super::stale::{Stale, StaleBuilds};
use super::status::Outcome;
use super::summary::cell_of;
use crate::api::types::{Build, BuilderId, Change};

#[derive(Debug, Clone, PartialEq)]
pub struct Console {
    pub branch: String,
    /// The git branch its commits are on (`main` for CPython's 3.x).
    pub git_branch: Option<String>,
    pub builders: Vec<ConsoleBuilder>,
    /// Newest first.
    pub commits: Vec<CommitRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleBuilder {
    pub builderid: BuilderId,
    pub name: String,
    pub connected: bool,
    pub paused: bool,
    pub pause_reason: Option<String>,
    /// Its newest stale build among those read (number, age and why), said under the grid.
    pub stale: Option<(u32, Stale)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommitRow {
    pub revision: String,
    pub author: String,
    pub when: Option<i64>,
    /// First line of the commit message.
    pub subject: String,
    /// One per builder, in `Console::builders` order.
    pub cells: Vec<ConsoleCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleCell {
    /// A build of exactly this commit (the newest, if it was rebuilt).
    Built { number: u32, outcome: Outcome },
    /// Tested as part of a newer commit's build.
    Covered { number: u32, outcome: Outcome },
    /// No build of this builder tested it (yet).
    NotBuilt,
}

pub fn console(
    branch: &str,
    git_branch: Option<String>,
    commits: &[Change],
    builders: &[SelectedBuilder],
    builds: &HashMap<BuilderId, Vec<Build>>,
    stale: &StaleBuilds,
) -> Console {
    let index: HashMap<&str, usize> = commits
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((c.revision.as_deref()?, i)))
        .collect();
    let mut columns: Vec<Vec<ConsoleCell>> = Vec::new();
    for b in builders {
        let mut own: Vec<Option<&Build>> = vec![None; commits.len()];
        // A revision outside the rows is older than all of them (rows are the branch's newest
        // commits), which bounds the oldest rows from below.
        let mut oldest_built = None;
        let mut any_older_than_rows = false;
        for x in builds.get(&b.builderid).into_iter().flatten() {
            match x.got_revision().and_then(|r| index.get(r)) {
                Some(&i) => {
                    if own[i].is_none_or(|prev| prev.buildid < x.buildid) {
                        own[i] = Some(x);
                    }
                    oldest_built = Some(oldest_built.map_or(i, |o: usize| o.max(i)));
                }
                None if x.got_revision().is_some() => any_older_than_rows = true,
                None => {}
            }
        }
        let mut column = Vec::with_capacity(commits.len());
        for i in 0..commits.len() {
            let cell = match own[i] {
                Some(x) => ConsoleCell::Built {
                    number: x.number,
                    outcome: cell_of(x, stale).outcome,
                },
                None => {
                    let newer = (0..i).rev().find_map(|j| own[j]);
                    let bounded_below = any_older_than_rows || oldest_built.is_some_and(|o| o > i);
                    match newer {
                        Some(x) if bounded_below => ConsoleCell::Covered {
                            number: x.number,
                            outcome: cell_of(x, stale).outcome,
                        },
                        _ => ConsoleCell::NotBuilt,
                    }
                }
            };
            column.push(cell);
        }
        columns.push(column);
    }
    let commits = commits
        .iter()
        .enumerate()
        .map(|(i, c)| CommitRow {
            revision: c.revision.clone().unwrap_or_default(),
            author: c.author.clone(),
            when: c.when_timestamp,
            subject: c.comments.lines().next().unwrap_or_default().to_string(),
            cells: columns.iter().map(|col| col[i]).collect(),
        })
        .collect();
    Console {
        branch: branch.to_string(),
        git_branch,
        builders: builders
            .iter()
            .map(|b| ConsoleBuilder {
                builderid: b.builderid,
                name: b.name.clone(),
                connected: b.connected,
                paused: b.paused,
                pause_reason: b.pause_reason.clone(),
                stale: builds
                    .get(&b.builderid)
                    .into_iter()
                    .flatten()
                    .find_map(|x| Some((x.number, stale.get(x.buildid)?))),
            })
            .collect(),
        commits,
    }
}

/// The git branch a bbreport branch's commits are on, from the commits its builds built: the
/// most common one (ties: the first seen).
pub fn git_branch_of(changes: &[Change]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for c in changes {
        let Some(b) = c.branch.as_deref() else {
            continue;
        };
        match counts.iter_mut().find(|(n, _)| *n == b) {
            Some((_, n)) => *n += 1,
            None => counts.push((b, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(b, _)| b.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::classify::TagRules;
    use crate::model::status::BuildResult;

    fn change(id: u64, rev: &str) -> Change {
        Change {
            changeid: id,
            revision: Some(rev.into()),
            branch: Some("main".into()),
            author: "A U Thor <a@example.org>".into(),
            comments: format!("gh-{id}: change {rev}\n\nbody"),
            when_timestamp: Some(id as i64),
            properties: Default::default(),
        }
    }

    fn build(builderid: u32, buildid: u64, number: u32, rev: &str, results: Option<i64>) -> Build {
        let mut b = Build::for_test(buildid, builderid, number, results);
        b.properties
            .insert("got_revision".into(), serde_json::json!([rev, "Git"]));
        b
    }

    fn builder(id: u32) -> SelectedBuilder {
        let tags = vec!["3.x".to_string()];
        SelectedBuilder {
            builderid: id,
            name: format!("B{id} 3.x"),
            class: TagRules::default().classify("B 3.x", &tags),
            tags,
            connected: true,
            paused: false,
            pause_reason: None,
        }
    }

    #[test]
    fn a_build_covers_the_commits_since_the_previous_one() {
        // Commits newest first: e d c b a. Builder 1 built a, c (covering b) and e (covering d).
        let commits: Vec<Change> = ["e", "d", "c", "b", "a"]
            .iter()
            .enumerate()
            .map(|(i, r)| change(10 - i as u64, r))
            .collect();
        let builds = HashMap::from([(
            1,
            vec![
                build(1, 30, 3, "e", Some(2)),
                build(1, 20, 2, "c", Some(0)),
                build(1, 10, 1, "a", Some(0)),
            ],
        )]);
        let c = console(
            "3.x",
            Some("main".into()),
            &commits,
            &[builder(1)],
            &builds,
            &StaleBuilds::default(),
        );
        let cells: Vec<ConsoleCell> = c.commits.iter().map(|r| r.cells[0]).collect();
        let fail = Outcome::Finished(BuildResult::Failure);
        let ok = Outcome::Finished(BuildResult::Success);
        assert_eq!(
            cells,
            [
                ConsoleCell::Built {
                    number: 3,
                    outcome: fail
                },
                ConsoleCell::Covered {
                    number: 3,
                    outcome: fail
                },
                ConsoleCell::Built {
                    number: 2,
                    outcome: ok
                },
                ConsoleCell::Covered {
                    number: 2,
                    outcome: ok
                },
                ConsoleCell::Built {
                    number: 1,
                    outcome: ok
                },
            ]
        );
        assert_eq!(c.commits[0].subject, "gh-10: change e");
    }

    #[test]
    fn commits_newer_than_the_last_build_are_not_built_and_unbounded_ones_too() {
        let commits: Vec<Change> = ["c", "b", "a"]
            .iter()
            .enumerate()
            .map(|(i, r)| change(10 - i as u64, r))
            .collect();
        // Builder 1 only built b: c is not built yet; a is older than its first build here.
        let builds = HashMap::from([(1, vec![build(1, 20, 2, "b", None)])]);
        let c = console(
            "3.x",
            None,
            &commits,
            &[builder(1), builder(2)],
            &builds,
            &StaleBuilds::default(),
        );
        let col0: Vec<ConsoleCell> = c.commits.iter().map(|r| r.cells[0]).collect();
        assert_eq!(
            col0,
            [
                ConsoleCell::NotBuilt,
                ConsoleCell::Built {
                    number: 2,
                    outcome: Outcome::Running
                },
                ConsoleCell::NotBuilt
            ]
        );
        assert!(
            c.commits
                .iter()
                .all(|r| r.cells[1] == ConsoleCell::NotBuilt),
            "builder 2 built nothing"
        );
    }

    #[test]
    fn a_build_of_an_older_commit_outside_the_rows_bounds_coverage() {
        let commits: Vec<Change> = ["c", "b"]
            .iter()
            .enumerate()
            .map(|(i, r)| change(10 - i as u64, r))
            .collect();
        let builds = HashMap::from([(
            1,
            vec![
                build(1, 20, 2, "c", Some(0)),
                build(1, 10, 1, "older", Some(0)),
            ],
        )]);
        let c = console(
            "3.x",
            None,
            &commits,
            &[builder(1)],
            &builds,
            &StaleBuilds::default(),
        );
        assert!(matches!(
            c.commits[1].cells[0],
            ConsoleCell::Covered { number: 2, .. }
        ));
    }

    #[test]
    fn rebuilt_commit_shows_the_newest_build() {
        let commits = vec![change(1, "a")];
        let builds = HashMap::from([(
            1,
            vec![build(1, 11, 2, "a", Some(0)), build(1, 10, 1, "a", Some(2))],
        )]);
        let c = console(
            "3.x",
            None,
            &commits,
            &[builder(1)],
            &builds,
            &StaleBuilds::default(),
        );
        assert!(matches!(
            c.commits[0].cells[0],
            ConsoleCell::Built { number: 2, .. }
        ));
    }

    #[test]
    fn git_branch_is_the_most_common() {
        let mut a = change(1, "a");
        a.branch = Some("3.14".into());
        assert_eq!(
            git_branch_of(&[change(2, "b"), a, change(3, "c")]).as_deref(),
            Some("main")
        );
        assert_eq!(git_branch_of(&[]), None);
    }
}
