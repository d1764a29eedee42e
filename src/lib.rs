//! bbreport: read a Buildbot fleet from the terminal.
//!
//! Layers, with one-way dependencies: [`api`] talks to the master (the only code that knows
//! URLs) and [`cache`] stores what can be reused, both below [`fetch`], which decides where each
//! answer comes from; [`model`] computes view models (pure), [`render`] writes them. [`cmd`]
//! holds one file per subcommand wiring them together; [`context`] gathers what the command
//! line, config file and environment decided.

// The library exists for the binary: its docs are read with --document-private-items, and the
// few public modules' docs may name the internals around them.
#![allow(rustdoc::private_intra_doc_links)]

// Public only for what the integration tests, fuzzers and benchmarks use: the command line
// (generated completions and man pages), the exit codes, the API types and the log parser.
pub mod api;
pub(crate) mod cache;
pub mod cli;
pub(crate) mod cmd;
pub(crate) mod config;
pub(crate) mod context;
pub mod error;
pub mod exit_code;
pub(crate) mod fetch;
pub(crate) mod global;
pub mod model;
pub(crate) mod output;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod stderr;

use cli::Cli;
use error::Error;

/// Run a parsed command line; the `Ok` value is the exit code.
pub fn run(cli: &Cli) -> Result<u8, Error> {
    cli.check()?;
    if let Some(result) = cmd::dispatch_local(
        cli.command.as_ref(),
        &cli.summary,
        &cli.global,
        context::now(),
    ) {
        return result;
    }
    let ctx = context::Context::new(&cli.global, cli.reads_through_cache())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(Error::Output)?;
    // The `--stats` line names the master's version: read beside the command's first requests
    // (one request, in their round; cached for a day), so the line always has it.
    let result = runtime.block_on(async {
        let ((), result) = tokio::join!(
            async {
                if cli.shows_stats_line() {
                    ctx.read_server_version().await;
                }
            },
            cmd::dispatch(cli.command.as_ref(), &cli.summary, &cli.global, &ctx)
        );
        result
    });
    // Also after a failure: what the run cost and how often it retried explain the error.
    if ctx.show_stats {
        crate::stderr::line(&ctx.stats_line());
    }
    result
}
