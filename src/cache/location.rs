//! Where a master's cache file lives: one SQLite file per server in the user's cache directory.

use std::path::{Path, PathBuf};

/// `$BBREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/bbreport`, else `~/.cache/bbreport`.
/// `None` when none of them is set (no home: the run goes on without a cache).
pub fn cache_dir(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(dir) = set("BBREPORT_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = set("XDG_CACHE_HOME") {
        return Some(Path::new(&dir).join("bbreport"));
    }
    set("HOME").map(|home| Path::new(&home).join(".cache").join("bbreport"))
}

/// `buildbot.python.org-all-1c9f2e07.sqlite3`: readable, and distinct for every root URL
/// (the hash tells http from https, and ports and paths that sanitise alike).
pub fn file_name(server_root: &str) -> String {
    let without_scheme = server_root
        .split_once("://")
        .map_or(server_root, |(_, rest)| rest);
    let mut readable: String = without_scheme
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while readable.contains("--") {
        readable = readable.replace("--", "-");
    }
    let readable = readable.trim_matches('-');
    let readable: String = readable.chars().take(80).collect();
    format!("{readable}-{:08x}.sqlite3", fnv1a(server_root.as_bytes()))
}

/// 32-bit FNV-1a: a stable, dependency-free hash for file names (not for security).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn directory_follows_the_xdg_order() {
        assert_eq!(
            cache_dir(env(&[("BBREPORT_CACHE_DIR", "/c"), ("HOME", "/h")])),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            cache_dir(env(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")])),
            Some(PathBuf::from("/x/bbreport"))
        );
        assert_eq!(
            cache_dir(env(&[("XDG_CACHE_HOME", ""), ("HOME", "/h")])),
            Some(PathBuf::from("/h/.cache/bbreport"))
        );
        assert_eq!(cache_dir(env(&[])), None);
    }

    #[test]
    fn file_names_are_readable_and_distinct() {
        let a = file_name("https://buildbot.python.org/all/");
        assert!(a.starts_with("buildbot.python.org-all-"), "{a}");
        assert!(a.ends_with(".sqlite3"));
        assert_ne!(a, file_name("http://buildbot.python.org/all/"));
        assert_ne!(
            file_name("http://127.0.0.1:8010/"),
            file_name("http://127.0.0.1:8011/")
        );
        assert!(!file_name("http://h/../../etc/").contains('/'));
    }
}
