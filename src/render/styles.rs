//! Colours, decided once per run. The default is plain: no escape codes at all.

use owo_colors::OwoColorize;

use crate::model::release::{Effect, Verdict};
use crate::model::status::{BuildResult, BuilderStatus, Outcome};

#[derive(Debug, Clone, Copy, Default)]
pub struct Styles {
    colour: bool,
    /// OSC 8 hyperlinks around names (terminals that support them make them clickable).
    links: bool,
}

impl Styles {
    pub fn new(colour: bool) -> Styles {
        Styles {
            colour,
            links: false,
        }
    }

    pub fn plain() -> Styles {
        Styles::default()
    }

    pub fn with_links(self, links: bool) -> Styles {
        Styles { links, ..self }
    }

    /// `text` as an OSC 8 hyperlink to `url` when links are on (`url` is ours: built from the
    /// server root and numeric ids, so it carries no control characters).
    pub fn link(self, url: &str, text: &str) -> String {
        if !self.links || url.chars().any(char::is_control) {
            return text.to_string();
        }
        format!("\u{1b}]8;;{url}\u{7}{text}\u{1b}]8;;\u{7}")
    }

    pub fn status(self, status: Option<BuilderStatus>, text: &str) -> String {
        if !self.colour {
            return text.to_string();
        }
        match status {
            Some(BuilderStatus::Success) => text.green().to_string(),
            Some(BuilderStatus::Unstable) => text.yellow().to_string(),
            Some(BuilderStatus::Failure) => text.red().bold().to_string(),
            Some(BuilderStatus::Building) => text.blue().to_string(),
            Some(BuilderStatus::Offline) => text.cyan().to_string(),
            Some(BuilderStatus::Paused) => text.magenta().to_string(),
            Some(BuilderStatus::NoBuilds) | None => text.dimmed().to_string(),
        }
    }

    pub fn outcome(self, outcome: Outcome, text: &str) -> String {
        if !self.colour {
            return text.to_string();
        }
        match outcome {
            Outcome::Running => text.blue().to_string(),
            Outcome::Stale => text.blue().dimmed().to_string(),
            Outcome::Finished(BuildResult::Success) => text.green().to_string(),
            Outcome::Finished(BuildResult::Warnings) => text.yellow().to_string(),
            Outcome::Finished(BuildResult::Failure) => text.red().to_string(),
            Outcome::Finished(BuildResult::Exception) => text.magenta().to_string(),
            Outcome::Finished(BuildResult::Retry) => text.purple().to_string(),
            Outcome::Finished(BuildResult::Skipped | BuildResult::Cancelled)
            | Outcome::Unrecognised => text.dimmed().to_string(),
        }
    }

    pub fn verdict(self, v: Verdict, text: &str) -> String {
        if !self.colour {
            return text.to_string();
        }
        match v {
            Verdict::Releasable => text.green().bold().to_string(),
            Verdict::Concern => text.yellow().bold().to_string(),
            Verdict::Unreleasable => text.red().bold().to_string(),
            Verdict::Unknown | Verdict::NotAvailable => text.magenta().bold().to_string(),
        }
    }

    pub fn effect(self, e: Effect, text: &str) -> String {
        if !self.colour {
            return text.to_string();
        }
        match e {
            Effect::None => text.green().to_string(),
            Effect::Concern => text.yellow().to_string(),
            Effect::Unknown => text.magenta().to_string(),
            Effect::Unreleasable => text.red().to_string(),
        }
    }

    pub fn dim(self, text: &str) -> String {
        if self.colour {
            text.dimmed().to_string()
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        if self.colour {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }
}
