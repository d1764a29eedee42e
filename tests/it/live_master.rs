//! End-to-end tests against the real Buildbot 4.3 master that scripts/test.sh starts
//! (tests/harness/harness.py): real builders, real workers, real regrtest builds.

use crate::common::*;

const WHY: &str = "needs the real Buildbot master: run scripts/test.sh";

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn json_for_every_branch_matches_what_the_harness_ran() {
    let m = live_manifest();
    let o = live(&["--server", &m.server, "--format", "json"]);
    assert_eq!(code(&o), 0, "{WHY}: {}", stderr(&o));
    let s = parse_summary(&o);
    assert_eq!(s.schema_version, 1);
    assert_eq!(s.source, "live");
    assert!(s.complete);
    assert_matches_manifest(&s, &m, &[]);
    let branches: Vec<&str> = s.branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        branches,
        ["3.x", "3.15", "3.14", "3.13", "3.12", "PR"],
        "newest first, PR last, retired 3.10 hidden"
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn q_3x_prints_each_builder_status_and_reason() {
    let m = live_manifest();
    let o = live(&["--server", &m.server, "-q", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "Selected builders: 16 / {} (branch: 3.x)\n",
            m.builders.iter().filter(|b| !b.retired).count()
        )),
        "{out}"
    );
    for b in m.builders.iter().filter(|b| b.branch == "3.x") {
        let line = out
            .lines()
            .find(|l| l.contains(&format!(" {}  ", b.name)))
            .unwrap_or_else(|| panic!("no line for {}\n{out}", b.name));
        let status = expected_status(b).replace('_', " ");
        assert!(
            line.contains(&format!("  {status} ")) || line.ends_with(&status),
            "{}: {line}",
            b.name
        );
        if let Some(reason) = expected_reason(&b.scenario, 4) {
            assert!(
                line.contains(reason),
                "{} should say {reason}: {line}",
                b.name
            );
        }
    }
    assert!(
        out.contains(
            "\nTotals: 1 building, 4 success, 6 unstable, 2 failure, 2 offline, 1 no builds\n"
        ),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}'),
        "piped output must carry no escape codes"
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn q_3x_costs_at_most_six_requests() {
    let m = live_manifest();
    let o = live(&["--server", &m.server, "-q", "3.x", "--stats"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    let requests: u32 = err
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no request count in {err}"));
    // At most six for the report, and one for the master's version, read for the `--stats` line.
    assert!(
        (3 + 1..=6 + 1).contains(&requests),
        "{requests} requests: {err}"
    );
    // All branches, all builders, still a handful of requests: builders, workers, the sample
    // that gives the window's top, the window, the short builders widened together, and the
    // masters list (a build is running: is its master still there?); and the master's version, read for the `--stats` line.
    let o = live(&["--server", &m.server, "-q", "--stats"]);
    let err = stderr(&o);
    assert!(err.starts_with("bbreport: 7 requests"), "{err}");
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn revision_ids_are_the_commits_built() {
    let m = live_manifest();
    let o = live(&[
        "--server", &m.server, "--id", "revision", "--format", "json", "3.14",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = parse_summary(&o);
    let b = s
        .builders()
        .find(|b| b.name == "AMD64 Fedora Stable 3.14")
        .expect("builder");
    // The harness commits sha1("<branch>:<round>") as round N's revision.
    let revisions: Vec<_> = b
        .builds
        .iter()
        .map(|x| x.revision.clone().expect("revision fetched"))
        .collect();
    assert_eq!(revisions.len(), 2);
    assert_ne!(revisions[0], revisions[1]);
    let plain = stdout(&live(&[
        "--server", &m.server, "--id", "revision", "-q", "3.14",
    ]));
    assert!(plain.contains(&revisions[0][..7]), "{plain}");
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn qq_groups_hosts_by_latest_build() {
    let m = live_manifest();
    let o = live(&["--server", &m.server, "-qq", "3.x", "3.14"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    // Latest build decides under -qq: NoGIL 3.x ended green (FFFP), Clang 3.x red (PPFF).
    let section = |title: &str| -> String {
        out.split("\n\n")
            .find(|s| s.starts_with(title))
            .unwrap_or_else(|| panic!("no {title} in {out}"))
            .to_string()
    };
    let line_of = |title: &str, host: &str| -> String {
        let section = section(title);
        section
            .lines()
            .find(|l| {
                l.trim_start_matches([' ', '_', '#', '*', '.'])
                    .starts_with(&format!("{host}  "))
            })
            .unwrap_or_else(|| panic!("{host} not under {title}\n{out}"))
            .to_string()
    };
    assert!(
        line_of("Success:", "AMD64 Alpine Linux NoGIL").ends_with("  3.x, 3.14"),
        "{out}"
    );
    assert!(
        line_of("Failure:", "AMD64 Fedora Stable Clang").ends_with("  3.x"),
        "{out}"
    );
    assert!(
        line_of("Offline:", "ARM64 macOS").ends_with("  3.x, 3.14"),
        "{out}"
    );
    assert!(
        line_of("Building:", "AMD64 Fedora Stable Clang Installed").ends_with("  3.x"),
        "{out}"
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn unknown_and_retired_branches_are_usage_errors_listing_branches() {
    let m = live_manifest();
    for branch in ["3.10", "2.7"] {
        let o = live(&["--server", &m.server, "-q", branch]);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(
            err,
            format!(
                "bbreport: error: unknown branch '{branch}'\nhint: branches with active builders: 3.x, 3.15, 3.14, 3.13, 3.12, PR\n"
            )
        );
        assert!(stdout(&o).is_empty());
    }
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn name_glob_is_case_insensitive() {
    let m = live_manifest();
    let o = live(&[
        "--server",
        &m.server,
        "--format",
        "json",
        "-n",
        "*FEDORA STABLE lto*",
        "-b",
        "3.x,3.13",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let names: Vec<String> = parse_summary(&o)
        .builders()
        .map(|b| b.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "AMD64 Fedora Stable LTO + PGO 3.x",
            "AMD64 Fedora Stable LTO 3.x",
            "AMD64 Fedora Stable LTO + PGO 3.13",
            "AMD64 Fedora Stable LTO 3.13"
        ]
    );
    let o = live(&["--server", &m.server, "-n", "*solaris 12*", "3.x"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with(
            "bbreport: error: no builder matches name '*solaris 12*' on branch 3.x\nhint: "
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn a_recorded_snapshot_reads_back_like_the_live_master() {
    let m = live_manifest();
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = dir.path().join("snap");
    let o = live(&[
        "--server",
        &m.server,
        "snapshot",
        snap.to_str().expect("utf-8"),
        "--builds",
        "5",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let online = parse_summary(&live(&[
        "--server", &m.server, "--format", "json", "--id", "revision",
    ]));
    let offline_out = live(&[
        "--snapshot",
        snap.to_str().expect("utf-8"),
        "--format",
        "json",
        "--id",
        "revision",
    ]);
    assert_eq!(code(&offline_out), 0, "{}", stderr(&offline_out));
    let offline = parse_summary(&offline_out);
    assert_eq!(offline.source, "snapshot");
    assert_eq!(offline.server, online.server);
    // (name, status, [(number, result, revision)]) per builder: what both sources must agree on.
    type Row = (
        String,
        Option<String>,
        Vec<(u32, Option<String>, Option<String>)>,
    );
    let strip = |s: &SummaryJson| -> Vec<Row> {
        s.builders()
            .map(|b| {
                let builds = b
                    .builds
                    .iter()
                    .map(|x| (x.number, x.result.clone(), x.revision.clone()))
                    .collect();
                (b.name.clone(), b.status.clone(), builds)
            })
            .collect()
    };
    assert_eq!(strip(&offline), strip(&online));
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn wrong_server_path_is_a_server_error_naming_the_url() {
    let m = live_manifest();
    let wrong = format!("{}nonexistent/", m.server);
    let o = live(&["--server", &wrong, "-q", "3.x"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 5, "{err}");
    assert!(err.starts_with("bbreport: error: "), "{err}");
    assert!(
        err.contains(&format!("{wrong}api/v2/")),
        "names the URL: {err}"
    );
    assert_eq!(err.lines().count(), 2, "one error line and one hint: {err}");
    assert!(
        err.lines().nth(1).is_some_and(|l| l.starts_with("hint: ")),
        "{err}"
    );
}
