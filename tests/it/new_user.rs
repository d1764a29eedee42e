//! What a new user hits (issue 13): each item is a run of the binary with its exact command,
//! the fragment of output that matters and the exit code.

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

/// Run with a config file holding `text`.
fn with_config(text: &str, args: &[&str]) -> std::process::Output {
    let env = TestEnv::new();
    let path = env.path().join("my-config.toml");
    std::fs::write(&path, text).expect("write config");
    let path = path.to_str().expect("utf-8").to_string();
    let mut all = vec!["--config", &path];
    all.extend_from_slice(args);
    env.run(&all, &[])
}

#[test]
fn config_values_the_flags_refuse_exit_3_naming_file_line_and_key() {
    for (text, fragment) in [
        (
            "timeout = 0\n",
            "my-config.toml: line 1: timeout = 0: must be between 1 and 3600",
        ),
        (
            "limit = 0\n",
            "line 1: limit = 0: must be between 1 and 100",
        ),
        (
            "branches = ['3.x']\nlimit = 1000\n",
            "line 2: limit = 1000: must be between 1 and 100, as for --limit",
        ),
    ] {
        let o = with_config(text, &["--snapshot", &snap(), "-q", "3.x"]);
        assert_eq!(code(&o), 3, "{text:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(fragment), "{text:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn known_issue_rule_with_an_unknown_symptom_exits_3() {
    let env = TestEnv::new();
    let rules = env.path().join("known.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nissue = 'gh-1'\ntest = 'test_os'\nsymptom = 'timeout'\n",
    )
    .expect("write rules");
    let o = env.run(
        &["--snapshot", &snap(), "-q", "3.x"],
        &[("BBREPORT_KNOWN_ISSUES", rules.to_str().expect("utf-8"))],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rule 1 (symptom): 'timeout' matches no symptom; expected one of: failed, passed on re-run, timed out, crashed"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_mistyped_subcommand_is_named_before_any_request() {
    // Port 9 (discard) refuses: had a request been made, the error would be "connection refused".
    let o = bbreport(&["--server", "http://127.0.0.1:9/", "relase", "3.14"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "bbreport: error: unknown subcommand or branch 'relase'\nhint: did you mean `bbreport release`?\n"
    );
}

#[test]
fn an_empty_branch_is_a_usage_error_not_every_branch() {
    let snap = snap();
    for args in [&["-q", ""][..], &["-b", "3.x,", "-q"]] {
        let mut all = vec!["--snapshot", snap.as_str()];
        all.extend_from_slice(args);
        let o = bbreport(&all);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("an empty branch name was given"),
            "{}",
            stderr(&o)
        );
        assert!(stdout(&o).is_empty());
    }
}
