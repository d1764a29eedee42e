//! The HTTP client: compact JSON, gzip, a bounded number of requests in flight, and counters.

use std::io::Read as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::auth::{Auth, Secret, session_cookie};
use super::error::{ApiError, ApiErrorKind};

/// python.org's master is single-threaded: more parallel requests only queue there.
const MAX_IN_FLIGHT: usize = 4;
/// Extra attempts for a transient failure, and the pause before the first (doubling after):
/// short for a connection cut before or during the answer (Buildbot 4.3's Twisted reactor
/// resets an incoming connection now and then, seen on the harness master once a worker has
/// disconnected), longer for a proxy's 502/503/504, which needs the master to recover.
const RETRIES: u32 = 2;
/// The largest answer accepted, after decompression. bbreport's biggest queries (a bulk window
/// of 300 builders, a `--full-log` page) stay far below; a bigger answer is a misconfigured
/// URL or a hostile server, and would only grow memory.
const MAX_BODY: u64 = 256 * 1024 * 1024;
const RETRY_PAUSE_CUT: Duration = Duration::from_millis(50);
const RETRY_PAUSE_GATEWAY: Duration = Duration::from_millis(300);

/// A master's root URL, normalised so that `api_url("builders")` is its REST endpoint.
///
/// Accepts the web UI root (`https://buildbot.python.org/all/`, with or without the final
/// slash, with or without a `#/…` fragment) or the API root (`…/api/v2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    root: String,
}

impl ServerUrl {
    pub fn parse(input: &str) -> Result<ServerUrl, String> {
        let trimmed = input.trim();
        let redacted = redact_userinfo(trimmed);
        let trimmed = redacted.as_str();
        let without_fragment = trimmed.split('#').next().unwrap_or_default();
        let url = reqwest::Url::parse(without_fragment)
            .map_err(|e| format!("'{trimmed}' is not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("'{trimmed}' must start with http:// or https://"));
        }
        if url.host_str().is_none() {
            return Err(format!("'{trimmed}' has no host"));
        }
        // Credentials in the URL would end up in links, error lines and the cache file's name.
        if !url.username().is_empty() || url.password().is_some() {
            let mut shown = url.clone();
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            return Err(format!(
                "'{shown}' was given with a user name or password in it (shown without them): \
                 credentials go in BBREPORT_TOKEN=user:password or the config's `token`"
            ));
        }
        let mut root = url
            .as_str()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        for suffix in ["/api/v2/", "/api/v2", "/api/", "/api"] {
            if let Some(stripped) = root.strip_suffix(suffix) {
                root = stripped.to_string();
                break;
            }
        }
        if !root.ends_with('/') {
            root.push('/');
        }
        Ok(ServerUrl { root })
    }

    /// The web UI root, e.g. `https://buildbot.python.org/all/`.
    pub fn root(&self) -> &str {
        &self.root
    }

    pub fn api_url(&self, path_and_query: &str) -> String {
        format!("{}api/v2/{}", self.root, path_and_query)
    }

    /// Link to a builder's page in the web UI.
    pub fn builder_url(&self, builderid: u32) -> String {
        format!("{}#/builders/{builderid}", self.root)
    }

    pub fn build_url(&self, builderid: u32, number: u32) -> String {
        format!("{}#/builders/{builderid}/builds/{number}", self.root)
    }
}

/// `scheme://user:password@host…` with the user information replaced by `***`, so that a URL
/// with credentials can be named in an error without repeating them.
fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// What a run cost the server: requests, bytes on the wire, bytes of JSON, time spent waiting.
#[derive(Debug, Default)]
pub struct Stats {
    requests: AtomicU64,
    wire_bytes: AtomicU64,
    json_bytes: AtomicU64,
    wait_micros: AtomicU64,
    retries: AtomicU64,
    cache_hits: AtomicU64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StatsSnapshot {
    pub requests: u64,
    pub wire_bytes: u64,
    pub json_bytes: u64,
    pub wait_ms: u64,
    pub retries: u64,
    /// Lookups the local cache answered instead of the server.
    pub cache_hits: u64,
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            requests: self.requests.load(Ordering::Relaxed),
            wire_bytes: self.wire_bytes.load(Ordering::Relaxed),
            json_bytes: self.json_bytes.load(Ordering::Relaxed),
            wait_ms: self.wait_micros.load(Ordering::Relaxed) / 1000,
            retries: self.retries.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
        }
    }

    pub fn count_cache_hits(&self, n: u64) {
        self.cache_hits.fetch_add(n, Ordering::Relaxed);
    }
}

#[derive(Debug, Clone)]
pub struct HttpClient {
    server: ServerUrl,
    http: reqwest::Client,
    limit: Arc<Semaphore>,
    stats: Arc<Stats>,
    /// Each GET's deadline, retries included (`--timeout`).
    timeout: Duration,
    /// Credentials for a master that requires login (see `super::auth`).
    auth: Option<Arc<Auth>>,
    /// Buildbot's session cookie once logged in (`Auth::Login`), shared by every request.
    session: Arc<tokio::sync::OnceCell<String>>,
}

impl HttpClient {
    pub fn new(server: ServerUrl, timeout: Duration) -> Result<HttpClient, ApiError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("bbreport/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            // Under the request's deadline, so that a connection or TLS handshake that never
            // completes is reported as such (see `classify_send`), not as a slow answer.
            .connect_timeout((timeout * 3 / 4).min(Duration::from_secs(10)))
            .build()
            .map_err(|e| ApiError {
                url: server.root().to_string(),
                kind: ApiErrorKind::Connect(error_chain(&e)),
            })?;
        Ok(HttpClient {
            server,
            http,
            limit: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            stats: Arc::default(),
            timeout,
            auth: None,
            session: Arc::default(),
        })
    }

    /// Log in with these credentials (see `super::auth` for how each kind is sent).
    pub fn with_auth(mut self, auth: Option<Auth>) -> HttpClient {
        self.auth = auth.map(Arc::new);
        self
    }

    /// `auth/login` with Basic credentials; the `TWISTED_SESSION` cookie Buildbot sets. The
    /// redirect that follows a successful login is not followed (the cookie is on the 302).
    async fn login(&self, user: &str, password: &Secret) -> Result<String, ApiError> {
        let url = format!("{}auth/login", self.server.root());
        let err = |kind| ApiError {
            url: url.clone(),
            kind,
        };
        let client = reqwest::Client::builder()
            .user_agent(concat!("bbreport/", env!("CARGO_PKG_VERSION")))
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| err(ApiErrorKind::Connect(error_chain(&e))))?;
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let response = client
            .get(&url)
            .basic_auth(user, Some(password.expose()))
            .send()
            .await
            .map_err(|e| err(classify_send_error(&e)))?;
        let status = response.status();
        let cookie = session_cookie(
            response
                .headers()
                .get_all(reqwest::header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        );
        match cookie {
            Some(c) if status.is_success() || status.is_redirection() => Ok(c),
            _ => Err(err(ApiErrorKind::Status {
                code: status.as_u16(),
                message: Some(format!("login as '{user}' refused")),
            })),
        }
    }

    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// GET `api/v2/<path_and_query>` and decode it as `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, path_and_query: &str) -> Result<T, ApiError> {
        let body = self.get_bytes(path_and_query).await?;
        self.decode(path_and_query, &body)
    }

    /// GET `api/v2/<path_and_query>`, undecoded: for a caller that keeps the body (a cache).
    pub async fn get_bytes(&self, path_and_query: &str) -> Result<Vec<u8>, ApiError> {
        self.get_body(&self.server.api_url(path_and_query), false)
            .await
    }

    /// GET `<root><path>` outside the data API (the web UI's `config`, or the root page
    /// itself), undecoded; an HTML answer with a 2xx status is returned, not refused.
    pub async fn get_page(&self, path: &str) -> Result<Vec<u8>, ApiError> {
        self.get_body(&format!("{}{path}", self.server.root()), true)
            .await
    }

    /// Decode the body of `path_and_query` as `T`; a bad body is an error naming its URL.
    pub fn decode<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<T, ApiError> {
        serde_json::from_slice(body).map_err(|e| ApiError {
            url: self.server.api_url(path_and_query),
            kind: ApiErrorKind::Json(e.to_string()),
        })
    }

    /// GET with bounded retries inside one deadline (`--timeout` for the request, retries
    /// included): a busy master (or its proxy) sometimes cuts a response short, answers
    /// 502/503/504, or refuses a connection while it restarts; a GET is idempotent, so it is
    /// asked again, twice at most, after a pause that doubles. A retry that would end past the
    /// deadline is not made: the error says what happened instead.
    async fn get_body(&self, url: &str, page: bool) -> Result<Vec<u8>, ApiError> {
        // The deadline starts once the request may go out (at most MAX_IN_FLIGHT at a time):
        // time spent queued behind other requests is not the server's.
        let _permit = self.limit.acquire().await.map_err(|e| ApiError {
            url: url.to_string(),
            kind: ApiErrorKind::Connect(e.to_string()),
        })?;
        let deadline = Instant::now() + self.timeout;
        let mut attempt = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let attempt_started = Instant::now();
            let result = match tokio::time::timeout(remaining, self.get_body_once(url, page)).await
            {
                Ok(r) => r,
                Err(_) => Err(ApiError {
                    url: url.to_string(),
                    kind: ApiErrorKind::Timeout,
                }),
            };
            // Every attempt's wait counts (`--stats`), failed and timed-out ones too: they are
            // what a slow run spent its time on.
            self.stats.wait_micros.fetch_add(
                attempt_started.elapsed().as_micros() as u64,
                Ordering::Relaxed,
            );
            match result {
                Err(e) if attempt < RETRIES && e.is_transient() => {
                    attempt += 1;
                    let pause = match e.kind {
                        ApiErrorKind::Body(_) => RETRY_PAUSE_CUT,
                        _ => RETRY_PAUSE_GATEWAY,
                    } * attempt;
                    if Instant::now() + pause >= deadline {
                        return Err(e);
                    }
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(pause).await;
                }
                other => return other,
            }
        }
    }

    async fn get_body_once(&self, url: &str, page: bool) -> Result<Vec<u8>, ApiError> {
        crate::stderr::request_started();
        let started = Instant::now();
        let result = self.get_body_sent(url, page).await;
        crate::stderr::request_finished(result.as_ref().map_or(0, |b| b.len() as u64));
        if log_requests() {
            crate::stderr::line(&format!(
                "bbreport: GET {url} -> {} in {} ms",
                match &result {
                    Ok(body) => format!("{} bytes", body.len()),
                    Err(e) => e.kind.to_string(),
                },
                started.elapsed().as_millis()
            ));
        }
        result
    }

    async fn get_body_sent(&self, url: &str, page: bool) -> Result<Vec<u8>, ApiError> {
        let err = |kind| ApiError {
            url: url.to_string(),
            kind,
        };
        let mut request = self
            .http
            .get(url)
            // Without this Buildbot pretty-prints (35% bigger) and labels it text/plain.
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::ACCEPT_ENCODING, "gzip");
        match self.auth.as_deref() {
            None => {}
            Some(Auth::Bearer(token)) => {
                let mut value =
                    reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                        .map_err(|_| {
                        err(ApiErrorKind::Connect(
                            "the token holds characters a header cannot carry".into(),
                        ))
                    })?;
                value.set_sensitive(true);
                request = request.header(reqwest::header::AUTHORIZATION, value);
            }
            Some(Auth::Login { user, password }) => {
                let cookie = self
                    .session
                    .get_or_try_init(|| self.login(user, password))
                    .await?;
                let mut value = reqwest::header::HeaderValue::from_str(cookie)
                    .map_err(|_| err(ApiErrorKind::Json("unusable session cookie".into())))?;
                value.set_sensitive(true);
                request = request.header(reqwest::header::COOKIE, value);
            }
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let response = request.send().await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return Err(err(self.classify_send(&e).await)),
        };
        let status = response.status();
        let gzipped = response
            .headers()
            .get(reqwest::header::CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
        if response.content_length().is_some_and(|n| n > MAX_BODY) {
            return Err(err(ApiErrorKind::Json(format!(
                "the answer is larger than {} MiB, more than any query of bbreport needs",
                MAX_BODY >> 20
            ))));
        }
        let raw = response
            .bytes()
            .await
            .map_err(|e| err(classify_body_error(&e)))?;
        self.stats
            .wire_bytes
            .fetch_add(raw.len() as u64, Ordering::Relaxed);
        let body = if gzipped {
            let mut out = Vec::with_capacity(raw.len() * 8);
            // `take` bounds a gzip bomb: one byte past the limit is enough to refuse it.
            flate2::read::GzDecoder::new(&raw[..])
                .take(MAX_BODY + 1)
                .read_to_end(&mut out)
                .map_err(|e| err(ApiErrorKind::Body(format!("bad gzip stream: {e}"))))?;
            out
        } else {
            raw.to_vec()
        };
        if body.len() as u64 > MAX_BODY {
            return Err(err(ApiErrorKind::Json(format!(
                "the answer is larger than {} MiB, more than any query of bbreport needs",
                MAX_BODY >> 20
            ))));
        }
        if looks_like_html(&body) && !(page && status.is_success()) {
            return Err(err(ApiErrorKind::Html {
                code: status.as_u16(),
                title: html_title(&body),
            }));
        }
        if !status.is_success() {
            return Err(err(ApiErrorKind::Status {
                code: status.as_u16(),
                message: buildbot_error(&body),
            }));
        }
        // Only answers that are data count as JSON (`--stats`); an error page is not.
        self.stats
            .json_bytes
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        Ok(body)
    }
}

/// `BBREPORT_LOG_REQUESTS=1`: one stderr line per request (URL, size, time), for debugging
/// and for replaying a run's requests (scripts/bench.sh does).
fn log_requests() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BBREPORT_LOG_REQUESTS").is_some_and(|v| v == "1"))
}

impl HttpClient {
    /// [`classify_send_error`], and for `https://` a connection that failed or timed out before
    /// any answer is checked once more: when the port accepts a plain TCP connection, the TLS
    /// handshake is what failed (typically `https://` given for a plain-HTTP master, which waits
    /// for a request line and never answers the handshake), and the error says so.
    async fn classify_send(&self, e: &reqwest::Error) -> ApiErrorKind {
        let kind = classify_send_error(e);
        if !self.server.root().starts_with("https://") || !e.is_connect() {
            return kind;
        }
        match kind {
            ApiErrorKind::Connect(cause) if looks_like_tls(&cause) => ApiErrorKind::Tls(cause),
            ApiErrorKind::Timeout | ApiErrorKind::Connect(_) if self.accepts_tcp().await => {
                ApiErrorKind::Tls(
                    "the port accepts connections but completed no TLS handshake".into(),
                )
            }
            kind => kind,
        }
    }

    /// Whether the server's host and port accept a TCP connection within 2 s.
    async fn accepts_tcp(&self) -> bool {
        let Ok(url) = reqwest::Url::parse(self.server.root()) else {
            return false;
        };
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        matches!(
            tokio::time::timeout(
                Duration::from_secs(2),
                tokio::net::TcpStream::connect((host.as_str(), port))
            )
            .await,
            Ok(Ok(_))
        )
    }
}

/// rustls' and hyper's words for a handshake that went wrong.
fn looks_like_tls(cause: &str) -> bool {
    let c = cause.to_ascii_lowercase();
    [
        "tls",
        "handshake",
        "corrupt message",
        "invalidcontenttype",
        "certificate",
    ]
    .iter()
    .any(|w| c.contains(w))
}

fn classify_send_error(e: &reqwest::Error) -> ApiErrorKind {
    if e.is_timeout() {
        ApiErrorKind::Timeout
    } else if e.is_connect() && refused(e) {
        ApiErrorKind::Refused(error_chain(e))
    } else if e.is_connect() {
        ApiErrorKind::Connect(error_chain(e))
    } else {
        ApiErrorKind::Body(error_chain(e))
    }
}

/// Whether the OS said "connection refused" (by error kind, not by message: the wording
/// differs between systems).
fn refused(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = e.source();
    while let Some(inner) = cur {
        if let Some(io) = inner.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return true;
        }
        cur = inner.source();
    }
    false
}

fn classify_body_error(e: &reqwest::Error) -> ApiErrorKind {
    if e.is_timeout() {
        ApiErrorKind::Timeout
    } else {
        ApiErrorKind::Body(error_chain(e))
    }
}

/// The innermost causes of a reqwest error, which say what happened ("Connection refused",
/// "failed to lookup address information"); reqwest's own outer text only repeats the URL.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let text = inner.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = inner.source();
    }
    // Keep the deepest two: the most specific cause and its context.
    let keep: Vec<_> = parts.iter().rev().take(2).rev().cloned().collect();
    if keep.is_empty() {
        e.to_string()
    } else {
        keep.join(": ")
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let start: Vec<u8> = body
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(15)
        .collect();
    let lower = String::from_utf8_lossy(&start).to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.starts_with("<head")
}

fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title = text[start..end].trim();
    (!title.is_empty()).then(|| title.chars().take(80).collect())
}

/// Buildbot's error body is `{"error": "…"}` (sent as text/plain).
fn buildbot_error(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(v.get("error")?.as_str()?.chars().take(200).collect())
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
