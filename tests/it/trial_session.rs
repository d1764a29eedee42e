//! What a new user's trial of `commit`, `pr`, `tests` and `--watch` found, on the shipped
//! snapshot (its newest 3.x commit 8a16328 broke test_bbr_broken on one builder; its PR
//! 140000's head is 0882826; AMD64 FreeBSD14 3.x hit the same exception in builds 3 and 4).

use crate::common::*;

fn snap() -> String {
    fixture_snapshot().to_str().expect("utf-8 path").to_string()
}

fn recorded_at() -> i64 {
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_snapshot().join("meta.json")).expect("meta.json"),
    )
    .expect("meta json");
    meta["recorded_at"].as_i64().expect("recorded_at")
}

#[test]
fn tests_on_a_week_old_snapshot_counts_its_days_back_from_the_recording() {
    // Eight days after the recording, "the last 7 days" of the snapshot are the 7 days before
    // it was recorded, not an empty week after it.
    let now = (recorded_at() + 8 * 86_400).to_string();
    let o = bbreport_env(
        &["--snapshot", &snap(), "--format", "json", "tests", "3.x"],
        &[("BBREPORT_NOW", &now)],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let names: Vec<&str> = r["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter_map(|t| t["test"].as_str())
        .collect();
    assert!(names.contains(&"test_bbr_broken"), "{names:?}");
    assert_eq!(
        r["window"]["since"].as_i64(),
        Some(recorded_at() - 7 * 86_400)
    );
}

#[test]
fn watching_recorded_data_is_refused_at_once() {
    for args in [
        vec!["commit", "8a16328", "--watch"],
        vec!["pr", "140000", "--watch"],
        vec!["watch", "3.x"],
    ] {
        let o = bbreport(&[&["--snapshot", snap().as_str()][..], &args].concat());
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("polls a live server"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn commit_and_pr_say_the_cache_cannot_answer_them_offline() {
    // A cache for this server exists (a summary filled it); commit and pr still cannot be
    // answered from it: it keeps no commits (changes).
    let url = crate::common::stub::master_with_builds(|| {
        crate::common::stub::json(&crate::common::stub::one_build(1))
    });
    let env = TestEnv::new();
    let o = env.run(&["--server", &url, "-q"], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for args in [vec!["commit", "8a16328"], vec!["pr", "140000"]] {
        let o = env.run(
            &[&["--server", url.as_str(), "--offline"][..], &args].concat(),
            &[],
        );
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("the local cache does not keep"), "{err}");
        assert!(err.contains("--snapshot DIR"), "{err}");
    }
}

#[test]
fn the_same_exception_again_is_not_blamed_on_the_commit() {
    let o = bbreport(&[
        "--snapshot",
        &snap(),
        "--format",
        "json",
        "commit",
        "8a16328",
    ]);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let freebsd = r["builders"]
        .as_array()
        .expect("builders")
        .iter()
        .find(|b| b["name"] == "AMD64 FreeBSD14 3.x")
        .expect("FreeBSD14");
    assert_eq!(freebsd["state"], "failed", "{freebsd}");
    assert_eq!(freebsd["novelty"], "pre_existing", "{freebsd}");
    assert_eq!(freebsd["previous"], 3, "{freebsd}");
    // The new failure that remains is the one test_bbr_broken made on the refleak builder.
    assert_eq!(code(&o), 13, "{}", stderr(&o));
}

#[test]
fn a_pull_requests_merge_commit_points_to_pr() {
    let o = bbreport(&["--snapshot", &snap(), "commit", "0882826"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("pull request's merge commit"), "{err}");
    assert!(err.contains("bbreport pr 140000"), "{err}");
}

#[test]
fn pr_target_cannot_be_the_pr_builders_own_branch() {
    let o = bbreport(&["--snapshot", &snap(), "pr", "140000", "--target", "PR"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--target 3.x"), "{}", stderr(&o));
}
