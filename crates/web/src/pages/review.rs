//! The secretariat's review of a submitted response: the State's answers beside its previous
//! accepted ones (changes highlighted), comments on any question with the officers' replies, and
//! the decision: return with comments, or accept.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::consultation::Value as Answer;
use observa_store::Comment;
use serde::Deserialize;

use super::account::private;
use super::{render, respond};
use crate::signed_in::{Analyst, SignedIn};
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
    who: SignedIn<Analyst>,
) -> Response {
    let result = (|| {
        let l = who.lang;
        let (cycle, draft, before, comments) = who.call(&app, |store, registry, actor| {
            let (cycle, draft) = observa_workflow::response(store, registry, actor, year, &state)?;
            let before = observa_workflow::review::previous(store, actor, year, &state)?;
            Ok((cycle, draft, before, store.comments(year, &state)?))
        })?;
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
            decidable => observa_workflow::status::decidable(draft.status), csrf => who.session.csrf.clone(),
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
    who: Result<SignedIn<Analyst>, Response>,
    Form(form): Form<Decision>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        who.check_csrf(&app, &form.csrf)?;
        match form.decision.as_str() {
            "return" => who.call(&app, |store, _, actor| {
                observa_workflow::return_response(store, actor, year, &state, &form.comment)
            })?,
            "accept" => {
                who.call(&app, |store, _, actor| observa_workflow::accept(store, actor, year, &state, &form.comment))?;
                // The decision has committed; the portal's view follows (a failed rebuild keeps the
                // old view and is logged, see `AppState::refresh`).
                app.refresh();
            }
            other => return Err(WebError::BadRequest(format!("`{other}` is not a decision; return or accept"))),
        }
        Ok(private(Redirect::to(&format!("/{}/cycles/{year}", who.lang.code())).into_response()))
    })();
    respond(&app, &lang, result)
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
    who: Result<SignedIn, Response>,
    Form(form): Form<NewComment>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = who.lang;
        who.actor.require(who.actor.may_comment(&state), "comment on these answers").map_err(|e| who.fail(&app, e))?;
        who.check_csrf(&app, &form.csrf)?;
        who.call(&app, |store, _, actor| {
            observa_workflow::comment(store, actor, year, &state, &form.question, &form.body)
        })?;
        let fallback = format!("/{}/cycles/{year}/responses/{state}", l.code());
        let back = if form.back.starts_with(&format!("/{}/cycles/{year}/", l.code())) { form.back } else { fallback };
        Ok(private(Redirect::to(&back).into_response()))
    })();
    respond(&app, &lang, result)
}
