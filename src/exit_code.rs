//! Exit codes: the contract scripts rely on. Listed in README.md and `bbreport --help`.
//!
//! Every error type maps to one of these through an exhaustive `match` in [`crate::error`], so a
//! new failure mode has to choose its code. Codes 10 to 12 are `release` verdicts (0 is the only
//! Releasable), 13 and 14 `commit` and `pr` answers. Answers that are not errors (8, 10 to 14)
//! are returned by their command, not through [`crate::error::Error`].

/// The report was printed and every piece of data it needed was read.
pub const OK: u8 = 0;
/// An unexpected local failure (for example, stdout could not be written).
pub const INTERNAL: u8 = 1;
/// Bad command-line input: an unknown flag or value, an unknown branch, a name glob that selects
/// no builder, `release --at` a commit of another branch than those named. Also what clap uses
/// for parse errors.
pub const USAGE: u8 = 2;
/// The configuration file could not be read or is invalid.
pub const CONFIG: u8 = 3;
/// The server could not be reached: connection refused, DNS failure, timeout, reset.
pub const NETWORK: u8 = 4;
/// The server answered, but not with usable data: HTTP error status, an HTML error page,
/// malformed or unexpected JSON.
pub const SERVER: u8 = 5;
/// The report was printed, but some of its data could not be fetched (builds, or test logs
/// `--tests` asked for); what is missing is named on stderr and marked in the report.
pub const INCOMPLETE: u8 = 6;
/// Local data cannot answer: the snapshot (`--snapshot DIR`) is missing, unreadable, invalid or
/// shallower than asked, or did not record the steps or logs a command reads (`NotRecorded`;
/// a format-1 snapshot records none), or `--offline` and the cache does not hold what the
/// report needs.
pub const OFFLINE_DATA: u8 = 7;
/// `repro`: the build has no failing test to reproduce: it passed, its failures passed on
/// re-run, it failed outside its tests, or its test log is missing (without a build number:
/// none of the builder's newest builds has one). Not an error, and not a report: stdout is
/// empty and stderr says why, so a script can tell "here are the commands" from "nothing to do".
pub const NOTHING_TO_REPRODUCE: u8 = 8;
/// A local file or directory could not be read or written: the log `log FILE` reads (missing,
/// a directory, no permission, compressed), the snapshot directory (`snapshot DIR`), the cache
/// `--since-last-run` keeps its state in, a cache file `cache clear` deletes, `repro --out DIR`
/// and `log --out DIR`.
pub const LOCAL_FILES: u8 = 9;
/// `release`: some branch is Unreleasable (a release-blocking builder fails).
pub const UNRELEASABLE: u8 = 10;
/// `release`: no branch is Unreleasable or Unknown, but some branch has a Concern.
pub const CONCERN: u8 = 11;
/// `release`: some branch could not be judged (missing data, no completed builds, N/A) and
/// none is Unreleasable. Never 0: a script must not read it as Releasable.
pub const UNKNOWN: u8 = 12;

/// `commit`, `pr`: some builder fails newly (a test its previous build, or for a pull request
/// the target branch's builder of the same platform, did not fail). Pre-existing failures
/// alone exit 0.
pub const NEW_FAILURES: u8 = 13;
/// `commit`, `pr`: no new failure yet, but some builder has not finished a build of the
/// commit (or the pull request's newest head): not built yet, or building. `--watch` waits
/// instead.
pub const PENDING: u8 = 14;

/// `watch` was stopped with Ctrl-C (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// (code, meaning) rows for help text and docs, in code order.
pub const TABLE: &[(u8, &str)] = &[
    (OK, "success: the report is complete"),
    (
        INTERNAL,
        "internal error (e.g. stdout could not be written)",
    ),
    (
        USAGE,
        "usage error: bad flag or value, unknown branch, no builder selected, bad snapshot DIR",
    ),
    (CONFIG, "configuration file unreadable or invalid"),
    (
        NETWORK,
        "server unreachable: connection refused, DNS failure, timeout",
    ),
    (
        SERVER,
        "server error: HTTP error status, HTML error page, malformed JSON",
    ),
    (
        INCOMPLETE,
        "report printed, but some data could not be fetched (builds, --tests logs)",
    ),
    (
        OFFLINE_DATA,
        "offline data (--snapshot DIR, or the cache with --offline) missing or insufficient",
    ),
    (
        NOTHING_TO_REPRODUCE,
        "repro: no failing test to reproduce (stderr says why; nothing on stdout)",
    ),
    (
        LOCAL_FILES,
        "local files could not be read or written: log FILE, snapshot DIR, the cache (--since-last-run, cache clear), repro --out DIR, log --out DIR",
    ),
    (UNRELEASABLE, "release: a branch is Unreleasable"),
    (CONCERN, "release: worst verdict is Concern"),
    (
        UNKNOWN,
        "release: a branch is Unknown or N/A (data missing), none Unreleasable",
    ),
    (
        NEW_FAILURES,
        "commit, pr: a new failure (pre-existing failures alone exit 0)",
    ),
    (
        PENDING,
        "commit, pr: no new failure yet, some builder not finished (--watch waits)",
    ),
    (INTERRUPTED, "watch: stopped with Ctrl-C"),
];

/// The exit code of a release verdict (of the worst branch when several are judged).
pub fn for_verdict(v: crate::model::release::Verdict) -> u8 {
    use crate::model::release::Verdict;
    match v {
        Verdict::Releasable => OK,
        Verdict::Concern => CONCERN,
        Verdict::Unknown | Verdict::NotAvailable => UNKNOWN,
        Verdict::Unreleasable => UNRELEASABLE,
    }
}

/// The exit code of a `commit` or `pr` outcome.
pub fn for_outcome(o: crate::model::commit::Outcome) -> u8 {
    use crate::model::commit::Outcome;
    match o {
        Outcome::NoNewFailure => OK,
        Outcome::NewFailures => NEW_FAILURES,
        Outcome::Incomplete => INCOMPLETE,
        Outcome::Pending => PENDING,
    }
}

/// The exit-code table as help text, for `--help` and the man page.
pub fn help_text() -> String {
    let mut s = String::from("Exit codes:\n");
    for (code, meaning) in TABLE {
        s.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    s
}
