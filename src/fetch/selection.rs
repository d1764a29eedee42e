//! Which builders a report covers: the `-n` matcher, a builder by name, one branch's builders,
//! the release's branches; and the summary's read of the fleet (builders and workers, the
//! selection, their newest builds, summarised), which every poll of `watch` repeats.

use globset::GlobMatcher;

use super::recent::{Newest, RecentBuilds, newest_builds};
use super::source::Source;
use crate::api::types::{Builder, BuilderId, Worker};
use crate::error::Error;
use crate::model::classify::{NO_BRANCH, TagRules};
use crate::model::select::{Selection, select};
use crate::model::stale::StaleCheck;
use crate::model::summary::{StatusWindow, Summary, summarize};

/// The `-n/--name` matcher: a glob over the whole builder name, case-insensitive.
pub fn name_glob(glob: Option<&str>) -> Result<Option<GlobMatcher>, Error> {
    let Some(g) = glob else { return Ok(None) };
    let glob = globset::GlobBuilder::new(g)
        .case_insensitive(true)
        .build()
        .map_err(|e| Error::usage(format!("invalid --name glob '{g}': {}", e.kind()), None))?;
    Ok(Some(glob.compile_matcher()))
}

/// By id, else by exact name ignoring case; an unknown name lists the names that contain it.
pub fn find_builder<'a>(builders: &'a [Builder], wanted: &str) -> Result<&'a Builder, Error> {
    if let Ok(id) = wanted.parse::<u32>()
        && let Some(b) = builders.iter().find(|b| b.builderid == id)
    {
        return Ok(b);
    }
    if let Some(b) = builders
        .iter()
        .find(|b| b.name.eq_ignore_ascii_case(wanted))
    {
        return Ok(b);
    }
    let needle = wanted.to_lowercase();
    let close: Vec<&str> = builders
        .iter()
        .filter(|b| b.name.to_lowercase().contains(&needle))
        .map(|b| b.name.as_str())
        .take(5)
        .collect();
    let hint = if close.is_empty() {
        "give the full builder name as `bbreport -q` prints it, or its id".to_string()
    } else {
        format!("did you mean: {}", close.join(", "))
    };
    Err(Error::usage(
        format!("no builder named '{wanted}'"),
        Some(hint),
    ))
}

/// The builders of one branch, for the commands that show a single branch (console, failures):
/// the BRANCH argument, else the first of the configured branches, else the newest branch.
pub fn one_branch(
    builders: &[Builder],
    workers: &[Worker],
    rules: &TagRules,
    configured: Option<&[String]>,
    branch: Option<&String>,
    glob: Option<&GlobMatcher>,
) -> Result<(String, Selection), Error> {
    let asked: Vec<String> = match (branch, configured) {
        (Some(b), _) => vec![b.clone()],
        (None, Some(list)) => list.iter().take(1).cloned().collect(),
        (None, None) => Vec::new(),
    };
    let mut selection = select(builders, workers, rules, &asked, glob)?;
    let branch = selection.branches.first().cloned().unwrap_or_default();
    selection.builders.retain(|b| b.class.branch == branch);
    selection.branches = vec![branch.clone()];
    Ok((branch, selection))
}

/// The asked branches, or every branch with active builders except PR (not a release branch).
pub fn release_selection(
    builders: &[Builder],
    workers: &[Worker],
    rules: &TagRules,
    asked: &[String],
) -> Result<Selection, Error> {
    if asked.iter().any(|b| b.eq_ignore_ascii_case(NO_BRANCH)) {
        return Err(Error::usage(
            "builders with no branch tag have no release verdict",
            Some("name a branch (e.g. 3.14); `bbreport no-branch` shows those builders".into()),
        ));
    }
    let mut selection = select(builders, workers, rules, asked, None)?;
    if asked.is_empty() {
        let pr = rules.pull_request_branch();
        selection.builders.retain(|b| b.class.branch != pr);
        selection.branches.retain(|b| b != pr);
    }
    Ok(selection)
}

/// A summary as fetched: the view model, the builds it was made from, the builders asked.
#[derive(Debug)]
pub struct FetchedSummary {
    pub summary: Summary,
    pub recent: RecentBuilds,
    pub ids: Vec<BuilderId>,
    /// Active builders with no branch tag, not shown because `no-branch` was not asked for.
    pub untagged_left_out: usize,
}

/// Fetch the selected builders' newest builds and summarise them (the summary, and every poll
/// of `watch`, which passes a fresh round of the source). Running builds are judged stale by
/// `stale`'s rule, as of its time (when the data was read).
pub async fn fetch_summary(
    source: &Source,
    rules: &TagRules,
    branches: &[String],
    glob: Option<&GlobMatcher>,
    want: Newest,
    window: StatusWindow,
    stale: StaleCheck,
) -> Result<FetchedSummary, Error> {
    let (builders, workers) = source.fleet().await?;
    let selection = select(&builders, &workers, rules, branches, glob)?;
    let ids: Vec<_> = selection.builders.iter().map(|b| b.builderid).collect();
    let recent = newest_builds(source, &ids, want.judging_stale()).await?;
    let stale = source
        .stale_builds(&recent.by_builder, stale.rule, stale.as_of)
        .await?;
    let summary = summarize(
        &selection,
        &recent.by_builder,
        &recent.failed,
        &stale,
        window,
    );
    Ok(FetchedSummary {
        summary,
        recent,
        ids,
        untagged_left_out: selection.untagged_left_out,
    })
}
