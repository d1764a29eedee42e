//! Which Buildbot a master runs, and what that changes in how it must be asked.
//!
//! The version is read from the master's web configuration: `GET <root>config` (a JSON
//! object with `versions: [["Python", "3.11.7"], ["Buildbot", "4.3.0"], …]`, Buildbot 3.x and
//! later), or from the `buildbotFrontendConfig` object embedded in the web root's HTML on older
//! masters. What differs by version (real-fleet-quirks.md, "Versions and transport"; checked on
//! real 2.10.5, 3.0.3, 3.11.9 and 4.3.0 masters):
//! - before 3.9, a `changes` query filtered by branch or revision is not done in SQL: the
//!   master reads every change, orders, **reverses**, filters and cuts the list in Python
//!   (`ResultSpec.applyToSQLQuery` cannot filter on a column its `changeid`-only query lacks),
//!   so `changes?branch=B&order=-changeid&limit=N` answers the branch's *oldest* N changes and
//!   costs seconds on a few thousand. A query on `changeid` alone stays in SQL, so older
//!   masters are read by pages of `changeid` and filtered here ([`ServerVersion::filters_changes_in_sql`]).

use serde::{Deserialize, Serialize};

/// A Buildbot version, as `major.minor.patch` (suffixes such as `.post1`, `rc1` or
/// `.dev12+g…` are kept in `text` only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
    /// The version as the master wrote it.
    pub text: String,
}

impl ServerVersion {
    /// `"4.3.0"`, `"3.11.9"`, `"3.10.0rc1"`, `"4.3.0.dev12+gabc"`: the leading numbers. `None`
    /// when the text does not start with `major.minor`.
    pub fn parse(text: &str) -> Option<ServerVersion> {
        let text = text.trim();
        let mut numbers = text.split('.').map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        });
        let major = numbers.next()??;
        let minor = numbers.next()??;
        let patch = numbers.next().flatten().unwrap_or(0);
        Some(ServerVersion {
            major,
            minor,
            patch,
            text: text.to_string(),
        })
    }

    /// The Buildbot version in a `versions` list (`[["Buildbot", "4.3.0"], …]`), as
    /// `GET <root>config` and the web root's `buildbotFrontendConfig` give it.
    pub fn from_versions(versions: &serde_json::Value) -> Option<ServerVersion> {
        versions.as_array()?.iter().find_map(|pair| {
            let pair = pair.as_array()?;
            if pair.first()?.as_str()? != "Buildbot" {
                return None;
            }
            ServerVersion::parse(pair.get(1)?.as_str()?)
        })
    }

    /// The version in the body of `GET <root>config` (JSON), or in the web root's HTML, whose
    /// script holds the same object (`angular.module("buildbot_config", []).constant("config",
    /// {…})` on Buildbot 2.x-3.x, `window.buildbotFrontendConfig = {…}` later). `None` when
    /// neither holds a Buildbot version.
    pub fn from_config_body(body: &[u8]) -> Option<ServerVersion> {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
            return ServerVersion::from_versions(v.get("versions")?);
        }
        let text = std::str::from_utf8(body).ok()?;
        let after_key = &text[text.find("\"versions\"")? + "\"versions\"".len()..];
        let list = &after_key[after_key.find('[')?..];
        // The list is followed by more of the object; serde reads one value and stops.
        let mut values = serde_json::Deserializer::from_str(list).into_iter();
        let v: serde_json::Value = values.next()?.ok()?;
        ServerVersion::from_versions(&v)
    }

    fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    /// Whether `changes` filtered by branch or revision is filtered, ordered and cut in SQL
    /// (Buildbot 3.9 and later). Before, such a query reads the whole table and a limited one
    /// answers the *oldest* matches: read pages of `changeid` and filter here instead.
    pub fn filters_changes_in_sql(&self) -> bool {
        self.at_least(3, 9)
    }
}

impl std::fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Buildbot {}", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_release_and_dev_versions() {
        let v = ServerVersion::parse("3.11.9").expect("a version");
        assert_eq!((v.major, v.minor, v.patch), (3, 11, 9));
        let v = ServerVersion::parse("4.3.0.dev12+gabc").expect("a version");
        assert_eq!((v.major, v.minor, v.patch), (4, 3, 0));
        let v = ServerVersion::parse("3.10.0rc1").expect("a version");
        assert_eq!((v.major, v.minor, v.patch), (3, 10, 0));
        assert_eq!(ServerVersion::parse("2.10").expect("a version").patch, 0);
        assert_eq!(ServerVersion::parse("latest"), None);
        assert_eq!(ServerVersion::parse("4"), None);
    }

    #[test]
    fn changes_are_filtered_in_sql_from_3_9() {
        let sql = |t| {
            ServerVersion::parse(t)
                .expect("a version")
                .filters_changes_in_sql()
        };
        assert!(!sql("2.10.5"));
        assert!(!sql("3.0.3"));
        assert!(!sql("3.8.0"));
        assert!(sql("3.9.0"));
        assert!(sql("3.11.9"));
        assert!(sql("4.3.0"));
        assert!(sql("10.0.0"));
    }

    #[test]
    fn reads_the_config_json_and_the_old_web_root() {
        let json = br#"{"title": "x", "versions": [["Python", "3.11.7"], ["Buildbot", "4.3.0"], ["Twisted", "24.11.0"]], "user": {"anonymous": true}}"#;
        assert_eq!(
            ServerVersion::from_config_body(json).map(|v| v.text),
            Some("4.3.0".to_string())
        );
        let html = br#"<html><head><script>
            window.buildbotFrontendConfig = {"title": "x", "versions": [["Python", "3.9.2"], ["Buildbot", "2.10.5"]], "plugins": {}};
            </script></head></html>"#;
        assert_eq!(
            ServerVersion::from_config_body(html).map(|v| v.text),
            Some("2.10.5".to_string())
        );
        // Buildbot 3.0.3's web root, as served.
        let html = br#"<script>angular.module("buildbot_config", []).constant("config", {"user": {"anonymous": true}, "versions": [["Python", "3.11.7"], ["Buildbot", "3.0.3"], ["Twisted", "21.7.0"]], "title": "t"})</script>"#;
        assert_eq!(
            ServerVersion::from_config_body(html).map(|v| v.text),
            Some("3.0.3".to_string())
        );
        assert_eq!(ServerVersion::from_config_body(b"{\"title\": \"x\"}"), None);
        assert_eq!(
            ServerVersion::from_config_body(b"<html>nothing</html>"),
            None
        );
        assert_eq!(ServerVersion::from_config_body(b"\xff\xfe"), None);
    }
}
