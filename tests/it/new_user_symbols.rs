//! What a new user hits (issue 13), the output kinds: tables that fit the terminal, a symbol of
//! its own for every result, colour that only adds colour, and `release` worker health that
//! counts instead of listing. Each test is a run of the binary with its exact command, the
//! fragment of output that matters and the exit code.

use crate::common::stub::{fleet_pages, json, serve};
use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

/// `s` without the escape sequences colour and hyperlinks add (CSI … m, OSC 8 … BEL).
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            Some(']') => {
                for d in chars.by_ref() {
                    if d == '\u{7}' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A 3.x builder (id 1) whose four newest builds are, newest first: retry, cancelled, skipped,
/// failure; builders 2 and 3 pass.
fn master_with_every_result() -> String {
    let (builders, workers) = fleet_pages(3);
    let build = |buildid: u32, builderid: u32, number: u32, results: u32| {
        format!(
            r#"{{"buildid":{buildid},"builderid":{builderid},"number":{number},"results":{results},"complete":true,"started_at":1795390000,"complete_at":1795390100,"state_string":"build {number}"}}"#
        )
    };
    let builds = [
        build(14, 1, 4, 5),
        build(13, 1, 3, 6),
        build(12, 1, 2, 3),
        build(11, 1, 1, 2),
        build(21, 2, 1, 0),
        build(31, 3, 1, 0),
    ];
    let page = format!(
        r#"{{"builds":[{}],"meta":{{"total":{}}}}}"#,
        builds.join(","),
        builds.len()
    );
    serve(move |path| {
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else {
            json(&page)
        }
    })
    .url
}

#[test]
fn retry_cancelled_and_skipped_have_symbols_of_their_own() {
    let url = master_with_every_result();
    // Plain text: the old tool's symbols, one per result.
    let o = bbreport(&["--server", &url, "-q", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("# Builder1 3.x  failure    @ 4, x 3, - 2, # 1"),
        "{}",
        stdout(&o)
    );
    // The table and its legend: the dashboard's glyphs, and the legend names them all.
    let o = bbreport(&["--server", &url, "-q", "--format", "table", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("↺4 ⊗3 ⊖2 ✘1"), "{out}");
    assert!(
        out.contains(
            "✔ success  ⚠ warnings  ✘ failure  ⊘ exception  ↺ retry  ⊗ cancelled  ⊖ skipped  ● running"
        ),
        "{out}"
    );
    // ASCII tables use the plain symbols, legend included.
    let o = bbreport(&[
        "--server", &url, "-q", "--format", "table", "--ascii", "3.x",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("@4 x3 -2 #1"), "{out}");
    assert!(
        out.contains("_ success  ~ warnings  # failure  ? exception  @ retry  x cancelled  - skipped  * running"),
        "{out}"
    );
    // Every build listed under its builder carries its symbol.
    let o = bbreport(&["--server", &url, "-v", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for line in ["@     4: retry", "x     3: cancelled", "-     2: skipped"] {
        assert!(stdout(&o).contains(line), "{line}:\n{}", stdout(&o));
    }
}

#[test]
fn waterfall_and_console_legends_name_retry_and_skipped() {
    for args in [&["waterfall", "3.x"][..], &["console", "3.x"]] {
        let mut all = vec![
            "--snapshot".to_string(),
            snap(),
            "--format".into(),
            "table".into(),
        ];
        all.extend(args.iter().map(|a| a.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = bbreport(&all);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("↺ retry  ⊗ cancelled  ⊖ skipped  ● running"),
            "{args:?}:\n{}",
            stdout(&o)
        );
    }
}

/// `--color always` into a pipe: the same text, symbols and layout as `--color never`, plus
/// escape codes.
#[test]
fn colour_only_adds_colour() {
    let snap = snap();
    let url = master_with_every_result();
    let cases: Vec<Vec<&str>> = vec![
        vec!["--snapshot", &snap, "3.x"],
        vec!["--snapshot", &snap, "-v", "3.x"],
        vec!["--snapshot", &snap, "-q", "3.x"],
        vec!["--snapshot", &snap, "-q", "--url", "3.x"],
        vec!["--snapshot", &snap, "-qq", "3.x", "3.14"],
        vec!["--snapshot", &snap, "release"],
        vec!["--snapshot", &snap, "release", "--url", "3.x"],
        vec!["--snapshot", &snap, "waterfall", "3.x"],
        vec!["--snapshot", &snap, "console", "3.x"],
        vec!["--server", &url, "-v", "3.x"],
    ];
    for args in cases {
        for (format, columns) in [("plain", "100"), ("table", "100"), ("table", "60")] {
            let mut never = args.clone();
            never.extend(["--format", format, "--color", "never"]);
            let mut always = args.clone();
            always.extend(["--format", format, "--color", "always"]);
            let env = [("COLUMNS", columns)];
            let (never, always) = (bbreport_env(&never, &env), bbreport_env(&always, &env));
            assert_eq!(code(&never), code(&always), "{args:?} {format}");
            let coloured = stdout(&always);
            assert!(
                coloured.contains("\u{1b}["),
                "{args:?} {format}: no colour at all:\n{coloured}"
            );
            assert_eq!(
                strip_ansi(&coloured),
                stdout(&never),
                "{args:?} --format {format} at {columns} columns: colour changed more than colour"
            );
        }
    }
    // The summary keeps its symbols in colour (the old tool dropped them).
    let o = bbreport(&["--snapshot", &snap, "-q", "--color", "always", "3.x"]);
    assert_eq!(code(&o), 0);
    assert!(
        strip_ansi(&stdout(&o)).contains(
            "# AMD64 Fedora Stable LTO + PGO 3.x        failure    # 4, # 3, # 2, # 1  failed test"
        ),
        "{}",
        stdout(&o)
    );
}

/// Whether a line is a link alone (the one thing allowed past the width: a URL is never cut).
fn link_alone(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("http") && !t.contains(' ')
}

/// Every line fits `columns`, except a URL alone on its line; and (but in grids of glyphs) no
/// cell is printed letter by letter (a line whose words are each one character long).
fn assert_fits(args: &[&str], columns: usize, out: &str) {
    let glyph_grid = matches!(args.first(), Some(&"console" | &"waterfall"));
    use unicode_width::UnicodeWidthStr;
    for line in out.lines() {
        assert!(
            line.width() <= columns || link_alone(line),
            "{args:?} at {columns} columns: a line of {} columns:\n{line}\n\n{out}",
            line.width()
        );
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(
            glyph_grid || words.is_empty() || words.iter().any(|w| w.chars().count() > 1),
            "{args:?} at {columns} columns: letter by letter:\n{out}"
        );
    }
}

#[test]
fn tables_fit_the_terminal_and_never_cut_links() {
    let snap = snap();
    // The summary's and release's tables down to 40 columns (the narrowest bbreport lays out);
    // -qq, waterfall and console from 60.
    let cases: [(&[&str], usize); 9] = [
        (&["-q", "--url", "3.x"], 40),
        (&["-q", "--url"], 40),
        (&["--url", "-v", "3.x", "3.14"], 40),
        (&["-q", "3.x"], 40),
        (&["release", "--url", "3.x"], 40),
        (&["release", "--url"], 40),
        (&["-qq"], 60),
        (&["waterfall"], 60),
        (&["console", "3.x"], 60),
    ];
    for (args, narrowest) in cases {
        for columns in [40, 60, 80, 100, 200]
            .into_iter()
            .filter(|c| *c >= narrowest)
        {
            let mut all = vec!["--snapshot", snap.as_str(), "--format", "table"];
            all.extend_from_slice(args);
            let cols = columns.to_string();
            let o = bbreport_env(&all, &[("COLUMNS", &cols)]);
            assert!(matches!(code(&o), 0 | 10), "{args:?}: {}", stderr(&o));
            let out = stdout(&o);
            assert_fits(args, columns, &out);
            // Links are whole: each is a line of its own or the end of a table row.
            if args.contains(&"--url") {
                let links = out.matches("http://127.0.0.1:36573/#/builders/").count();
                assert!(links > 0, "{args:?} at {columns}: no links\n{out}");
                // The data-age note names the server root; every other URL is a link.
                for line in out
                    .lines()
                    .filter(|l| l.contains("http") && !l.ends_with("http://127.0.0.1:36573/"))
                {
                    let url = line.split_whitespace().last().expect("a word");
                    assert!(
                        url.starts_with("http://127.0.0.1:36573/#/builders/")
                            && url[34..]
                                .chars()
                                .all(|c| c.is_ascii_digit() || "/builds".contains(c)),
                        "{args:?} at {columns}: a cut link {url:?}\n{out}"
                    );
                }
            }
        }
    }
}

/// The exact complaint: `-q --url 3.x --format table` at 100 columns squeezed "Last failure" to
/// one character and wrapped the URLs.
#[test]
fn summary_table_with_links_at_100_columns_keeps_its_failure_column() {
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "-q",
        "--url",
        "3.x",
        "--format",
        "table",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            " Builder                                  Tier  Status     Builds       Last failure\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            " AMD64 Fedora Stable LTO + PGO 3.x        1     failure    ✘4 ✘3 ✘2 ✘1  #4 failed test\n    http://127.0.0.1:36573/#/builders/24/builds/4\n"
        ),
        "{out}"
    );
    // Wide enough, the links stay in their column.
    let o = bbreport_env(
        &[
            "--snapshot",
            &snap(),
            "-q",
            "--url",
            "3.x",
            "--format",
            "table",
        ],
        &[("COLUMNS", "200")],
    );
    assert!(
        stdout(&o).contains("#4 failed test     http://127.0.0.1:36573/#/builders/24/builds/4\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn release_table_with_links_keeps_links_whole_and_moves_columns_below_when_narrow() {
    let o = bbreport_env(
        &[
            "--snapshot",
            &snap(),
            "release",
            "--url",
            "3.x",
            "--format",
            "table",
        ],
        &[("COLUMNS", "60")],
    );
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "   ✘  AMD64 Fedora      tier-1  persistent,        #1\n      Stable LTO + PGO          failed 4 in a row\n      3.x\n       Latest: #4 failed test\n       http://127.0.0.1:36573/#/builders/24/builds/4\n"
        ),
        "{out}"
    );
}

/// A master with `n` builders on 3.x, each with one successful build: builders 1 and 2 are
/// stable tier-1 (release-blocking), the rest stable tier-3. Builders numbered above
/// `disconnected` have a connected worker; the others' worker is not connected.
fn master_with_offline_builders(n: u32, disconnected: u32) -> String {
    let builders: Vec<String> = (1..=n)
        .map(|i| {
            let tier = if i <= 2 { "tier-1" } else { "tier-3" };
            format!(
                r#"{{"builderid":{i},"name":"Builder{i} 3.x","masterids":[1],"tags":["3.x","stable","{tier}"]}}"#
            )
        })
        .collect();
    let configured = |ids: Vec<u32>| -> String {
        ids.iter()
            .map(|i| format!(r#"{{"builderid":{i},"masterid":1}}"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let workers = format!(
        r#"{{"workers":[{{"workerid":1,"name":"up","connected_to":[{{"masterid":1}}],"configured_on":[{}],"paused":false}},{{"workerid":2,"name":"down","connected_to":[],"configured_on":[{}],"paused":false}}],"meta":{{"total":2}}}}"#,
        configured((disconnected + 1..=n).collect()),
        configured((1..=disconnected).collect()),
    );
    let builders = format!(
        r#"{{"builders":[{}],"meta":{{"total":{n}}}}}"#,
        builders.join(",")
    );
    let builds: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"buildid":{i},"builderid":{i},"number":1,"results":0,"complete":true,"started_at":1795390000,"complete_at":1795390100,"state_string":"build successful"}}"#))
        .collect();
    let builds = format!(
        r#"{{"builds":[{}],"meta":{{"total":{n}}}}}"#,
        builds.join(",")
    );
    serve(move |path| {
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else {
            json(&builds)
        }
    })
    .url
}

#[test]
fn release_counts_disconnected_builders_and_names_only_the_blocking_ones() {
    // 140 builders, 134 disconnected, two of those release-blocking.
    let url = master_with_offline_builders(140, 134);
    let o = bbreport(&["--server", &url, "release", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "\n  Worker health: 134 disconnected; release-blocking: Builder1 3.x (tier-1), Builder2 3.x (tier-1); -v names the other 132\n"
        ),
        "{out}"
    );
    assert!(!out.contains("Builder3 3.x"), "{out}");
    assert!(!out.contains("lost its workers"), "{out}");
    assert!(out.lines().all(|l| l.len() < 200), "{out}");
    // -v names the rest, one per line.
    let o = bbreport(&["--server", &url, "release", "-v", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("; release-blocking: Builder1 3.x (tier-1), Builder2 3.x (tier-1); the other 132:\n    Builder10 3.x (tier-3)\n    Builder100 3.x (tier-3)\n"),
        "{out}"
    );
    assert!(out.contains("\n    Builder134 3.x (tier-3)\n"), "{out}");
    assert!(!out.contains("Builder135 3.x"), "{out}");
    // JSON lists them all, as before.
    let o = bbreport(&["--server", &url, "--format", "json", "release", "3.x"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        v["branches"][0]["disconnected"].as_array().map(Vec::len),
        Some(134)
    );
}

#[test]
fn release_says_so_in_one_line_when_every_builder_is_disconnected() {
    let url = master_with_offline_builders(134, 134);
    for args in [
        &["release", "3.x"][..],
        &["release", "--format", "table", "3.x"],
    ] {
        let mut all = vec!["--server", url.as_str()];
        all.extend_from_slice(args);
        let o = bbreport(&all);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let out = stdout(&o);
        let line = "All 134 builders of 3.x are disconnected: the master has probably lost its workers (a master or network problem, not 134 failures); the verdicts rest on their last builds.";
        // In the table, the same words broken to fit 100 columns.
        let flat = out.replace("\n  ", " ");
        assert!(flat.contains(line), "{args:?}:\n{out}");
        assert!(
            flat.contains("Worker health: all 134 builders disconnected (2 of them release-blocking); -v names them"),
            "{args:?}:\n{out}"
        );
        assert!(!out.contains("Builder1 3.x"), "{args:?}:\n{out}");
    }
    // Markdown says it too.
    let o = bbreport(&["--server", &url, "--format", "markdown", "release", "3.x"]);
    assert!(
        stdout(&o).contains(
            "**All 134 builders of 3.x are disconnected: the master has probably lost its workers"
        ),
        "{}",
        stdout(&o)
    );
}
