//! `-qq`: builders grouped by status, each host's branches folded onto one line
//! (`AMD64 Ubuntu  3.x, 3.14`), as the old bbreport did.

use std::io::{self, Write};

use super::summary_plain::{header, totals_line};
use super::text::sanitize;
use super::{Styles, symbols};
use crate::model::branch;
use crate::model::status::BuilderStatus;
use crate::model::summary::Summary;

pub fn render(out: &mut dyn Write, s: &Summary, styles: Styles) -> io::Result<()> {
    writeln!(out, "{}", header(s))?;
    let rows: Vec<_> = s.branches.iter().flat_map(|b| &b.builders).collect();
    let groups = BuilderStatus::ALL.iter().map(Some).chain([None]);
    for status in groups {
        let status = status.copied();
        // host = the name without its branch word; keep first-seen order of hosts.
        let mut hosts: Vec<(String, Vec<String>)> = Vec::new();
        for row in rows.iter().filter(|r| r.status == status) {
            let name = sanitize(&row.name).into_owned();
            let host = name
                .strip_suffix(row.class.branch.as_str())
                .map(|h| h.trim_end().to_string())
                .filter(|h| !h.is_empty())
                .unwrap_or(name.clone());
            match hosts.iter_mut().find(|(h, _)| *h == host) {
                Some((_, branches)) => branches.push(row.class.branch.clone()),
                None => hosts.push((host, vec![row.class.branch.clone()])),
            }
        }
        if hosts.is_empty() {
            continue;
        }
        hosts.sort_by_key(|(host, _)| host.to_lowercase());
        let title = match status {
            Some(s) => capitalise(s.as_str()),
            None => "Unknown (builds could not be fetched)".into(),
        };
        writeln!(out)?;
        writeln!(out, "{}:", styles.status(status, &title))?;
        let width = hosts
            .iter()
            .map(|(h, _)| h.chars().count())
            .max()
            .unwrap_or(0);
        for (host, mut branches) in hosts {
            branches.sort_by(|a, b| branch::compare(a, b));
            let marker = if styles.enabled() {
                String::new()
            } else {
                format!("{} ", symbols::plain_status(status))
            };
            writeln!(
                out,
                "    {marker}{host:<width$}  {}",
                sanitize(&branches.join(", "))
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", totals_line(&s.totals, styles))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
