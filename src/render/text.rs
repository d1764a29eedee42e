//! Text helpers: making server strings safe for a terminal, and fitting them to a width.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Glyphs;

/// Remove what could drive a terminal: C0 and C1 control characters (ESC starts every
/// CSI/OSC sequence), DEL, and the bidirectional overrides and isolates that reorder text.
/// Tabs and newlines become spaces: a server string is always shown on one line.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_care) {
        return Cow::Borrowed(s);
    }
    // Whole escape sequences go (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`), not just their
    // ESC: a server string's colours or title change would otherwise leave `[31m` behind.
    if s.contains('\u{1b}') {
        return Cow::Owned(sanitize(&without_escape_sequences(s)).into_owned());
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\r' => Some(' '),
                c if needs_care(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

fn without_escape_sequences(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters and intermediates up to a final byte in @..~.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC \.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            // A two-character sequence (or a lone ESC at the end).
            _ => {}
        }
    }
    out
}

fn needs_care(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Cut `s` to at most `max` columns, ending with `…` (`...` with ASCII glyphs) when cut.
/// Counts display width, so wide characters are not split.
pub fn elide_end(s: &str, max: usize, glyphs: Glyphs) -> Cow<'_, str> {
    if s.width() <= max {
        return Cow::Borrowed(s);
    }
    let ellipsis = glyphs.ellipsis();
    let ellipsis_width = ellipsis.width();
    if max < ellipsis_width {
        return Cow::Owned(ellipsis.chars().take(max).collect());
    }
    let room = max - ellipsis_width;
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(ellipsis);
    Cow::Owned(out)
}

/// Pad with spaces to `width` display columns (no-op when already wider).
pub fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// Display width ignoring the escape sequences our own Styles add: colours (CSI) and
/// hyperlinks (OSC 8, ended by BEL or ST).
pub fn display_width(s: &str) -> usize {
    let mut width = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            match chars.peek() {
                // CSI: ESC [ params final-byte
                Some('[') => {
                    chars.next();
                    for d in chars.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                }
                // OSC: ESC ] … BEL, or ESC ] … ESC \
                Some(']') => {
                    chars.next();
                    while let Some(d) = chars.next() {
                        if d == '\u{7}' {
                            break;
                        }
                        if d == '\u{1b}' && chars.peek() == Some(&'\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        width += c.width().unwrap_or(0);
    }
    width
}

/// Join `items` with `sep`, starting a new line where the next item would pass `width` columns
/// (an item wider than `width` gets a line of its own).
pub fn wrap_items(items: &[String], sep: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for item in items {
        if !cur.is_empty() && display_width(&cur) + sep.len() + display_width(item) > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str(sep);
        }
        cur.push_str(item);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Break `line` at spaces so that no line passes `width` columns, continuation lines indented
/// by `indent` spaces. A word wider than the room is left whole on its own line (a URL cut in
/// two can be neither clicked nor copied).
pub fn wrap_words(line: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Each word with the spaces before it, kept as they were unless a line breaks there.
    let mut rest = line;
    while !rest.is_empty() {
        let gap = rest.len() - rest.trim_start_matches(' ').len();
        let after = &rest[gap..];
        let word_len = after.find(' ').unwrap_or(after.len());
        let (spaces, word) = (&rest[..gap], &after[..word_len]);
        rest = &after[word_len..];
        if word.is_empty() {
            break;
        }
        let room = if lines.is_empty() {
            width
        } else {
            width.saturating_sub(indent)
        };
        if !cur.is_empty() && display_width(&cur) + spaces.len() + display_width(word) > room {
            lines.push(std::mem::take(&mut cur));
        } else {
            cur.push_str(spaces);
        }
        cur.push_str(word);
    }
    lines.push(cur);
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

/// A Unix time as `2026-11-22 06:40 UTC`.
pub fn format_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unknown time".into())
}

/// "45 s", "12 min", "3 h", "2 days".
pub fn format_age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s} s"),
        60..7200 => format!("{} min", s / 60),
        7200..172_800 => format!("{} h", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}

/// What a stale build is said to be (`crate::model::stale`): `stale: started 14 h ago, its
/// master is gone`.
pub fn stale_text(s: &crate::report::summary::StaleEntry) -> String {
    format!(
        "stale: started {} ago, {}",
        format_age(s.age_seconds),
        s.reason.describe()
    )
}

pub fn human_bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / 1048576.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_the_width_and_urls_stay_whole() {
        assert_eq!(
            wrap_words(
                "Data recorded today from http://example.org/a/long/path/",
                30,
                2
            ),
            [
                "Data recorded today from",
                "  http://example.org/a/long/path/"
            ]
        );
        assert_eq!(wrap_words("short", 30, 2), ["short"]);
    }

    #[test]
    fn times_ages_and_sizes_read_naturally() {
        assert_eq!(format_time(1_795_325_579), "2026-11-22 05:32 UTC");
        assert_eq!(format_age(-5), "0 s");
        assert_eq!(format_age(59), "59 s");
        assert_eq!(format_age(7199), "119 min");
        assert_eq!(format_age(7200), "2 h");
        assert_eq!(format_age(3 * 86_400), "3 days");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 << 20), "3.0 MiB");
    }

    #[test]
    fn width_skips_colours_and_hyperlinks() {
        let linked = "\u{1b}]8;;http://h/#/builders/1\u{7}\u{1b}[31mname\u{1b}[0m\u{1b}]8;;\u{7}";
        assert_eq!(display_width(linked), 4);
        assert_eq!(display_width("\u{1b}]8;;u\u{1b}\\ab\u{1b}]8;;\u{1b}\\"), 2);
    }

    #[test]
    fn sanitize_strips_escape_sequences_and_bidi() {
        assert_eq!(sanitize("AMD64 \u{1b}[2JUbuntu\u{7}"), "AMD64 Ubuntu");
        assert_eq!(sanitize("evil\u{1b}]52;c;aGk=\u{7}name"), "evilname");
        assert_eq!(sanitize("\u{1b}[31merror\u{1b}[0m: x\u{1b}"), "error: x");
        assert_eq!(sanitize("a\u{202E}b\u{2066}c"), "abc");
        assert_eq!(sanitize("line1\nline2\tx"), "line1 line2 x");
        assert_eq!(sanitize("\u{9b}31mC1 CSI"), "31mC1 CSI");
        assert!(matches!(sanitize("plain 3.x"), Cow::Borrowed(_)));
    }

    #[test]
    fn elide_counts_display_width() {
        let unicode = Glyphs { ascii: false };
        assert_eq!(elide_end("failed test", 20, unicode), "failed test");
        assert_eq!(elide_end("failed test_asyncio", 10, unicode), "failed te…");
        assert_eq!(elide_end("日本語テキスト", 5, unicode), "日本…");
        let ascii = Glyphs { ascii: true };
        assert_eq!(elide_end("failed test_asyncio", 10, ascii), "failed ...");
        assert_eq!(elide_end("abcdef", 2, ascii), "..");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_long_words_whole() {
        assert_eq!(
            wrap_words("3.x  [X] Unreleasable: 2 failing builders", 23, 2),
            ["3.x  [X] Unreleasable:", "  2 failing builders"]
        );
        assert_eq!(
            wrap_words("see http://example.org/a/very/long/path now", 12, 4),
            ["see", "    http://example.org/a/very/long/path", "    now"]
        );
        assert_eq!(wrap_words("", 10, 2), [""]);
        let items: Vec<String> = ["a b", "cc d", "e"].map(String::from).to_vec();
        assert_eq!(wrap_items(&items, "  ", 9), ["a b  cc d", "e"]);
        assert_eq!(wrap_items(&items, " ", 4), ["a b", "cc d", "e"]);
    }

    #[test]
    fn width_ignores_colour_codes() {
        assert_eq!(display_width("\u{1b}[31mred\u{1b}[0m"), 3);
        assert_eq!(
            pad("\u{1b}[31mred\u{1b}[0m", 5).len(),
            "\u{1b}[31mred\u{1b}[0m".len() + 2
        );
    }
}
