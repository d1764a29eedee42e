//! What a builder is: its branch, stability and tier, read from its tags.
//!
//! CPython tags every builder with its branch (`3.x`, `3.15`…, `PullRequest` for PR builders),
//! `stable` or `unstable`, and `tier-1`..`tier-3` or no tier. Other masters tag differently:
//! the patterns come from the config ([`TagRules`]), and a builder with no branch tag takes the
//! last word of its name as its branch (the naming rule both CPython and the old bbreport use).

use std::collections::BTreeMap;

use regex::Regex;
use serde::Serialize;

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
            branch_aliases: BTreeMap::from([("PullRequest".to_string(), "PR".to_string())]),
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

    pub fn classify(&self, name: &str, tags: &[String]) -> BuilderClass {
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
            None => (
                name.split_whitespace().last().unwrap_or(name).to_string(),
                false,
            ),
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
    fn untagged_builder_takes_branch_from_last_word() {
        let c = TagRules::default().classify("linux-gcc release-1.2", &tags(&["nightly"]));
        assert_eq!(c.branch, "release-1.2");
        assert!(!c.branch_from_tag);
        assert_eq!(c.stability, Stability::Unspecified);
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
