//! How to reproduce a failed regrtest run locally: the same command with the same seed, the
//! failing test alone with the options that matter (`-R`, `-u`, `--timeout`), and for a run
//! whose order carries over (one process, or one worker process at a time) the exact test order
//! up to the failure, split in two for bisecting, as the devguide describes. For a `-jN` run
//! each test file ran in a fresh process of its own: the order does not carry over, and
//! `python -m test.bisect_cmd` narrows the failing file down to its methods instead.

use super::regrtest::{Flags, LogSummary, RunMode, command_words, shell_word};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReproPlan {
    /// The run's regrtest command for a local checkout (`./python -m test …`), its seed pinned
    /// when the order was random. `None`: the log shows neither a command nor a seed.
    pub command: Option<String>,
    pub origin: CommandOrigin,
    /// Options the log implies without showing them: those of a rebuilt command, or, with no
    /// command at all, those `kept` for the test alone.
    pub guessed: Vec<Guess>,
    /// `Using random seed: N`.
    pub seed: Option<u64>,
    /// The order was shuffled (`-r`, `--slow-ci`, `--fast-ci`, `--randseed`): the seed fixes
    /// it. `Some(false)`: it was not, and `--randseed` (which implies `-r`) shuffles it, so a
    /// run whose order carries over (sequential, `-j1`) gets a command without the seed.
    /// `None`: the log does not say.
    pub randomized: Option<bool>,
    /// Options of the run that a test run alone needs too: `--testdir DIR`, `-R 3:3`, `-u all`,
    /// `--timeout=1200` (shell words).
    pub kept: Vec<String>,
    /// The checkout's interpreter: `./python` (`./python.exe` on macOS, `python.bat` for the
    /// Windows batch files, `PCbuild\…\python_d.exe`).
    pub python: String,
    /// The test to reproduce: the first that failed, in run order when known.
    pub target: String,
    /// Every test that failed, timed out, crashed or leaked (regrtest's `leaked […]` lines),
    /// the target among them.
    pub failed: Vec<String>,
    /// The test still running when the log ends (`LogSummary::last_running`): the hang that
    /// got a killed run killed. `None` when the run finished or the log cannot say.
    pub last_running: Option<String>,
    pub mode: ReproMode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandOrigin {
    /// The log's own regrtest command line, made local.
    Log,
    /// The log shows no command: rebuilt from what it shows (see `ReproPlan::guessed`).
    Rebuilt,
    /// Neither a command nor a seed.
    Unknown,
}

/// An option of a rebuilt command and what in the log suggests it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    pub option: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReproMode {
    /// The log's order is the order the tests ran in: one process ran them all, or
    /// (`worker_processes`, `-j1`) one worker process at a time, each test in a fresh one.
    Sequential {
        /// Tests run before the target, in order.
        before: Vec<String>,
        /// The two halves of `before`, each to run followed by the target.
        halves: (Vec<String>, Vec<String>),
        worker_processes: bool,
    },
    /// `workers` worker processes (0: as many as CPUs) ran the tests, each test file in a
    /// fresh process: no order carries over.
    Parallel { workers: u32 },
    /// The log does not show where the target ran, or how the run ran its tests.
    OrderUnknown,
}

/// The files `repro --out DIR` writes for a sequential run, each a `--fromfile` list (one test
/// per line) ending with the target: the order up to the failure, and its two halves.
pub const ORDER_FILE: &str = "tests-order.txt";
pub const FIRST_HALF_FILE: &str = "bisect-half1.txt";
pub const SECOND_HALF_FILE: &str = "bisect-half2.txt";
/// Where `python -m test.bisect_cmd -o FILE` writes the methods it narrowed the target to.
pub const BISECT_OUTPUT_FILE: &str = "bisect.txt";

impl ReproPlan {
    /// The `--fromfile` lists of a run whose order carries over, by file name
    /// ([`ORDER_FILE`], then the halves when there are at least 2 tests to split), each list
    /// ending with the target; empty for any other run, whose order means nothing.
    pub fn replay_files(&self) -> Vec<(&'static str, Vec<String>)> {
        let ReproMode::Sequential { before, halves, .. } = &self.mode else {
            return Vec::new();
        };
        let with_target = |tests: &[String]| {
            let mut list = tests.to_vec();
            list.push(self.target.clone());
            list
        };
        let mut files = vec![(ORDER_FILE, with_target(before))];
        if before.len() >= 2 {
            files.push((FIRST_HALF_FILE, with_target(&halves.0)));
            files.push((SECOND_HALF_FILE, with_target(&halves.1)));
        }
        files
    }
}

/// `None` when the run had no failing test.
pub fn plan(s: &LogSummary) -> Option<ReproPlan> {
    let mut failed: Vec<String> = s.failed.clone();
    // A reported leak fails a refleak run (`-R`) even when the log lists no failed test.
    for t in s
        .timeouts
        .iter()
        .chain(s.crashes.iter().map(|(t, _)| t))
        .chain(s.leaks.iter().map(|l| &l.test))
    {
        if !failed.contains(t) {
            failed.push(t.clone());
        }
    }
    if failed.is_empty() {
        return None;
    }
    let first_in_order = s.order.iter().position(|t| failed.contains(t));
    let target = first_in_order.map_or_else(|| failed[0].clone(), |i| s.order[i].clone());
    let sequential = |i: usize, worker_processes| {
        let before = s.order[..i].to_vec();
        let mid = before.len() / 2;
        ReproMode::Sequential {
            halves: (before[..mid].to_vec(), before[mid..].to_vec()),
            before,
            worker_processes,
        }
    };
    let mode = match (s.mode, first_in_order) {
        (Some(RunMode::Parallel { workers: 1 }), Some(i)) => sequential(i, true),
        (Some(RunMode::Parallel { workers }), _) if workers != 1 => ReproMode::Parallel { workers },
        (Some(RunMode::Sequential), Some(i)) => sequential(i, false),
        _ => ReproMode::OrderUnknown,
    };
    let (command, origin, randomized, kept, guessed) = match (&s.command, s.seed) {
        (Some(c), seed) => {
            let flags = Flags::of_command(c);
            // Pinning the seed on an ordered run would shuffle the order it carries over; a
            // -jN run does not depend on the order, and the seed also seeds `random` in tests.
            let order_carries_over = matches!(
                s.mode,
                Some(RunMode::Sequential | RunMode::Parallel { workers: 1 })
            );
            let pin = flags.randomized() || !order_carries_over;
            let local = local_command(c, seed.filter(|_| pin));
            (
                Some(local),
                CommandOrigin::Log,
                Some(flags.randomized()),
                kept_options(&flags),
                Vec::new(),
            )
        }
        (None, Some(seed)) => {
            let guessed = guessed_options(s);
            let mut words: Vec<String> = ["./python", "-m", "test"].map(String::from).to_vec();
            words.extend(guessed.iter().map(|g| g.option.clone()));
            words.push(format!("--randseed={seed}"));
            let kept = guessed_kept(s);
            let mut guessed = guessed;
            guessed.push(Guess {
                option: "-r".into(),
                why: "--randseed implies a random order; the log does not show whether the run \
                      was randomized (--slow-ci and --fast-ci are)"
                    .into(),
            });
            (
                Some(words.join(" ")),
                CommandOrigin::Rebuilt,
                None,
                kept,
                guessed,
            )
        }
        (None, None) => {
            let guessed: Vec<Guess> = guessed_options(s)
                .into_iter()
                .filter(|g| !g.option.starts_with("-j"))
                .collect();
            let kept = guessed.iter().map(|g| g.option.clone()).collect();
            (None, CommandOrigin::Unknown, None, kept, guessed)
        }
    };
    let python = match &s.command {
        Some(c) => local_interpreter(c),
        None => "./python".to_string(),
    };
    Some(ReproPlan {
        command,
        origin,
        guessed,
        python,
        seed: s.seed,
        randomized,
        kept,
        target,
        failed,
        last_running: s.last_running.clone(),
        mode,
    })
}

/// The options of the run's command a test needs when run alone or in a replayed order.
fn kept_options(f: &Flags) -> Vec<String> {
    let mut kept = Vec::new();
    if let Some(dir) = &f.testdir {
        kept.push(option_with_value("--testdir", dir));
    }
    if let Some(r) = &f.huntrleaks {
        kept.push(option_with_value("-R", r));
    }
    let mut resources: Vec<String> = Vec::new();
    if f.slow_ci {
        resources.push("all".into());
    } else if f.fast_ci {
        resources.extend(["all".into(), "-cpu".into()]);
    }
    resources.extend(f.resources.iter().cloned());
    if !resources.is_empty() {
        kept.push(option_with_value("-u", &resources.join(",")));
    }
    if let Some(t) = f.timeout_secs() {
        kept.push(format!("--timeout={t}"));
    }
    kept
}

/// An option and its value as shell words regrtest's argparse accepts: `-u all`, `-R 3:3`,
/// `--testdir DIR`; a value that starts with `-` would read as an option of its own (`-u -cpu`
/// fails with "argument -u/--use: expected one argument"), so it is glued on: `-u-cpu` for a
/// short option (`name`: `-u`), `--testdir=-dir` for a long one (`--testdir`).
fn option_with_value(name: &str, value: &str) -> String {
    let value = shell_word(value);
    // A quoted value starts with `'`: the shell removes the quote, argparse sees the `-`.
    if value.trim_start_matches('\'').starts_with('-') {
        if name.starts_with("--") {
            format!("{name}={value}")
        } else {
            format!("{name}{value}")
        }
    } else {
        format!("{name} {value}")
    }
}

/// The guessed options a test run alone needs (not the worker count).
fn guessed_kept(s: &LogSummary) -> Vec<String> {
    guessed_options(s)
        .into_iter()
        .filter(|g| !g.option.starts_with("-j"))
        .map(|g| g.option)
        .collect()
}

/// Options a log implies without showing its command: the main run's workers and timeout, a
/// refleak run's repetitions (from `beginning N repetitions`, or, without that line, from its
/// `leaked [1, 1, 1] …` lines: regrtest reports leaks only under `-R`, whose default is 3
/// warm-ups and as many counted runs as the list has deltas), the resources of its header.
fn guessed_options(s: &LogSummary) -> Vec<Guess> {
    let mut out = Vec::new();
    if let Some(RunMode::Parallel { workers }) = s.mode {
        out.push(Guess {
            option: format!("-j{workers}"),
            why: if workers == 0 {
                "the run's workers were as many as its CPUs".into()
            } else {
                format!("the main run used {workers} worker processes")
            },
        });
    }
    if let Some(r) = s.refleak {
        let warmups = r.warmups.unwrap_or(r.repetitions / 2);
        out.push(Guess {
            option: format!("-R {warmups}:{}", r.repetitions - warmups),
            why: format!(
                "\"beginning {} repetitions\"{}",
                r.repetitions,
                if r.warmups.is_some() {
                    ""
                } else {
                    " (the split into warm-ups is a guess)"
                }
            ),
        });
    } else if let Some(leak) = s.leaks.first() {
        let counted = if leak.counts.is_empty() {
            3
        } else {
            leak.counts.len()
        };
        out.push(Guess {
            option: format!("-R 3:{counted}"),
            why: format!(
                "the log reports a leak (\"{} leaked {:?} {}\"), which regrtest finds only with -R \
                 (the 3 warm-ups are its default, a guess)",
                leak.test, leak.counts, leak.kind
            ),
        });
    }
    if let Some(resources) = s
        .platform
        .iter()
        .find_map(|p| p.strip_prefix("resources"))
        .and_then(header_resources)
    {
        out.push(Guess {
            option: option_with_value("-u", &resources),
            why: "the header's \"== resources\" line".into(),
        });
    }
    if let Some(t) = s.timeout {
        out.push(Guess {
            option: format!("--timeout={t}"),
            why: "the Run line's \"(timeout: …)\"".into(),
        });
    }
    out
}

/// `: all` → `all`; ` (3): audio, curses, network` → `audio,curses,network`; `: all test
/// resources are disabled, …` → none.
fn header_resources(rest: &str) -> Option<String> {
    let list = rest.split_once(": ")?.1.trim();
    if list.starts_with("all test resources are disabled") || list.is_empty() {
        return None;
    }
    Some(
        list.split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// The run's command as a local one: the checkout's interpreter for the buildbot's, `seed`
/// pinned unless the command has its own, and the re-exec marker regrtest adds for itself
/// dropped. Windows commands
/// keep their batch file or `PCbuild\…` interpreter, relative to the checkout.
pub fn local_command(cmd: &str, seed: Option<u64>) -> String {
    let words = command_words(cmd);
    let Some(program) = words.first() else {
        return String::new();
    };
    let windows = is_windows(program);
    let lower = program.to_ascii_lowercase();
    let local = match lower.find("pcbuild\\").or_else(|| lower.find("tools\\")) {
        Some(i) => program[i..].to_string(),
        None if windows => program.clone(),
        None => local_interpreter(cmd),
    };
    let mut args: Vec<String> = words[1..]
        .iter()
        .filter(|a| *a != "--dont-add-python-opts")
        .cloned()
        .collect();
    let flags = Flags::of_command(cmd);
    if let (Some(seed), None) = (seed, &flags.randseed) {
        args.push(format!("--randseed={seed}"));
    }
    let quote = |w: &String| {
        if windows {
            if w.contains(' ') {
                format!("\"{w}\"")
            } else {
                w.clone()
            }
        } else {
            shell_word(w)
        }
    };
    std::iter::once(local)
        .chain(args.iter().map(quote))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_windows(program: &str) -> bool {
    program.contains('\\') || program.to_ascii_lowercase().ends_with(".bat")
}

/// The interpreter to run a test with in the checkout the command ran in.
fn local_interpreter(cmd: &str) -> String {
    let words = command_words(cmd);
    let program = words.first().map_or("", String::as_str);
    let lower = program.to_ascii_lowercase();
    if lower.ends_with(".bat") {
        // Tools\buildbot\test.bat and PCbuild\rt.bat run the interpreter PCbuild\build.bat
        // built, which python.bat at the checkout's root runs.
        "python.bat".into()
    } else if let Some(i) = lower.find("pcbuild\\") {
        program[i..].to_string()
    } else if program.rsplit(['/', '\\']).next() == Some("python.exe") {
        "./python.exe".into()
    } else {
        "./python".into()
    }
}

#[cfg(test)]
#[path = "repro_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "repro_leak_tests.rs"]
mod leak_tests;

#[cfg(test)]
#[path = "repro_option_tests.rs"]
mod option_tests;
