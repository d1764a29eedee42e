//! Property tests (bounded, run in CI): whatever a server or a log sends, bbreport's parser and
//! decoders return a value or an error, never a panic.

use proptest::prelude::*;

use bbreport::api::types::{Build, BuildersPage, BuildsPage, ChangesPage, WorkersPage};
use bbreport::model::regrtest::{parse, parse_stdio_chunks};

/// Cases per property: 512 in CI (about a second); `BBREPORT_FUZZ_CASES=N` for a longer run
/// (README, "Faults and hostile input").
fn cases() -> u32 {
    std::env::var("BBREPORT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

/// Lines that look like regrtest output, in any order and with any damage.
fn regrtest_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("== Tests result: FAILURE then SUCCESS ==".to_string()),
        Just("1 test failed:".to_string()),
        Just("2 re-run tests:".to_string()),
        Just("    test_a test_b".to_string()),
        Just("Using random seed: 123".to_string()),
        Just("Using random seed".to_string()),
        Just("0:00:01 load avg: 0.1 [1/2] test_x worker non-zero exit code (Exit code -11 (SIGSEGV))".to_string()),
        Just("0:00:01 load avg: 0.1 [".to_string()),
        Just("0:00:01 load avg: 0.1 Run 3 tests in parallel using 2 worker processes".to_string()),
        Just("test_x leaked [1, 1, 1] references, sum=3".to_string()),
        Just("test_x leaked [".to_string()),
        Just("Timeout (0:00:03)!".to_string()),
        Just("Fatal Python error: ".to_string()),
        Just("AssertionError: x".to_string()),
        Just("OSError: [Errno 28] No space left on device".to_string()),
        "[ -~]{0,80}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn parser_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let s = parse(&bytes);
        prop_assert_eq!(s.lines as usize, bytes.split(|b| *b == b'\n').count());
    }

    #[test]
    fn parser_takes_any_mix_of_regrtest_lines(lines in proptest::collection::vec(regrtest_line(), 0..60)) {
        let log = lines.join("\n");
        let s = parse(log.as_bytes());
        prop_assert!(s.excerpts.len() <= bbreport::model::regrtest::MAX_EXCERPTS);
        // Passed-on-re-run never lists a test that is still failing.
        prop_assert!(s.passed_on_rerun.iter().all(|t| !s.failed.contains(t)));
        // The stdio form (stream letter first) reads the same text.
        let prefixed: String = lines.iter().map(|l| format!("o{l}\n")).collect();
        let t = parse_stdio_chunks([prefixed.as_str()]);
        prop_assert_eq!(t.failed, s.failed);
    }

    #[test]
    fn decoders_take_any_json(v in json_value()) {
        let text = v.to_string();
        let _ = serde_json::from_str::<BuildersPage>(&text);
        let _ = serde_json::from_str::<WorkersPage>(&text);
        let _ = serde_json::from_str::<BuildsPage>(&text);
        let _ = serde_json::from_str::<ChangesPage>(&text);
        if let Ok(b) = serde_json::from_str::<Build>(&text) {
            let _ = b.got_revision();
        }
    }

    #[test]
    fn decoders_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<BuildsPage>(&bytes);
        let _ = serde_json::from_slice::<BuildersPage>(&bytes);
    }
}

/// JSON shaped like Buildbot's answers, with wrong types, nulls and missing fields mixed in.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "[ -~]{0,12}".prop_map(serde_json::Value::from),
    ];
    let keys = prop_oneof![
        Just("builds"),
        Just("builders"),
        Just("workers"),
        Just("changes"),
        Just("buildid"),
        Just("builderid"),
        Just("number"),
        Just("results"),
        Just("complete"),
        Just("properties"),
        Just("got_revision"),
        Just("name"),
        Just("masterids"),
        Just("tags"),
        Just("connected_to"),
        Just("configured_on"),
        Just("revision"),
        Just("x"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(keys.clone().prop_map(str::to_string), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
