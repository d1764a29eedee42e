//! Links in text reports: `--url` prints them; on terminals, builder names are OSC 8
//! hyperlinks that do not move a column (shipped snapshot, no network).

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_string_lossy().to_string()
}

/// What a terminal shows: text without colour (CSI) and hyperlink (OSC, BEL-ended) sequences.
fn visible(s: &str) -> String {
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

#[test]
fn url_prints_each_builders_link() {
    let s = snap();
    let o = bbreport(&["--snapshot", &s, "-q", "3.x", "--url"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" 3.x ")).collect();
    assert_eq!(rows.len(), 16);
    for row in &rows {
        let url = row.rsplit("  ").next().expect("a last field");
        assert!(
            url.starts_with("http://") && url.contains("/#/builders/"),
            "{row}"
        );
        // A failing builder links to its failed build, the others to the builder.
        let failing = row.contains("failed") || row.contains("exception");
        assert_eq!(failing, url.contains("/builds/"), "{row}");
    }
    let r = bbreport(&["--snapshot", &s, "release", "3.x", "--url"]);
    let evidence: Vec<String> = stdout(&r)
        .lines()
        .filter(|l| l.starts_with("  X  ") || l.starts_with("  !  "))
        .map(str::to_string)
        .collect();
    assert!(!evidence.is_empty());
    assert!(
        evidence.iter().all(|l| l.contains("  http://")),
        "{evidence:?}"
    );
}

#[test]
fn hyperlinks_never_move_a_column_and_stay_out_of_pipes() {
    let s = snap();
    let args = [
        "--snapshot",
        s.as_str(),
        "-q",
        "3.x",
        "--format",
        "table",
        "--color",
        "always",
    ];
    let linked = bbreport_env(&args, &[("BBREPORT_HYPERLINKS", "1")]);
    let plain = bbreport_env(&args, &[("BBREPORT_HYPERLINKS", "0")]);
    let linked = stdout(&linked);
    assert!(linked.contains("\u{1b}]8;;http://"), "{linked}");
    assert_eq!(visible(&linked), visible(&stdout(&plain)));
    for args in [
        &["--snapshot", s.as_str(), "-q", "3.x"][..],
        &["--snapshot", s.as_str(), "release"],
    ] {
        let piped = bbreport(args);
        assert!(
            !stdout(&piped).contains("\u{1b}]"),
            "no OSC when not a terminal"
        );
    }
    let md = bbreport_env(
        &[
            "--snapshot",
            s.as_str(),
            "-q",
            "3.x",
            "--format",
            "markdown",
        ],
        &[("BBREPORT_HYPERLINKS", "1")],
    );
    assert!(!stdout(&md).contains('\u{1b}'), "never in markdown");
}
