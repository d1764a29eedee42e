//! `repro` in text and markdown (its JSON is the report struct): shell commands a developer can
//! paste, each section an explanation followed by its commands.

use std::io::{self, Write};

use super::markdown::escape;
use super::text::sanitize;
use super::{Report, Settings};
use crate::report::repro::{ReproReport, RunMode};

impl Report for ReproReport {
    const TITLE: &'static str = "bbreport repro";

    fn plain(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        writeln!(
            out,
            "Reproduce {} #{}: {} failed",
            sanitize(&self.builder),
            self.number,
            sanitize(&self.failed.join(" "))
        )?;
        for s in sections(self) {
            writeln!(out)?;
            writeln!(out, "{}", s.intro)?;
            for line in s.commands.iter().chain(&s.note) {
                writeln!(out, "  {line}")?;
            }
        }
        Ok(())
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        writeln!(
            out,
            "### Reproduce [{} #{}]({}): {} failed",
            escape(&self.builder),
            self.number,
            self.url,
            escape(&self.failed.join(" "))
        )?;
        for s in sections(self) {
            writeln!(out)?;
            writeln!(out, "{}", escape(&s.intro))?;
            if let Some(note) = &s.note {
                writeln!(out)?;
                writeln!(out, "{}", escape(note))?;
            }
            if !s.commands.is_empty() {
                writeln!(out)?;
                writeln!(out, "```sh")?;
                for line in &s.commands {
                    // A server string cannot close the block.
                    writeln!(out, "{}", line.replace("```", "'''"))?;
                }
                writeln!(out, "```")?;
            }
        }
        Ok(())
    }
}

/// One step of the recipe: what to do and why, then the commands (server strings sanitised).
struct Section {
    intro: String,
    commands: Vec<String>,
    /// Said in place of the commands when there are none to give.
    note: Option<String>,
}

/// A `--fromfile` list written with a quoted heredoc (no expansion of test names), run with the
/// options the replay needs.
fn fromfile(file: &str, tests: &[String], target: &str, run: &str) -> Vec<String> {
    let mut lines = vec![format!("cat > {file} <<'EOF'")];
    lines.extend(
        tests
            .iter()
            .map(String::as_str)
            .chain([target])
            .map(|t| sanitize(t).into_owned()),
    );
    lines.push("EOF".into());
    // No -r/--randomize (which --slow-ci implies): --fromfile keeps the file's order.
    lines.push(format!("{run} --fromfile {file} -v"));
    lines
}

/// The first section: the run's own command with its seed, and what is known about it.
fn command_section(r: &ReproReport) -> Section {
    let intro = match r.command_source {
        Some("rebuilt") => "The same run with the same seed (the log does not show the regrtest \
                            command, so this one is rebuilt from what the log shows):"
            .to_string(),
        _ => "The same run with the same seed:".to_string(),
    };
    let note = match (&r.command, r.randomized, r.seed) {
        (None, _, _) => Some("(the log shows neither the regrtest command nor a seed)".to_string()),
        (Some(_), _, _) if !r.guessed.is_empty() => Some(guesses(r)),
        (Some(c), Some(false), Some(seed)) if !c.contains("--randseed") => Some(format!(
            "(the run's order was not random: --randseed={seed} would shuffle it, as it implies \
             -r, so the command leaves the seed out)"
        )),
        (Some(_), Some(false), Some(_)) => Some(
            "(the run's order was not random: --randseed shuffles it, as it implies -r, which a \
             run in many worker processes does not depend on)"
                .to_string(),
        ),
        (Some(_), _, None) => Some("(the log shows no seed)".to_string()),
        _ => None,
    };
    Section {
        intro,
        commands: r.command.iter().map(|c| sanitize(c).into_owned()).collect(),
        note,
    }
}

/// `(guessed: -j40: the main run used 40 worker processes; …)`.
fn guesses(r: &ReproReport) -> String {
    format!(
        "(guessed: {})",
        r.guessed
            .iter()
            .map(|g| format!("{}: {}", sanitize(&g.option), sanitize(&g.why)))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

fn sections(r: &ReproReport) -> Vec<Section> {
    let target = sanitize(&r.target);
    let mut out = vec![
        Section {
            intro: "In a CPython checkout, the revision the buildbot built; then build it as the buildbot did:"
                .into(),
            commands: r.checkout.iter().cloned().collect(),
            note: match (&r.checkout, &r.revision) {
                (Some(_), _) => None,
                (None, Some(rev)) => Some(format!(
                    "(the build's revision '{}' is not a commit id)",
                    sanitize(rev)
                )),
                (None, None) => Some("(the build does not record the revision it built)".into()),
            },
        },
        command_section(r),
        Section {
            intro: "The failing test alone:".into(),
            commands: vec![sanitize(&r.alone).into_owned()],
            // Without a command, the options it keeps are the guesses.
            note: (r.command.is_none() && !r.guessed.is_empty()).then(|| guesses(r)),
        },
    ];
    // The interpreter is the first word of the command for the test alone.
    let python = r.alone.split(' ').next().unwrap_or("./python");
    match &r.mode {
        RunMode::Sequential {
            before,
            first_half,
            second_half,
            worker_processes,
            replay_options,
        } => {
            let run = sanitize(
                &[python, "-m test"]
                    .into_iter()
                    .chain(replay_options.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
            .into_owned();
            let how = if *worker_processes {
                "one at a time, each in a fresh worker process (-j1)"
            } else {
                "sequentially"
            };
            out.push(Section {
                intro: format!(
                    "The tests ran {how}; {} ran before {target} in this order. If it passes alone, replay the order:",
                    before.len()
                ),
                commands: fromfile("tests.txt", before, &r.target, &run),
                note: None,
            });
            if before.len() >= 2 {
                let mut commands = fromfile("half1.txt", first_half, &r.target, &run);
                commands.extend(fromfile("half2.txt", second_half, &r.target, &run));
                out.push(Section {
                    intro: format!(
                        "Then bisect: run each half followed by {target}, keep the half that still fails, split again:"
                    ),
                    commands,
                    note: None,
                });
            }
        }
        RunMode::Parallel { workers, bisect } => {
            let how = if *workers == 0 {
                "as many worker processes as the worker has CPUs (-j0)".to_string()
            } else {
                format!("{workers} worker processes")
            };
            out.push(Section {
                intro: format!(
                    "The run used {how}: each test file ran in a fresh worker process, so the order \
                     of the other tests does not carry over, and what fails lies within {target} (or \
                     the machine). If it passes alone, find the methods that fail together with \
                     regrtest's bisection:"
                ),
                commands: vec![sanitize(bisect).into_owned()],
                note: None,
            });
        }
        RunMode::OrderUnknown => out.push(Section {
            intro: if r.command.is_some() {
                format!(
                    "The log does not show where {target} ran; try it alone, then with -j1 and the seed above."
                )
            } else {
                format!(
                    "The log does not show where {target} ran, nor how the run was started: try it alone."
                )
            },
            commands: Vec::new(),
            note: None,
        }),
    }
    out
}

#[cfg(test)]
mod tests {
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
            out.contains("  (the build's revision 'main; rm -rf ~[2J' is not a commit id)\n"),
            "{out}"
        );
        assert!(!out.contains("git checkout"), "{out}");
        let md = render(&hostile, Format::Markdown);
        assert!(
            md.contains("did:\n\n(the build's revision 'main; rm -rf \\~\\[2J' is not a commit id)\n\nThe same"),
            "{md}"
        );
        let v: serde_json::Value =
            serde_json::from_str(&render(&hostile, Format::Json)).expect("json");
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
                "alone",
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
                "replay_options": ["-u all", "--timeout=1200"]
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
}
