//! `waterfall` and `console` on the shipped snapshot: width, colour and ASCII rules (their
//! output is in the goldens, tests/it/golden.rs), and their JSON against what the harness ran.

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

fn fixture_manifest() -> Manifest {
    load_manifest(&repo().join("tests/fixtures/snapshot-manifest.json"))
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

/// What they print at 80 and 120 columns, with and without colour, is in the goldens
/// (tests/fixtures/golden/{waterfall,console}-*.auto-*.txt); here, the rules it keeps.
#[test]
fn views_fit_the_width_and_colour_only_when_asked() {
    for view in [
        ["waterfall", "3.x"],
        ["console", "3.x"],
        ["console", "3.13"],
    ] {
        for columns in ["80", "120"] {
            run_view(&view, columns, false);
        }
        let coloured = run_view(&view, "120", true);
        assert!(
            coloured.contains("\u{1b}["),
            "{view:?}: CLICOLOR_FORCE colours"
        );
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
        let flag = if args[0] == "console" {
            "--limit"
        } else {
            "--builds"
        };
        assert!(
            stderr(&o).contains(&format!(
                "holds 10 builds per builder, fewer than {flag} 20"
            )),
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
