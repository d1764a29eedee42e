//! The command-line interface: global options, the default summary, and subcommands.

use clap::Parser;

use crate::cmd::Command;
use crate::cmd::summary::SummaryArgs;
pub use crate::config::ColorChoice;
pub use crate::global::{DEFAULT_SERVER, FormatChoice, GlobalArgs};
use crate::model::edit_distance::edit_distance;

/// Read a Buildbot fleet from the terminal.
///
/// With no subcommand, bbreport prints the state of every active builder of the given branches
/// (all branches when none is given): its status (success, unstable, failure, building,
/// offline, no builds), its newest builds and why the last one failed.
#[derive(Debug, Parser)]
#[command(
    name = "bbreport",
    version,
    after_long_help = after_help(),
)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    #[command(flatten)]
    pub(crate) summary: SummaryArgs,
}

fn after_help() -> String {
    format!(
        "Examples:\n  \
         bbreport -q 3.x                        one line per 3.x builder\n  \
         bbreport -qq                           builders grouped by status, all branches\n  \
         bbreport -n '*fedora*' 3.14 3.x        Fedora builders of two branches\n  \
         bbreport --format json 3.x | jq .totals\n  \
         bbreport --snapshot tests/fixtures/snapshot -q 3.x   offline, from a recorded snapshot\n  \
         bbreport release 3.14                  release verdict; exit 0 only when Releasable\n  \
         bbreport --since-last-run --only-changes 3.x   cron: only what changed, else nothing\n  \
         bbreport watch 3.x --interval 60       a line per state change, until Ctrl-C\n  \
         bbreport commit 3f2a1c9 --watch        did my push break anything? (exit 13: yes)\n  \
         bbreport tests --days 7                which tests fail or flake, where, how often\n  \
         bbreport test test_asyncio --format markdown   one test's history, for an issue\n  \
         bbreport log test.log                  triage a saved test log and how to reproduce it, no server\n  \
         bbreport cache info                    the local cache: where, how fresh, what it holds\n\n{}",
        crate::exit_code::help_text()
    )
}

impl Cli {
    /// Whether the command reads through the local cache: `cache` manages the files itself, and
    /// `snapshot` records what the server says now.
    pub fn reads_through_cache(&self) -> bool {
        !matches!(self.command, Some(Command::Cache(_) | Command::Snapshot(_)))
    }

    /// Whether the run ends with the `--stats` line (`--stats`, or the summary's `-v`), which
    /// names the master's Buildbot version. `cache` reads no server.
    pub fn shows_stats_line(&self) -> bool {
        let summary_verbose = self.command.is_none() && self.summary.verbose;
        (self.global.stats || summary_verbose) && !matches!(self.command, Some(Command::Cache(_)))
    }

    /// What clap cannot see: a mistyped subcommand lands among the summary's BRANCH arguments
    /// (`bbreport relase 3.14`), and an empty branch (`bbreport -q "$UNSET"`) would silently
    /// select every branch. Both are usage errors, found before any request is made.
    pub fn check(&self) -> Result<(), crate::error::Error> {
        use clap::CommandFactory;
        let args = &self.summary;
        let subcommand_branches = self
            .command
            .as_ref()
            .map(Command::branch_args)
            .unwrap_or_default();
        if args
            .branch
            .iter()
            .chain(&args.branches)
            .map(String::as_str)
            .chain(subcommand_branches)
            .any(|b| b.trim().is_empty())
        {
            return Err(crate::error::Error::usage(
                "an empty branch name was given",
                Some(
                    "name a branch (e.g. 3.x), or give none for every branch; an unset shell variable?"
                        .to_string(),
                ),
            ));
        }
        // The digest keeps its state in the cache: without one it cannot run, whatever the
        // server says, so say it before asking the server anything.
        if args.since_last_run {
            let g = &self.global;
            let ruled_out = [
                (g.no_cache, "--no-cache turns it off", "drop --no-cache"),
                (g.offline, "--offline does not write it", "drop --offline"),
                (
                    g.snapshot.is_some(),
                    "a snapshot run has none",
                    "drop --snapshot (or BBREPORT_SNAPSHOT)",
                ),
            ];
            if let Some((_, why, hint)) = ruled_out.iter().find(|(on, ..)| *on) {
                return Err(crate::error::Error::usage(
                    format!("--since-last-run keeps its state in the cache, and {why}"),
                    Some(hint.to_string()),
                ));
            }
        }
        // `log` reads a local file: an option about the server would be silently ignored, and
        // a user who gave one expects it to matter.
        if matches!(self.command, Some(Command::Log(_))) {
            let g = &self.global;
            let server_options = [
                (g.server.is_some(), "--server"),
                (g.snapshot.is_some(), "--snapshot"),
                (g.offline, "--offline"),
                (g.no_cache, "--no-cache"),
                (g.timeout.is_some(), "--timeout"),
                (g.url, "--url"),
                (g.stats, "--stats"),
            ];
            if let Some((_, flag)) = server_options.iter().find(|(on, _)| *on) {
                return Err(crate::error::Error::usage(
                    format!("{flag} does not apply to `bbreport log`, which reads a local file"),
                    Some(format!(
                        "drop {flag}; to triage a build on a server: bbreport build BUILDER NUMBER"
                    )),
                ));
            }
        }
        if self.command.is_none()
            && let Some(first) = args.branch.first()
        {
            let word = first.to_ascii_lowercase();
            let closest = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .filter(|name| name != "help")
                .map(|name| (edit_distance(&word, &name), name))
                .min();
            // A branch name has a digit or is short (PR, main); a word one or two edits from a
            // subcommand is a typo of it.
            if let Some((distance, name)) = closest
                && (1..=2).contains(&distance)
                && word.len() >= 4
                && !word.chars().any(|c| c.is_ascii_digit())
            {
                return Err(crate::error::Error::usage(
                    format!("unknown subcommand or branch '{first}'"),
                    Some(format!("did you mean `bbreport {name}`?")),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn typos_of_subcommands_are_caught_and_branches_are_not() {
        let check = |args: &[&str]| {
            Cli::try_parse_from(std::iter::once("bbreport").chain(args.iter().copied()))
                .expect("parses")
                .check()
                .map_err(|e| e.to_string())
        };
        assert!(
            check(&["relase", "3.14"])
                .expect_err("typo")
                .contains("'relase'")
        );
        assert!(check(&["watefall"]).is_err());
        assert!(
            check(&["-q", ""])
                .expect_err("empty")
                .contains("empty branch")
        );
        for fine in [
            &["3.x"][..],
            &["PR"],
            &["main"],
            &["all"],
            &["3.14", "3.13"],
            &["release"],
        ] {
            assert!(check(fine).is_ok(), "{fine:?}");
        }
    }
}
