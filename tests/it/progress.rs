//! The progress line: on a terminal's stderr during a slow fetch, never when stderr is not a
//! terminal or with --no-progress, and gone before the report is printed. A slow master is a
//! stub (a real one cannot be made slow on demand); the terminal is util-linux `script`'s pty.

use std::process::Command;
use std::time::Duration;

use crate::common::stub::{json, master_with_builds, one_build};
use crate::common::*;

/// A master that takes 700 ms to answer each builds query.
fn slow_master() -> String {
    master_with_builds(|| {
        std::thread::sleep(Duration::from_millis(700));
        json(&one_build(1))
    })
}

/// Run bbreport with stdout and stderr on a pseudo-terminal; returns what the terminal showed.
fn on_a_terminal(args: &[&str]) -> String {
    let env = TestEnv::new();
    let command = std::iter::once(env!("CARGO_BIN_EXE_bbreport").to_string())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let out = env
        .apply(Command::new("script").args(["-qec", &command, "/dev/null"]))
        .env("TERM", "xterm")
        .output()
        .expect("run script(1) from util-linux");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn a_slow_fetch_shows_progress_on_a_terminal_and_clears_it() {
    let url = slow_master();
    let screen = on_a_terminal(&["--server", &url, "--no-color", "-q"]);
    assert!(
        screen.contains("fetching from") && screen.contains("requests done"),
        "{screen}"
    );
    // The report itself comes after the line was cleared (erase-line), intact.
    assert!(screen.contains("\u{1b}[2K"), "{screen:?}");
    let report = screen
        .rsplit("\u{1b}[2K")
        .next()
        .expect("the progress line is erased");
    assert!(report.contains("Totals:"), "{report}");
}

#[test]
fn no_progress_without_a_terminal_or_with_no_progress() {
    let url = slow_master();
    let piped = bbreport(&["--server", &url, "-q"]);
    assert_eq!(code(&piped), 0, "{}", stderr(&piped));
    assert!(stderr(&piped).is_empty(), "{}", stderr(&piped));
    let screen = on_a_terminal(&["--server", &url, "--no-progress", "--no-color", "-q"]);
    assert!(!screen.contains("fetching from"), "{screen}");
    assert!(screen.contains("Totals:"), "{screen}");
}
