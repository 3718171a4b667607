//! One workflow for every channel (issue #10): the same answers get the same verdict through
//! the form, the workbook upload and the API; a return writes its status and comment together;
//! a liaison officer of another State is refused on every operation; the signed-in extractor
//! redirects pages and answers the API 401.

use observa_domain::consultation::{Answers, Draft, Status};
use serde_json::{json, Value};

use crate::consultation::{account, setup, CL};
use crate::validation::{analyst, api, cycle_2015, form_fields, post_form, upload};
use crate::web::TestApp;
use crate::Scratch;

/// The three channels, one State each so that each starts from version 0.
const CHANNELS: [(&str, &str); 3] = [("api", "CL"), ("form", "PE"), ("workbook", "MX")];

/// Saves `answers` for `state` through `channel` from version 0; the answer's status.
fn save_through(
    app: &TestApp,
    s: &Scratch,
    cookie: &str,
    bearer: &str,
    channel: &str,
    state: &str,
    answers: &Value,
) -> u16 {
    let form = format!("/en/cycles/2015/responses/{state}");
    match channel {
        "api" => {
            let path = format!("/api/v1/cycles/2015/responses/{state}");
            let headers = [("Authorization", bearer), ("If-Match", "\"v0\"")];
            api(app, "PUT", &path, &headers, Some(json!({ "answers": answers }))).0
        }
        "form" => {
            let csrf = app.get_with(&form, &[("Cookie", cookie)]).csrf();
            let mut fields =
                vec![("csrf".to_string(), csrf), ("version".into(), "0".into()), ("action".into(), "save".into())];
            fields.extend(form_fields(answers));
            post_form(app, &form, cookie, &fields).status
        }
        _ => {
            let csrf = app.get_with(&form, &[("Cookie", cookie)]).csrf();
            let store = s.open("c.db");
            let cycle = store.cycles().unwrap().into_iter().find(|c| c.year == 2015).unwrap();
            let answers: Answers = serde_json::from_value(answers.clone()).unwrap();
            let draft = Draft {
                cycle: 2015,
                state: state.into(),
                status: Status::NotStarted,
                answers,
                version: 0,
                updated_at: String::new(),
                updated_by: String::new(),
            };
            let lang = observa_web::Lang(observa_domain::Lang::En);
            let book = observa_web::workbook::build(&cycle.questionnaire, &draft, state, lang).unwrap();
            upload(app, &format!("{form}/workbook"), cookie, &csrf, &book).0
        }
    }
}

/// A State's pre-filled answers, as the API serves them.
fn prefilled(app: &TestApp, bearer: &str, state: &str) -> Value {
    let path = format!("/api/v1/cycles/2015/responses/{state}");
    api(app, "GET", &path, &[("Authorization", bearer)], None).2["answers"].clone()
}

#[test]
fn answers_with_only_a_required_gap_are_saved_by_every_channel_and_submitted_by_none() {
    let s = cycle_2015();
    let app = TestApp::spawn_on(s.open("c.db"));
    let (cookie, bearer) = analyst(&app, &s);
    let store = s.open("c.db");
    let cycle = store.cycles().unwrap().into_iter().find(|c| c.year == 2015).unwrap();
    let required: Vec<String> = cycle.questionnaire.questions().filter(|q| q.required).map(|q| q.id.clone()).collect();
    assert!(!required.is_empty(), "the questionnaire has required questions");
    for (channel, state) in CHANNELS {
        let mut answers = prefilled(&app, &bearer, state);
        for id in &required {
            answers.as_object_mut().unwrap().remove(id);
        }
        let status = save_through(&app, &s, &cookie, &bearer, channel, state, &answers);
        assert!(matches!(status, 200 | 303), "{channel}: saved, got {status}");
        let draft = store.draft(2015, state).unwrap().unwrap_or_else(|| panic!("{channel}: nothing saved"));
        assert_eq!((draft.version, draft.status), (1, Status::Draft), "{channel}");
        assert!(required.iter().all(|id| !draft.answers.contains_key(id)), "{channel}: the gap is saved as it is");

        // Submitting is refused whatever the channel that saved: by the API, and by the form.
        let path = format!("/api/v1/cycles/2015/responses/{state}/submit");
        let (status, _, body) = api(&app, "POST", &path, &[("Authorization", &bearer), ("If-Match", "\"v1\"")], None);
        assert_eq!(status, 422, "{channel}: {body}");
        assert!(body["issues"].as_array().unwrap().iter().all(|i| i["code"] == "required"), "{body}");
        let form = format!("/en/cycles/2015/responses/{state}");
        let csrf = app.get_with(&form, &[("Cookie", &cookie)]).csrf();
        let mut fields =
            vec![("csrf".to_string(), csrf), ("version".into(), "1".into()), ("action".into(), "submit".into())];
        fields.extend(form_fields(&answers));
        let page = post_form(&app, &form, &cookie, &fields);
        assert_eq!(page.status, 422, "{channel}: the form's submit is refused");
        assert!(page.body.contains("This question must be answered before submitting"), "{channel}");
        assert_eq!(store.submissions(2015, state).unwrap(), 0, "{channel}");
        assert_eq!(store.draft(2015, state).unwrap().unwrap().status, Status::Draft, "{channel}");
    }
}

#[test]
fn answers_with_a_control_character_are_refused_by_every_channel_and_nothing_is_saved() {
    let s = cycle_2015();
    let app = TestApp::spawn_on(s.open("c.db"));
    let (cookie, bearer) = analyst(&app, &s);
    let store = s.open("c.db");
    for (channel, state) in CHANNELS {
        let mut answers = prefilled(&app, &bearer, state);
        answers["plans.changes"] = json!("a change\u{7}");
        assert_eq!(save_through(&app, &s, &cookie, &bearer, channel, state, &answers), 422, "{channel}");
        assert_eq!(store.draft(2015, state).unwrap(), None, "{channel}: nothing saved");
    }
}

/// Chile's answers submitted by its officer through the API (token); the analyst's cookie.
fn submitted(app: &TestApp, s: &Scratch, token: &str) -> String {
    let bearer = format!("Bearer {token}");
    let mut answers = api(app, "GET", CL, &[("Authorization", &bearer)], None).2["answers"].clone();
    // The two required questions the registry does not pre-fill.
    answers["prevention.included"] = json!("yes");
    answers["recovery.services_exist"] = json!("yes");
    let (status, _, _) =
        api(app, "PUT", CL, &[("Authorization", &bearer), ("If-Match", "\"v0\"")], Some(json!({ "answers": answers })));
    assert_eq!(status, 200);
    let (status, _, body) =
        api(app, "POST", &format!("{CL}/submit"), &[("Authorization", &bearer), ("If-Match", "\"v1\"")], None);
    assert_eq!(status, 200, "{body}");
    account(app, s, "analista@secretaria.org", &["--role", "analyst"])
}

#[test]
fn a_return_writes_its_status_and_its_comment_together_or_neither() {
    let (app, s, token) = setup();
    let analyst = submitted(&app, &s, &token);
    let review = "/en/cycles/2015/review/CL";
    let csrf = app.get_with(review, &[("Cookie", &analyst)]).csrf();
    let store = s.open("c.db");
    let decision = format!("{review}/decision");
    for refused in ["", "   ", "please fix\u{1}this"] {
        let answer =
            app.post_form(&decision, &analyst, &[("csrf", &csrf), ("decision", "return"), ("comment", refused)]);
        assert_eq!(answer.status, 400, "{refused:?}");
        assert_eq!(
            store.draft(2015, "CL").unwrap().unwrap().status,
            Status::Submitted,
            "{refused:?}: status unchanged"
        );
        assert!(store.comments(2015, "CL").unwrap().is_empty(), "{refused:?}: no comment");
    }
    let answer = app.post_form(
        &decision,
        &analyst,
        &[("csrf", &csrf), ("decision", "return"), ("comment", "Add the 2015 law.")],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(store.draft(2015, "CL").unwrap().unwrap().status, Status::Returned);
    let comments = store.comments(2015, "CL").unwrap();
    assert_eq!(comments.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["Add the 2015 law."]);
    // A second decision on the returned response changes nothing.
    let again = app.post_form(&decision, &analyst, &[("csrf", &csrf), ("decision", "return"), ("comment", "Again.")]);
    assert_eq!(again.status, 409);
    assert_eq!(store.comments(2015, "CL").unwrap().len(), 1);
}

#[test]
fn an_acceptance_writes_the_decision_the_registry_and_its_comments_at_once() {
    let (app, s, token) = setup();
    let analyst = submitted(&app, &s, &token);
    let review = "/en/cycles/2015/review/CL";
    let csrf = app.get_with(review, &[("Cookie", &analyst)]).csrf();
    let store = s.open("c.db");
    let decision = format!("{review}/decision");
    let refused =
        app.post_form(&decision, &analyst, &[("csrf", &csrf), ("decision", "accept"), ("comment", "ok\u{1}")]);
    assert_eq!(refused.status, 400);
    assert_eq!(store.draft(2015, "CL").unwrap().unwrap().status, Status::Submitted);
    assert!(store.comments(2015, "CL").unwrap().is_empty());
    let accepted =
        app.post_form(&decision, &analyst, &[("csrf", &csrf), ("decision", "accept"), ("comment", "Thank you.")]);
    assert_eq!(accepted.status, 303);
    assert_eq!(store.draft(2015, "CL").unwrap().unwrap().status, Status::Accepted);
    let comments = store.comments(2015, "CL").unwrap();
    let authors: Vec<(&str, bool)> =
        comments.iter().map(|c| (c.author.as_str(), c.body.starts_with("Projected into the registry"))).collect();
    assert_eq!(
        authors,
        [("analista@secretaria.org", false), ("observa", true)],
        "the reviewer's comment, then the note"
    );
}

#[test]
fn a_liaison_officer_of_another_state_is_refused_on_every_operation() {
    let (app, s, token) = setup();
    let chile = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let csrf = app.get_with("/en/cycles/2015/responses/CL", &[("Cookie", &chile)]).csrf();
    let pe = "/en/cycles/2015/responses/PE";
    assert_eq!(app.get_with(pe, &[("Cookie", &chile)]).status, 403, "read the form");
    let save = [("csrf", csrf.as_str()), ("version", "0"), ("action", "save"), ("a|plans.changes", "x")];
    assert_eq!(app.post_form(pe, &chile, &save).status, 403, "save");
    let submit = [("csrf", csrf.as_str()), ("version", "0"), ("action", "submit")];
    assert_eq!(app.post_form(pe, &chile, &submit).status, 403, "submit");
    let comment = [("csrf", csrf.as_str()), ("question", "general"), ("body", "hello")];
    assert_eq!(app.post_form(&format!("{pe}/comments"), &chile, &comment).status, 403, "comment");
    assert_eq!(app.get_with(&format!("{pe}/workbook"), &[("Cookie", &chile)]).status, 403, "download the workbook");
    assert_eq!(upload(&app, &format!("{pe}/workbook"), &chile, &csrf, b"PK\x03\x04").0, 403, "upload a workbook");
    assert_eq!(upload(&app, &format!("{pe}/attachments"), &chile, &csrf, b"%PDF-1.4\n").0, 403, "attach");
    assert_eq!(app.get_with(&format!("{pe}/attachments/1"), &[("Cookie", &chile)]).status, 403, "read an attachment");
    let decide = [("csrf", csrf.as_str()), ("decision", "return"), ("comment", "no")];
    assert_eq!(app.post_form("/en/cycles/2015/review/PE/decision", &chile, &decide).status, 403, "return");
    assert_eq!(app.get_with("/en/cycles/2015", &[("Cookie", &chile)]).status, 403, "every State's status");
    let bearer = format!("Bearer {token}");
    let api_pe = "/api/v1/cycles/2015/responses/PE";
    assert_eq!(api(&app, "GET", api_pe, &[("Authorization", &bearer)], None).0, 403, "API read");
    let headers = [("Authorization", bearer.as_str()), ("If-Match", "\"v0\"")];
    assert_eq!(api(&app, "PUT", api_pe, &headers, Some(json!({ "answers": {} }))).0, 403, "API save");
    assert_eq!(api(&app, "POST", &format!("{api_pe}/submit"), &headers, None).0, 403, "API submit");
    let store = s.open("c.db");
    assert_eq!(store.draft(2015, "PE").unwrap(), None, "nothing was written for Peru");
    assert!(store.comments(2015, "PE").unwrap().is_empty() && store.attachments(2015, "PE").unwrap().is_empty());
}

#[test]
fn without_a_session_pages_go_to_the_sign_in_and_the_api_answers_401() {
    let (app, _s, _) = setup();
    let page = app.get_with("/es/cycles/2015/responses/CL?x=1", &[]);
    assert_eq!(page.status, 303);
    assert_eq!(page.headers["location"], "/es/account/login?next=/es/cycles/2015/responses/CL%3Fx%3D1");
    for headers in [vec![], vec![("Authorization", "Bearer not-a-token")]] {
        let url = format!("{}{CL}", app.base);
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut request = agent.get(&url);
        for (k, v) in &headers {
            request = request.header(*k, *v);
        }
        let mut answer = request.call().unwrap();
        assert_eq!(answer.status().as_u16(), 401, "{headers:?}");
        assert_eq!(answer.headers().get("www-authenticate").unwrap(), "Bearer");
        let body: Value = serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
        assert_eq!(body["error"], "Unauthorized", "{body}");
    }
}
