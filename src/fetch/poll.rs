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
#[derive(Default)]
pub struct Outage<'a> {
    out: Option<String>,
    /// What the note that the server answers again starts with (`watch`: the time).
    stamp: Option<Box<dyn Fn() -> String + Send + Sync + 'a>>,
}

impl<'a> Outage<'a> {
    /// An outage whose end is noted after `stamp()` (e.g. the time, as `watch` prints it).
    pub fn stamped(stamp: impl Fn() -> String + Send + Sync + 'a) -> Outage<'a> {
        Outage {
            out: None,
            stamp: Some(Box::new(stamp)),
        }
    }

    /// A poll failed with `error`: warn unless this outage was already reported.
    pub fn failed(&mut self, error: &str, interval: Duration) {
        if self.out.is_none() {
            crate::stderr::warn(&format!(
                "{error}; trying again every {} s",
                interval.as_secs()
            ));
        }
        self.out = Some(error.to_string());
    }

    /// A poll succeeded: say so if the server had been out.
    pub fn answered(&mut self) {
        if self.out.take().is_some() {
            let note = match &self.stamp {
                Some(stamp) => format!("{} the server answers again", stamp()),
                None => "the server answers again".to_string(),
            };
            crate::stderr::note(&note);
        }
    }
}

/// Poll every `interval` until `land` has the answer: each round, `poll` reads a fresh round of
/// the live source; a usage error ends it (it will not heal), other errors are an outage
/// (`outage` says it once, and when the server answers again) polled through. `land` gets
/// each reading (and the round's source, for what it reads next): `Some(answer)` ends the
/// polling, `None` polls again after the pause, an error ends it. Ctrl-C, during a read or
/// the pause, ends it with `Ok(None)`.
pub async fn until<R, T>(
    live: &super::Live,
    interval: Duration,
    outage: &mut Outage<'_>,
    mut poll: impl AsyncFnMut(&super::Source) -> Result<R, crate::error::Error>,
    mut land: impl AsyncFnMut(R, &super::Source) -> Result<Option<T>, crate::error::Error>,
) -> Result<Option<T>, crate::error::Error> {
    loop {
        let round = super::Source::Live(live.fresh_round());
        let Some(result) = or_interrupted(poll(&round)).await else {
            return Ok(None);
        };
        match result {
            Ok(reading) => {
                outage.answered();
                match or_interrupted(land(reading, &round)).await {
                    None => return Ok(None),
                    Some(Ok(Some(answer))) => return Ok(Some(answer)),
                    Some(Ok(None)) => {}
                    Some(Err(e)) => return Err(e),
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

/// [`until`] for a report polled whole: `done` says when it is final; `landed` sees every
/// reading (to say what changed). `Ok(None)`: Ctrl-C.
pub async fn until_done<R>(
    live: &super::Live,
    interval: Duration,
    poll: impl AsyncFnMut(&super::Source) -> Result<R, crate::error::Error>,
    done: impl Fn(&R) -> bool,
    mut landed: impl FnMut(&R),
) -> Result<Option<R>, crate::error::Error> {
    until(
        live,
        interval,
        &mut Outage::default(),
        poll,
        async |r: R, _: &super::Source| {
            landed(&r);
            Ok(done(&r).then_some(r))
        },
    )
    .await
}
