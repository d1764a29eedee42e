//! The masters list (read to judge stale running builds) goes out in the same round of requests
//! as the builds fetch's next one, not in a round of its own afterwards (issue 15: every round
//! costs a round trip on a distant master, and python.org always has a build running).
//!
//! The stub holds its answer to the widening query (the builders short in the first window,
//! read below it) until the masters list has been asked for, for at most two seconds: a client
//! that asks for the masters list only after the widening is answered is caught waiting.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::common::stub::{Reply, fleet_pages, json, serve};

/// Builders 1..=4 build; 5 and 6 never built (so the first window leaves them short).
const BUILDERS: u32 = 6;
const BUILDING: u32 = 4;

fn build(id: u32, builderid: u32, running: bool) -> String {
    let (results, complete, complete_at) = if running {
        ("null", "false", "null".to_string())
    } else {
        ("0", "true", (1_000 + id).to_string())
    };
    format!(
        r#"{{"buildid":{id},"builderid":{builderid},"number":{id},"results":{results},"complete":{complete},"started_at":{},"complete_at":{complete_at},"state_string":"x","masterid":1}}"#,
        1_000 + id
    )
}

#[derive(Default)]
struct Seen {
    masters_asked: bool,
    /// How long the widening's answer was held waiting for the masters request.
    widening_held: Option<Duration>,
    paths: Vec<String>,
}

#[test]
fn the_masters_list_goes_out_with_the_widening_when_a_build_runs() {
    let (builders, workers) = fleet_pages(BUILDERS);
    let now = chrono::Utc::now().timestamp();
    let seen = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
    let state = Arc::clone(&seen);
    let stub = serve(move |path| {
        let (lock, cond) = &*state;
        lock.lock().expect("lock").paths.push(path.to_string());
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        match route {
            "/api/v2/builders" => json(&builders),
            "/api/v2/workers" => json(&workers),
            "/api/v2/masters" => {
                let mut s = lock.lock().expect("lock");
                s.masters_asked = true;
                cond.notify_all();
                json(&format!(
                    r#"{{"masters":[{{"masterid":1,"name":"m","active":true,"last_active":{now}}}],"meta":{{"total":1}}}}"#
                ))
            }
            "/api/v2/builds" if query.contains("buildid__lt=") => {
                // The widening: only never-built builders are left, so an empty page.
                let start = Instant::now();
                let mut s = lock.lock().expect("lock");
                while !s.masters_asked && start.elapsed() < Duration::from_secs(2) {
                    s = cond
                        .wait_timeout(s, Duration::from_millis(50))
                        .expect("wait")
                        .0;
                }
                s.widening_held = Some(start.elapsed());
                json(r#"{"builds":[],"meta":{"total":0}}"#)
            }
            "/api/v2/builds" => {
                // The sample (limit=1) and the window: builder 1 is running its build 9.
                let mut ids: Vec<(u32, u32)> = (1..=BUILDING)
                    .flat_map(|b| [(b + 4, b), (b + 8, b)])
                    .collect();
                ids.sort_by_key(|b| std::cmp::Reverse(b.0));
                let mut page: Vec<String> = ids
                    .into_iter()
                    .map(|(id, b)| build(id, b, id == 9))
                    .collect();
                if query.contains("limit=1&") {
                    page.truncate(1);
                }
                json(&format!(
                    r#"{{"builds":[{}],"meta":{{"total":{}}}}}"#,
                    page.join(","),
                    page.len()
                ))
            }
            _ => Reply::Body(404, "application/json", br#"{"error":"no"}"#.to_vec()),
        }
    });

    let env = crate::common::TestEnv::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bbreport"));
    cmd.args(["--server", &stub.url, "--no-cache", "-q", "3.x", "-l", "2"]);
    let out = env.apply(&mut cmd).output().expect("run bbreport");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (lock, _) = &*seen;
    let s = lock.lock().expect("lock");
    assert_eq!(out.status.code(), Some(0), "{stderr}\n{:#?}", s.paths);
    assert!(
        s.masters_asked,
        "the masters list was never read: {:#?}",
        s.paths
    );
    let held = s.widening_held.expect("a widening query");
    assert!(
        held < Duration::from_millis(1500),
        "the masters list was asked for only after the widening was answered (held {held:?}): {:#?}",
        s.paths
    );
    // One masters request, however many rounds judge staleness.
    let masters = s
        .paths
        .iter()
        .filter(|p| p.starts_with("/api/v2/masters"))
        .count();
    assert_eq!(masters, 1, "{:#?}", s.paths);
}
