//! Tables fitted to the terminal: the summary's and the release report's.
//!
//! The rules, in order, when a table is wider than the width:
//! 1. Links leave the table first: each goes on a line of its own under its row, whole (a URL
//!    cut or wrapped can be neither clicked nor copied). A URL wider than the terminal is the
//!    one thing printed wider than it.
//! 2. Wrapping columns (names, reasons) shrink, the widest first, never below their minimum;
//!    they wrap at spaces, so a cell reads as words, never letter by letter.
//! 3. If the minimums still do not fit, optional columns leave the table, the widest first, and
//!    their cells go under their row as `Header: text` (wrapped to the width).
//!
//! Every other line a table prints (its header and rule) fits the width. Widths are display
//! widths of the plain text: colour and hyperlinks are painted on each piece after the layout,
//! so they change nothing of it.

use unicode_width::UnicodeWidthChar;

use super::text::{display_width, wrap_words};

/// Spaces between columns.
const GAP: usize = 2;

/// How a column gives way when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Keeps its width (short columns: a glyph, a tier, a status word).
    Fixed,
    /// Wraps at spaces, down to `min` columns (never below its header's width).
    Wrap { min: usize },
    /// A web link: never wrapped; leaves the table first when it does not fit.
    Link,
}

pub struct Column {
    pub header: &'static str,
    pub fit: Fit,
    /// May leave the table for a line under its row (after links, when shrinking is not enough).
    pub optional: bool,
}

impl Column {
    pub fn fixed(header: &'static str) -> Column {
        Column {
            header,
            fit: Fit::Fixed,
            optional: false,
        }
    }

    pub fn wrap(header: &'static str, min: usize) -> Column {
        Column {
            header,
            fit: Fit::Wrap { min },
            optional: false,
        }
    }

    pub fn link(header: &'static str) -> Column {
        Column {
            header,
            fit: Fit::Link,
            optional: true,
        }
    }

    pub fn optional(self) -> Column {
        Column {
            optional: true,
            ..self
        }
    }
}

/// How a piece of a cell is drawn (colour, hyperlink), applied to each line of it.
pub type Paint<'a> = Box<dyn Fn(&str) -> String + 'a>;

/// A cell: words from one or more spans, each span with its own paint. Spans are separated by
/// a space, and a cell only ever breaks between words.
#[derive(Default)]
pub struct Cell<'a> {
    spans: Vec<(String, Paint<'a>)>,
}

impl<'a> Cell<'a> {
    pub fn plain(text: impl Into<String>) -> Cell<'a> {
        Cell::painted(text, |t| t.to_string())
    }

    pub fn painted(text: impl Into<String>, paint: impl Fn(&str) -> String + 'a) -> Cell<'a> {
        Cell {
            spans: vec![(text.into(), Box::new(paint))],
        }
    }

    /// Add a span after a space.
    pub fn push(&mut self, text: impl Into<String>, paint: impl Fn(&str) -> String + 'a) {
        self.spans.push((text.into(), Box::new(paint)));
    }

    /// The words, each with the span it belongs to.
    fn words(&self) -> Vec<(&str, usize)> {
        self.spans
            .iter()
            .enumerate()
            .flat_map(|(i, (text, _))| {
                text.split(' ')
                    .filter(|w| !w.is_empty())
                    .map(move |w| (w, i))
            })
            .collect()
    }

    fn width(&self) -> usize {
        let words = self.words();
        words.iter().map(|(w, _)| display_width(w)).sum::<usize>() + words.len().saturating_sub(1)
    }

    /// The cell in lines of at most `width` columns (a word wider than that is broken: only
    /// when even the column's minimum is narrower than it), each painted.
    fn lines(&self, width: usize) -> Vec<String> {
        let mut lines: Vec<Vec<(String, usize)>> = Vec::new();
        let mut cur: Vec<(String, usize)> = Vec::new();
        let mut used = 0;
        for (word, span) in self.words() {
            for piece in break_word(word, width.max(1)) {
                let w = display_width(&piece);
                if !cur.is_empty() && used + 1 + w > width {
                    lines.push(std::mem::take(&mut cur));
                    used = 0;
                }
                used += w + usize::from(!cur.is_empty());
                cur.push((piece, span));
            }
        }
        if !cur.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines.iter().map(|words| self.paint(words)).collect()
    }

    /// One line's words, consecutive words of a span painted together.
    fn paint(&self, words: &[(String, usize)]) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let span = words[i].1;
            let mut j = i;
            while j < words.len() && words[j].1 == span {
                j += 1;
            }
            let text: Vec<&str> = words[i..j].iter().map(|(w, _)| w.as_str()).collect();
            parts.push((self.spans[span].1)(&text.join(" ")));
            i = j;
        }
        parts.join(" ")
    }
}

/// `word` in pieces of at most `width` columns (whole when it fits).
fn break_word(word: &str, width: usize) -> Vec<String> {
    if display_width(word) <= width {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut used = 0;
    for c in word.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !cur.is_empty() {
            pieces.push(std::mem::take(&mut cur));
            used = 0;
        }
        cur.push(c);
        used += w;
    }
    pieces.push(cur);
    pieces
}

/// A table: columns, rows of cells, and how it sits on the line.
pub struct Grid<'a> {
    columns: Vec<Column>,
    rows: Vec<Vec<Cell<'a>>>,
    /// Spaces before the rule and every line.
    pub margin: usize,
    /// Spaces between the margin and the first column (the rule covers them).
    pub pad: usize,
    /// Indentation of the lines a row's moved cells go on, from the start of the line.
    pub below_indent: usize,
    /// The character of the rule under the header.
    pub rule: char,
}

impl<'a> Grid<'a> {
    pub fn new(columns: Vec<Column>) -> Grid<'a> {
        Grid {
            columns,
            rows: Vec::new(),
            margin: 0,
            pad: 1,
            below_indent: 4,
            rule: '-',
        }
    }

    /// Add a row: one cell per column.
    pub fn row(&mut self, cells: Vec<Cell<'a>>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }

    fn natural(&self, col: usize) -> usize {
        self.rows
            .iter()
            .map(|r| r[col].width())
            .chain([display_width(self.columns[col].header)])
            .max()
            .unwrap_or(0)
    }

    /// The narrowest a column may get (its natural width when it does not shrink).
    fn minimum(&self, col: usize, natural: usize) -> usize {
        match self.columns[col].fit {
            Fit::Wrap { min } => natural.min(min.max(display_width(self.columns[col].header))),
            Fit::Fixed | Fit::Link => natural,
        }
    }

    /// Which columns stay in the table and at what width, for `width` columns.
    fn layout(&self, width: usize) -> (Vec<Option<usize>>, usize) {
        let natural: Vec<usize> = (0..self.columns.len()).map(|c| self.natural(c)).collect();
        // Columns without a non-empty cell are left out (no failure to show…), unless there are
        // no rows at all: then the header alone says what the table would hold.
        let mut shown: Vec<bool> = (0..self.columns.len())
            .map(|c| self.rows.is_empty() || self.rows.iter().any(|r| r[c].width() > 0))
            .collect();
        let outer = self.margin + self.pad;
        let total = |shown: &[bool], widths: &[usize]| -> usize {
            let n = shown.iter().filter(|s| **s).count();
            outer
                + widths
                    .iter()
                    .zip(shown)
                    .filter(|(_, s)| **s)
                    .map(|(w, _)| *w)
                    .sum::<usize>()
                + GAP * n.saturating_sub(1)
        };
        // 1. Links leave first.
        if total(&shown, &natural) > width {
            for (c, col) in self.columns.iter().enumerate() {
                if col.fit == Fit::Link {
                    shown[c] = false;
                }
            }
        }
        let minimum: Vec<usize> = (0..self.columns.len())
            .map(|c| self.minimum(c, natural[c]))
            .collect();
        // 3. Optional columns leave, widest first, while even the minimums do not fit.
        while total(&shown, &minimum) > width {
            let widest = (0..self.columns.len())
                .filter(|c| shown[*c] && self.columns[*c].optional)
                .max_by_key(|c| (natural[*c], std::cmp::Reverse(*c)));
            match widest {
                Some(c) => shown[c] = false,
                None => break,
            }
        }
        // 2. Shrink wrapping columns, the widest first, to their minimum; past that (a width no
        // table of ours reaches with its essential columns) below it, so that no line is wider.
        let mut widths = natural.clone();
        for floor in [&minimum, &vec![1; minimum.len()]] {
            while total(&shown, &widths) > width {
                let widest = (0..self.columns.len())
                    .filter(|c| {
                        shown[*c]
                            && matches!(self.columns[*c].fit, Fit::Wrap { .. })
                            && widths[*c] > floor[*c]
                    })
                    .max_by_key(|c| (widths[*c], std::cmp::Reverse(*c)));
                match widest {
                    Some(c) => widths[c] -= 1,
                    None => break,
                }
            }
        }
        // A wrapped column is as wide as its widest line, not as the room it was given.
        for c in 0..self.columns.len() {
            if shown[c] && widths[c] < natural[c] {
                let used = self
                    .rows
                    .iter()
                    .flat_map(|r| r[c].lines(widths[c]))
                    .map(|l| display_width(&l))
                    .chain([display_width(self.columns[c].header)])
                    .max()
                    .unwrap_or(0);
                widths[c] = used.min(widths[c]);
            }
        }
        let table_width = total(&shown, &widths);
        let layout = widths
            .iter()
            .zip(&shown)
            .map(|(w, s)| s.then_some(*w))
            .collect();
        (layout, table_width)
    }

    /// The table's lines for `width` columns, trailing spaces trimmed.
    pub fn render(&self, width: usize) -> Vec<String> {
        let (layout, table_width) = self.layout(width);
        let lead = " ".repeat(self.margin + self.pad);
        let mut out = Vec::new();
        let header: Vec<String> = self
            .columns
            .iter()
            .zip(&layout)
            .filter_map(|(col, w)| w.map(|w| super::text::pad(col.header, w)))
            .collect();
        out.push(format!("{lead}{}", header.join(&" ".repeat(GAP))));
        out.push(format!(
            "{}{}",
            " ".repeat(self.margin),
            self.rule
                .to_string()
                .repeat(table_width.saturating_sub(self.margin))
        ));
        for row in &self.rows {
            let cells: Vec<(Vec<String>, usize)> = row
                .iter()
                .zip(&layout)
                .filter_map(|(cell, w)| w.map(|w| (cell.lines(w), w)))
                .collect();
            let height = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(1);
            for i in 0..height {
                let parts: Vec<String> = cells
                    .iter()
                    .map(|(lines, w)| super::text::pad(lines.get(i).map_or("", String::as_str), *w))
                    .collect();
                out.push(format!("{lead}{}", parts.join(&" ".repeat(GAP))));
            }
            // The cells of columns that left the table, each on its own line.
            let indent = " ".repeat(self.below_indent);
            for ((cell, col), w) in row.iter().zip(&self.columns).zip(&layout) {
                if w.is_some() || cell.width() == 0 {
                    continue;
                }
                if col.fit == Fit::Link {
                    out.push(format!("{indent}{}", cell.lines(usize::MAX).join("")));
                    continue;
                }
                let label = format!("{}: ", col.header);
                let room = width.saturating_sub(self.below_indent + display_width(&label));
                for (i, line) in cell.lines(room.max(1)).iter().enumerate() {
                    let head = if i == 0 {
                        label.clone()
                    } else {
                        " ".repeat(label.len())
                    };
                    out.push(format!("{indent}{head}{line}"));
                }
            }
        }
        out.into_iter().map(|l| l.trim_end().to_string()).collect()
    }
}

/// `line` broken at spaces to fit `width`, continuation lines indented by two spaces: for the
/// lines around a table (headers, verdicts, totals).
pub fn fit_line(line: &str, width: usize) -> Vec<String> {
    wrap_words(line, width, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(url: bool) -> Grid<'static> {
        let mut cols = vec![
            Column::wrap("Builder", 10),
            Column::fixed("Status"),
            Column::wrap("Why", 8).optional(),
        ];
        if url {
            cols.push(Column::link("Link"));
        }
        let mut g = Grid::new(cols);
        for (name, status, why) in [
            (
                "AMD64 Fedora Stable LTO + PGO 3.x",
                "failure",
                "#4 failed test",
            ),
            ("ARM64 macOS 3.x", "success", ""),
        ] {
            let mut row = vec![Cell::plain(name), Cell::plain(status), Cell::plain(why)];
            if url {
                row.push(Cell::plain("http://127.0.0.1:41509/#/builders/7/builds/4"));
            }
            g.row(row);
        }
        g
    }

    fn widest(lines: &[String]) -> usize {
        lines.iter().map(|l| display_width(l)).max().unwrap_or(0)
    }

    #[test]
    fn a_table_that_fits_keeps_its_natural_widths() {
        let lines = grid(false).render(80);
        assert_eq!(
            lines,
            [
                " Builder                            Status   Why",
                "-----------------------------------------------------------",
                " AMD64 Fedora Stable LTO + PGO 3.x  failure  #4 failed test",
                " ARM64 macOS 3.x                    success",
            ]
        );
    }

    #[test]
    fn links_leave_first_and_are_never_cut() {
        let lines = grid(true).render(70);
        assert!(widest(&lines) <= 70, "{lines:#?}");
        assert!(
            lines.contains(&"    http://127.0.0.1:41509/#/builders/7/builds/4".to_string()),
            "{lines:#?}"
        );
        assert!(lines[0].ends_with("Why"), "{lines:#?}");
        // Even narrower than the URL: it is printed whole, the one line wider than the width.
        let lines = grid(true).render(40);
        let wide: Vec<&String> = lines.iter().filter(|l| display_width(l) > 40).collect();
        assert_eq!(
            wide,
            ["    http://127.0.0.1:41509/#/builders/7/builds/4"; 2]
                .iter()
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn wrapping_columns_shrink_to_words_and_optional_ones_go_below() {
        let lines = grid(false).render(50);
        assert!(widest(&lines) <= 50, "{lines:#?}");
        assert!(
            lines.iter().any(|l| l.ends_with("#4 failed test")),
            "{lines:#?}"
        );
        // Too narrow for the minimums: the optional column goes under its row.
        let lines = grid(false).render(24);
        assert!(widest(&lines) <= 24, "{lines:#?}");
        assert!(
            lines.contains(&"    Why: #4 failed test".to_string()),
            "{lines:#?}"
        );
        assert!(!lines[0].contains("Why"), "{lines:#?}");
        assert_eq!(
            lines[2..5],
            [" AMD64 Fedora  failure", " Stable LTO +", " PGO 3.x"]
        );
    }

    #[test]
    fn empty_columns_are_left_out_but_an_empty_table_keeps_its_header() {
        let mut g = Grid::new(vec![Column::wrap("Builder", 10), Column::fixed("Why")]);
        assert_eq!(g.render(40), [" Builder  Why", "-------------"]);
        g.row(vec![Cell::plain("ARM64 macOS 3.x"), Cell::plain("")]);
        assert_eq!(
            g.render(40),
            [" Builder", "----------------", " ARM64 macOS 3.x"]
        );
    }

    #[test]
    fn paint_wraps_each_piece_and_changes_no_width() {
        let mut g = Grid::new(vec![Column::wrap("Builds", 5)]);
        let mut cell = Cell::painted("✘4", |t| format!("<{t}>"));
        cell.push("✔3", |t| format!("[{t}]"));
        cell.push("✔2", |t| format!("[{t}]"));
        g.row(vec![cell]);
        assert_eq!(g.render(40)[2], " <✘4> [✔3] [✔2]");
        assert_eq!(g.render(7), [" Builds", "-------", " <✘4> [✔3]", " [✔2]"]);
    }
}
