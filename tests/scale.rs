//! Scale: a 200 MB regrtest log goes through the parser page by page (as `build --full-log`
//! reads it) in bounded memory. Its own test binary, so the process's peak RSS is this test's.

use bbreport::model::regrtest::{Parser, feed_stdio_chunk};

/// Peak resident set size of this process so far, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmHWM")
}

#[test]
fn a_200_mb_log_is_parsed_in_bounded_memory() {
    let real = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logs/fail.txt"
    ))
    .expect("fixture");
    // One /contents page of about 2 MB: the real failing log, repeated, stdout-prefixed.
    let mut page = String::new();
    while page.len() < 2 << 20 {
        for line in real.lines() {
            page.push('o');
            page.push_str(line);
            page.push('\n');
        }
    }
    let before = peak_rss_kib();
    let mut parser = Parser::default();
    let mut fed = 0usize;
    while fed < 200 << 20 {
        feed_stdio_chunk(&mut parser, &page);
        fed += page.len();
    }
    let summary = parser.finish();
    let grown = peak_rss_kib().saturating_sub(before);
    assert!(
        grown < 32 * 1024,
        "peak RSS grew by {grown} KiB while parsing {} MiB",
        fed >> 20
    );
    // The log's content was seen: the repeated failure is reported, and once.
    assert!(
        summary.failed.iter().any(|t| t.contains("test_bbr_broken")),
        "{:?}",
        summary.failed
    );
    assert_eq!(
        summary.failed.len(),
        summary
            .failed
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
}
