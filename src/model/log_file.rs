//! A regrtest log read from a file (`bbreport log FILE`): streamed through the parser in pieces
//! of any size, so a log of hundreds of MB is never held whole; what makes it a regrtest log at
//! all; and the revision its `== CPython …` header names.
//!
//! The parser reads plain lines (Buildbot's raw stdio download, a local `python -m test` run)
//! and lines behind GitHub Actions' timestamps (`2024-05-01T12:00:00.1234567Z …`, dropped by
//! the parser itself). A GitHub Actions download starts with a UTF-8 byte order mark, dropped
//! here.

use super::regrtest::{LogSummary, Parser, feed_plain_chunk};

/// A line longer than this (1 MiB) is parsed in pieces of this size rather than held until its
/// end: no regrtest line is that long, and binary data with no newline must not fill memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// Feeds the parser whole lines from pieces cut anywhere (a read buffer's worth), keeping only
/// the start of a line whose end has not arrived yet.
#[derive(Debug, Default)]
pub struct LogFileParser {
    parser: Parser,
    /// The start of the line being read (at most [`MAX_LINE_BYTES`]).
    pending: Vec<u8>,
    /// Bytes pushed.
    bytes: u64,
    /// The first line has gone to the parser (its byte order mark dropped).
    started: bool,
}

impl LogFileParser {
    /// Push the next piece of the file.
    pub fn push(&mut self, piece: &[u8]) {
        self.bytes += piece.len() as u64;
        match memchr::memrchr(b'\n', piece) {
            Some(last) => {
                // The lines end before the last newline: feeding that newline too would make
                // the parser see an empty line after it, which closes a summary block.
                if self.pending.is_empty() {
                    self.feed(&piece[..last]);
                } else {
                    let mut line = std::mem::take(&mut self.pending);
                    line.extend_from_slice(&piece[..last]);
                    self.feed(&line);
                    line.clear();
                    self.pending = line;
                }
                self.keep(&piece[last + 1..]);
            }
            None => self.keep(piece),
        }
    }

    /// Bytes pushed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The summary of everything pushed (a last line without a newline included).
    pub fn finish(mut self) -> LogSummary {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.feed(&line);
        }
        self.parser.finish()
    }

    /// Keep the start of an unfinished line; a line over [`MAX_LINE_BYTES`] goes to the parser
    /// in pieces.
    fn keep(&mut self, mut rest: &[u8]) {
        while self.pending.len() + rest.len() > MAX_LINE_BYTES {
            let take = MAX_LINE_BYTES - self.pending.len();
            let mut line = std::mem::take(&mut self.pending);
            line.extend_from_slice(&rest[..take]);
            self.feed(&line);
            rest = &rest[take..];
        }
        self.pending.extend_from_slice(rest);
    }

    /// Whole lines, without the newline after the last one.
    fn feed(&mut self, lines: &[u8]) {
        let lines = if self.started {
            lines
        } else {
            self.started = true;
            lines.strip_prefix(BYTE_ORDER_MARK).unwrap_or(lines)
        };
        feed_plain_chunk(&mut self.parser, lines);
    }
}

/// The summary of a whole file's bytes (tests, and logs already in memory).
pub fn parse_file(bytes: &[u8]) -> LogSummary {
    let mut p = LogFileParser::default();
    p.push(bytes);
    p.finish()
}

/// Whether the parser found anything of regrtest's (or of the Buildbot step around it) in the
/// log: a command, seed, header, run line, progress line, summary block or result, a test
/// event, an infrastructure cause. A file with none of these (an empty file, a build log of
/// another step, binary data) is not a regrtest log: `bbreport log` says so instead of
/// printing an empty report. Exception lines alone (`ValueError: …`) do not count: any
/// Python traceback has them.
pub fn shows_regrtest(s: &LogSummary) -> bool {
    let lists = [
        &s.failed,
        &s.passed_on_rerun,
        &s.rerun,
        &s.skipped,
        &s.resource_denied,
        &s.env_changed,
        &s.timeouts,
        &s.fatal_errors,
        &s.infrastructure,
        &s.platform,
        &s.order,
    ];
    s.command.is_some()
        || s.seed.is_some()
        || s.result.is_some()
        || s.mode.is_some()
        || s.timeout.is_some()
        || s.refleak.is_some()
        || s.last_running.is_some()
        || !s.crashes.is_empty()
        || !s.leaks.is_empty()
        || lists.iter().any(|l| !l.is_empty())
}

/// The commit the interpreter was built from, as its `== CPython 3.14.0a6+ (heads/main:26511993e63,
/// Mar 15 2025, …)` header names it (the hex after the last `:` of the first field); `None`
/// when the header is missing or names no commit (`(main, Mar 15 2025, …)`, a release build).
pub fn header_revision(platform: &[String]) -> Option<String> {
    let line = platform.iter().find(|l| l.starts_with("CPython "))?;
    let open = line.find('(')?;
    let field = line[open + 1..].split([',', ')']).next()?;
    let (_, rev) = field.rsplit_once(':')?;
    let rev = rev.trim();
    ((7..=40).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| rev.to_string())
}

#[cfg(test)]
#[path = "log_file_tests.rs"]
mod tests;
