//! Credentials for masters that require login, sent as the master expects and never shown.
//!
//! Buildbot's own authentication (`UserPasswordAuth`, `HTPasswdAuth`) logs in with HTTP Basic
//! on `auth/login` and then knows the client by its `TWISTED_SESSION` cookie; the REST API
//! itself ignores an `Authorization` header. A master behind an authenticating proxy wants a
//! bearer token on every request instead. So a token `user:password` means Buildbot's login,
//! anything else a bearer token.

use std::fmt;

use serde::Deserialize;

/// A string that `Debug` never prints (config structs and clients derive `Debug`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// Buildbot's login: Basic credentials on `auth/login`, then the session cookie.
    Login { user: String, password: Secret },
    /// `Authorization: Bearer …` on every request (an authenticating proxy).
    Bearer(Secret),
}

impl Auth {
    pub fn from_token(token: &Secret) -> Auth {
        match token.expose().split_once(':') {
            Some((user, password)) if !user.is_empty() => Auth::Login {
                user: user.to_string(),
                password: Secret::new(password),
            },
            _ => Auth::Bearer(token.clone()),
        }
    }
}

/// The value of the last `TWISTED_SESSION` cookie among `Set-Cookie` headers (Buildbot sets an
/// anonymous session first, then the logged-in one).
pub fn session_cookie<'a>(set_cookies: impl Iterator<Item = &'a str>) -> Option<String> {
    set_cookies
        .filter_map(|c| c.split(';').next())
        .map(str::trim)
        .filter(|c| c.starts_with("TWISTED_SESSION"))
        .last()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colon_means_buildbot_login_else_bearer() {
        assert_eq!(
            Auth::from_token(&Secret::new("rm:pa:ss")),
            Auth::Login {
                user: "rm".into(),
                password: Secret::new("pa:ss")
            }
        );
        assert_eq!(
            Auth::from_token(&Secret::new("eyJhbGci.x.y")),
            Auth::Bearer(Secret::new("eyJhbGci.x.y"))
        );
        assert!(matches!(
            Auth::from_token(&Secret::new(":x")),
            Auth::Bearer(_)
        ));
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let a = Auth::from_token(&Secret::new("rm:hunter2"));
        assert!(!format!("{a:?}").contains("hunter2"));
    }

    #[test]
    fn the_logged_in_session_cookie_wins() {
        let headers = [
            "TWISTED_SESSION=anon; Path=/",
            "other=1",
            "TWISTED_SESSION=user; Path=/",
        ];
        assert_eq!(
            session_cookie(headers.iter().copied()).as_deref(),
            Some("TWISTED_SESSION=user")
        );
    }
}
