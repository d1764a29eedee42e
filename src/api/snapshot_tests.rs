//! Writing and reading back a snapshot directory: format 2's triage.json, format 1 still read.

use serde_json::json;

use super::*;

fn meta(format: u32) -> SnapshotMeta {
    SnapshotMeta {
        format,
        server: "http://m/".into(),
        recorded_at: 1_795_000_000,
        builds_per_builder: 2,
        recorded_by: "test".into(),
    }
}

fn triage() -> TriageFile {
    let mut responses = BTreeMap::new();
    responses.insert(
        "builds/7/steps".to_string(),
        json!({"steps": [{"stepid": 70, "number": 0, "name": "test", "results": 2}]}),
    );
    TriageFile { responses }
}

fn write(dir: &Path, format: u32) {
    let builds = vec![
        Build::for_test(7, 1, 3, Some(2)),
        Build::for_test(6, 1, 2, Some(0)),
    ];
    let empty = json!({"builders": [], "workers": [], "changes": []});
    let recording = Recording {
        builders: &empty,
        workers: &empty,
        changes: &empty,
        builds: &builds,
        triage: &triage(),
        meta: &meta(format),
    };
    Snapshot::write(dir, &recording).expect("write");
}

#[test]
fn format_2_reads_back_its_recorded_answers_and_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), SNAPSHOT_FORMAT);
    let s = Snapshot::load(dir.path()).expect("load");
    assert!(s.records_triage());
    let steps = s.response("builds/7/steps").expect("recorded");
    assert_eq!(steps["steps"][0]["name"], "test");
    assert!(
        s.response("builds/6/steps").is_none(),
        "a green build's steps are not recorded"
    );
    assert_eq!(s.build(1, Some(2)).map(|b| b.buildid), Some(6));
    assert_eq!(s.build(1, None).map(|b| b.number), Some(3), "newest");
    assert_eq!(s.build(1, Some(9)).map(|b| b.number), None);
    assert_eq!(s.oldest_number(1), Some(2));
    assert_eq!(s.oldest_number(2), None);
}

#[test]
fn format_1_is_read_without_triage_and_unknown_formats_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), 1);
    std::fs::remove_file(dir.path().join("triage.json")).expect("format 1 has none");
    let s = Snapshot::load(dir.path()).expect("format 1 loads");
    assert!(!s.records_triage());
    assert!(s.response("builds/7/steps").is_none());
    assert_eq!(s.all_builds().count(), 2);

    write(dir.path(), SNAPSHOT_FORMAT + 1);
    let e = Snapshot::load(dir.path()).expect_err("a newer format");
    assert!(e.message.contains("not supported"), "{}", e.message);
}

#[test]
fn format_2_without_its_triage_file_records_nothing_for_triage() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), SNAPSHOT_FORMAT);
    std::fs::remove_file(dir.path().join("triage.json")).expect("remove");
    let s = Snapshot::load(dir.path()).expect("the builds are still there");
    assert!(s.response("builds/7/steps").is_none());
    std::fs::write(dir.path().join("triage.json"), "{").expect("write");
    let e = Snapshot::load(dir.path()).expect_err("a broken triage.json");
    assert!(e.message.contains("triage.json"), "{}", e.message);
}
