//! Unit tests of `commit.rs`: markdown (and the HTML made from it) says what plain text says,
//! with test names shown verbatim in code spans.

use super::*;
use crate::render::{Format, Settings};
use crate::report::commit::Suspect;
use crate::report::header::JsonHeader;

fn builder(name: &str, id: u32, state: State, novelty: Option<Novelty>) -> CommitBuilder {
    CommitBuilder {
        builderid: id,
        name: name.into(),
        state,
        number: Some(12),
        url: format!("http://m/#/builders/{id}/builds/12"),
        reason: None,
        built_with: None,
        novelty,
        new_tests: Vec::new(),
        pre_existing_tests: Vec::new(),
        previous: None,
        offline: false,
        error: None,
    }
}

fn failed(name: &str, known: Option<&str>) -> FailedTest {
    FailedTest {
        name: name.into(),
        known: known.map(str::to_string),
    }
}

/// One builder fails newly with `test_bbr_broken`, another with `test_bbr_flaky` that already
/// failed in its build #11, a third was tested in a later build and one is offline.
fn report() -> CommitReport {
    let mut new = builder("AMD64 Alpine 3.x", 1, State::Failed, Some(Novelty::New));
    new.new_tests = vec![failed("test_bbr_broken", None)];
    let mut old = builder(
        "AMD64 Fedora 3.x",
        2,
        State::Failed,
        Some(Novelty::PreExisting),
    );
    old.pre_existing_tests = vec![failed("test_bbr_flaky", Some("gh-1"))];
    old.previous = Some(11);
    let mut later = builder("ARM64 Debian 3.x", 3, State::Passed, None);
    later.built_with = Some("0123456789abcdef".into());
    let mut offline = builder("PPC64 AIX 3.x", 4, State::NotBuilt, None);
    offline.number = None;
    offline.offline = true;
    CommitReport {
        header: JsonHeader {
            schema_version: 1,
            kind: "commit",
            server: "http://m/".into(),
            source: "live",
            recorded_at: None,
            generated_at: 1_795_400_000,
        },
        revision: "fedcba9876543210".into(),
        author: None,
        subject: Some("Break a test".into()),
        git_branch: Some("main".into()),
        branch: "3.x".into(),
        outcome: Outcome::NewFailures,
        exit_code: 10,
        builders: vec![new, old, later, offline],
        new_failures: vec![NewFailure {
            test: "test_bbr_broken".into(),
            known: Some("gh-2".into()),
            builders: vec!["AMD64 Alpine 3.x".into()],
            suspects: vec![Suspect {
                revision: "fedcba9876543210".into(),
                author: "A. Author".into(),
                subject: "Break a test".into(),
            }],
            open_below: false,
            disjoint: false,
        }],
        builds_per_builder: 5,
    }
}

fn written(format: Format) -> String {
    let mut out = Vec::new();
    crate::render::write(&report(), format, &mut out, &Settings::plain()).expect("render");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn markdown_code_spans_show_the_test_name_verbatim() {
    let md = written(Format::Markdown);
    assert!(md.contains("### New failure `test_bbr_broken` "), "{md}");
    assert!(!md.contains(r"test\_bbr\_broken`"), "{md}");
    let html = written(Format::Html);
    assert!(html.contains("test_bbr_broken</code>"), "{html}");
    assert!(!html.contains(r"test\_bbr"), "{html}");
}

#[test]
fn markdown_says_what_plain_text_says() {
    let text = written(Format::Plain);
    let md = written(Format::Markdown);
    for (plain, markdown) in [
        // The build the pre-existing failure failed in.
        (
            "pre-existing (failed in #11): test_bbr_flaky",
            r"pre-existing (failed in \#11): test\_bbr\_flaky",
        ),
        // A new failure that is known.
        ("[known: gh-2]", r"\[known: gh-2\]"),
        // The later build a builder tested the commit in, and a builder offline.
        (
            "tested in the build of 0123456789",
            "tested in the build of 0123456789",
        ),
        ("offline", "offline"),
    ] {
        assert!(text.contains(plain), "plain lacks {plain}:\n{text}");
        assert!(md.contains(markdown), "markdown lacks {markdown}:\n{md}");
    }
}
