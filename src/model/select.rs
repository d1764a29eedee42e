//! Which builders a report covers: active ones, of the asked branches, matching the name glob.

use std::collections::{BTreeSet, HashSet};

use globset::GlobMatcher;

use super::branch;
use super::classify::{BuilderClass, NO_BRANCH, TagRules};
use crate::api::types::{Builder, BuilderId, Worker};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedBuilder {
    pub builderid: BuilderId,
    pub name: String,
    pub tags: Vec<String>,
    pub class: BuilderClass,
    /// Some worker configured for this builder is connected to a master.
    pub connected: bool,
    /// Connected, but every connected worker configured for it is paused: it takes no build.
    pub paused: bool,
    /// Why, when the master says (`pause_reason`, Buildbot 4.x): the paused workers' reasons,
    /// `; `-joined.
    pub pause_reason: Option<String>,
}

impl SelectedBuilder {
    /// Whether it can build now: connected, paused or offline.
    pub fn presence(&self) -> super::status::Presence {
        super::status::Presence::of(self.connected, self.paused)
    }
}

#[derive(Debug, Clone)]
pub struct Selection {
    /// Sorted by branch (newest first), then name.
    pub builders: Vec<SelectedBuilder>,
    /// Active builders on the server, before branch and name filters.
    pub active_total: usize,
    /// The branches covered, newest first (all active ones when none was asked).
    pub branches: Vec<String>,
    /// Active builders left out because no tag names their branch (none was asked for them);
    /// `bbreport no-branch` lists them.
    pub untagged_left_out: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("unknown branch '{branch}'")]
    UnknownBranch { branch: String, known: Vec<String> },
    #[error("no builder matches name '{glob}' on branch {}", branches.join(", "))]
    NoNameMatch { glob: String, branches: Vec<String> },
    #[error("the server has no active builders")]
    NoActiveBuilders,
}

/// A builder is active when it is still configured on a master (`masterids` not empty) and
/// some worker lists it in `configured_on`. Buildbot lists retired builders forever
/// (python.org has 1600+ builder ids for ~1000 live builders); they are never shown, nor are
/// Buildbot's internal builders (`__Janitor`: a `__` prefix). Builders with no branch tag are
/// shown only when `no-branch` is asked for.
pub fn select(
    builders: &[Builder],
    workers: &[Worker],
    rules: &TagRules,
    branches: &[String],
    name: Option<&GlobMatcher>,
) -> Result<Selection, SelectError> {
    let configured: HashSet<BuilderId> = workers
        .iter()
        .flat_map(|w| w.configured_on.iter().map(|c| c.builderid))
        .collect();
    let connected: HashSet<BuilderId> = workers
        .iter()
        .filter(|w| !w.connected_to.is_empty())
        .flat_map(|w| w.configured_on.iter().map(|c| c.builderid))
        .collect();
    // Connected workers not paused, and paused ones with their reasons: a builder is paused
    // when it has connected workers and none of them takes builds.
    let unpaused: HashSet<BuilderId> = workers
        .iter()
        .filter(|w| !w.connected_to.is_empty() && !w.paused)
        .flat_map(|w| w.configured_on.iter().map(|c| c.builderid))
        .collect();
    let pause_reason = |id: BuilderId| -> Option<String> {
        let reasons: BTreeSet<&str> = workers
            .iter()
            .filter(|w| !w.connected_to.is_empty() && w.paused)
            .filter(|w| w.configured_on.iter().any(|c| c.builderid == id))
            .filter_map(|w| w.pause_reason.as_deref())
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .collect();
        (!reasons.is_empty()).then(|| reasons.into_iter().collect::<Vec<_>>().join("; "))
    };
    let active: Vec<SelectedBuilder> = builders
        .iter()
        .filter(|b| !b.masterids.is_empty() && configured.contains(&b.builderid))
        .filter(|b| !b.name.starts_with("__"))
        .map(|b| SelectedBuilder {
            builderid: b.builderid,
            name: b.name.clone(),
            tags: b.tags.clone(),
            class: rules.classify(&b.name, &b.tags),
            connected: connected.contains(&b.builderid),
            paused: connected.contains(&b.builderid) && !unpaused.contains(&b.builderid),
            pause_reason: if connected.contains(&b.builderid) && !unpaused.contains(&b.builderid) {
                pause_reason(b.builderid)
            } else {
                None
            },
        })
        .collect();
    if active.is_empty() {
        return Err(SelectError::NoActiveBuilders);
    }
    let mut known: Vec<String> = active
        .iter()
        .map(|b| b.class.branch.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    known.sort_by(|a, b| branch::compare(a, b));

    let wanted: Vec<String> = if branches.is_empty() {
        known.iter().filter(|k| *k != NO_BRANCH).cloned().collect()
    } else {
        let mut wanted = Vec::new();
        for asked in branches {
            let asked_branch = rules.canonical_branch(asked);
            let Some(found) = known.iter().find(|k| k.eq_ignore_ascii_case(asked_branch)) else {
                return Err(SelectError::UnknownBranch {
                    branch: asked.clone(),
                    known,
                });
            };
            if !wanted.contains(found) {
                wanted.push(found.clone());
            }
        }
        wanted.sort_by(|a, b| branch::compare(a, b));
        wanted
    };

    let active_total = active.len();
    let untagged_left_out = if wanted.iter().any(|w| w == NO_BRANCH) {
        0
    } else {
        active
            .iter()
            .filter(|b| b.class.branch == NO_BRANCH)
            .count()
    };
    let mut chosen: Vec<SelectedBuilder> = active
        .into_iter()
        .filter(|b| wanted.contains(&b.class.branch))
        .filter(|b| name.is_none_or(|g| g.is_match(&b.name)))
        .collect();
    if chosen.is_empty()
        && let Some(g) = name
    {
        return Err(SelectError::NoNameMatch {
            glob: g.glob().glob().to_string(),
            branches: wanted,
        });
    }
    chosen.sort_by(|a, b| {
        branch::compare(&a.class.branch, &b.class.branch)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(Selection {
        builders: chosen,
        active_total,
        branches: wanted,
        untagged_left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{ConfiguredOn, MasterRef};

    fn builder(id: u32, name: &str, tags: &[&str], masterids: &[u32]) -> Builder {
        Builder {
            builderid: id,
            name: name.into(),
            masterids: masterids.to_vec(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn worker(name: &str, builders: &[u32], connected: bool) -> Worker {
        Worker {
            workerid: 1,
            name: name.into(),
            connected_to: if connected {
                vec![MasterRef { masterid: 1 }]
            } else {
                vec![]
            },
            configured_on: builders
                .iter()
                .map(|b| ConfiguredOn {
                    builderid: *b,
                    masterid: Some(1),
                })
                .collect(),
            paused: false,
            pause_reason: None,
        }
    }

    fn fleet() -> (Vec<Builder>, Vec<Worker>) {
        let builders = vec![
            builder(1, "AMD64 Ubuntu 3.x", &["3.x", "stable", "tier-1"], &[1]),
            builder(2, "AMD64 Ubuntu 3.14", &["3.14", "stable", "tier-1"], &[1]),
            builder(3, "ARM64 macOS 3.x", &["3.x", "stable", "tier-2"], &[1]),
            builder(4, "AMD64 Ubuntu 3.9", &["3.9", "stable"], &[]), // retired: no master
            builder(5, "x86 Gentoo 3.x", &["3.x", "unstable"], &[1]), // retired: no worker lists it
            builder(6, "AMD64 Ubuntu PR", &["PullRequest", "stable"], &[1]),
        ];
        let workers = vec![
            worker("ubuntu", &[1, 2, 4, 6], true),
            worker("mac", &[3], false),
        ];
        (builders, workers)
    }

    fn names(s: &Selection) -> Vec<&str> {
        s.builders.iter().map(|b| b.name.as_str()).collect()
    }

    #[test]
    fn retired_builders_are_hidden_and_branches_sorted() {
        let (b, w) = fleet();
        let s = select(&b, &w, &TagRules::default(), &[], None).expect("selection");
        assert_eq!(
            names(&s),
            [
                "AMD64 Ubuntu 3.x",
                "ARM64 macOS 3.x",
                "AMD64 Ubuntu 3.14",
                "AMD64 Ubuntu PR"
            ]
        );
        assert_eq!(s.branches, ["3.x", "3.14", "PR"]);
        assert_eq!(s.active_total, 4);
    }

    #[test]
    fn connection_comes_from_workers() {
        let (b, w) = fleet();
        let s = select(&b, &w, &TagRules::default(), &["3.x".into()], None).expect("selection");
        let connected: Vec<_> = s
            .builders
            .iter()
            .map(|b| (b.name.as_str(), b.connected))
            .collect();
        assert_eq!(
            connected,
            [("AMD64 Ubuntu 3.x", true), ("ARM64 macOS 3.x", false)]
        );
    }

    #[test]
    fn a_builder_whose_connected_workers_are_all_paused_is_paused() {
        let (b, mut w) = fleet();
        // ubuntu serves 1, 2, 6; a second worker serves 2 and is not paused.
        w[0].paused = true;
        w[0].pause_reason = Some("disk replacement".into());
        w.push(worker("ubuntu2", &[2], true));
        // mac (builder 3) is paused but disconnected: offline, not paused.
        w[1].paused = true;
        let s = select(&b, &w, &TagRules::default(), &[], None).expect("selection");
        let state: Vec<_> = s
            .builders
            .iter()
            .map(|b| (b.builderid, b.paused, b.pause_reason.as_deref()))
            .collect();
        assert_eq!(
            state,
            [
                (1, true, Some("disk replacement")),
                (3, false, None),
                (2, false, None),
                (6, true, Some("disk replacement")),
            ]
        );
        // Older masters have no pause_reason: paused all the same.
        w[0].pause_reason = None;
        let s = select(&b, &w, &TagRules::default(), &["3.x".into()], None).expect("selection");
        assert!(s.builders[0].paused && s.builders[0].pause_reason.is_none());
    }

    #[test]
    fn unknown_branch_lists_known_ones_retired_excluded() {
        let (b, w) = fleet();
        let err = select(&b, &w, &TagRules::default(), &["3.9".into()], None)
            .expect_err("3.9 is retired");
        assert_eq!(
            err,
            SelectError::UnknownBranch {
                branch: "3.9".into(),
                known: vec!["3.x".into(), "3.14".into(), "PR".into()]
            }
        );
    }

    #[test]
    fn branch_names_match_case_insensitively() {
        let (b, w) = fleet();
        let s = select(&b, &w, &TagRules::default(), &["pr".into()], None).expect("selection");
        assert_eq!(names(&s), ["AMD64 Ubuntu PR"]);
    }

    #[test]
    fn name_glob_is_case_insensitive_and_empty_match_is_an_error() {
        let (b, w) = fleet();
        let g = globset::GlobBuilder::new("*MACOS*")
            .case_insensitive(true)
            .build()
            .expect("glob")
            .compile_matcher();
        let s = select(&b, &w, &TagRules::default(), &[], Some(&g)).expect("selection");
        assert_eq!(names(&s), ["ARM64 macOS 3.x"]);
        let g = globset::GlobBuilder::new("*solaris*")
            .case_insensitive(true)
            .build()
            .expect("glob")
            .compile_matcher();
        assert!(matches!(
            select(&b, &w, &TagRules::default(), &[], Some(&g)),
            Err(SelectError::NoNameMatch { .. })
        ));
    }

    #[test]
    fn internal_builders_are_hidden_and_untagged_ones_listed_only_when_asked() {
        let (mut b, mut w) = fleet();
        b.push(builder(7, "__Janitor", &[], &[1]));
        b.push(builder(8, "AMD64 Arch Linux Valgrind", &["valgrind"], &[1]));
        w.push(worker("local", &[7, 8], true));
        let rules = TagRules::default();
        let s = select(&b, &w, &rules, &[], None).expect("selection");
        assert_eq!(
            s.branches,
            ["3.x", "3.14", "PR"],
            "no branch named Valgrind"
        );
        assert!(
            !names(&s)
                .iter()
                .any(|n| n.contains("Janitor") || n.contains("Valgrind"))
        );
        assert_eq!((s.active_total, s.untagged_left_out), (5, 1));
        let s = select(&b, &w, &rules, &["no-branch".into()], None).expect("asked");
        assert_eq!(names(&s), ["AMD64 Arch Linux Valgrind"]);
        assert_eq!(s.untagged_left_out, 0);
        let s = select(&b, &w, &rules, &["main".into()], None).expect("alias");
        assert_eq!(s.branches, ["3.x"]);
    }
}
