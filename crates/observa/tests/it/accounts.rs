//! Signing in and the secretariat's editorial text, through the real portal: who may do what,
//! CSRF, throttling, first-password change, conflicting saves, and that every attempt is audited.

use observa_domain::account::Role;
use observa_domain::editorial::EditorialBlock;
use observa_domain::{Lang, StateCode};
use observa_store::NewAccount;

use crate::web::TestApp;
use crate::{bundled, Scratch};

pub(crate) const PASSWORD: &str = "first-password-2014";
pub(crate) const NEW_PASSWORD: &str = "una clave propia 2015";

pub(crate) fn account(store: &mut dyn observa_store::Backend, email: &str, role: Role, states: &[&str]) {
    let states = states.iter().map(|s| serde_json::from_value::<StateCode>(s.to_string().into()).unwrap()).collect();
    let password_hash = observa_web::auth::hash_password(PASSWORD).unwrap();
    store.create_account(&NewAccount { email: email.into(), role, states, password_hash }, "test").unwrap();
}

/// The portal on a database file with an analyst, a liaison officer for Chile and the 2014
/// introduction; the scratch folder holds the file, so a test can read its audit log.
fn app_with_db() -> (TestApp, Scratch) {
    let scratch = Scratch::new();
    let mut store = scratch.open("a.db");
    store.replace_all(&bundled(), "test").unwrap();
    account(store.as_mut(), "ana@secretariat.org", Role::Analyst, &[]);
    account(store.as_mut(), "liaison@gob.cl", Role::Liaison, &["CL"]);
    let intro = EditorialBlock {
        cycle: 2014,
        key: "introduction".into(),
        lang: Lang::En,
        body: "The first introduction.".into(),
        source: None,
        version: 0,
        updated_at: None,
        updated_by: None,
    };
    store.save_editorial(&intro, "test").unwrap();
    (TestApp::spawn_on(store), scratch)
}

fn app() -> TestApp {
    app_with_db().0
}

/// The audit log's (actor, action) pairs, read through a second connection.
fn audit(scratch: &Scratch) -> Vec<(String, String)> {
    let store = scratch.open("a.db");
    assert_eq!(
        store.verify_audit(None).unwrap().map_err(|b| b.reason),
        Ok(store.audit().unwrap().len()),
        "the chain is intact"
    );
    let entries = store.audit().unwrap();
    entries.into_iter().map(|e| (e.actor, e.action)).collect()
}

/// Signs in (through the login form) and returns the session cookie.
fn sign_in(app: &TestApp, email: &str, password: &str) -> Result<String, u16> {
    let form = app.get("/en/account/login");
    let csrf_cookie = form.cookie("observa_login_csrf").expect("the login form sets its CSRF cookie");
    let answer = app.post_form(
        "/en/account/login",
        &format!("observa_login_csrf={csrf_cookie}"),
        &[("email", email), ("password", password), ("csrf", &form.csrf()), ("next", "/en/editorial/2014")],
    );
    match answer.cookie("observa_session") {
        Some(session) if answer.status == 303 => Ok(format!("observa_session={session}")),
        _ => Err(answer.status),
    }
}

/// Signs in and replaces the first password, as the first sign-in requires.
fn sign_in_first_time(app: &TestApp, email: &str) -> String {
    sign_in_with_first_password(app, email, PASSWORD)
}

/// Signs in with a first password (for example one `observa user add` printed) and replaces it.
pub(crate) fn sign_in_with_first_password(app: &TestApp, email: &str, first: &str) -> String {
    let cookie = sign_in(app, email, first).unwrap();
    let page = app.get_with("/en/editorial/2014", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 303, "first the password");
    assert!(page.headers["location"].starts_with("/en/account/password"));
    let form = app.get_with("/en/account/password", &[("Cookie", &cookie)]);
    let changed = app.post_form(
        "/en/account/password",
        &cookie,
        &[("csrf", &form.csrf()), ("current", first), ("new", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
    );
    assert_eq!(changed.status, 303, "{}", changed.body);
    // Administrators and analysts then set up their second factor, as an authenticator app would.
    let probe = app.get_with("/en/account", &[("Cookie", &cookie)]);
    if probe.status == 303 && probe.headers["location"].starts_with("/en/account/totp/setup") {
        let setup = app.get_with("/en/account/totp/setup", &[("Cookie", &cookie)]);
        let marker = "id=\"totp-secret\">";
        let start = setup.body.find(marker).expect("the setup page shows the key") + marker.len();
        let secret: String = setup.body[start..].chars().take_while(|c| *c != '<').collect();
        let code = observa_web::auth::totp_now(&secret);
        let done = app.post_form(
            "/en/account/totp/setup",
            &cookie,
            &[("csrf", &setup.csrf()), ("secret", &secret), ("code", &code), ("next", "/en/account")],
        );
        assert_eq!(done.status, 303, "{}", done.body);
    }
    cookie
}

#[test]
fn anonymous_visitors_are_sent_to_sign_in_and_come_back() {
    let app = app();
    let a = app.get("/en/editorial/2014");
    assert_eq!((a.status, a.headers["location"].as_str()), (303, "/en/account/login?next=/en/editorial/2014"));
    let login = app.get("/es/account/login?next=/es/editorial/2014");
    assert_eq!(login.status, 200);
    assert_eq!(login.headers["cache-control"], "no-store");
    assert!(login.body.contains("value=\"/es/editorial/2014\""));
    let cookie = login.headers["set-cookie"].clone();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[test]
fn an_analyst_signs_in_changes_the_first_password_and_edits_the_report_text() {
    let app = app();
    assert_eq!(sign_in(&app, "ana@secretariat.org", "wrong password"), Err(401));
    let cookie = sign_in_first_time(&app, "ana@secretariat.org");
    let editor = app.get_with("/en/editorial/2014", &[("Cookie", &cookie)]);
    assert_eq!(editor.status, 200);
    assert_eq!(editor.headers["cache-control"], "no-store", "signed-in pages are never cached");
    assert_eq!(editor.body.matches("<textarea").count(), 4);
    assert!(editor.body.contains("The first introduction."));
    let report = app.get("/en/analysis/report");
    assert!(report.body.contains("The first introduction."), "the report page before the save");
    let saved = app.post_form(
        "/en/editorial/2014/introduction",
        &cookie,
        &[("csrf", &editor.csrf()), ("version", "1"), ("body", "A **new** introduction.")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let report = app.get("/en/analysis/report");
    assert!(report.body.contains("A <strong>new</strong> introduction."), "the cached report was made anew");
    let pdf = app.get("/en/analysis/report/2014/pdf");
    assert_eq!((pdf.status, pdf.headers["content-type"].as_str()), (200, "application/pdf"));
    assert!(pdf.headers["content-disposition"].contains("observa-report-2014-en.pdf"));
    // The old password no longer works; the new one does.
    assert_eq!(sign_in(&app, "ana@secretariat.org", PASSWORD), Err(401));
    assert!(sign_in(&app, "ana@secretariat.org", NEW_PASSWORD).is_ok());
}

#[test]
fn a_save_based_on_an_old_version_shows_both_texts_and_overwrites_nothing() {
    let app = app();
    let cookie = sign_in_first_time(&app, "ana@secretariat.org");
    let csrf = app.get_with("/en/editorial/2014", &[("Cookie", &cookie)]).csrf();
    let first = app.post_form(
        "/en/editorial/2014/introduction",
        &cookie,
        &[("csrf", &csrf), ("version", "1"), ("body", "Saved by the first analyst.")],
    );
    assert_eq!(first.status, 303);
    let second = app.post_form(
        "/en/editorial/2014/introduction",
        &cookie,
        &[("csrf", &csrf), ("version", "1"), ("body", "Written by the second analyst.")],
    );
    assert_eq!(second.status, 409);
    assert!(
        second.body.contains("Saved by the first analyst.") && second.body.contains("Written by the second analyst.")
    );
    assert!(second.body.contains("name=\"version\" value=\"2\""), "saving again builds on the current version");
    assert!(app.get("/en/analysis/report").body.contains("Saved by the first analyst."));
}

#[test]
fn forms_without_the_session_s_csrf_token_are_refused() {
    let app = app();
    let cookie = sign_in_first_time(&app, "ana@secretariat.org");
    let forged = app.post_form(
        "/en/editorial/2014/introduction",
        &cookie,
        &[("csrf", "0000"), ("version", "1"), ("body", "forged")],
    );
    assert_eq!(forged.status, 403);
    assert!(!app.get("/en/analysis/report").body.contains("forged"));
    let no_cookie = app.post_form(
        "/en/account/login",
        "",
        &[("email", "ana@secretariat.org"), ("password", NEW_PASSWORD), ("csrf", "x")],
    );
    assert_eq!(no_cookie.status, 403, "the login form's own CSRF check");
}

#[test]
fn a_liaison_officer_cannot_edit_the_report_and_the_refusal_is_audited() {
    let (app, db) = app_with_db();
    let cookie = sign_in_first_time(&app, "liaison@gob.cl");
    let refused = app.get_with("/en/editorial/2014", &[("Cookie", &cookie)]);
    assert_eq!(refused.status, 403);
    let post =
        app.post_form("/en/editorial/2014/introduction", &cookie, &[("csrf", "x"), ("version", "1"), ("body", "x")]);
    assert_eq!(post.status, 403);
    assert!(app.get("/en/analysis/report").body.contains("The first introduction."));
    let log = audit(&db);
    let liaison = |action: &str| log.contains(&("liaison@gob.cl".to_string(), action.to_string()));
    assert!(liaison("login") && liaison("change-password") && liaison("refused-access"), "{log:?}");
}

#[test]
fn after_five_failures_an_account_waits_a_growing_delay_and_other_accounts_do_not() {
    let (app, db) = app_with_db();
    for _ in 0..observa_domain::throttle::FREE_FAILURES {
        assert_eq!(sign_in(&app, "ana@secretariat.org", "not it"), Err(401));
    }
    // Five more failures recorded just now (as parallel attempts would) make the wait 32 s.
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let insert = format!("INSERT INTO sign_in_attempts (key, at) VALUES ('account:ana@secretariat.org', '{now}');");
    db.execute("a.db", &insert.repeat(5));
    assert_eq!(sign_in(&app, "ana@secretariat.org", PASSWORD), Err(429), "even the right password waits");
    assert!(sign_in(&app, "liaison@gob.cl", PASSWORD).is_ok(), "other accounts are not slowed");
    let log = audit(&db);
    let count = |action: &str| log.iter().filter(|(a, x)| a == "ana@secretariat.org" && x == action).count();
    assert_eq!((count("login-failed"), count("login-throttled")), (observa_domain::throttle::FREE_FAILURES, 1));
}

#[test]
fn signing_out_ends_the_session() {
    let app = app();
    let cookie = sign_in_first_time(&app, "ana@secretariat.org");
    let account = app.get_with("/en/account", &[("Cookie", &cookie)]);
    assert_eq!(account.status, 200);
    assert!(account.body.contains("ana@secretariat.org"));
    let out = app.post_form("/en/account/logout", &cookie, &[("csrf", &account.csrf())]);
    assert_eq!(out.status, 303);
    assert_eq!(app.get_with("/en/editorial/2014", &[("Cookie", &cookie)]).status, 303, "back to sign-in");
}

#[test]
fn an_analyst_files_a_swot_item_under_a_new_theme_and_the_synthesis_follows() {
    let app = app();
    let item = bundled().swot.into_iter().next().unwrap();
    let cookie = sign_in_first_time(&app, "ana@secretariat.org");
    let editor = app.get_with("/en/editorial/2014/swot", &[("Cookie", &cookie)]);
    assert_eq!(editor.status, 200);
    let saved = app.post_form(
        &format!("/en/editorial/2014/swot/{}", item.id),
        &cookie,
        &[("csrf", &editor.csrf()), ("version", "0"), ("body", "A theme of our own")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.get("/en/analysis/swot");
    assert!(page.body.contains(&format!("A theme of our own ({})", item.states)), "the new group with its count");
    let md = app.get("/en/analysis/report/2014/md");
    assert!(md.body.contains("| A theme of our own |"), "the report's synthesis too");
}

#[test]
fn a_liaison_officer_writes_only_their_own_state_s_reply_to_the_rio_assessment() {
    let app = app();
    let cookie = sign_in_first_time(&app, "liaison@gob.cl");
    let editor = app.get_with("/es/editorial/2014/rio", &[("Cookie", &cookie)]);
    assert_eq!(editor.status, 200);
    assert!(editor.body.contains("id=\"CL\"") && !editor.body.contains("id=\"PE\""), "only Chile is offered");
    let csrf = editor.csrf();
    let reply = "Chile revisará el plan en 2015.";
    let own =
        app.post_form("/es/editorial/2014/rio/CL", &cookie, &[("csrf", &csrf), ("version", "0"), ("body", reply)]);
    assert_eq!(own.status, 303, "{}", own.body);
    let other =
        app.post_form("/es/editorial/2014/rio/PE", &cookie, &[("csrf", &csrf), ("version", "0"), ("body", "x")]);
    assert_eq!(other.status, 403, "another State's reply is refused");
    let swot = app.get_with("/es/editorial/2014/swot", &[("Cookie", &cookie)]);
    assert_eq!(swot.status, 403, "regrouping is the secretariat's");
    assert!(app.get("/es/analysis/rio").body.contains(reply), "the reply beside the assessment");
    assert!(!app.get("/es/analysis/rio").body.contains(">x<"));
}

#[test]
fn an_administrator_reads_and_filters_the_audit_log_with_its_chain_checked() {
    let (app, db) = app_with_db();
    let mut store = db.open("a.db");
    account(store.as_mut(), "root@iin.org", Role::Administrator, &[]);
    drop(store);
    assert_eq!(sign_in(&app, "liaison@gob.cl", "wrong"), Err(401));
    let admin = sign_in_first_time(&app, "root@iin.org");
    let page = app.get_with("/en/admin/audit?action=login-failed", &[("Cookie", &admin)]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The hash chain is intact"));
    assert!(page.body.contains("liaison@gob.cl") && page.body.contains("login-failed"));
    assert!(!page.body.contains("save-editorial"), "filtered to failed sign-ins");
}

#[test]
fn an_administrator_adds_disables_and_resets_accounts_and_each_takes_effect() {
    let (app, db) = app_with_db();
    let mut store = db.open("a.db");
    account(store.as_mut(), "root@iin.org", Role::Administrator, &[]);
    drop(store);
    let admin = sign_in_first_time(&app, "root@iin.org");
    let page = app.get_with("/en/admin/accounts", &[("Cookie", &admin)]);
    let csrf = page.csrf();
    let added = app.post_form(
        "/en/admin/accounts",
        &admin,
        &[("csrf", &csrf), ("action", "add"), ("email", "Nuevo@Gob.PE"), ("role", "liaison"), ("states", "pe")],
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let marker = "nuevo@gob.pe: ";
    let start = added.body.find(marker).expect("the first password is shown once") + marker.len();
    let first: String = added.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let officer = sign_in_with_first_password(&app, "nuevo@gob.pe", &first);
    assert_eq!(app.get_with("/en/account", &[("Cookie", &officer)]).status, 200);

    let id = |body: &str, email: &str| -> String {
        let row = &body[body.find(&format!("<td>{email}</td>")).unwrap()..];
        let marker = "name=\"id\" value=\"";
        let at = row.find(marker).unwrap() + marker.len();
        row[at..].split('"').next().unwrap().to_string()
    };
    let officer_id = id(&added.body, "nuevo@gob.pe");
    let disabled =
        app.post_form("/en/admin/accounts", &admin, &[("csrf", &csrf), ("action", "disable"), ("id", &officer_id)]);
    assert_eq!(disabled.status, 200);
    assert_eq!(app.get_with("/en/account", &[("Cookie", &officer)]).status, 303, "disabling ends the sessions");
    assert_eq!(sign_in(&app, "nuevo@gob.pe", NEW_PASSWORD), Err(401), "and refuses sign-in");
    app.post_form("/en/admin/accounts", &admin, &[("csrf", &csrf), ("action", "enable"), ("id", &officer_id)]);

    let reset =
        app.post_form("/en/admin/accounts", &admin, &[("csrf", &csrf), ("action", "reset"), ("id", &officer_id)]);
    let link_start = reset.body.find("/en/account/reset/").expect("the reset link is shown once");
    let link: String = reset.body[link_start..].chars().take_while(|c| !c.is_whitespace() && *c != '<').collect();
    assert_eq!(
        app.post_form(&link, "", &[("new", "short"), ("confirm", "short")]).status,
        422,
        "the password policy holds"
    );
    let used = app.post_form(&link, "", &[("new", "una clave restablecida"), ("confirm", "una clave restablecida")]);
    assert_eq!(used.status, 303);
    assert!(sign_in(&app, "nuevo@gob.pe", "una clave restablecida").is_ok());
    assert_eq!(
        app.post_form(&link, "", &[("new", "otra clave distinta"), ("confirm", "otra clave distinta")]).status,
        404,
        "single use"
    );
    let own_id = id(&added.body, "root@iin.org");
    let own = app.post_form("/en/admin/accounts", &admin, &[("csrf", &csrf), ("action", "disable"), ("id", &own_id)]);
    assert_eq!(own.status, 400, "an administrator cannot lock themself out by mistake");
}

#[test]
fn analysts_set_up_a_second_factor_and_need_its_code_at_every_sign_in() {
    let (app, db) = app_with_db();
    let cookie = sign_in_first_time(&app, "ana@secretariat.org");
    assert_eq!(
        app.get_with("/en/editorial/2014", &[("Cookie", &cookie)]).status,
        200,
        "set up during the first sign-in"
    );
    let secret: String = {
        let store = db.open("a.db");
        let (account, _) = store.account_by_email("ana@secretariat.org").unwrap().unwrap();
        assert!(account.totp);
        store.totp_secret(account.id).unwrap().unwrap()
    };
    let pending = sign_in(&app, "ana@secretariat.org", NEW_PASSWORD).unwrap();
    let blocked = app.get_with("/en/editorial/2014", &[("Cookie", &pending)]);
    assert_eq!(blocked.status, 303, "the password alone opens nothing");
    assert!(blocked.headers["location"].starts_with("/en/account/totp"));
    let form = app.get_with("/en/account/totp", &[("Cookie", &pending)]);
    let wrong = app.post_form("/en/account/totp", &pending, &[("csrf", &form.csrf()), ("code", "000000")]);
    assert_eq!(wrong.status, 401);
    // The code of the next time step: the one used at set-up (this time step's) works only once.
    let code = observa_web::auth::totp_next(&secret);
    let right = app.post_form(
        "/en/account/totp",
        &pending,
        &[("csrf", &form.csrf()), ("code", &code), ("next", "/en/editorial/2014")],
    );
    assert_eq!((right.status, right.headers["location"].as_str()), (303, "/en/editorial/2014"));
    assert_eq!(app.get_with("/en/editorial/2014", &[("Cookie", &pending)]).status, 200);
    let liaison = sign_in_first_time(&app, "liaison@gob.cl");
    assert_eq!(
        app.get_with("/en/editorial/2014/rio", &[("Cookie", &liaison)]).status,
        200,
        "liaison officers need no second factor"
    );
    let log = audit(&db);
    assert!(log.contains(&("ana@secretariat.org".into(), "second-factor-failed".into())));
    assert!(log.contains(&("ana@secretariat.org".into(), "second-factor".into())));
}
