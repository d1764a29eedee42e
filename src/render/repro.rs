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
