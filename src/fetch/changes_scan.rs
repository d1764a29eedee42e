//! `changes` read by pages on a master before Buildbot 3.9, which filters `changes` by branch or
//! revision in Python after reading the whole table and answers a limited query with the
//! branch's *oldest* commits (see `crate::model::server_version`): the newest changes are read
//! page by page below the last `changeid` (one SQL query each) and filtered here. Used by
//! [`super::revision`] when the master's version says so.

use super::revision::{BranchCommits, distinct, matches_prefix};
use super::source::{Live, Source};
use crate::api::types::{Change, ChangesPage};
use crate::api::{ApiError, endpoints};
use crate::model::console::git_branch_of;

/// Changes per page read from a master before 3.9, which filters `changes` by branch or
/// revision only after reading the whole table ([`Live::scan_changes`]).
pub(crate) const CHANGES_PAGE: usize = 200;
/// Pages read at most from such a master: its newest 10,000 changes.
pub(crate) const MAX_CHANGES_PAGES: usize = 50;

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
    pub(super) async fn filters_changes_in_python(&self) -> bool {
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
    pub(super) async fn scan_for_revision(
        &self,
        rev: &str,
    ) -> Result<(Vec<Change>, Option<usize>), ApiError> {
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

    /// [`super::revision::branch_commits`] on a master before 3.9: the newest changes are read until the git
    /// branch of `revisions` is known and `limit` of its commits are found.
    pub(super) async fn scanned_branch_commits(
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
