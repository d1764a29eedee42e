//! Levenshtein distance, for "did you mean …?" suggestions (a mistyped subcommand in `cli`, a
//! mistyped test name in `test NAME`).

/// The edit distance between `a` and `b` in characters: the fewest insertions, deletions and
/// substitutions that turn one into the other.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("relase", "release"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("test_bbr_flak", "test_bbr_flaky"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }
}
