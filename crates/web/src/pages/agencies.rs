//! International agencies: how many States mention each, and every place each appears.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};

use super::{page_lang, render, respond, LangPath};
use crate::templates::v;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/agencies", get(index)).route("/{lang}/agencies/{id}", get(agency))
}

async fn index(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = page_lang(&lang).map(|l| {
        let agencies: Vec<Value> = app
            .snapshot_in(l.0)
            .agencies()
            .into_iter()
            .map(|(o, states, mentions)| context! { agency => v(o), states, mentions })
            .collect();
        render(&app, l, &uri, "agencies.html", context! { agencies })
    });
    respond(&app, &lang, result)
}

async fn agency(State(app): State<AppState>, Path((lang, id)): Path<(String, String)>, uri: Uri) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let snap = app.snapshot_in(l.0);
        let org = snap
            .organisation(&id)
            .ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text("error-no-agency"))))?;
        let appearances: Vec<Value> = snap
            .appearances
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|a| {
                let state = snap.dataset.state(&a.state).map(|s| s.name(l.0).to_string());
                let body = a
                    .body
                    .as_ref()
                    .and_then(|b| snap.dataset.bodies.iter().find(|x| &x.id == b))
                    .map(|b| b.name.clone());
                context! { appearance => v(a), state_name => state, body_name => body }
            })
            .collect();
        Ok(render(&app, l, &uri, "agency.html", context! { agency => v(org), appearances }))
    });
    respond(&app, &lang, result)
}
