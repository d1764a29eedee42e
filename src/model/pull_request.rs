//! The buildbot runs of one pull request (`bbreport pr N`): its heads, the builds of its newest
//! head, and which target-branch builder each PR builder is compared with.
//!
//! CPython's PR builders build `refs/pull/N/merge` (the PR merged into its target branch), as
//! GitHub names it, when a triager adds the `test-with-buildbots` label or comments
//! `!buildbot REGEX`. Each push to the PR is a new head: a new merge commit, so a new change on
//! that git branch. Only the newest head's builds say something about the PR as it is; older
//! heads are counted. A PR builder is named after its platform with the branch word `PR`
//! (`AMD64 Fedora Stable PR`); the same platform's builder of the target branch carries the
//! target's branch word instead (`AMD64 Fedora Stable 3.x`).

use crate::api::types::{Build, BuilderId, Change};
use crate::model::commit::judged;

/// The git branch GitHub gives pull request `number`'s merge commit.
pub fn merge_ref(number: u32) -> String {
    format!("refs/pull/{number}/merge")
}

/// N of a pull request's ref (`refs/pull/N/merge`, or `/head`), as GitHub names them; `None`
/// for any other git branch.
pub fn number_of_ref(git_branch: &str) -> Option<u64> {
    let rest = git_branch.strip_prefix("refs/pull/")?;
    let (n, kind) = rest.split_once('/')?;
    matches!(kind, "merge" | "head").then(|| n.parse().ok())?
}

/// The name of the target branch's builder paired with a PR builder: the PR builder's name with
/// its last word (`pr_word`, e.g. `PR`) replaced by `target`, when a builder of that name is in
/// `names`.
pub fn paired_builder<'a>(
    pr_name: &str,
    pr_word: &str,
    target: &str,
    names: &[&'a str],
) -> Option<&'a str> {
    let stem = pr_name.strip_suffix(pr_word)?.strip_suffix(' ')?;
    let wanted = format!("{stem} {target}");
    names.iter().copied().find(|n| *n == wanted)
}

/// The git branch a pull request targets, as its head's change records it: Buildbot's GitHub
/// change hook sets the change property `basename` to the PR's base branch (`main`, `3.14`),
/// beside `github.base.ref`. `None` when the change source recorded neither (the base
/// `change_hook`, a poller).
pub fn base_branch(head: &Change) -> Option<&str> {
    ["basename", "github.base.ref"]
        .iter()
        .find_map(|p| head.property(p))
        .filter(|b| !b.is_empty())
}

/// A PR's heads, newest first, as their changes say (larger change id: pushed later).
#[derive(Debug, Clone)]
pub struct Heads<'a> {
    pub newest: &'a Change,
    /// Older heads, newest first (collapsed in the report: counted, not shown).
    pub older: Vec<&'a Change>,
}

/// Split a PR's changes into its newest head and the older ones; `None` when it has none.
/// Changes with the same revision (a head re-sent) are one head.
pub fn heads(changes: &[Change]) -> Option<Heads<'_>> {
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.changeid));
    let mut seen: Vec<Option<&str>> = Vec::new();
    sorted.retain(|c| {
        let rev = c.revision.as_deref();
        if rev.is_some() && seen.contains(&rev) {
            return false;
        }
        seen.push(rev);
        true
    });
    let mut it = sorted.into_iter();
    let newest = it.next()?;
    Some(Heads {
        newest,
        older: it.collect(),
    })
}

/// One build per builder among a head's builds: the one to judge (`super::commit::judged`:
/// a RETRY stands for its re-run, a re-run replaces the first, a cancelled build only counts
/// when the builder has no other).
pub fn newest_per_builder(builds: &[Build]) -> Vec<&Build> {
    let mut ids: Vec<BuilderId> = builds.iter().map(|b| b.builderid).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| judged(builds.iter().filter(|b| b.builderid == id), builds))
        .collect()
}

/// Builders that built an older head but not the newest one: their results are stale.
pub fn only_older(newest: &[&Build], older: &[Build]) -> Vec<BuilderId> {
    let mut ids: Vec<BuilderId> = older
        .iter()
        .map(|b| b.builderid)
        .filter(|id| !newest.iter().any(|b| b.builderid == *id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
#[path = "pull_request_tests.rs"]
mod tests;
