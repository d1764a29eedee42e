//! Known issues: rules that tie a failure to an issue, as the old bbreport's `[issues]` did.
//!
//! ```toml
//! [[rule]]
//! issue = "gh-12345"        # shown next to matching failures
//! test = "test_ssl"         # regex, must match the whole test name
//! symptom = "timed out"     # optional: failed | passed on re-run | timed out | crashed (regex)
//! builder = ".*FreeBSD.*"   # optional regex, must match the whole builder name
//! ```
//! The first matching rule wins.

use regex::Regex;
use serde::Deserialize;

use super::failures::Symptom;

#[derive(Debug, Default)]
pub struct KnownIssues {
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    issue: String,
    test: Regex,
    symptom: Option<Regex>,
    builder: Option<Regex>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    issue: String,
    test: String,
    symptom: Option<String>,
    builder: Option<String>,
}

pub fn symptom_text(s: Symptom) -> &'static str {
    match s {
        Symptom::Failed => "failed",
        Symptom::PassedOnRerun => "passed on re-run",
        Symptom::TimedOut => "timed out",
        Symptom::Crashed => "crashed",
    }
}

/// Every symptom a rule can name, in the words rules use.
const SYMPTOMS: [Symptom; 4] = [
    Symptom::Failed,
    Symptom::PassedOnRerun,
    Symptom::TimedOut,
    Symptom::Crashed,
];

/// A symptom pattern that matches none of the symptoms would make its rule silently never
/// match: refuse it, listing the valid ones.
fn some_symptom(re: Regex, i: usize, pattern: &str) -> Result<Regex, String> {
    if SYMPTOMS.iter().any(|s| re.is_match(symptom_text(*s))) {
        return Ok(re);
    }
    let valid: Vec<&str> = SYMPTOMS.iter().map(|s| symptom_text(*s)).collect();
    Err(format!(
        "rule {} (symptom): '{pattern}' matches no symptom; expected one of: {}",
        i + 1,
        valid.join(", ")
    ))
}

impl KnownIssues {
    /// Parse the rules file; the error names the rule and field.
    pub fn parse(text: &str) -> Result<KnownIssues, String> {
        let file: File = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let whole = |field: &str, i: usize, re: &str| {
            Regex::new(&format!("^(?:{re})$")).map_err(|e| format!("rule {} ({field}): {e}", i + 1))
        };
        let rules = file
            .rule
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                Ok(Rule {
                    test: whole("test", i, &r.test)?,
                    symptom: r
                        .symptom
                        .as_deref()
                        .map(|s| whole("symptom", i, s).and_then(|re| some_symptom(re, i, s)))
                        .transpose()?,
                    builder: r
                        .builder
                        .as_deref()
                        .map(|s| whole("builder", i, s))
                        .transpose()?,
                    issue: r.issue,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(KnownIssues { rules })
    }

    /// The issue a failure is known under, if any rule matches it.
    pub fn issue_for(&self, test: &str, symptom: Symptom, builder: &str) -> Option<&str> {
        self.rules
            .iter()
            .find(|r| {
                r.test.is_match(test)
                    && r.symptom
                        .as_ref()
                        .is_none_or(|re| re.is_match(symptom_text(symptom)))
                    && r.builder.as_ref().is_none_or(|re| re.is_match(builder))
            })
            .map(|r| r.issue.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
[[rule]]
issue = "gh-111"
test = "test_ssl"
symptom = "timed out"

[[rule]]
issue = "gh-222"
test = "test_(asyncio|socket)"
builder = ".*FreeBSD.*"

[[rule]]
issue = "gh-333"
test = "test_bbr_.*"
"#;

    #[test]
    fn first_matching_rule_wins_and_fields_narrow() {
        let k = KnownIssues::parse(RULES).expect("rules");
        assert_eq!(
            k.issue_for("test_ssl", Symptom::TimedOut, "AMD64 Ubuntu 3.x"),
            Some("gh-111")
        );
        assert_eq!(
            k.issue_for("test_ssl", Symptom::Failed, "AMD64 Ubuntu 3.x"),
            None
        );
        assert_eq!(
            k.issue_for("test_socket", Symptom::Failed, "AMD64 FreeBSD14 3.x"),
            Some("gh-222")
        );
        assert_eq!(
            k.issue_for("test_socket", Symptom::Failed, "AMD64 Ubuntu 3.x"),
            None
        );
        assert_eq!(
            k.issue_for("test_bbr_broken", Symptom::Failed, "x"),
            Some("gh-333")
        );
        assert_eq!(
            k.issue_for("test_ssl_extra", Symptom::TimedOut, "x"),
            None,
            "test must match whole"
        );
    }

    #[test]
    fn bad_rules_name_the_rule_and_field() {
        let err =
            KnownIssues::parse("[[rule]]\nissue = 'x'\ntest = '(('\n").expect_err("bad regex");
        assert!(err.starts_with("rule 1 (test):"), "{err}");
        assert!(
            KnownIssues::parse("[[rule]]\nissue = 'x'\n").is_err(),
            "test is required"
        );
        assert!(
            KnownIssues::parse("[[rules]]\n").is_err(),
            "unknown keys are rejected"
        );
    }

    #[test]
    fn a_symptom_that_matches_nothing_is_refused() {
        let err =
            KnownIssues::parse("[[rule]]\nissue = 'gh-1'\ntest = 'test_os'\nsymptom = 'timeout'\n")
                .expect_err("no symptom is called 'timeout'");
        assert!(err.contains("rule 1 (symptom)"), "{err}");
        assert!(err.contains("timed out"), "lists the valid ones: {err}");
        assert!(
            KnownIssues::parse(
                "[[rule]]\nissue = 'a'\ntest = 'x'\nsymptom = 'timed out|crashed'\n"
            )
            .is_ok()
        );
    }
}
