//! Who may do what: every signed-in route and API operation, walked as each role (anonymous, the
//! liaison officer of Chile, the liaison officer of Peru, an analyst, an administrator), with the
//! answer each must get. Public pages answer everyone.

use crate::web::TestApp;
use crate::{text, Scratch};

const ROLES: [&str; 5] = ["anonymous", "liaison-CL", "liaison-PE", "analyst", "administrator"];

/// The portal on a database with cycle 2015 and one account per role; the session cookies in
/// `ROLES` order (empty for anonymous).
fn setup() -> (TestApp, Scratch, Vec<String>) {
    let s = Scratch::new();
    let run = |args: &[&str]| {
        let out = s.observa("r.db", args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).lines().last().unwrap().rsplit(": ").next().unwrap().trim().to_string()
    };
    run(&["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    let accounts = [
        ("cl@gob.cl", vec!["--role", "liaison", "--state", "CL"]),
        ("pe@gob.pe", vec!["--role", "liaison", "--state", "PE"]),
        ("analyst@iin.org", vec!["--role", "analyst"]),
        ("admin@iin.org", vec!["--role", "administrator"]),
    ];
    let passwords: Vec<(String, String)> = accounts
        .iter()
        .map(|(email, role)| {
            let mut args = vec!["user", "add", "--email", email];
            args.extend(role.iter().copied());
            (email.to_string(), run(&args))
        })
        .collect();
    let app = TestApp::spawn_on(s.open("r.db"));
    let mut cookies = vec![String::new()];
    for (email, first) in passwords {
        cookies.push(crate::accounts::sign_in_with_first_password(&app, &email, &first));
    }
    (app, s, cookies)
}

#[test]
fn every_signed_in_page_and_api_operation_answers_each_role_as_it_should() {
    let (app, _s, cookies) = setup();
    // path → expected status per role, in ROLES order.
    let gets: [(&str, [u16; 5]); 16] = [
        ("/en/", [200, 200, 200, 200, 200]),
        ("/en/analysis/report", [200, 200, 200, 200, 200]),
        ("/api/v1/states/CL", [200, 200, 200, 200, 200]),
        ("/en/account", [303, 200, 200, 200, 200]),
        ("/en/editorial/2014", [303, 403, 403, 200, 200]),
        ("/en/editorial/2014/swot", [303, 403, 403, 200, 200]),
        ("/en/editorial/2014/rio", [303, 200, 200, 200, 200]),
        ("/en/cycles/2015", [303, 403, 403, 200, 200]),
        ("/en/cycles/2015/responses/CL", [303, 200, 403, 200, 200]),
        ("/en/cycles/2015/responses/PE", [303, 403, 200, 200, 200]),
        ("/en/cycles/2015/review/CL", [303, 403, 403, 200, 200]),
        ("/api/v1/cycles/2015/responses/CL", [401, 200, 403, 200, 200]),
        ("/en/admin/audit", [303, 403, 403, 403, 200]),
        ("/en/admin/accounts", [303, 403, 403, 403, 200]),
        ("/en/cycles", [303, 200, 200, 200, 200]),
        ("/es/admin/audit?actor=cl%40gob.cl&action=login", [303, 403, 403, 403, 200]),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in gets {
        for (role, (cookie, want)) in ROLES.iter().zip(cookies.iter().zip(expected)) {
            let headers: Vec<(&str, &str)> = if cookie.is_empty() { vec![] } else { vec![("Cookie", cookie.as_str())] };
            let got = app.get_with(path, &headers).status;
            if got != want {
                wrong.push(format!("GET {path} as {role}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A form: its path, its fields (besides the CSRF token), the status expected per role.
type Post<'a> = (&'a str, Vec<(&'a str, &'a str)>, [u16; 5]);

#[test]
fn every_state_changing_form_answers_each_role_as_it_should() {
    let (app, _s, cookies) = setup();
    // Each role's own CSRF token, from a page it may open.
    let csrf: Vec<String> = cookies
        .iter()
        .map(|c| if c.is_empty() { String::new() } else { app.get_with("/en/account", &[("Cookie", c)]).csrf() })
        .collect();
    let swot = format!("/en/editorial/2014/swot/{}", crate::bundled().swot[0].id);
    let posts: [Post; 7] = [
        ("/en/editorial/2014/introduction", vec![("version", "99"), ("body", "x")], [303, 403, 403, 409, 409]),
        ("/en/editorial/2014/rio/CL", vec![("version", "99"), ("body", "x")], [303, 409, 403, 409, 409]),
        (&swot, vec![("version", "99"), ("body", "x")], [303, 403, 403, 409, 409]),
        ("/en/cycles/2015/responses/CL", vec![("version", "99"), ("action", "save")], [303, 409, 403, 409, 409]),
        (
            "/en/cycles/2015/responses/CL/comments",
            vec![("question", "general"), ("body", "a note")],
            [303, 303, 403, 303, 303],
        ),
        ("/en/cycles/2015/review/CL/decision", vec![("decision", "accept")], [303, 403, 403, 409, 409]),
        ("/en/cycles", vec![("year", "2015"), ("from", "2014"), ("deadline", "2015-06-30")], [303, 403, 403, 409, 409]),
    ];
    let mut wrong = Vec::new();
    for (path, fields, expected) in posts {
        for (i, role) in ROLES.iter().enumerate() {
            let mut f = fields.clone();
            f.push(("csrf", csrf[i].as_str()));
            let got = app.post_form(path, &cookies[i], &f).status;
            if got != expected[i] {
                wrong.push(format!("POST {path} as {role}: {got}, expected {}", expected[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// An anonymous visitor of any signed-in page, whatever role it takes (the sign-in steps' own
/// pages included), is sent to the sign-in page and brought back to the page, query and all.
#[test]
fn an_anonymous_visitor_of_every_kind_of_signed_in_page_is_sent_to_sign_in_and_back() {
    let (app, _s, _) = setup();
    for (path, next) in [
        ("/en/account", "/en/account"),
        ("/en/account/tokens", "/en/account/tokens"),
        ("/en/account/password", "/en/account/password"),
        ("/en/account/totp", "/en/account/totp"),
        ("/en/account/totp/setup", "/en/account/totp/setup"),
        ("/fr/editorial/2014", "/fr/editorial/2014"),
        ("/en/editorial/2014/swot", "/en/editorial/2014/swot"),
        ("/en/editorial/2014/rio", "/en/editorial/2014/rio"),
        ("/en/admin/accounts", "/en/admin/accounts"),
        ("/es/admin/audit?actor=cl%40gob.cl", "/es/admin/audit%3Factor%3Dcl%2540gob.cl"),
    ] {
        let a = app.get(path);
        let lang = &path[..3];
        assert_eq!(
            (a.status, a.headers["location"].as_str()),
            (303, format!("{lang}/account/login?next={next}").as_str())
        );
    }
    // A form posted without a session goes the same way, and nothing is written.
    let posted = app.post_form("/en/admin/accounts", "", &[("csrf", "x"), ("action", "add"), ("email", "a@b.org")]);
    assert_eq!(
        (posted.status, posted.headers["location"].as_str()),
        (303, "/en/account/login?next=/en/admin/accounts")
    );
}

/// Adds an account on the portal's database; its first password.
fn add_account(s: &Scratch, email: &str, role: &[&str]) -> String {
    let mut args = vec!["user", "add", "--email", email];
    args.extend(role);
    let out = s.observa("r.db", &args);
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).lines().last().unwrap().rsplit(": ").next().unwrap().trim().to_string()
}

/// Until the first password is changed, every signed-in page (whatever its role) sends the
/// session to the password step, which alone opens; then an administrator's session goes to the
/// second factor's set-up the same way.
#[test]
fn a_session_with_its_first_password_unchanged_is_sent_to_the_password_step_from_every_page() {
    let (app, s, _) = setup();
    let first = add_account(&s, "new-admin@iin.org", &["--role", "administrator"]);
    let form = app.get("/en/account/login");
    let login_csrf = form.cookie("observa_login_csrf").unwrap();
    let signed_in = app.post_form(
        "/en/account/login",
        &format!("observa_login_csrf={login_csrf}"),
        &[("email", "new-admin@iin.org"), ("password", &first), ("csrf", &form.csrf()), ("next", "/en/admin/audit")],
    );
    assert_eq!(
        (signed_in.status, signed_in.headers["location"].as_str()),
        (303, "/en/account/password?next=/en/admin/audit"),
        "the sign-in goes to the password step first"
    );
    let cookie = format!("observa_session={}", signed_in.cookie("observa_session").unwrap());
    let c = [("Cookie", cookie.as_str())];
    for path in [
        "/en/account",
        "/en/account/tokens",
        "/en/account/totp",
        "/en/account/totp/setup",
        "/en/editorial/2014",
        "/en/editorial/2014/swot",
        "/en/editorial/2014/rio",
        "/en/admin/accounts",
        "/en/admin/audit",
        "/en/cycles",
    ] {
        let a = app.get_with(path, &c);
        assert_eq!(a.status, 303, "{path}");
        assert_eq!(a.headers["location"], format!("/en/account/password?next={path}"), "{path}");
    }
    let step = app.get_with("/en/account/password?next=/en/admin/audit", &c);
    assert_eq!((step.status, step.headers["cache-control"].as_str()), (200, "no-store"), "the step's own page opens");
    // A form of another page is refused the same way, and does nothing.
    let posted = app.post_form(
        "/en/admin/accounts",
        &cookie,
        &[("csrf", &step.csrf()), ("action", "add"), ("email", "x@iin.org"), ("role", "analyst")],
    );
    assert_eq!(posted.headers["location"], "/en/account/password?next=/en/admin/accounts");
    let store = s.open("r.db");
    assert!(store.accounts().unwrap().iter().all(|a| a.email != "x@iin.org"));
    // Once the password is changed, the next step is the second factor's set-up.
    let new = "a much longer new password 42";
    let changed = app.post_form(
        "/en/account/password",
        &cookie,
        &[("csrf", &step.csrf()), ("current", &first), ("new", new), ("confirm", new), ("next", "/en/admin/audit")],
    );
    assert_eq!((changed.status, changed.headers["location"].as_str()), (303, "/en/admin/audit"));
    for path in ["/en/admin/audit", "/en/account/password", "/en/account/totp"] {
        let a = app.get_with(path, &c);
        assert_eq!((a.status, a.headers["location"].clone()), (303, format!("/en/account/totp/setup?next={path}")));
    }
    assert_eq!(app.get_with("/en/account/totp/setup", &c).status, 200);
}

/// A liaison officer is refused every administrator page and form (403, audited), and nothing
/// changes; an analyst too.
#[test]
fn a_liaison_officer_is_refused_the_administrator_pages_and_the_refusal_is_audited() {
    let (app, s, cookies) = setup();
    let (liaison, analyst) = (&cookies[1], &cookies[3]);
    for path in ["/en/admin/accounts", "/en/admin/audit"] {
        for cookie in [liaison, analyst] {
            assert_eq!(app.get_with(path, &[("Cookie", cookie)]).status, 403, "{path}");
        }
    }
    let csrf = app.get_with("/en/account", &[("Cookie", liaison)]).csrf();
    let posted = app.post_form(
        "/en/admin/accounts",
        liaison,
        &[("csrf", &csrf), ("action", "add"), ("email", "intruder@gob.cl"), ("role", "administrator")],
    );
    assert_eq!(posted.status, 403);
    let store = s.open("r.db");
    assert!(store.accounts().unwrap().iter().all(|a| a.email != "intruder@gob.cl"));
    let refusals: Vec<(String, String)> = store
        .audit()
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "refused-access" && e.actor == "cl@gob.cl")
        .map(|e| (e.subject, e.after.unwrap_or_default()))
        .collect();
    for path in ["/en/admin/accounts", "/en/admin/audit"] {
        assert!(refusals.iter().filter(|(subject, _)| subject == path).count() >= 1, "{path}: {refusals:?}");
    }
}

/// Each account lists and revokes its own API tokens; an administrator everyone's.
#[test]
fn an_account_sees_and_revokes_its_own_tokens_and_an_administrator_everyone_s() {
    let (app, s, cookies) = setup();
    for (email, label) in [("cl@gob.cl", "chile-sync"), ("analyst@iin.org", "analyst-script")] {
        let out = s.observa("r.db", &["token", "create", "--email", email, "--label", label]);
        assert!(out.status.success(), "{}", text(&out));
    }
    let (liaison, admin) = (&cookies[1], &cookies[4]);
    let own = app.get_with("/en/account/tokens", &[("Cookie", liaison)]);
    assert_eq!((own.status, own.headers["cache-control"].as_str()), (200, "no-store"));
    assert!(own.body.contains("chile-sync") && !own.body.contains("analyst-script"), "{}", own.body);
    let all = app.get_with("/en/account/tokens", &[("Cookie", admin)]);
    assert!(
        all.body.contains("chile-sync") && all.body.contains("analyst-script") && all.body.contains("analyst@iin.org")
    );
    let store = s.open("r.db");
    let tokens = store.tokens(None).unwrap();
    let id = |label: &str| tokens.iter().find(|t| t.label == label).unwrap().id.to_string();
    let other = app.post_form("/en/account/tokens", liaison, &[("csrf", &own.csrf()), ("id", &id("analyst-script"))]);
    assert_eq!(other.status, 404, "another account's token is not the liaison's to revoke");
    let mine = app.post_form("/en/account/tokens", liaison, &[("csrf", &own.csrf()), ("id", &id("chile-sync"))]);
    assert_eq!((mine.status, mine.headers["location"].as_str()), (303, "/en/account/tokens"));
    let theirs = app.post_form("/en/account/tokens", admin, &[("csrf", &all.csrf()), ("id", &id("analyst-script"))]);
    assert_eq!(theirs.status, 303);
    let tokens = store.tokens(None).unwrap();
    assert!(tokens.iter().all(|t| t.revoked_at.is_some()), "both revoked");
}
