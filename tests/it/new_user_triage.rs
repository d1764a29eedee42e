//! What a new user hits in the triage commands (issue 13): `build` of a compile failure, `repro`
//! without a build number, and "nothing to reproduce". Each test is a run of the binary with
//! its exact command, the output that matters and the exit code, against a stub master that
//! serves builders, builds, steps, logs and log lines as Buildbot's REST API does (the live
//! master's counterparts are in `live_build.rs`).

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::common::stub::{Reply, json as json_reply, serve};
use crate::common::*;

const SHARED: &str = "AMD64 Ubuntu Shared 3.x";
const STABLE: &str = "AMD64 Fedora Stable 3.x";

/// `got_revision` of build `number` of builder 1.
fn revision(number: u32) -> String {
    format!("{number}{}", "0c0ffee1".repeat(5))[..40].to_string()
}

/// A step as the stub serves it: its log's lines carry Buildbot's stream letters.
struct FakeStep {
    name: &'static str,
    results: i64,
    log: Option<Vec<String>>,
}

struct FakeBuild {
    builderid: u32,
    number: u32,
    results: i64,
    state_string: &'static str,
    steps: Vec<FakeStep>,
}

impl FakeBuild {
    fn buildid(&self) -> u64 {
        u64::from(self.builderid) * 100 + u64::from(self.number)
    }

    fn stepid(&self, index: usize) -> u64 {
        self.buildid() * 100 + index as u64
    }

    fn json(&self) -> Value {
        json!({
            "buildid": self.buildid(), "builderid": self.builderid, "number": self.number,
            "results": self.results, "complete": true,
            "started_at": 1_795_318_631, "complete_at": 1_795_318_639,
            "state_string": self.state_string,
            "properties": {"got_revision": [revision(self.number), "Git"]},
        })
    }
}

/// A real regrtest log from `tests/fixtures/logs`, as stdout lines of a stdio log.
fn regrtest_log(name: &str) -> Vec<String> {
    let path = repo().join("tests/fixtures/logs").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| format!("o{l}"))
        .collect()
}

/// 120 lines, as the harness's compile step prints a failure (tests/harness/step.py) after a
/// long build: line N (2 to 115) compiles `Objects/objNNN.o`; the compiler's error carries a
/// colour escape sequence.
fn compile_log() -> Vec<String> {
    let mut lines = vec!["hmake -j2".to_string()];
    lines.extend(
        (2..=115).map(|n| format!("ogcc -c -O2 -Wall -o Objects/obj{n:03}.o Objects/obj{n:03}.c")),
    );
    lines.extend([
        "ogcc -c -O2 -Wall -o Objects/longobject.o Objects/longobject.c".to_string(),
        "eObjects/longobject.c:1234:5: error: \u{1b}[31m'digit' undeclared\u{1b}[0m (first use in this function)".to_string(),
        "emake: *** [Makefile:3051: Objects/longobject.o] Error 1".to_string(),
        "hprogram finished with exit code 2".to_string(),
        "helapsedTime=41.2".to_string(),
    ]);
    assert_eq!(lines.len(), 120);
    lines
}

fn step(name: &'static str, results: i64, log: Option<Vec<String>>) -> FakeStep {
    FakeStep { name, results, log }
}

fn ok(name: &'static str) -> FakeStep {
    step(name, 0, Some(vec![format!("o{name}: ok")]))
}

/// Builder 1 (`AMD64 Ubuntu Shared 3.x`): #1 passed, #2 passed on re-run (warnings), #3 failed
/// `test_bbr_broken`, #4 failed to compile. Builder 2 (`AMD64 Fedora Stable 3.x`): #1 passed,
/// #2 passed on re-run.
fn builds() -> Vec<FakeBuild> {
    let tested = |builderid, number, results, state_string, log: &str| FakeBuild {
        builderid,
        number,
        results,
        state_string,
        steps: vec![
            ok("git"),
            ok("compile"),
            step("test", results, Some(regrtest_log(log))),
        ],
    };
    vec![
        tested(1, 1, 0, "build successful", "pass.txt"),
        tested(1, 2, 1, "warnings test (warnings)", "flaky.txt"),
        tested(1, 3, 2, "failed test (failure)", "fail.txt"),
        FakeBuild {
            builderid: 1,
            number: 4,
            results: 2,
            state_string: "failed compile (failure)",
            steps: vec![
                ok("git"),
                ok("configure"),
                step("compile", 2, Some(compile_log())),
                ok("clean"),
            ],
        },
        tested(2, 1, 0, "build successful", "pass.txt"),
        tested(2, 2, 1, "warnings test (warnings)", "flaky.txt"),
    ]
}

fn query(q: &str) -> Vec<(&str, &str)> {
    q.split('&').filter_map(|kv| kv.split_once('=')).collect()
}

fn page(key: &str, items: Vec<Value>) -> Reply {
    json_reply(&json!({ key: items, "meta": {"total": items.len()} }).to_string())
}

fn not_found() -> Reply {
    Reply::Body(
        404,
        "application/json",
        br#"{"error": "not found"}"#.to_vec(),
    )
}

/// A master with the two builders above, answering every request `build` and `repro` make.
fn master() -> String {
    let builds = builds();
    serve(move |url| {
        let url = url.strip_prefix("/api/v2/").unwrap_or(url);
        let (path, q) = url.split_once('?').unwrap_or((url, ""));
        let q = query(q);
        let parts: Vec<&str> = path.split('/').collect();
        let newest_first = |mut v: Vec<&FakeBuild>, limit: Option<usize>| {
            v.sort_by_key(|b| std::cmp::Reverse(b.buildid()));
            v.truncate(limit.unwrap_or(usize::MAX));
            page("builds", v.into_iter().map(FakeBuild::json).collect())
        };
        let limit = q
            .iter()
            .find(|(k, _)| *k == "limit")
            .and_then(|(_, v)| v.parse().ok());
        match parts.as_slice() {
            ["builders"] => page(
                "builders",
                [(1, SHARED), (2, STABLE)]
                    .iter()
                    .map(|(id, name)| json!({"builderid": id, "name": name, "masterids": [1], "tags": ["3.x", "stable", "tier-1"]}))
                    .collect(),
            ),
            ["workers"] => page(
                "workers",
                vec![json!({
                    "workerid": 1, "name": "w", "connected_to": [{"masterid": 1}], "paused": false,
                    "configured_on": [{"builderid": 1, "masterid": 1}, {"builderid": 2, "masterid": 1}],
                })],
            ),
            ["builders", id, "builds", number] => {
                match builds
                    .iter()
                    .find(|b| b.builderid.to_string() == *id && b.number.to_string() == *number)
                {
                    Some(b) => page("builds", vec![b.json()]),
                    None => not_found(),
                }
            }
            ["builders", id, "builds"] => newest_first(
                builds
                    .iter()
                    .filter(|b| b.builderid.to_string() == *id)
                    .collect(),
                limit,
            ),
            ["builds"] => {
                let ids: Vec<&str> = q
                    .iter()
                    .filter(|(k, _)| *k == "builderid__eq")
                    .map(|(_, v)| *v)
                    .collect();
                let below: Option<u64> = q
                    .iter()
                    .find(|(k, _)| *k == "buildid__lt")
                    .and_then(|(_, v)| v.parse().ok());
                newest_first(
                    builds
                        .iter()
                        .filter(|b| ids.contains(&b.builderid.to_string().as_str()))
                        .filter(|b| below.is_none_or(|lt| b.buildid() < lt))
                        .collect(),
                    limit,
                )
            }
            ["builds", buildid, "steps"] => {
                let Some(b) = builds.iter().find(|b| b.buildid().to_string() == *buildid) else {
                    return not_found();
                };
                page(
                    "steps",
                    b.steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| json!({
                            "stepid": b.stepid(i), "number": i, "name": s.name,
                            "results": s.results, "complete": true,
                            "started_at": 1_795_318_631 + i, "complete_at": 1_795_318_632 + i,
                            "state_string": if s.results == 0 { s.name.to_string() } else { format!("{} (failure)", s.name) },
                            "hidden": false,
                        }))
                        .collect(),
                )
            }
            ["steps", stepid, "logs"] => {
                let log = builds.iter().find_map(|b| {
                    (0..b.steps.len())
                        .find(|&i| b.stepid(i).to_string() == *stepid)
                        .map(|i| (b.stepid(i), &b.steps[i].log))
                });
                match log {
                    Some((id, Some(lines))) => page(
                        "logs",
                        vec![json!({
                            "logid": id, "name": "stdio", "slug": "stdio", "type": "s",
                            "num_lines": lines.len(), "complete": true,
                        })],
                    ),
                    Some((_, None)) => page("logs", Vec::new()),
                    None => not_found(),
                }
            }
            ["logs", logid, "contents"] => {
                let lines = builds.iter().find_map(|b| {
                    (0..b.steps.len())
                        .find(|&i| b.stepid(i).to_string() == *logid)
                        .and_then(|i| b.steps[i].log.as_ref())
                });
                let Some(lines) = lines else {
                    return not_found();
                };
                let n: HashMap<&str, usize> = q
                    .iter()
                    .filter_map(|(k, v)| Some((*k, v.parse().ok()?)))
                    .collect();
                let offset = n.get("offset").copied().unwrap_or(0);
                let limit = n.get("limit").copied().unwrap_or(lines.len());
                let content: String = lines
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|l| format!("{l}\n"))
                    .collect();
                page(
                    "logchunks",
                    vec![json!({"firstline": offset, "content": content})],
                )
            }
            _ => not_found(),
        }
    })
    .url
}

// ---- `build` of a compile failure shows the tail of the failed step's log ----

#[test]
fn build_of_a_compile_failure_shows_the_tail_of_the_failed_step_log() {
    let url = master();
    // bbreport --server URL build 'AMD64 Ubuntu Shared 3.x' 4
    let o = bbreport(&["--server", &url, "build", SHARED, "4"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "\nFailed step (compile › stdio): last 40 of 120 lines (2.1 KiB)\n\
             \x20 gcc -c -O2 -Wall -o Objects/obj081.o Objects/obj081.c\n"
        ),
        "the tail starts at line 81 of 120:\n{out}"
    );
    assert!(
        out.contains(
            "\n  Objects/longobject.c:1234:5: error: 'digit' undeclared (first use in this function)\n\
             \x20 make: *** [Makefile:3051: Objects/longobject.o] Error 1\n\
             \x20 program finished with exit code 2\n\
             \x20 elapsedTime=41.2\n\n\
             No test step: nothing to triage (the steps above say what failed).\n"
        ),
        "{out}"
    );
    assert!(
        !out.contains("obj080.o"),
        "line 80 is not in the tail: {out}"
    );
    assert!(
        !out.contains('\u{1b}') && !out.contains("[31m"),
        "escape sequences are stripped whole: {out:?}"
    );

    // bbreport --server URL --format markdown build 'AMD64 Ubuntu Shared 3.x' 4
    let o = bbreport(&[
        "--server", &url, "--format", "markdown", "build", SHARED, "4",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains(
            "\n\nFailed step (compile › stdio): last 40 of 120 lines (2.1 KiB)\n\n```\n\
             gcc -c -O2 -Wall -o Objects/obj081.o Objects/obj081.c\n"
        ) && md.contains(
            "make: *** [Makefile:3051: Objects/longobject.o] Error 1\n\
             program finished with exit code 2\nelapsedTime=41.2\n```\n"
        ),
        "{md}"
    );

    // bbreport --server URL --format json build 'AMD64 Ubuntu Shared 3.x' 4
    let o = bbreport(&["--server", &url, "--format", "json", "build", SHARED, "4"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = parse_build(&o);
    let f = v.failed_step.as_ref().expect("failed_step");
    assert_eq!(
        (f.number, f.step.as_str(), f.log.as_deref(), f.num_lines),
        (2, "compile", Some("stdio"), Some(120))
    );
    assert_eq!(
        f.windows
            .iter()
            .map(|w| (w.offset, w.limit))
            .collect::<Vec<_>>(),
        [(80, 40)]
    );
    assert_eq!(f.tail.len(), 40);
    assert_eq!(
        f.tail[36..],
        [
            "Objects/longobject.c:1234:5: error: \u{1b}[31m'digit' undeclared\u{1b}[0m (first use in this function)",
            "make: *** [Makefile:3051: Objects/longobject.o] Error 1",
            "program finished with exit code 2",
            "elapsedTime=41.2",
        ],
        "stream letters dropped; JSON keeps the server's text (serde escapes it)"
    );
}

#[test]
fn build_of_a_test_failure_parses_the_test_log_and_shows_no_step_tail() {
    let url = master();
    // bbreport --server URL --format json build 'AMD64 Ubuntu Shared 3.x' 3
    let o = bbreport(&["--server", &url, "--format", "json", "build", SHARED, "3"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = parse_build(&o);
    assert!(v.failed_step.is_none(), "{:?}", v.failed_step);
    assert_eq!(v.log_summary().failed, ["test_bbr_broken"]);
    let o = bbreport(&["--server", &url, "build", SHARED, "3"]);
    assert!(!stdout(&o).contains("Failed step"), "{}", stdout(&o));
}

// ---- `repro BUILDER` without a number: the newest failed build, from its revision ----

#[test]
fn repro_without_a_number_reproduces_the_newest_failed_build_from_its_revision() {
    let url = master();
    // bbreport --server URL repro 'AMD64 Ubuntu Shared 3.x'
    // (#4 failed to compile: no test to reproduce; #3 failed test_bbr_broken)
    let o = bbreport(&["--server", &url, "repro", SHARED]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "bbreport: no build number given: reproducing #3, the newest build of \
         AMD64 Ubuntu Shared 3.x with a failing test (newer: #4 failed compile)\n"
    );
    let rev = revision(3);
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "Reproduce AMD64 Ubuntu Shared 3.x #3: test_bbr_broken failed\n\n\
             In a CPython checkout, the revision the buildbot built; then build it as the buildbot did:\n\
             \x20 git checkout {rev}\n\n\
             The same run with the same seed:\n\
             \x20 ./python "
        )),
        "{out}"
    );
    assert!(
        out.contains(" --randseed=1001"),
        "the seed is pinned: {out}"
    );

    // bbreport --server URL --format markdown repro 'AMD64 Ubuntu Shared 3.x'
    let o = bbreport(&["--server", &url, "--format", "markdown", "repro", SHARED]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let md = stdout(&o);
    let checkout = md
        .find(&format!("```sh\ngit checkout {rev}\n```"))
        .expect("checkout block");
    assert!(
        md.find("The same run with the same seed:\n\n```sh\n./python ")
            .is_some_and(|i| i > checkout),
        "{md}"
    );

    // bbreport --server URL --format json repro 'AMD64 Ubuntu Shared 3.x'
    let o = bbreport(&["--server", &url, "--format", "json", "repro", SHARED]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = parse_repro(&o);
    assert_eq!(
        (r.number, r.target.as_str(), r.revision.as_deref()),
        (3, "test_bbr_broken", Some(rev.as_str()))
    );
    assert_eq!(
        r.checkout.as_deref(),
        Some(format!("git checkout {rev}").as_str())
    );
    assert!(stderr(&o).contains("reproducing #3"), "{}", stderr(&o));

    // With a number, the same checkout line.
    let o = bbreport(&["--server", &url, "repro", SHARED, "3"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("\n  git checkout {rev}\n")),
        "{}",
        stdout(&o)
    );
    assert_eq!(stderr(&o), "", "a number given: no note");
}

// ---- "Nothing to reproduce" is its own answer, exit 8, not a usage error ----

#[test]
fn nothing_to_reproduce_exits_8_with_the_reason_and_an_empty_stdout() {
    let url = master();
    for (args, message) in [
        // bbreport --server URL repro 'AMD64 Ubuntu Shared 3.x' 1
        (
            vec!["repro", SHARED, "1"],
            "bbreport: nothing to reproduce in AMD64 Ubuntu Shared 3.x #1 (success): no test \
             failed, timed out or crashed\n\
             hint: the newest build of AMD64 Ubuntu Shared 3.x with a failing test is #3: \
             bbreport repro 'AMD64 Ubuntu Shared 3.x' 3\n",
        ),
        // bbreport --server URL repro 'AMD64 Ubuntu Shared 3.x' 2
        (
            vec!["repro", SHARED, "2"],
            "bbreport: nothing to reproduce in AMD64 Ubuntu Shared 3.x #2 (warnings): no test \
             failed, timed out or crashed in the end (test_bbr_flaky passed on re-run)\n\
             hint: the newest build of AMD64 Ubuntu Shared 3.x with a failing test is #3: \
             bbreport repro 'AMD64 Ubuntu Shared 3.x' 3\n",
        ),
        // bbreport --server URL repro 'AMD64 Ubuntu Shared 3.x' 4
        (
            vec!["repro", SHARED, "4"],
            "bbreport: nothing to reproduce in AMD64 Ubuntu Shared 3.x #4 (failed compile): it \
             has no test step\n\
             hint: see what failed with: bbreport build 'AMD64 Ubuntu Shared 3.x' 4\n",
        ),
        // bbreport --server URL repro 'AMD64 Fedora Stable 3.x'
        (
            vec!["repro", STABLE],
            "bbreport: nothing to reproduce in AMD64 Fedora Stable 3.x: none of its newest 2 \
             builds has a failing test (#2 warnings, #1 success)\n\
             hint: see its builds with: bbreport -v -n 'AMD64 Fedora Stable 3.x'\n",
        ),
    ] {
        for format in ["plain", "json"] {
            let mut all = vec!["--server", url.as_str(), "--format", format];
            all.extend(&args);
            let o = bbreport(&all);
            assert_eq!(code(&o), 8, "{all:?}: {}", stderr(&o));
            assert_eq!(stderr(&o), message, "{all:?}");
            assert!(stdout(&o).is_empty(), "{all:?}: {}", stdout(&o));
        }
    }
}

#[test]
fn exit_8_is_documented_in_the_help_and_the_readme() {
    // bbreport --help
    let o = bbreport(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains(
            "    8  repro: no failing test to reproduce (stderr says why; nothing on stdout)\n"
        ),
        "{}",
        stdout(&o)
    );
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    assert!(
        readme.contains("\n| 8 | `repro`: nothing to reproduce"),
        "README's exit-code table"
    );
}
