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
