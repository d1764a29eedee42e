//! `bbreport failures [BRANCH]`: which tests fail on a branch, where, since when, and why.

use std::collections::BTreeMap;

use clap::Args;
use tokio::task::JoinSet;

use crate::api::types::{Build, BuilderId};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::{name_glob, one_branch};
use crate::fetch::{Live, Newest, newest_builds, test_log, warn_failed};
use crate::model::build::{failed_step, test_step};
use crate::model::failures::{
    LogNote, NoFailingTest, NoTestWhy, OutsideTests, ParsedBuild, Placement, ReadBuild,
    TestStepException, log_note, matrix, placement, unlocated,
};
use crate::model::status::BuildResult;
use crate::model::summary::failure_reason;
use crate::output;
use crate::report::failures::{FailuresInput, FailuresReport};

/// Show the failing tests of a branch: a test × builder matrix with a classification
///
/// Reads the test log (head and tail windows) of every failed, warnings or exception build
/// among each builder's newest --builds builds, then classifies each test: failing on several
/// kinds of builders (likely regression), only on builders sharing a tag or worker (platform or
/// worker issue), on one builder in its newest 2 builds or more in a row (persistent there, as
/// `release` counts it) or failing then passing (flaky), or unknown when the data is thin (a
/// fresh failure). No failed build is dropped: exceptions in the test step, test steps that
/// failed with a log naming no failing test (a no-output kill, a runner that never started the
/// tests, a log deleted or unreadable) and failures outside the tests are listed with what is
/// known of them. Costs 3 requests
/// plus about 3 per failed, warnings or exception build. Works on a snapshot (--snapshot DIR),
/// which records what it reads of those builds.
#[derive(Debug, Args)]
pub struct FailuresArgs {
    /// Branch to examine [default: the config's first branch, else the newest branch]
    #[arg(value_name = "BRANCH")]
    pub branch: Option<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    /// Newest builds read per builder
    #[arg(short = 'l', long, visible_alias = "limit", value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub builds: u32,
}

pub async fn run(args: &FailuresArgs, ctx: &Context) -> Result<u8, Error> {
    let live = ctx.live("bbreport failures")?;
    let glob = name_glob(args.name.as_deref())?;
    let (builders, workers) = ctx.source.fleet().await?;
    let (branch, selection) = one_branch(
        &builders,
        &workers,
        &ctx.tag_rules,
        ctx.config.branches.as_deref(),
        args.branch.as_ref(),
        glob.as_ref(),
    )?;
    let ids: Vec<BuilderId> = selection.builders.iter().map(|b| b.builderid).collect();
    let fetched = newest_builds(&ctx.source, &ids, Newest::builds(args.builds as usize)).await?;
    warn_failed(&fetched.failed, ids.len(), "they are marked unknown");

    // Every finished success, warnings or failure build counts as "read" (a pass says the
    // tests passed); failed, warnings and exception builds have their test logs read, and the
    // test step's result says where each belongs (model::failures::placement).
    let mut read: BTreeMap<BuilderId, Vec<ReadBuild>> = BTreeMap::new();
    let mut tasks = JoinSet::new();
    for (id, builds) in &fetched.by_builder {
        for b in builds.iter().filter(|b| b.complete) {
            let Some(result) = BuildResult::from_code(b.results) else {
                continue;
            };
            if result.is_decisive() {
                read.entry(*id).or_default().push((b.number, result));
            }
            if matches!(
                result,
                BuildResult::Warnings | BuildResult::Failure | BuildResult::Exception
            ) {
                let live = live.clone();
                let b = b.clone();
                tasks.spawn(async move {
                    let read = parse_build(&live, &b).await;
                    (b, read)
                });
            }
        }
    }
    let mut parsed = Vec::new();
    let mut outside: Vec<OutsideTests> = Vec::new();
    let mut exceptions: Vec<TestStepException> = Vec::new();
    let mut no_test: Vec<NoFailingTest> = Vec::new();
    let mut notes: Vec<LogNote> = Vec::new();
    let mut errors = 0;
    while let Some(joined) = tasks.join_next().await {
        let Ok((b, read)) = joined else {
            errors += 1;
            continue;
        };
        match read {
            Ok(p) => {
                parsed.extend(p.summary);
                notes.extend(p.note);
                match p.placed {
                    Placed::Tests => {}
                    Placed::Exception(e) => exceptions.push(e),
                    Placed::Outside(o) => outside.push(o),
                    Placed::NoFailingTest(n) => no_test.push(n),
                }
            }
            Err(e) => {
                errors += 1;
                crate::stderr::warn(&format!(
                    "could not read the test log of {} #{}: {e}",
                    name_of_id(&selection.builders, b.builderid),
                    b.number
                ));
                // Still a failed build: listed, with why nothing more is known.
                if let Some(result @ (BuildResult::Failure | BuildResult::Exception)) =
                    BuildResult::from_code(b.results)
                {
                    no_test.push(NoFailingTest {
                        builderid: b.builderid,
                        builder: String::new(),
                        number: b.number,
                        result,
                        reason: failure_reason(&b.state_string),
                        step: None,
                        why: NoTestWhy::LogUnreadable,
                        causes: Vec::new(),
                        env_changed: Vec::new(),
                        last_test: None,
                        log_lines: None,
                        read_error: Some(e.to_string()),
                        unlocated: None,
                    });
                }
            }
        }
    }
    outside.sort_by_key(|o| (o.builderid, std::cmp::Reverse(o.number)));
    exceptions.sort_by_key(|e| (e.builderid, std::cmp::Reverse(e.number)));
    no_test.sort_by_key(|n| (n.builderid, std::cmp::Reverse(n.number)));
    notes.sort_by_key(|n| (n.builderid, std::cmp::Reverse(n.number)));
    let worker_names: BTreeMap<BuilderId, Vec<String>> = selection
        .builders
        .iter()
        .map(|b| {
            let names = workers
                .iter()
                .filter(|w| w.configured_on.iter().any(|c| c.builderid == b.builderid))
                .map(|w| w.name.clone())
                .collect();
            (b.builderid, names)
        })
        .collect();
    let rows = matrix(
        &selection.builders,
        &worker_names,
        &parsed,
        &read,
        &ctx.known_issues,
    );
    let name_of = |id: BuilderId| name_of_id(&selection.builders, id);
    for n in &mut no_test {
        n.builder = name_of(n.builderid);
    }
    for o in &mut outside {
        o.builder = name_of(o.builderid);
    }
    for e in &mut exceptions {
        e.builder = name_of(e.builderid);
    }
    for n in &mut notes {
        n.builder = name_of(n.builderid);
    }
    let input = FailuresInput {
        branch: &branch,
        builds_per_builder: args.builds as usize,
        logs_parsed: parsed.len(),
        rows: &rows,
        outside: &outside,
        exceptions: &exceptions,
        no_failing_test: &no_test,
        log_notes: &notes,
    };
    output::write_report(&FailuresReport::new(input, &ctx.origin()), &ctx.output)?;
    let incomplete = errors > 0 || !fetched.failed.is_empty();
    Ok(if incomplete {
        exit_code::INCOMPLETE
    } else {
        exit_code::OK
    })
}

fn name_of_id(builders: &[crate::model::select::SelectedBuilder], id: BuilderId) -> String {
    builders
        .iter()
        .find(|b| b.builderid == id)
        .map(|b| b.name.clone())
        .unwrap_or_default()
}

/// What one build's test log gave: its parsed summary (for the matrix: a log that names no
/// failing test still says which tests passed), and where the build is listed.
struct Parsed {
    summary: Option<ParsedBuild>,
    placed: Placed,
    /// A build of the matrix whose log does not tell everything (killed, cut short, searched
    /// without finding every failure).
    note: Option<LogNote>,
}

enum Placed {
    /// In the matrix, or (a WARNINGS build with nothing failing) nowhere.
    Tests,
    Exception(TestStepException),
    Outside(OutsideTests),
    NoFailingTest(NoFailingTest),
}

async fn parse_build(live: &Live, b: &Build) -> Result<Parsed, crate::api::ApiError> {
    let read = test_log::read(live, b, false).await?;
    let step_result = test_step(&read.steps).map(|s| s.results);
    let reason = failure_reason(&b.state_string);
    let result = BuildResult::from_code(b.results).unwrap_or(BuildResult::Failure);
    let deleted = read.log.as_ref().is_some_and(|l| l.deleted());
    let placed = match placement(result, step_result, read.summary.as_ref(), deleted) {
        Placement::Tests => Placed::Tests,
        Placement::TestStepException => {
            let summary = read.summary.clone().unwrap_or_default();
            Placed::Exception(TestStepException {
                builderid: b.builderid,
                builder: String::new(),
                number: b.number,
                reason,
                causes: summary.infrastructure,
                last_test: summary.last_running,
            })
        }
        Placement::NoFailingTest(why) => {
            let summary = read.summary.clone().unwrap_or_default();
            Placed::NoFailingTest(NoFailingTest {
                builderid: b.builderid,
                builder: String::new(),
                number: b.number,
                result,
                reason,
                step: read.step.clone(),
                why,
                causes: summary.infrastructure,
                env_changed: summary.env_changed,
                last_test: summary.last_running,
                log_lines: read.log.as_ref().map(|l| l.num_lines),
                read_error: None,
                unlocated: unlocated(read.search.as_ref()),
            })
        }
        Placement::OutsideTests => {
            let reason = match result {
                BuildResult::Exception if !reason.starts_with("exception") => {
                    format!("exception: {reason}")
                }
                _ => reason,
            };
            Placed::Outside(OutsideTests {
                builderid: b.builderid,
                builder: String::new(),
                number: b.number,
                reason,
                step: failed_step(&read.steps).map(|s| s.name.clone()),
            })
        }
    };
    let note = match (&placed, &read.summary) {
        (Placed::Tests, Some(summary)) => {
            log_note(b.builderid, b.number, summary, read.search.as_ref())
        }
        _ => None,
    };
    let summary = match placed {
        // An exception's log is cut short by the exception: it is listed, not judged.
        Placed::Exception(_) => None,
        _ => read.summary.map(|summary| ParsedBuild {
            builderid: b.builderid,
            number: b.number,
            summary,
        }),
    };
    Ok(Parsed {
        summary,
        placed,
        note,
    })
}
