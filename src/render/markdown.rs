//! Markdown escaping shared by the markdown renderers.

use super::text::sanitize;

/// Make a server string inert in markdown: no control characters, no table breaks, no
/// emphasis, links or HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A server string as an inline code span in a markdown table cell: shown verbatim. Markdown
/// does not process backslash escapes inside code spans, so [`escape`] would show its
/// backslashes; instead the fence is one backtick longer than the longest run of backticks in
/// the string (padded with a space when the string starts or ends with a backtick or a space),
/// and `|` becomes `\|`, which a GFM table unescapes before reading the cell. Control
/// characters go as in [`escape`]; an empty string gives an empty cell.
pub fn table_code(s: &str) -> String {
    code(&s.replace('|', "\\|"))
}

/// A server string as an inline code span outside a table (a heading, a list item): shown
/// verbatim, fenced as in [`table_code`], `|` kept as is; control characters go as in
/// [`escape`]; an empty string gives nothing.
pub fn code(s: &str) -> String {
    let text = sanitize(s);
    if text.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_table_and_inline_syntax() {
        assert_eq!(
            escape("a|b *c* <img> [x](y)"),
            r"a\|b \*c\* \<img\> \[x\](y)"
        );
        assert_eq!(
            escape("AMD64 Fedora Stable LTO + PGO 3.x"),
            "AMD64 Fedora Stable LTO + PGO 3.x"
        );
        assert_eq!(escape("x\u{1b}[2Jy"), "xy");
    }

    #[test]
    fn table_code_spans_show_names_verbatim() {
        assert_eq!(table_code("test_bbr_broken"), "`test_bbr_broken`");
        assert_eq!(table_code("a`b"), "``a`b``");
        assert_eq!(table_code("`a``"), "``` `a`` ```");
        assert_eq!(table_code("a|b"), "`a\\|b`");
        assert_eq!(table_code("x\u{1b}[2Jy"), "`xy`");
        assert_eq!(table_code(""), "");
    }

    #[test]
    fn code_spans_outside_tables_keep_bars_and_underscores() {
        assert_eq!(code("test_bbr_broken"), "`test_bbr_broken`");
        assert_eq!(code("a|b"), "`a|b`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code(""), "");
    }
}
