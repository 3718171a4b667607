//! Signing in: argon2id password hashes (checked a bounded number at a time), random session
//! tokens kept in an HttpOnly, SameSite cookie (the database stores only their SHA-256; `Secure`
//! behind TLS), idle and absolute timeouts, CSRF tokens for every form that changes something,
//! TOTP codes that work once, the throttle of sign-in attempts (policy in
//! `observa_domain::throttle`, counts in the database), and the one rule of when a session may
//! act ([`pending`]) that pages and the API share.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::http::{header, HeaderMap};
use observa_store::Session;
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

/// The time step (30-second interval since 1970) whose code `code` is, among the current one and
/// the one before or after; `None` when it is none of them. The caller must refuse a step already
/// used (`AccountStore::use_totp_step`): a code works once.
pub fn totp_step(secret_base32: &str, code: &str) -> Option<i64> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    totp_step_at(secret_base32, code, now)
}

fn totp_step_at(secret_base32: &str, code: &str, now: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let t = totp(secret_base32)?;
    [now.saturating_sub(30), now, now + 30]
        .into_iter()
        .find(|time| same_token(&t.generate(*time), &code))
        .map(|time| (time / 30) as i64)
}

/// The current code of a secret (what an authenticator app shows; tests use it too).
pub fn totp_now(secret_base32: &str) -> String {
    totp(secret_base32).and_then(|t| t.generate_current().ok()).unwrap_or_default()
}

/// The code of the next time step (accepted as one step of drift): for tests that sign in twice
/// within 30 seconds, since a code works once.
pub fn totp_next(secret_base32: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    totp(secret_base32).map(|t| t.generate(now + 30)).unwrap_or_default()
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

/// `Set-Cookie` for a value only the server reads: HttpOnly, SameSite=Lax, whole site, and
/// `Secure` when Observa is served behind TLS (`observa serve --behind-tls`).
pub fn set_cookie(app: &AppState, name: &str, value: &str, max_age: Option<i64>) -> String {
    let age = max_age.map_or(String::new(), |s| format!("; Max-Age={s}"));
    let secure = if app.behind_tls { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}")
}

/// What a signed-in session must still do before it may do anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Change the first password (or one an administrator reset).
    Password,
    /// Enter the TOTP code after the password.
    SecondFactor,
    /// Set up a second factor (administrators and analysts).
    SecondFactorSetup,
}

impl Pending {
    /// The page that finishes the step.
    pub fn page(self) -> &'static str {
        match self {
            Pending::Password => "account/password",
            Pending::SecondFactor => "account/totp",
            Pending::SecondFactorSetup => "account/totp/setup",
        }
    }
}

/// The one rule of when a session may act, for every page and every API operation alike.
pub fn pending(session: &Session) -> Option<Pending> {
    let account = &session.account;
    if account.must_change_password {
        Some(Pending::Password)
    } else if session.second_factor_pending {
        Some(Pending::SecondFactor)
    } else if account.role.needs_second_factor() && !account.totp {
        Some(Pending::SecondFactorSetup)
    } else {
        None
    }
}

/// Checks a password against a hash on a blocking thread, at most [`HASHING`] at a time (each
/// argon2 check takes ~19 MB and a core's time); a request that cannot get a turn within a few
/// seconds is told to try again instead of piling up.
pub async fn verify_password_bounded(app: &AppState, password: String, hash: String) -> Result<bool, WebError> {
    with_hashing_turn(app, move || Ok(verify_password(&password, &hash))).await
}

/// Hashes a new password like [`verify_password_bounded`] checks one: on a blocking thread, at
/// most [`HASHING`] at a time.
pub async fn hash_password_bounded(app: &AppState, password: String) -> Result<String, WebError> {
    with_hashing_turn(app, move || hash_password(&password)).await
}

/// Runs `work` (an argon2 computation) on a blocking thread once a hashing turn is free.
async fn with_hashing_turn<T: Send + 'static>(
    app: &AppState,
    work: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let busy =
        || WebError::TooManyAttempts("the server is busy checking other passwords; try again in a moment".into());
    let permit = tokio::time::timeout(std::time::Duration::from_secs(5), app.hashing.clone().acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let result = tokio::task::spawn_blocking(work).await.map_err(|e| WebError::Internal(e.to_string()))?;
    drop(permit);
    result
}

/// How many password hashes are computed at once.
pub const HASHING: usize = 2;

/// The path to go to after signing in: `next` if, read as a browser reads it (WHATWG URL
/// parsing, which drops tabs and newlines and treats `\\` as `/`), it stays on this site;
/// `fallback` otherwise. The answer is the parsed path and query, so it has no control
/// characters and is always a valid `Location`.
pub fn same_origin_path(next: Option<&str>, fallback: &str) -> String {
    const BASE: &str = "http://observa.invalid/";
    let base = url::Url::parse(BASE).expect("a valid base URL");
    let Some(next) = next.filter(|n| n.starts_with('/') && !n.chars().any(|c| c.is_control())) else {
        return fallback.to_string();
    };
    match base.join(next) {
        Ok(url) if url.origin() == base.origin() && !url.path().starts_with("//") => {
            let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{}{query}", url.path())
        }
        _ => fallback.to_string(),
    }
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
    fn csrf_tokens_compare_whole_and_never_empty() {
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("", ""));
    }

    #[test]
    fn a_totp_code_names_its_time_step_and_only_the_three_around_now_pass() {
        let secret = new_totp_secret();
        let t = totp(&secret).unwrap();
        let now = 1_800_000_000u64;
        let step = (now / 30) as i64;
        assert_eq!(totp_step_at(&secret, &t.generate(now), now), Some(step));
        assert_eq!(totp_step_at(&secret, &t.generate(now - 30), now), Some(step - 1));
        assert_eq!(totp_step_at(&secret, &t.generate(now + 30), now), Some(step + 1));
        assert_eq!(totp_step_at(&secret, &t.generate(now - 90), now), None);
        assert_eq!(totp_step_at(&secret, "12345", now), None);
    }

    #[test]
    fn only_same_origin_paths_are_followed_after_signing_in() {
        let fallback = "/en/account";
        for hostile in [
            "/\t/evil.example/",
            "/\t/evil.example",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "javascript:alert(1)",
            "/%2F/evil.example",
            "",
        ] {
            let got = same_origin_path(Some(hostile), fallback);
            assert!(got == fallback || (got.starts_with('/') && !got.starts_with("//")), "{hostile:?} gave {got}");
            assert!(!got.contains("evil.example") || got.starts_with("/%2F"), "{hostile:?} gave {got}");
            assert!(!got.chars().any(|c| c.is_control()), "{hostile:?} gave {got:?}");
        }
        assert_eq!(same_origin_path(Some("/es/cycles/2015?x=1#f"), fallback), "/es/cycles/2015?x=1");
        assert_eq!(same_origin_path(Some("/es/a b"), fallback), "/es/a%20b");
    }
}
