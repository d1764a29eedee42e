//! End-to-end tests on the shipped snapshot (tests/fixtures/snapshot, recorded from the real
//! harness master by scripts/record-fixtures.sh): no network at all.

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

fn fixture_manifest() -> Manifest {
    load_manifest(&repo().join("tests/fixtures/snapshot-manifest.json"))
}

#[test]
fn snapshot_json_matches_what_the_harness_ran() {
    let o = bbreport(&["--snapshot", &snap(), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    assert_eq!(
        (s.schema_version, s.kind.as_str(), s.source.as_str()),
        (1, "summary", "snapshot")
    );
    assert!(s.recorded_at.is_some());
    assert_matches_manifest(&s, &fixture_manifest(), &[]);
}

#[test]
fn default_mode_lists_failed_builds_and_verbose_lists_all() {
    let o = bbreport(&["--snapshot", &snap(), "-n", "*LTO + PGO*", "3.x"]);
    let out = stdout(&o);
    assert_eq!(
        out.lines()
            .filter(|l| l.trim_start().starts_with("# ") && l.contains(": failed test"))
            .count(),
        4,
        "{out}"
    );
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "-v",
        "-n",
        "AMD64 Fedora Stable 3.x",
        "3.x",
    ]);
    let out = stdout(&o);
    assert_eq!(
        out.lines().filter(|l| l.contains(": success")).count(),
        4,
        "{out}"
    );
    assert!(
        stderr(&o).contains("\nbbreport: 0 requests (snapshot "),
        "-v reports the cost: {}",
        stderr(&o)
    );
}

#[test]
fn colour_is_decided_once_and_honours_no_color() {
    let args = ["--snapshot", &snap(), "-q", "3.x"];
    let forced = bbreport_env(&args, &[("CLICOLOR_FORCE", "1")]);
    assert!(
        stdout(&forced).contains("\u{1b}["),
        "CLICOLOR_FORCE colours piped output"
    );
    let off = bbreport_env(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(
        !stdout(&off).contains('\u{1b}'),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    let always = bbreport(&[&args[..], &["--color", "always"]].concat());
    assert!(stdout(&always).contains("\u{1b}["));
    let never = bbreport_env(
        &[&args[..], &["--no-color"]].concat(),
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!stdout(&never).contains('\u{1b}'));
    let json = bbreport(&[
        "--snapshot",
        &snap(),
        "--format",
        "json",
        "--color",
        "always",
    ]);
    assert!(!stdout(&json).contains('\u{1b}'), "JSON is never coloured");
}

#[test]
fn table_fits_the_width() {
    for width in ["80", "120"] {
        let o = bbreport_env(
            &["--snapshot", &snap(), "--format", "table", "3.x"],
            &[("COLUMNS", width)],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let out = stdout(&o);
        let w: usize = width.parse().expect("number");
        for line in out.lines() {
            assert!(unicode_width(line) <= w, "line wider than {w}: {line:?}");
        }
        assert!(out.contains("✘"), "dashboard glyphs in the table: {out}");
        assert!(
            out.contains("AMD64 Fedora Stable LTO + PGO")
                || out.contains("AMD64 Fedora Stable LTO +"),
            "{out}"
        );
    }
}

fn unicode_width(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn limit_beyond_the_snapshot_is_refused_not_silently_short() {
    let o = bbreport(&["--snapshot", &snap(), "-l", "20", "3.x"]);
    assert_eq!(code(&o), 7, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("holds 10 builds per builder, fewer than --builds 20"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("hint: use --builds 10 or less"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_or_corrupt_snapshot_is_a_snapshot_error() {
    let o = bbreport(&["--snapshot", "/nonexistent/snap", "-q"]);
    assert_eq!(code(&o), 7);
    assert!(
        stderr(&o).starts_with(
            "bbreport: error: cannot use snapshot /nonexistent/snap: no such directory\nhint: "
        ),
        "{}",
        stderr(&o)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["builders.json", "workers.json", "builds.json", "meta.json"] {
        std::fs::copy(fixture_snapshot().join(f), dir.path().join(f)).expect("copy");
    }
    std::fs::write(dir.path().join("builds.json"), "{\"builds\": [").expect("write");
    let o = bbreport(&["--snapshot", dir.path().to_str().expect("utf-8"), "-q"]);
    assert_eq!(code(&o), 7);
    assert!(
        stderr(&o).contains("builds.json is not valid"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_file_sets_defaults_and_bad_config_is_exit_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "branches = [\"3.14\"]\nlimit = 2\n").expect("write");
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "--config",
        cfg.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    assert_eq!(
        s.branches
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>(),
        ["3.14"]
    );
    assert!(s.builders().all(|b| b.builds.len() <= 2));
    std::fs::write(&cfg, "limt = 2\n").expect("write");
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "--config",
        cfg.to_str().expect("utf-8"),
        "-q",
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("unknown field `limt`"),
        "{}",
        stderr(&o)
    );
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "--config",
        "/nonexistent/config.toml",
        "-q",
    ]);
    assert_eq!(code(&o), 3, "an explicit config must exist: {}", stderr(&o));
}

#[test]
fn config_in_xdg_dir_is_read() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("bbreport");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("config.toml"), "branches = [\"PR\"]\n").expect("write");
    let o = bbreport_env(
        &["--snapshot", &snap(), "--format", "json"],
        &[("XDG_CONFIG_HOME", home.path().to_str().expect("utf-8"))],
    );
    let s = parse_summary(&o);
    assert_eq!(
        s.branches
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>(),
        ["PR"]
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        vec!["--format", "yaml"],
        vec!["-l", "0"],
        vec!["--id", "sha"],
        vec!["--color", "sometimes"],
    ] {
        let o = bbreport(&[&["--snapshot", &snap()][..], &args[..]].concat());
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
    }
    let o = bbreport(&["--snapshot", &snap(), "-n", "[unclosed", "3.x"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("bbreport: error: invalid --name glob '[unclosed'"),
        "{}",
        stderr(&o)
    );
    let o = bbreport(&["--server", "buildbot.python.org", "-q"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("must start with http:// or https://")
            || stderr(&o).contains("is not a URL"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    use std::process::Stdio;
    let env = TestEnv::new();
    let mut child = env
        .command()
        .args(["--snapshot", &snap(), "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader goes away at once, like `| head -0`
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn help_documents_exit_codes_and_examples() {
    let o = bbreport(&["--help"]);
    let out = stdout(&o);
    for needle in [
        "Exit codes:",
        " 6  report printed, but some data could not be fetched",
        "bbreport -q 3.x",
        "--snapshot <DIR>",
        "BBREPORT_SERVER",
    ] {
        assert!(out.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn hostile_server_strings_never_reach_the_terminal() {
    // A copy of the real snapshot with escape sequences planted in a builder name and a build
    // summary: clear screen, an OSC 52 clipboard write, a bidi override.
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["builders.json", "workers.json", "builds.json", "meta.json"] {
        let text = std::fs::read_to_string(fixture_snapshot().join(f)).expect("read");
        let text = text
            .replace(
                "\"AMD64 Fedora Stable 3.x\"",
                "\"AMD64 \\u001b[2J\\u001b]52;c;aGk=\\u0007Fedora\\u202e Stable 3.x\"",
            )
            .replace(
                "\"failed test (failure)\"",
                "\"failed \\u001b[31mtest\\u009b0m\\r\\n (failure)\"",
            );
        std::fs::write(dir.path().join(f), text).expect("write");
    }
    let d = dir.path().to_str().expect("utf-8");
    for args in [
        vec!["--snapshot", d, "-q", "3.x"],
        vec!["--snapshot", d, "3.x", "-v"],
        vec!["--snapshot", d, "-qq"],
        vec!["--snapshot", d, "--format", "table", "3.x"],
        vec![
            "--snapshot",
            d,
            "--format",
            "table",
            "--color",
            "always",
            "3.x",
        ],
    ] {
        let o = bbreport(&args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            (out.contains("AMD64 Fedora Stable") || out.contains("AMD64 Fedora"))
                && !out.contains("[2J")
                && !out.contains("52;c;"),
            "{args:?}: {out}"
        );
        assert!(
            !out.contains('\u{7}')
                && !out.contains('\u{202e}')
                && !out.contains('\u{9b}')
                && !out.contains('\r'),
            "{args:?}: {out:?}"
        );
        if !args.contains(&"always") {
            assert!(!out.contains('\u{1b}'), "{args:?}: {out:?}");
        } else {
            // Only our own SGR colour codes: ESC [ digits/; m.
            for (i, _) in out.match_indices('\u{1b}') {
                let rest = &out[i + 1..];
                let end = rest.find('m').expect("SGR ends with m");
                assert!(
                    rest.starts_with('[')
                        && rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
                    "foreign escape: {:?}",
                    &rest[..end.min(20)]
                );
            }
        }
    }
    let json = bbreport(&["--snapshot", d, "--format", "json", "3.x"]);
    assert!(
        !stdout(&json).contains('\u{1b}'),
        "JSON escapes control characters"
    );
    assert!(
        parse_summary(&json)
            .builders()
            .any(|b| b.name.contains('\u{1b}')),
        "JSON keeps the data, escaped"
    );
    // Markdown and HTML of every report that shows the name: no control character gets out.
    for args in [
        vec!["--snapshot", d, "--format", "markdown", "3.x"],
        vec!["--snapshot", d, "--format", "markdown", "release", "3.x"],
        vec!["--snapshot", d, "--format", "markdown", "waterfall", "3.x"],
        vec!["--snapshot", d, "--format", "html", "release", "3.x"],
        vec!["--snapshot", d, "--format", "html", "waterfall", "3.x"],
    ] {
        let out = stdout(&bbreport(&args));
        assert!(out.contains("Fedora"), "{args:?}: {out}");
        assert!(
            !out.contains('\u{1b}')
                && !out.contains('\u{7}')
                && !out.contains('\u{202e}')
                && !out.contains('\u{9b}'),
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn release_dashboard_rule_matches_the_hand_applied_dashboard_rule_on_the_fixture() {
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "release",
        "--rule",
        "dashboard",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(
        (r.schema_version, r.kind.as_str(), r.source.as_str()),
        (1, "release", "snapshot")
    );
    assert_dashboard_oracle(&r);
}

#[test]
fn release_default_rule_on_the_fixture() {
    let o = bbreport(&["--snapshot", &snap(), "release", "--format", "json"]);
    assert_eq!(code(&o), 10);
    let r = parse_release(&o);
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
    for args in [vec!["3.13"], vec!["3.14"], vec!["3.15"]] {
        let o = bbreport(&[&["--snapshot", &snap(), "release"][..], &args[..]].concat());
        assert_eq!(
            code(&o),
            [0, 11, 12][["3.13", "3.14", "3.15"]
                .iter()
                .position(|b| *b == args[0])
                .expect("branch")]
        );
    }
}

#[test]
fn release_help_documents_verdict_exit_codes() {
    let out = stdout(&bbreport(&["release", "--help"]));
    for needle in [
        "Releasable (exit 0)",
        "Unreleasable (10)",
        "Concern (11)",
        "Unknown or N/A (12)",
        "--rule <RULE>",
        "--threshold <N>",
    ] {
        assert!(
            out.contains(needle),
            "release --help lacks {needle:?}:\n{out}"
        );
    }
}

#[test]
fn release_at_revision_on_the_fixture_uses_recorded_revisions() {
    let m = fixture_manifest();
    let r1 = harness_revision(&m, "3.14", 1);
    let o = bbreport(&["--snapshot", &snap(), "release", "--at", &r1[..8]]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("At revision {}", &r1[..10])),
        "{}",
        stdout(&o)
    );
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "release",
        "--at",
        &harness_revision(&m, "3.14", 2),
    ]);
    assert_eq!(code(&o), 11, "{}", stderr(&o));
    for bad in ["xyz1", "12", "g123456"] {
        let o = bbreport(&["--snapshot", &snap(), "release", "--at", bad]);
        assert_eq!(code(&o), 2, "{bad}: {}", stderr(&o));
    }
}

#[test]
fn console_names_the_authors_the_harness_recorded_and_they_are_invented() {
    let m = fixture_manifest();
    let o = bbreport(&["--snapshot", &snap(), "--format", "json", "console", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let shown: Vec<(&str, &str)> = v["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().expect("revision and author");
            (field("revision"), field("author"))
        })
        .collect();
    let recorded: Vec<(&str, &str)> = m
        .commits
        .iter()
        .rev()
        .filter(|c| c.branch == "3.x")
        .map(|c| (c.revision.as_str(), c.author.as_str()))
        .collect();
    assert_eq!(shown, recorded);
    // Made-up commits carry made-up names, never a real developer's.
    for (_, author) in shown {
        assert!(
            author.ends_with("@example.org>") || author.ends_with("@example.com>"),
            "{author}"
        );
    }
}

#[test]
fn build_of_a_passing_build_is_not_in_the_snapshot() {
    // A snapshot records the steps and logs of failed, warnings and exception builds only.
    let o = bbreport(&["--snapshot", &snap(), "build", "AMD64 Fedora Stable 3.x"]);
    assert_eq!(code(&o), 7, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not recorded in the snapshot"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_bad_known_issues_file_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("known.toml");
    std::fs::write(&rules, "[[rule]]\nissue = \"gh-1\"\ntest = \"((\"\n").expect("write");
    let o = bbreport_env(
        &["--snapshot", &snap(), "-q"],
        &[("BBREPORT_KNOWN_ISSUES", rules.to_str().expect("utf-8"))],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stderr(&o).contains("rule 1 (test)"), "{}", stderr(&o));
}

#[test]
fn tests_flag_reads_the_snapshots_recorded_logs() {
    for args in [vec!["-q", "--tests"], vec!["release", "--tests"]] {
        let o = bbreport(&[&["--snapshot", &snap()][..], &args[..]].concat());
        // release exits 10 when a branch is unreleasable; never 2 or 7 (no logs) here.
        assert!(matches!(code(&o), 0 | 10), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("test_bbr_broken"), "{}", stdout(&o));
    }
}

#[test]
fn config_chooses_colour_and_ascii_symbols_and_flags_win() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "color = \"always\"\nascii = true\n").expect("config");
    let snap = fixture_snapshot();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v = vec![
            "--config".to_string(),
            config.to_string_lossy().to_string(),
            "--snapshot".to_string(),
            snap.to_string_lossy().to_string(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        bbreport(&refs)
    };
    let coloured = run(&["-q", "3.x"]);
    assert!(
        stdout(&coloured).contains("\u{1b}["),
        "config color = always"
    );
    let never = run(&["--color", "never", "-q", "3.x"]);
    assert!(
        !stdout(&never).contains('\u{1b}'),
        "--color wins over the config"
    );
    for report in [
        &["--format", "table", "-q", "3.x"][..],
        &["--format", "table", "release"],
        &["waterfall", "3.x"],
        &["console", "3.x"],
    ] {
        let mut extra = vec!["--no-color"];
        extra.extend_from_slice(report);
        let o = run(&extra);
        assert!(stdout(&o).is_ascii(), "{report:?}: {}", stdout(&o));
    }
}
