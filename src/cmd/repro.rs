//! `bbreport repro BUILDER [NUMBER]`: how to reproduce a failed test run locally.

use clap::Args;

use super::args::{ReplayOut, write_replay_files};
use crate::api::types::{Build, Builder};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::find_builder;
use crate::fetch::test_log::TestLog;
use crate::fetch::{Live, Newest, build_detail, newest_builds_of, test_log};
use crate::model::repro::{ReproPlan, plan};
use crate::model::status::BuildResult;
use crate::model::summary::failure_reason;
use crate::output;
use crate::render::text::sanitize;
use crate::report::repro::{ReproInput, ReproReport};

/// Print the commands that reproduce a build's test failure locally
///
/// The revision to check out, the buildbot's own regrtest command with its random seed; for a
/// sequential run (one worker or none) the exact order the tests ran in up to the failure, as a
/// --fromfile list, and its two halves for bisecting an ordering-dependent failure; for a -jN
/// run, why the order does not carry over and how to bisect the failing test instead. An order of
/// more than 40 tests is not printed: --out DIR writes it and its halves to files there and
/// prints the commands that use them. Reads the whole test log (the run order is spread over
/// it). On a snapshot (--snapshot DIR): the builds whose test log it recorded whole (short logs).
///
/// Without NUMBER, the newest of the builder's last 20 builds that failed (or passed only on
/// re-run) with a test to reproduce; stderr says which. When there is none, or the build given
/// has no failing test (it passed, failed outside its tests, or its log is gone), nothing is
/// printed on stdout, stderr says why, and the exit code is 8.
#[derive(Debug, Args)]
pub struct ReproArgs {
    /// Builder name (case-insensitive) or id
    #[arg(value_name = "BUILDER")]
    pub builder: String,

    /// Build number [default: the builder's newest build with a failing test]
    #[arg(value_name = "NUMBER")]
    pub number: Option<u32>,

    #[command(flatten)]
    pub out: ReplayOut,
}

/// Builds looked at without a NUMBER, newest first, and how many of their test logs (head and
/// tail, cached) are read at most to find one with a test to reproduce.
const LOOK_BACK: usize = 20;
const MAX_PROBED: usize = 5;
/// Newer builds named in the note that says which build was chosen.
const NEWER_NAMED: usize = 4;

pub async fn run(args: &ReproArgs, ctx: &Context) -> Result<u8, Error> {
    let live = ctx.live("bbreport repro")?;
    // Before anything is fetched: a DIR that cannot be written fails fast.
    let out = args.out.check()?;
    let builders = ctx.source.builders().await?;
    let builder = find_builder(&builders, &args.builder)?;
    let name = sanitize(&builder.name).into_owned();
    let number = match args.number {
        Some(n) => n,
        None => match newest_failed(ctx, live, builder).await? {
            Choice::Build { number, newer } => {
                crate::stderr::note(&format!(
                    "no build number given: reproducing #{number}, the newest build of {name} \
                     with a failing test{}",
                    if newer.is_empty() {
                        String::new()
                    } else {
                        format!(" (newer: {})", newer)
                    }
                ));
                number
            }
            Choice::None { why, hint } => {
                return Ok(nothing_to_reproduce(&format!("{name}: {why}"), &hint));
            }
        },
    };
    let Some(build) = build_detail::build(live, builder.builderid, Some(number)).await? else {
        return Err(Error::usage(
            format!("builder '{}' has no build {number}", builder.name),
            Some(format!("see its builds with: bbreport -v -n '{name}'")),
        ));
    };
    // The whole log: the run order is spread over it.
    let read = test_log::read(live, &build, true).await?;
    let plan = match examine(&read) {
        Ok(plan) => plan,
        Err(nothing) => {
            let hint = match nothing {
                Nothing::AllPassed {
                    ref infrastructure,
                    ref last_running,
                    ..
                } if !infrastructure.is_empty() || last_running.is_some() => {
                    format!("see the end of its test log with: bbreport build '{name}' {number}")
                }
                // Without a number repro would pick the newest build with a failing test:
                // name it, rather than send the user to a run that may say the same.
                Nothing::AllPassed { .. } => match newest_failed(ctx, live, builder).await? {
                    Choice::Build { number: newest, .. } if newest != number => format!(
                        "the newest build of {name} with a failing test is #{newest}: \
                         bbreport repro '{name}' {newest}"
                    ),
                    _ => format!("see what the build did with: bbreport build '{name}' {number}"),
                },
                Nothing::TestStepMissing | Nothing::LogMissing(_) | Nothing::LogDeleted(_) => {
                    format!("see what failed with: bbreport build '{name}' {number}")
                }
            };
            let what = format!(
                "{name} #{number} ({}): {}",
                describe(&build),
                nothing.reason()
            );
            return Ok(nothing_to_reproduce(&what, &hint));
        }
    };
    if let Some(dir) = &out {
        write_replay_files(dir, &plan)?;
    }
    let input = ReproInput {
        builder,
        build: &build,
        plan: &plan,
        out: out.as_deref(),
    };
    output::write_report(&ReproReport::new(input, &ctx.origin()), &ctx.output)?;
    Ok(exit_code::OK)
}

/// Not an error: an answer with nothing on stdout, its reason on stderr, and its own exit code.
fn nothing_to_reproduce(what: &str, hint: &str) -> u8 {
    // The answer is final: no progress line left under it.
    crate::stderr::clear_progress();
    crate::stderr::note(&format!("nothing to reproduce in {what}"));
    crate::stderr::line(&format!("hint: {hint}"));
    exit_code::NOTHING_TO_REPRODUCE
}

/// Why a build's test log gives nothing to reproduce.
#[derive(Debug)]
enum Nothing {
    TestStepMissing,
    /// The test step's name.
    LogMissing(String),
    /// The test step's name: its log's content was deleted by the server's janitor.
    LogDeleted(String),
    /// The run finished without a failure left; these tests failed, then passed on re-run.
    AllPassed {
        passed_on_rerun: Vec<String>,
        /// Infrastructure causes the log names (Buildbot's no-output kill, a runner that
        /// failed before any test ran): the step failed, but no test is to blame.
        infrastructure: Vec<String>,
        /// The test still running when the log ends.
        last_running: Option<String>,
    },
}

impl Nothing {
    fn reason(&self) -> String {
        match self {
            Nothing::TestStepMissing => "it has no test step".into(),
            Nothing::LogMissing(step) => format!("its {} step has no stdio log", sanitize(step)),
            Nothing::LogDeleted(step) => format!(
                "its {} step's log was deleted by the server (Buildbot's janitor keeps logs for a \
                 limited time)",
                sanitize(step)
            ),
            Nothing::AllPassed {
                passed_on_rerun,
                infrastructure,
                last_running,
            } => {
                let mut s = "no test failed, timed out or crashed".to_string();
                if !passed_on_rerun.is_empty() {
                    s.push_str(&format!(
                        " in the end ({} passed on re-run)",
                        sanitize(&passed_on_rerun.join(" "))
                    ));
                }
                if !infrastructure.is_empty() {
                    s.push_str(&format!(
                        "; the log shows {}",
                        sanitize(&infrastructure.join(", "))
                    ));
                }
                if let Some(t) = last_running {
                    s.push_str(&format!("; {} was still running when it ends", sanitize(t)));
                }
                s
            }
        }
    }
}

fn examine(read: &TestLog) -> Result<ReproPlan, Nothing> {
    let Some(summary) = &read.summary else {
        return Err(match &read.step {
            Some(step) if read.log.as_ref().is_some_and(|l| l.deleted()) => {
                Nothing::LogDeleted(step.clone())
            }
            Some(step) => Nothing::LogMissing(step.clone()),
            None => Nothing::TestStepMissing,
        });
    };
    plan(summary).ok_or_else(|| Nothing::AllPassed {
        passed_on_rerun: summary.passed_on_rerun.clone(),
        infrastructure: summary.infrastructure.clone(),
        last_running: summary.last_running.clone(),
    })
}

/// `success`, `warnings`, `failed compile` (Buildbot's reason for a build that did not pass),
/// `running`.
fn describe(b: &Build) -> String {
    match BuildResult::from_code(b.results) {
        Some(r) if r.passed() => r.as_str().to_string(),
        Some(_) => sanitize(&failure_reason(&b.state_string)).into_owned(),
        None if !b.complete => "running".into(),
        None => "unknown result".into(),
    }
}

enum Choice {
    /// The build to reproduce, and the newer builds passed over (`#5 success, …`).
    Build {
        number: u32,
        newer: String,
    },
    None {
        why: String,
        hint: String,
    },
}

/// The newest of the builder's last [`LOOK_BACK`] builds that failed or ended in warnings (a
/// test that passed only on re-run) and whose test log names a test to reproduce. The head and
/// tail of a log say that (the final lists of failed tests are at its end) and are cached, so
/// only the chosen build's log is then read whole.
async fn newest_failed(ctx: &Context, live: &Live, builder: &Builder) -> Result<Choice, Error> {
    let builds =
        newest_builds_of(&ctx.source, builder.builderid, Newest::builds(LOOK_BACK)).await?;
    let name = sanitize(&builder.name);
    let mut passed_over: Vec<String> = Vec::new();
    let mut probed = 0;
    for b in &builds {
        if b.complete && matches!(b.results, Some(1 | 2)) && probed < MAX_PROBED {
            probed += 1;
            let read = test_log::read(live, b, false).await?;
            if examine(&read).is_ok() {
                return Ok(Choice::Build {
                    number: b.number,
                    newer: listed(&passed_over),
                });
            }
        }
        passed_over.push(format!("#{} {}", b.number, describe(b)));
    }
    if builds.is_empty() {
        return Ok(Choice::None {
            why: "it has no builds".into(),
            hint: format!("see its builds with: bbreport -v -n '{name}'"),
        });
    }
    let why = format!(
        "none of its newest {} builds has a failing test ({})",
        builds.len(),
        listed(&passed_over)
    );
    let hint = if probed == MAX_PROBED {
        format!(
            "the test logs of its newest {MAX_PROBED} failed builds were read; name an older one: bbreport repro '{name}' NUMBER"
        )
    } else {
        format!("see its builds with: bbreport -v -n '{name}'")
    };
    Ok(Choice::None { why, hint })
}

/// The first [`NEWER_NAMED`] items, then how many more.
fn listed(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(NEWER_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > NEWER_NAMED {
        s.push_str(&format!(" and {} more", items.len() - NEWER_NAMED));
    }
    s
}
