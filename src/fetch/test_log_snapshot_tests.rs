//! Reading a build's steps and test log from a snapshot's recorded answers
//! (`Live::recorded`): the same functions as live, and what was not recorded said so.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::api::types::Build;
use crate::api::{Snapshot, SnapshotMeta, TriageFile, endpoints};

/// The harness's real failing regrtest log (tests/fixtures/logs/fail.txt, `test_bbr_broken`
/// fails), padded after its first lines to `n` lines when `n` is longer, with stream letters.
fn log_text(n: usize) -> Vec<String> {
    let path = format!(
        "{}/tests/fixtures/logs/fail.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture");
    let real: Vec<String> = text.lines().map(|l| format!("o{l}")).collect();
    let pad = n.saturating_sub(real.len());
    let mut lines: Vec<String> = real[..5].to_vec();
    lines.extend((0..pad).map(|i| format!("opadding line {i}")));
    lines.extend(real[5..].iter().cloned());
    lines
}

fn page(lines: &[String], offset: u64, limit: u64) -> serde_json::Value {
    let content: String = lines
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|l| format!("{l}\n"))
        .collect();
    json!({"logchunks": [{"firstline": offset, "content": content}]})
}

/// Build 7 (builder 1, #3, failed) with its steps, logs and the given windows of a log of
/// `n` lines ([`log_text`]) recorded; build 6 (#2, passed) with nothing.
fn reader(n: u64, windows: &[(u64, u64)]) -> (Live, Build) {
    let build = Build::for_test(7, 1, 3, Some(2));
    let text = log_text(n as usize);
    let mut responses = BTreeMap::new();
    responses.insert(
        endpoints::steps(7),
        json!({"steps": [{"stepid": 70, "number": 0, "name": "test", "results": 2, "complete": true}]}),
    );
    responses.insert(
        endpoints::logs(70),
        json!({"logs": [{"logid": 700, "name": "stdio", "slug": "stdio", "num_lines": n, "type": "s", "complete": true}]}),
    );
    for (offset, limit) in windows {
        responses.insert(
            endpoints::log_lines(700, *offset, *limit),
            page(&text, *offset, *limit),
        );
    }
    let meta = SnapshotMeta {
        format: crate::api::snapshot_format(),
        server: "http://m/".into(),
        recorded_at: 0,
        builds_per_builder: 2,
        recorded_by: "test".into(),
    };
    let builds = vec![build.clone(), Build::for_test(6, 1, 2, Some(0))];
    let snapshot =
        Snapshot::from_parts(meta, vec![], vec![], builds).with_responses(TriageFile { responses });
    (Live::recorded(Arc::new(snapshot)).expect("reader"), build)
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn a_recorded_short_log_is_read_as_live_by_default_and_whole() {
    let n = log_text(0).len() as u64;
    let (live, build) = reader(n, &[(0, n)]);
    for full in [false, true] {
        let got = run(read(&live, &build, full)).expect("recorded");
        assert_eq!(got.step.as_deref(), Some("test"));
        assert_eq!(got.windows, [(0, n)]);
        let summary = got.summary.expect("parsed");
        assert_eq!(summary.failed, ["test_bbr_broken"], "full: {full}");
    }
}

#[test]
fn a_long_log_has_its_windows_and_not_its_whole() {
    let (live, build) = reader(1_000, &[(0, 100), (600, 400)]);
    let got = run(read(&live, &build, false)).expect("windows recorded");
    assert_eq!(got.windows, [(0, 100), (600, 400)]);
    assert_eq!(got.summary.expect("parsed").failed, ["test_bbr_broken"]);
    let e = run(read(&live, &build, true)).expect_err("the whole log was not recorded");
    assert!(e.is_not_cached(), "{e}");
    assert!(
        e.to_string().contains("not recorded in the snapshot"),
        "{e}"
    );
    assert!(
        e.url.contains("logs/700/contents?offset=0&limit=1000"),
        "{}",
        e.url
    );
}

#[test]
fn builds_come_from_the_snapshot_and_unrecorded_steps_are_said() {
    let (live, _) = reader(84, &[(0, 84)]);
    let newest = run(build_detail::build(&live, 1, None)).expect("ok");
    assert_eq!(newest.map(|b| b.number), Some(3));
    assert!(
        run(build_detail::build(&live, 1, Some(9)))
            .expect("ok")
            .is_none()
    );
    let older = run(build_detail::build(&live, 1, Some(1))).expect_err("older than recorded");
    assert!(older.is_not_cached());
    let green = run(build_detail::build(&live, 1, Some(2)))
        .expect("ok")
        .expect("recorded build");
    let e = run(build_detail::steps(&live, &green)).expect_err("steps of a green build");
    assert!(e.to_string().contains("not recorded"), "{e}");
}
