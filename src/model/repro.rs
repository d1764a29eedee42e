//! How to reproduce a failed regrtest run locally: the same command with the same seed, and for
//! sequential runs the exact test order up to the failure, split in two for bisecting, as the
//! devguide describes.

use super::regrtest::LogSummary;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReproPlan {
    /// The buildbot's regrtest command for a local checkout (`./python -m test …`), with its seed.
    pub command: Option<String>,
    /// The first test that failed (in run order when known).
    pub target: String,
    pub failed: Vec<String>,
    pub mode: ReproMode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReproMode {
    /// One worker or none: the log's order is the order the tests ran in.
    Sequential {
        /// Tests run before the target, in order.
        before: Vec<String>,
        /// The two halves of `before`, each to run followed by the target.
        halves: (Vec<String>, Vec<String>),
    },
    /// Several workers: each ran the tests it was handed, interleaved; no single order exists.
    Parallel { workers: u32 },
    /// The log does not show where the target ran.
    OrderUnknown,
}

/// `None` when the run had no failing test.
pub fn plan(s: &LogSummary) -> Option<ReproPlan> {
    let mut failed: Vec<String> = s.failed.clone();
    for t in s.timeouts.iter().chain(s.crashes.iter().map(|(t, _)| t)) {
        if !failed.contains(t) {
            failed.push(t.clone());
        }
    }
    if failed.is_empty() {
        return None;
    }
    let first_in_order = s.order.iter().position(|t| failed.contains(t));
    let target = first_in_order.map_or_else(|| failed[0].clone(), |i| s.order[i].clone());
    let mode = match (s.workers(), first_in_order) {
        (Some(w), _) if w > 1 => ReproMode::Parallel { workers: w },
        (_, Some(i)) => {
            let before = s.order[..i].to_vec();
            let mid = before.len() / 2;
            ReproMode::Sequential {
                halves: (before[..mid].to_vec(), before[mid..].to_vec()),
                before,
            }
        }
        (_, None) => ReproMode::OrderUnknown,
    };
    Some(ReproPlan {
        command: s.command.as_deref().map(|c| local_command(c, s.seed)),
        target,
        failed,
        mode,
    })
}

/// The buildbot's command as a local one: `./python` for its interpreter, its seed pinned, and
/// the re-exec marker regrtest adds for itself dropped.
pub fn local_command(cmd: &str, seed: Option<u64>) -> String {
    let mut args: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
    if let Some(first) = args.first_mut()
        && first.contains("python")
    {
        *first = "./python".into();
    }
    args.retain(|a| a != "--dont-add-python-opts");
    let has_seed = args.iter().any(|a| a.starts_with("--randseed"));
    if let (Some(seed), false) = (seed, has_seed) {
        args.push(format!("--randseed={seed}"));
    }
    args.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(order: &[&str], failed: &[&str], workers: Option<u32>) -> LogSummary {
        LogSummary {
            order: order.iter().map(|s| s.to_string()).collect(),
            failed: failed.iter().map(|s| s.to_string()).collect(),
            mode: workers.map(|workers| crate::model::regrtest::RunMode::Parallel { workers }),
            seed: Some(42),
            command: Some("/usr/bin/python3.14 -W default -m test --slow-ci -j1 test_a --dont-add-python-opts".into()),
            ..LogSummary::default()
        }
    }

    #[test]
    fn sequential_run_keeps_the_order_before_the_failure() {
        let p = plan(&summary(
            &["t1", "t2", "t3", "t4", "t5", "t6"],
            &["t5"],
            Some(1),
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
            }
        );
        assert_eq!(
            p.command.as_deref(),
            Some("./python -W default -m test --slow-ci -j1 test_a --randseed=42")
        );
    }

    #[test]
    fn parallel_runs_have_no_single_order() {
        let p = plan(&summary(&["t1", "t2"], &["t2"], Some(4))).expect("plan");
        assert_eq!(p.mode, ReproMode::Parallel { workers: 4 });
    }

    #[test]
    fn no_failure_no_plan_and_unknown_order() {
        assert!(plan(&summary(&["t1"], &[], None)).is_none());
        let p = plan(&summary(&["t1"], &["t9"], None)).expect("plan");
        assert_eq!(p.mode, ReproMode::OrderUnknown);
    }

    #[test]
    fn an_existing_seed_is_kept() {
        assert_eq!(
            local_command("python -m test --randseed=7", Some(9)),
            "./python -m test --randseed=7"
        );
    }
}
