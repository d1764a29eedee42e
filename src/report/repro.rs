//! How to reproduce a build's test failure locally (`bbreport repro`): the buildbot's command
//! with its seed, the failing test alone, the run order when it carries over and regrtest's
//! bisection when it does not. Its JSON is `kind: "repro"`.

use std::path::Path;

use serde::Serialize;

use super::header::{JsonHeader, ReportOrigin};
use crate::api::types::{Build, Builder};
use crate::model::regrtest::shell_word;
use crate::model::repro::{
    BISECT_OUTPUT_FILE, CommandOrigin, FIRST_HALF_FILE, ORDER_FILE, ReproMode, ReproPlan,
    SECOND_HALF_FILE,
};

#[derive(Debug, Serialize)]
pub struct ReproReport {
    #[serde(flatten)]
    pub header: JsonHeader,
    pub builder: String,
    pub builderid: u32,
    /// The builder's web page.
    pub builder_url: String,
    pub number: u32,
    /// The build's web page.
    pub url: String,
    /// `got_revision`: the commit to check out.
    pub revision: Option<String>,
    /// `git checkout REV`, the first command to run; null when the build names no commit id.
    pub checkout: Option<String>,
    /// The commands, from the test log alone (`bbreport log` prints the same).
    #[serde(flatten)]
    pub plan: ReproPlanEntry,
}

/// How to reproduce a run's failure, from its log alone: what `repro` says after the checkout,
/// and what `bbreport log` says about a log file.
#[derive(Debug, Serialize)]
pub struct ReproPlanEntry {
    /// The run's regrtest command for a local checkout (`./python -m test …`), its seed pinned
    /// (unless the run was not randomized and its order carries over); null when the log shows
    /// neither a command nor a seed.
    pub command: Option<String>,
    /// `log`: the log's own command line; `rebuilt`: the log shows none, so it was rebuilt from
    /// what the log shows, `guessed` saying which options are guesses; null: no command.
    pub command_source: Option<&'static str>,
    /// Options the log implies without showing them, and what in it suggests each: those of a
    /// rebuilt command, or (no command at all) those kept for the test alone.
    pub guessed: Vec<GuessEntry>,
    /// `Using random seed: N`.
    pub seed: Option<u64>,
    /// The test order was random (the seed fixes it); false: it was not, and where the order
    /// carries over (sequential, `-j1`) the command leaves `--randseed` out (it implies `-r`
    /// and would shuffle it); null: the log does not say.
    pub randomized: Option<bool>,
    /// The test to reproduce: the first that failed, in run order when known.
    pub target: String,
    /// Every test that failed, timed out, crashed or leaked, the target among them.
    pub failed: Vec<String>,
    /// The target alone, with the run's `--testdir`, `-R`, `-u` and `--timeout`.
    pub alone: String,
    /// The other tests of `failed`, in its order, each with its command alone (options as
    /// `alone`'s); empty when only the target failed.
    pub also_failed: Vec<OtherTest>,
    /// One command running every test of `failed` (options as `alone`'s); null when only the
    /// target failed.
    pub all_failed: Option<String>,
    /// The test still running when the log ends (the hang that got a killed run killed), with
    /// its command alone; null when the run finished or the log cannot say.
    pub last_running: Option<OtherTest>,
    pub mode: RunMode,
}

/// A test besides the target, and the command running it alone.
#[derive(Debug, Serialize)]
pub struct OtherTest {
    pub test: String,
    pub alone: String,
}

#[derive(Debug, Serialize)]
pub struct GuessEntry {
    pub option: String,
    pub why: String,
}

/// Whether the log's order is the order the tests ran in.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunMode {
    /// One process, or one worker process at a time: the log's order is the run order.
    Sequential {
        /// Tests run before the target, in order.
        before: Vec<String>,
        /// The two halves of `before`, each to run followed by the target.
        first_half: Vec<String>,
        second_half: Vec<String>,
        /// Each test ran in a fresh worker process (`-j1`): replay with `-j1` too.
        worker_processes: bool,
        /// The options every replay needs besides `--fromfile FILE` (`-R`, `-u`, `-j1`…).
        replay_options: Vec<String>,
        /// With `--out DIR`: the `--fromfile` files written there; null without `--out`.
        files: Option<ReplayFiles>,
    },
    /// Several worker processes (0: as many as CPUs), each test file in a fresh one: no order
    /// carries over.
    Parallel {
        workers: u32,
        /// `python -m test.bisect_cmd` on the target: the methods that fail together.
        bisect: String,
    },
    /// The log does not show where the target ran.
    OrderUnknown,
}

/// The `--fromfile` lists `repro --out DIR` wrote, as absolute paths: one test per line, each
/// ending with the target.
#[derive(Debug, Serialize)]
pub struct ReplayFiles {
    /// `--out`, made absolute (regrtest reads `--fromfile` relative to where it starts).
    pub dir: String,
    /// `DIR/tests-order.txt`: the tests run before the target, in order, then the target.
    pub order: String,
    /// `DIR/bisect-half1.txt` and `DIR/bisect-half2.txt`: each half of that order, then the
    /// target; null when fewer than 2 tests ran before it.
    pub first_half: Option<String>,
    pub second_half: Option<String>,
}

/// What `bbreport repro` read and planned.
#[derive(Debug, Clone, Copy)]
pub struct ReproInput<'a> {
    pub builder: &'a Builder,
    pub build: &'a Build,
    pub plan: &'a ReproPlan,
    /// `--out DIR`, absolute: where the plan's replay files were written.
    pub out: Option<&'a Path>,
}

impl ReproReport {
    pub fn new(input: ReproInput<'_>, origin: &ReportOrigin<'_>) -> ReproReport {
        let (b, p, server) = (input.build, input.plan, origin.server);
        ReproReport {
            header: origin.header("repro"),
            builder: input.builder.name.clone(),
            builderid: input.builder.builderid,
            builder_url: server.builder_url(input.builder.builderid),
            number: b.number,
            url: server.build_url(b.builderid, b.number),
            revision: b.got_revision().map(str::to_string),
            checkout: b.got_revision().and_then(checkout),
            plan: ReproPlanEntry::new(p, input.out),
        }
    }
}

impl ReproPlanEntry {
    /// `out`: `repro --out DIR` (absolute), where the replay files were written.
    pub fn new(p: &ReproPlan, out: Option<&Path>) -> ReproPlanEntry {
        let in_out = |name: &str| out.map(|dir| dir.join(name).to_string_lossy().into_owned());
        let kept = p.kept.join(" ");
        let target = shell_word(&p.target);
        let with_kept = |words: &str| {
            [p.python.as_str(), words, kept.as_str()]
                .iter()
                .filter(|w| !w.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        ReproPlanEntry {
            command: p.command.clone(),
            command_source: match p.origin {
                CommandOrigin::Log => Some("log"),
                CommandOrigin::Rebuilt => Some("rebuilt"),
                CommandOrigin::Unknown => None,
            },
            guessed: p
                .guessed
                .iter()
                .map(|g| GuessEntry {
                    option: g.option.clone(),
                    why: g.why.clone(),
                })
                .collect(),
            seed: p.seed,
            randomized: p.randomized,
            target: p.target.clone(),
            failed: p.failed.clone(),
            alone: format!("{} {target} -v", with_kept("-m test")),
            also_failed: p
                .failed
                .iter()
                .filter(|t| **t != p.target)
                .map(|t| OtherTest {
                    test: t.clone(),
                    alone: format!("{} {} -v", with_kept("-m test"), shell_word(t)),
                })
                .collect(),
            all_failed: (p.failed.len() >= 2).then(|| {
                let tests: Vec<String> = p.failed.iter().map(|t| shell_word(t)).collect();
                format!("{} {} -v", with_kept("-m test"), tests.join(" "))
            }),
            last_running: p.last_running.as_ref().map(|t| OtherTest {
                test: t.clone(),
                alone: format!("{} {} -v", with_kept("-m test"), shell_word(t)),
            }),
            mode: match &p.mode {
                ReproMode::Sequential {
                    before,
                    halves,
                    worker_processes,
                } => RunMode::Sequential {
                    before: before.clone(),
                    first_half: halves.0.clone(),
                    second_half: halves.1.clone(),
                    worker_processes: *worker_processes,
                    replay_options: p
                        .kept
                        .iter()
                        .cloned()
                        .chain(worker_processes.then(|| "-j1".to_string()))
                        .collect(),
                    files: out.map(|dir| {
                        let halves = before.len() >= 2;
                        ReplayFiles {
                            dir: dir.to_string_lossy().into_owned(),
                            order: dir.join(ORDER_FILE).to_string_lossy().into_owned(),
                            first_half: in_out(FIRST_HALF_FILE).filter(|_| halves),
                            second_half: in_out(SECOND_HALF_FILE).filter(|_| halves),
                        }
                    }),
                },
                ReproMode::Parallel { workers } => RunMode::Parallel {
                    workers: *workers,
                    bisect: format!(
                        "{} {target} -v",
                        with_kept(&format!(
                            "-m test.bisect_cmd -o {}",
                            in_out(BISECT_OUTPUT_FILE)
                                .map_or(BISECT_OUTPUT_FILE.to_string(), |f| shell_word(&f))
                        ))
                    ),
                },
                ReproMode::OrderUnknown => RunMode::OrderUnknown,
            },
        }
    }
}

/// `git checkout REV` when `rev` is a commit id (hex, 7 to 64 digits): a revision is pasted
/// into a shell, so anything else from the server is never made a command.
pub fn checkout(rev: &str) -> Option<String> {
    let commit_id = (7..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit());
    commit_id.then(|| format!("git checkout {rev}"))
}

#[cfg(test)]
mod tests {
    use super::checkout;

    #[test]
    fn only_a_commit_id_becomes_a_checkout_command() {
        assert_eq!(
            checkout("8a163284d6c0ffee").as_deref(),
            Some("git checkout 8a163284d6c0ffee")
        );
        for bad in [
            "",
            "abc",
            "main; rm -rf ~",
            "--orphan",
            "8a16 3284",
            &"a".repeat(65),
        ] {
            assert_eq!(checkout(bad), None, "{bad:?}");
        }
    }
}
