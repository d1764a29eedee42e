//! Network and server faults: each must give one clear error naming the URL, a hint, and its
//! documented exit code; never a panic, never exit 0 on data that could not be read.

use crate::common::stub::{Reply, fleet_pages, json, master_with_builds, one_build, serve};
use crate::common::*;

/// A master whose builders and workers answer, and whose builds endpoint does `fault`.
fn builds_fault(fault: impl Fn() -> Reply + Send + Sync + 'static) -> String {
    master_with_builds(fault)
}

fn assert_error(o: &std::process::Output, want_code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(code(o), want_code, "{err}");
    assert!(
        stdout(o).is_empty(),
        "nothing on stdout when the report cannot be made: {}",
        stdout(o)
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one error line and one hint: {err}");
    assert!(
        lines[0].starts_with("bbreport: error: ") && lines[0].contains(needle),
        "{err}"
    );
    assert!(lines[1].starts_with("hint: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn connection_refused_is_a_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let o = bbreport(&["--server", &url, "-q", "3.x"]);
    assert_error(&o, 4, &format!("(http://127.0.0.1:{port}/api/v2/"));
    assert!(
        stderr(&o).to_lowercase().contains("refused"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_stalled_server_times_out() {
    let url = serve(|_| Reply::Stall).url;
    let started = std::time::Instant::now();
    let o = bbreport(&["--server", &url, "--timeout", "1", "-q"]);
    assert_error(&o, 4, "timed out");
    assert!(
        started.elapsed().as_secs() < 10,
        "the timeout must bound the run"
    );
}

#[test]
fn html_gateway_timeout_page_is_a_server_error() {
    let url = builds_fault(|| {
        Reply::Body(
            504,
            "text/html",
            b"<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>"
                .to_vec(),
        )
    });
    let o = bbreport(&["--server", &url, "-q"]);
    assert_error(
        &o,
        5,
        "expected JSON, got an HTML page (HTTP 504, \"504 Gateway Time-out\")",
    );
}

#[test]
fn buildbot_error_body_is_shown() {
    let url = builds_fault(|| {
        Reply::Body(
            400,
            "text/plain",
            br#"{"error": "invalid filter value for buildid__lt"}"#.to_vec(),
        )
    });
    let o = bbreport(&["--server", &url, "-q"]);
    assert_error(&o, 5, "HTTP 400: invalid filter value for buildid__lt");
}

#[test]
fn internal_server_error_is_a_server_error() {
    let url = builds_fault(|| {
        Reply::Body(
            500,
            "text/plain",
            br#"{"error": "RuntimeError('db')"}"#.to_vec(),
        )
    });
    assert_error(&bbreport(&["--server", &url, "-q"]), 5, "HTTP 500");
}

#[test]
fn malformed_and_empty_json_are_server_errors() {
    let url = builds_fault(|| json(r#"{"builds": [{"buildid": "#));
    assert_error(&bbreport(&["--server", &url, "-q"]), 5, "malformed JSON");
    let url = builds_fault(|| json(""));
    assert_error(&bbreport(&["--server", &url, "-q"]), 5, "malformed JSON");
    let url = builds_fault(|| json(r#"{"changes": []}"#));
    assert_error(
        &bbreport(&["--server", &url, "-q"]),
        5,
        "missing field `builds`",
    );
}

#[test]
fn truncated_gzip_is_a_broken_response() {
    let url = builds_fault(|| {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(one_build(1).as_bytes()).expect("gzip");
        let mut bytes = enc.finish().expect("gzip");
        bytes.truncate(bytes.len() / 2);
        Reply::Gzip(bytes)
    });
    assert_error(&bbreport(&["--server", &url, "-q"]), 4, "bad gzip stream");
}

#[test]
fn builders_endpoint_failure_stops_the_run() {
    let url = serve(|_| {
        Reply::Body(
            502,
            "text/html",
            b"<!DOCTYPE html><html><title>502 Bad Gateway</title></html>".to_vec(),
        )
    })
    .url;
    assert_error(
        &bbreport(&["--server", &url, "--format", "json"]),
        5,
        "HTTP 502",
    );
}

#[test]
fn partial_failure_prints_what_it_has_and_exits_incomplete() {
    // 301 builders need two IN-list requests; the one holding builder 301 fails.
    let (builders, workers) = fleet_pages(301);
    let url = serve(move |path| {
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else if path.contains("builderid__eq=301&") {
            Reply::Body(500, "text/plain", br#"{"error": "boom"}"#.to_vec())
        } else {
            json(&one_build(1))
        }
    })
    .url;
    let o = bbreport(&["--server", &url, "--format", "json"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    let s = parse_summary(&o);
    assert!(!s.complete);
    assert_eq!(
        s.totals["unknown"],
        1,
        "{:?}",
        s.builders()
            .filter(|b| b.error.is_some())
            .map(|b| (&b.name, &b.error))
            .take(2)
            .collect::<Vec<_>>()
    );
    let broken = s
        .builders()
        .find(|b| b.name == "Builder301 3.x")
        .expect("shown");
    assert_eq!(broken.status, None);
    assert!(
        broken
            .error
            .as_deref()
            .is_some_and(|e| e.contains("HTTP 500: boom")),
        "{:?}",
        broken.error
    );
    assert!(
        stderr(&o)
            .starts_with("bbreport: warning: builds of 1 of 301 builders could not be fetched"),
        "{}",
        stderr(&o)
    );
    let plain = bbreport(&["--server", &url, "-q"]);
    assert_eq!(code(&plain), 6);
    assert!(
        stdout(&plain).contains("! Builder301 3.x  unknown"),
        "{}",
        stdout(&plain)
    );
}

#[test]
fn bulk_window_is_one_request_per_300_builders_and_asks_little() {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    let (builders, workers) = fleet_pages(301);
    let url = serve(move |path| {
        log.lock().expect("lock").push(path.to_string());
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else {
            json(r#"{"builds":[],"meta":{"total":0}}"#)
        }
    })
    .url;
    let o = bbreport(&["--server", &url, "-q"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let paths = seen.lock().expect("lock").clone();
    assert_eq!(paths.len(), 4, "{paths:#?}");
    for p in paths.iter().filter(|p| p.starts_with("/api/v2/builds?")) {
        assert!(
            p.contains("order=-buildid") && p.contains("limit=") && p.contains("field=buildid"),
            "{p}"
        );
        assert!(
            p.len() < 8000,
            "URL too long for python.org's proxy: {} bytes",
            p.len()
        );
    }
}

#[test]
fn release_with_unreadable_builds_is_unknown_never_releasable() {
    let url = builds_fault(|| Reply::Body(500, "text/plain", br#"{"error": "db down"}"#.to_vec()));
    let o = bbreport(&["--server", &url, "release", "--format", "json"]);
    assert_eq!(code(&o), 12, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(r.verdicts(), [("3.x", "unknown")]);
    assert!(
        r.branch("3.x")
            .builders
            .iter()
            .all(|b| b.finding == "fetch_failed"
                && b.error.as_deref().is_some_and(|e| e.contains("db down")))
    );
    assert!(
        stderr(&o).contains("could not be fetched"),
        "{}",
        stderr(&o)
    );
    let o = bbreport(&["--server", &url, "release", "--rule", "dashboard"]);
    assert_eq!(
        code(&o),
        12,
        "the dashboard rule cannot say Releasable without data either"
    );
}

#[test]
fn release_with_a_failed_chunk_mid_run_is_unknown() {
    // 301 green tier-1 builders; the bulk request holding builder 301 fails.
    let (builders, workers) = fleet_pages(301);
    let url = serve(move |path| {
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else if path.contains("builderid__eq=301&") {
            Reply::Body(502, "text/html", b"<html><title>502 Bad Gateway</title></html>".to_vec())
        } else {
            let ids: Vec<u32> = path.split(['?', '&']).filter_map(|p| p.strip_prefix("builderid__eq=")?.parse().ok()).collect();
            let builds: Vec<String> = ids.iter().map(|i| {
                format!(r#"{{"buildid":{i},"builderid":{i},"number":1,"results":0,"complete":true,"started_at":1,"complete_at":2,"state_string":"build successful"}}"#)
            }).collect();
            json(&format!(r#"{{"builds":[{}],"meta":{{}}}}"#, builds.join(",")))
        }
    })
    .url;
    let o = bbreport(&["--server", &url, "release", "--format", "json"]);
    assert_eq!(code(&o), 12, "{}", stderr(&o));
    let r = parse_release(&o);
    assert_eq!(r.verdicts(), [("3.x", "unknown")]);
    assert_eq!(
        r.branch("3.x").summary,
        "builds of 1 builder could not be fetched"
    );
    assert_eq!(
        r.branch("3.x")
            .builders
            .iter()
            .filter(|b| b.finding == "passing")
            .count(),
        300
    );
}

#[test]
fn ambiguous_revision_prefix_is_a_usage_error_listing_matches() {
    let (builders, workers) = fleet_pages(1);
    let url = serve(move |path| {
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else if path.starts_with("/api/v2/changes?revision__contains=abcd") {
            json(r#"{"changes":[{"changeid":1,"revision":"abcd000000000000000000000000000000000001"},{"changeid":2,"revision":"abcd000000000000000000000000000000000002"}],"meta":{}}"#)
        } else {
            json(r#"{"builds":[],"meta":{}}"#)
        }
    })
    .url;
    let o = bbreport(&["--server", &url, "release", "--at", "abcd"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("revision 'abcd' is ambiguous: it matches abcd000000000000000000000000000000000001, abcd000000000000000000000000000000000002"), "{}", stderr(&o));
}

#[test]
fn a_response_cut_short_once_is_retried_and_the_run_succeeds() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    let calls = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&calls);
    let url = builds_fault(move || {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            // Gzip-labelled garbage: the body breaks mid-way, as a busy master's did in the harness.
            Reply::Gzip(vec![0x1f, 0x8b, 0x08, 0x00])
        } else {
            json(&one_build(1))
        }
    });
    let o = bbreport(&["--server", &url, "-q", "--stats"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("(1 was a retry)"), "{}", stderr(&o));
    // The first builds request (the newest build of a sample, src/fetch/window.rs) twice, the
    // window, and the widening of the two builders without builds.
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[test]
fn gateway_errors_are_retried_twice_then_reported() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    let calls = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&calls);
    let url = builds_fault(move || {
        seen.fetch_add(1, Ordering::SeqCst);
        Reply::Body(
            503,
            "text/html",
            b"<html><title>503 Service Unavailable</title></html>".to_vec(),
        )
    });
    let o = bbreport(&["--server", &url, "-q"]);
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert_eq!(calls.load(Ordering::SeqCst), 3, "one try and two retries");
}

#[test]
fn a_bearer_token_goes_in_a_header_on_every_request_and_nowhere_else() {
    use std::sync::{Arc, Mutex};
    let (builders, workers) = fleet_pages(3);
    let heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&heads);
    let url = crate::common::stub::serve_with_head(move |path, head| {
        seen.lock().expect("lock").push(head.to_string());
        if !head.contains("authorization: Bearer tok-123")
            && !head.contains("Authorization: Bearer tok-123")
        {
            return Reply::Body(403, "application/json", br#"{"error": "no"}"#.to_vec());
        }
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else {
            json(&one_build(1))
        }
    })
    .url;
    let o = bbreport_env(
        &["--server", &url, "-q", "--stats"],
        &[
            ("BBREPORT_TOKEN", "tok-123"),
            ("BBREPORT_LOG_REQUESTS", "1"),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stdout(&o).contains("tok-123") && !stderr(&o).contains("tok-123"));
    let heads = heads.lock().expect("lock");
    assert!(heads.len() >= 3, "{heads:?}");
}

#[test]
fn a_master_that_refuses_then_comes_back_is_retried() {
    // A free port: connections are refused until the master "restarts" on it 400 ms later.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (builders, workers) = fleet_pages(3);
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("rebind");
        crate::common::stub::serve_listener(listener, move |path, _| {
            if path.starts_with("/api/v2/builders") {
                json(&builders)
            } else if path.starts_with("/api/v2/workers") {
                json(&workers)
            } else {
                json(&one_build(1))
            }
        });
        std::thread::sleep(std::time::Duration::from_secs(30));
    });
    let url = format!("http://127.0.0.1:{port}/");
    let o = bbreport(&["--server", &url, "-q", "--stats"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("were retries)") || stderr(&o).contains("was a retry)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn retries_stay_within_the_timeout() {
    let url = builds_fault(|| {
        std::thread::sleep(std::time::Duration::from_millis(400));
        Reply::Body(
            502,
            "text/html",
            b"<html><title>502 Bad Gateway</title></html>".to_vec(),
        )
    });
    let started = std::time::Instant::now();
    let o = bbreport(&["--server", &url, "--timeout", "1", "-q"]);
    let elapsed = started.elapsed();
    // Three attempts would take 0.4 + 0.3 + 0.4 + 0.6 + 0.4 s; the deadline cuts it at 1 s.
    assert!(
        elapsed < std::time::Duration::from_millis(2500),
        "{elapsed:?}"
    );
    assert!(matches!(code(&o), 4 | 5), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_non_buildbot_404_page_is_a_server_error_with_a_hint() {
    let url = serve(|_| {
        Reply::Body(
            404,
            "text/html",
            b"<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>".to_vec(),
        )
    })
    .url;
    let o = bbreport(&["--server", &url, "-q"]);
    assert_error(&o, 5, "got an HTML page (HTTP 404, \"404 Not Found\")");
    assert!(stderr(&o).contains("hint: the URL may not be a Buildbot master's root"));
}

#[test]
fn a_body_cut_mid_way_is_retried_then_a_network_error() {
    let url = builds_fault(|| Reply::Partial(br#"{"builds": [{"buildid": 1, "#.to_vec(), 5000));
    let o = bbreport(&["--server", &url, "-q", "--stats"]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("connection broke while reading the response"),
        "{err}"
    );
    assert!(err.contains("(2 were retries)"), "{err}");
}

#[test]
fn a_gzip_bomb_is_refused_without_inflating_it() {
    use std::io::Write as _;
    // 300 MiB of zeros, about 300 KB compressed: past the 256 MiB answer limit.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..300 {
        enc.write_all(&zeros).expect("compress");
    }
    let bomb = enc.finish().expect("finish");
    let url = builds_fault(move || Reply::Gzip(bomb.clone()));
    let o = bbreport(&["--server", &url, "-q"]);
    assert_error(&o, 5, "the answer is larger than 256 MiB");
}
