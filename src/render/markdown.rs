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
}
