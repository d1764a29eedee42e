//! What a builder is: its branch, stability and tier, read from its tags.
//!
//! CPython tags every builder with its branch (`3.x`, `3.15`…, `PullRequest` for PR builders),
//! `stable` or `unstable`, and `tier-1`..`tier-3` or no tier. Other masters tag differently:
//! the patterns come from the config ([`TagRules`]). Only a tag names a branch: a builder with
//! no branch tag (a one-off like `AMD64 Arch Linux Valgrind`, or Buildbot's own `__Janitor`)
//! belongs to no branch ([`NO_BRANCH`]) rather than to one guessed from its name, so it never
//! invents a branch nor enters a release verdict.

use std::collections::BTreeMap;

use regex::Regex;
use serde::Serialize;

/// The group of builders that no tag assigns to a branch; `bbreport no-branch` lists them.
pub const NO_BRANCH: &str = "no-branch";

#[derive(Debug, Clone)]
pub struct TagRules {
    /// A tag matching this names the builder's branch (capture group 1 if any, else the tag).
    pub branch: Regex,
    /// Tags that name a branch under another name, e.g. `PullRequest` → `PR`.
    pub branch_aliases: BTreeMap<String, String>,
    pub stable: String,
    pub unstable: String,
    /// A tag matching this gives the tier in capture group 1 (a number); the lowest one wins.
    pub tier: Regex,
}

impl Default for TagRules {
    fn default() -> Self {
        TagRules {
            branch: Regex::new(r"^(\d+\.(?:x|\d+))$").expect("valid default regex"),
            // `main` named 3.x for two weeks on buildbot.python.org in 2026.
            branch_aliases: BTreeMap::from([
                ("PullRequest".to_string(), "PR".to_string()),
                ("main".to_string(), "3.x".to_string()),
            ]),
            stable: "stable".into(),
            unstable: "unstable".into(),
            tier: Regex::new(r"^tier-(\d+)$").expect("valid default regex"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stability {
    Stable,
    Unstable,
    /// Neither tag: masters that do not mark stability.
    Unspecified,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuilderClass {
    pub branch: String,
    /// True when the branch came from a tag, false when from the name's last word.
    pub branch_from_tag: bool,
    pub stability: Stability,
    /// `None` is tierless.
    pub tier: Option<u8>,
}

impl TagRules {
    /// The branch pull-request builders report under: the alias of CPython's `PullRequest` tag
    /// (`PR` by default). Release verdicts leave it out unless it is asked for.
    pub fn pull_request_branch(&self) -> &str {
        self.branch_aliases
            .iter()
            .find(|(tag, _)| tag.eq_ignore_ascii_case("PullRequest"))
            .map_or("PR", |(_, branch)| branch.as_str())
    }

    /// The branch an asked name stands for: an alias (`main` → `3.x`) or the name itself.
    pub fn canonical_branch<'a>(&'a self, asked: &'a str) -> &'a str {
        self.branch_aliases
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(asked))
            .map_or(asked, |(_, branch)| branch.as_str())
    }

    pub fn classify(&self, _name: &str, tags: &[String]) -> BuilderClass {
        let tagged_branch = tags.iter().find_map(|t| {
            if let Some(alias) = self.branch_aliases.get(t) {
                return Some(alias.clone());
            }
            let caps = self.branch.captures(t)?;
            Some(
                caps.get(1)
                    .unwrap_or_else(|| caps.get(0).expect("group 0 always exists"))
                    .as_str()
                    .to_string(),
            )
        });
        let (branch, branch_from_tag) = match tagged_branch {
            Some(b) => (b, true),
            None => (NO_BRANCH.to_string(), false),
        };
        let stability = if tags.contains(&self.stable) {
            Stability::Stable
        } else if tags.contains(&self.unstable) {
            Stability::Unstable
        } else {
            Stability::Unspecified
        };
        let tier = tags
            .iter()
            .filter_map(|t| self.tier.captures(t)?.get(1)?.as_str().parse::<u8>().ok())
            .min();
        BuilderClass {
            branch,
            branch_from_tag,
            stability,
            tier,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn cpython_tags() {
        let r = TagRules::default();
        let c = r.classify(
            "AMD64 Fedora Stable LTO 3.x",
            &tags(&["3.x", "stable", "tier-1", "lto", "nondebug"]),
        );
        assert_eq!(
            c,
            BuilderClass {
                branch: "3.x".into(),
                branch_from_tag: true,
                stability: Stability::Stable,
                tier: Some(1)
            }
        );
        let c = r.classify(
            "AMD64 Fedora Rawhide Clang 3.14",
            &tags(&["unstable", "clang", "3.14", "tier-2"]),
        );
        assert_eq!(
            (c.branch.as_str(), c.stability, c.tier),
            ("3.14", Stability::Unstable, Some(2))
        );
    }

    #[test]
    fn pull_request_tag_is_pr_branch() {
        let c = TagRules::default().classify(
            "AMD64 Windows PGO NoGIL PR",
            &tags(&["PullRequest", "stable", "tier-1"]),
        );
        assert_eq!(c.branch, "PR");
        assert!(c.branch_from_tag);
    }

    #[test]
    fn tierless_and_the_literal_tierless_tag() {
        let r = TagRules::default();
        assert_eq!(
            r.classify("AMD64 Alpine Linux 3.x", &tags(&["3.x", "stable"]))
                .tier,
            None
        );
        assert_eq!(
            r.classify(
                "AMD64 Windows Server 2025 Clang 3.x",
                &tags(&["3.x", "tierless", "unstable"])
            )
            .tier,
            None
        );
    }

    #[test]
    fn lowest_tier_wins() {
        assert_eq!(
            TagRules::default()
                .classify("x 3.x", &tags(&["tier-3", "tier-2"]))
                .tier,
            Some(2)
        );
    }

    #[test]
    fn untagged_builder_belongs_to_no_branch_not_its_last_word() {
        let r = TagRules::default();
        let c = r.classify("AMD64 Arch Linux Valgrind", &tags(&["valgrind"]));
        assert_eq!(c.branch, NO_BRANCH);
        assert!(!c.branch_from_tag);
        assert_eq!(c.stability, Stability::Unspecified);
        assert_eq!(r.classify("__Janitor", &[]).branch, NO_BRANCH);
    }

    #[test]
    fn main_is_an_alias_of_3x() {
        let r = TagRules::default();
        assert_eq!(
            r.classify("AMD64 Ubuntu main", &tags(&["main", "stable"]))
                .branch,
            "3.x"
        );
        assert_eq!(r.canonical_branch("MAIN"), "3.x");
        assert_eq!(r.canonical_branch("3.14"), "3.14");
    }

    #[test]
    fn custom_rules_from_config() {
        let r = TagRules {
            branch: Regex::new(r"^branch:(.+)$").expect("regex"),
            branch_aliases: BTreeMap::new(),
            stable: "gating".into(),
            unstable: "experimental".into(),
            tier: Regex::new(r"^prio(\d)$").expect("regex"),
        };
        let c = r.classify("linux main", &tags(&["branch:main", "gating", "prio2"]));
        assert_eq!(
            c,
            BuilderClass {
                branch: "main".into(),
                branch_from_tag: true,
                stability: Stability::Stable,
                tier: Some(2)
            }
        );
    }
}
