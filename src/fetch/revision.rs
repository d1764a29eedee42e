//! Commits and revisions: which commit a (short) revision names and which builds built it
//! (`release --at`, `watch --until-complete`), and a branch's newest commits (`console`). Live,
//! through the `changes` endpoints; from a snapshot, through the recorded builds' revisions.

use crate::model::commit::short_revision;
use std::collections::HashMap;

use super::selection::release_selection;
use super::source::Source;
use crate::api::types::{Build, Builder, BuilderId, BuildsPage, Change, ChangesPage, Worker};
use crate::api::{ApiError, endpoints};
use crate::error::Error;
use crate::model::classify::TagRules;
use crate::model::console::git_branch_of;
use crate::model::release::{Role, role};
use crate::model::select::select;
use crate::model::stale::StaleRule;

/// Revisions looked up to tell a branch's git branch: the newest builds' are enough.
const REVISIONS_LOOKED_UP: usize = 20;
/// A branch's newest commits, as [`branch_commits`] found them.
#[derive(Debug, Clone, Default)]
pub struct BranchCommits {
    /// The git branch its builders build, when the master knows one of their commits.
    pub git_branch: Option<String>,
    /// Its newest commits (at most the `limit` asked), newest first.
    pub commits: Vec<Change>,
    /// On a master before 3.9, read by pages of `changes`: how many changes were read when the
    /// page budget ([`super::changes_scan::MAX_CHANGES_PAGES`]) ran out before `limit` commits of the branch were
    /// found (older ones were not read). `None` otherwise: the commits are all there are.
    pub cut_after: Option<usize>,
}

/// The git branch a branch's builders build, told by the commits of their newest builds, and
/// its newest `limit` commits (none when the master knows none of those commits).
pub async fn branch_commits(
    source: &Source,
    builds: &HashMap<BuilderId, Vec<Build>>,
    limit: usize,
) -> Result<BranchCommits, ApiError> {
    let mut built: Vec<_> = builds.values().flatten().collect();
    built.sort_by_key(|b| std::cmp::Reverse(b.buildid));
    let mut revisions: Vec<String> = Vec::new();
    for b in built {
        if let Some(r) = b.got_revision()
            && !revisions.iter().any(|x| x == r)
            && revisions.len() < REVISIONS_LOOKED_UP
        {
            revisions.push(r.to_string());
        }
    }
    if let Source::Live(live) = source
        && live.filters_changes_in_python().await
    {
        return live.scanned_branch_commits(&revisions, limit).await;
    }
    let known = source.changes_with_revisions(&revisions).await?;
    let git_branch = git_branch_of(&known);
    let commits = match &git_branch {
        Some(g) => source.branch_changes(g, limit).await?,
        None => Vec::new(),
    };
    Ok(BranchCommits {
        git_branch,
        commits,
        cut_after: None,
    })
}

impl Source {
    /// The commits with these exact revisions (one `revision__eq` IN-list query; indexed).
    async fn changes_with_revisions(&self, revisions: &[String]) -> Result<Vec<Change>, ApiError> {
        if revisions.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Source::Live(live) => Ok(live
                .get_json::<ChangesPage>(&endpoints::changes_with_revisions(revisions))
                .await?
                .changes),
            Source::Snapshot(s) => Ok(s
                .changes()
                .filter(|ch| ch.revision.as_ref().is_some_and(|r| revisions.contains(r)))
                .cloned()
                .collect()),
        }
    }

    /// The newest `limit` commits of a git branch, newest first. (Buildbot returns a limited
    /// `changes` page in ascending order; it is sorted here.)
    async fn branch_changes(
        &self,
        git_branch: &str,
        limit: usize,
    ) -> Result<Vec<Change>, ApiError> {
        let mut changes = match self {
            Source::Live(live) => {
                live.get_json::<ChangesPage>(&endpoints::branch_changes(git_branch, limit))
                    .await?
                    .changes
            }
            Source::Snapshot(s) => s
                .changes()
                .filter(|ch| ch.branch.as_deref() == Some(git_branch))
                .cloned()
                .collect(),
        };
        changes.sort_by_key(|ch| std::cmp::Reverse(ch.changeid));
        changes.truncate(limit);
        Ok(changes)
    }

    /// The builds of one commit, and the commits a (possibly short) revision matched.
    ///
    /// Live: `changes?revision=` (indexed; `revision__contains` for a short prefix, checked
    /// client-side), then `changes/{id}/builds` per matching change (one server-side join).
    /// Snapshot: the recorded builds whose `got_revision` starts with the prefix, and the
    /// recorded commits whose revision does.
    async fn builds_at_revision(&self, revision: &str) -> Result<RevisionBuilds, ApiError> {
        let rev = revision.to_ascii_lowercase();
        match self {
            Source::Live(live) => {
                let (changes, unchecked_beyond) = if live.filters_changes_in_python().await {
                    live.scan_for_revision(&rev).await?
                } else {
                    let path = endpoints::changes_at_revision(&rev);
                    (live.get_json::<ChangesPage>(&path).await?.changes, None)
                };
                let changes: Vec<Change> = changes
                    .into_iter()
                    .filter(|ch| {
                        ch.revision
                            .as_deref()
                            .is_some_and(|r| r.to_ascii_lowercase().starts_with(&rev))
                    })
                    .collect();
                let mut builds = Vec::new();
                for ch in &changes {
                    let path = endpoints::change_builds(ch.changeid);
                    builds.extend(live.get_json::<BuildsPage>(&path).await?.builds);
                }
                let revisions = distinct(changes.iter().filter_map(|ch| ch.revision.clone()));
                Ok(RevisionBuilds {
                    revisions,
                    changes,
                    builds,
                    unchecked_beyond,
                })
            }
            Source::Snapshot(s) => {
                let builds: Vec<Build> = s
                    .all_builds()
                    .filter(|b| {
                        b.got_revision()
                            .is_some_and(|r| r.to_ascii_lowercase().starts_with(&rev))
                    })
                    .cloned()
                    .collect();
                // The recorded commits (changes.json) that match, for their titles, authors
                // and branch, as the master's `changes?revision=` would give them.
                let changes: Vec<Change> = s
                    .changes()
                    .filter(|ch| matches_prefix(ch, &rev))
                    .cloned()
                    .collect();
                let revisions = distinct(
                    changes.iter().filter_map(|ch| ch.revision.clone()).chain(
                        builds
                            .iter()
                            .filter_map(|b| b.got_revision().map(str::to_string)),
                    ),
                );
                Ok(RevisionBuilds {
                    revisions,
                    changes,
                    builds,
                    unchecked_beyond: None,
                })
            }
        }
    }
}

pub(super) fn matches_prefix(ch: &Change, rev: &str) -> bool {
    ch.revision
        .as_deref()
        .is_some_and(|r| r.to_ascii_lowercase().starts_with(rev))
}

/// What `builds_at_revision` found.
#[derive(Debug, Clone, Default)]
pub struct RevisionBuilds {
    /// Distinct full revisions the prefix matched (more than one: ambiguous).
    pub revisions: Vec<String>,
    /// The changes (commits) found, when the source has them.
    pub changes: Vec<Change>,
    pub builds: Vec<Build>,
    /// A short revision matched one commit on a master before 3.9 whose changes were read
    /// only this far (the page budget ran out): how many were read.
    pub unchecked_beyond: Option<usize>,
}

pub(super) fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = items.collect();
    v.sort();
    v.dedup();
    v
}

/// The commit `--at` names, and its builds.
#[derive(Debug)]
pub struct ResolvedRevision {
    pub revision: String,
    pub change: Option<Change>,
    pub builds: Vec<Build>,
    /// The prefix was found unique among this many changes only: a master before 3.9 read by
    /// pages, its page budget spent before its oldest change ([`RevisionBuilds`]).
    pub unique_among: Option<usize>,
}

/// Resolve `--at`: a full or abbreviated revision (4 to 40 hex digits) to the one commit it
/// names and its builds; none or several is a usage error.
pub async fn resolve(source: &Source, rev: &str) -> Result<ResolvedRevision, Error> {
    let rev = rev.trim();
    if !(4..=40).contains(&rev.len()) || !rev.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::usage(
            format!("invalid --at '{rev}': expected a git revision of 4 to 40 hex digits"),
            Some("e.g. --at 3f2a1c9".to_string()),
        ));
    }
    find(source, rev)
        .await?
        .ok_or_else(|| unknown_revision(rev))
}

/// The usage error for a revision the server knows no commit of.
pub fn unknown_revision(rev: &str) -> Error {
    Error::usage(
        format!("no commit matching '{rev}' is known to the server"),
        Some("check the hash; the master only knows commits it was sent (and a snapshot only built ones)".into()),
    )
}

/// [`resolve`] for a revision that may not have reached the server yet (`commit --watch`
/// right after a push): `None` when it knows no commit matching it; an ambiguous prefix is
/// still a usage error. The caller checks the revision's shape.
pub async fn find(source: &Source, rev: &str) -> Result<Option<ResolvedRevision>, Error> {
    let rev = rev.trim();
    let found = source.builds_at_revision(rev).await?;
    match found.revisions.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(ResolvedRevision {
            revision: one.clone(),
            change: found
                .changes
                .into_iter()
                .find(|c| c.revision.as_deref() == Some(one)),
            builds: found.builds,
            unique_among: found.unchecked_beyond,
        })),
        many => Err(Error::usage(
            format!(
                "revision '{rev}' is ambiguous: it matches {}",
                many.join(", ")
            ),
            Some("give more hex digits".into()),
        )),
    }
}

/// How far the release-blocking builders are with a revision (`watch --until-complete`):
/// `(finished, total)` over the blocking builders of `branches` (or of the branches that build
/// it), and the full revision. One or two requests (`changes?revision=`, its builds) plus the
/// builders and workers lists.
pub async fn blocking_progress(
    source: &Source,
    rules: &TagRules,
    branches: &[String],
    rev: &str,
    stale_rule: StaleRule,
    as_of: i64,
) -> Result<(usize, usize, String), Error> {
    let (builders, workers) = source.fleet().await?;
    let at = resolve(source, rev).await?;
    let asked = !branches.is_empty();
    let branches = if asked {
        branches.to_vec()
    } else {
        branches_of_revision(&builders, &workers, rules, &at)?
    };
    let selection = release_selection(&builders, &workers, rules, &branches)?;
    if asked {
        check_branches(&builders, &workers, rules, &at, &selection.branches)?;
    }
    let blocking: Vec<BuilderId> = selection
        .builders
        .iter()
        .filter(|b| role(&b.class) == Role::Blocking)
        .map(|b| b.builderid)
        .collect();
    // A stale build of the revision (its master gone, or overdue) will never finish: waiting
    // for it would wait for ever, so its builder is done (and `release --at` says it has not
    // built the revision).
    let mut by_builder: HashMap<BuilderId, Vec<Build>> = HashMap::new();
    for b in &at.builds {
        by_builder.entry(b.builderid).or_default().push(b.clone());
    }
    let stale = source.stale_builds(&by_builder, stale_rule, as_of).await?;
    let finished = blocking
        .iter()
        .filter(|id| {
            at.builds
                .iter()
                .any(|b| b.builderid == **id && (b.complete || stale.get(b.buildid).is_some()))
        })
        .count();
    Ok((finished, blocking.len(), at.revision))
}

/// Without BRANCH, `--at` judges the branches whose builders built the commit; when none has
/// yet, the commit's own branch if it names one bbreport knows.
pub fn branches_of_revision(
    builders: &[Builder],
    workers: &[Worker],
    rules: &TagRules,
    at: &ResolvedRevision,
) -> Result<Vec<String>, Error> {
    let branches = own_branches(builders, workers, rules, at)?;
    if branches.is_empty() {
        return Err(Error::usage(
            format!(
                "no builder has built {} yet, and its branch is not known",
                short_revision(&at.revision)
            ),
            Some(format!(
                "name the branch: bbreport release --at {} BRANCH",
                short_revision(&at.revision)
            )),
        ));
    }
    Ok(branches)
}

/// With BRANCH, `--at` judges a commit of those branches: one of another branch would leave
/// every blocking builder "not built yet" for ever. A usage error naming the commit's branch,
/// when it is known (see [`own_branches`]); when it is not, the branches are judged as asked.
pub fn check_branches(
    builders: &[Builder],
    workers: &[Worker],
    rules: &TagRules,
    at: &ResolvedRevision,
    branches: &[String],
) -> Result<(), Error> {
    let own = own_branches(builders, workers, rules, at)?;
    let others: Vec<&str> = branches
        .iter()
        .filter(|b| !own.iter().any(|o| o.eq_ignore_ascii_case(b)))
        .map(String::as_str)
        .collect();
    if own.is_empty() || others.is_empty() {
        return Ok(());
    }
    let rev = short_revision(&at.revision);
    let plural = if own.len() == 1 { "" } else { "es" };
    Err(Error::usage(
        format!(
            "commit {rev} is on branch{plural} {}, not {}: builders of {} will never build it",
            own.join(", "),
            others.join(", "),
            others.join(", ")
        ),
        Some(format!(
            "judge it on its branch: bbreport release {} --at {rev}",
            own.join(" ")
        )),
    ))
}

/// The branches a commit is on: those of the builders that built it; when none has yet, the
/// commit's own branch (from the master's change) if bbreport knows a branch of that name.
fn own_branches(
    builders: &[Builder],
    workers: &[Worker],
    rules: &TagRules,
    at: &ResolvedRevision,
) -> Result<Vec<String>, Error> {
    let all = select(builders, workers, rules, &[], None)
        .map_err(|e| Error::usage(e.to_string(), None))?;
    let mut branches: Vec<String> = all
        .builders
        .iter()
        .filter(|b| at.builds.iter().any(|x| x.builderid == b.builderid))
        .map(|b| b.class.branch.clone())
        .collect();
    branches.sort();
    branches.dedup();
    if branches.is_empty()
        && let Some(own) = at.change.as_ref().and_then(|c| c.branch.as_deref())
        && let Some(known) = all.branches.iter().find(|b| b.eq_ignore_ascii_case(own))
    {
        branches.push(known.clone());
    }
    Ok(branches)
}

/// The newest `limit` commits of a git branch (`main`, `refs/pull/N/merge`), newest first:
/// one `changes?branch=` request; from a snapshot, its recorded changes of that branch.
pub async fn commits_of_branch(
    source: &Source,
    git_branch: &str,
    limit: usize,
) -> Result<Vec<Change>, ApiError> {
    source.branch_changes(git_branch, limit).await
}

/// [`commits_of_branch`] with each change's properties (`pr`: a pull request's base branch).
pub async fn pull_request_changes(
    source: &Source,
    git_branch: &str,
    limit: usize,
) -> Result<Vec<Change>, ApiError> {
    match source {
        Source::Live(live) => {
            let path = endpoints::branch_changes_with_properties(git_branch, limit);
            let mut changes = live.get_json::<ChangesPage>(&path).await?.changes;
            changes.sort_by_key(|ch| std::cmp::Reverse(ch.changeid));
            changes.truncate(limit);
            Ok(changes)
        }
        Source::Snapshot(_) => source.branch_changes(git_branch, limit).await,
    }
}

/// The builds of one commit (a change): `changes/{id}/builds` (one server-side join); from a
/// snapshot, the recorded builds that checked out its revision.
pub async fn builds_of_change(source: &Source, change: &Change) -> Result<Vec<Build>, ApiError> {
    match source {
        Source::Live(live) => Ok(live
            .get_json::<BuildsPage>(&endpoints::change_builds(change.changeid))
            .await?
            .builds),
        Source::Snapshot(s) => Ok(s
            .all_builds()
            .filter(|b| {
                b.got_revision().is_some() && b.got_revision() == change.revision.as_deref()
            })
            .cloned()
            .collect()),
    }
}
