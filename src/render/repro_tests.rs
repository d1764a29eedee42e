//! Unit tests of `repro.rs` (kept apart: they are as long as the code).

use crate::api::ServerUrl;
use crate::api::types::{Build, Builder};
use crate::model::regrtest::{LogSummary, RunMode};
use crate::model::repro::plan;
use crate::render::{Format, Settings, write};
use crate::report::header::ReportOrigin;
use crate::report::repro::{ReproInput, ReproReport};

fn summary(order: &[&str], failed: &[&str], mode: Option<RunMode>) -> LogSummary {
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    LogSummary {
        order: list(order),
        failed: list(failed),
        mode,
        seed: Some(1004),
        command: Some(
            "/usr/bin/python3 -m test -r -u all --timeout=1200 --dont-add-python-opts".into(),
        ),
        ..LogSummary::default()
    }
}

fn report(s: &LogSummary) -> ReproReport {
    report_at(s, Some("8a163284d6c0ffee"))
}

/// The report of a build whose `got_revision` is `revision`.
fn report_at(s: &LogSummary, revision: Option<&str>) -> ReproReport {
    report_with(s, revision, None)
}

/// The report of a build whose `got_revision` is `revision`, its files in `out` (`--out`).
fn report_with(
    s: &LogSummary,
    revision: Option<&str>,
    out: Option<&std::path::Path>,
) -> ReproReport {
    let plan = plan(s).expect("a plan");
    let mut build = Build::for_test(124, 14, 4, Some(2));
    if let Some(rev) = revision {
        build
            .properties
            .insert("got_revision".into(), serde_json::json!([rev, "Git"]));
    }
    let builder = Builder {
        builderid: 14,
        name: "AMD64 Fedora Stable 3.x".into(),
        masterids: vec![1],
        tags: Vec::new(),
    };
    let server = ServerUrl::parse("http://127.0.0.1:8010/").expect("url");
    let input = ReproInput {
        builder: &builder,
        build: &build,
        plan: &plan,
        out,
    };
    ReproReport::new(input, &ReportOrigin::for_test(&server))
}

fn render(r: &ReproReport, format: Format) -> String {
    let mut out = Vec::new();
    write(r, format, &mut out, &Settings::plain()).expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn sequential() -> LogSummary {
    summary(
        &["test_a", "test_b", "test_c", "test_x"],
        &["test_x"],
        Some(RunMode::Sequential),
    )
}

#[test]
fn a_sequential_run_replays_the_order_and_its_halves() {
    assert_eq!(
        render(&report(&sequential()), Format::Plain),
        "\
Reproduce AMD64 Fedora Stable 3.x #4: test_x failed

In a CPython checkout, the revision the buildbot built; then build it as the buildbot did:
  git checkout 8a163284d6c0ffee

The same run with the same seed:
  ./python -m test -r -u all --timeout=1200 --randseed=1004

The failing test alone:
  ./python -m test -u all --timeout=1200 test_x -v

The tests ran sequentially; 3 ran before test_x in this order. If it passes alone, replay the order:
  cat > tests.txt <<'EOF'
  test_a
  test_b
  test_c
  test_x
  EOF
  ./python -m test -u all --timeout=1200 --fromfile tests.txt -v

Then bisect: run each half followed by test_x, keep the half that still fails, split again:
  cat > half1.txt <<'EOF'
  test_a
  test_x
  EOF
  ./python -m test -u all --timeout=1200 --fromfile half1.txt -v
  cat > half2.txt <<'EOF'
  test_b
  test_c
  test_x
  EOF
  ./python -m test -u all --timeout=1200 --fromfile half2.txt -v
"
    );
}

#[test]
fn one_worker_process_at_a_time_replays_with_j1() {
    let mut s = summary(
        &["test_a", "test_x"],
        &["test_x"],
        Some(RunMode::Parallel { workers: 1 }),
    );
    s.command = Some("/usr/bin/python3 -m test --slow-ci -j1 -R 3:3".into());
    let out = render(&report(&s), Format::Plain);
    assert!(
        out.contains(
            "The failing test alone:\n  ./python -m test -R 3:3 -u all --timeout=1200 test_x -v\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "The tests ran one at a time, each in a fresh worker process (-j1); 1 ran before test_x"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "  ./python -m test -R 3:3 -u all --timeout=1200 -j1 --fromfile tests.txt -v\n"
        ),
        "{out}"
    );
}

#[test]
fn a_parallel_run_bisects_the_test_and_an_unknown_order_says_so() {
    let out = render(
        &report(&summary(
            &["test_a", "test_x"],
            &["test_x"],
            Some(RunMode::Parallel { workers: 40 }),
        )),
        Format::Plain,
    );
    assert!(
        out.ends_with(
            "\n\nThe run used 40 worker processes: each test file ran in a fresh worker \
                 process, so the order of the other tests does not carry over, and what fails \
                 lies within test_x (or the machine). If it passes alone, find the methods that \
                 fail together with regrtest's bisection:\n  \
                 ./python -m test.bisect_cmd -o bisect.txt -u all --timeout=1200 test_x -v\n"
        ),
        "{out}"
    );
    let mut unknown = summary(&["test_a"], &["test_x"], None);
    unknown.command = None;
    unknown.seed = None;
    let out = render(&report(&unknown), Format::Plain);
    assert!(
            out.ends_with(
                "The same run with the same seed:\n  (the log shows neither the regrtest command nor a seed)\n\n\
                 The failing test alone:\n  ./python -m test test_x -v\n\n\
                 The log does not show where test_x ran, nor how the run was started: try it \
                 alone.\n"
            ),
            "{out}"
        );
    // Without a command, the options the test keeps are guesses, and said to be.
    unknown.refleak = Some(crate::model::regrtest::Refleak {
        repetitions: 6,
        warmups: None,
    });
    let out = render(&report(&unknown), Format::Plain);
    assert!(
        out.contains(
            "The failing test alone:\n  ./python -m test -R 3:3 test_x -v\n  (guessed: -R \
                 3:3: \"beginning 6 repetitions\" (the split into warm-ups is a guess))\n"
        ),
        "{out}"
    );
    unknown.refleak = None;
    let md = render(&report(&unknown), Format::Markdown);
    assert!(
        md.contains(
            "seed:\n\n(the log shows neither the regrtest command nor a seed)\n\nThe failing"
        ),
        "{md}"
    );
}

#[test]
fn without_a_commit_id_there_is_no_checkout_command() {
    let out = render(&report_at(&sequential(), None), Format::Plain);
    assert!(
        out.contains(
            "as the buildbot did:\n  (the build does not record the revision it built)\n\n\
                 The same run with the same seed:\n  ./python"
        ),
        "{out}"
    );
    let hostile = report_at(&sequential(), Some("main; rm -rf ~\u{1b}[2J"));
    let out = render(&hostile, Format::Plain);
    assert!(
        out.contains("  (the build's revision 'main; rm -rf ~' is not a commit id)\n"),
        "{out}"
    );
    assert!(!out.contains("git checkout"), "{out}");
    let md = render(&hostile, Format::Markdown);
    assert!(
        md.contains(
            "did:\n\n(the build's revision 'main; rm -rf \\~' is not a commit id)\n\nThe same"
        ),
        "{md}"
    );
    let v: serde_json::Value = serde_json::from_str(&render(&hostile, Format::Json)).expect("json");
    assert_eq!(v["checkout"], serde_json::Value::Null);
}

#[test]
fn a_rebuilt_command_says_what_it_guessed_and_an_ordered_run_keeps_its_order() {
    let mut s = summary(&[], &["test_x"], Some(RunMode::Parallel { workers: 40 }));
    s.command = None;
    s.timeout = Some(1200);
    let out = render(&report(&s), Format::Plain);
    assert!(
        out.contains(
            "the log does not show the regrtest command, so this one is rebuilt from what the \
                 log shows):\n  ./python -m test -j40 --timeout=1200 --randseed=1004\n  \
                 (guessed: -j40: the main run used 40 worker processes; --timeout=1200: the Run \
                 line's \"(timeout: …)\"; -r: --randseed implies a random order"
        ),
        "{out}"
    );
    let mut s = summary(&["test_os"], &["test_os"], Some(RunMode::Sequential));
    s.command = Some("./python.exe -m test -R 3:3 test_os test_pickle".into());
    let out = render(&report(&s), Format::Plain);
    assert!(
        out.contains(
            "  ./python.exe -m test -R 3:3 test_os test_pickle\n  (the run's order was not \
                 random: --randseed=1004 would shuffle it, as it implies -r, so the command leaves \
                 the seed out)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  ./python.exe -m test -R 3:3 test_os -v\n"),
        "{out}"
    );
}

#[test]
fn markdown_is_prose_and_shell_blocks() {
    assert_eq!(
            render(&report(&sequential()), Format::Markdown),
            "\
### Reproduce [AMD64 Fedora Stable 3.x #4](http://127.0.0.1:8010/#/builders/14/builds/4): test\\_x failed

In a CPython checkout, the revision the buildbot built; then build it as the buildbot did:

```sh
git checkout 8a163284d6c0ffee
```

The same run with the same seed:

```sh
./python -m test -r -u all --timeout=1200 --randseed=1004
```

The failing test alone:

```sh
./python -m test -u all --timeout=1200 test_x -v
```

The tests ran sequentially; 3 ran before test\\_x in this order. If it passes alone, replay the order:

```sh
cat > tests.txt <<'EOF'
test_a
test_b
test_c
test_x
EOF
./python -m test -u all --timeout=1200 --fromfile tests.txt -v
```

Then bisect: run each half followed by test\\_x, keep the half that still fails, split again:

```sh
cat > half1.txt <<'EOF'
test_a
test_x
EOF
./python -m test -u all --timeout=1200 --fromfile half1.txt -v
cat > half2.txt <<'EOF'
test_b
test_c
test_x
EOF
./python -m test -u all --timeout=1200 --fromfile half2.txt -v
```
"
        );
    let html = render(&report(&sequential()), Format::Html);
    assert!(html.contains("<pre style="), "{html}");
    assert!(html.contains("cat &gt; tests.txt &lt;&lt;'EOF'"), "{html}");
}

#[test]
fn json_names_every_field_and_resolves_links() {
    let v: serde_json::Value =
        serde_json::from_str(&render(&report(&sequential()), Format::Json)).expect("json");
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "all_failed",
            "alone",
            "also_failed",
            "builder",
            "builder_url",
            "builderid",
            "checkout",
            "command",
            "command_source",
            "failed",
            "generated_at",
            "guessed",
            "kind",
            "last_running",
            "mode",
            "number",
            "randomized",
            "recorded_at",
            "revision",
            "schema_version",
            "seed",
            "server",
            "source",
            "target",
            "url"
        ]
    );
    assert_eq!(v["kind"], "repro");
    assert_eq!(v["checkout"], "git checkout 8a163284d6c0ffee");
    assert_eq!(v["url"], "http://127.0.0.1:8010/#/builders/14/builds/4");
    assert_eq!(v["builder_url"], "http://127.0.0.1:8010/#/builders/14");
    assert_eq!(
        (&v["command_source"], &v["seed"], &v["randomized"]),
        (
            &serde_json::json!("log"),
            &serde_json::json!(1004),
            &serde_json::json!(true)
        )
    );
    assert_eq!(
        v["alone"],
        "./python -m test -u all --timeout=1200 test_x -v"
    );
    assert_eq!(
        v["mode"],
        serde_json::json!({
            "kind": "sequential",
            "before": ["test_a", "test_b", "test_c"],
            "first_half": ["test_a"],
            "second_half": ["test_b", "test_c"],
            "worker_processes": false,
            "replay_options": ["-u all", "--timeout=1200"],
            "files": null
        })
    );
    let parallel: serde_json::Value = serde_json::from_str(&render(
        &report(&summary(
            &["test_x"],
            &["test_x"],
            Some(RunMode::Parallel { workers: 4 }),
        )),
        Format::Json,
    ))
    .expect("json");
    assert_eq!(
        parallel["mode"],
        serde_json::json!({
            "kind": "parallel",
            "workers": 4,
            "bisect": "./python -m test.bisect_cmd -o bisect.txt -u all --timeout=1200 test_x -v"
        })
    );
    let unknown: serde_json::Value = serde_json::from_str(&render(
        &report(&summary(&[], &["test_x"], None)),
        Format::Json,
    ))
    .expect("json");
    assert_eq!(
        unknown["mode"],
        serde_json::json!({"kind": "order_unknown"})
    );
}

/// A sequential run of `n` tests before test_x.
fn long_sequential(n: usize) -> LogSummary {
    let mut order: Vec<String> = (1..=n).map(|i| format!("test_{i:04}")).collect();
    order.push("test_x".into());
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    summary(&order, &["test_x"], Some(RunMode::Sequential))
}

#[test]
fn a_long_order_is_not_printed_and_out_is_named() {
    use crate::render::repro::MAX_PRINTED_ORDER;
    let out = render(&report(&long_sequential(480)), Format::Plain);
    assert!(
        out.ends_with(
            "\nThe tests ran sequentially; 480 ran before test_x in this order. If it passes alone, \
             replay the order; the last 5 before it were test_0476, test_0477, test_0478, test_0479, \
             test_0480.\n  (the order and its bisect halves are not printed: 480 test names, more \
             than 40; write them to files with: bbreport repro 'AMD64 Fedora Stable 3.x' 4 --out DIR)\n"
        ),
        "{out}"
    );
    assert!(!out.contains("test_0001"), "{out}");
    assert!(out.lines().count() < 20, "{out}");
    // Up to the cap, the lists are printed as before.
    let out = render(&report(&long_sequential(MAX_PRINTED_ORDER)), Format::Plain);
    assert!(
        out.contains("  test_0001\n") && out.contains("cat > half2.txt"),
        "{out}"
    );
    let md = render(&report(&long_sequential(480)), Format::Markdown);
    assert!(md.contains("--out DIR"), "{md}");
    assert!(!md.contains("test\\_0001"), "{md}");
}

#[test]
fn with_out_the_commands_read_the_files() {
    let dir = std::path::Path::new("/tmp/repro out");
    let r = report_with(&long_sequential(480), Some("8a163284d6c0ffee"), Some(dir));
    let out = render(&r, Format::Plain);
    assert!(
        out.ends_with(
            "\nThe tests ran sequentially; 480 ran before test_x in this order. If it passes alone, \
             replay the order (written to /tmp/repro out/tests-order.txt, the tests one per line, then \
             test_x):\n  ./python -m test -u all --timeout=1200 --fromfile '/tmp/repro out/tests-order.txt' -v\n\
             \nThen bisect: run each half followed by test_x (written to /tmp/repro out), keep the \
             half that still fails, split again:\n  \
             ./python -m test -u all --timeout=1200 --fromfile '/tmp/repro out/bisect-half1.txt' -v\n  \
             ./python -m test -u all --timeout=1200 --fromfile '/tmp/repro out/bisect-half2.txt' -v\n"
        ),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&render(&r, Format::Json)).expect("json");
    assert_eq!(
        v["mode"]["files"],
        serde_json::json!({
            "dir": "/tmp/repro out",
            "order": "/tmp/repro out/tests-order.txt",
            "first_half": "/tmp/repro out/bisect-half1.txt",
            "second_half": "/tmp/repro out/bisect-half2.txt"
        })
    );
    // The JSON keeps the lists whatever their length: scripts read them there.
    assert_eq!(v["mode"]["before"].as_array().map(Vec::len), Some(480));
    // A -jN run: bisect_cmd writes its result into DIR too.
    let r = report_with(
        &summary(
            &["test_x"],
            &["test_x"],
            Some(RunMode::Parallel { workers: 8 }),
        ),
        None,
        Some(dir),
    );
    let v: serde_json::Value = serde_json::from_str(&render(&r, Format::Json)).expect("json");
    assert_eq!(
        v["mode"]["bisect"],
        "./python -m test.bisect_cmd -o '/tmp/repro out/bisect.txt' -u all --timeout=1200 test_x -v"
    );
}

/// A killed run: test_x failed, test_y crashed, test_z timed out, test_hang still running.
fn killed() -> LogSummary {
    let mut s = summary(
        &["test_a", "test_x", "test_y"],
        &["test_x"],
        Some(RunMode::Parallel { workers: 4 }),
    );
    s.crashes = vec![("test_y".into(), "Exit code -11 (SIGSEGV)".into())];
    s.timeouts = vec!["test_z".into()];
    s.last_running = Some("test_hang".into());
    s
}

#[test]
fn a_killed_run_names_the_other_failures_and_the_test_still_running() {
    let text = render(&report(&killed()), Format::Plain);
    assert!(
        text.contains(
            "Also failed: test_z, test_y. Each alone, then all the failed tests in one run:\n  \
             ./python -m test -u all --timeout=1200 test_z -v\n  \
             ./python -m test -u all --timeout=1200 test_y -v\n  \
             ./python -m test -u all --timeout=1200 test_x test_z test_y -v\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Still running when the log ends: test_hang (a hang gets the build killed); alone:\n  \
             ./python -m test -u all --timeout=1200 test_hang -v\n"
        ),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&render(&report(&killed()), Format::Json)).expect("json");
    assert_eq!(json["also_failed"][0]["test"], "test_z");
    assert_eq!(json["also_failed"][1]["test"], "test_y");
    assert_eq!(
        json["all_failed"],
        "./python -m test -u all --timeout=1200 test_x test_z test_y -v"
    );
    assert_eq!(json["last_running"]["test"], "test_hang");
}

#[test]
fn one_failure_names_no_others() {
    let json: serde_json::Value =
        serde_json::from_str(&render(&report(&sequential()), Format::Json)).expect("json");
    assert_eq!(json["also_failed"], serde_json::json!([]));
    assert_eq!(json["all_failed"], serde_json::Value::Null);
    assert_eq!(json["last_running"], serde_json::Value::Null);
}
