//! What `bbreport test NAME` adds to one test's health ([`super::test_health`]): the failure
//! messages its logs show, deduplicated; the commands that reproduce its latest failure; and a
//! hint for a name no build failed (a typo, or a `module.Class.method` name).

use super::edit_distance::edit_distance;
use super::regrtest::LogSummary;
use super::repro::{ReproPlan, plan};

/// Messages kept per test in `test NAME` (deduplicated).
pub const MAX_MESSAGES: usize = 20;

/// The failure messages a log shows for `test`: unittest's `FAIL:`/`ERROR:` banners naming the
/// test's module (`test.test_x…`, `test_x.…`) and the exception lines after each, in log order.
pub fn messages_for(s: &LogSummary, test: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in &s.excerpts {
        let banner = line.starts_with("FAIL: ") || line.starts_with("ERROR: ");
        if banner {
            inside = names_module(line, test);
        }
        if inside {
            out.push(line.clone());
        }
    }
    out
}

/// Whether a banner names `test`'s module: `(test.test_x.Class.method)`, `(test_x.Class…)`,
/// never `test_xy`.
fn names_module(banner: &str, test: &str) -> bool {
    banner.match_indices(test).any(|(i, _)| {
        let before = banner[..i].chars().next_back();
        let after = banner[i + test.len()..].chars().next();
        matches!(before, Some('(' | '.' | ' ')) && matches!(after, None | Some('.' | ')' | ' '))
    })
}

/// Deduplicated messages over builds, most frequent first (ties: first seen first), at most
/// [`MAX_MESSAGES`]: `(message, builds that showed it)`.
pub fn dedup_messages(per_build: impl IntoIterator<Item = Vec<String>>) -> Vec<(String, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for msgs in per_build {
        let mut once: Vec<String> = msgs;
        once.dedup();
        for m in once {
            match seen.iter_mut().find(|(x, _)| *x == m) {
                Some((_, n)) => *n += 1,
                None => seen.push((m, 1)),
            }
        }
    }
    seen.sort_by_key(|m| std::cmp::Reverse(m.1));
    seen.truncate(MAX_MESSAGES);
    seen
}

/// How to reproduce `test`'s failure in a log: the repro plan aimed at that test (the run's
/// command and seed, the test alone, the order before it).
pub fn repro_for(s: &LogSummary, test: &str) -> Option<ReproPlan> {
    let mut aimed = s.clone();
    aimed.failed.retain(|t| t == test);
    aimed.timeouts.retain(|t| t == test);
    aimed.crashes.retain(|(t, _)| t == test);
    aimed.leaks.retain(|l| l.test == test);
    if aimed.failed.is_empty() && aimed.timeouts.is_empty() && aimed.crashes.is_empty() {
        // Passed on re-run: the first run still failed it.
        if s.passed_on_rerun.iter().any(|t| t == test) {
            aimed.failed.push(test.to_string());
        } else {
            return None;
        }
    }
    plan(&aimed)
}

/// What `test NAME` suggests when no build of the window failed NAME, from the tests that did
/// fail (`failing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameHint {
    /// NAME is dotted below a test module (`test_x.Class.test_method`): `test` takes a
    /// regrtest test name; `module` is the longest dotted prefix of NAME that failed, else
    /// the part before its first class (a component starting with a capital letter).
    Module { module: String },
    /// Failing tests close to NAME (a typo, or one is a prefix of the other), closest first,
    /// at most 3.
    Close(Vec<String>),
}

/// The hint for a NAME no build failed; `None` when nothing is close. Close: one is a prefix
/// of the other, or at most `max(2, len/4)` edits apart (Levenshtein).
pub fn name_hint(name: &str, failing: &[String]) -> Option<NameHint> {
    let parts: Vec<&str> = name.split('.').collect();
    let prefixes = (1..parts.len()).rev().map(|k| parts[..k].join("."));
    if let Some(module) = prefixes.clone().find(|p| failing.contains(p)) {
        return Some(NameHint::Module { module });
    }
    if let Some(class) = parts
        .iter()
        .skip(1)
        .position(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
    {
        return Some(NameHint::Module {
            module: parts[..=class].join("."),
        });
    }
    let limit = (name.chars().count() / 4).max(2);
    let mut close: Vec<(usize, &String)> = failing
        .iter()
        .filter(|t| *t != name)
        .filter_map(|t| {
            if t.starts_with(name) || name.starts_with(t.as_str()) {
                return Some((0, t));
            }
            let d = edit_distance(name, t);
            (d <= limit).then_some((d, t))
        })
        .collect();
    close.sort();
    close.dedup();
    let close: Vec<String> = close.into_iter().take(3).map(|(_, t)| t.clone()).collect();
    (!close.is_empty()).then_some(NameHint::Close(close))
}

#[cfg(test)]
#[path = "test_health_name_tests.rs"]
mod name_tests;
