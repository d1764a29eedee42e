//! `bbreport log FILE`: the triage and repro commands of a regrtest log the user has as a file,
//! with no server.

use clap::Args;

use super::args::{ReplayOut, write_replay_files};
use crate::error::Error;
use crate::exit_code;
use crate::fetch::log_file;
use crate::global::GlobalArgs;
use crate::model::log_file::shows_regrtest;
use crate::model::repro::plan;
use crate::output;
use crate::render::text::human_bytes;
use crate::report::log::{LogInput, LogReport};

/// Triage a regrtest log from a file: what failed, and the commands to reproduce it
///
/// FILE is a test run's output as plain text: Buildbot's stdio download of the test step, a
/// GitHub Actions job log (its timestamps are skipped), or a local `python -m test` run; `-`
/// reads standard input. The whole file is read, in pieces (any size; bytes that are not UTF-8
/// are fine). Prints what `bbreport build` says of a test log (failed, re-run and flaky, env
/// changed, crashes, timeouts, leaks, infrastructure, the test still running, seed, result,
/// and whether the lists were rebuilt from progress lines because the log has no final
/// summary), then the commands `bbreport repro` gives. An order of more than 40 tests is not
/// printed: --out DIR writes it and its halves to files there, as `repro --out DIR` does. No
/// server, cache or network is used.
///
/// Exit 0 when the report is printed, whether or not tests failed (as `build`; JSON's
/// `repro` is null when nothing failed). A file that cannot be read (missing, a directory,
/// no permission, gzip or zip), or an --out DIR that cannot be written, exits 9; a file with no
/// regrtest output at all (empty, another step's log, binary data) is a usage error, exit 2.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The log file, or - for standard input
    #[arg(value_name = "FILE")]
    pub file: String,

    #[command(flatten)]
    pub out: ReplayOut,
}

/// Runs without a [`crate::context::Context`]: nothing of the server's (URL, snapshot, cache)
/// is set up or needed. `now` is the run's clock.
pub fn run(args: &LogArgs, global: &GlobalArgs, now: i64) -> Result<u8, Error> {
    let settings = output::local_settings(global)?;
    // Before the file is read: a DIR that cannot be written fails fast.
    let out = args.out.check()?;
    let read = log_file::read(&args.file)?;
    let s = &read.summary;
    if !shows_regrtest(s) {
        let what = if args.file == "-" {
            "standard input".to_string()
        } else {
            args.file.clone()
        };
        let message = if read.bytes == 0 {
            format!("{what} is empty: it holds no regrtest output")
        } else {
            format!(
                "{what} holds no regrtest output ({} line{}, {} read: no test run, result or \
                 summary)",
                s.lines,
                if s.lines == 1 { "" } else { "s" },
                human_bytes(read.bytes)
            )
        };
        return Err(Error::usage(
            message,
            Some(
                "give the log of a test run: Buildbot's stdio download of the test step, a \
                 GitHub Actions job log, or saved `python -m test` output"
                    .to_string(),
            ),
        ));
    }
    if let (Some(dir), Some(plan)) = (&out, plan(s)) {
        write_replay_files(dir, &plan)?;
    }
    let report = LogReport::new(LogInput {
        file: &args.file,
        bytes: read.bytes,
        summary: s,
        now,
        out: out.as_deref(),
    });
    output::write_report(&report, &settings)?;
    Ok(exit_code::OK)
}
