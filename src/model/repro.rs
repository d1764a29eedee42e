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
        kept.push(format!("--testdir {}", shell_word(dir)));
    }
    if let Some(r) = &f.huntrleaks {
        kept.push(format!("-R {}", shell_word(r)));
    }
    let mut resources: Vec<String> = Vec::new();
    if f.slow_ci {
        resources.push("all".into());
    } else if f.fast_ci {
        resources.extend(["all".into(), "-cpu".into()]);
    }
    resources.extend(f.resources.iter().cloned());
    if !resources.is_empty() {
        kept.push(format!("-u {}", shell_word(&resources.join(","))));
    }
    if let Some(t) = f.timeout_secs() {
        kept.push(format!("--timeout={t}"));
    }
    kept
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
            option: format!("-u {}", shell_word(&resources)),
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
mod tests {
    use super::*;

    fn summary(order: &[&str], failed: &[&str], mode: Option<RunMode>) -> LogSummary {
        LogSummary {
            order: order.iter().map(|s| s.to_string()).collect(),
            failed: failed.iter().map(|s| s.to_string()).collect(),
            mode,
            seed: Some(42),
            command: Some(
                "/usr/bin/python3.14 -W default -m test --slow-ci -j1 test_a --dont-add-python-opts"
                    .into(),
            ),
            ..LogSummary::default()
        }
    }

    #[test]
    fn sequential_run_keeps_the_order_before_the_failure() {
        let p = plan(&summary(
            &["t1", "t2", "t3", "t4", "t5", "t6"],
            &["t5"],
            Some(RunMode::Sequential),
        ))
        .expect("plan");
        assert_eq!(p.target, "t5");
        assert_eq!(
            p.mode,
            ReproMode::Sequential {
                before: vec!["t1".into(), "t2".into(), "t3".into(), "t4".into()],
                halves: (
                    vec!["t1".into(), "t2".into()],
                    vec!["t3".into(), "t4".into()]
                ),
                worker_processes: false,
            }
        );
        assert_eq!(
            p.command.as_deref(),
            Some("./python -W default -m test --slow-ci -j1 test_a --randseed=42")
        );
        assert_eq!(p.origin, CommandOrigin::Log);
        assert_eq!(p.kept, ["-u all", "--timeout=1200"]);
    }

    #[test]
    fn one_worker_process_keeps_the_order_many_do_not() {
        let p = plan(&summary(
            &["t1", "t2"],
            &["t2"],
            Some(RunMode::Parallel { workers: 1 }),
        ))
        .expect("plan");
        assert!(
            matches!(
                p.mode,
                ReproMode::Sequential {
                    worker_processes: true,
                    ..
                }
            ),
            "{:?}",
            p.mode
        );
        let p = plan(&summary(
            &["t1", "t2"],
            &["t2"],
            Some(RunMode::Parallel { workers: 40 }),
        ))
        .expect("plan");
        assert_eq!(p.mode, ReproMode::Parallel { workers: 40 });
        let p = plan(&summary(
            &["t1", "t2"],
            &["t2"],
            Some(RunMode::Parallel { workers: 0 }),
        ))
        .expect("plan");
        assert_eq!(p.mode, ReproMode::Parallel { workers: 0 });
    }

    #[test]
    fn no_failure_no_plan_and_unknown_order() {
        assert!(plan(&summary(&["t1"], &[], None)).is_none());
        let p = plan(&summary(&["t1"], &["t9"], Some(RunMode::Sequential))).expect("plan");
        assert_eq!(p.mode, ReproMode::OrderUnknown);
        let p = plan(&summary(&["t1"], &["t1"], None)).expect("plan");
        assert_eq!(p.mode, ReproMode::OrderUnknown);
    }

    #[test]
    fn an_existing_seed_is_kept_and_an_ordered_run_is_not_shuffled() {
        assert_eq!(
            local_command("python -m test --randseed=7", Some(9)),
            "./python -m test --randseed=7"
        );
        // Not randomized but -j8: the order does not carry over, the seed still seeds `random`.
        let mut s = summary(&[], &["test_x"], Some(RunMode::Parallel { workers: 8 }));
        s.command = Some("python3.13 -m test test_asyncio -wW -j8".into());
        let p = plan(&s).expect("plan");
        assert_eq!(
            (p.command.as_deref(), p.randomized),
            (
                Some("./python -m test test_asyncio -wW -j8 --randseed=42"),
                Some(false)
            )
        );
        // -R 3:3 test_os test_pickle without -r: --randseed would shuffle the two.
        let mut s = summary(&["test_os"], &["test_os"], Some(RunMode::Sequential));
        s.command = Some("./python.exe -m test -R 3:3 test_os test_pickle".into());
        let p = plan(&s).expect("plan");
        assert_eq!(
            p.command.as_deref(),
            Some("./python.exe -m test -R 3:3 test_os test_pickle")
        );
        assert_eq!(
            (p.randomized, p.kept.clone()),
            (Some(false), vec!["-R 3:3".to_string()])
        );
    }

    /// Issue 14: a log in the devguide's current shape got no seeded command, 1 worker (from
    /// the re-run phase) and a 471-test sequential replay.
    #[test]
    fn a_log_in_the_devguide_shape_gets_the_seeded_command_and_bisect_cmd() {
        let log = [
            "./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40",
            "+ ./python -u -W default -bb -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --dont-add-python-opts",
            "== CPython 3.15.0a0",
            "Using random seed: 2615519036",
            "0:00:00 load avg: 1.80 Run 475 tests in parallel using 40 worker processes (timeout: 20 min, worker timeout: 25 min)",
            "0:00:03 load avg: 1.80 [  1/475] test_a passed",
            "0:01:07 load avg: 3.10 [  2/475/1] test_x failed (1 failure)",
            "0:09:00 load avg: 1.00 [475/475/1] test_z passed",
            "== Tests result: FAILURE ==",
            "1 test failed:",
            "    test_x",
            "0:09:01 load avg: 1.00 Re-running 1 failed tests in verbose mode in subprocesses",
            "0:09:01 load avg: 1.00 Run 1 test in parallel using 1 worker processes (timeout: 20 min, worker timeout: 25 min)",
            "0:09:02 load avg: 1.00 [1/1/1] test_x failed (1 failure)",
            "1 test failed again:",
            "    test_x",
        ]
        .join("\n");
        let s = crate::model::regrtest::parse(log.as_bytes());
        assert_eq!(s.mode, Some(RunMode::Parallel { workers: 40 }));
        let p = plan(&s).expect("plan");
        assert_eq!(
            p.command.as_deref(),
            Some(
                "./python -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --randseed=2615519036"
            )
        );
        assert_eq!(p.mode, ReproMode::Parallel { workers: 40 });
        assert_eq!(p.kept, ["-u all,-curses", "--timeout=1200"]);
    }

    #[test]
    fn the_devguide_shape_keeps_its_options() {
        let mut s = summary(&[], &["test_x"], Some(RunMode::Parallel { workers: 40 }));
        s.command = Some("./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40".into());
        s.seed = Some(1234);
        let p = plan(&s).expect("plan");
        assert_eq!(
            p.command.as_deref(),
            Some("./python -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --randseed=1234")
        );
        assert_eq!(p.kept, ["-u all,-curses", "--timeout=1200"]);
        assert_eq!(p.mode, ReproMode::Parallel { workers: 40 });
    }

    #[test]
    fn without_a_command_the_seeded_command_is_rebuilt_and_says_what_is_guessed() {
        let s = LogSummary {
            seed: Some(886729535),
            mode: Some(RunMode::Parallel { workers: 4 }),
            timeout: Some(1200),
            refleak: Some(crate::model::regrtest::Refleak {
                repetitions: 6,
                warmups: None,
            }),
            platform: vec!["resources: all".into()],
            crashes: vec![("test_x".into(), "Exit code -11 (SIGSEGV)".into())],
            ..LogSummary::default()
        };
        let p = plan(&s).expect("plan");
        assert_eq!(
            p.command.as_deref(),
            Some("./python -m test -j4 -R 3:3 -u all --timeout=1200 --randseed=886729535")
        );
        assert_eq!(p.origin, CommandOrigin::Rebuilt);
        let options: Vec<&str> = p.guessed.iter().map(|g| g.option.as_str()).collect();
        assert_eq!(options, ["-j4", "-R 3:3", "-u all", "--timeout=1200", "-r"]);
        assert_eq!(p.kept, ["-R 3:3", "-u all", "--timeout=1200"]);
        let p = plan(&LogSummary {
            failed: vec!["test_x".into()],
            ..LogSummary::default()
        })
        .expect("plan");
        assert_eq!((p.command, p.origin), (None, CommandOrigin::Unknown));
    }

    #[test]
    fn only_an_order_that_carries_over_is_written_to_files() {
        let p = plan(&summary(
            &["t1", "t2", "t3", "t4"],
            &["t4"],
            Some(RunMode::Sequential),
        ))
        .expect("plan");
        let files = p.replay_files();
        let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, [ORDER_FILE, FIRST_HALF_FILE, SECOND_HALF_FILE]);
        assert_eq!(files[0].1, ["t1", "t2", "t3", "t4"]);
        assert_eq!(files[1].1, ["t1", "t4"]);
        assert_eq!(files[2].1, ["t2", "t3", "t4"]);
        // One test before the target: nothing to halve.
        let p = plan(&summary(&["t1", "t2"], &["t2"], Some(RunMode::Sequential))).expect("plan");
        assert_eq!(
            p.replay_files(),
            [(ORDER_FILE, vec!["t1".to_string(), "t2".into()])]
        );
        let p = plan(&summary(
            &["t1", "t2"],
            &["t2"],
            Some(RunMode::Parallel { workers: 4 }),
        ))
        .expect("plan");
        assert!(p.replay_files().is_empty());
    }

    #[test]
    fn windows_commands_stay_windows_commands() {
        assert_eq!(
            local_command(r"Tools\buildbot\test.bat -j2 --slow-ci", Some(5)),
            r"Tools\buildbot\test.bat -j2 --slow-ci --randseed=5"
        );
        assert_eq!(
            local_command(
                r#""C:\b\3.x\build\PCbuild\amd64\python_d.exe"  -u -Wd -E -bb -m test -j1 -rwW"#,
                Some(5)
            ),
            r"PCbuild\amd64\python_d.exe -u -Wd -E -bb -m test -j1 -rwW --randseed=5"
        );
    }
}

#[cfg(test)]
#[path = "repro_leak_tests.rs"]
mod leak_tests;
