//! `bbreport watch` events, one line each: text (`2026-11-22 06:52 UTC  AMD64 … 3.x  went red
//! (build 2: failed test)  https://…`) and markdown list items.

use std::io::{self, Write};

use super::markdown::escape;
use super::text::{format_time, sanitize};
use super::{Report, Settings, Styles};
use crate::model::status::BuilderStatus;
use crate::report::watch::{BuilderChange, WatchEvent};

impl Report for WatchEvent {
    const TITLE: &'static str = "bbreport watch";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        let line = match about(self) {
            About::Builder { name, url, what } => {
                format!(
                    "{}  {}  {url}",
                    sanitize(name),
                    what.styled(settings.styles)
                )
            }
            About::Fleet(text) => text,
        };
        writeln!(out, "{}  {line}", format_time(self.time()))
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        let line = match about(self) {
            About::Builder { name, url, what } => {
                format!("[{}]({url}) {}", escape(name), escape(&what.plain()))
            }
            About::Fleet(text) => escape(&text),
        };
        writeln!(out, "- {} {line}", format_time(self.time()))
    }

    fn json_lines(&self) -> bool {
        true
    }
}

/// What a line says after its time.
enum About<'a> {
    /// A builder, its link, and what happened to it.
    Builder {
        name: &'a str,
        url: &'a str,
        what: What,
    },
    /// The watch as a whole (server strings already sanitised).
    Fleet(String),
}

/// What happened to a builder: words in a status's colour, then a plain note.
struct What {
    status: Option<BuilderStatus>,
    words: String,
    note: String,
}

impl What {
    fn styled(&self, styles: Styles) -> String {
        match self.status {
            Some(s) => format!("{}{}", styles.status(Some(s), &self.words), self.note),
            None => self.plain(),
        }
    }

    fn plain(&self) -> String {
        format!("{}{}", self.words, self.note)
    }
}

fn about(e: &WatchEvent) -> About<'_> {
    match e {
        WatchEvent::Watching {
            builders,
            branches,
            interval,
            failing,
            offline,
            ..
        } => About::Fleet(format!(
            "watching {builders} builders ({}) every {interval} s: {failing} failing, {offline} offline",
            sanitize(&branches.join(", "))
        )),
        WatchEvent::NewFailure(c) => change(c, BuilderStatus::Failure, "went red"),
        WatchEvent::Fixed(c) => change(c, BuilderStatus::Success, "back to green"),
        WatchEvent::Offline(c) => change(c, BuilderStatus::Offline, "offline"),
        WatchEvent::BackOnline(c) => change(c, BuilderStatus::Success, "back online"),
        WatchEvent::NewFailingTest {
            name,
            number,
            tests,
            url,
            ..
        } => {
            let list: Vec<String> = tests.iter().map(|t| sanitize(t).into_owned()).collect();
            About::Builder {
                name,
                url,
                what: What {
                    status: None,
                    words: format!("new failing test: {} (build {number})", list.join(", ")),
                    note: String::new(),
                },
            }
        }
        WatchEvent::Progress {
            revision,
            finished,
            blocking,
            ..
        } => {
            let short: String = sanitize(revision).chars().take(10).collect();
            About::Fleet(format!(
                "{finished} of {blocking} release-blocking builders finished {short}"
            ))
        }
    }
}

/// `went red (build 2: failed test)`, `back to green (build 3)`, `offline`.
fn change<'a>(c: &'a BuilderChange, status: BuilderStatus, words: &str) -> About<'a> {
    let note = match (c.number, &c.reason) {
        (Some(n), Some(r)) => format!(" (build {n}: {})", sanitize(r)),
        (Some(n), None) => format!(" (build {n})"),
        _ => String::new(),
    };
    About::Builder {
        name: &c.name,
        url: &c.url,
        what: What {
            status: Some(status),
            words: words.to_string(),
            note,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ServerUrl;
    use crate::model::digest::{Change, ChangeKind};
    use crate::render::{Format, keys, to_string};

    const NOW: i64 = 1_795_400_000;

    fn events() -> Vec<WatchEvent> {
        let server = ServerUrl::parse("https://buildbot.example/all/").expect("url");
        let change = |kind, number, reason: Option<&str>| Change {
            kind,
            builderid: 2,
            name: "AMD64 Fedora Stable 3.x".into(),
            branch: "3.x".into(),
            number,
            reason: reason.map(str::to_string),
        };
        vec![
            WatchEvent::Watching {
                schema_version: 1,
                time: NOW,
                builders: 16,
                branches: vec!["3.x".into(), "3.14".into()],
                interval: 30,
                failing: 3,
                offline: 2,
            },
            WatchEvent::change(
                &change(ChangeKind::NewFailure, Some(2), Some("failed test")),
                NOW,
                &server,
            ),
            WatchEvent::change(&change(ChangeKind::Fixed, Some(3), None), NOW, &server),
            WatchEvent::change(&change(ChangeKind::Offline, None, None), NOW, &server),
            WatchEvent::change(&change(ChangeKind::BackOnline, None, None), NOW, &server),
            WatchEvent::NewFailingTest {
                time: NOW,
                builderid: 2,
                name: "AMD64 Fedora Stable 3.x".into(),
                number: 2,
                tests: vec!["test_bbr_broken".into(), "test_os".into()],
                url: server.build_url(2, 2),
            },
            WatchEvent::Progress {
                time: NOW,
                revision: "3f2a1c9e0b1d2c3b4a59687766554433221100ff".into(),
                finished: 1,
                blocking: 3,
            },
        ]
    }

    fn each(format: Format) -> Vec<String> {
        events()
            .iter()
            .map(|e| to_string(e, format, &Settings::plain()))
            .collect()
    }

    #[test]
    fn each_event_is_one_text_line() {
        let t = "2026-11-23 02:13 UTC";
        let url = "https://buildbot.example/all/#/builders/2";
        assert_eq!(
            each(Format::Plain),
            [
                format!("{t}  watching 16 builders (3.x, 3.14) every 30 s: 3 failing, 2 offline\n"),
                format!(
                    "{t}  AMD64 Fedora Stable 3.x  went red (build 2: failed test)  {url}/builds/2\n"
                ),
                format!("{t}  AMD64 Fedora Stable 3.x  back to green (build 3)  {url}/builds/3\n"),
                format!("{t}  AMD64 Fedora Stable 3.x  offline  {url}\n"),
                format!("{t}  AMD64 Fedora Stable 3.x  back online  {url}\n"),
                format!(
                    "{t}  AMD64 Fedora Stable 3.x  new failing test: test_bbr_broken, test_os (build 2)  {url}/builds/2\n"
                ),
                format!("{t}  1 of 3 release-blocking builders finished 3f2a1c9e0b\n"),
            ]
        );
        for line in each(Format::Markdown) {
            assert!(line.starts_with(&format!("- {t} ")), "{line}");
            assert_eq!(line.lines().count(), 1, "{line}");
        }
        assert!(
            each(Format::Markdown)[1].contains(&format!(
                "[AMD64 Fedora Stable 3.x]({url}/builds/2) went red (build 2: failed test)"
            )),
            "{:?}",
            each(Format::Markdown)
        );
    }

    #[test]
    fn json_is_one_object_per_line_with_the_names_watch_always_used() {
        let lines = each(Format::Json);
        let values: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| {
                assert!(
                    l.ends_with('\n') && l.trim_end().lines().count() == 1,
                    "{l}"
                );
                serde_json::from_str(l).expect("json")
            })
            .collect();
        let events: Vec<&str> = values
            .iter()
            .map(|v| v["event"].as_str().expect("event"))
            .collect();
        assert_eq!(
            events,
            [
                "watching",
                "new_failure",
                "fixed",
                "offline",
                "back_online",
                "new_failing_test",
                "progress"
            ]
        );
        assert_eq!(
            keys(&values[0]),
            [
                "branches",
                "builders",
                "event",
                "failing",
                "interval",
                "offline",
                "schema_version",
                "time"
            ]
        );
        for change in &values[1..5] {
            assert_eq!(
                keys(change),
                [
                    "branch",
                    "builderid",
                    "event",
                    "name",
                    "number",
                    "reason",
                    "time",
                    "url"
                ]
            );
        }
        assert_eq!(values[1]["reason"], "failed test");
        assert_eq!(values[3]["number"], serde_json::Value::Null);
        assert_eq!(
            keys(&values[5]),
            [
                "builderid",
                "event",
                "name",
                "number",
                "tests",
                "time",
                "url"
            ]
        );
        assert_eq!(
            keys(&values[6]),
            ["blocking", "event", "finished", "revision", "time"]
        );
    }
}
