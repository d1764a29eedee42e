//! `repro` in text and markdown (its JSON is the report struct): shell commands a developer can
//! paste, each section an explanation followed by its commands.

use std::io::{self, Write};

use super::markdown::escape;
use super::text::sanitize;
use super::{Report, Settings};
use crate::model::regrtest::shell_word;
use crate::report::repro::{ReplayFiles, ReproPlanEntry, ReproReport, RunMode};

/// The most tests run before the target that are printed as `--fromfile` lists on the
/// terminal (about 140 lines with the halves). A longer order (a sequential run of the whole
/// suite is about 480 test files, a refleak run's thousands of lines) is not printed: `--out DIR`
/// writes it and its halves to files, and the report prints the commands that use them.
pub const MAX_PRINTED_ORDER: usize = 40;
/// The tests that ran last before the target, named when the order is too long to print:
/// the likeliest culprits of an ordering-dependent failure.
const LAST_NAMED: usize = 5;

impl Report for ReproReport {
    const TITLE: &'static str = "bbreport repro";

    fn plain(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        writeln!(
            out,
            "Reproduce {} #{}: {} failed",
            sanitize(&self.builder),
            self.number,
            sanitize(&self.plan.failed.join(" "))
        )?;
        write_plain(out, &sections(self))
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        writeln!(
            out,
            "### Reproduce [{} #{}]({}): {} failed",
            escape(&self.builder),
            self.number,
            self.url,
            escape(&self.plan.failed.join(" "))
        )?;
        write_markdown(out, &sections(self))
    }
}

/// The sections in plain text, each after an empty line: its intro, then its commands (or its
/// note) indented.
pub(super) fn write_plain(out: &mut dyn Write, sections: &[Section]) -> io::Result<()> {
    for s in sections {
        writeln!(out)?;
        writeln!(out, "{}", s.intro)?;
        for line in s.commands.iter().chain(&s.note) {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

/// The sections in markdown: each intro a paragraph, its commands a `sh` block.
pub(super) fn write_markdown(out: &mut dyn Write, sections: &[Section]) -> io::Result<()> {
    for s in sections {
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

/// One step of the recipe: what to do and why, then the commands (server strings sanitised).
pub(super) struct Section {
    pub(super) intro: String,
    pub(super) commands: Vec<String>,
    /// Said in place of the commands when there are none to give.
    pub(super) note: Option<String>,
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
fn command_section(r: &ReproPlanEntry) -> Section {
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
fn guesses(r: &ReproPlanEntry) -> String {
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
    let checkout = Section {
        intro: "In a CPython checkout, the revision the buildbot built; then build it as the \
                buildbot did:"
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
    };
    std::iter::once(checkout)
        .chain(plan_sections(
            &r.plan,
            &format!(
                "write them to files with: bbreport repro {} {} --out DIR",
                shell_word(&sanitize(&r.builder)),
                r.number
            ),
        ))
        .collect()
}

/// What the log alone says: the run's command with its seed, the failing test alone, and the
/// order replay and bisection (sequential) or regrtest's bisection (`-jN`). `too_long`: where
/// to find an order too long to print (`repro --out DIR`, or the JSON).
pub(super) fn plan_sections(r: &ReproPlanEntry, too_long: &str) -> Vec<Section> {
    let target = sanitize(&r.target);
    let mut out = vec![
        command_section(r),
        Section {
            intro: "The failing test alone:".into(),
            commands: vec![sanitize(&r.alone).into_owned()],
            // Without a command, the options it keeps are the guesses.
            note: (r.command.is_none() && !r.guessed.is_empty()).then(|| guesses(r)),
        },
    ];
    if !r.also_failed.is_empty() {
        let names: Vec<String> = r
            .also_failed
            .iter()
            .map(|o| sanitize(&o.test).into_owned())
            .collect();
        out.push(Section {
            intro: format!(
                "Also failed: {}. Each alone{}:",
                names.join(", "),
                if r.all_failed.is_some() {
                    ", then all the failed tests in one run"
                } else {
                    ""
                }
            ),
            commands: r
                .also_failed
                .iter()
                .map(|o| sanitize(&o.alone).into_owned())
                .chain(r.all_failed.iter().map(|c| sanitize(c).into_owned()))
                .collect(),
            note: None,
        });
    }
    if let Some(running) = r.last_running.as_ref().filter(|o| o.test != r.target) {
        out.push(Section {
            intro: format!(
                "Still running when the log ends: {} (a hang gets the build killed); alone:",
                sanitize(&running.test)
            ),
            commands: vec![sanitize(&running.alone).into_owned()],
            note: None,
        });
    }
    // The interpreter is the first word of the command for the test alone.
    let python = r.alone.split(' ').next().unwrap_or("./python");
    match &r.mode {
        RunMode::Sequential {
            before,
            first_half,
            second_half,
            worker_processes,
            replay_options,
            files,
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
            let ran_before = format!(
                "The tests ran {how}; {} ran before {target} in this order.",
                before.len()
            );
            let replay = |file: &str| format!("{run} --fromfile {} -v", shell_word(file));
            match files {
                Some(ReplayFiles {
                    dir,
                    order,
                    first_half,
                    second_half,
                }) => {
                    out.push(Section {
                        intro: format!(
                            "{ran_before} If it passes alone, replay the order (written to {}, \
                             the tests one per line, then {target}):",
                            sanitize(order)
                        ),
                        commands: vec![sanitize(&replay(order)).into_owned()],
                        note: None,
                    });
                    if let (Some(h1), Some(h2)) = (first_half, second_half) {
                        out.push(Section {
                            intro: format!(
                                "Then bisect: run each half followed by {target} (written to {}), \
                                 keep the half that still fails, split again:",
                                sanitize(dir)
                            ),
                            commands: vec![
                                sanitize(&replay(h1)).into_owned(),
                                sanitize(&replay(h2)).into_owned(),
                            ],
                            note: None,
                        });
                    }
                }
                None if before.len() > MAX_PRINTED_ORDER => {
                    let last: Vec<String> = before[before.len() - LAST_NAMED..]
                        .iter()
                        .map(|t| sanitize(t).into_owned())
                        .collect();
                    out.push(Section {
                        intro: format!(
                            "{ran_before} If it passes alone, replay the order; the last {LAST_NAMED} \
                             before it were {}.",
                            last.join(", ")
                        ),
                        commands: Vec::new(),
                        note: Some(format!(
                            "(the order and its bisect halves are not printed: {} test names, more \
                             than {MAX_PRINTED_ORDER}; {too_long})",
                            before.len(),
                        )),
                    });
                }
                None => {
                    out.push(Section {
                        intro: format!("{ran_before} If it passes alone, replay the order:"),
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
#[path = "repro_tests.rs"]
mod tests;
