//! Per-test events: progress lines (both phases), the tests they start and end, crashes they
//! report, and the `running` lists and heartbeats that say which test is still running.

use super::*;

impl Parser {
    /// A progress line, from its counter on; `logged`: after the main process's time prefix
    /// (without it, as before 3.8, only a whole line counts).
    pub(super) fn progress(&mut self, body: &[u8], logged: bool) {
        let Some(counter) = line::counter(body) else {
            return;
        };
        let progress = match counter {
            Ok((_, rest)) => line::progress(rest),
            Err(()) => None,
        };
        let Some(p) = progress else {
            if logged {
                // Cut short after the counter: a test started or ended, which one is unknown.
                self.progress_seen = true;
                self.owner = None;
                self.last_running = None;
            }
            return;
        };
        self.progress_seen = true;
        let test = text(p.test);
        if let Some((previous, outcome)) = p.previous {
            self.ended(&text(previous), outcome);
        }
        if let Some(list) = p.running {
            self.running_list(list, Some(&test));
        }
        match p.outcome {
            Some(outcome) => {
                // Parallel: the test ended; its worker's output follows.
                if p.running.is_none() {
                    self.running.clear();
                    self.last_running = None;
                }
                self.ended(&test, outcome);
            }
            None if p.unknown => {
                self.note_test(&test);
                self.owner = Some(Owner {
                    test,
                    state: OwnerState::Ended,
                    rerun: self.rerun_phase,
                });
                if p.running.is_none() {
                    self.last_running = None;
                }
            }
            None => self.started(test),
        }
    }

    /// The test is in the run order (main run) or among the re-run tests.
    pub(super) fn note_test(&mut self, test: &str) {
        if self.rerun_phase {
            push_unique(&mut self.rerun_named, test);
        } else if !self.in_order.contains(test) {
            self.in_order.insert(test.to_string());
            self.summary.order.push(test.to_string());
        }
    }

    /// A test starts in this process (sequential run or re-run).
    pub(super) fn started(&mut self, test: String) {
        self.note_test(&test);
        self.running = vec![(test.clone(), None)];
        self.last_running = Some(test.clone());
        self.owner = Some(Owner {
            test,
            state: OwnerState::Running,
            rerun: self.rerun_phase,
        });
    }

    /// A test ended, as `outcome` says.
    pub(super) fn ended(&mut self, test: &str, outcome: Outcome) {
        self.note_test(test);
        let mut state = OwnerState::Ended;
        match &outcome {
            Outcome::Crashed(how) => {
                self.crash(test, how);
                state = OwnerState::Crashed;
                self.last_running = Some(test.to_string());
            }
            Outcome::TimedOut => {
                push_unique(&mut self.summary.timeouts, test);
                state = OwnerState::Crashed;
                self.last_running = Some(test.to_string());
            }
            Outcome::Interrupted => self.last_running = Some(test.to_string()),
            _ => {
                if self.last_running.as_deref() == Some(test) {
                    self.last_running = None;
                }
                self.running.retain(|(t, _)| t != test);
            }
        }
        if self.rerun_phase {
            self.rerun.set(test, outcome);
        } else {
            self.main.set(test, outcome);
        }
        // The owner's name is reused: a progress line per test, most of a log's allocations.
        let rerun = self.rerun_phase;
        match &mut self.owner {
            Some(o) => {
                o.test.clear();
                o.test.push_str(test);
                o.state = state;
                o.rerun = rerun;
            }
            None => {
                self.owner = Some(Owner {
                    test: test.to_string(),
                    state,
                    rerun,
                });
            }
        }
    }

    pub(super) fn crash(&mut self, test: &str, how: &str) {
        if !self.summary.crashes.iter().any(|(t, _)| t == test) {
            self.summary
                .crashes
                .push((test.to_string(), how.to_string()));
        }
    }

    /// `running (3): test_a (5 min 2 sec), test_b (39.0 sec), tes` (a heartbeat, or after
    /// `-- ` on a progress line; `running: …` before 3.12). `ended`: the test the line reports
    /// ended, not running any more. An item cut short is the test of the previous list it
    /// begins; a list cut short keeps the tests of the previous one.
    pub(super) fn running_list(&mut self, list: &[u8], ended: Option<&str>) {
        let items = line::running_list(list);
        let count = list
            .strip_prefix(b"running (")
            .and_then(|r| r.split(|b| *b == b')').next())
            .and_then(|n| std::str::from_utf8(n).ok()?.parse::<usize>().ok());
        let mut now: Vec<(String, Option<u64>)> = Vec::new();
        for (name, ms) in &items {
            let item = match ms {
                Some(ms) => Some((text(name), Some(*ms))),
                None => self
                    .running
                    .iter()
                    .find(|(t, _)| t.as_bytes().starts_with(name))
                    .cloned(),
            };
            if let Some(item) = item
                && !now.iter().any(|(t, _)| *t == item.0)
            {
                now.push(item);
            }
        }
        let cut = items.last().is_some_and(|(_, ms)| ms.is_none())
            || count.is_some_and(|n| n > items.len());
        if cut {
            for (t, ms) in &self.running {
                if Some(t.as_str()) != ended && !now.iter().any(|(x, _)| x == t) {
                    now.push((t.clone(), *ms));
                }
            }
        }
        if self.rerun_phase {
            for (t, _) in &now {
                push_unique(&mut self.rerun_named, t);
            }
        }
        // The one running longest is the one a hang is about.
        let mut longest: Option<&(String, Option<u64>)> = None;
        for item in &now {
            if longest.is_none_or(|l| item.1 > l.1) {
                longest = Some(item);
            }
        }
        self.last_running = longest.map(|(t, _)| t.clone());
        self.running = now;
    }
}
