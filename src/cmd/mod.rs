//! Subcommands: the enum and the dispatch, nothing else. Each lives in its own file with its
//! `Args` (whose doc comment is its help) and its `run`.

mod args;
pub mod build;
pub mod cache;
pub mod commit;
pub mod console;
pub mod failures;
pub mod log;
pub mod pr;
pub mod release;
pub mod repro;
pub mod snapshot;
pub mod summary;
pub mod test;
pub mod tests;
pub mod watch;
pub mod waterfall;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Error;

#[derive(Debug, Subcommand)]
pub enum Command {
    Release(release::ReleaseArgs),
    Waterfall(waterfall::WaterfallArgs),
    Console(console::ConsoleArgs),
    Build(build::BuildArgs),
    Failures(failures::FailuresArgs),
    Commit(commit::CommitArgs),
    Pr(pr::PrArgs),
    Repro(repro::ReproArgs),
    Log(log::LogArgs),
    Snapshot(snapshot::SnapshotArgs),
    Cache(cache::CacheArgs),
    Watch(watch::WatchArgs),
    Tests(tests::TestsArgs),
    Test(test::TestArgs),
}

impl Command {
    /// The BRANCH arguments the subcommand was given (for checks made before any request).
    pub fn branch_args(&self) -> Vec<&str> {
        match self {
            Command::Release(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Waterfall(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Watch(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Console(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Failures(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Tests(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Test(a) => a.branch.iter().map(String::as_str).collect(),
            Command::Build(_)
            | Command::Commit(_)
            | Command::Pr(_)
            | Command::Repro(_)
            | Command::Log(_)
            | Command::Snapshot(_)
            | Command::Cache(_) => Vec::new(),
        }
    }
}

/// The verbs that read no server run here, before any server, snapshot or cache is set up;
/// `None` for the others, which [`dispatch`] runs.
pub fn dispatch_local(
    command: Option<&Command>,
    summary: &summary::SummaryArgs,
    global: &crate::global::GlobalArgs,
    now: i64,
) -> Option<Result<u8, Error>> {
    let Some(Command::Log(args)) = command else {
        return None;
    };
    Some(match check_no_summary_options(summary) {
        Ok(()) => log::run(args, global, now),
        Err(e) => Err(e),
    })
}

fn check_no_summary_options(summary: &summary::SummaryArgs) -> Result<(), Error> {
    if summary.is_set() {
        return Err(Error::usage(
            "branches and summary options (-q, -n, -b, -l, -v, --id) do not apply to a subcommand",
            Some(
                "put them after the subcommand if it takes them (`bbreport SUBCOMMAND --help` \
                 lists its options), or in a separate `bbreport [OPTIONS] [BRANCH]...` run"
                    .to_string(),
            ),
        ));
    }
    Ok(())
}

pub async fn dispatch(
    command: Option<&Command>,
    summary: &summary::SummaryArgs,
    global: &crate::global::GlobalArgs,
    ctx: &Context,
) -> Result<u8, Error> {
    if command.is_some() {
        check_no_summary_options(summary)?;
    }
    match command {
        None => summary::run(summary, ctx).await,
        Some(Command::Release(args)) => release::run(args, ctx).await,
        Some(Command::Waterfall(args)) => waterfall::run(args, ctx).await,
        Some(Command::Console(args)) => console::run(args, ctx).await,
        Some(Command::Build(args)) => build::run(args, ctx).await,
        Some(Command::Failures(args)) => failures::run(args, ctx).await,
        Some(Command::Commit(args)) => commit::run(args, ctx).await,
        Some(Command::Pr(args)) => pr::run(args, ctx).await,
        Some(Command::Repro(args)) => repro::run(args, ctx).await,
        // `dispatch_local` runs it before a context is made; the same run here.
        Some(Command::Log(args)) => log::run(args, global, ctx.now),
        Some(Command::Snapshot(args)) => snapshot::run(args, ctx).await,
        Some(Command::Tests(args)) => tests::run(args, ctx).await,
        Some(Command::Test(args)) => test::run(args, ctx).await,
        Some(Command::Cache(args)) => cache::run(args, ctx).await,
        Some(Command::Watch(args)) => match watch::run(args, ctx).await? {
            watch::Ending::Exit(code) => Ok(code),
            watch::Ending::ReleaseAt { branches, revision } => {
                release::run(&release::ReleaseArgs::at(branches, revision), ctx).await
            }
        },
    }
}
