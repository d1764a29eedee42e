//! Throughput of the regrtest log parser, as a ratio to the cheapest possible pass.
//!
//! Builds a ≥ 64 MB log by repeating the real regrtest output captured in tests/fixtures/logs,
//! then times, in this process, (a) the reference: splitting it into lines with memchr and
//! counting them, and (b) `bbreport::model::regrtest::parse`. Run: `cargo bench --bench
//! parse_log`. (`cargo test --all-targets` would build it and return at once; scripts/test.sh builds it.)

use std::time::Instant;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return; // run by `cargo test`: nothing to measure in a debug build
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/logs");
    let mut unit = Vec::new();
    for name in [
        "pass.txt",
        "fail.txt",
        "flaky.txt",
        "timeout.txt",
        "crash.txt",
        "diskfull.txt",
    ] {
        unit.extend(std::fs::read(format!("{dir}/{name}")).expect("fixture log"));
    }
    let target = 64 << 20;
    let mut log = Vec::with_capacity(target + unit.len());
    while log.len() < target {
        log.extend_from_slice(&unit);
    }
    let mb = log.len() as f64 / (1 << 20) as f64;

    let runs = 5;
    let best = |f: &dyn Fn() -> usize| -> (f64, usize) {
        let mut best = f64::MAX;
        let mut out = 0;
        for _ in 0..runs {
            let t = Instant::now();
            out = std::hint::black_box(f());
            best = best.min(t.elapsed().as_secs_f64());
        }
        (best, out)
    };
    let (t_ref, lines) = best(&|| memchr::memchr_iter(b'\n', &log).count());
    let (t_parse, parsed) = best(&|| bbreport::model::regrtest::parse(&log).lines as usize);
    assert_eq!(parsed, lines + 1, "the parser saw every line");
    let summary = bbreport::model::regrtest::parse(&log);
    assert_eq!(summary.infrastructure, ["No space left on device"]);

    println!("log: {mb:.1} MiB, {lines} lines (real regrtest output repeated), best of {runs}");
    println!("reference (memchr line split): {:>8.0} MiB/s", mb / t_ref);
    println!("regrtest parser:               {:>8.0} MiB/s", mb / t_parse);
    println!("parser / reference time:       {:>8.1}x", t_parse / t_ref);
}
