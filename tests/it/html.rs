//! `--format html`: one self-contained page per report, inline styles only, no scripts, and
//! server strings shown as text however hostile. (The pages were also rendered in Debian's
//! headless Chromium and looked at: scripts/html-screenshots.sh.)

use crate::common::stub::{json, serve};
use crate::common::*;

fn assert_page(html: &str, what: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{what}: {html}");
    assert!(html.ends_with("</body></html>\n"), "{what}");
    for banned in ["<script", "<style", "<link", "\u{1b}", "<iframe", "<img"] {
        assert!(!html.contains(banned), "{what} contains {banned:?}");
    }
    // No event-handler attribute inside any tag.
    for tag in html.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        assert!(
            !tag.split_whitespace().skip(1).any(|a| a.starts_with("on")),
            "{what}: <{tag}>"
        );
    }
}

#[test]
fn every_report_is_a_page() {
    let snap = fixture_snapshot();
    let snap = snap.to_str().expect("utf-8 path");
    for args in [
        &["-q", "3.x"][..],
        &["-v", "3.14"],
        &["release"],
        &["release", "--rule", "dashboard"],
        &["waterfall", "3.x"],
        &["console", "3.x"],
    ] {
        let o = bbreport(&[&["--snapshot", snap, "--format", "html"][..], args].concat());
        assert!(matches!(code(&o), 0 | 10..=12), "{args:?}: {}", stderr(&o));
        let html = stdout(&o);
        assert_page(&html, &format!("{args:?}"));
        assert!(html.contains("<table style=\"border-collapse"), "{args:?}");
    }
    let release = stdout(&bbreport(&[
        "--snapshot",
        snap,
        "--format",
        "html",
        "release",
    ]));
    assert!(
        release.contains("color:#cf222e;font-weight:600\">✘ Unreleasable</td>"),
        "the verdict carries its colour"
    );
}

#[test]
fn hostile_server_strings_are_text() {
    let name =
        "Evil <script>alert(1)</script> \u{1b}]52;c;QUFBQQ==\u{7}\u{1b}[2J [x](javascript:y) 3.x";
    let builders = serde_json::json!({"builders": [{"builderid": 1, "name": name,
        "masterids": [1], "tags": ["3.x", "stable", "tier-1"]}], "meta": {"total": 1}})
    .to_string();
    let workers = serde_json::json!({"workers": [{"workerid": 1, "name": "w",
        "connected_to": [{"masterid": 1}], "configured_on": [{"builderid": 1, "masterid": 1}],
        "paused": false}], "meta": {"total": 1}})
    .to_string();
    let builds = serde_json::json!({"builds": [{"buildid": 1, "builderid": 1, "number": 1,
        "results": 2, "complete": true, "started_at": 1, "complete_at": 2,
        "state_string": "failed <img src=x onerror=alert(2)> test"}], "meta": {"total": 1}})
    .to_string();
    let url = serve(move |path| {
        if path.starts_with("/api/v2/builders") {
            json(&builders)
        } else if path.starts_with("/api/v2/workers") {
            json(&workers)
        } else {
            json(&builds)
        }
    })
    .url;
    let o = bbreport(&["--server", &url, "--format", "html", "-q", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = stdout(&o);
    assert_page(&html, "hostile");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
    assert!(!html.contains("href=\"javascript"), "{html}");
}
