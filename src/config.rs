//! The configuration file: `$XDG_CONFIG_HOME/bbreport/config.toml` (else
//! `~/.config/bbreport/config.toml`), or the file named by `--config` / `BBREPORT_CONFIG`.
//! Command-line flags and environment variables override it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

use crate::error::Error;
use crate::model::classify::TagRules;
use crate::model::stale::StaleRule;

/// Keys of the config file. Unknown keys are an error, so a typo does not silently do nothing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Master root URL (as `--server`).
    pub server: Option<String>,
    /// Branches reported when none is given on the command line.
    pub branches: Option<Vec<String>>,
    /// Builds per builder (as `--builds`).
    pub limit: Option<usize>,
    /// Request timeout in seconds (as `--timeout`).
    pub timeout: Option<u64>,
    /// Known-issue rules file (TOML; relative to this config file), for `failures`.
    pub known_issues: Option<String>,
    /// Credentials for a master that requires login (`BBREPORT_TOKEN` wins): `user:password`
    /// for Buildbot's own login, anything else is sent as a bearer token. Never printed.
    pub token: Option<crate::api::Secret>,
    /// Colour default (as `--color`): auto, always or never.
    pub color: Option<ColorChoice>,
    /// ASCII symbols instead of Unicode glyphs in tables, waterfall, console and build reports
    /// (also chosen automatically when the locale is not UTF-8).
    #[serde(default)]
    pub ascii: bool,
    /// How builder tags map to branch, stability and tier.
    #[serde(default)]
    pub tags: TagsConfig,
    /// Defaults of `bbreport release`.
    #[serde(default)]
    pub release: ReleaseConfig,
    /// When a running build is called stale (`crate::model::stale`).
    #[serde(default)]
    pub stale: StaleConfig,
}

/// The `[stale]` table: a running build is stale once it has run `factor` times its builder's
/// median build time, and never before `floor_minutes` (also the bound of a builder with no
/// finished build to measure). A build whose master is gone is stale whatever its age.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleConfig {
    /// Default 4 ([`StaleRule::DEFAULT_FACTOR`]).
    pub factor: Option<u32>,
    /// Default 360, six hours ([`StaleRule::DEFAULT_FLOOR_MINUTES`]).
    pub floor_minutes: Option<u32>,
}

impl Config {
    /// The `[stale]` rule, defaults filled in.
    pub fn stale_rule(&self) -> StaleRule {
        let default = StaleRule::default();
        StaleRule {
            factor: self.stale.factor.unwrap_or(default.factor),
            floor: self
                .stale
                .floor_minutes
                .map_or(default.floor, |m| i64::from(m) * 60),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseConfig {
    /// `persistent` or `dashboard` (as `--rule`).
    pub rule: Option<String>,
    /// Consecutive failures that make a blocking builder's failure persistent (as `--threshold`).
    pub threshold: Option<usize>,
    /// Builds read per builder (as `release --builds`).
    pub builds: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsConfig {
    pub branch: Option<String>,
    pub branch_aliases: Option<BTreeMap<String, String>>,
    pub stable: Option<String>,
    pub unstable: Option<String>,
    pub tier: Option<String>,
}

/// When to colour the output (`--color` and the config's `color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The config README.md documents; a unit test checks it parses.
#[cfg(test)]
const EXAMPLE: &str = r#"# ~/.config/bbreport/config.toml
server = "https://buildbot.python.org/all/"
branches = ["3.x", "3.14"]   # default branches; all when unset
limit = 4                    # builds per builder
timeout = 30                 # seconds per request
known_issues = "known-issues.toml"   # rules for `failures` (path relative to this file)

[tags]                       # defaults suit buildbot.python.org
branch = '^(\d+\.(?:x|\d+))$'          # a tag naming the branch (group 1)
branch_aliases = { PullRequest = "PR", main = "3.x" }
stable = "stable"
unstable = "unstable"
tier = '^tier-(\d+)$'                  # the tier number (group 1)

[release]                    # defaults of `bbreport release`
rule = "persistent"          # or "dashboard"
threshold = 2                # consecutive failures that block a release
builds = 10                  # builds read per builder

[stale]                      # when a running build is shown `stale`, not `building`
factor = 4                   # after 4 x its builder's median build time (recent finished builds)
floor_minutes = 360          # and never before 6 hours (a build whose master is gone: at once)
"#;

/// Where the config is read from when no path is given.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("bbreport").join("config.toml"))
}

/// Load the config: an explicit path must exist; the default path may be absent.
pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), Error> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok((Config::default(), None)),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok((Config::default(), None));
        }
        Err(e) => {
            return Err(Error::Config {
                path,
                message: e.to_string(),
            });
        }
    };
    let config: Config = toml::from_str(&text).map_err(|e| Error::Config {
        path: path.clone(),
        message: match e.span() {
            Some(span) => format!("line {}: {}", line_at(&text, span.start), e.message()),
            None => e.message().to_string(),
        },
    })?;
    config.validate(&text).map_err(|message| Error::Config {
        path: path.clone(),
        message,
    })?;
    Ok((config, Some(path)))
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line where `key` is set, in `table` (`None`: the top level), for error messages.
fn line_of(text: &str, table: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            current = Some(name.trim().to_string());
            continue;
        }
        let Some((k, _)) = line.split_once('=') else {
            continue;
        };
        if k.trim() == key && current.as_deref() == table {
            return Some(i + 1);
        }
    }
    None
}

/// The ranges the config shares with the flags it stands for: a value the flag refuses is
/// refused here too, at load, naming the file, the line and the key.
const LIMIT: (u64, u64, &str) = (1, 100, "--builds");
const TIMEOUT: (u64, u64, &str) = (1, 3600, "--timeout");
const THRESHOLD: (u64, u64, &str) = (1, 50, "release --threshold");
const RELEASE_BUILDS: (u64, u64, &str) = (2, 200, "release --builds");
/// `[stale]` has no flag: its ranges are its own (a factor of 1 calls a build stale as soon as
/// it takes longer than usual; a floor of a week is as long as any build should run).
const STALE_FACTOR: (u64, u64, &str) = (1, 100, "a multiple of the usual build time");
const STALE_FLOOR: (u64, u64, &str) = (1, 10_080, "minutes (a week at most)");

impl Config {
    /// Check every value against what its flag accepts (`text` is the file, for line numbers).
    fn validate(&self, text: &str) -> Result<(), String> {
        let at = |table: Option<&str>, key: &str| {
            let name = table.map_or(key.to_string(), |t| format!("{t}.{key}"));
            match line_of(text, table, key) {
                Some(n) => format!("line {n}: {name}"),
                None => name,
            }
        };
        let range = |table: Option<&str>,
                     key: &str,
                     value: Option<u64>,
                     (lo, hi, flag): (u64, u64, &str)| match value {
            Some(v) if !(lo..=hi).contains(&v) => Err(format!(
                "{} = {v}: must be between {lo} and {hi}, {}{flag}",
                at(table, key),
                if flag.starts_with('-') || flag.starts_with("release") {
                    "as for "
                } else {
                    ""
                }
            )),
            _ => Ok(()),
        };
        range(None, "limit", self.limit.map(|v| v as u64), LIMIT)?;
        range(None, "timeout", self.timeout, TIMEOUT)?;
        range(
            Some("release"),
            "threshold",
            self.release.threshold.map(|v| v as u64),
            THRESHOLD,
        )?;
        range(
            Some("release"),
            "builds",
            self.release.builds.map(|v| v as u64),
            RELEASE_BUILDS,
        )?;
        range(
            Some("stale"),
            "factor",
            self.stale.factor.map(u64::from),
            STALE_FACTOR,
        )?;
        range(
            Some("stale"),
            "floor_minutes",
            self.stale.floor_minutes.map(u64::from),
            STALE_FLOOR,
        )?;
        if let Some(rule) = &self.release.rule
            && !matches!(rule.as_str(), "persistent" | "dashboard")
        {
            return Err(format!(
                "{} = '{rule}': expected 'persistent' or 'dashboard'",
                at(Some("release"), "rule")
            ));
        }
        if let Some(branches) = &self.branches
            && branches.iter().any(|b| b.trim().is_empty())
        {
            return Err(format!(
                "{}: an empty branch name; list branches like [\"3.x\", \"3.14\"]",
                at(None, "branches")
            ));
        }
        Ok(())
    }
}

impl Config {
    pub fn tag_rules(&self, path: Option<&Path>) -> Result<TagRules, Error> {
        let mut rules = TagRules::default();
        let bad = |key: &str, e: regex::Error| Error::Config {
            path: path.map(Path::to_path_buf).unwrap_or_default(),
            message: format!("tags.{key} is not a valid regex: {e}"),
        };
        if let Some(p) = &self.tags.branch {
            rules.branch = Regex::new(p).map_err(|e| bad("branch", e))?;
        }
        if let Some(p) = &self.tags.tier {
            rules.tier = Regex::new(p).map_err(|e| bad("tier", e))?;
        }
        if let Some(a) = &self.tags.branch_aliases {
            rules.branch_aliases = a.clone();
        }
        if let Some(s) = &self.tags.stable {
            rules.stable = s.clone();
        }
        if let Some(s) = &self.tags.unstable {
            rules.unstable = s.clone();
        }
        Ok(rules)
    }
}

/// The known-issue rules: `BBREPORT_KNOWN_ISSUES`, else the config's `known_issues` (relative
/// to the config file), else none.
pub fn known_issues(
    config: &Config,
    config_path: Option<&Path>,
) -> Result<crate::model::known_issues::KnownIssues, Error> {
    let path = match (
        std::env::var_os("BBREPORT_KNOWN_ISSUES").filter(|v| !v.is_empty()),
        &config.known_issues,
    ) {
        (Some(p), _) => PathBuf::from(p),
        (None, Some(p)) => config_path
            .and_then(Path::parent)
            .map_or_else(|| PathBuf::from(p), |dir| dir.join(p)),
        (None, None) => return Ok(Default::default()),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    crate::model::known_issues::KnownIssues::parse(&text)
        .map_err(|message| Error::Config { path, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses_and_gives_default_rules() {
        let c: Config = toml::from_str(EXAMPLE).expect("example parses");
        assert_eq!(c.limit, Some(4));
        assert_eq!(
            c.stale_rule(),
            StaleRule::default(),
            "the example shows the defaults"
        );
        let rules = c.tag_rules(None).expect("rules");
        let class = rules.classify("AMD64 Ubuntu PR", &["PullRequest".into(), "tier-2".into()]);
        assert_eq!((class.branch.as_str(), class.tier), ("PR", Some(2)));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<Config>("sever = 'x'").expect_err("typo must fail");
        assert!(err.message().contains("unknown field"), "{}", err.message());
    }

    fn load_text(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write config");
        load(Some(&path)).map(|(c, _)| c).map_err(|e| e.to_string())
    }

    #[test]
    fn values_the_flags_refuse_are_refused_with_file_line_and_key() {
        for (text, expected) in [
            (
                "timeout = 0\n",
                "line 1: timeout = 0: must be between 1 and 3600, as for --timeout",
            ),
            (
                "server = 'x'\nlimit = 0\n",
                "line 2: limit = 0: must be between 1 and 100",
            ),
            (
                "limit = 1000\n",
                "line 1: limit = 1000: must be between 1 and 100",
            ),
            (
                "[release]\nthreshold = 0\n",
                "line 2: release.threshold = 0",
            ),
            ("[release]\nbuilds = 1\n", "line 2: release.builds = 1"),
            (
                "[release]\nrule = 'strict'\n",
                "line 2: release.rule = 'strict': expected",
            ),
            (
                "branches = ['3.x', '']\n",
                "line 1: branches: an empty branch name",
            ),
            ("\nlimit = 'four'\n", "line 2: invalid type"),
            (
                "[stale]\nfactor = 0\n",
                "line 2: stale.factor = 0: must be between 1 and 100, a multiple",
            ),
            (
                "[stale]\nfloor_minutes = 20000\n",
                "line 2: stale.floor_minutes = 20000: must be between 1 and 10080",
            ),
            ("[stale]\nfloor = 5\n", "unknown field `floor`"),
            ("[stale]\nfactor = -1\n", "line 2"),
        ] {
            let err = load_text(text).expect_err(text);
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(err.contains("config.toml"), "names the file: {err}");
        }
        assert!(load_text("limit = 100\ntimeout = 3600\n").is_ok());
        let c = load_text("[stale]\nfactor = 2\nfloor_minutes = 30\n").expect("valid");
        assert_eq!(
            c.stale_rule(),
            StaleRule {
                factor: 2,
                floor: 1800
            }
        );
        assert_eq!(Config::default().stale_rule(), StaleRule::default());
    }

    #[test]
    fn bad_regex_names_the_key() {
        let c: Config = toml::from_str("[tags]\ntier = '(('").expect("parses");
        let err = c.tag_rules(None).expect_err("bad regex");
        assert!(err.to_string().contains("tags.tier"), "{err}");
    }
}
