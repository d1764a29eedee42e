//! The end of a parse: the summary blocks closed and the [`LogSummary`] made, from the final
//! summary when one was read, else rebuilt from the events.

use super::*;

impl Parser {
    pub(super) fn close_block(&mut self) {
        let Some((kind, items)) = self.block.take() else {
            return;
        };
        let b = &mut self.blocks;
        match kind {
            Block::Failed => b.failed = Some(items),
            Block::FailedAgain => {
                // Printed once the re-runs are done (the lines that began them may be unread).
                if !self.rerun_phase {
                    self.begin_rerun_phase();
                }
                self.failed_again = Some(items);
            }
            Block::Rerun => b.rerun = Some(items),
            Block::Skipped => b.skipped = Some(items),
            Block::ResourceDenied => b.resource_denied = Some(items),
            Block::EnvChanged => b.env_changed = Some(items),
            Block::Other => {}
        }
    }

    pub fn finish(mut self) -> LogSummary {
        self.close_block();
        let complete = self.header_seen && self.closed;
        let blocks = std::mem::take(&mut self.blocks);
        let mut s = std::mem::take(&mut self.summary);
        s.rebuilt_from_events = !complete;
        s.last_running = self.last_running.take();
        // A summary block printed before the log ends is what regrtest says (the blocks are
        // those of the summary being read: the re-run phase drops the ones before it); a summary
        // cut short lacks the blocks after the cut, and a tail window may lack its header.
        let mut failed;
        let mut rerun;
        let mut passed_on_rerun;
        if complete {
            failed = blocks.failed.unwrap_or_default();
            rerun = blocks.rerun.unwrap_or_default();
            passed_on_rerun = rerun.clone();
            s.env_changed = blocks.env_changed.unwrap_or_default();
            s.skipped = blocks.skipped.unwrap_or_default();
            s.resource_denied = blocks.resource_denied.unwrap_or_default();
        } else {
            failed = match (blocks.failed.clone(), self.first_failed.take()) {
                (Some(b), _) => b,
                (None, Some(first)) => first,
                (None, None) => self.main.with(|o| *o == Outcome::Failed),
            };
            rerun = blocks.rerun.clone().unwrap_or_default();
            for t in self
                .rerun_named
                .iter()
                .chain(self.failed_again.iter().flatten())
            {
                push_unique(&mut rerun, t);
            }
            passed_on_rerun = self.rerun.with(|o| *o == Outcome::Passed);
            failed.retain(|t| !passed_on_rerun.contains(t));
            for t in self.rerun.with(|o| *o == Outcome::Failed) {
                push_unique(&mut failed, &t);
            }
            if let Some(again) = self.failed_again.take() {
                passed_on_rerun = rerun.clone();
                failed = again;
            }
            if let Some(b) = blocks.failed {
                failed = b;
            }
            // `FAILURE then SUCCESS`: whatever the lines read show, nothing failed at the end.
            if let Some(result) = &s.result {
                let last = result.rsplit(" then ").next().unwrap_or(result);
                if !last.contains("FAILURE") {
                    failed.clear();
                    if result.contains(" then ") {
                        passed_on_rerun = rerun.clone();
                    }
                }
            }
            let changed = |o: &Outcome| *o == Outcome::EnvChanged;
            s.env_changed = blocks.env_changed.unwrap_or_else(|| {
                let mut v = self.main.with(changed);
                for t in self.rerun.with(changed) {
                    push_unique(&mut v, &t);
                }
                v
            });
            s.skipped = blocks
                .skipped
                .unwrap_or_else(|| self.main.with(|o| *o == Outcome::Skipped));
            s.resource_denied = blocks
                .resource_denied
                .unwrap_or_else(|| self.main.with(|o| *o == Outcome::ResourceDenied));
        }
        passed_on_rerun.retain(|t| !failed.contains(t));
        s.failed = failed;
        s.rerun = rerun;
        s.passed_on_rerun = passed_on_rerun;
        if s.mode.is_none()
            && let Some(command) = &s.command
            && !command.to_ascii_lowercase().contains(".bat")
        {
            s.mode = Some(match Flags::of_command(command).workers() {
                Some(workers) => RunMode::Parallel { workers },
                None => RunMode::Sequential,
            });
        }
        // Nothing of regrtest's own ran, and the step failed: the runner did (an emulator or
        // simulator that did not start, a testbed that did not build).
        let tests_ran = self.progress_seen
            || s.result.is_some()
            || self.header_seen
            || self.rerun_phase
            || self.verbose_test.is_some()
            || !s.leaks.is_empty();
        if !tests_ran && let Some(error) = self.runner_error {
            push_unique(
                &mut s.infrastructure,
                &format!("the test runner failed before any test ran ({error})"),
            );
        }
        s
    }
}
