//! `bbreport cache info` as text and markdown: one labelled line per fact.

use std::io::{self, Write};

use super::markdown::escape;
use super::text::{format_age, format_time, human_bytes, pad, sanitize};
use super::{Report, Settings};
use crate::report::cache_info::{CacheContents, CacheInfoReport};

impl Report for CacheInfoReport {
    const TITLE: &'static str = "bbreport cache info";

    fn plain(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        let Some(contents) = &self.cache else {
            return writeln!(out, "{}", missing(self));
        };
        for (label, value) in facts(self, contents) {
            writeln!(out, "{}{}", pad(&format!("{label}:"), 16), sanitize(&value))?;
        }
        Ok(())
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        let Some(contents) = &self.cache else {
            return writeln!(out, "{}", escape(&missing(self)));
        };
        for (label, value) in facts(self, contents) {
            writeln!(out, "- **{label}:** {}", escape(&value))?;
        }
        Ok(())
    }
}

fn missing(r: &CacheInfoReport) -> String {
    format!(
        "No cache for {} yet; the next run will create {}",
        r.header.server, r.path
    )
}

/// `(label, value)` lines: where the file is, when it caught up, what it holds.
fn facts(r: &CacheInfoReport, i: &CacheContents) -> Vec<(&'static str, String)> {
    let when = |t: Option<i64>| match t {
        Some(t) => format!("{} ({} ago)", format_time(t), format_age(r.now() - t)),
        None => "never".to_string(),
    };
    let mut caught_up = when(i.synced_at);
    if let Some(w) = i.watermark {
        caught_up.push_str(&format!(", every build up to id {w} seen"));
    }
    let builders = match i.builders_fetched_at {
        Some(_) => format!("read {}", when(i.builders_fetched_at)),
        None => "not read yet".to_string(),
    };
    vec![
        (
            "cache",
            format!("{} ({})", i.path, human_bytes(i.file_bytes)),
        ),
        (
            "server",
            i.server.clone().unwrap_or_else(|| "(unknown)".to_string()),
        ),
        ("caught up", caught_up),
        (
            "builders list",
            format!(
                "{builders}, reused for {} min after it is read",
                r.lists_ttl_seconds / 60
            ),
        ),
        (
            "builds",
            format!(
                "{} ({} running when last seen), {} builders covered",
                i.builds, i.running_builds, i.covered_builders
            ),
        ),
        (
            "logs and steps",
            format!(
                "{} responses ({} compressed)",
                i.responses,
                human_bytes(u64::try_from(i.response_bytes).unwrap_or(0))
            ),
        ),
        ("format", i.schema_version.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ServerUrl;
    use crate::cache::CacheInfo;
    use crate::render::{Format, keys, to_string};
    use crate::report::header::{DataSource, ReportOrigin};

    const NOW: i64 = 1_795_400_000;

    fn report(exists: bool) -> CacheInfoReport {
        let path = std::path::Path::new("/tmp/cache/buildbot.example-all-1c9f2e07.sqlite3");
        let info = CacheInfo {
            path: path.to_path_buf(),
            server: Some("https://buildbot.example/all/".into()),
            schema_version: 4,
            file_bytes: 3 << 20,
            synced_at: Some(NOW - 90),
            watermark: Some(4242),
            builders_fetched_at: Some(NOW - 600),
            workers_fetched_at: Some(NOW - 90),
            builds: 1200,
            running_builds: 3,
            covered_builders: 92,
            responses: 10,
            response_bytes: 1536,
        };
        let server = ServerUrl::parse("https://buildbot.example/all/").expect("url");
        let origin = ReportOrigin {
            server: &server,
            source: DataSource::Live,
            recorded_at: None,
            now: NOW,
        };
        CacheInfoReport::new(path, exists.then_some(&info), 3600, &origin)
    }

    #[test]
    fn text_and_markdown_say_the_same() {
        let text = to_string(&report(true), Format::Plain, &Settings::plain());
        assert_eq!(
            text,
            "cache:          /tmp/cache/buildbot.example-all-1c9f2e07.sqlite3 (3.0 MiB)\n\
             server:         https://buildbot.example/all/\n\
             caught up:      2026-11-23 02:11 UTC (1 min ago), every build up to id 4242 seen\n\
             builders list:  read 2026-11-23 02:03 UTC (10 min ago), reused for 60 min after it is read\n\
             builds:         1200 (3 running when last seen), 92 builders covered\n\
             logs and steps: 10 responses (1.5 KiB compressed)\n\
             format:         4\n"
        );
        let md = to_string(&report(true), Format::Markdown, &Settings::plain());
        assert_eq!(md.lines().count(), 7, "{md}");
        assert!(
            md.contains("- **builds:** 1200 (3 running when last seen), 92 builders covered\n"),
            "{md}"
        );
        let none = to_string(&report(false), Format::Plain, &Settings::plain());
        assert_eq!(
            none,
            "No cache for https://buildbot.example/all/ yet; the next run will create \
             /tmp/cache/buildbot.example-all-1c9f2e07.sqlite3\n"
        );
        let html = to_string(&report(false), Format::Html, &Settings::plain());
        assert!(html.contains("<p>No cache for"), "{html}");
    }

    #[test]
    fn json_names_every_field() {
        let v: serde_json::Value =
            serde_json::from_str(&to_string(&report(true), Format::Json, &Settings::plain()))
                .expect("json");
        assert_eq!(v["kind"], "cache");
        assert_eq!(
            keys(&v),
            [
                "cache",
                "exists",
                "generated_at",
                "kind",
                "lists_ttl_seconds",
                "path",
                "recorded_at",
                "schema_version",
                "server",
                "source"
            ]
        );
        assert_eq!(
            keys(&v["cache"]),
            [
                "builders_fetched_at",
                "builds",
                "covered_builders",
                "file_bytes",
                "path",
                "response_bytes",
                "responses",
                "running_builds",
                "schema_version",
                "server",
                "synced_at",
                "watermark",
                "workers_fetched_at"
            ]
        );
        assert_eq!(v["cache"]["watermark"], 4242);
        let none: serde_json::Value =
            serde_json::from_str(&to_string(&report(false), Format::Json, &Settings::plain()))
                .expect("json");
        assert_eq!(
            (&none["exists"], &none["cache"]),
            (&serde_json::json!(false), &serde_json::Value::Null)
        );
    }
}
