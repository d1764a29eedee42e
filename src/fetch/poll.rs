//! Waiting between polls, as `watch` does, for the verbs that wait for builds to finish
//! (`commit --watch`, `pr --watch`): a pause that Ctrl-C ends, and one warning per outage of the
//! server (plus a note when it answers again) rather than one per poll.

use std::future::Future;
use std::time::Duration;

/// Run `work` unless Ctrl-C comes first (`None`: interrupted).
pub async fn or_interrupted<T>(work: impl Future<Output = T>) -> Option<T> {
    tokio::select! {
        r = work => Some(r),
        _ = tokio::signal::ctrl_c() => None,
    }
}

/// Sleep `interval`; false when Ctrl-C ended the pause.
pub async fn pause(interval: Duration) -> bool {
    or_interrupted(tokio::time::sleep(interval)).await.is_some()
}

/// Whether the server is out, so each outage is said once.
#[derive(Debug, Default)]
pub struct Outage(Option<String>);

impl Outage {
    /// A poll failed with `error`: warn unless this outage was already reported.
    pub fn failed(&mut self, error: &str, interval: Duration) {
        if self.0.is_none() {
            crate::stderr::warn(&format!(
                "{error}; trying again every {} s",
                interval.as_secs()
            ));
        }
        self.0 = Some(error.to_string());
    }

    /// A poll succeeded: say so if the server had been out.
    pub fn answered(&mut self) {
        if self.0.take().is_some() {
            crate::stderr::note("the server answers again");
        }
    }
}

/// Poll with `poll` (given a fresh round of the live source each time) every `interval` until
/// `done` says the answer is final; `landed` sees every answer (to say what changed). A
/// usage error ends it (it will not heal); other errors are an outage, polled through.
/// `Ok(None)`: Ctrl-C.
pub async fn until_done<R, F, Fut>(
    live: &super::Live,
    interval: Duration,
    mut poll: F,
    done: impl Fn(&R) -> bool,
    mut landed: impl FnMut(&R),
) -> Result<Option<R>, crate::error::Error>
where
    F: FnMut(super::Source) -> Fut,
    Fut: Future<Output = Result<R, crate::error::Error>>,
{
    let mut outage = Outage::default();
    loop {
        let round = super::Source::Live(live.fresh_round());
        let Some(result) = or_interrupted(poll(round)).await else {
            return Ok(None);
        };
        match result {
            Ok(answer) => {
                outage.answered();
                landed(&answer);
                if done(&answer) {
                    return Ok(Some(answer));
                }
            }
            Err(e @ crate::error::Error::Usage { .. }) => return Err(e),
            Err(e) => outage.failed(&e.to_string(), interval),
        }
        if !pause(interval).await {
            return Ok(None);
        }
    }
}
