//! `bbreport release` against the real Buildbot master that scripts/test.sh starts.

use crate::common::*;

fn release(m: &Manifest, args: &[&str]) -> std::process::Output {
    live(&[&["--server", m.server.as_str(), "release"][..], args].concat())
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn default_rule_verdicts_and_evidence() {
    let m = live_manifest();
    let o = release(&m, &["--format", "json"]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(
        (
            r.rule.as_str(),
            r.threshold,
            r.verdict.as_str(),
            r.exit_code
        ),
        ("persistent", Some(2), "unreleasable", 10)
    );
    // Newest first, PR excluded, the retired 3.10 absent.
    assert_eq!(
        r.verdicts(),
        [
            ("3.x", "unreleasable"),
            ("3.15", "unknown"),
            ("3.14", "concern"),
            ("3.13", "releasable"),
            ("3.12", "concern")
        ]
    );
    let x = r.branch("3.x");
    // A persistent tier-1 failure: 4 in a row, broken since build 1.
    let b = x.builder("AMD64 Fedora Stable LTO + PGO 3.x");
    assert_eq!(
        (b.effect.as_str(), b.streak, b.role.as_str()),
        ("unreleasable", 4, "blocking")
    );
    assert_eq!(b.breaking.as_ref().map(|x| x.number), Some(1));
    assert_eq!(
        b.latest.as_ref().and_then(|x| x.failed_step.as_deref()),
        Some("failed test")
    );
    // Persistent tier-2: PPFF, broken by build 3.
    let b = x.builder("AMD64 Fedora Stable Clang 3.x");
    assert_eq!((b.effect.as_str(), b.streak), ("unreleasable", 2));
    assert_eq!(b.breaking.as_ref().map(|x| x.number), Some(3));
    // A single fresh tier-1 failure: a Concern awaiting the next build, not a blocker.
    let b = x.builder("AMD64 Fedora Stable Refleaks 3.x");
    assert_eq!((b.effect.as_str(), b.streak), ("concern", 1));
    assert!(
        b.reason
            .as_deref()
            .is_some_and(|r| r.contains("awaiting the next build")),
        "{:?}",
        b.reason
    );
    let b = x.builder("AMD64 Ubuntu Shared 3.x");
    assert_eq!(
        b.latest.as_ref().and_then(|x| x.failed_step.as_deref()),
        Some("failed compile")
    );
    // Tier-3 failure: Concern. Unstable failing: no effect.
    assert_eq!(x.builder("ARM Raspbian 3.x").effect, "concern");
    assert_eq!(x.builder("AMD64 Fedora Rawhide 3.x").effect, "none");
    // Last builds are exceptions: judged on the last real result (build 2 passed).
    let b = x.builder("AMD64 FreeBSD14 3.x");
    assert_eq!(
        (b.finding.as_str(), b.latest.as_ref().map(|x| x.number)),
        ("passing", Some(2))
    );
    // A disconnected tier-2 builder is worker health, not a code failure.
    let b = x.builder("ARM64 macOS 3.x");
    assert_eq!(
        (b.connected, b.effect.as_str(), b.finding.as_str()),
        (false, "none", "passing")
    );
    assert!(x.disconnected.contains(&"ARM64 macOS 3.x".to_string()));
    // A running build is noticed.
    assert!(x.builder("AMD64 Fedora Stable Clang Installed 3.x").running);
    // A branch whose builders have no builds is Unknown, never Releasable.
    let b15 = r.branch("3.15");
    assert!(
        b15.builders
            .iter()
            .filter(|b| b.role == "blocking")
            .all(|b| b.effect == "unknown")
    );
    // The single flaky tier-1 failure on 3.14.
    assert_eq!(
        r.branch("3.14").builder("AMD64 Fedora Stable 3.14").effect,
        "concern"
    );
    // Only a tier-3 failure on 3.12.
    assert_eq!(r.branch("3.12").summary, "1 builder to watch");
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn dashboard_rule_agrees_with_the_dashboard_builder_for_builder() {
    let m = live_manifest();
    let o = release(&m, &["--rule", "dashboard", "--format", "json"]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    assert_dashboard_oracle(&parse_release(&o));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn exit_codes_per_verdict() {
    let m = live_manifest();
    for (args, want) in [
        (vec!["3.13"], 0),
        (vec!["3.14"], 11),
        (vec!["3.12"], 11),
        (vec!["3.15"], 12),
        (vec!["3.x"], 10),
        (vec!["--rule", "dashboard", "3.14"], 10),
        (vec!["--rule", "dashboard", "3.15"], 12),
        (vec!["--rule", "dashboard", "3.12"], 11),
        (vec!["--threshold", "5", "3.x"], 11),
        (vec!["PR"], 0),
    ] {
        let o = release(&m, &args);
        assert_eq!(
            code(&o),
            want,
            "release {args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
    }
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn shallow_first_pass_reads_deeper_only_for_failing_stable_builders() {
    let m = live_manifest();
    let deep = release(&m, &["--builds", "2", "--format", "json", "--stats"]);
    let normal = release(&m, &["--format", "json", "--stats"]);
    let (d, n) = (parse_release(&deep), parse_release(&normal));
    assert_eq!(d.verdicts(), n.verdicts());
    for (bd, bn) in d.branches.iter().zip(&n.branches) {
        for (x, y) in bd.builders.iter().zip(&bn.builders) {
            assert_eq!((&x.name, &x.effect), (&y.name, &y.effect));
            if x.role == "informational" {
                // Unstable builders cannot move a verdict and are not read deeper: a streak
                // that reaches the oldest build read is reported as open-ended.
                assert!(
                    x.streak == y.streak || (x.streak_open_ended && x.streak < y.streak),
                    "{}",
                    x.name
                );
                continue;
            }
            assert_eq!(x.streak, y.streak, "{}", x.name);
            assert_eq!(
                x.breaking.as_ref().map(|b| b.number),
                y.breaking.as_ref().map(|b| b.number),
                "{}",
                x.name
            );
        }
    }
    let requests = |o: &std::process::Output| -> u32 {
        stderr(o)
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}", stderr(o)))
    };
    // builders + workers + the sample (the window's top) + one bulk window for all branches'
    // ~90 builders + the short builders widened together, and the masters list (a 3.x build
    // is running: is its master still there?); and the master's version, read for the `--stats` line.
    assert_eq!(requests(&normal), 6 + 1, "{}", stderr(&normal));
    // With 2 builds a builder, 4 stable 3.x builders are still failing or undecided at the
    // oldest build read (LTO + PGO, Clang, Raspbian, FreeBSD14): one deeper request each.
    assert_eq!(requests(&deep), 6 + 1 + 4, "{}", stderr(&deep));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn plain_and_markdown_name_the_evidence() {
    let m = live_manifest();
    let plain = stdout(&release(&m, &["3.x"]));
    assert!(
        plain.starts_with("Release readiness (rule: persistent;"),
        "{plain}"
    );
    assert!(
        plain.contains("3.x  [X] Unreleasable: 2 persistently failing release-blocking builders"),
        "{plain}"
    );
    assert!(
        plain
            .contains("Worker health: 2 disconnected; release-blocking: ARM64 macOS 3.x (tier-2);"),
        "{plain}"
    );
    assert!(!plain.contains('\u{1b}'));
    let md = stdout(&release(&m, &["--format", "markdown", "3.x", "3.13"]));
    assert!(
        md.contains("| 3.x | ✘ Unreleasable | 2 persistently failing release-blocking builders |"),
        "{md}"
    );
    assert!(md.contains("| 3.13 | ✔ Releasable |"), "{md}");
    assert!(
        md.contains(&format!(
            "[AMD64 Fedora Stable LTO + PGO 3.x]({}#/builders/",
            m.server
        )),
        "{md}"
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn at_revision_judges_the_history_up_to_that_commit() {
    let m = live_manifest();
    // 3.14 round 1: all green. Round 2: AMD64 Fedora Stable 3.14 failed once (PF).
    let r1 = harness_revision(&m, "3.14", 1);
    let o = release(&m, &["--at", &r1[..10], "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(r.verdicts(), [("3.14", "releasable")]);
    let at = r.at.as_ref().expect("at");
    assert_eq!(at.revision, r1);
    let commit = m.commits.iter().find(|c| c.revision == r1).expect("commit");
    assert_eq!(at.subject.as_deref(), Some(commit.subject.as_str()));
    assert_eq!(at.author.as_deref(), Some(commit.author.as_str()));
    let o = release(
        &m,
        &["--at", &harness_revision(&m, "3.14", 2), "--format", "json"],
    );
    assert_eq!(code(&o), 11, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(
        r.branch("3.14").builder("AMD64 Fedora Stable 3.14").effect,
        "concern"
    );
    // 3.x round 3: LTO + PGO already failed 3 times; Clang's first failure was fresh then.
    let o = release(
        &m,
        &["--at", &harness_revision(&m, "3.x", 3), "--format", "json"],
    );
    let r = parse_release(&o);
    let x = r.branch("3.x");
    assert_eq!(
        (
            x.builder("AMD64 Fedora Stable LTO + PGO 3.x").streak,
            x.builder("AMD64 Fedora Stable Clang 3.x").effect.as_str()
        ),
        (3, "concern")
    );
    // 3.x round 4: one tier-2 builder is still building it.
    let o = release(
        &m,
        &["--at", &harness_revision(&m, "3.x", 4), "--format", "json"],
    );
    let b = parse_release(&o);
    let b = b
        .branch("3.x")
        .builder("AMD64 Fedora Stable Clang Installed 3.x");
    assert_eq!(
        (b.finding.as_str(), b.effect.as_str()),
        ("revision_building", "unknown")
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn at_a_revision_nobody_built_names_the_blocking_builders_and_is_unknown() {
    let m = live_manifest();
    let o = release(
        &m,
        &[
            "--at",
            &harness_revision(&m, "3.15", 1),
            "--format",
            "json",
            "--stats",
        ],
    );
    assert_eq!(code(&o), 12, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(r.verdicts(), [("3.15", "unknown")]);
    let b = r.branch("3.15");
    assert!(
        b.summary.ends_with("not done with this revision"),
        "{}",
        b.summary
    );
    assert!(
        b.builders
            .iter()
            .filter(|x| x.role == "blocking")
            .all(|x| x.finding == "revision_not_built")
    );
    // builders, workers and the master's version (in the same round: `changes` is read by
    // version, see README "Master versions"), the change, its builds; the sample (the window's
    // top), one bulk window, the short builders widened together; the masters list (a build
    // is running).
    assert!(
        stderr(&o).starts_with("bbreport: 9 requests"),
        "{}",
        stderr(&o)
    );
    let o = release(&m, &["--at", "0123456789abcdef"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no commit matching '0123456789abcdef'"),
        "{}",
        stderr(&o)
    );
}
