//! `watch` through a server outage (a stub: a real master cannot be made to fail on demand):
//! one warning, polling goes on, one note when the server answers again, exit 130 on Ctrl-C.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common::stub::{Reply, fleet_pages, json, one_build, serve};
use crate::common::*;

#[test]
fn watch_rides_out_an_outage_and_stops_cleanly() {
    let (builders, workers) = fleet_pages(3);
    let down = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&down);
    let url = serve(move |path| {
        if flag.load(Ordering::SeqCst) {
            return Reply::Body(
                502,
                "text/html",
                b"<html><head><title>502 Bad Gateway</title></head></html>".to_vec(),
            );
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
    let env = TestEnv::new();
    let child = env
        .command()
        .args(["--server", url.as_str(), "watch", "--interval", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch");
    std::thread::sleep(Duration::from_secs(4));
    down.store(false, Ordering::SeqCst);
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill")
            .success()
    );
    let o = child.wait_with_output().expect("watch output");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one warning, one recovery note: {err}");
    assert!(
        lines[0].starts_with("bbreport: warning: expected JSON, got an HTML page (HTTP 502")
            && lines[0].ends_with("trying again every 1 s"),
        "{err}"
    );
    assert!(lines[1].ends_with("the server answers again"), "{err}");
    assert!(stdout(&o).contains("watching 3 builders"), "{}", stdout(&o));
}

#[test]
fn watch_speaks_json_lines() {
    let url = crate::common::stub::master_with_builds(|| json(&one_build(1)));
    let env = TestEnv::new();
    let child = env
        .command()
        .args([
            "--server",
            url.as_str(),
            "--format",
            "json",
            "watch",
            "--interval",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watch");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill")
            .success()
    );
    let o = child.wait_with_output().expect("output");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let events = crate::common::schemas::parse_watch_lines(&stdout(&o));
    match events.first() {
        Some(crate::common::schemas::WatchEventJson::Watching {
            schema_version,
            builders,
            branches,
            interval,
            ..
        }) => {
            assert_eq!((*schema_version, *builders, *interval), (1, 3, 1));
            assert_eq!(branches, &["3.x"]);
        }
        other => panic!("the first line says what is watched: {other:?}"),
    }
}
