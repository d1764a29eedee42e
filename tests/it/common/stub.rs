//! A tiny HTTP/1.1 server on 127.0.0.1 for faults a real master will not produce on demand
//! (HTML 504s, malformed JSON, stalls, broken gzip). Everything else is tested on the real one.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub enum Reply {
    /// Status line code, content type, body.
    Body(u16, &'static str, Vec<u8>),
    /// Gzip-labelled body sent as given (e.g. truncated).
    Gzip(Vec<u8>),
    /// Accept the request and never answer.
    Stall,
    /// Announce `declared` bytes, send these, and close: a body cut short.
    Partial(Vec<u8>, usize),
}

pub struct Stub {
    pub url: String,
}

/// Serve `handler(path_and_query)` for every request until the test process ends.
pub fn serve(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Stub {
    serve_with_head(move |path, _head| handler(path))
}

/// Serve `handler(path_and_query, request_head)`: for tests of the headers bbreport sends.
pub fn serve_with_head(handler: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> Stub {
    serve_listener(TcpListener::bind("127.0.0.1:0").expect("bind"), handler)
}

/// Serve on an already bound listener (e.g. a port that refused connections until now).
pub fn serve_listener(
    listener: TcpListener,
    handler: impl Fn(&str, &str) -> Reply + Send + Sync + 'static,
) -> Stub {
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = Arc::clone(&handler);
            thread::spawn(move || answer(stream, &*handler));
        }
    });
    Stub { url }
}

fn answer(mut stream: TcpStream, handler: &(dyn Fn(&str, &str) -> Reply + Send + Sync)) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (code, ctype, body, gzip) = match handler(&path, &head) {
        Reply::Stall => {
            thread::sleep(Duration::from_secs(30));
            return;
        }
        Reply::Partial(body, declared) => {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(&body);
            return;
        }
        Reply::Body(code, ctype, body) => (code, ctype, body, false),
        Reply::Gzip(body) => (200, "application/json", body, true),
    };
    let enc = if gzip {
        "Content-Encoding: gzip\r\n"
    } else {
        ""
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {code} X\r\nContent-Type: {ctype}\r\n{enc}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

pub fn json(body: &str) -> Reply {
    Reply::Body(200, "application/json", body.as_bytes().to_vec())
}

/// A master with `n` active builders on branch 3.x, all on one connected worker.
pub fn fleet_pages(n: u32) -> (String, String) {
    let builders: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"builderid":{i},"name":"Builder{i} 3.x","masterids":[1],"tags":["3.x","stable","tier-1"]}}"#))
        .collect();
    let configured: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"builderid":{i},"masterid":1}}"#))
        .collect();
    (
        format!(
            r#"{{"builders":[{}],"meta":{{"total":{n}}}}}"#,
            builders.join(",")
        ),
        format!(
            r#"{{"workers":[{{"workerid":1,"name":"w","connected_to":[{{"masterid":1}}],"configured_on":[{}],"paused":false}}],"meta":{{"total":1}}}}"#,
            configured.join(",")
        ),
    )
}

pub fn one_build(builderid: u32) -> String {
    format!(
        r#"{{"builds":[{{"buildid":{builderid},"builderid":{builderid},"number":1,"results":0,"complete":true,"started_at":1,"complete_at":2,"state_string":"build successful"}}],"meta":{{"total":1}}}}"#
    )
}

/// `GET /config` as a Buildbot 4.3.0 master answers it (recorded from the harness's master):
/// the version `--stats` names.
pub fn config_4_3() -> Reply {
    let path = format!(
        "{}/tests/fixtures/buildbot-4.3.0/config.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Reply::Body(200, "application/json", body)
}

/// A Buildbot 4.3 master whose builders and workers answer (a 3-builder fleet), whose
/// `/config` names its version, and whose every other endpoint answers `builds()`: a fault, a
/// delay, a build.
pub fn master_with_builds(builds: impl Fn() -> Reply + Send + Sync + 'static) -> String {
    let (builders, workers) = fleet_pages(3);
    serve(move |path| {
        if path == "/config" {
            config_4_3()
        } else if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else {
            builds()
        }
    })
    .url
}
