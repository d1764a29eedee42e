//! Everything bbreport writes to stderr: warnings, notes, and the progress line.
//!
//! stderr is one process-wide stream, so this is process-wide state, set once by
//! [`configure`]. The progress line (a spinner with request counts) appears only when stderr is
//! a terminal, not with `--no-progress`, and only once a fetch has lasted long enough to notice
//! (`SHOW_AFTER`); warnings printed while it is up are written above it, and it is cleared
//! before the report goes to stdout.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Fetches shorter than this never show a progress line (no flicker on a fast master).
const SHOW_AFTER: Duration = Duration::from_millis(400);

struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
    done: AtomicU64,
    in_flight: AtomicU64,
    bytes: AtomicU64,
    server: String,
    /// A counted task of the run (`test logs read: 12/40`), shown before the request counts.
    task: Mutex<Option<String>>,
}

static PROGRESS: OnceLock<Mutex<Option<Progress>>> = OnceLock::new();

/// Decide once: `progress` when stderr is a terminal and not `--no-progress`.
pub fn configure(progress: bool, server: &str) {
    let state = progress.then(|| Progress {
        bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
        started: Instant::now(),
        shown: AtomicBool::new(false),
        done: AtomicU64::new(0),
        in_flight: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        server: server.to_string(),
        task: Mutex::new(None),
    });
    let _ = PROGRESS.set(Mutex::new(state));
}

fn with_progress(f: impl FnOnce(&Progress)) {
    if let Some(Ok(guard)) = PROGRESS.get().map(Mutex::lock)
        && let Some(p) = guard.as_ref()
    {
        f(p);
    }
}

/// A request is about to be sent.
pub fn request_started() {
    with_progress(|p| {
        p.in_flight.fetch_add(1, Ordering::Relaxed);
        update(p);
    });
}

/// A request finished (successfully or not) after receiving `bytes` on the wire.
pub fn request_finished(bytes: u64) {
    with_progress(|p| {
        p.in_flight.fetch_sub(1, Ordering::Relaxed);
        p.done.fetch_add(1, Ordering::Relaxed);
        p.bytes.fetch_add(bytes, Ordering::Relaxed);
        update(p);
    });
}

fn update(p: &Progress) {
    if !p.shown.load(Ordering::Relaxed) {
        if p.started.elapsed() < SHOW_AFTER {
            return;
        }
        p.shown.store(true, Ordering::Relaxed);
        p.bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            p.bar.set_style(style);
        }
        p.bar.enable_steady_tick(Duration::from_millis(120));
    }
    let task = p
        .task
        .lock()
        .ok()
        .and_then(|t| t.clone())
        .map_or_else(String::new, |t| format!("{t}; "));
    p.bar.set_message(format!(
        "{task}fetching from {}: {} requests done, {} in flight, {} KiB",
        p.server,
        p.done.load(Ordering::Relaxed),
        p.in_flight.load(Ordering::Relaxed),
        p.bytes.load(Ordering::Relaxed) / 1024
    ));
}

/// A counted task's progress (`what: done/total`), on the progress line; it also shows when
/// the answers come from the cache without a request.
pub fn task_progress(what: &str, done: usize, total: usize) {
    with_progress(|p| {
        if let Ok(mut t) = p.task.lock() {
            *t = Some(format!("{what}: {done}/{total}"));
        }
        update(p);
    });
}

/// Remove the progress line for good (before the report is written).
pub fn clear_progress() {
    if let Some(Ok(mut guard)) = PROGRESS.get().map(Mutex::lock)
        && let Some(p) = guard.take()
    {
        p.bar.finish_and_clear();
    }
}

/// One line on stderr, above the progress line when there is one.
pub fn line(text: &str) {
    let mut printed = false;
    with_progress(|p| {
        if p.shown.load(Ordering::Relaxed) {
            p.bar.suspend(|| eprintln!("{text}"));
            printed = true;
        }
    });
    if !printed {
        eprintln!("{text}");
    }
}

/// `bbreport: warning: …` (always shown: warnings explain exit codes and missing data).
pub fn warn(text: &str) {
    line(&format!("bbreport: warning: {text}"));
}

/// `bbreport: …`, informational.
pub fn note(text: &str) {
    line(&format!("bbreport: {text}"));
}
