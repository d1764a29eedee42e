//! `repro`: shell commands a developer can paste.

use std::io::{self, Write};

use serde::Serialize;

use super::text::sanitize;
use crate::api::types::Build;
use crate::model::repro::{ReproMode, ReproPlan};
use crate::report::header::{JsonHeader, ReportOrigin};

#[derive(Debug)]
pub struct ReproReport<'a> {
    pub builder: &'a str,
    pub build: &'a Build,
    pub plan: &'a ReproPlan,
}

/// A `--fromfile` list written with a quoted heredoc (no expansion of test names).
fn fromfile(out: &mut dyn Write, file: &str, tests: &[String], target: &str) -> io::Result<()> {
    writeln!(out, "  cat > {file} <<'EOF'")?;
    for t in tests.iter().map(String::as_str).chain([target]) {
        writeln!(out, "  {}", sanitize(t))?;
    }
    writeln!(out, "  EOF")?;
    // No -r/--randomize (which --slow-ci implies): --fromfile keeps the file's order.
    writeln!(out, "  ./python -m test --fromfile {file} -v")
}

pub fn render_text(out: &mut dyn Write, r: &ReproReport<'_>) -> io::Result<()> {
    let p = r.plan;
    let rev = r
        .build
        .got_revision()
        .map(|v| format!(" at revision {}", sanitize(v)))
        .unwrap_or_default();
    writeln!(
        out,
        "Reproduce {} #{}: {} failed",
        sanitize(r.builder),
        r.build.number,
        sanitize(&p.failed.join(" "))
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "In a CPython checkout{rev}, built like the buildbot, the same run with the same seed:"
    )?;
    match &p.command {
        Some(c) => writeln!(out, "  {}", sanitize(c))?,
        None => writeln!(out, "  (the log does not show the regrtest command)")?,
    }
    writeln!(out)?;
    writeln!(out, "The failing test alone:")?;
    writeln!(out, "  ./python -m test {} -v", sanitize(&p.target))?;
    match &p.mode {
        ReproMode::Sequential { before, halves } => {
            writeln!(out)?;
            writeln!(
                out,
                "The tests ran sequentially; {} ran before {} in this order. If it passes alone, replay the order:",
                before.len(),
                sanitize(&p.target)
            )?;
            fromfile(out, "tests.txt", before, &p.target)?;
            if before.len() >= 2 {
                writeln!(out)?;
                writeln!(
                    out,
                    "Then bisect: run each half followed by {}, keep the half that still fails, split again:",
                    sanitize(&p.target)
                )?;
                fromfile(out, "half1.txt", &halves.0, &p.target)?;
                fromfile(out, "half2.txt", &halves.1, &p.target)?;
            }
        }
        ReproMode::Parallel { workers } => {
            writeln!(out)?;
            writeln!(
                out,
                "The run used {workers} worker processes: each ran the tests it was handed, interleaved with the \
                 others, so no single order reproduces it. If the test passes alone, find the methods that \
                 fail with regrtest's bisection:"
            )?;
            writeln!(
                out,
                "  ./python -m test.bisect_cmd -o bisect.txt {} -v",
                sanitize(&p.target)
            )?;
        }
        ReproMode::OrderUnknown => {
            writeln!(out)?;
            writeln!(
                out,
                "The log does not show where {} ran; try it alone, then with -j1 and the seed above.",
                sanitize(&p.target)
            )?;
        }
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct ReproJson<'a> {
    #[serde(flatten)]
    header: JsonHeader,
    builder: &'a str,
    number: u32,
    revision: Option<&'a str>,
    plan: &'a ReproPlan,
}

pub fn render_json(
    out: &mut dyn Write,
    r: &ReproReport<'_>,
    origin: &ReportOrigin<'_>,
) -> io::Result<()> {
    let doc = ReproJson {
        header: origin.header("repro"),
        builder: r.builder,
        number: r.build.number,
        revision: r.build.got_revision(),
        plan: r.plan,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::regrtest::LogSummary;
    use crate::model::repro::plan;

    fn summary(order: &[&str], failed: &[&str], workers: Option<u32>) -> LogSummary {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        LogSummary {
            order: list(order),
            failed: list(failed),
            workers,
            seed: Some(1004),
            command: Some("/usr/bin/python3 -m test --slow-ci -j1 --dont-add-python-opts".into()),
            ..LogSummary::default()
        }
    }

    fn build() -> Build {
        let mut b = Build::for_test(124, 14, 4, Some(2));
        b.properties.insert(
            "got_revision".into(),
            serde_json::json!(["8a163284d6c0ffee", "Git"]),
        );
        b
    }

    fn text(s: &LogSummary) -> String {
        let plan = plan(s).expect("a plan");
        let build = build();
        let r = ReproReport {
            builder: "AMD64 Fedora Stable 3.x",
            build: &build,
            plan: &plan,
        };
        let mut out = Vec::new();
        render_text(&mut out, &r).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn a_sequential_run_replays_the_order_and_its_halves() {
        assert_eq!(
            text(&summary(
                &["test_a", "test_b", "test_c", "test_x"],
                &["test_x"],
                Some(1)
            )),
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
        let out = text(&summary(&["test_a", "test_x"], &["test_x"], Some(4)));
        assert!(
            out.ends_with(
                "\n\nThe run used 4 worker processes: each ran the tests it was handed, \
                 interleaved with the others, so no single order reproduces it. If the test passes \
                 alone, find the methods that fail with regrtest's bisection:\n  \
                 ./python -m test.bisect_cmd -o bisect.txt test_x -v\n"
            ),
            "{out}"
        );
        let out = text(&summary(&["test_a"], &["test_x"], None));
        assert!(
            out.ends_with(
                "\n\nThe log does not show where test_x ran; try it alone, then with -j1 and the \
                 seed above.\n"
            ),
            "{out}"
        );
    }
}
