//! The failing-test matrix in text and markdown (its JSON is the report struct).

use std::io::{self, Write};

use super::markdown::{escape, table_code};
use super::text::{display_width, pad, sanitize};
use super::{Report, Settings};
use crate::model::failures::Unlocated;
use crate::model::failures::{Classification, NoTestWhy, Symptom};
use crate::report::failures::{
    FailingTest, FailuresReport, LogNoteEntry, NoFailingTestEntry, TestOccurrence,
    TestStepExceptionEntry,
};

impl Report for FailuresReport {
    const TITLE: &'static str = "bbreport failures";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

fn label(c: Classification) -> &'static str {
    match c {
        Classification::LikelyRegression => "likely regression",
        Classification::PlatformOrWorker => "platform or worker",
        Classification::Flaky => "flaky",
        Classification::PersistentOnOneBuilder => "persistent on one builder",
        Classification::Unknown => "unknown (too few builds)",
    }
}

fn mark(s: Symptom) -> &'static str {
    match s {
        Symptom::Failed => "",
        Symptom::PassedOnRerun => " passed on re-run",
        Symptom::TimedOut => " timed out",
        Symptom::Crashed => " crashed",
    }
}

/// `#5, #4 passed on re-run  (failing since #4)`; in markdown each build is a link. "Since"
/// is the start of the current streak (`or earlier` when it reaches the oldest build read); a
/// test the newest builds passed is `passing since` the first of them.
fn builds_text(o: &TestOccurrence, markdown: bool) -> String {
    let hash = if markdown { "\\#" } else { "#" };
    let list: Vec<String> = o
        .builds
        .iter()
        .map(|b| {
            let n = format!("{hash}{}", b.number);
            let n = if markdown {
                format!("[{n}]({})", b.url)
            } else {
                n
            };
            format!("{n}{}", mark(b.symptom))
        })
        .collect();
    let since = match (o.since, o.streak_open_ended, o.passing_since) {
        (Some(n), true, _) => format!("  (failing since {hash}{n} or earlier)"),
        (Some(n), false, _) => format!("  (failing since {hash}{n})"),
        (None, _, Some(n)) => format!("  (passing since {hash}{n})"),
        (None, _, None) => String::new(),
    };
    format!("{}{since}", list.join(", "))
}

/// After the test's name: its classification and where: `likely regression, 3 builders`,
/// `persistent on one builder; passed on re-run on 1 more`.
fn headline(t: &FailingTest) -> String {
    let shared = t
        .shared
        .as_deref()
        .map(|s| format!(": {}", sanitize(s)))
        .unwrap_or_default();
    let builders = |n: usize| format!("{n} builder{}", if n == 1 { "" } else { "s" });
    let (hard, rerun_only) = t.builder_counts;
    let mut line = label(t.classification).to_string() + &shared;
    match (t.classification, hard) {
        (_, 0) => line.push_str(&format!(", passed on re-run on {}", builders(rerun_only))),
        // The label already says how many.
        (Classification::PersistentOnOneBuilder, _) => {}
        _ => line.push_str(&format!(", {}", builders(hard))),
    }
    if hard > 0 && rerun_only > 0 {
        line.push_str(&format!("; passed on re-run on {rerun_only} more"));
    }
    line
}

/// `3 tests on 2 builders (4 test logs parsed; newest 4 builds per builder)`.
fn counts(r: &FailuresReport) -> String {
    let n = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    format!(
        "{} on {} ({} parsed; newest {} per builder)",
        n(r.tests.len(), "test", "tests"),
        n(r.failing_builders(), "builder", "builders"),
        n(r.logs_parsed, "test log", "test logs"),
        n(r.builds_per_builder, "build", "builds"),
    )
}

const NOTHING_FAILED: &str = "No failed test in the builds read.";

const EXCEPTIONS_TITLE: &str = "Exception in the test step (infrastructure, not a test failure)";

const LOG_NOTES_TITLE: &str =
    "Test logs of those builds that do not tell everything (killed, cut short, partly read)";

/// `2 of 5 failed or env-changed tests the progress counters count are in lines not read (the
/// search's budget spent; `build --full-log` reads every line)`.
fn unlocated_text(u: &Unlocated) -> String {
    format!(
        "{} of {} failed or env-changed test{} the progress counters count {} in lines not read \
         ({}`build --full-log` reads every line)",
        u.unlocated,
        u.counted,
        if u.counted == 1 { "" } else { "s" },
        if u.unlocated == 1 { "is" } else { "are" },
        if u.budget_spent {
            "the search's budget spent; "
        } else {
            ""
        }
    )
}

/// `Buildbot killed the step: command timed out: 1200 seconds without output (while test_x
/// ran); 1 of 3 failed or env-changed tests … in lines not read (…)`.
fn log_note_text(n: &LogNoteEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    let causes: Vec<String> = n.causes.iter().map(|c| sanitize(c).into_owned()).collect();
    let mut first = causes.join(", ");
    if let Some(t) = &n.last_test {
        if first.is_empty() {
            first = format!("the log ends while {} ran", sanitize(t));
        } else {
            first.push_str(&format!(" (while {} ran)", sanitize(t)));
        }
    }
    if !first.is_empty() {
        parts.push(first);
    }
    if let Some(u) = &n.unlocated {
        parts.push(unlocated_text(u));
    }
    parts.join("; ")
}

const NO_FAILING_TEST_TITLE: &str = "Failed in the test step, no failing test named";

fn nothing_failed(r: &FailuresReport) -> bool {
    r.tests.is_empty()
        && r.log_notes.is_empty()
        && r.test_step_exceptions.is_empty()
        && r.no_failing_test.is_empty()
        && r.outside_tests.is_empty()
}

/// `failed test: the log names no failing test; Buildbot killed the step: command timed out:
/// 1200 seconds without output (while test_x ran)`, `failed test: its log (5000 lines) was
/// deleted by the server`.
fn no_failing_test_text(n: &NoFailingTestEntry) -> String {
    let mut text = sanitize(&n.reason).into_owned() + ": ";
    let step = n.step.as_deref().map_or("test".into(), sanitize);
    match n.why {
        NoTestWhy::LogNamesNoTest => {
            text.push_str("the log names no failing test");
            if !n.env_changed.is_empty() {
                let tests: Vec<String> = n
                    .env_changed
                    .iter()
                    .map(|t| sanitize(t).into_owned())
                    .collect();
                text.push_str(&format!("; env changed: {}", tests.join(", ")));
            }
            if !n.causes.is_empty() {
                let causes: Vec<String> =
                    n.causes.iter().map(|c| sanitize(c).into_owned()).collect();
                text.push_str(&format!("; {}", causes.join(", ")));
            }
            if let Some(t) = &n.last_test {
                text.push_str(&format!(" (while {} ran)", sanitize(t)));
            }
        }
        NoTestWhy::LogDeleted => {
            let lines = n
                .log_lines
                .map(|l| format!(" ({l} lines)"))
                .unwrap_or_default();
            text.push_str(&format!("its {step} log{lines} was deleted by the server"));
        }
        NoTestWhy::NoLog => text.push_str(&format!("its {step} step has no log")),
        NoTestWhy::LogUnreadable => {
            text.push_str("its log could not be read");
            if let Some(e) = &n.read_error {
                text.push_str(&format!(" ({})", sanitize(e)));
            }
        }
    }
    if let Some(u) = &n.unlocated {
        text.push_str(&format!("; {}", unlocated_text(u)));
    }
    text
}

/// `exception test: No space left on device (while test_os ran)`.
fn exception_text(e: &TestStepExceptionEntry) -> String {
    let mut text = sanitize(&e.reason).into_owned();
    if !e.causes.is_empty() {
        let causes: Vec<String> = e.causes.iter().map(|c| sanitize(c).into_owned()).collect();
        text.push_str(&format!(": {}", causes.join(", ")));
    }
    if let Some(t) = &e.last_test {
        text.push_str(&format!(" (while {} ran)", sanitize(t)));
    }
    text
}

fn plain(r: &FailuresReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let styles = settings.styles;
    writeln!(
        out,
        "Failing tests on {}: {}",
        sanitize(&r.branch),
        counts(r)
    )?;
    let name_w = r
        .tests
        .iter()
        .flat_map(|t| &t.occurrences)
        .map(|o| display_width(&sanitize(&o.builder)))
        .max()
        .unwrap_or(0);
    // `--url`: the newest build it failed in, which is what a reader opens.
    let url = |url: &str| {
        if settings.urls {
            format!("  {url}")
        } else {
            String::new()
        }
    };
    for t in &r.tests {
        writeln!(out)?;
        writeln!(out, "{}  {}", styles.bold(&sanitize(&t.test)), headline(t))?;
        for o in &t.occurrences {
            let known = match &o.known {
                Some(issue) => styles.dim(&format!("  known: {}", sanitize(issue))),
                None => String::new(),
            };
            let newest = o.builds.first().map_or("", |b| b.url.as_str());
            writeln!(
                out,
                "    {}  {}{known}{}",
                pad(&styles.link(&o.url, &sanitize(&o.builder)), name_w),
                builds_text(o, false),
                url(newest)
            )?;
        }
    }
    if !r.log_notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{LOG_NOTES_TITLE}:")?;
        for n in &r.log_notes {
            writeln!(
                out,
                "    {}  #{} {}{}",
                pad(&styles.link(&n.url, &sanitize(&n.builder)), name_w),
                n.number,
                log_note_text(n),
                url(&n.url)
            )?;
        }
    }
    if !r.test_step_exceptions.is_empty() {
        writeln!(out)?;
        writeln!(out, "{EXCEPTIONS_TITLE}:")?;
        for e in &r.test_step_exceptions {
            writeln!(
                out,
                "    {}  #{} {}{}",
                pad(&styles.link(&e.url, &sanitize(&e.builder)), name_w),
                e.number,
                exception_text(e),
                url(&e.url)
            )?;
        }
    }
    if !r.no_failing_test.is_empty() {
        writeln!(out)?;
        writeln!(out, "{NO_FAILING_TEST_TITLE}:")?;
        for n in &r.no_failing_test {
            writeln!(
                out,
                "    {}  #{} {}{}",
                pad(&styles.link(&n.url, &sanitize(&n.builder)), name_w),
                n.number,
                no_failing_test_text(n),
                url(&n.url)
            )?;
        }
    }
    if !r.outside_tests.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failed outside the test step:")?;
        for o in &r.outside_tests {
            writeln!(
                out,
                "    {}  #{} {}{}",
                pad(&styles.link(&o.url, &sanitize(&o.builder)), name_w),
                o.number,
                sanitize(&o.reason),
                url(&o.url)
            )?;
        }
    }
    if nothing_failed(r) {
        writeln!(out)?;
        writeln!(out, "{NOTHING_FAILED}")?;
    }
    Ok(())
}

fn markdown(r: &FailuresReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### Failing tests on {}", escape(&r.branch))?;
    writeln!(out)?;
    writeln!(out, "{}", counts(r))?;
    writeln!(out)?;
    if nothing_failed(r) {
        return writeln!(out, "{NOTHING_FAILED}");
    }
    writeln!(out, "| Test | Kind | Builder | Builds | Known issue |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for t in &r.tests {
        for (i, o) in t.occurrences.iter().enumerate() {
            let (test, kind) = if i == 0 {
                let shared = t
                    .shared
                    .as_deref()
                    .map(|s| format!(" ({})", escape(s)))
                    .unwrap_or_default();
                (
                    table_code(&t.test),
                    format!("{}{shared}", label(t.classification)),
                )
            } else {
                (String::new(), String::new())
            };
            writeln!(
                out,
                "| {test} | {kind} | [{}]({}) | {} | {} |",
                escape(&o.builder),
                o.url,
                builds_text(o, true),
                o.known.as_deref().map_or("new".to_string(), escape)
            )?;
        }
    }
    for n in &r.log_notes {
        writeln!(
            out,
            "| | test log does not tell everything | {} | [\\#{}]({}) {} | |",
            escape(&n.builder),
            n.number,
            n.url,
            escape(&log_note_text(n))
        )?;
    }
    for e in &r.test_step_exceptions {
        writeln!(
            out,
            "| | exception in the test step | {} | [\\#{}]({}) {} | |",
            escape(&e.builder),
            e.number,
            e.url,
            escape(&exception_text(e))
        )?;
    }
    for n in &r.no_failing_test {
        writeln!(
            out,
            "| | failed in the test step, no failing test named | {} | [\\#{}]({}) {} | |",
            escape(&n.builder),
            n.number,
            n.url,
            escape(&no_failing_test_text(n))
        )?;
    }
    for o in &r.outside_tests {
        writeln!(
            out,
            "| | failed outside tests | {} | [\\#{}]({}) {} | |",
            escape(&o.builder),
            o.number,
            o.url,
            escape(&o.reason)
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "failures_tests.rs"]
mod tests;
