//! `--format html`: an email-ready page made from a report's markdown.
//!
//! Every report already has a markdown renderer whose server strings are escaped; this turns
//! its output into one self-contained HTML document with inline styles only (mail clients drop
//! `<style>` blocks and never run scripts; there are none). Any raw HTML in the markdown is
//! written as text, so nothing from the server can become markup. Status words in table cells
//! get their colour from an inline style.

use std::io::{self, Write};

use pulldown_cmark::{Event, Options, Parser, html};

const BODY_STYLE: &str = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;\
font-size:14px;line-height:1.4;color:#1f2328;background:#ffffff;margin:16px";
const TABLE_STYLE: &str = "border-collapse:collapse;margin:8px 0;font-size:13px";
const CELL_STYLE: &str =
    "border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top";
const HEAD_STYLE: &str =
    "border:1px solid #d0d7de;padding:3px 8px;text-align:left;background:#f6f8fa";
const CODE_STYLE: &str = "font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;\
background:#f6f8fa;padding:1px 3px";
const PRE_STYLE: &str = "font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;\
background:#f6f8fa;padding:8px;overflow:auto";

/// Words that, alone in a table cell, carry a status colour.
const COLOURS: &[(&str, &str)] = &[
    ("failure", "#cf222e"),
    ("unreleasable", "#cf222e"),
    ("exception", "#8250df"),
    ("unstable", "#bc4c00"),
    ("concern", "#bc4c00"),
    ("warnings", "#9a6700"),
    ("success", "#1a7f37"),
    ("releasable", "#1a7f37"),
    ("building", "#0969da"),
    ("offline", "#57606a"),
    ("unknown", "#57606a"),
];

/// Write the markdown that `render` produces as an HTML document titled `title`.
pub fn from_markdown(
    out: &mut dyn Write,
    title: &str,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut markdown = Vec::new();
    render(&mut markdown)?;
    let markdown = String::from_utf8_lossy(&markdown);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // Raw HTML never passes through: it is shown as the text it is.
    let events = Parser::new_ext(&markdown, options).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        other => other,
    });
    let mut body = String::new();
    html::push_html(&mut body, events);
    document(out, title, &style(&body))
}

fn document(out: &mut dyn Write, title: &str, body: &str) -> io::Result<()> {
    let mut escaped_title = String::new();
    pulldown_cmark_escape::escape_html_body_text(&mut escaped_title, title)
        .map_err(|_| io::Error::other("escaping failed"))?;
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html><head><meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width\"><title>{escaped_title}</title></head>"
    )?;
    writeln!(out, "<body style=\"{BODY_STYLE}\">")?;
    out.write_all(body.as_bytes())?;
    writeln!(out, "</body></html>")
}

/// Inline styles on the elements pulldown-cmark writes (it writes them without attributes,
/// except `<th style="text-align: …">` and `<td style="…">` for aligned columns, which we keep
/// plain: our tables are left-aligned).
fn style(body: &str) -> String {
    let mut s = body
        .replace("<table>", &format!("<table style=\"{TABLE_STYLE}\">"))
        .replace("<th>", &format!("<th style=\"{HEAD_STYLE}\">"))
        .replace("<code>", &format!("<code style=\"{CODE_STYLE}\">"))
        .replace("<pre>", &format!("<pre style=\"{PRE_STYLE}\">"));
    // A status word alone in a cell, maybe after its symbol ("✘ Unreleasable", or in ASCII
    // "[X] Unreleasable").
    let words: Vec<&str> = COLOURS.iter().map(|(w, _)| *w).collect();
    if let Ok(status_cell) = regex::Regex::new(&format!(
        r"(?i)<td>((?:[^<\s]{{1,2}} |\[[^<\s\]]{{1,2}}\] )?({}))</td>",
        words.join("|")
    )) {
        s = status_cell
            .replace_all(&s, |caps: &regex::Captures<'_>| {
                let word = caps[2].to_ascii_lowercase();
                let colour = COLOURS
                    .iter()
                    .find(|(w, _)| *w == word)
                    .map_or("inherit", |(_, c)| *c);
                format!(
                    "<td style=\"{CELL_STYLE};color:{colour};font-weight:600\">{}</td>",
                    &caps[1]
                )
            })
            .into_owned();
    }
    s.replace("<td>", &format!("<td style=\"{CELL_STYLE}\">"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_of(markdown: &str) -> String {
        let mut out = Vec::new();
        from_markdown(&mut out, "t <x>", |w| w.write_all(markdown.as_bytes())).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn a_table_gets_inline_styles_and_status_colours() {
        let h = html_of(
            "| builder | status |\n|---|---|\n| a | failure |\n| b | fine |\n| c | ✘ Unreleasable |\n\
             | d | [ok] Releasable |\n| e | [ok] fine |\n",
        );
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("<title>t &lt;x&gt;</title>"));
        assert!(h.contains("<table style=\"border-collapse"));
        assert!(h.contains("color:#cf222e;font-weight:600\">failure</td>"));
        assert!(h.contains(&format!("<td style=\"{CELL_STYLE}\">fine</td>")));
        assert!(
            h.contains("color:#cf222e;font-weight:600\">✘ Unreleasable</td>"),
            "{h}"
        );
        assert!(
            h.contains("color:#1a7f37;font-weight:600\">[ok] Releasable</td>"),
            "{h}"
        );
        assert!(h.contains(&format!("<td style=\"{CELL_STYLE}\">[ok] fine</td>")));
        assert!(!h.contains("<style") && !h.contains("<script"));
    }

    #[test]
    fn raw_html_and_server_strings_stay_text() {
        let h = html_of("<script>alert(1)</script>\n\nname <img src=x onerror=y> \\<b\\>\n");
        assert!(!h.contains("<script>") && !h.contains("<img"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(h.contains("&lt;b&gt;"), "{h}");
    }
}
