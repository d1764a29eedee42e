//! Commits and revisions: which commit a (short) revision names and which builds built it
//! (`release --at`, `watch --until-complete`), and a branch's newest commits (`console`). Live,
//! through the `changes` endpoints; from a snapshot, through the recorded builds' revisions.

use std::collections::HashMap;

use super::selection::release_selection;
use super::source::Live;
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
/// Changes per page read from a master before 3.9, which filters `changes` by branch or
/// revision only after reading the whole table ([`Live::scan_changes`]).
pub(crate) const CHANGES_PAGE: usize = 200;
/// Pages read at most from such a master: its newest 10,000 changes.
pub(crate) const MAX_CHANGES_PAGES: usize = 50;

/// A branch's newest commits, as [`branch_commits`] found them.
#[derive(Debug, Clone, Default)]
pub struct BranchCommits {
    /// The git branch its builders build, when the master knows one of their commits.
    pub git_branch: Option<String>,
    /// Its newest commits (at most the `limit` asked), newest first.
    pub commits: Vec<Change>,
    /// On a master before 3.9, read by pages of `changes`: how many changes were read when the
    /// page budget ([`MAX_CHANGES_PAGES`]) ran out before `limit` commits of the branch were
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

fn matches_prefix(ch: &Change, rev: &str) -> bool {
    ch.revision
        .as_deref()
        .is_some_and(|r| r.to_ascii_lowercase().starts_with(rev))
}

impl Source {
    /// Read the master's version now if a later read may depend on it: called beside a
    /// command's first requests, so that reading it adds no round (a snapshot has none).
    pub async fn prefetch_server_version(&self) {
        if let Source::Live(live) = self {
            live.server_version().await;
        }
    }
}

impl Live {
    /// Whether this master filters `changes` by branch or revision in Python, after reading
    /// the whole table (Buildbot before 3.9; see `crate::model::server_version`). An unknown
    /// version is asked as a current one.
    async fn filters_changes_in_python(&self) -> bool {
        self.server_version()
            .await
            .is_some_and(|v| !v.filters_changes_in_sql())
    }

    /// The master's changes, newest first, by pages of [`CHANGES_PAGE`] below the last
    /// `changeid` read (each page one SQL query even before 3.9), until `enough` says so of
    /// what was read, a page is short (the table is read), or [`MAX_CHANGES_PAGES`].
    pub(crate) async fn scan_changes(
        &self,
        enough: impl Fn(&[Change]) -> bool,
    ) -> Result<ChangesScan, ApiError> {
        let mut seen: Vec<Change> = Vec::new();
        let mut before = None;
        for _ in 0..MAX_CHANGES_PAGES {
            let mut page = self
                .get_json::<ChangesPage>(&endpoints::changes_page(before, CHANGES_PAGE))
                .await?
                .changes;
            page.sort_by_key(|ch| std::cmp::Reverse(ch.changeid));
            let short = page.len() < CHANGES_PAGE;
            before = page.last().map(|ch| ch.changeid);
            seen.extend(page);
            if short || before.is_none() {
                return Ok(ChangesScan {
                    changes: seen,
                    complete: true,
                });
            }
            if enough(&seen) {
                break;
            }
        }
        Ok(ChangesScan {
            changes: seen,
            complete: false,
        })
    }

    /// The changes whose revision starts with `rev` (lowercase) on a master before 3.9, and,
    /// when a short `rev` matched one revision but the page budget ran out before the table's
    /// end, how many changes were read (older ones could share the prefix).
    ///
    /// A full revision is found on the first page that holds it. A shorter one is read on
    /// until two distinct revisions match (ambiguous: no need to read more), the table ends,
    /// or [`MAX_CHANGES_PAGES`]: stopping at the first match would call a prefix unique that
    /// an older commit shares.
    async fn scan_for_revision(&self, rev: &str) -> Result<(Vec<Change>, Option<usize>), ApiError> {
        let full = rev.len() == 40;
        let scan = self
            .scan_changes(|seen| {
                let matched = distinct(
                    seen.iter()
                        .filter(|ch| matches_prefix(ch, rev))
                        .filter_map(|ch| ch.revision.clone()),
                );
                if full {
                    !matched.is_empty()
                } else {
                    matched.len() >= 2
                }
            })
            .await?;
        let read = scan.changes.len();
        let changes: Vec<Change> = scan
            .changes
            .into_iter()
            .filter(|ch| matches_prefix(ch, rev))
            .collect();
        let distinct_matches = distinct(changes.iter().filter_map(|ch| ch.revision.clone()));
        let unchecked = (!full && !scan.complete && distinct_matches.len() == 1).then_some(read);
        Ok((changes, unchecked))
    }

    /// [`branch_commits`] on a master before 3.9: the newest changes are read until the git
    /// branch of `revisions` is known and `limit` of its commits are found.
    async fn scanned_branch_commits(
        &self,
        revisions: &[String],
        limit: usize,
    ) -> Result<BranchCommits, ApiError> {
        if revisions.is_empty() {
            return Ok(BranchCommits::default());
        }
        let known = |seen: &[Change]| -> Vec<Change> {
            // In the order a current master answers (ascending), which ties follow.
            let mut k: Vec<Change> = seen
                .iter()
                .filter(|ch| ch.revision.as_ref().is_some_and(|r| revisions.contains(r)))
                .cloned()
                .collect();
            k.sort_by_key(|ch| ch.changeid);
            k
        };
        let scan = self
            .scan_changes(|seen| {
                let known = known(seen);
                match git_branch_of(&known) {
                    Some(g) => {
                        seen.iter()
                            .filter(|ch| ch.branch.as_deref() == Some(g.as_str()))
                            .count()
                            >= limit
                    }
                    None => false,
                }
            })
            .await?;
        let read = scan.changes.len();
        let git_branch = git_branch_of(&known(&scan.changes));
        let commits: Vec<Change> = match &git_branch {
            Some(g) => scan
                .changes
                .into_iter()
                .filter(|ch| ch.branch.as_deref() == Some(g.as_str()))
                .take(limit)
                .collect(),
            None => Vec::new(),
        };
        let cut_after =
            (git_branch.is_some() && commits.len() < limit && !scan.complete).then_some(read);
        Ok(BranchCommits {
            git_branch,
            commits,
            cut_after,
        })
    }
}

/// The changes [`Live::scan_changes`] read, newest first.
#[derive(Debug)]
pub(crate) struct ChangesScan {
    pub changes: Vec<Change>,
    /// The oldest change was read (a short page): nothing older is left.
    pub complete: bool,
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

fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
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
                short(&at.revision)
            ),
            Some(format!(
                "name the branch: bbreport release --at {} BRANCH",
                short(&at.revision)
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
    let rev = short(&at.revision);
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

fn short(rev: &str) -> &str {
    &rev[..rev.len().min(10)]
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
