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

/// A `--fromfile` list written with a quoted heredoc (no expansion of test names).
fn fromfile(file: &str, tests: &[String], target: &str) -> Vec<String> {
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
    lines.push(format!("./python -m test --fromfile {file} -v"));
    lines
}

fn sections(r: &ReproReport) -> Vec<Section> {
    let target = sanitize(&r.target);
    let rev = r
        .revision
        .as_deref()
        .map(|v| format!(" at revision {}", sanitize(v)))
        .unwrap_or_default();
    let mut out = vec![
        Section {
            intro: format!(
                "In a CPython checkout{rev}, built like the buildbot, the same run with the same seed:"
            ),
            commands: r.command.iter().map(|c| sanitize(c).into_owned()).collect(),
            note: r
                .command
                .is_none()
                .then(|| "(the log does not show the regrtest command)".to_string()),
        },
        Section {
            intro: "The failing test alone:".into(),
            commands: vec![format!("./python -m test {target} -v")],
            note: None,
        },
    ];
    match &r.mode {
        RunMode::Sequential {
            before,
            first_half,
            second_half,
        } => {
            out.push(Section {
                intro: format!(
                    "The tests ran sequentially; {} ran before {target} in this order. If it passes alone, replay the order:",
                    before.len()
                ),
                commands: fromfile("tests.txt", before, &r.target),
                note: None,
            });
            if before.len() >= 2 {
                let mut commands = fromfile("half1.txt", first_half, &r.target);
                commands.extend(fromfile("half2.txt", second_half, &r.target));
                out.push(Section {
                    intro: format!(
                        "Then bisect: run each half followed by {target}, keep the half that still fails, split again:"
                    ),
                    commands,
                    note: None,
                });
            }
        }
        RunMode::Parallel { workers } => out.push(Section {
            intro: format!(
                "The run used {workers} worker processes: each ran the tests it was handed, interleaved with the \
                 others, so no single order reproduces it. If the test passes alone, find the methods that \
                 fail with regrtest's bisection:"
            ),
            commands: vec![format!(
                "./python -m test.bisect_cmd -o bisect.txt {target} -v"
            )],
            note: None,
        }),
        RunMode::OrderUnknown => out.push(Section {
            intro: format!(
                "The log does not show where {target} ran; try it alone, then with -j1 and the seed above."
            ),
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
    use crate::model::regrtest::LogSummary;
    use crate::model::repro::plan;
    use crate::render::{Format, Settings, write};
    use crate::report::header::ReportOrigin;
    use crate::report::repro::{ReproInput, ReproReport};

    fn summary(order: &[&str], failed: &[&str], workers: Option<u32>) -> LogSummary {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        LogSummary {
            order: list(order),
            failed: list(failed),
            mode: workers.map(|workers| crate::model::regrtest::RunMode::Parallel { workers }),
            seed: Some(1004),
            command: Some("/usr/bin/python3 -m test --slow-ci -j1 --dont-add-python-opts".into()),
            ..LogSummary::default()
        }
    }

    fn report(s: &LogSummary) -> ReproReport {
        let plan = plan(s).expect("a plan");
        let mut build = Build::for_test(124, 14, 4, Some(2));
        build.properties.insert(
            "got_revision".into(),
            serde_json::json!(["8a163284d6c0ffee", "Git"]),
        );
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
            Some(1),
        )
    }

    #[test]
    fn a_sequential_run_replays_the_order_and_its_halves() {
        assert_eq!(
            render(&report(&sequential()), Format::Plain),
            "\
Reproduce AMD64 Fedora Stable 3.x #4: test_x failed

In a CPython checkout at revision 8a163284d6c0ffee, built like the buildbot, the same run with the same seed:
  ./python -m test --slow-ci -j1 --randseed=1004

The failing test alone:
  ./python -m test test_x -v

The tests ran sequentially; 3 ran before test_x in this order. If it passes alone, replay the order:
  cat > tests.txt <<'EOF'
  test_a
  test_b
  test_c
  test_x
  EOF
  ./python -m test --fromfile tests.txt -v

Then bisect: run each half followed by test_x, keep the half that still fails, split again:
  cat > half1.txt <<'EOF'
  test_a
  test_x
  EOF
  ./python -m test --fromfile half1.txt -v
  cat > half2.txt <<'EOF'
  test_b
  test_c
  test_x
  EOF
  ./python -m test --fromfile half2.txt -v
"
        );
    }

    #[test]
    fn a_parallel_run_bisects_the_test_and_an_unknown_order_says_so() {
        let out = render(
            &report(&summary(&["test_a", "test_x"], &["test_x"], Some(4))),
            Format::Plain,
        );
        assert!(
            out.ends_with(
                "\n\nThe run used 4 worker processes: each ran the tests it was handed, \
                 interleaved with the others, so no single order reproduces it. If the test passes \
                 alone, find the methods that fail with regrtest's bisection:\n  \
                 ./python -m test.bisect_cmd -o bisect.txt test_x -v\n"
            ),
            "{out}"
        );
        let mut unknown = summary(&["test_a"], &["test_x"], None);
        unknown.command = None;
        let out = render(&report(&unknown), Format::Plain);
        assert!(
            out.ends_with(
                "the same run with the same seed:\n  (the log does not show the regrtest command)\n\n\
                 The failing test alone:\n  ./python -m test test_x -v\n\n\
                 The log does not show where test_x ran; try it alone, then with -j1 and the \
                 seed above.\n"
            ),
            "{out}"
        );
        let md = render(&report(&unknown), Format::Markdown);
        assert!(
            md.contains("seed:\n\n(the log does not show the regrtest command)\n\nThe failing"),
            "{md}"
        );
    }

    #[test]
    fn markdown_is_prose_and_shell_blocks() {
        assert_eq!(
            render(&report(&sequential()), Format::Markdown),
            "\
### Reproduce [AMD64 Fedora Stable 3.x #4](http://127.0.0.1:8010/#/builders/14/builds/4): test\\_x failed

In a CPython checkout at revision 8a163284d6c0ffee, built like the buildbot, the same run with the same seed:

```sh
./python -m test --slow-ci -j1 --randseed=1004
```

The failing test alone:

```sh
./python -m test test_x -v
```

The tests ran sequentially; 3 ran before test\\_x in this order. If it passes alone, replay the order:

```sh
cat > tests.txt <<'EOF'
test_a
test_b
test_c
test_x
EOF
./python -m test --fromfile tests.txt -v
```

Then bisect: run each half followed by test\\_x, keep the half that still fails, split again:

```sh
cat > half1.txt <<'EOF'
test_a
test_x
EOF
./python -m test --fromfile half1.txt -v
cat > half2.txt <<'EOF'
test_b
test_c
test_x
EOF
./python -m test --fromfile half2.txt -v
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
                "builder",
                "builder_url",
                "builderid",
                "command",
                "failed",
                "generated_at",
                "kind",
                "mode",
                "number",
                "recorded_at",
                "revision",
                "schema_version",
                "server",
                "source",
                "target",
                "url"
            ]
        );
        assert_eq!(v["kind"], "repro");
        assert_eq!(v["url"], "http://127.0.0.1:8010/#/builders/14/builds/4");
        assert_eq!(v["builder_url"], "http://127.0.0.1:8010/#/builders/14");
        assert_eq!(
            v["mode"],
            serde_json::json!({
                "kind": "sequential",
                "before": ["test_a", "test_b", "test_c"],
                "first_half": ["test_a"],
                "second_half": ["test_b", "test_c"]
            })
        );
        let parallel: serde_json::Value = serde_json::from_str(&render(
            &report(&summary(&["test_x"], &["test_x"], Some(4))),
            Format::Json,
        ))
        .expect("json");
        assert_eq!(
            parallel["mode"],
            serde_json::json!({"kind": "parallel", "workers": 4})
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
