//! Signing in: argon2id password hashes, random session tokens kept in an HttpOnly, SameSite
//! cookie (the database stores only their SHA-256), idle and absolute timeouts, CSRF tokens for
//! every form that changes something, and throttling of failed sign-ins per account and per
//! address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::http::{header, HeaderMap};
use observa_store::{AccountStore, Session};
use sha2::{Digest, Sha256};

use crate::{AppState, WebError};

pub const SESSION_COOKIE: &str = "observa_session";
/// The pre-sign-in CSRF cookie (double submit) of the sign-in form.
pub const LOGIN_CSRF_COOKIE: &str = "observa_login_csrf";
/// A session unused this long ends.
pub const IDLE: chrono::Duration = chrono::Duration::minutes(30);
/// A session ends this long after sign-in, however busy.
pub const ABSOLUTE: chrono::Duration = chrono::Duration::hours(12);

pub fn hash_password(password: &str) -> Result<String, WebError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(format!("hashing a password: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// The hash of a random password nobody knows, made once: failed sign-ins for e-mails without
/// an account are checked against it, so they take as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

/// 256 random bits, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A readable first password for `observa user add` (16 characters from an unambiguous set).
pub fn first_password() -> String {
    const SET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| SET[*b as usize % SET.len()] as char).collect()
}

/// The TOTP of a secret (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, one step of drift
/// allowed either way), as authenticator apps expect.
fn totp(secret_base32: &str) -> Option<totp_rs::TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret_base32.to_string()).to_bytes().ok()?;
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes).ok()
}

/// A new TOTP secret: 160 random bits, base32.
pub fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    match totp_rs::Secret::Raw(bytes.to_vec()).to_encoded() {
        totp_rs::Secret::Encoded(s) => s,
        totp_rs::Secret::Raw(_) => unreachable!("to_encoded encodes"),
    }
}

/// Whether `code` is the current code of the secret (or the one before or after).
pub fn totp_ok(secret_base32: &str, code: &str) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp(secret_base32).is_some_and(|t| t.check_current(&code).unwrap_or(false))
}

/// The current code of a secret (what an authenticator app shows; tests use it too).
pub fn totp_now(secret_base32: &str) -> String {
    totp(secret_base32).and_then(|t| t.generate_current().ok()).unwrap_or_default()
}

/// The `otpauth://` address an authenticator app reads (typed in, or from a QR code elsewhere).
pub fn totp_url(secret_base32: &str, email: &str) -> String {
    format!("otpauth://totp/Observa:{email}?secret={secret_base32}&issuer=Observa&algorithm=SHA1&digits=6&period=30")
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `Set-Cookie` for a value only the server reads: HttpOnly, SameSite=Lax, whole site.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>) -> String {
    let age = max_age.map_or(String::new(), |s| format!("; Max-Age={s}"));
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{age}")
}

/// The signed-in session of a request, if any and still valid; a valid one is touched, an
/// expired one is ended.
pub fn current(app: &AppState, headers: &HeaderMap) -> Result<Option<(Session, String)>, WebError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    let hash = token_hash(&token);
    let mut store = app.store.lock().expect("store lock");
    let Some(session) = store.session(&hash).map_err(internal)? else { return Ok(None) };
    let now = chrono::Utc::now();
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&chrono::Utc)).ok();
    let expired = match (parse(&session.created_at), parse(&session.last_seen)) {
        (Some(created), Some(seen)) => now - created > ABSOLUTE || now - seen > IDLE,
        _ => true,
    };
    if expired || session.account.disabled {
        store.end_session(&hash).map_err(internal)?;
        return Ok(None);
    }
    store.touch_session(&hash, &now_text()).map_err(internal)?;
    Ok(Some((session, hash)))
}

pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn internal(e: observa_store::StoreError) -> WebError {
    WebError::Internal(e.to_string())
}

/// Constant-time comparison of CSRF tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && !a.is_empty() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Failed sign-ins remembered per key (`account:<email>`, `address:<ip>`) over a window.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_ACCOUNT: usize = 5;
pub const PER_ADDRESS: usize = 20;

impl Throttle {
    /// Whether another attempt is allowed for these keys (with their limits).
    pub fn allows(&self, keys: &[(&str, usize)]) -> bool {
        let mut map = self.failures.lock().expect("throttle lock");
        keys.iter().all(|(key, limit)| {
            let list = map.entry(key.to_string()).or_default();
            list.retain(|t| t.elapsed() < WINDOW);
            list.len() < *limit
        })
    }

    pub fn fail(&self, keys: &[&str]) {
        let mut map = self.failures.lock().expect("throttle lock");
        for key in keys {
            map.entry(key.to_string()).or_default().push(Instant::now());
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().expect("throttle lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let hash = hash_password("un mot de passe").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("un mot de passe", &hash));
        assert!(!verify_password("un mot de passe ", &hash));
        assert_ne!(hash, hash_password("un mot de passe").unwrap(), "a new salt each time");
    }

    #[test]
    fn the_throttle_counts_failures_per_key() {
        let t = Throttle::default();
        for _ in 0..PER_ACCOUNT {
            assert!(t.allows(&[("account:a", PER_ACCOUNT)]));
            t.fail(&["account:a"]);
        }
        assert!(!t.allows(&[("account:a", PER_ACCOUNT)]));
        assert!(t.allows(&[("account:b", PER_ACCOUNT)]));
        t.clear("account:a");
        assert!(t.allows(&[("account:a", PER_ACCOUNT)]));
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("", ""));
    }
}
