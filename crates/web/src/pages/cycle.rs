//! The consultation in the browser: a liaison officer's form for their State (pre-filled, saved as
//! a versioned draft, submitted once), the conflict view when someone saved in between, and the
//! secretariat's page with every State's status and what is overdue. Works without JavaScript.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::consultation::{check, Answers, Cycle, Draft, Issue, Value as Answer};
use observa_domain::questionnaire::{AnswerType, Labels};
use observa_store::{Comment, Session};
use observa_workflow::{deadline, response, save_answers, submit, WorkflowError};

use super::account::private;
use super::{render, respond};
use crate::auth::internal;
use crate::signed_in::{Analyst, SignedIn};
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/cycles/{year}", get(status_page))
        .route("/{lang}/cycles/{year}/responses/{state}", get(form_page).post(save))
}

fn text(labels: &Labels, l: Lang) -> String {
    labels.get(&l.0).or_else(|| labels.get(&observa_domain::Lang::En)).cloned().unwrap_or_default()
}

/// The questionnaire as the template walks it, with each question's value and issues.
fn form_parts(cycle: &Cycle, answers: &Answers, issues: &[Issue], comments: &[Comment], l: Lang) -> Vec<Value> {
    cycle
        .questionnaire
        .parts
        .iter()
        .map(|part| {
            let sections: Vec<Value> = part
                .sections
                .iter()
                .map(|section| {
                    let questions: Vec<Value> = section
                        .questions
                        .iter()
                        .map(|q| {
                            let value = answers.get(&q.id);
                            let (text_value, items, mut rows) = match value {
                                Some(Answer::Text(t)) => (t.clone(), vec![], vec![]),
                                Some(Answer::Items(i)) => (String::new(), i.clone(), vec![]),
                                Some(Answer::Rows(r)) => (String::new(), vec![], r.clone()),
                                None => (String::new(), vec![], vec![]),
                            };
                            if q.kind == AnswerType::Table {
                                rows.extend([BTreeMap::new(), BTreeMap::new()]);
                            }
                            let mut items = items;
                            items.resize(3, String::new());
                            let options: Vec<Value> =
                                q.options.iter().map(|(id, labels)| context! { id, label => text(labels, l) }).collect();
                            let columns: Vec<Value> = q
                                .columns
                                .iter()
                                .map(|c| context! { id => c.id.clone(), label => text(&c.label, l) })
                                .collect();
                            let messages: Vec<String> = issues
                                .iter()
                                .filter(|i| i.question == q.id)
                                .map(|i| format!("{} ({})", l.text(&format!("issue-{}", i.code)), i.detail))
                                .collect();
                            let notes = super::review::notes(comments, &q.id);
                            context! {
                                id => q.id.clone(), number => q.number.clone(), kind => crate::templates::v(q.kind), notes,
                                required => q.required, label => text(&q.label, l), help => text(&q.help, l),
                                value => text_value, items, rows => crate::templates::v(rows), options, columns, messages,
                            }
                        })
                        .collect();
                    context! { title => text(&section.title, l), questions }
                })
                .collect();
            context! { title => text(&part.title, l), sections }
        })
        .collect()
}

/// Reads the form's fields (`a|question`, `a|question|item`, `a|question|row|column`) into answers.
fn answers_from(fields: &[(String, String)]) -> Answers {
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut items: BTreeMap<String, BTreeMap<usize, String>> = BTreeMap::new();
    let mut rows: BTreeMap<String, BTreeMap<usize, BTreeMap<String, String>>> = BTreeMap::new();
    for (name, value) in fields {
        let value = value.replace("\r\n", "\n").trim().to_string();
        let parts: Vec<&str> = name.split('|').collect();
        match parts.as_slice() {
            ["a", q] => {
                texts.insert(q.to_string(), value);
            }
            ["a", q, i] => {
                if let Ok(i) = i.parse::<usize>() {
                    items.entry(q.to_string()).or_default().insert(i, value);
                }
            }
            ["a", q, r, c] => {
                if let Ok(r) = r.parse::<usize>() {
                    rows.entry(q.to_string()).or_default().entry(r).or_default().insert(c.to_string(), value);
                }
            }
            _ => {}
        }
    }
    let mut answers = Answers::new();
    for (q, t) in texts.into_iter().filter(|(_, t)| !t.is_empty()) {
        answers.insert(q, Answer::Text(t));
    }
    for (q, list) in items {
        let list: Vec<String> = list.into_values().filter(|t| !t.is_empty()).collect();
        if !list.is_empty() {
            answers.insert(q, Answer::Items(list));
        }
    }
    for (q, table) in rows {
        let table: Vec<BTreeMap<String, String>> = table
            .into_values()
            .map(|row| row.into_iter().filter(|(_, v)| !v.is_empty()).collect::<BTreeMap<_, _>>())
            .filter(|row| !row.is_empty())
            .collect();
        if !table.is_empty() {
            answers.insert(q, Answer::Rows(table));
        }
    }
    answers
}

fn show_form(
    app: &AppState,
    l: Lang,
    uri: &Uri,
    session: &Session,
    cycle: &Cycle,
    draft: &Draft,
    submitting: bool,
) -> Result<Response, WebError> {
    let issues = check(&cycle.questionnaire, &draft.answers, submitting);
    let (comments, attachments) = {
        let store = app.store.lock().expect("store lock");
        let comments = store.comments(cycle.year, &draft.state).map_err(internal)?;
        (comments, store.attachments(cycle.year, &draft.state).map_err(internal)?)
    };
    let general = super::review::notes(&comments, "general");
    let questions: Vec<Value> =
        cycle.questionnaire.questions().map(|q| context! { id => q.id.clone(), number => q.number.clone() }).collect();
    let name = app.snapshot().dataset.state(&draft.state).map_or(draft.state.clone(), |s| s.name(l.0).to_string());
    let ctx = context! {
        year => cycle.year, state => draft.state.clone(), name, deadline => cycle.deadline.to_string(),
        status => draft.status.code(), editable => observa_workflow::status::open(draft.status), version => draft.version,
        updated_at => draft.updated_at.clone(), updated_by => draft.updated_by.clone(),
        parts => form_parts(cycle, &draft.answers, &issues, &comments, l), issue_count => issues.len(),
        csrf => session.csrf.clone(), general, questions, attachments => crate::templates::v(attachments),
    };
    let mut response = private(render(app, l, uri, "response.html", ctx));
    if submitting && !issues.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn form_page(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
    uri: Uri,
    who: SignedIn,
) -> Response {
    let result = (|| {
        let (cycle, draft) = who.call(&app, |store, registry, actor| response(store, registry, actor, year, &state))?;
        show_form(&app, who.lang, &uri, &who.session, &cycle, &draft, false)
    })();
    respond(&app, &lang, result)
}

async fn save(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
    uri: Uri,
    headers: HeaderMap,
    who: Result<SignedIn, Response>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let l = who.lang;
    let autosave = headers.contains_key("x-autosave");
    let result = (|| {
        // Who may answer before anything of the form is read.
        who.actor.require(who.actor.may_answer(&state), "answer for this State").map_err(|e| who.fail(&app, e))?;
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
        who.check_csrf(&app, field("csrf"))?;
        let based_on: i64 =
            field("version").parse().map_err(|_| WebError::BadRequest("the form has no version".into()))?;
        // The conflict page re-sends the officer's answers as JSON; the form sends fields.
        let answers = match field("answers_json") {
            "" => answers_from(&fields),
            json => serde_json::from_str(json).map_err(|e| WebError::BadRequest(format!("answers: {e}")))?,
        };
        let saved = who
            .run(&app, |store, registry, actor| save_answers(store, registry, actor, year, &state, &answers, based_on));
        let version = match saved {
            Ok(saved) => saved.version,
            // The workflow's policy refused the answers: nothing was saved; the form comes back
            // with what was typed and the messages beside the questions.
            Err(WorkflowError::Refused { issues }) if autosave => {
                let body = axum::Json(serde_json::json!({ "error": "Unprocessable Entity", "issues": issues }));
                return Ok(private((StatusCode::UNPROCESSABLE_ENTITY, body).into_response()));
            }
            Err(WorkflowError::Refused { .. }) => {
                let (cycle, stored) =
                    who.call(&app, |store, registry, actor| response(store, registry, actor, year, &state))?;
                let typed = Draft { answers, version: based_on, ..stored };
                let mut page = show_form(&app, l, &uri, &who.session, &cycle, &typed, false)?;
                *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(page);
            }
            Err(WorkflowError::Stale { .. }) if autosave => {
                let body = axum::Json(serde_json::json!({ "error": "conflict" }));
                return Ok(private((StatusCode::CONFLICT, body).into_response()));
            }
            Err(WorkflowError::Stale { .. }) => return conflict(&app, l, &uri, &who, year, &state, &answers),
            Err(e) => return Err(who.fail(&app, e)),
        };
        let back = format!("/{}/cycles/{year}/responses/{state}", l.code());
        if autosave {
            return Ok(private(axum::Json(serde_json::json!({ "version": version })).into_response()));
        }
        if field("action") != "submit" {
            return Ok(private(Redirect::to(&format!("{back}?saved={version}")).into_response()));
        }
        match who.run(&app, |store, registry, actor| submit(store, registry, actor, year, &state, version)) {
            Ok(_) => Ok(private(Redirect::to(&format!("{back}?submitted={version}")).into_response())),
            Err(WorkflowError::Refused { .. }) => {
                let (cycle, draft) =
                    who.call(&app, |store, registry, actor| response(store, registry, actor, year, &state))?;
                show_form(&app, l, &uri, &who.session, &cycle, &draft, true)
            }
            Err(WorkflowError::Stale { .. }) => conflict(&app, l, &uri, &who, year, &state, &answers),
            Err(e) => Err(who.fail(&app, e)),
        }
    })();
    respond(&app, &lang, result)
}

/// Both versions, question by question; the officer's answers ride along to be saved on top of
/// the newer version once merged (nothing is lost).
pub(super) fn conflict(
    app: &AppState,
    l: Lang,
    uri: &Uri,
    who: &SignedIn,
    year: i32,
    state: &str,
    mine: &Answers,
) -> Result<Response, WebError> {
    let (cycle, theirs) = who.call(app, |store, registry, actor| response(store, registry, actor, year, state))?;
    let show = |a: Option<&Answer>| a.map_or(String::new(), Answer::as_text);
    let rows: Vec<Value> = cycle
        .questionnaire
        .questions()
        .filter(|q| mine.get(&q.id) != theirs.answers.get(&q.id))
        .map(|q| context! { number => q.number.clone(), label => text(&q.label, l), mine => show(mine.get(&q.id)), theirs => show(theirs.answers.get(&q.id)) })
        .collect();
    let ctx = context! {
        year, state, rows, version => theirs.version, by => theirs.updated_by, at => theirs.updated_at,
        answers_json => serde_json::to_string(mine).unwrap_or_default(), csrf => who.session.csrf.clone(),
    };
    let mut response = private(render(app, l, uri, "response_conflict.html", ctx));
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}

async fn status_page(
    State(app): State<AppState>,
    Path((lang, year)): Path<(String, i32)>,
    uri: Uri,
    who: SignedIn<Analyst>,
) -> Response {
    let result = (|| {
        let l = who.lang;
        let snap = app.snapshot();
        let states: Vec<&observa_domain::state::State> =
            snap.dataset.states.iter().filter(|s| s.code.is_oas_member()).collect();
        let codes: Vec<&str> = states.iter().map(|s| s.code.as_str()).collect();
        let today = chrono::Utc::now().date_naive();
        let (cycle, drafts, reminders) = who.call(&app, |store, _, _| {
            let cycle = observa_workflow::find_cycle(store, year)?;
            let reminders = deadline::reminders_due(store, &cycle, &codes, today)?;
            Ok((cycle, store.drafts(year)?, reminders))
        })?;
        let mut rows: Vec<(String, Value)> = states
            .iter()
            .map(|s| {
                let draft = drafts.iter().find(|d| d.state == s.code.as_str());
                let status = deadline::status_of(&drafts, s.code.as_str());
                let overdue = deadline::overdue(&cycle, status, today);
                let name = s.name(l.0).to_string();
                let row = context! {
                    code => s.code.to_string(), name => name.clone(), status => status.code(), overdue,
                    version => draft.map_or(0, |d| d.version), updated_at => draft.map(|d| d.updated_at.clone()),
                };
                (name, row)
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let rows: Vec<Value> = rows.into_iter().map(|r| r.1).collect();
        let name = |code: &str| snap.dataset.state(code).map_or(code.to_string(), |s| s.name(l.0).to_string());
        let due: Vec<Value> =
            reminders.iter().map(|r| context! { name => name(&r.state), to => r.to.clone() }).collect();
        let ctx =
            context! { year, deadline => cycle.deadline.to_string(), rows, due, csrf => who.session.csrf.clone() };
        Ok(private(render(&app, l, &uri, "cycle_status.html", ctx)))
    })();
    respond(&app, &lang, result)
}
