//! The secretariat's translation desk: every registry text that lacks a language (an accepted
//! answer's text in the State's language, typically), each with a form per missing language.
//! A translation is written by `observa_workflow::translate`, versioned and audited like any
//! registry change, and the portal shows it at once.

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;
use observa_domain::Lang;
use observa_workflow::translate::Subject;
use serde::Deserialize;

use super::account::private;
use super::{render, respond};
use crate::signed_in::{Analyst, SignedIn};
use crate::templates::v;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/translations", get(desk).post(save))
}

#[derive(Deserialize)]
struct Filter {
    #[serde(default)]
    state: String,
    #[serde(default)]
    saved: String,
}

async fn desk(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(filter): Query<Filter>,
    uri: Uri,
    who: SignedIn<Analyst>,
) -> Response {
    let result = (|| {
        let l = who.lang;
        who.actor.require(who.actor.may_translate(), "translate registry texts").map_err(|e| who.fail(&app, e))?;
        let wanted = filter.state.to_ascii_uppercase();
        let pending: Vec<_> = observa_domain::translation::pending(&app.snapshot().dataset)
            .into_iter()
            .filter(|p| wanted.is_empty() || p.state.as_deref() == Some(wanted.as_str()))
            .take(200)
            .map(|p| {
                let text = match &p.text {
                    serde_json::Value::Array(items) => {
                        items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join("\n")
                    }
                    other => other.as_str().unwrap_or_default().to_string(),
                };
                context! { item => v(&p), text, list => p.text.is_array() }
            })
            .collect();
        let ctx =
            context! { pending, state => wanted, saved => !filter.saved.is_empty(), csrf => who.session.csrf.clone() };
        Ok(private(render(&app, l, &uri, "translations.html", ctx)))
    })();
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Translated {
    csrf: String,
    state: String,
    table: String,
    record: String,
    field: String,
    lang: String,
    text: String,
}

async fn save(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    who: Result<SignedIn<Analyst>, Response>,
    Form(form): Form<Translated>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        who.check_csrf(&app, &form.csrf)?;
        let into = Lang::ALL
            .into_iter()
            .find(|l| l.code() == form.lang)
            .ok_or_else(|| WebError::BadRequest(format!("`{}` is not one of en, es, pt, fr", form.lang)))?;
        let state = form.state.to_ascii_uppercase();
        let subject = Subject { state: &state, table: &form.table, record: &form.record, field: &form.field };
        who.call(&app, |store, _, actor| observa_workflow::translate(store, actor, &subject, into, &form.text))?;
        app.refresh();
        let back = format!("/{}/translations?state={state}&saved=1", who.lang.code());
        Ok(private(Redirect::to(&back).into_response()))
    })();
    respond(&app, &lang, result)
}
