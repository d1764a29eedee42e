//! Errors of the fetch layer: always the URL, and what went wrong in words a user can act on.

use std::fmt;

#[derive(Debug, thiserror::Error)]
#[error("{kind} ({})", short_url(url))]
pub struct ApiError {
    pub url: String,
    pub kind: ApiErrorKind,
}

/// Bulk queries carry hundreds of `builderid__eq=` terms; a message shows the start of the
/// query and how much was left out, enough to recognise the request.
pub fn short_url(url: &str) -> String {
    const KEEP: usize = 100;
    if url.len() <= KEEP + 20 {
        return url.to_string();
    }
    let mut cut = KEEP;
    while !url.is_char_boundary(cut) {
        cut -= 1;
    }
    let terms = url[cut..].matches('&').count();
    format!("{}… ({terms} more query terms)", &url[..cut])
}

#[derive(Debug)]
pub enum ApiErrorKind {
    /// No TCP/TLS connection: DNS, unreachable, TLS handshake.
    Connect(String),
    /// The TLS handshake failed or never completed (often `https://` for a plain-HTTP port).
    Tls(String),
    /// The host answered that nothing listens there (a master restarting, or a wrong port).
    Refused(String),
    /// No complete answer within the timeout.
    Timeout,
    /// The connection broke while reading the body, or the gzip stream was truncated.
    Body(String),
    /// An HTTP error status; `message` is Buildbot's `{"error": …}` text or the page's title.
    Status { code: u16, message: Option<String> },
    /// A 2xx answer that is an HTML page (a proxy's error or login page, or a non-API URL).
    Html { code: u16, title: Option<String> },
    /// A 2xx answer whose JSON is malformed or does not have the expected shape.
    Json(String),
    /// `--offline` and the cache does not hold it; no request was made.
    NotCached,
    /// A snapshot run (`--snapshot DIR`) and the snapshot did not record it: it records the
    /// steps and test logs of failed, warnings and exception builds only (format 2 on).
    NotRecorded,
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiErrorKind::Connect(cause) | ApiErrorKind::Refused(cause) => {
                write!(f, "cannot connect: {cause}")
            }
            ApiErrorKind::Tls(cause) => write!(f, "TLS handshake failed: {cause}"),
            ApiErrorKind::Timeout => write!(f, "timed out waiting for the server"),
            ApiErrorKind::Body(cause) => {
                write!(f, "connection broke while reading the response: {cause}")
            }
            ApiErrorKind::Status {
                code,
                message: Some(m),
            } => write!(f, "HTTP {code}: {m}"),
            ApiErrorKind::Status {
                code,
                message: None,
            } => write!(f, "HTTP {code}"),
            ApiErrorKind::Html { code, title } => match title {
                Some(t) => write!(f, "expected JSON, got an HTML page (HTTP {code}, \"{t}\")"),
                None => write!(f, "expected JSON, got an HTML page (HTTP {code})"),
            },
            ApiErrorKind::Json(cause) => write!(f, "malformed JSON: {cause}"),
            ApiErrorKind::NotCached => write!(f, "not in the cache (--offline)"),
            ApiErrorKind::NotRecorded => write!(f, "not recorded in the snapshot"),
        }
    }
}

impl ApiError {
    /// Network-level failures (exit code NETWORK) as opposed to bad answers (exit code SERVER).
    pub fn is_network(&self) -> bool {
        matches!(
            self.kind,
            ApiErrorKind::Connect(_)
                | ApiErrorKind::Tls(_)
                | ApiErrorKind::Refused(_)
                | ApiErrorKind::Timeout
                | ApiErrorKind::Body(_)
        )
    }

    /// Local data cannot answer: `--offline` asked for something the cache does not hold, or
    /// a snapshot run for something the snapshot did not record.
    pub fn is_not_cached(&self) -> bool {
        matches!(
            self.kind,
            ApiErrorKind::NotCached | ApiErrorKind::NotRecorded
        )
    }

    /// Worth asking again after a pause: a response cut short, a gateway/unavailable answer,
    /// a refused connection (a master restarting). Not a timeout (the deadline is spent), not
    /// DNS failures or TLS errors (they do not heal in seconds), not a bad answer.
    pub fn is_transient(&self) -> bool {
        match &self.kind {
            ApiErrorKind::Body(_) => true,
            ApiErrorKind::Status { code, .. } | ApiErrorKind::Html { code, .. } => {
                matches!(code, 502..=504)
            }
            ApiErrorKind::Refused(_) => true,
            ApiErrorKind::Connect(_) | ApiErrorKind::Tls(_) => false,
            ApiErrorKind::Timeout
            | ApiErrorKind::Json(_)
            | ApiErrorKind::NotCached
            | ApiErrorKind::NotRecorded => false,
        }
    }

    pub fn hint(&self) -> String {
        match &self.kind {
            ApiErrorKind::Connect(_) | ApiErrorKind::Refused(_) => {
                "check the server URL (--server, BBREPORT_SERVER or the config file) and your network; \
                 --snapshot DIR works offline"
                    .into()
            }
            ApiErrorKind::Tls(_) => {
                "if the master serves plain HTTP on that port, use http:// in --server; otherwise \
                 check its certificate"
                    .into()
            }
            ApiErrorKind::Status { code: 502..=504, .. }
            | ApiErrorKind::Html {
                code: 502..=504, ..
            } => "the master or the proxy in front of it is overloaded or restarting; try again in a \
                  minute, or use --offline to read the local cache"
                .into(),
            ApiErrorKind::Timeout | ApiErrorKind::Body(_) => {
                "the master may be busy; try again, or raise --timeout".into()
            }
            ApiErrorKind::Status {
                code: 401 | 403, ..
            } => {
                "the master wants a login: set BBREPORT_TOKEN (or the config's `token`) to \
                 user:password for Buildbot's own login, or to a bearer token for a proxy in front"
                    .into()
            }
            ApiErrorKind::Status { code: 404, .. } | ApiErrorKind::Html { .. } => {
                "the URL may not be a Buildbot master's root (e.g. https://buildbot.python.org/all/); \
                 check --server"
                    .into()
            }
            ApiErrorKind::Status { code, .. } if *code >= 500 => {
                "the master or its proxy failed; try again later".into()
            }
            ApiErrorKind::Status { .. } => {
                "the master rejected the request; it may be an unsupported Buildbot version (bbreport needs 3.x or 4.x)"
                    .into()
            }
            ApiErrorKind::Json(_) => {
                "the answer is not Buildbot data API v2; check --server, or try again if a proxy cut it"
                    .into()
            }
            ApiErrorKind::NotCached => {
                "run the same command once without --offline to fill the cache (`bbreport cache info` shows what it holds)"
                    .into()
            }
            ApiErrorKind::NotRecorded => {
                "a snapshot records the steps and the head and tail of the test log of failed, \
                 warnings and exception builds (and short test logs whole); run the command \
                 against the server (--server URL) for the rest"
                    .into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_urls_are_shortened_in_messages() {
        let long = format!(
            "http://h/api/v2/builds?{}order=-buildid",
            "builderid__eq=1234&".repeat(300)
        );
        let short = short_url(&long);
        assert!(short.len() < 160, "{short}");
        assert!(short.starts_with("http://h/api/v2/builds?builderid__eq=1234&"));
        assert!(short.ends_with("more query terms)"), "{short}");
        assert_eq!(
            short_url("http://h/api/v2/builders"),
            "http://h/api/v2/builders"
        );
    }
}
