//! Branch ordering: newest first, the way CPython's dashboard lists them.

use std::cmp::Ordering;

/// `3.x` (the main branch) first, then numbered versions newest first, then other names
/// alphabetically, then `PR`.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

fn sort_key(name: &str) -> (u8, Vec<std::cmp::Reverse<u64>>, String) {
    if name.ends_with(".x") && name[..name.len() - 2].chars().all(|c| c.is_ascii_digit()) {
        return (0, Vec::new(), name.to_string());
    }
    if name == "PR" {
        return (3, Vec::new(), String::new());
    }
    let parts: Option<Vec<u64>> = name.split('.').map(|p| p.parse().ok()).collect();
    match parts {
        Some(nums) if !nums.is_empty() => (
            1,
            nums.into_iter().map(std::cmp::Reverse).collect(),
            String::new(),
        ),
        _ => (2, Vec::new(), name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpython_branches_newest_first() {
        let mut v = vec!["PR", "3.9", "3.14", "3.x", "3.10", "3.15", "feature"];
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(v, ["3.x", "3.15", "3.14", "3.10", "3.9", "feature", "PR"]);
    }
}
