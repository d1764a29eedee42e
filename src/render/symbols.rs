//! Symbols for results and statuses: the old bbreport's ASCII set for plain text, and the
//! release dashboard's glyphs for the terminal table.

use crate::model::release::{Effect, Verdict};
use crate::model::status::{BuildResult, BuilderStatus, Outcome};

/// The release dashboard's verdict symbols (✔ Releasable, ⚠ Concern, ✘ Unreleasable); `?` where
/// it has none (Unknown, N/A).
pub fn verdict_glyph(v: Verdict) -> &'static str {
    match v {
        Verdict::Releasable => "✔",
        Verdict::Concern => "⚠",
        Verdict::Unreleasable => "✘",
        Verdict::Unknown | Verdict::NotAvailable => "?",
    }
}

/// ASCII marks for plain text.
pub fn verdict_plain(v: Verdict) -> &'static str {
    match v {
        Verdict::Releasable => "[ok]",
        Verdict::Concern => "[!]",
        Verdict::Unreleasable => "[X]",
        Verdict::Unknown | Verdict::NotAvailable => "[?]",
    }
}

pub fn effect_glyph(e: Effect) -> &'static str {
    match e {
        Effect::None => "✔",
        Effect::Concern => "⚠",
        Effect::Unknown => "?",
        Effect::Unreleasable => "✘",
    }
}

pub fn effect_plain(e: Effect) -> &'static str {
    match e {
        Effect::None => "-",
        Effect::Concern => "!",
        Effect::Unknown => "?",
        Effect::Unreleasable => "X",
    }
}

/// The old bbreport's symbols (`_` success, `#` failure, `?` exception or unstable, `*`
/// building or offline), extended so that every result has its own: `~` warnings, `@` retry,
/// `x` cancelled, `-` skipped, `%` stale (listed as running, but it will not finish), `!` a
/// result code this version does not know. A paused builder's status is `=`. Plain text shows
/// them with or without colour.
pub fn plain_outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Running => "*",
        Outcome::Stale => "%",
        Outcome::Finished(BuildResult::Success) => "_",
        Outcome::Finished(BuildResult::Warnings) => "~",
        Outcome::Finished(BuildResult::Failure) => "#",
        Outcome::Finished(BuildResult::Exception) => "?",
        Outcome::Finished(BuildResult::Retry) => "@",
        Outcome::Finished(BuildResult::Cancelled) => "x",
        Outcome::Finished(BuildResult::Skipped) => "-",
        Outcome::Unrecognised => "!",
    }
}

pub fn plain_status(s: Option<BuilderStatus>) -> &'static str {
    match s {
        Some(BuilderStatus::Success) => "_",
        Some(BuilderStatus::Unstable) => "?",
        Some(BuilderStatus::Failure) => "#",
        Some(BuilderStatus::Building | BuilderStatus::Offline) => "*",
        Some(BuilderStatus::Paused) => "=",
        Some(BuilderStatus::NoBuilds) => ".",
        None => "!",
    }
}

/// The release dashboard's per-build symbols, plus one for a running build.
pub fn glyph(o: Outcome) -> &'static str {
    match o {
        Outcome::Running => "●",
        Outcome::Stale => "◌",
        Outcome::Finished(BuildResult::Success) => "✔",
        Outcome::Finished(BuildResult::Warnings) => "⚠",
        Outcome::Finished(BuildResult::Failure) => "✘",
        Outcome::Finished(BuildResult::Skipped) => "⊖",
        Outcome::Finished(BuildResult::Exception) => "⊘",
        Outcome::Finished(BuildResult::Retry) => "↺",
        Outcome::Finished(BuildResult::Cancelled) => "⊗",
        Outcome::Unrecognised => "?",
    }
}

/// The symbol set for grids (waterfall, console): the dashboard's glyphs, or ASCII.
#[derive(Debug, Clone, Copy)]
pub struct Glyphs {
    pub ascii: bool,
}

impl Glyphs {
    pub fn outcome(self, o: Outcome) -> &'static str {
        if self.ascii {
            plain_outcome(o)
        } else {
            glyph(o)
        }
    }

    /// A commit tested by a newer commit's build.
    pub fn covered(self) -> &'static str {
        if self.ascii { ":" } else { "┆" }
    }

    /// No build tested it.
    pub fn not_built(self) -> &'static str {
        if self.ascii { "." } else { "·" }
    }

    /// Between a thing and a part of it: `test › stdio` (a step and its log).
    pub fn within(self) -> &'static str {
        if self.ascii { ">" } else { "›" }
    }

    /// The multiplication sign of `3 commits × 11 builders`.
    pub fn times(self) -> &'static str {
        if self.ascii { "x" } else { "×" }
    }

    /// A release verdict's mark: the dashboard's glyph, or its plain-text mark (`[X]`).
    pub fn verdict(self, v: Verdict) -> &'static str {
        if self.ascii {
            verdict_plain(v)
        } else {
            verdict_glyph(v)
        }
    }

    /// How a builder moves a release verdict: the dashboard's glyph, or a plain mark (`X`).
    pub fn effect(self, e: Effect) -> &'static str {
        if self.ascii {
            effect_plain(e)
        } else {
            effect_glyph(e)
        }
    }

    /// What ends a cut string.
    pub fn ellipsis(self) -> &'static str {
        if self.ascii { "..." } else { "…" }
    }

    /// The horizontal rule under table headers.
    pub fn rule(self) -> char {
        if self.ascii { '-' } else { '─' }
    }

    /// What each result's symbol means, one item per result, in the order the results go
    /// from good to bad and then to the ones that say nothing about the code.
    pub fn legend_items(self) -> Vec<String> {
        let finished = [
            (BuildResult::Success, "success"),
            (BuildResult::Warnings, "warnings"),
            (BuildResult::Failure, "failure"),
            (BuildResult::Exception, "exception"),
            (BuildResult::Retry, "retry"),
            (BuildResult::Cancelled, "cancelled"),
            (BuildResult::Skipped, "skipped"),
        ];
        finished
            .iter()
            .map(|(r, word)| format!("{} {word}", self.outcome(Outcome::Finished(*r))))
            .chain([format!("{} running", self.outcome(Outcome::Running))])
            .collect()
    }

    /// The legend on one line.
    pub fn legend(self) -> String {
        self.legend_items().join("  ")
    }

    /// The legend, with the stale symbol when the report shows a stale build (rare: the
    /// legend names it only then).
    pub fn legend_lines_for(self, width: usize, stale: bool) -> Vec<String> {
        let mut items = self.legend_items();
        if stale {
            items.push(format!("{} stale", self.outcome(Outcome::Stale)));
        }
        super::text::wrap_items(&items, "  ", width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Outcome; 10] = [
        Outcome::Running,
        Outcome::Stale,
        Outcome::Finished(BuildResult::Success),
        Outcome::Finished(BuildResult::Warnings),
        Outcome::Finished(BuildResult::Failure),
        Outcome::Finished(BuildResult::Skipped),
        Outcome::Finished(BuildResult::Exception),
        Outcome::Finished(BuildResult::Retry),
        Outcome::Finished(BuildResult::Cancelled),
        Outcome::Unrecognised,
    ];

    #[test]
    fn every_outcome_has_its_own_symbol_in_each_set() {
        for ascii in [true, false] {
            let glyphs = Glyphs { ascii };
            let mut seen: Vec<&str> = ALL.iter().map(|o| glyphs.outcome(*o)).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), ALL.len(), "ascii {ascii}: {seen:?}");
        }
    }

    #[test]
    fn the_legend_names_every_result() {
        for ascii in [true, false] {
            let legend = Glyphs { ascii }.legend();
            for word in [
                "success",
                "warnings",
                "failure",
                "exception",
                "retry",
                "cancelled",
                "skipped",
                "running",
            ] {
                assert!(legend.contains(word), "{legend}");
            }
        }
        assert_eq!(
            Glyphs { ascii: true }.legend(),
            "_ success  ~ warnings  # failure  ? exception  @ retry  x cancelled  - skipped  * running"
        );
    }
}
