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
            "line 2: limit = 1000: must be between 1 and 100, as for --builds",
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

#[test]
fn a_flag_typed_on_the_command_line_wins_over_the_environment() {
    // BBREPORT_SERVER exported (a refusing port): --snapshot still reads the snapshot.
    let o = bbreport_env(
        &["--snapshot", &snap(), "-q", "3.x"],
        &[("BBREPORT_SERVER", "http://127.0.0.1:9/")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("\nSelected builders: 16 / 92"));
    // BBREPORT_SNAPSHOT exported: --server goes to the server (here: refused, exit 4).
    let o = bbreport_env(
        &[
            "--server",
            "http://127.0.0.1:9/",
            "--timeout",
            "2",
            "-q",
            "3.x",
        ],
        &[("BBREPORT_SNAPSHOT", &snap())],
    );
    assert!(stderr(&o).contains("127.0.0.1:9"), "{}", stderr(&o));
    assert_ne!(code(&o), 0);
    assert_ne!(code(&o), 2, "not a usage error: {}", stderr(&o));
    // The environment alone still works.
    let o = bbreport_env(&["-q", "3.x"], &[("BBREPORT_SNAPSHOT", &snap())]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn credentials_in_a_server_url_are_never_printed() {
    let secret_url = "http://alice:s3cret@127.0.0.1:9/all/";
    let env = TestEnv::new();
    for args in [&["--server", secret_url, "-q", "3.x"][..], &["-q", "3.x"]] {
        let o = env.run(args, &[("BBREPORT_SERVER", secret_url)]);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        let err = stderr(&o);
        assert!(!err.contains("s3cret") && !err.contains("alice"), "{err}");
        assert!(err.contains("BBREPORT_TOKEN"), "{err}");
    }
    // --help never shows environment values.
    let o = env.run(&["--help"], &[("BBREPORT_CONFIG", "/secret/path.toml")]);
    assert!(!stdout(&o).contains("/secret/path.toml"), "{}", stdout(&o));
    // No cache file was named after the URL.
    let cache = env.cache_dir();
    let names: Vec<String> = std::fs::read_dir(&cache)
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(names.iter().all(|n| !n.contains("s3cret")), "{names:?}");
}

#[test]
fn a_gateway_error_says_overloaded_or_restarting_and_is_not_counted_as_json() {
    use crate::common::stub::{Reply, master_with_builds};
    let url = master_with_builds(|| {
        Reply::Body(
            502,
            "text/html",
            b"<html><title>502 Bad Gateway</title></html>".to_vec(),
        )
    });
    let o = bbreport(&["--server", &url, "--stats", "-q"]);
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("hint: the master or the proxy in front of it is overloaded or restarting; try again in a minute, or use --offline"),
        "{err}"
    );
    assert!(!err.contains("may not be a Buildbot master"), "{err}");
    // The builders and workers lists were JSON; the three 502 pages (two retries) were not.
    let stats = err
        .lines()
        .find(|l| l.contains(" requests"))
        .expect("stats line");
    let json: &str = stats
        .split(" received (")
        .nth(1)
        .and_then(|s| s.split(" of JSON").next())
        .expect("json bytes");
    assert!(!json.starts_with("0 B"), "the lists were JSON: {stats}");
    assert!(
        stats.contains("were retries") || stats.contains("was a retry"),
        "{stats}"
    );
}

#[test]
fn https_to_a_plain_http_port_names_the_tls_handshake() {
    use crate::common::stub::{Reply, serve};
    // A plain-HTTP server that, like Twisted, waits for a request line a TLS hello never ends.
    let stub = serve(|_| Reply::Body(200, "application/json", b"{}".to_vec()));
    let https = stub.url.replace("http://", "https://");
    let o = bbreport(&["--server", &https, "--timeout", "3", "-q"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 4, "{err}");
    assert!(err.contains("TLS handshake failed"), "{err}");
    assert!(err.contains("use http:// in --server"), "{err}");
    assert!(!err.contains("raise --timeout"), "{err}");
}

#[test]
fn colour_follows_flag_then_environment_then_config() {
    let snap = snap();
    let escapes = |config: &str, args: &[&str], env: &[(&str, &str)]| {
        let t = TestEnv::new();
        let path = t.path().join("c.toml");
        std::fs::write(&path, config).expect("config");
        let path = path.to_str().expect("utf-8").to_string();
        let mut all = vec!["--config", path.as_str(), "--snapshot", snap.as_str()];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-q", "3.x"]);
        stdout(&t.run(&all, env)).matches('\u{1b}').count()
    };
    assert_eq!(escapes("color = 'always'\n", &[], &[("NO_COLOR", "1")]), 0);
    assert!(escapes("color = 'never'\n", &[], &[("CLICOLOR_FORCE", "1")]) > 0);
    assert!(
        escapes(
            "color = 'never'\n",
            &["--color", "always"],
            &[("NO_COLOR", "1")]
        ) > 0
    );
    assert!(escapes("color = 'always'\n", &[], &[]) > 0);
}

#[test]
fn usage_errors_are_found_before_any_request() {
    // Port 9 refuses: a request would end in exit 4, not 2.
    for (args, message) in [
        (&["release", ""][..], "an empty branch name was given"),
        (&["waterfall", ""], "an empty branch name was given"),
        (&["console", ""], "an empty branch name was given"),
        (&["failures", ""], "an empty branch name was given"),
        (
            &["--no-cache", "--since-last-run", "3.x"],
            "--since-last-run keeps its state in the cache",
        ),
    ] {
        let mut all = vec!["--server", "http://127.0.0.1:9/"];
        all.extend_from_slice(args);
        let o = bbreport(&all);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    let o = bbreport(&["--server", "http://127.0.0.1:9/", "-v", "release", "3.x"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("put them after the subcommand"),
        "{}",
        stderr(&o)
    );
}
