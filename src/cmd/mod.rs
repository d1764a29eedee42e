//! Subcommands: the enum and the dispatch, nothing else. Each lives in its own file with its
//! `Args` (whose doc comment is its help) and its `run`.

mod args;
pub mod build;
pub mod cache;
pub mod console;
pub mod failures;
pub mod release;
pub mod repro;
pub mod snapshot;
pub mod summary;
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
    Repro(repro::ReproArgs),
    Snapshot(snapshot::SnapshotArgs),
    Cache(cache::CacheArgs),
    Watch(watch::WatchArgs),
}

pub async fn dispatch(
    command: Option<&Command>,
    summary: &summary::SummaryArgs,
    ctx: &Context,
) -> Result<u8, Error> {
    if command.is_some() && summary.is_set() {
        return Err(Error::usage(
            "branches and summary options (-q, -n, -b, -l, -v, --id) do not apply to a subcommand",
            Some("put them in a separate `bbreport [OPTIONS] [BRANCH]...` run".to_string()),
        ));
    }
    match command {
        None => summary::run(summary, ctx).await,
        Some(Command::Release(args)) => release::run(args, ctx).await,
        Some(Command::Waterfall(args)) => waterfall::run(args, ctx).await,
        Some(Command::Console(args)) => console::run(args, ctx).await,
        Some(Command::Build(args)) => build::run(args, ctx).await,
        Some(Command::Failures(args)) => failures::run(args, ctx).await,
        Some(Command::Repro(args)) => repro::run(args, ctx).await,
        Some(Command::Snapshot(args)) => snapshot::run(args, ctx).await,
        Some(Command::Cache(args)) => cache::run(args, ctx).await,
        Some(Command::Watch(args)) => match watch::run(args, ctx).await? {
            watch::Ending::Exit(code) => Ok(code),
            watch::Ending::ReleaseAt { branches, revision } => {
                release::run(&release::ReleaseArgs::at(branches, revision), ctx).await
            }
        },
    }
}
