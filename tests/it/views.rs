//! `waterfall` and `console`: renderer snapshots at 80 and 120 columns, with and without
//! colour, on the shipped snapshot; and their JSON against what the harness ran.
//! Regenerate the expected files with BBREPORT_BLESS=1 (then read them).

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

fn fixture_manifest() -> Manifest {
    load_manifest(&repo().join("tests/fixtures/snapshot-manifest.json"))
}

/// Compare with tests/fixtures/expected/NAME, or write it under BBREPORT_BLESS.
fn expect_file(name: &str, actual: &str) {
    let path = repo().join("tests/fixtures/expected").join(name);
    if std::env::var_os("BBREPORT_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write expected");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless with BBREPORT_BLESS=1)", path.display()));
    assert_eq!(
        actual, want,
        "{name} differs (bless with BBREPORT_BLESS=1 if the change is intended)"
    );
}

/// At `columns` wide; commit ages are those at the fixed clock of every test run.
fn run_view(args: &[&str], columns: &str, colour: bool) -> String {
    let mut env = vec![("COLUMNS", columns)];
    if colour {
        env.push(("CLICOLOR_FORCE", "1"));
    }
    let o = bbreport_env(&[&["--snapshot", &snap()][..], args].concat(), &env);
    assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
    let out = stdout(&o);
    if !colour {
        assert!(!out.contains('\u{1b}'), "no escape codes without colour");
        for line in out.lines() {
            assert!(
                line.chars().count() <= columns.parse().expect("number"),
                "wider than {columns}: {line:?}"
            );
        }
    }
    out
}

#[test]
fn waterfall_snapshots() {
    for (cols, colour) in [("80", false), ("120", false), ("120", true)] {
        let out = run_view(&["waterfall", "3.x"], cols, colour);
        let suffix = if colour { "-colour" } else { "" };
        expect_file(&format!("waterfall-3.x-{cols}{suffix}.txt"), &out);
    }
}

#[test]
fn console_snapshots() {
    for (branch, cols, colour) in [
        ("3.x", "80", false),
        ("3.x", "120", false),
        ("3.x", "120", true),
        ("3.13", "120", false),
    ] {
        let out = run_view(&["console", branch], cols, colour);
        let suffix = if colour { "-colour" } else { "" };
        expect_file(&format!("console-{branch}-{cols}{suffix}.txt"), &out);
    }
}

#[test]
fn ascii_fallback_has_no_unicode_symbols() {
    for args in [
        vec!["waterfall", "3.x", "--ascii"],
        vec!["console", "3.x", "--ascii"],
    ] {
        let out = run_view(&args, "120", false);
        assert!(
            !out.chars().any(|c| "✔⚠✘⊘⊗●┆·".contains(c)),
            "{args:?}:\n{out}"
        );
    }
    let o = bbreport_env(
        &["--snapshot", &snap(), "waterfall", "3.x"],
        &[("LANG", "C")],
    );
    assert!(
        !stdout(&o).contains('✔'),
        "a non-UTF-8 locale gets ASCII:\n{}",
        stdout(&o)
    );
}

#[test]
fn waterfall_json_matches_the_harness() {
    let m = fixture_manifest();
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "--format",
        "json",
        "waterfall",
        "--limit",
        "4",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    check_waterfall_json(&o, &m);
}

#[test]
fn console_json_puts_each_build_on_its_commit_and_marks_covered_ones() {
    let m = fixture_manifest();
    let o = bbreport(&["--snapshot", &snap(), "--format", "json", "console", "3.13"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    check_console_json(&o, &m, "3.13");
}

#[test]
fn console_filters_and_errors() {
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "--format",
        "json",
        "console",
        "3.x",
        "--stable",
        "--tier",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let names: Vec<&str> = v["builders"]
        .as_array()
        .expect("builders")
        .iter()
        .filter_map(|b| b["name"].as_str())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.iter().all(|n| !n.contains("Rawhide")), "{names:?}");
    let o = bbreport(&["--snapshot", &snap(), "console", "3.x", "-n", "*nothing*"]);
    assert_eq!(code(&o), 2);
    let o = bbreport(&["--snapshot", &snap(), "waterfall", "--since", "2 days"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}

#[test]
fn asking_for_more_than_the_snapshot_recorded_is_refused_not_shortened() {
    for args in [
        vec!["waterfall", "3.x", "--limit", "20"],
        vec!["console", "3.x", "--limit", "20"],
    ] {
        let o = bbreport(&[&["--snapshot", &snap()][..], &args[..]].concat());
        assert_eq!(code(&o), 7, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("holds 10 builds per builder, fewer than --limit 20"),
            "{}",
            stderr(&o)
        );
    }
    // Defaults fit themselves to what was recorded.
    for args in [vec!["waterfall", "3.x"], vec!["console", "3.x"]] {
        let o = bbreport_env(
            &[&["--snapshot", &snap()][..], &args[..]].concat(),
            &[("COLUMNS", "200")],
        );
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
    }
}
