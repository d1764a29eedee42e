//! The digest (`--since-last-run`) as plain text (cron mail) and markdown. Never coloured: a
//! digest is read in a mail client or a log.

use std::io::{self, Write};

use super::markdown::escape;
use super::text::{display_width, format_age, format_time, pad, sanitize};
use super::{Report, Settings};
use crate::model::digest::ChangeKind;
use crate::report::digest::{ChangeEntry, DigestReport, StillFailingEntry};

impl Report for DigestReport {
    const TITLE: &'static str = "bbreport digest";

    fn plain(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        plain(self, out)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

fn kind_label(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::NewFailure => "new failure",
        ChangeKind::Fixed => "fixed",
        ChangeKind::Offline => "offline",
        ChangeKind::BackOnline => "back online",
    }
}

fn since_line(d: &DigestReport) -> String {
    match d.previous_at {
        Some(at) => format!(
            "Changes since the last run ({}, {} ago)",
            format_time(at),
            format_age(d.now() - at)
        ),
        None => {
            "First run: the state of every builder is recorded; the next run reports what changed"
                .to_string()
        }
    }
}

fn change_detail(c: &ChangeEntry) -> String {
    match (c.number, &c.reason) {
        (Some(n), Some(r)) => format!("build {n}: {}", sanitize(r)),
        (Some(n), None) => format!("build {n}"),
        _ => String::new(),
    }
}

/// `failing since 2026-11-20 04:10 UTC (build 12, 2 days)`; `failing at least since …` when
/// the streak reaches past the builds read.
fn still_detail(s: &StillFailingEntry, now: i64) -> String {
    let at_least = if s.since_at_least { " at least" } else { "" };
    let build = s
        .since_number
        .map(|n| format!("build {n}, "))
        .unwrap_or_default();
    format!(
        "failing{at_least} since {} ({build}{})",
        format_time(s.since),
        format_age(now - s.since)
    )
}

fn plain(d: &DigestReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", since_line(d))?;
    if d.previous_at.is_some() && d.changes.is_empty() {
        writeln!(out, "\nNo changes.")?;
    }
    if !d.changes.is_empty() {
        writeln!(out)?;
        let width = d
            .changes
            .iter()
            .map(|c| display_width(&sanitize(&c.name)))
            .max()
            .unwrap_or(0);
        for c in &d.changes {
            writeln!(
                out,
                "{} {}  {}  {}",
                pad(kind_label(c.kind), 12),
                pad(&sanitize(&c.name), width),
                change_detail(c),
                c.url
            )?;
        }
    }
    if !d.still_failing.is_empty() {
        writeln!(out, "\nStill failing:")?;
        for s in &d.still_failing {
            writeln!(
                out,
                "  {}  {}  {}",
                sanitize(&s.name),
                still_detail(s, d.now()),
                s.url
            )?;
        }
    }
    Ok(())
}

fn markdown(d: &DigestReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}\n", escape(&since_line(d)))?;
    if d.previous_at.is_some() && d.changes.is_empty() {
        writeln!(out, "No changes.")?;
    }
    if !d.changes.is_empty() {
        writeln!(out, "| change | builder | build |")?;
        writeln!(out, "|---|---|---|")?;
        for c in &d.changes {
            writeln!(
                out,
                "| {} | [{}]({}) | {} |",
                kind_label(c.kind),
                escape(&c.name),
                c.url,
                escape(&change_detail(c))
            )?;
        }
    }
    if !d.still_failing.is_empty() {
        writeln!(out, "\n### Still failing\n")?;
        for s in &d.still_failing {
            writeln!(
                out,
                "- [{}]({}): {}",
                escape(&s.name),
                s.url,
                escape(&still_detail(s, d.now()))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ServerUrl;
    use crate::model::digest::{Change, Digest, DigestState, StillFailing};
    use crate::render::{Format, keys, to_string};
    use crate::report::header::{DataSource, ReportOrigin};

    const NOW: i64 = 1_795_400_000;

    fn report(previous_at: Option<i64>) -> DigestReport {
        let change = |kind, builderid, name: &str, number, reason: Option<&str>| Change {
            kind,
            builderid,
            name: name.into(),
            branch: "3.x".into(),
            number,
            reason: reason.map(str::to_string),
        };
        let d = Digest {
            previous_at,
            changes: vec![
                change(
                    ChangeKind::NewFailure,
                    2,
                    "AMD64 Fedora Stable 3.x",
                    Some(2),
                    Some("failed test"),
                ),
                change(ChangeKind::Offline, 37, "ARM64 macOS 日本 3.x", None, None),
            ],
            still_failing: vec![StillFailing {
                builderid: 9,
                name: "AMD64 Fedora Rawhide 3.x".into(),
                branch: "3.x".into(),
                since: NOW - 2 * 86_400,
                since_number: Some(11),
                since_at_least: false,
                number: Some(14),
            }],
            state: DigestState::default(),
        };
        let server = ServerUrl::parse("https://buildbot.example/all/").expect("url");
        let origin = ReportOrigin {
            server: &server,
            source: DataSource::Live,
            recorded_at: None,
            now: NOW,
        };
        DigestReport::new(&d, &origin)
    }

    #[test]
    fn text_lines_name_the_change_and_link_it() {
        let text = to_string(&report(Some(NOW - 11)), Format::Plain, &Settings::plain());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Changes since the last run (2026-11-23 02:13 UTC, 11 s ago)"
        );
        // Names are padded by display width: the wide characters take two columns each.
        assert_eq!(
            lines[2],
            "new failure  AMD64 Fedora Stable 3.x  build 2: failed test  \
             https://buildbot.example/all/#/builders/2/builds/2"
        );
        assert_eq!(
            lines[3],
            "offline      ARM64 macOS 日本 3.x       https://buildbot.example/all/#/builders/37"
        );
        assert!(
            text.contains(
                "  AMD64 Fedora Rawhide 3.x  failing since 2026-11-21 02:13 UTC (build 11, 2 days)  \
                 https://buildbot.example/all/#/builders/9/builds/14"
            ),
            "{text}"
        );
        let mut longer = report(Some(NOW - 11));
        longer.still_failing[0].since_at_least = true;
        let text = to_string(&longer, Format::Plain, &Settings::plain());
        assert!(
            text.contains("failing at least since 2026-11-21 02:13 UTC (build 11, 2 days)"),
            "{text}"
        );
        let md = to_string(
            &report(Some(NOW - 11)),
            Format::Markdown,
            &Settings::plain(),
        );
        assert!(
            md.contains(
                "| new failure | [AMD64 Fedora Stable 3.x](https://buildbot.example/all/#/builders/2/builds/2) | build 2: failed test |"
            ),
            "{md}"
        );
        assert!(md.contains("### Still failing"), "{md}");
        let first = to_string(&report(None), Format::Plain, &Settings::plain());
        assert!(first.starts_with("First run"), "{first}");
    }

    #[test]
    fn json_names_every_field() {
        let v: serde_json::Value = serde_json::from_str(&to_string(
            &report(Some(NOW - 60)),
            Format::Json,
            &Settings::plain(),
        ))
        .expect("json");
        assert_eq!(v["kind"], "digest");
        assert_eq!(
            keys(&v),
            [
                "changes",
                "generated_at",
                "kind",
                "previous_at",
                "recorded_at",
                "schema_version",
                "server",
                "source",
                "still_failing"
            ]
        );
        assert_eq!(
            keys(&v["changes"][0]),
            [
                "branch",
                "builderid",
                "kind",
                "name",
                "number",
                "reason",
                "url"
            ]
        );
        assert_eq!(v["changes"][0]["kind"], "new_failure");
        assert_eq!(v["changes"][1]["kind"], "offline");
        assert_eq!(
            v["changes"][1]["url"],
            "https://buildbot.example/all/#/builders/37"
        );
        assert_eq!(
            keys(&v["still_failing"][0]),
            [
                "branch",
                "builderid",
                "name",
                "number",
                "since",
                "since_at_least",
                "since_number",
                "url"
            ]
        );
    }
}
