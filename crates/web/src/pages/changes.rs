//! What changed between two cycles on a State profile, a plan or a governing body: each record
//! added, changed (field by field) or closed, with the source that established it.

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use serde_json::Value;

use super::{page_lang, render, respond};
use crate::changes::{between, cycles, interval, Subject};
use crate::templates::v;
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/states/{code}/changes", get(state))
        .route("/{lang}/plans/{id}/changes", get(plan))
        .route("/{lang}/bodies/{id}/changes", get(body))
}

#[derive(serde::Deserialize)]
struct Interval {
    from: Option<String>,
    to: Option<String>,
}

async fn state(
    State(app): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
    uri: Uri,
    Query(i): Query<Interval>,
) -> Response {
    let code = code.to_ascii_uppercase();
    let result = page_lang(&lang).and_then(|l| {
        let snap = app.snapshot();
        let name = snap.dataset.state(&code).map(|s| s.name(l.0).to_string());
        let name = name.ok_or_else(|| WebError::NotFound(format!("{} `{code}`", l.text("error-no-state"))))?;
        show(&app, l, &uri, &i, Subject::State(code.clone()), name, format!("/{}/states/{code}", l.code()))
    });
    respond(&app, &lang, result)
}

async fn plan(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    uri: Uri,
    Query(i): Query<Interval>,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let snap = app.snapshot();
        let name = snap.dataset.plans.iter().find(|p| p.id == id).map(|p| p.name.clone());
        let name = name.ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text("error-no-plan"))))?;
        show(&app, l, &uri, &i, Subject::Plan(id.clone()), name, format!("/{}/plans/{id}", l.code()))
    });
    respond(&app, &lang, result)
}

async fn body(
    State(app): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    uri: Uri,
    Query(i): Query<Interval>,
) -> Response {
    let result = page_lang(&lang).and_then(|l| {
        let snap = app.snapshot();
        let name = snap.dataset.bodies.iter().find(|b| b.id == id).map(|b| b.name.clone());
        let name = name.ok_or_else(|| WebError::NotFound(format!("{} `{id}`", l.text("error-no-body"))))?;
        show(&app, l, &uri, &i, Subject::Body(id.clone()), name, format!("/{}/bodies/{id}", l.code()))
    });
    respond(&app, &lang, result)
}

fn show(
    app: &AppState,
    l: crate::Lang,
    uri: &Uri,
    i: &Interval,
    subject: Subject,
    name: String,
    back: String,
) -> Result<Response, WebError> {
    let (from, to) = interval(app, i.from.as_deref(), i.to.as_deref())?;
    let found = between(app, from, to, &subject)?;
    let changes: Vec<Value> = found
        .iter()
        .map(|c| {
            let fields: Vec<Value> = c
                .fields
                .iter()
                .map(|f| serde_json::json!({ "field": f.field, "before": shown(&f.before), "after": shown(&f.after) }))
                .collect();
            serde_json::json!({
                "kind": c.kind, "table": c.change.table, "record": c.change.record, "fields": fields,
                "established_by": c.established_by, "effective": c.effective.to_string(), "cycle": c.cycle,
            })
        })
        .collect();
    let ctx = context! {
        name, back, changes => v(changes), from => from.to_string(), to => to.to_string(),
        cycles => v(cycles(app)?), path => uri.path(),
    };
    Ok(render(app, l, uri, "changes.html", ctx))
}

/// A field's value as a reader sees it: text as it is, anything else as compact JSON.
fn shown(value: &Option<Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
