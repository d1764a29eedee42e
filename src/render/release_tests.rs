//! Unit tests of `release.rs` (kept apart: they are as long as the code).

use super::*;
use crate::model::classify::Stability;
use crate::model::release::{Effect, Verdict};
use crate::model::status::BuildResult;
use crate::model::summary::FailedTest;
use crate::render::{Format, Glyphs};
use crate::report::header::JsonHeader;
use crate::report::release::BuildEntry;

fn builder(name: &str, id: u32, effect: Effect, finding: Finding) -> BuilderEntry {
    let build = |n: u32| BuildEntry {
        number: n,
        result: BuildResult::Failure,
        complete_at: Some(1_795_300_000),
        failed_step: Some("failed test".into()),
        url: format!("http://m/#/builders/{id}/builds/{n}"),
    };
    let failing = finding == Finding::Failing;
    BuilderEntry {
        name: name.into(),
        builderid: id,
        url: format!("http://m/#/builders/{id}"),
        tier: Some(1),
        stability: Stability::Stable,
        tags: vec!["3.x".into(), "stable".into(), "tier-1".into()],
        role: Role::Blocking,
        connected: true,
        finding,
        effect,
        reason: None,
        streak: usize::from(failing) * 3,
        streak_open_ended: false,
        running: false,
        stale: None,
        paused: false,
        pause_reason: None,
        builds_read: 10,
        error: None,
        latest: failing.then(|| build(7)),
        breaking: failing.then(|| build(5)),
        breaking_beyond_history: false,
        failing_tests: Vec::new(),
    }
}

/// Two branches: 3.x with a persistent failure whose tests were read (`--tests`) and a
/// build running, and a builder whose builds could not be fetched; 3.14 releasable.
fn report() -> ReleaseReport {
    let mut failing = builder(
        "AMD64 Fedora Stable 3.x",
        7,
        Effect::Unreleasable,
        Finding::Failing,
    );
    failing.reason = Some("persistent, failed 3 in a row".into());
    failing.running = true;
    failing.failing_tests = vec![
        FailedTest {
            name: "test_os".into(),
            known: Some("gh-1234".into()),
        },
        FailedTest {
            name: "test_ssl".into(),
            known: None,
        },
    ];
    let mut unread = builder("AMD64 Ubuntu 3.x", 9, Effect::Unknown, Finding::FetchFailed);
    unread.reason = Some("builds could not be fetched".into());
    unread.error = Some("HTTP 504 Gateway Timeout from http://m/api/v2/builders/9/builds".into());
    let passing = builder("AMD64 Windows 3.14", 11, Effect::None, Finding::Passing);
    ReleaseReport {
        header: JsonHeader {
            schema_version: 1,
            kind: "release",
            server: "http://m/".into(),
            source: "live",
            recorded_at: None,
            generated_at: 1_795_400_000,
        },
        rule: "persistent",
        threshold: Some(2),
        verdict: Verdict::Unreleasable,
        exit_code: 10,
        at: None,
        branches: vec![
            BranchEntry {
                name: "3.x".into(),
                verdict: Verdict::Unreleasable,
                summary: "1 persistently failing release-blocking builder".into(),
                builders: vec![failing, unread],
                disconnected: Vec::new(),
                paused: Vec::new(),
            },
            BranchEntry {
                name: "3.14".into(),
                verdict: Verdict::Releasable,
                summary: "all 1 release-blocking builders pass".into(),
                builders: vec![passing],
                disconnected: Vec::new(),
                paused: Vec::new(),
            },
        ],
        verbose: false,
        shallow: None,
    }
}

fn written(format: Format, settings: &Settings) -> String {
    let mut out = Vec::new();
    crate::render::write(&report(), format, &mut out, settings).expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn ascii() -> Settings {
    Settings {
        glyphs: Glyphs { ascii: true },
        ..Settings::plain()
    }
}

#[test]
fn markdown_and_html_carry_what_text_carries() {
    let settings = Settings::plain();
    let plain = written(Format::Plain, &settings);
    for (format, tests) in [
        (Format::Plain, "test_os`gh-1234 test_ssl"),
        (Format::Markdown, r"test\_os\`gh-1234 test\_ssl"),
        (Format::Html, "test_os`gh-1234 test_ssl"),
    ] {
        let out = written(format, &settings);
        for needle in [
            tests,
            "; a build is running",
            "builds could not be fetched: HTTP 504 Gateway Timeout from http://m/api/v2/builders/9/builds",
            "0 of 2 release-blocking builders pass",
            "Overall: Unreleasable (exit code 10)",
        ] {
            assert!(
                out.contains(needle),
                "{format:?} lacks {needle:?}:\n{out}\n\nplain:\n{plain}"
            );
        }
    }
}

#[test]
fn ascii_output_is_pure_ascii_in_every_format() {
    for format in [
        Format::Plain,
        Format::Table,
        Format::Markdown,
        Format::Html,
        Format::Json,
    ] {
        let out = written(format, &ascii());
        assert!(out.is_ascii(), "{format:?} with ASCII glyphs:\n{out}");
    }
    let md = written(Format::Markdown, &ascii());
    assert!(md.contains("| 3.x | [X] Unreleasable |"), "{md}");
    assert!(md.contains("| X | [AMD64 Fedora Stable 3.x]"), "{md}");
    let html = written(Format::Html, &ascii());
    assert!(
        html.contains("color:#cf222e;font-weight:600\">[X] Unreleasable</td>"),
        "the verdict keeps its colour in ASCII:\n{html}"
    );
}

#[test]
fn worker_health_counts_and_names_the_blocking_ones() {
    let entry = |n: usize, blocking: usize| {
        let builders = (0..n)
            .map(|i| {
                let mut b = builder(&format!("B{i}"), i as u32, Effect::None, Finding::Passing);
                b.connected = i == 0;
                if i > blocking {
                    b.role = Role::NonBlocking;
                    b.tier = Some(3);
                }
                b
            })
            .collect();
        BranchEntry {
            name: "3.x".into(),
            verdict: Verdict::Releasable,
            summary: String::new(),
            builders,
            disconnected: Vec::new(),
            paused: Vec::new(),
        }
    };
    let health = |v: &BranchEntry, verbose: bool| {
        let line = footer(v, verbose).remove(0);
        (line.text, line.items)
    };
    // B0 is connected; B1 blocks; B2, B3 do not.
    assert_eq!(
        health(&entry(4, 1), false).0,
        "Worker health: 3 disconnected; release-blocking: B1 (tier-1); -v names the other 2"
    );
    assert_eq!(
        health(&entry(4, 1), true),
        (
            "Worker health: 3 disconnected; release-blocking: B1 (tier-1); the other 2:".into(),
            vec!["B2 (tier-3)".to_string(), "B3 (tier-3)".into()]
        )
    );
    assert_eq!(
        health(&entry(3, 0), false).0,
        "Worker health: 2 disconnected, none release-blocking; -v names them"
    );
    assert_eq!(
        health(&entry(3, 1), false).0,
        "Worker health: 2 disconnected; release-blocking: B1 (tier-1); -v names the other one"
    );
}

#[test]
fn unicode_glyphs_where_chosen() {
    let md = written(Format::Markdown, &Settings::plain());
    assert!(md.contains("| 3.x | ✘ Unreleasable |"), "{md}");
    let table = written(Format::Table, &Settings::plain());
    assert!(
        table.contains("3.x  ✘ Unreleasable") && table.contains('─'),
        "{table}"
    );
    // Plain text keeps the old tool's ASCII marks whatever the glyphs.
    let plain = written(Format::Plain, &Settings::plain());
    assert!(plain.is_ascii(), "{plain}");
    assert!(plain.contains("3.x  [X] Unreleasable"), "{plain}");
}
