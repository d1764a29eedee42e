//! The cache's rules: coverage and watermark, upserts, pruning, healing a bad file.

use super::*;

const SERVER: &str = "http://master.test/";

fn build(buildid: BuildId, builderid: BuilderId, complete: bool) -> StoredBuild {
    StoredBuild {
        buildid,
        builderid,
        complete,
        body: format!(r#"{{"buildid": {buildid}, "complete": {complete}}}"#),
    }
}

fn open(dir: &tempfile::TempDir) -> (Cache, Vec<String>) {
    Cache::open(&dir.path().join("c.sqlite3"), SERVER).expect("open")
}

fn ids(builds: &[CachedBuild]) -> Vec<BuildId> {
    builds.iter().map(|b| b.build.buildid).collect()
}

#[test]
fn a_builder_is_served_only_when_its_coverage_reaches_the_watermark() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, warnings) = open(&dir);
    assert!(warnings.is_empty());
    let b7 = [build(30, 7, true), build(20, 7, true), build(10, 7, true)];
    cache.store_fetched(&[(7, &b7, false)], 30, false);
    cache.apply_catch_up(None, 30, &[], &[], 1000);
    assert_eq!(cache.watermark(), Some((30, 1000)));
    assert_eq!(
        ids(&cache.covered_builds(7, 30, 2).expect("covered")),
        [30, 20]
    );
    assert_eq!(
        ids(&cache.covered_builds(7, 30, 3).expect("covered")),
        [30, 20, 10]
    );
    // Four asked, three held, and older builds may exist: not covered.
    assert_eq!(cache.covered_builds(7, 30, 4), None);
    // A newer watermark than the coverage: builds may be missing.
    assert_eq!(cache.covered_builds(7, 31, 2), None);
    // Never fetched.
    assert_eq!(cache.covered_builds(8, 30, 1), None);
}

#[test]
fn a_whole_history_is_served_even_when_shorter_than_asked() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    cache.store_fetched(&[(7, &[build(5, 7, true)], true), (8, &[], true)], 9, false);
    assert_eq!(ids(&cache.covered_builds(7, 9, 10).expect("covered")), [5]);
    assert_eq!(cache.covered_builds(8, 9, 10), Some(vec![]));
}

#[test]
fn a_catch_up_extends_coverage_that_reached_its_start() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    cache.store_fetched(&[(7, &[build(10, 7, true)], true)], 10, false);
    cache.store_fetched(&[(8, &[build(4, 8, true)], true)], 5, false); // lags behind
    cache.apply_catch_up(None, 10, &[], &[], 1);
    cache.apply_catch_up(
        Some(10),
        12,
        &[build(11, 7, false), build(12, 9, true)],
        &[],
        2,
    );
    assert_eq!(cache.watermark(), Some((12, 2)));
    let seven = cache.covered_builds(7, 12, 5).expect("covered");
    assert_eq!(ids(&seven), [11, 10]);
    assert!(!seven[0].build.complete);
    assert_eq!(
        cache.covered_builds(8, 12, 5),
        None,
        "its coverage ended at 5"
    );
    assert_eq!(cache.running_build_ids(12), [11]);
    // The running build finishes; a stale running copy never overwrites the finished one.
    cache.apply_catch_up(Some(12), 12, &[build(11, 7, true)], &[], 3);
    cache.store_builds(&[build(11, 7, false)], false);
    assert!(
        cache.covered_builds(7, 12, 1).expect("covered")[0]
            .build
            .complete
    );
    assert!(cache.running_build_ids(12).is_empty());
}

#[test]
fn the_watermark_never_moves_back() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    cache.apply_catch_up(None, 50, &[], &[], 1);
    cache.apply_catch_up(None, 40, &[], &[], 2);
    assert_eq!(cache.watermark(), Some((50, 2)));
}

#[test]
fn builds_the_server_no_longer_has_are_dropped() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    cache.store_fetched(&[(7, &[build(3, 7, false)], true)], 3, false);
    cache.apply_catch_up(Some(3), 3, &[], &[3], 1);
    assert_eq!(cache.covered_builds(7, 3, 1), Some(vec![]));
}

#[test]
fn revisions_are_kept_once_known() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    let mut with_rev = build(3, 7, true);
    with_rev.body = r#"{"buildid": 3, "properties": {"got_revision": ["abc", "Git"]}}"#.into();
    cache.store_fetched(&[(7, std::slice::from_ref(&with_rev), true)], 3, true);
    cache.apply_catch_up(Some(3), 3, &[build(3, 7, true)], &[], 1);
    let got = cache.covered_builds(7, 3, 1).expect("covered");
    assert!(got[0].has_revision);
    assert_eq!(got[0].build.body, with_rev.body);
}

#[test]
fn old_builds_are_pruned_and_coverage_follows() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    let n = KEEP_BUILDS_PER_BUILDER as u64 + 10;
    let history: Vec<StoredBuild> = (1..=n).rev().map(|id| build(id, 7, true)).collect();
    cache.store_fetched(&[(7, &history, true)], n, false);
    cache.apply_catch_up(Some(n), n + 1, &[build(n + 1, 7, true)], &[], 1);
    let keep = KEEP_BUILDS_PER_BUILDER as usize;
    let kept = cache.covered_builds(7, n + 1, keep).expect("covered");
    assert_eq!(kept.len(), keep);
    assert_eq!(kept[0].build.buildid, n + 1);
    assert_eq!(kept[keep - 1].build.buildid, n + 2 - keep as u64);
    // Coverage no longer claims the whole history: one more than kept must be fetched.
    assert_eq!(
        cache.covered_builds(7, n + 1, KEEP_BUILDS_PER_BUILDER as usize + 1),
        None
    );
}

#[test]
fn responses_round_trip_compressed() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    let body = br#"{"steps": []}"#.repeat(100);
    cache.put_response("builds/1/steps", &body, 5);
    assert_eq!(cache.response("builds/1/steps"), Some(body));
    assert_eq!(cache.response("builds/2/steps"), None);
    let info = cache.info().expect("info");
    assert_eq!(info.responses, 1);
    assert!(info.response_bytes < 200, "{}", info.response_bytes);
}

#[test]
fn documents_are_replaced() {
    let dir = tempfile::tempdir().expect("dir");
    let (cache, _) = open(&dir);
    cache.put_document("builders", "[1]", 5);
    cache.put_document("builders", "[2]", 6);
    assert_eq!(cache.document("builders"), Some(("[2]".into(), 6)));
    cache.forget_document("builders");
    assert_eq!(cache.document("builders"), None);
}

#[test]
fn reopening_keeps_the_data() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let (cache, _) = open(&dir);
        cache.apply_catch_up(None, 7, &[], &[], 1);
    }
    let (cache, warnings) = open(&dir);
    assert!(warnings.is_empty());
    assert_eq!(cache.watermark(), Some((7, 1)));
}

fn set_aside_files(dir: &tempfile::TempDir) -> Vec<String> {
    std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".broken-"))
        .collect()
}

#[test]
fn a_file_that_is_not_a_database_is_set_aside() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.sqlite3");
    std::fs::write(&path, vec![0x5a_u8; 10_000]).expect("write");
    let (cache, warnings) = Cache::open(&path, SERVER).expect("healed");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("moved it to"), "{}", warnings[0]);
    assert_eq!(set_aside_files(&dir).len(), 1);
    cache.apply_catch_up(None, 3, &[], &[], 1);
    assert_eq!(cache.watermark(), Some((3, 1)));
}

#[test]
fn another_programs_database_is_set_aside() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.sqlite3");
    let other = Connection::open(&path).expect("open");
    other
        .execute_batch("CREATE TABLE notes(x); INSERT INTO notes VALUES (1);")
        .expect("create");
    drop(other);
    let (_cache, warnings) = Cache::open(&path, SERVER).expect("healed");
    assert!(
        warnings[0].contains("is not a bbreport cache"),
        "{warnings:?}"
    );
    assert_eq!(set_aside_files(&dir).len(), 1);
}

#[test]
fn a_cache_of_another_server_is_set_aside() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.sqlite3");
    drop(Cache::open(&path, "http://elsewhere/").expect("open"));
    let (_cache, warnings) = Cache::open(&path, SERVER).expect("healed");
    assert!(warnings[0].contains("another server"), "{warnings:?}");
}

#[test]
fn an_older_format_is_rebuilt_and_a_newer_one_left_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.sqlite3");
    drop(Cache::open(&path, SERVER).expect("open"));
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", 0)
        .expect("downgrade");
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .expect("keep id");
    conn.execute_batch("INSERT INTO meta VALUES ('watermark', '5')")
        .expect("data");
    drop(conn);
    let (cache, warnings) = Cache::open(&path, SERVER).expect("rebuilt");
    assert!(warnings[0].contains("older format"), "{warnings:?}");
    assert_eq!(cache.watermark(), None, "rebuilt empty");
    drop(cache);

    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("upgrade");
    drop(conn);
    let err = Cache::open(&path, SERVER).expect_err("newer format");
    assert!(err.to_string().contains("newer bbreport"), "{err}");
    assert!(path.exists(), "a newer bbreport's cache is not touched");
}

#[test]
fn a_truncated_file_is_healed_on_open_or_on_first_use() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.sqlite3");
    {
        let (cache, _) = Cache::open(&path, SERVER).expect("open");
        let many: Vec<StoredBuild> = (1..=2000)
            .map(|id| build(id, (id % 50) as u32, true))
            .collect();
        cache.store_builds(&many, false);
    }
    // Fold the WAL into the file, then cut the file in half.
    Connection::open(&path)
        .and_then(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
        .expect("checkpoint");
    let len = std::fs::metadata(&path).expect("size").len();
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..(len / 2) as usize]).expect("truncate");
    match Cache::open(&path, SERVER) {
        Ok((cache, _)) => {
            // Opened (the header survived): reading the lost pages fails once, disables the
            // cache for this run and sets the file aside.
            let _ = cache.covered_builds(1, 0, 10);
            cache.store_builds(&[build(9999, 1, true)], false);
            let _ = cache.info();
        }
        Err(e) => panic!("a truncated cache must heal, not fail: {e}"),
    }
    let (cache, _) = Cache::open(&path, SERVER).expect("usable again");
    cache.apply_catch_up(None, 1, &[], &[], 1);
    assert_eq!(cache.watermark(), Some((1, 1)));
}

#[test]
fn two_connections_write_in_turn() {
    let dir = tempfile::tempdir().expect("dir");
    let (a, _) = open(&dir);
    let (b, _) = open(&dir);
    let t = std::thread::spawn(move || {
        for i in 0..200 {
            a.store_builds(&[build(i, 1, true)], false);
        }
        a.is_usable()
    });
    for i in 200..400 {
        b.store_builds(&[build(i, 2, true)], false);
    }
    assert!(t.join().expect("thread"), "writer A kept its cache");
    assert!(b.is_usable(), "writer B kept its cache");
    assert_eq!(b.info().expect("info").builds, 400);
}

#[test]
fn runs_creating_the_same_new_file_at_once_all_see_a_bbreport_cache() {
    for _ in 0..20 {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("c.sqlite3");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let openers: Vec<_> = (0..8)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Cache::open(&path, SERVER).map(|(_, warnings)| warnings)
                })
            })
            .collect();
        for opener in openers {
            let warnings = opener.join().expect("thread").expect("open");
            assert!(warnings.is_empty(), "{warnings:?}");
        }
        assert!(set_aside_files(&dir).is_empty());
    }
}
