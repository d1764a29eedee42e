use super::*;
use crate::model::regrtest::parse;

/// A finished run whose summary block is long enough to be cut by small pieces.
const RUN: &str = "\
+ ./python -m test -j2 --randseed=42
Using random seed: 42
0:00:00 Run 4 tests in parallel using 2 worker processes
0:00:01 [1/4] test_a passed
0:00:02 [2/4/1] test_b failed (1 failure)
0:00:03 [3/4/1] test_c passed
0:00:04 [4/4/2] test_d failed (2 errors)

== Tests result: FAILURE ==

2 tests failed:
    test_b
    test_d

2 tests OK.

Total duration: 4.0 sec
Total tests: run=10 failures=1
Total test files: run=4/4 failed=2
Result: FAILURE
";

#[test]
fn any_cut_of_the_file_reads_as_the_whole_does() {
    let whole = parse(RUN.as_bytes());
    assert_eq!(whole.failed, ["test_b", "test_d"]);
    assert!(!whole.rebuilt_from_events);
    for size in [1, 2, 3, 7, 64, RUN.len()] {
        let mut p = LogFileParser::default();
        for piece in RUN.as_bytes().chunks(size) {
            p.push(piece);
        }
        assert_eq!(p.bytes(), RUN.len() as u64);
        let s = p.finish();
        // `parse` counts an empty line after the last newline; the file has 20 lines.
        assert_eq!(s.lines, 20);
        assert_eq!(
            s,
            LogSummary {
                lines: 20,
                ..whole.clone()
            },
            "pieces of {size} bytes"
        );
    }
}

#[test]
fn a_byte_order_mark_and_github_timestamps_are_not_part_of_the_log() {
    let stamped: String = RUN
        .lines()
        .map(|l| format!("2024-05-01T12:00:00.1234567Z {l}\n"))
        .collect();
    let with_mark = format!("\u{feff}{stamped}");
    let mut p = LogFileParser::default();
    // The mark split over two pieces, as a pipe may deliver it.
    let (a, b) = with_mark.as_bytes().split_at(2);
    p.push(a);
    p.push(b);
    let s = p.finish();
    let plain = parse(RUN.as_bytes());
    assert_eq!(
        (
            &s.command,
            s.seed,
            &s.failed,
            &s.result,
            s.rebuilt_from_events
        ),
        (
            &plain.command,
            plain.seed,
            &plain.failed,
            &plain.result,
            false
        )
    );
}

#[test]
fn a_line_without_end_is_parsed_in_bounded_pieces() {
    let mut p = LogFileParser::default();
    let garbage = vec![b'x'; 3 * MAX_LINE_BYTES + 5];
    p.push(&garbage);
    assert!(p.pending.len() <= MAX_LINE_BYTES);
    p.push(b"\n[1/1] test_a failed\n");
    let s = p.finish();
    assert_eq!(s.failed, ["test_a"]);
    assert_eq!(
        s.lines, 5,
        "three whole pieces, the rest of that line, the test's"
    );
}

#[test]
fn only_regrtest_output_counts_as_a_regrtest_log() {
    assert!(shows_regrtest(&parse(RUN.as_bytes())));
    for not_a_test_log in [
        &b""[..],
        b"\n\n",
        b"gcc -c -o Objects/longobject.o Objects/longobject.c\nmake: Nothing to be done\n",
        b"Traceback (most recent call last):\nValueError: not a test run\n",
        &[0u8, 159, 146, 150, 255, 0, 10, 1, 2],
    ] {
        assert!(
            !shows_regrtest(&parse_file(not_a_test_log)),
            "{not_a_test_log:?}"
        );
    }
    // Buildbot's own kill, before regrtest printed anything, is something to report.
    assert!(shows_regrtest(&parse_file(
        b"command timed out: 1200 seconds without output running [b'make', b'buildbottest']\n"
    )));
}

#[test]
fn the_header_names_the_revision_built() {
    let rev = |line: &str| header_revision(&[line.to_string()]);
    assert_eq!(
        rev("CPython 3.14.0a6+ (heads/main:26511993e63, Mar 15 2025, 00:00:15) [GCC 10.5.0]")
            .as_deref(),
        Some("26511993e63")
    );
    assert_eq!(
        rev("CPython 3.12.0 (tags/v3.12.0:0fb18b02c8, Oct  2 2023, 13:03:39) [MSC v.1935]")
            .as_deref(),
        Some("0fb18b02c8")
    );
    for none in [
        "CPython 3.13.0 (main, Oct  8 2024, 00:00:00) [GCC 14.2.1]",
        "CPython 3.13.0 (heads/main:not-hex, Oct  8 2024)",
        "Linux-6.10.3-x86_64-with-glibc2.39 little-endian",
    ] {
        assert_eq!(rev(none), None, "{none}");
    }
}
