//! `--since-last-run`: the changes since the previous run, as plain text (cron mail), markdown
//! or JSON. Never coloured: a digest is read in a mail client or a log.

use std::io::{self, Write};

use serde::Serialize;

use crate::api::ServerUrl;
use crate::model::digest::{Change, ChangeKind, Digest, StillFailing};
use crate::render::markdown::escape as md;
use crate::render::text::sanitize;
use crate::render::text::{format_age, format_time};
use crate::report::header::{JsonHeader, ReportOrigin};

fn kind_label(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::NewFailure => "new failure",
        ChangeKind::Fixed => "fixed",
        ChangeKind::Offline => "offline",
        ChangeKind::BackOnline => "back online",
    }
}

fn since_line(d: &Digest, now: i64) -> String {
    match d.previous_at {
        Some(at) => format!(
            "Changes since the last run ({}, {} ago)",
            format_time(at),
            format_age(now - at)
        ),
        None => {
            "First run: the state of every builder is recorded; the next run reports what changed"
                .to_string()
        }
    }
}

fn change_detail(c: &Change) -> String {
    match (c.number, &c.reason) {
        (Some(n), Some(r)) => format!("build {n}: {}", sanitize(r)),
        (Some(n), None) => format!("build {n}"),
        _ => String::new(),
    }
}

fn still_detail(s: &StillFailing, now: i64) -> String {
    format!(
        "failing since {} ({})",
        format_time(s.since),
        format_age(now - s.since)
    )
}

pub fn plain(out: &mut dyn Write, d: &Digest, server: &ServerUrl, now: i64) -> io::Result<()> {
    writeln!(out, "{}", since_line(d, now))?;
    if d.previous_at.is_some() && d.changes.is_empty() {
        writeln!(out, "\nNo changes.")?;
    }
    if !d.changes.is_empty() {
        writeln!(out)?;
        let width = d
            .changes
            .iter()
            .map(|c| sanitize(&c.name).chars().count())
            .max()
            .unwrap_or(0);
        for c in &d.changes {
            let name = sanitize(&c.name);
            writeln!(
                out,
                "{:<12} {name:<width$}  {}  {}",
                kind_label(c.kind),
                change_detail(c),
                link(server, c.builderid, c.number)
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
                still_detail(s, now),
                link(server, s.builderid, s.number)
            )?;
        }
    }
    Ok(())
}

fn link(server: &ServerUrl, builderid: u32, number: Option<u32>) -> String {
    match number {
        Some(n) => server.build_url(builderid, n),
        None => server.builder_url(builderid),
    }
}

pub fn markdown(out: &mut dyn Write, d: &Digest, server: &ServerUrl, now: i64) -> io::Result<()> {
    writeln!(out, "## {}\n", md(&since_line(d, now)))?;
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
                md(&c.name),
                link(server, c.builderid, c.number),
                md(&change_detail(c))
            )?;
        }
    }
    if !d.still_failing.is_empty() {
        writeln!(out, "\n### Still failing\n")?;
        for s in &d.still_failing {
            writeln!(
                out,
                "- [{}]({}): {}",
                md(&s.name),
                link(server, s.builderid, s.number),
                md(&still_detail(s, now))
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct DigestJson<'a> {
    #[serde(flatten)]
    header: JsonHeader,
    /// When the previous run saved its state; null on the first run.
    previous_at: Option<i64>,
    changes: &'a [Change],
    still_failing: &'a [StillFailing],
}

pub fn json(out: &mut dyn Write, d: &Digest, origin: &ReportOrigin<'_>) -> io::Result<()> {
    let doc = DigestJson {
        header: origin.header("digest"),
        previous_at: d.previous_at,
        changes: &d.changes,
        still_failing: &d.still_failing,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
