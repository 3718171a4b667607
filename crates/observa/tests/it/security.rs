//! Hardening (issue 9), through the real portal and binary: sessions that have not finished
//! signing in get nothing from the API, tokens expire and are revoked, TOTP codes work once, the
//! sign-in throttle holds under parallel attempts and across restarts, `next` cannot leave the
//! site, every answer carries the security headers, anonymous requests cannot grow the audit log,
//! and the keyed audit chain catches deleted and rewritten entries.

use observa_domain::account::Role;

use crate::web::{Answer, TestApp};
use crate::{bundled, text, Scratch};

use crate::accounts::{account, NEW_PASSWORD, PASSWORD};

/// A database file with the bundled data, cycle 2015 open, an analyst and a liaison officer for
/// Chile (both still on their first password).
fn database(s: &Scratch) -> Box<dyn observa_store::Backend> {
    let out = s.observa("h.db", &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    assert!(out.status.success(), "{}", text(&out));
    let mut store = s.open("h.db");
    account(store.as_mut(), "ana@secretariat.org", Role::Analyst, &[]);
    account(store.as_mut(), "enlace@gob.cl", Role::Liaison, &["CL"]);
    store
}

fn sign_in(app: &TestApp, email: &str, password: &str, next: &str) -> Answer {
    let form = app.get("/en/account/login");
    let csrf_cookie = form.cookie("observa_login_csrf").expect("the login form sets its CSRF cookie");
    app.post_form(
        "/en/account/login",
        &format!("observa_login_csrf={csrf_cookie}"),
        &[("email", email), ("password", password), ("csrf", &form.csrf()), ("next", next)],
    )
}

fn session(answer: &Answer) -> String {
    format!("observa_session={}", answer.cookie("observa_session").expect("a session cookie"))
}

fn change_password(app: &TestApp, cookie: &str) {
    let form = app.get_with("/en/account/password", &[("Cookie", cookie)]);
    let changed = app.post_form(
        "/en/account/password",
        cookie,
        &[("csrf", &form.csrf()), ("current", PASSWORD), ("new", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
    );
    assert_eq!(changed.status, 303, "{}", changed.body);
}

/// Sets up the second factor on a signed-in session; returns the TOTP secret.
fn set_up_totp(app: &TestApp, cookie: &str) -> String {
    let setup = app.get_with("/en/account/totp/setup", &[("Cookie", cookie)]);
    let marker = "id=\"totp-secret\">";
    let start = setup.body.find(marker).expect("the setup page shows the key") + marker.len();
    let secret: String = setup.body[start..].chars().take_while(|c| *c != '<').collect();
    let code = observa_web::auth::totp_now(&secret);
    let done = app.post_form(
        "/en/account/totp/setup",
        cookie,
        &[("csrf", &setup.csrf()), ("secret", &secret), ("code", &code), ("next", "/en/account")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    secret
}

fn request(app: &TestApp, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let url = format!("{}{path}", app.base);
    let mut response = match (method, body) {
        ("GET", _) => {
            let mut r = agent.get(&url);
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.call().unwrap()
        }
        (_, body) => {
            let mut r = if method == "PUT" { agent.put(&url) } else { agent.post(&url) };
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            match body {
                Some(b) => r.header("Content-Type", "application/json").send(b).unwrap(),
                None => r.send_empty().unwrap(),
            }
        }
    };
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap_or_default())
}

const CL: &str = "/api/v1/cycles/2015/responses/CL";

#[test]
fn the_api_refuses_sessions_that_have_not_finished_signing_in_as_pages_do() {
    let s = Scratch::new();
    let store = database(&s);
    let app = TestApp::spawn_on(store);
    // First password not changed yet.
    let first = session(&sign_in(&app, "ana@secretariat.org", PASSWORD, "/en/account"));
    let (status, body) = request(&app, "GET", CL, &[("Cookie", &first)], None);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("first password"), "{body}");
    // Password changed, second factor not set up yet.
    change_password(&app, &first);
    assert_eq!(request(&app, "GET", CL, &[("Cookie", &first)], None).0, 401);
    let secret = set_up_totp(&app, &first);
    assert_eq!(request(&app, "GET", CL, &[("Cookie", &first)], None).0, 200, "a finished sign-in works");
    // A new sign-in with the password alone: the second factor is pending.
    let pending = session(&sign_in(&app, "ana@secretariat.org", NEW_PASSWORD, "/en/account"));
    for (method, path, body) in [
        ("GET", CL.to_string(), None),
        ("PUT", CL.to_string(), Some("{\"answers\":{}}")),
        ("POST", format!("{CL}/submit"), None),
    ] {
        let (status, answer) = request(&app, method, &path, &[("Cookie", &pending), ("If-Match", "\"v0\"")], body);
        assert_eq!(status, 401, "{method} {path}: {answer}");
        assert!(answer.contains("second factor"), "{answer}");
    }
    // After the code, it works.
    let form = app.get_with("/en/account/totp", &[("Cookie", &pending)]);
    let code = observa_web::auth::totp_next(&secret);
    let passed = app.post_form("/en/account/totp", &pending, &[("csrf", &form.csrf()), ("code", &code)]);
    assert_eq!(passed.status, 303, "{}", passed.body);
    assert_eq!(request(&app, "GET", CL, &[("Cookie", &pending)], None).0, 200);
}

#[test]
fn tokens_work_only_after_the_first_password_expire_can_be_revoked_and_take_any_case_of_bearer() {
    let s = Scratch::new();
    drop(database(&s));
    let created =
        s.observa("h.db", &["token", "create", "--email", "enlace@gob.cl", "--days", "30", "--label", "SIGEN"]);
    assert!(created.status.success(), "{}", text(&created));
    assert!(text(&created).contains("works only after"), "{}", text(&created));
    let token = String::from_utf8_lossy(&created.stdout).lines().last().unwrap().trim().to_string();
    let app = TestApp::spawn_on(s.open("h.db"));
    let bearer = format!("Bearer {token}");
    let (status, body) = request(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(status, 401, "first password not changed: {body}");
    let cookie = session(&sign_in(&app, "enlace@gob.cl", PASSWORD, "/en/account"));
    change_password(&app, &cookie);
    let (status, body) = request(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(status, 200, "body: {body:?}");
    let lower = format!("bearer {token}");
    assert_eq!(request(&app, "GET", CL, &[("Authorization", &lower)], None).0, 200, "the scheme is case-insensitive");
    // The owner sees it listed and revokes it in the web UI.
    let page = app.get_with("/en/account/tokens", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("SIGEN") && !page.body.contains(&token), "listed, never shown again");
    let listed = text(&s.observa("h.db", &["token", "list", "--email", "enlace@gob.cl"]));
    assert!(listed.contains("SIGEN") && listed.contains("enlace@gob.cl"), "{listed}");
    let revoked = app.post_form("/en/account/tokens", &cookie, &[("csrf", &page.csrf()), ("id", "1")]);
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    let (status, body) = request(&app, "GET", CL, &[("Authorization", &bearer)], None);
    assert_eq!(status, 401, "revoked: {body}");
    assert!(body.contains("revoked"), "{body}");
    // An expired token does not work either.
    let mut store = s.open("h.db");
    let (liaison, _) = store.account_by_email("enlace@gob.cl").unwrap().unwrap();
    store
        .create_token(&liaison, &observa_web::auth::token_hash("old-token"), "2020-01-01T00:00:00Z", "", "test")
        .unwrap();
    assert_eq!(request(&app, "GET", CL, &[("Authorization", "Bearer old-token")], None).0, 401);
    // Another account's token cannot be revoked by a liaison officer.
    assert!(!store.revoke_token(2, Some(liaison.id + 100), "test").unwrap());
    assert!(s.observa("h.db", &["token", "revoke", "2"]).status.success(), "an administrator (the CLI) revokes any");
    let log = store.audit().unwrap();
    assert!(log.iter().any(|e| e.action == "revoke-token" && e.actor == "enlace@gob.cl"));
    assert!(log.iter().any(|e| e.action.starts_with("refused-api")), "refused API requests are audited");
}

#[test]
fn a_totp_code_works_once() {
    let s = Scratch::new();
    let store = database(&s);
    let app = TestApp::spawn_on(store);
    let first = session(&sign_in(&app, "ana@secretariat.org", PASSWORD, "/en/account"));
    change_password(&app, &first);
    let secret = set_up_totp(&app, &first);
    let code = observa_web::auth::totp_next(&secret);
    let enter = |cookie: &str| {
        let form = app.get_with("/en/account/totp", &[("Cookie", cookie)]);
        app.post_form("/en/account/totp", cookie, &[("csrf", &form.csrf()), ("code", &code)]).status
    };
    let one = session(&sign_in(&app, "ana@secretariat.org", NEW_PASSWORD, "/en/account"));
    assert_eq!(enter(&one), 303);
    let two = session(&sign_in(&app, "ana@secretariat.org", NEW_PASSWORD, "/en/account"));
    assert_eq!(enter(&two), 401, "the same code a second time is refused");
    let log = s.open("h.db").audit().unwrap();
    assert!(log.iter().any(|e| e.action == "second-factor-replayed"));
}

#[test]
fn forty_parallel_wrong_passwords_get_at_most_a_few_checks_and_a_restart_forgets_nothing() {
    let s = Scratch::new();
    let store = database(&s);
    let app = TestApp::spawn_on(store);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|_| scope.spawn(|| sign_in(&app, "ana@secretariat.org", "wrong password", "/en/account").status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= observa_domain::throttle::FREE_FAILURES + 1, "{checked} passwords checked: {statuses:?}");
    assert!(throttled >= 30, "{statuses:?}");
    // A new process on the same database still throttles the account: the counts are in the
    // database (five more failures are added there so that the wait is long, 32 s or more).
    drop(app);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let insert = format!("INSERT INTO sign_in_attempts (key, at) VALUES ('account:ana@secretariat.org', '{now}');");
    s.execute("h.db", &insert.repeat(5));
    let again = TestApp::spawn_on(s.open("h.db"));
    assert_eq!(sign_in(&again, "ana@secretariat.org", PASSWORD, "/en/account").status, 429);
    // The genuine owner is not locked out for the window: once the delay since the last failure
    // has passed, the right password works (here the failures are moved ten minutes back).
    let past =
        (chrono::Utc::now() - chrono::Duration::minutes(10)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    s.execute("h.db", &format!("UPDATE sign_in_attempts SET at = '{past}'"));
    assert_eq!(sign_in(&again, "ana@secretariat.org", PASSWORD, "/en/account").status, 303);
}

#[test]
fn next_never_leaves_the_site_and_a_newline_is_not_a_server_error() {
    let s = Scratch::new();
    let store = database(&s);
    let app = TestApp::spawn_on(store);
    for next in
        ["/\t/evil.example/", "/\n/evil.example/", "//evil.example/", "/\\evil.example/", "https://evil.example/"]
    {
        let form = app.get(&format!("/en/account/login?next={}", next.replace('\t', "%09").replace('\n', "%0A")));
        assert_eq!(form.status, 200, "{next:?}");
        let field = form.body.split("name=\"next\" value=\"").nth(1).expect("a next field");
        let field: String = field.chars().take_while(|c| *c != '"').collect();
        assert_eq!(field, "/en/account", "{next:?}: the form does not carry it on");
        let answer = sign_in(&app, "enlace@gob.cl", PASSWORD, next);
        assert_eq!(answer.status, 303, "{next:?}: {}", answer.body);
        let location = &answer.headers["location"];
        assert_eq!(location, "/en/account/password?next=/en/account", "{next:?}");
    }
}

#[test]
fn every_answer_carries_the_security_headers_and_behind_tls_cookies_are_secure_with_hsts() {
    let app = TestApp::spawn();
    for path in [
        "/en/",
        "/es/states/CL",
        "/api/v1/states",
        "/api/v1/nope",
        "/en/nope",
        "/downloads/observa.json",
        "/static/style.css",
        "/en/analysis/report/2014/html",
    ] {
        let a = app.get(path);
        let csp = a.headers.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("script-src 'unsafe"), "{path}: {csp}");
        assert_eq!(a.headers.get("x-content-type-options").map(String::as_str), Some("nosniff"), "{path}");
        assert_eq!(a.headers.get("x-frame-options").map(String::as_str), Some("DENY"), "{path}");
        assert!(a.headers.contains_key("referrer-policy"), "{path}");
        assert!(!a.headers.contains_key("strict-transport-security"), "{path}: no HSTS over plain HTTP");
    }
    // Behind TLS.
    let s = Scratch::new();
    let mut store = s.open("tls.db");
    store.replace_all(&bundled(), "test").unwrap();
    account(store.as_mut(), "enlace@gob.cl", Role::Liaison, &["CL"]);
    let tls =
        TestApp::spawn_state(observa_web::AppState::new(store, vec![crate::questionnaire()]).unwrap().behind_tls(true));
    let page = tls.get("/en/");
    assert!(page.headers["strict-transport-security"].contains("max-age="));
    let form = tls.get("/en/account/login");
    assert!(form.headers["set-cookie"].contains("; Secure"), "{}", form.headers["set-cookie"]);
    let signed = sign_in(&tls, "enlace@gob.cl", PASSWORD, "/en/account");
    assert!(signed.headers["set-cookie"].lines().all(|c| c.contains("; Secure")), "{}", signed.headers["set-cookie"]);
}

#[test]
fn anonymous_requests_cannot_grow_the_audit_log_without_bound() {
    let s = Scratch::new();
    let store = database(&s);
    let before = s.size("h.db");
    let app = TestApp::spawn_on(store);
    // A 20 KB "e-mail": refused before it is read (the sign-in form is small)...
    let huge = "a".repeat(20 * 1024);
    let form = app.get("/en/account/login");
    let cookie = format!("observa_login_csrf={}", form.cookie("observa_login_csrf").unwrap());
    let big =
        app.post_form("/en/account/login", &cookie, &[("email", &huge), ("password", "x"), ("csrf", &form.csrf())]);
    assert_eq!(big.status, 413);
    // ...a 10 KB one is read, but is not an e-mail and is not written as typed.
    let long = format!("{}@example.org", "b".repeat(10 * 1024));
    for _ in 0..60 {
        let status = sign_in(&app, &long, "x", "/en/account").status;
        assert!(status == 401 || status == 429, "{status}");
    }
    let log = s.open("h.db").audit().unwrap();
    assert!(log.iter().all(|e| e.actor.len() <= 400 && e.subject.len() <= 1200), "entries are bounded");
    let anonymous = log.iter().filter(|e| e.actor.starts_with("anonymous")).count();
    assert!(anonymous <= observa_web::REFUSALS_PER_WINDOW as usize, "{anonymous} entries for one address");
    let growth = s.size("h.db").saturating_sub(before);
    assert!(growth < 512 * 1024, "the database grew {growth} bytes");
}

#[test]
fn the_audit_page_shows_one_page_at_a_time_and_the_chain_is_checked_row_by_row() {
    let s = Scratch::new();
    let mut store = database(&s);
    account(store.as_mut(), "admin@secretariat.org", Role::Administrator, &[]);
    for i in 0..250 {
        store.record("test", "probe", &format!("entry {i}")).unwrap();
    }
    let app = TestApp::spawn_on(store);
    let cookie = session(&sign_in(&app, "admin@secretariat.org", PASSWORD, "/en/admin/audit"));
    change_password(&app, &cookie);
    set_up_totp(&app, &cookie);
    let page = app.get_with("/en/admin/audit?action=probe", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    let rows = page.body.matches("<td>probe</td>").count();
    assert_eq!(rows, 100, "one page of entries");
    assert!(page.body.contains("entry 249") && !page.body.contains("entry 149<"), "newest first");
    let older = page.body.split("?before=").nth(1).expect("a link to older entries");
    let before: String = older.chars().take_while(char::is_ascii_digit).collect();
    let next = app.get_with(&format!("/en/admin/audit?action=probe&before={before}"), &[("Cookie", &cookie)]);
    assert!(next.body.contains("entry 149<") && !next.body.contains("entry 150<"), "the next page");
}

/// The keyed chain: deleting the last entries and rewriting history with recomputed hashes are
/// both caught; a checkpoint kept elsewhere catches a rewrite even by someone with the key.
#[test]
fn deleting_the_last_entries_or_rewriting_and_rehashing_history_is_detected() {
    if crate::sqlite_only("tampers with copies of the .db file and its key file beside it through rusqlite") {
        return;
    }
    let s = Scratch::new();
    let seeded = s.observa("a.db", &["check", "--quiet"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    assert!(s.path("a.db.audit-key").exists(), "the key is made beside the database at the first start");
    let cp = s.path("cp.json");
    let out = s.observa("a.db", &["audit", "checkpoint", "--out", cp.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let ok = s.observa("a.db", &["audit", "verify", "--checkpoint", cp.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("as the checkpoint"), "{}", text(&ok));

    let copy = |name: &str| {
        std::fs::copy(s.path("a.db"), s.path(name)).unwrap();
        std::fs::copy(s.path("a.db.audit-key"), s.path(&format!("{name}.audit-key"))).unwrap();
        let conn = rusqlite::Connection::open(s.path(name)).unwrap();
        conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
        conn
    };
    // Deleting the last three entries (the triggers dropped, as someone with the file could).
    let conn = copy("cut.db");
    conn.execute("DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 3 FROM audit)", []).unwrap();
    drop(conn);
    let cut = s.observa("cut.db", &["audit", "verify"]);
    assert!(!cut.status.success() && text(&cut).contains("entries were deleted"), "{}", text(&cut));

    // Rewriting an entry and recomputing every hash after it with plain SHA-256, head included.
    let conn = copy("rewritten.db");
    let entries = s.open("a.db").audit().unwrap();
    let mut prev = observa_domain::audit::GENESIS.to_string();
    for mut e in entries {
        if e.seq == 5 {
            e.actor = "someone else".into();
        }
        e.prev_hash = prev.clone();
        e.hash = e.content().hash(&prev);
        conn.execute(
            "UPDATE audit SET actor = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![e.actor, e.prev_hash, e.hash, e.seq],
        )
        .unwrap();
        prev = e.hash;
    }
    conn.execute("UPDATE audit_head SET hash = ?1", [&prev]).unwrap();
    drop(conn);
    let rewritten = s.observa("rewritten.db", &["audit", "verify"]);
    assert!(!rewritten.status.success(), "{}", text(&rewritten));
    assert!(text(&rewritten).contains("entry 1 is not as written"), "{}", text(&rewritten));

    // Someone holding the key rewrites history consistently: only the checkpoint catches it.
    let conn = copy("insider.db");
    let key =
        observa_domain::audit::AuditKey::parse(&std::fs::read_to_string(s.path("a.db.audit-key")).unwrap()).unwrap();
    let entries = s.open("a.db").audit().unwrap();
    let mut prev = observa_domain::audit::GENESIS.to_string();
    for mut e in entries {
        if e.seq == 5 {
            e.actor = "insider".into();
        }
        e.prev_hash = prev.clone();
        e.hash = e.content().mac(&key, &prev);
        conn.execute(
            "UPDATE audit SET actor = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![e.actor, e.prev_hash, e.hash, e.seq],
        )
        .unwrap();
        prev = e.hash;
    }
    let head = observa_domain::audit::Head::new(&key, entries_len(&s), &prev);
    conn.execute("UPDATE audit_head SET hash = ?1, mac = ?2", [&head.hash, &head.mac]).unwrap();
    drop(conn);
    let insider = s.observa("insider.db", &["audit", "verify"]);
    assert!(insider.status.success(), "without a checkpoint the key holder's rewrite verifies: {}", text(&insider));
    let caught = s.observa("insider.db", &["audit", "verify", "--checkpoint", cp.to_str().unwrap()]);
    assert!(!caught.status.success() && text(&caught).contains("checkpoint"), "{}", text(&caught));

    // Without its key the log is not checked at all (and no new key is made for it).
    std::fs::remove_file(s.path("cut.db.audit-key")).unwrap();
    let keyless = s.observa("cut.db", &["audit", "verify"]);
    assert!(!keyless.status.success() && text(&keyless).contains("no audit key"), "{}", text(&keyless));
    assert!(!s.path("cut.db.audit-key").exists());
}

fn entries_len(s: &Scratch) -> i64 {
    s.open("a.db").audit().unwrap().len() as i64
}
