//! A master that requires login (the harness's `auth` fleet: Buildbot's own UserPasswordAuth
//! and an authz rule denying anonymous reads): the token is sent as the master expects, and it
//! never shows up in output, request logs or the cache.

use std::path::Path;

use crate::common::*;

struct AuthMaster {
    server: String,
    token: String,
    password: String,
}

fn auth_master() -> AuthMaster {
    let path = std::env::var("BBREPORT_TEST_AUTH_MANIFEST").expect(
        "BBREPORT_TEST_AUTH_MANIFEST is not set: run scripts/test.sh, which starts the masters",
    );
    let text = std::fs::read_to_string(Path::new(&path)).expect("manifest");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let user = v["auth"]["user"].as_str().expect("user").to_string();
    let password = v["auth"]["password"]
        .as_str()
        .expect("password")
        .to_string();
    AuthMaster {
        server: v["server"].as_str().expect("server").to_string(),
        token: format!("{user}:{password}"),
        password,
    }
}

fn everything_written(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).expect("cache dir").flatten() {
        all.extend(std::fs::read(entry.path()).unwrap_or_default());
    }
    all
}

#[test]
#[ignore = "needs the real Buildbot master: run scripts/test.sh"]
fn a_login_master_is_read_with_the_token_and_the_token_stays_secret() {
    let m = auth_master();
    let cache = tempfile::tempdir().expect("cache");
    let cache_dir = cache.path().to_string_lossy().to_string();
    let args = ["--server", m.server.as_str(), "--stats", "-q", "3.x"];

    let anonymous = live_env(&args, &[("BBREPORT_CACHE_DIR", &cache_dir)]);
    assert_eq!(code(&anonymous), 5, "{}", stderr(&anonymous));
    assert!(stderr(&anonymous).contains("HTTP 403: you need to have role 'readers'"));
    assert!(stderr(&anonymous).contains("hint: the master wants a login: set BBREPORT_TOKEN"));

    let wrong = format!("{}x", m.token);
    let refused = live_env(
        &args,
        &[
            ("BBREPORT_CACHE_DIR", &cache_dir),
            ("BBREPORT_TOKEN", &wrong),
        ],
    );
    assert_eq!(code(&refused), 5, "{}", stderr(&refused));
    assert!(stderr(&refused).contains("login as 'release-manager' refused"));

    let ok = live_env(
        &args,
        &[
            ("BBREPORT_CACHE_DIR", &cache_dir),
            ("BBREPORT_TOKEN", &m.token),
            ("BBREPORT_LOG_REQUESTS", "1"),
        ],
    );
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("AMD64 Fedora Stable 3.x"),
        "{}",
        stdout(&ok)
    );
    for text in [stdout(&ok), stderr(&ok)] {
        assert!(!text.contains(&m.password), "the password leaked: {text}");
        assert!(
            !text.contains("TWISTED_SESSION"),
            "the session leaked: {text}"
        );
    }
    let stored = everything_written(cache.path());
    assert!(!stored.is_empty());
    let needle = m.password.as_bytes();
    assert!(
        !stored.windows(needle.len()).any(|w| w == needle),
        "the password is in the cache"
    );
    assert!(
        !stored.windows(15).any(|w| w == b"TWISTED_SESSION"),
        "the session is in the cache"
    );

    // From the config file too.
    let home = tempfile::tempdir().expect("home");
    let config = home.path().join("config.toml");
    std::fs::write(&config, format!("token = \"{}\"\n", m.token)).expect("config");
    let from_config = live_env(
        &[
            "--config",
            config.to_str().expect("path"),
            "--no-cache",
            "--server",
            &m.server,
            "-q",
            "3.x",
        ],
        &[],
    );
    assert_eq!(code(&from_config), 0, "{}", stderr(&from_config));
}
