//! Every README example that runs on the shipped snapshot (a code block starting with
//! `$ bbreport --snapshot …`) or on a file of the repository (`$ bbreport log FILE`, which needs
//! no server) is run, and its output must match the block. A line `…` in a
//! block skips any number of lines. `BBREPORT_BLESS=1` rewrites blocks without `…`.

use crate::common::*;

/// Shell-like split: spaces separate words, single and double quotes group them.
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in cmd.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ') => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// Expected output matches when its `…`-separated segments appear in order.
fn matches(expected: &str, actual: &str) -> bool {
    let actual: Vec<&str> = actual.lines().collect();
    let mut at = 0;
    let mut segment: Vec<&str> = Vec::new();
    let mut segments: Vec<Vec<&str>> = Vec::new();
    for line in expected.lines() {
        if line.trim() == "…" {
            segments.push(std::mem::take(&mut segment));
        } else {
            segment.push(line);
        }
    }
    segments.push(segment);
    let elided = segments.len() > 1;
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            continue;
        }
        let found = (at..=actual.len().saturating_sub(seg.len()))
            .find(|&start| actual[start..start + seg.len()] == seg[..]);
        match found {
            Some(start) if i == 0 && start != 0 => return false,
            Some(start) => at = start + seg.len(),
            None => return false,
        }
    }
    elided || at == actual.len()
}

#[test]
fn readme_snapshot_examples_produce_their_output() {
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README");
    let bless = std::env::var_os("BBREPORT_BLESS").is_some();
    let mut rewritten = readme.clone();
    let mut checked = 0;
    for block in readme.split("```").skip(1).step_by(2) {
        let block = block
            .strip_prefix("sh\n")
            .or_else(|| block.strip_prefix('\n'))
            .unwrap_or(block);
        let Some(first) = block.lines().next() else {
            continue;
        };
        let (verb, cmd) = if let Some(cmd) = first.strip_prefix("$ bbreport --snapshot ") {
            ("--snapshot", cmd)
        } else if let Some(cmd) = first.strip_prefix("$ bbreport log ") {
            ("log", cmd)
        } else {
            continue;
        };
        let (cmd, with_exit) = match cmd.strip_suffix("; echo \"exit $?\"") {
            Some(c) => (c, true),
            None => (cmd, false),
        };
        let mut args = vec![verb.to_string()];
        args.extend(words(cmd));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = bbreport(&args);
        let mut actual = stdout(&o);
        if actual.is_empty() {
            actual = stderr(&o);
        }
        if with_exit {
            actual.push_str(&format!("exit {}\n", code(&o)));
        }
        let expected: String = block.lines().skip(1).map(|l| format!("{l}\n")).collect();
        if bless && !expected.lines().any(|l| l.trim() == "…") {
            rewritten = rewritten.replacen(
                &format!("{first}\n{expected}"),
                &format!("{first}\n{actual}"),
                1,
            );
        } else {
            assert!(
                matches(&expected, &actual),
                "README example `{first}` differs.\nREADME:\n{expected}\nactual:\n{actual}"
            );
        }
        checked += 1;
    }
    if bless {
        std::fs::write(&path, rewritten).expect("write README");
    }
    assert!(
        checked >= 5,
        "only {checked} README examples found: the snapshot examples went missing"
    );
}

#[test]
fn elision_matcher() {
    assert!(matches("a\n…\nd\n", "a\nb\nc\nd\n"));
    assert!(!matches("a\n…\nx\n", "a\nb\n"));
    assert!(!matches("b\n", "a\nb\n"), "no elision: must match whole");
    assert_eq!(words("-n '*LTO*' 3.x"), ["-n", "*LTO*", "3.x"]);
}
