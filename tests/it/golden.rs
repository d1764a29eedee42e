//! Goldens: stdout, stderr and exit code of every report in every format on the shipped
//! snapshot, one file per case in tests/fixtures/golden/ (`NAME.VARIANT.txt`): the command line,
//! `exit: N`, `--- stdout`, the stdout, `--- stderr`, the stderr. Each run has the hermetic
//! environment of `common::TestEnv` (fixed clock, COLUMNS=100, empty HOME and cache) and the
//! repository as its working directory; the temporary directory shows as `[TMP]`.
//!
//! `BBREPORT_BLESS=1 cargo test --test it golden` rewrites the files (and deletes those no case
//! makes any more); read `git diff tests/fixtures/golden` before committing them.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::*;

/// Relative to the repository root, the runs' working directory, so output that names the
/// snapshot is the same on every machine.
const SNAPSHOT: &str = "tests/fixtures/snapshot";

/// Stands for the run's temporary directory in arguments and in the golden files.
const TMP: &str = "[TMP]";

/// The config file of the `ascii` variants, written to `[TMP]/config.toml`.
const ASCII_CONFIG: &str = "ascii = true\n";

fn golden_dir() -> PathBuf {
    repo().join("tests/fixtures/golden")
}

#[derive(Debug)]
struct Case {
    /// The file is `tests/fixtures/golden/{name}.txt`.
    name: String,
    /// Added to the hermetic environment (shown before the command, as a shell would take it).
    env: Vec<(&'static str, &'static str)>,
    /// Written to `[TMP]/config.toml` before the run.
    config: Option<&'static str>,
    /// After `bbreport`; `[TMP]` is replaced by the temporary directory.
    args: Vec<String>,
}

/// How a report is asked for in each format. Text reports get all of them.
const FORMATS: &[(&str, &[&str], Option<&str>)] = &[
    ("plain", &["--format", "plain"], None),
    ("table", &["--format", "table"], None),
    ("json", &["--format", "json"], None),
    ("markdown", &["--format", "markdown"], None),
    ("html", &["--format", "html"], None),
    (
        "plain-colour",
        &["--format", "plain", "--color", "always"],
        None,
    ),
    (
        "plain-ascii",
        &["--config", "[TMP]/config.toml", "--format", "plain"],
        Some(ASCII_CONFIG),
    ),
    (
        "table-ascii",
        &["--config", "[TMP]/config.toml", "--format", "table"],
        Some(ASCII_CONFIG),
    ),
];

/// Reports that print something on the snapshot: (name, arguments after the global options).
const REPORTS: &[(&str, &[&str])] = &[
    ("summary", &[]),
    ("summary-v", &["-v"]),
    ("summary-q", &["-q"]),
    ("summary-qq", &["-qq"]),
    ("summary-url-q", &["--url", "-q"]),
    ("summary-q-3.x-3.14", &["-q", "3.x", "3.14"]),
    ("release-3.x", &["release", "3.x"]),
    ("release-3.14", &["release", "3.14"]),
    ("release", &["release"]),
    ("waterfall-3.x", &["waterfall", "3.x"]),
    ("console-3.x", &["console", "3.x"]),
];

/// Reports a snapshot cannot make (they need build logs, or the cache): the refusal is the
/// current behaviour, recorded in plain text and in JSON.
const REFUSED: &[(&str, &[&str])] = &[
    ("failures-3.x", &["failures", "3.x"]),
    (
        "build",
        &["build", "AMD64 Fedora Stable LTO + PGO 3.x", "4"],
    ),
    (
        "repro",
        &["repro", "AMD64 Fedora Stable LTO + PGO 3.x", "4"],
    ),
    ("cache-info-snapshot", &["cache", "info"]),
    ("digest-3.x", &["--since-last-run", "--only-changes", "3.x"]),
];

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let snapshot = ["--snapshot", SNAPSHOT];
    for (report, args) in REPORTS {
        for (variant, format, config) in FORMATS {
            cases.push(Case {
                name: format!("{report}.{variant}"),
                env: vec![],
                config: *config,
                args: owned(&[&snapshot[..], format, args].concat()),
            });
        }
    }
    for (report, args) in REFUSED {
        for (variant, format) in [("plain", "plain"), ("json", "json")] {
            cases.push(Case {
                name: format!("{report}.{variant}"),
                env: vec![],
                config: None,
                args: owned(&[&snapshot[..], &["--format", format], args].concat()),
            });
        }
    }
    // `cache info` on an empty cache (the temporary one): the one cache report that needs no
    // server. The server is a closed local port, never asked.
    for (variant, format, _) in &FORMATS[..5] {
        cases.push(Case {
            name: format!("cache-info.{variant}"),
            env: vec![],
            config: None,
            args: owned(
                &[
                    &["--server", "http://127.0.0.1:9/"][..],
                    format,
                    &["cache", "info"],
                ]
                .concat(),
            ),
        });
    }
    // No --format: what a pipe gets (plain); the README's first command.
    cases.push(Case {
        name: "summary-q-3.x.auto".into(),
        env: vec![],
        config: None,
        args: owned(&["--snapshot", SNAPSHOT, "-q", "3.x"]),
    });
    // The views at other widths; coloured through CLICOLOR_FORCE rather than --color; ASCII
    // from their own --ascii flag and from the config where names must be shortened.
    let ascii = Some(ASCII_CONFIG);
    let config_flag = ["--config", "[TMP]/config.toml"];
    for (view, branch) in [("waterfall", "3.x"), ("console", "3.x")] {
        for (variant, env, config, extra) in [
            ("auto-80", vec![("COLUMNS", "80")], None, &[][..]),
            ("auto-120", vec![("COLUMNS", "120")], None, &[]),
            (
                "auto-120-clicolor",
                vec![("CLICOLOR_FORCE", "1"), ("COLUMNS", "120")],
                None,
                &[],
            ),
            (
                "auto-60-ascii-flag",
                vec![("COLUMNS", "60")],
                None,
                &["--ascii"],
            ),
            ("plain-ascii-60", vec![("COLUMNS", "60")], ascii, &[]),
        ] {
            let global: &[&str] = if config.is_some() { &config_flag } else { &[] };
            cases.push(Case {
                name: format!("{view}-{branch}.{variant}"),
                env,
                config,
                args: owned(&[&["--snapshot", SNAPSHOT], global, &[view, branch], extra].concat()),
            });
        }
    }
    cases.push(Case {
        name: "console-3.13.auto-120".into(),
        env: vec![("COLUMNS", "120")],
        config: None,
        args: owned(&["--snapshot", SNAPSHOT, "console", "3.13"]),
    });
    // The release checklist for mail or an issue, with --ascii.
    for (variant, format) in [
        ("markdown-ascii-flag", "markdown"),
        ("html-ascii-flag", "html"),
    ] {
        cases.push(Case {
            name: format!("release.{variant}"),
            env: vec![],
            config: None,
            args: owned(&[
                "--snapshot",
                SNAPSHOT,
                "--ascii",
                "--format",
                format,
                "release",
            ]),
        });
    }
    cases
}

/// A word as a shell would need it quoted.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=+,[]@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// One output stream as stored: `[TMP]` for the temporary directory, and a marker when the
/// stream does not end with a newline (the file's next line must start on its own line).
fn stream(bytes: &[u8], what: &str, tmp: &str) -> String {
    let text = String::from_utf8(bytes.to_vec())
        .unwrap_or_else(|e| panic!("{what} is not UTF-8: {e}"))
        .replace(tmp, TMP);
    if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        format!("{text}\n\\ no newline at end of {what}\n")
    }
}

/// Run one case and render its golden file.
fn run(case: &Case) -> String {
    let env = TestEnv::new();
    let tmp = env
        .path()
        .to_str()
        .expect("UTF-8 temporary path")
        .to_string();
    if let Some(config) = case.config {
        std::fs::write(env.path().join("config.toml"), config).expect("write config");
    }
    let args: Vec<String> = case.args.iter().map(|a| a.replace(TMP, &tmp)).collect();
    let mut cmd = env.command();
    cmd.current_dir(repo()).args(&args);
    for (k, v) in &case.env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run bbreport");
    let mut file = String::from("$ ");
    for (k, v) in &case.env {
        file.push_str(&format!("{k}={} ", shell_word(v)));
    }
    file.push_str("bbreport");
    for a in &case.args {
        file.push(' ');
        file.push_str(&shell_word(a));
    }
    file.push('\n');
    if let Some(config) = case.config {
        for line in config.lines() {
            file.push_str(&format!("{TMP}/config.toml: {line}\n"));
        }
    }
    let code = out
        .status
        .code()
        .map_or_else(|| format!("{}", out.status), |c| c.to_string());
    file.push_str(&format!("exit: {code}\n--- stdout\n"));
    file.push_str(&stream(&out.stdout, "stdout", &tmp));
    file.push_str("--- stderr\n");
    file.push_str(&stream(&out.stderr, "stderr", &tmp));
    file
}

/// A line as the failure message shows it: control characters (colour codes) made visible.
fn visible(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A line of at most 160 characters as it is; a longer one cut to 160 around `column`.
fn clip(line: &str, column: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 160 {
        return line.to_string();
    }
    let start = column.saturating_sub(60).min(chars.len() - 160);
    let end = start + 160;
    let mut out = String::new();
    if start > 0 {
        out.push_str(&format!("[{start} chars…]"));
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push_str(&format!("[…{} chars]", chars.len() - end));
    }
    out
}

/// `None` when equal; else where the texts differ, as a unified-diff hunk: the lines between
/// their common beginning and their common end (the first eight of each side) between three
/// lines of context.
fn first_difference(want: &str, got: &str) -> Option<String> {
    if want == got {
        return None;
    }
    // split, not lines: a missing final newline is a difference too.
    let w: Vec<&str> = want.split('\n').collect();
    let g: Vec<&str> = got.split('\n').collect();
    let at = w.iter().zip(&g).take_while(|(a, b)| a == b).count();
    let common_end = w[at..]
        .iter()
        .rev()
        .zip(g[at..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (w_end, g_end) = (w.len() - common_end, g.len() - common_end);
    // Long lines (HTML) are shown around the first differing character of the first line.
    let column = match (w.get(at), g.get(at)) {
        (Some(a), Some(b)) => a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count(),
        _ => 0,
    };
    let mut out = format!("@@ line {} @@\n", at + 1);
    let show = |out: &mut String, mark: char, lines: &[&str]| {
        for line in lines.iter().take(8) {
            out.push_str(&format!("{mark}{}\n", visible(&clip(line, column))));
        }
        if lines.len() > 8 {
            out.push_str(&format!("{mark}[… {} more lines]\n", lines.len() - 8));
        }
    };
    show(&mut out, ' ', &w[at.saturating_sub(3)..at]);
    show(&mut out, '-', &w[at..w_end]);
    show(&mut out, '+', &g[at..g_end]);
    show(&mut out, ' ', &w[w_end..(w_end + 3).min(w.len())]);
    Some(out)
}

#[test]
fn every_report_and_format_matches_its_golden_file() {
    let cases = cases();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), cases.len(), "two cases share a name");
    let bless = std::env::var_os("BBREPORT_BLESS").is_some();
    let dir = golden_dir();
    if bless {
        std::fs::create_dir_all(&dir).expect("create the golden directory");
    }

    // A few runs at a time: each is a process of its own.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let file = run(case);
                    results.lock().expect("results").push((i, file));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results");
    results.sort();

    let mut failures = Vec::new();
    for (i, got) in results {
        let case = &cases[i];
        let path = dir.join(format!("{}.txt", case.name));
        let want = std::fs::read_to_string(&path).ok();
        if bless {
            if want.as_deref() != Some(got.as_str()) {
                std::fs::write(&path, &got).expect("write golden file");
            }
            continue;
        }
        match want {
            None => failures.push(format!("{}: no golden file {}", case.name, path.display())),
            Some(want) => {
                if let Some(diff) = first_difference(&want, &got) {
                    failures.push(format!("{} differs:\n{diff}", case.name));
                }
            }
        }
    }
    // Every file is some case's: a case that went away must take its file with it.
    for entry in std::fs::read_dir(&dir).expect("the golden directory") {
        let path = entry.expect("directory entry").path();
        let stem = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".txt"));
        if stem.is_some_and(|n| names.contains(n)) {
            continue;
        }
        if bless {
            std::fs::remove_file(&path).expect("remove a stale golden file");
        } else {
            failures.push(format!("{}: no case makes this file", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden files of {} cases differ or are missing or stale (if intended: BBREPORT_BLESS=1 \
         cargo test --test it golden, then read git diff tests/fixtures/golden):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn a_changed_byte_is_a_difference_and_shows_where() {
    assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
    assert_eq!(
        first_difference("a\nb\nc\n", "a\nB\nc\n").as_deref(),
        Some("@@ line 2 @@\n a\n-b\n+B\n c\n \n")
    );
    // A line added or removed, a missing final newline, colour codes: all shown.
    assert_eq!(
        first_difference("a\nc\n", "a\nb\nc\n").as_deref(),
        Some("@@ line 2 @@\n a\n+b\n c\n \n")
    );
    assert_eq!(
        first_difference("x\n", "x").as_deref(),
        Some("@@ line 2 @@\n x\n-\n")
    );
    assert!(
        first_difference("\u{1b}[31mx\n", "\u{1b}[32mx\n")
            .expect("differs")
            .contains("-\\u{1b}[31mx\n+\\u{1b}[32mx\n")
    );
    let long = format!("{}X{}", "a".repeat(300), "b".repeat(300));
    let diff = first_difference(&long, &long.replace('X', "Y")).expect("differs");
    assert!(
        diff.contains("-[240 chars…]aaaa") && diff.contains("X") && diff.contains("[…201 chars]")
    );
    assert_eq!(shell_word("AMD64 Fedora 3.x"), "'AMD64 Fedora 3.x'");
    assert_eq!(shell_word("[TMP]/config.toml"), "[TMP]/config.toml");
}
