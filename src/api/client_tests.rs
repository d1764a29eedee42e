//! Unit tests of `client.rs` (kept apart: they are as long as the code).

use super::*;

#[test]
fn credentials_in_the_url_are_refused_without_being_repeated() {
    let err = ServerUrl::parse("http://alice:s3cret@example.org/all/").expect_err("userinfo");
    assert!(!err.contains("s3cret") && !err.contains("alice"), "{err}");
    assert!(
        err.contains("http://example.org/all/") && err.contains("BBREPORT_TOKEN"),
        "{err}"
    );
    let err = ServerUrl::parse("ftp://bob:pw@example.org/").expect_err("scheme");
    assert!(
        !err.contains("pw") && err.contains("ftp://***@example.org/"),
        "{err}"
    );
}

#[test]
fn server_url_accepts_ui_and_api_roots() {
    for input in [
        "https://buildbot.python.org/all/",
        "https://buildbot.python.org/all",
        "https://buildbot.python.org/all/#/release_status",
        "https://buildbot.python.org/all/api/v2",
        "https://buildbot.python.org/all/api/v2/",
    ] {
        let url = ServerUrl::parse(input).expect(input);
        assert_eq!(
            url.api_url("builders"),
            "https://buildbot.python.org/all/api/v2/builders",
            "{input}"
        );
    }
    assert_eq!(
        ServerUrl::parse("http://127.0.0.1:8010")
            .expect("url")
            .root(),
        "http://127.0.0.1:8010/"
    );
}

#[test]
fn server_url_rejects_non_http() {
    assert!(ServerUrl::parse("buildbot.python.org").is_err());
    assert!(ServerUrl::parse("ftp://x/").is_err());
}

#[test]
fn html_pages_are_recognised_with_their_title() {
    let page = b"\n<html><head><title>504 Gateway Time-out</title></head></html>";
    assert!(looks_like_html(page));
    assert_eq!(html_title(page).as_deref(), Some("504 Gateway Time-out"));
    assert!(!looks_like_html(br#"{"builds": []}"#));
}

#[test]
fn buildbot_error_body_is_read() {
    assert_eq!(
        buildbot_error(br#"{"error": "invalid limit"}"#).as_deref(),
        Some("invalid limit")
    );
    assert_eq!(buildbot_error(b"oops"), None);
}
