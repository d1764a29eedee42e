//! The architecture, checked: which top-level module may import which (the layers form a DAG),
//! verbs do not import each other, and only `render::write` chooses between output formats.
//! README's "Layout" section describes the same graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::repo;

/// Each module of src/ and the modules it may import (`crate::X`). Leaves first; a module may
/// only name modules listed before it, which is what makes the graph a DAG (checked below too).
const ALLOWED: &[(&str, &[&str])] = &[
    ("stderr", &[]),
    // Data types of Buildbot's API and the HTTP transport.
    ("api", &["stderr"]),
    // Pure rules: API data in, view models out.
    ("model", &["api"]),
    // Storage only: SQLite rows and blobs, no API types.
    ("cache", &["stderr"]),
    ("error", &["api", "model", "exit_code"]),
    ("exit_code", &["error", "model"]),
    // Reports: owned, serialisable; the JSON schema.
    ("report", &["api", "model", "cache"]),
    // Writers of reports; no I/O beyond the `Write` they are given.
    ("render", &["model", "report"]),
    ("config", &["api", "model", "error"]),
    // Orchestrates api + cache into what commands ask for.
    (
        "fetch",
        &["api", "cache", "model", "error", "stderr", "config"],
    ),
    // The options every command shares, read by context and output.
    ("global", &["config"]),
    (
        "output",
        &["global", "config", "error", "render", "report", "stderr"],
    ),
    (
        "context",
        &[
            "api", "cache", "fetch", "global", "config", "error", "model", "output", "report",
            "render", "stderr",
        ],
    ),
    (
        "cmd",
        &[
            "api",
            "cache",
            "fetch",
            "context",
            "config",
            "error",
            "exit_code",
            "model",
            "output",
            "render",
            "report",
            "stderr",
            "global",
        ],
    ),
    (
        "cli",
        &[
            "cmd",
            "global",
            "exit_code",
            "report",
            "error",
            "config",
            "model",
        ],
    ),
    ("lib", &["cli", "cmd", "context", "error", "stderr"]),
    ("main", &[]),
];

/// Modules that are one unit for the DAG check: an error enum and its exhaustive exit-code
/// mapping refer to each other by design; so do the CLI definition and the verbs' `Args`.
const UNITS: &[&[&str]] = &[&["error", "exit_code"], &["cli", "cmd"]];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !is_test_file(&path) {
            out.push(path);
        }
    }
}

/// Unit tests kept in their own file (`release_tests.rs`, `regrtest/tests.rs`): like inline
/// `#[cfg(test)]` modules, they may build values from any layer and render them in every format.
fn is_test_file(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s == "tests" || s.ends_with("_tests"))
}

/// The top-level module a file of src/ belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("non-empty");
    first
        .as_os_str()
        .to_str()
        .expect("utf-8")
        .trim_end_matches(".rs")
        .to_string()
}

/// The `crate::X` modules a file's code names, with `use crate::{a, b::c}` groups expanded;
/// comments and test modules (`#[cfg(test)]` to the end of the file) are left out.
fn imports(text: &str) -> BTreeSet<String> {
    let code = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    // Comments may name any module (docs say who does what); only code counts.
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let code = code.as_str();
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn layer_imports_follow_the_documented_dag() {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(ok) = allowed.get(module.as_str()) else {
            violations.push(format!(
                "{}: module '{module}' is not in ALLOWED",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read");
        for dep in imports(&text) {
            if dep != module && !ok.contains(dep.as_str()) {
                violations.push(format!(
                    "{}: '{module}' imports crate::{dep}",
                    file.strip_prefix(&src).expect("under src").display()
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    // The allowed graph itself has no cycle once each unit is one node.
    let unit = |m: &str| -> String {
        UNITS
            .iter()
            .find(|u| u.contains(&m))
            .map_or(m.to_string(), |u| u.join("+"))
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, deps) in ALLOWED {
        for d in *deps {
            let (a, b) = (unit(m), unit(d));
            if a != b {
                edges.entry(a).or_default().insert(b);
            }
        }
    }
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(n) {
            return;
        }
        assert!(!path.iter().any(|p| p == n), "cycle: {path:?} -> {n}");
        path.push(n.to_string());
        for d in edges.get(n).into_iter().flatten() {
            visit(d, edges, path, done);
        }
        path.pop();
        done.insert(n.to_string());
    }
    let mut done = BTreeSet::new();
    for n in edges.keys() {
        visit(n, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn verbs_do_not_import_each_other() {
    let dir = repo().join("src/cmd");
    let verbs: Vec<String> = std::fs::read_dir(&dir)
        .expect("read cmd")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            p.file_stem()
                .expect("stem")
                .to_str()
                .expect("utf-8")
                .to_string()
        })
        // mod.rs dispatches; args.rs holds the argument groups verbs share.
        .filter(|s| s != "mod" && s != "args")
        .collect();
    let mut violations = Vec::new();
    for verb in &verbs {
        let text = std::fs::read_to_string(dir.join(format!("{verb}.rs"))).expect("read");
        for other in verbs.iter().filter(|o| *o != verb) {
            for pattern in [format!("super::{other}"), format!("cmd::{other}")] {
                if text.contains(&pattern) {
                    violations.push(format!("cmd/{verb}.rs names {pattern}"));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn only_render_write_chooses_the_output_format() {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let text = std::fs::read_to_string(file).expect("read");
        // Unit tests render each report in every format on purpose.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let matches_format = line.contains("Format::Json")
                || line.contains("Format::Plain")
                || line.contains("Format::Table")
                || line.contains("Format::Markdown")
                || line.contains("Format::Html");
            let allowed = rel == Path::new("render/mod.rs")
                // `auto` is decided into table or plain once, where the run's settings are made.
                || rel == Path::new("output.rs");
            if matches_format && !allowed {
                violations.push(format!("{}:{}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn readme_layout_names_every_part_of_src_and_nothing_else() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let start = readme.find("## Layout").expect("a Layout section");
    let block = &readme[start..];
    let block = &block[block.find("```").expect("code block") + 3..];
    let block = &block[..block.find("```").expect("end of block")];
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(repo().join("src")).expect("src") {
        let name = entry.expect("entry").file_name();
        let name = name.to_str().expect("utf-8");
        let shown = if name.ends_with(".rs") {
            format!("src/{name}")
        } else {
            format!("src/{name}/")
        };
        if !block.contains(&shown) {
            missing.push(shown);
        }
    }
    assert!(
        missing.is_empty(),
        "README's Layout does not name: {missing:?}"
    );
    for word in block.split_whitespace() {
        let word = word
            .trim_end_matches([',', ';', ':'])
            .trim_end_matches("'s");
        if word.starts_with("src/") || word.starts_with("tests/") || word.starts_with("scripts/") {
            assert!(
                repo().join(word).exists(),
                "README's Layout names {word}, which is gone"
            );
        }
    }
}
