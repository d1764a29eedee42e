//! The failing-test matrix of a branch: for each test, where it fails, since when, how, and a
//! classification across builders.

use std::collections::BTreeMap;

use serde::Serialize;

use super::known_issues::KnownIssues;
use super::regrtest::LogSummary;
use super::select::SelectedBuilder;
use crate::api::types::BuilderId;

/// What one build's log said about a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    /// Still failing after re-runs.
    Failed,
    /// Failed, then passed when re-run.
    PassedOnRerun,
    TimedOut,
    Crashed,
}

/// One parsed build of one builder.
#[derive(Debug, Clone)]
pub struct ParsedBuild {
    pub builderid: BuilderId,
    pub number: u32,
    pub summary: LogSummary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub builderid: BuilderId,
    pub builder: String,
    /// Newest first: (build number, symptom).
    pub builds: Vec<(u32, Symptom)>,
    /// Oldest build of the window in which it failed (not just flaked).
    pub since: Option<u32>,
    /// Every build read for this builder failed this test.
    pub persistent: bool,
    /// The known issue it matches (see [`super::known_issues`]); `None`: new.
    pub known: Option<String>,
}

/// A failed build whose failure is not in a test step (compile, configure, an exception).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideTests {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Fails on builders of several kinds: most likely a change broke it.
    LikelyRegression,
    /// Fails only on builders sharing a tag or a worker (see `shared`).
    PlatformOrWorker,
    /// One builder, intermittently or passing on re-run.
    Flaky,
    /// One builder, every time: a persistent failure there.
    PersistentOnOneBuilder,
    /// Not enough builds to say.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestRow {
    pub test: String,
    pub classification: Classification,
    /// For `PlatformOrWorker`: what the failing builders share (`tag refleak`, `worker x`).
    pub shared: Option<String>,
    pub occurrences: Vec<Occurrence>,
}

/// Builders of the branch and the builds parsed for each (newest first, all builds read for
/// that builder, failed or not, so "every build" can be told from "some").
pub fn matrix(
    builders: &[SelectedBuilder],
    workers: &BTreeMap<BuilderId, Vec<String>>,
    parsed: &[ParsedBuild],
    read_per_builder: &BTreeMap<BuilderId, Vec<u32>>,
    known: &KnownIssues,
) -> Vec<TestRow> {
    let mut by_test: BTreeMap<String, Vec<Occurrence>> = BTreeMap::new();
    for b in builders {
        let mut tests: BTreeMap<String, Vec<(u32, Symptom)>> = BTreeMap::new();
        for p in parsed.iter().filter(|p| p.builderid == b.builderid) {
            for (test, symptom) in symptoms(&p.summary) {
                tests.entry(test).or_default().push((p.number, symptom));
            }
        }
        let read = read_per_builder.get(&b.builderid).map_or(0, Vec::len);
        for (test, mut builds) in tests {
            builds.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
            let hard: Vec<u32> = builds
                .iter()
                .filter(|(_, s)| *s != Symptom::PassedOnRerun)
                .map(|(n, _)| *n)
                .collect();
            let persistent = read > 0 && hard.len() == read;
            // Judged on the newest symptom: a rule for "timed out" should not claim a test
            // that now fails outright.
            let issue = builds
                .first()
                .and_then(|(_, s)| known.issue_for(&test, *s, &b.name))
                .map(str::to_string);
            by_test.entry(test).or_default().push(Occurrence {
                builderid: b.builderid,
                builder: b.name.clone(),
                since: hard.iter().min().copied(),
                persistent,
                known: issue,
                builds,
            });
        }
    }
    let mut rows: Vec<TestRow> = by_test
        .into_iter()
        .map(|(test, occurrences)| {
            let (classification, shared) = classify(&occurrences, builders, workers);
            TestRow {
                test,
                classification,
                shared,
                occurrences,
            }
        })
        .collect();
    // Most widespread first, then by name.
    rows.sort_by(|a, b| {
        b.occurrences
            .len()
            .cmp(&a.occurrences.len())
            .then_with(|| a.test.cmp(&b.test))
    });
    rows
}

/// Test → symptom from one build's log. A test listed as timed out or crashed keeps that
/// symptom rather than plain "failed".
fn symptoms(s: &LogSummary) -> Vec<(String, Symptom)> {
    let mut out: Vec<(String, Symptom)> = Vec::new();
    let mut add = |t: &String, sym| {
        if !out.iter().any(|(x, _)| x == t) {
            out.push((t.clone(), sym));
        }
    };
    for t in &s.timeouts {
        add(t, Symptom::TimedOut);
    }
    for (t, _) in &s.crashes {
        add(t, Symptom::Crashed);
    }
    for t in &s.failed {
        add(t, Symptom::Failed);
    }
    for t in &s.passed_on_rerun {
        add(t, Symptom::PassedOnRerun);
    }
    out
}

/// Tags that say nothing about a platform (branch, stability, tier).
fn meaningful_tag(tag: &str) -> bool {
    !(tag.starts_with("tier")
        || tag == "stable"
        || tag == "unstable"
        || tag.starts_with("3.")
        || tag == "PullRequest")
}

fn classify(
    occ: &[Occurrence],
    builders: &[SelectedBuilder],
    workers: &BTreeMap<BuilderId, Vec<String>>,
) -> (Classification, Option<String>) {
    let hard: Vec<&Occurrence> = occ.iter().filter(|o| o.since.is_some()).collect();
    if hard.is_empty() {
        // Only ever passed on re-run: flaky wherever it shows.
        return (Classification::Flaky, None);
    }
    if hard.len() == 1 {
        let o = hard[0];
        let read = o.builds.len();
        return match (o.persistent, read) {
            (true, n) if n >= 2 => (Classification::PersistentOnOneBuilder, None),
            (false, _) => (Classification::Flaky, None),
            _ => (Classification::Unknown, None),
        };
    }
    // Several builders: do they share something the others do not?
    let of = |id: BuilderId| builders.iter().find(|b| b.builderid == id);
    let failing: Vec<&SelectedBuilder> = hard.iter().filter_map(|o| of(o.builderid)).collect();
    let common_worker = failing
        .first()
        .and_then(|f| workers.get(&f.builderid))
        .and_then(|ws| {
            ws.iter().find(|w| {
                failing
                    .iter()
                    .all(|b| workers.get(&b.builderid).is_some_and(|x| x.contains(w)))
            })
        });
    if let Some(w) = common_worker {
        return (
            Classification::PlatformOrWorker,
            Some(format!("worker {w}")),
        );
    }
    let common_tag = failing.first().and_then(|f| {
        f.tags
            .iter()
            .filter(|t| meaningful_tag(t))
            .find(|t| failing.iter().all(|b| b.tags.contains(t)))
            .cloned()
    });
    if let Some(tag) = common_tag {
        // A tag every builder of the branch has is not what sets these apart.
        let everywhere = builders.iter().all(|b| b.tags.contains(&tag));
        if !everywhere {
            return (Classification::PlatformOrWorker, Some(format!("tag {tag}")));
        }
    }
    (Classification::LikelyRegression, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::classify::TagRules;

    fn builder(id: u32, tags: &[&str]) -> SelectedBuilder {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        SelectedBuilder {
            builderid: id,
            name: format!("B{id} 3.x"),
            class: TagRules::default().classify("B 3.x", &tags),
            tags,
            connected: true,
        }
    }

    fn parsed(builderid: u32, number: u32, failed: &[&str], flaky: &[&str]) -> ParsedBuild {
        ParsedBuild {
            builderid,
            number,
            summary: LogSummary {
                failed: failed.iter().map(|s| s.to_string()).collect(),
                passed_on_rerun: flaky.iter().map(|s| s.to_string()).collect(),
                ..LogSummary::default()
            },
        }
    }

    fn read(entries: &[(u32, &[u32])]) -> BTreeMap<BuilderId, Vec<u32>> {
        entries.iter().map(|(id, n)| (*id, n.to_vec())).collect()
    }

    fn workers(entries: &[(u32, &str)]) -> BTreeMap<BuilderId, Vec<String>> {
        entries
            .iter()
            .map(|(id, w)| (*id, vec![w.to_string()]))
            .collect()
    }

    #[test]
    fn many_different_builders_is_a_likely_regression() {
        let bs = [
            builder(1, &["3.x", "stable"]),
            builder(2, &["3.x", "stable", "clang"]),
            builder(3, &["3.x", "refleak"]),
        ];
        let p = [
            parsed(1, 5, &["test_os"], &[]),
            parsed(2, 7, &["test_os"], &[]),
            parsed(3, 2, &["test_os"], &[]),
        ];
        let rows = matrix(
            &bs,
            &workers(&[(1, "a"), (2, "b"), (3, "c")]),
            &p,
            &read(&[(1, &[5]), (2, &[7]), (3, &[2])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].test, "test_os");
        assert_eq!(rows[0].classification, Classification::LikelyRegression);
    }

    #[test]
    fn builders_sharing_a_tag_or_worker_point_at_the_platform() {
        let bs = [
            builder(1, &["3.x", "refleak"]),
            builder(2, &["3.x", "refleak", "clang"]),
            builder(3, &["3.x"]),
        ];
        let p = [
            parsed(1, 5, &["test_ssl"], &[]),
            parsed(2, 7, &["test_ssl"], &[]),
        ];
        let rows = matrix(
            &bs,
            &workers(&[(1, "a"), (2, "b"), (3, "c")]),
            &p,
            &read(&[(1, &[5]), (2, &[7]), (3, &[])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            (rows[0].classification, rows[0].shared.as_deref()),
            (Classification::PlatformOrWorker, Some("tag refleak"))
        );
        let rows = matrix(
            &bs,
            &workers(&[(1, "w"), (2, "w"), (3, "c")]),
            &p,
            &read(&[(1, &[5]), (2, &[7])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].shared.as_deref(), Some("worker w"));
    }

    #[test]
    fn one_builder_every_time_is_persistent_sometimes_is_flaky() {
        let bs = [builder(1, &["3.x"])];
        let every = [
            parsed(1, 2, &["test_x"], &[]),
            parsed(1, 1, &["test_x"], &[]),
        ];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &every,
            &read(&[(1, &[2, 1])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            rows[0].classification,
            Classification::PersistentOnOneBuilder
        );
        assert_eq!(rows[0].occurrences[0].since, Some(1));
        let sometimes = [parsed(1, 2, &["test_x"], &[])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &sometimes,
            &read(&[(1, &[2, 1])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].classification, Classification::Flaky);
        let rerun = [parsed(1, 2, &[], &["test_y"])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &rerun,
            &read(&[(1, &[2])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            (rows[0].test.as_str(), rows[0].classification),
            ("test_y", Classification::Flaky)
        );
    }

    #[test]
    fn a_single_failed_build_is_unknown() {
        let bs = [builder(1, &["3.x"])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &[parsed(1, 1, &["test_x"], &[])],
            &read(&[(1, &[1])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].classification, Classification::Unknown);
    }
}
