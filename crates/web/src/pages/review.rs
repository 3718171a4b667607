//! The secretariat's review of a submitted response: the State's answers beside its previous
//! accepted ones (changes highlighted), comments on any question with the officers' replies, and
//! the decision: return with comments, or accept.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::consultation::{Status, Value as Answer};
use observa_domain::projection::project;
use observa_domain::text;
use observa_store::{Comment, StoreError};
use serde::Deserialize;

use super::account::{check_csrf, private, refuse, signed_in};
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::responses::{may_answer, response};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/cycles/{year}/review/{state}", get(review_page))
        .route("/{lang}/cycles/{year}/review/{state}/decision", post(decide))
        .route("/{lang}/cycles/{year}/responses/{state}/comments", post(comment))
}

/// The comments on one question, as the templates show them.
pub(super) fn notes(comments: &[Comment], question: &str) -> Vec<Value> {
    comments
        .iter()
        .filter(|c| c.question == question)
        .map(|c| context! { author => c.author.clone(), at => c.at.clone(), body => c.body.clone() })
        .collect()
}

async fn review_page(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match signed_in(&app, &headers, l, &uri)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        if !session.account.role.is_secretariat() {
            return Err(refuse(&app, &session, uri.path()));
        }
        let (cycle, draft) = response(&app, year, &state)?;
        let before = crate::responses::last_accepted(&**app.store.lock().expect("store lock"), &cycle, &state)?
            .unwrap_or_default();
        let comments = app.store.lock().expect("store lock").comments(year, &state).map_err(internal)?;
        let label = |labels: &observa_domain::questionnaire::Labels| {
            labels.get(&l.0).or_else(|| labels.get(&observa_domain::Lang::En)).cloned().unwrap_or_default()
        };
        let rows: Vec<Value> = cycle
            .questionnaire
            .questions()
            .map(|q| {
                let shown = |a: Option<&Answer>| a.map_or(String::new(), Answer::as_text);
                let (old, new) = (shown(before.get(&q.id)), shown(draft.answers.get(&q.id)));
                let notes = notes(&comments, &q.id);
                context! { id => q.id.clone(), number => q.number.clone(), label => label(&q.label), changed => old != new, old, new, notes }
            })
            .collect();
        let general = notes(&comments, "general");
        let name = app.snapshot().dataset.state(&state).map_or(state.clone(), |s| s.name(l.0).to_string());
        let ctx = context! {
            year, state, name, rows, general, status => draft.status.code(), version => draft.version,
            decidable => draft.status == Status::Submitted, csrf => session.csrf,
        };
        Ok(private(render(&app, l, &uri, "review.html", ctx)))
    })();
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Decision {
    csrf: String,
    decision: String,
    #[serde(default)]
    comment: String,
}

async fn decide(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<Decision>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match signed_in(&app, &headers, l, &uri)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        if !session.account.role.is_secretariat() {
            return Err(refuse(&app, &session, uri.path()));
        }
        check_csrf(&app, &session, &form.csrf)?;
        let decision = match form.decision.as_str() {
            "return" => Status::Returned,
            "accept" => Status::Accepted,
            other => return Err(WebError::BadRequest(format!("`{other}` is not a decision; return or accept"))),
        };
        if decision == Status::Returned && form.comment.trim().is_empty() {
            return Err(WebError::BadRequest(l.text("review-return-needs-comment")));
        }
        let email = session.account.email.clone();
        if decision == Status::Accepted {
            accept(&app, year, &state, form.comment.trim(), &email)?;
        } else {
            let mut store = app.store.lock().expect("store lock");
            store.add_comment(year, &state, "general", &form.comment, &email).map_err(invalid)?;
            store.review(year, &state, decision, form.comment.trim(), &email).map_err(invalid)?;
        }
        Ok(private(Redirect::to(&format!("/{}/cycles/{year}", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}

fn invalid(e: StoreError) -> WebError {
    match e {
        StoreError::Invalid(m) => WebError::Conflict(m),
        other => internal(other),
    }
}

#[derive(Deserialize)]
struct NewComment {
    csrf: String,
    question: String,
    body: String,
    #[serde(default)]
    back: String,
}

/// A comment on one question: the secretariat's, or a reply by the State's own officers.
async fn comment(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<NewComment>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match signed_in(&app, &headers, l, &uri)? {
            Ok(s) => s,
            Err(r) => return Ok(r),
        };
        if !may_answer(&session.account, &state) {
            return Err(refuse(&app, &session, uri.path()));
        }
        check_csrf(&app, &session, &form.csrf)?;
        let (cycle, _) = response(&app, year, &state)?;
        if form.question != "general" && !cycle.questionnaire.questions().any(|q| q.id == form.question) {
            return Err(WebError::BadRequest(format!("no question `{}`", form.question)));
        }
        let mut store = app.store.lock().expect("store lock");
        store.add_comment(year, &state, &form.question, &form.body, &session.account.email).map_err(|e| match e {
            StoreError::Invalid(m) => WebError::BadRequest(m),
            other => internal(other),
        })?;
        let fallback = format!("/{}/cycles/{year}/responses/{state}", l.code());
        let back = if form.back.starts_with(&format!("/{}/cycles/{year}/", l.code())) { form.back } else { fallback };
        Ok(private(Redirect::to(&back).into_response()))
    })();
    respond(&app, &lang, result)
}

/// Accepting projects the answers into the registry (in the same transaction as the decision),
/// records what was and was not projected in the review's thread, and refreshes the portal.
///
/// Either the accept commits and the answer is a redirect, or nothing changes: everything that can
/// refuse it (the comment, the projected registry's validation) is checked before or inside the
/// one transaction, and nothing after the commit can turn it into an error. The thread's comments
/// are written after the commit (a failure there is logged: the decision stands), and the portal's
/// refresh keeps the old view and logs when it cannot rebuild ([`AppState::refresh`]).
pub(crate) fn accept(app: &AppState, year: i32, state: &str, comment: &str, actor: &str) -> Result<(), WebError> {
    if comment.chars().count() > MAX_COMMENT {
        return Err(WebError::BadRequest(format!("a comment has at most {MAX_COMMENT} characters")));
    }
    if let Err(problem) = text::check(comment, text::Kind::Long) {
        return Err(WebError::BadRequest(format!("the comment: {problem}")));
    }
    let (cycle, draft) = response(app, year, state)?;
    {
        let mut store = app.store.lock().expect("store lock");
        // The registry as stored, not the portal's view: the view may lag behind (a refresh that
        // failed), and projecting onto it would undo what was accepted since. Loaded under the
        // lock, so two accepts at once cannot both start from the same registry.
        let registry = store.load().map_err(internal)?;
        let projection = project(&cycle.questionnaire, &draft.answers, &registry, year, state);
        if let Some(problem) = projection.dataset.validate().first() {
            return Err(WebError::Conflict(format!("the projected registry is invalid: {problem}")));
        }
        let changes = observa_domain::history::diff(&registry, &projection.dataset).map_err(WebError::Conflict)?;
        store.accept(year, state, &changes, comment, actor).map_err(invalid)?;
        let mut note = format!("Projected into the registry: {}.", projection.changes.join("; "));
        if !projection.skipped.is_empty() {
            note.push_str(&format!(" Not projected (kept in the answers): {}.", projection.skipped.join("; ")));
        }
        let note: String = note.chars().take(4900).collect();
        let thread = [(comment, actor), (note.as_str(), "observa")];
        for (body, author) in thread.into_iter().filter(|(body, _)| !body.is_empty()) {
            if let Err(e) = store.add_comment(year, state, "general", body, author) {
                tracing::error!(error = %e, year, state, "the accepted response's comment could not be added");
            }
        }
    }
    app.refresh();
    Ok(())
}

/// The longest comment the store keeps.
const MAX_COMMENT: usize = 5_000;
