//! The analysts' annotations: filing SWOT items under other themes (the synthesis's counts
//! follow), and each State's reply to its assessment against the Rio commitment. Analysts and
//! administrators annotate everything; a liaison officer writes only their own State's reply.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::analysis::swot::swot_by_theme;
use observa_domain::editorial::{annotation_map, Annotation, AnnotationKind};
use observa_store::{Session, StoreError};
use serde::Deserialize;

use super::account::{check_csrf, gate, private, refuse, Gate};
use super::editorial::{conflict, Conflict};
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/editorial/{cycle}/swot", get(swot_editor))
        .route("/{lang}/editorial/{cycle}/swot/{item}", post(save_theme))
        .route("/{lang}/editorial/{cycle}/rio", get(rio_editor))
        .route("/{lang}/editorial/{cycle}/rio/{state}", post(save_reply))
}

/// The annotations of a cycle (for the public SWOT and Rio pages and the report).
pub fn of_cycle(app: &AppState, cycle: i32) -> Result<Vec<Annotation>, WebError> {
    app.store.lock().expect("store lock").annotations(cycle).map_err(internal)
}

/// Who may annotate `subject` of `kind`: the secretariat anything; a liaison officer only their
/// own State's Rio reply.
fn may_annotate(session: &Session, kind: AnnotationKind, subject: &str) -> bool {
    observa_workflow::Actor::from(&session.account).may_annotate(kind, subject)
}

async fn swot_editor(
    State(app): State<AppState>,
    Path((lang, cycle)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let cycle = super::cycle_year(&cycle)?;
        let session = match gate(&app, &headers, l, &uri)? {
            Gate::Redirect(r) => return Ok(r),
            Gate::Pass(s, _) if s.account.role.is_secretariat() => s,
            Gate::Pass(s, _) => return Err(refuse(&app, &s, uri.path())),
        };
        let annotations = of_cycle(&app, cycle)?;
        let ds = &app.snapshot().dataset;
        let regroup = annotation_map(&annotations, AnnotationKind::SwotTheme);
        let themes: Vec<String> = swot_by_theme(ds, &regroup).into_iter().map(|g| g.theme).collect();
        let items: Vec<Value> = ds
            .swot
            .iter()
            .map(|item| {
                let stored = annotations.iter().find(|a| a.kind == AnnotationKind::SwotTheme && a.subject == item.id);
                context! {
                    id => item.id.clone(), text => item.text.clone(), states => item.states,
                    category => crate::templates::v(item.category), original => item.theme.clone(),
                    theme => stored.map_or(item.theme.clone(), |a| a.body.clone()),
                    version => stored.map_or(0, |a| a.version),
                }
            })
            .collect();
        let ctx = context! { cycle, items, themes, csrf => session.csrf };
        Ok(private(render(&app, l, &uri, "editorial_swot.html", ctx)))
    })();
    respond(&app, &lang, result)
}

async fn rio_editor(
    State(app): State<AppState>,
    Path((lang, cycle)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let cycle = super::cycle_year(&cycle)?;
        let session = match gate(&app, &headers, l, &uri)? {
            Gate::Redirect(r) => return Ok(r),
            Gate::Pass(s, _) => s,
        };
        let annotations = of_cycle(&app, cycle)?;
        let ds = &app.snapshot().dataset;
        let mut states: Vec<&observa_domain::StateCode> =
            ds.responses.iter().filter(|r| r.cycle == cycle).map(|r| &r.state).collect();
        states.sort();
        states.dedup();
        let rows: Vec<Value> = states
            .into_iter()
            .filter(|s| may_annotate(&session, AnnotationKind::RioReply, s.as_str()))
            .map(|s| {
                let stored = annotations.iter().find(|a| a.kind == AnnotationKind::RioReply && a.subject == s.as_str());
                let name = ds.state(s.as_str()).map_or(s.to_string(), |st| st.name(l.0).to_string());
                context! {
                    state => s.to_string(), name,
                    reply => stored.map_or(String::new(), |a| a.body.clone()),
                    version => stored.map_or(0, |a| a.version),
                }
            })
            .collect();
        if rows.is_empty() {
            return Err(refuse(&app, &session, uri.path()));
        }
        let ctx = context! { cycle, rows, csrf => session.csrf };
        Ok(private(render(&app, l, &uri, "editorial_rio.html", ctx)))
    })();
    respond(&app, &lang, result)
}

#[derive(Deserialize)]
struct Save {
    csrf: String,
    version: i64,
    body: String,
}

async fn save_theme(
    State(app): State<AppState>,
    Path((lang, cycle, item)): Path<(String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<Save>,
) -> Response {
    let result = save(&app, &lang, &cycle, AnnotationKind::SwotTheme, &item, &uri, &headers, form);
    respond(&app, &lang, result)
}

async fn save_reply(
    State(app): State<AppState>,
    Path((lang, cycle, state)): Path<(String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
    Form(form): Form<Save>,
) -> Response {
    let result = save(&app, &lang, &cycle, AnnotationKind::RioReply, &state, &uri, &headers, form);
    respond(&app, &lang, result)
}

#[allow(clippy::too_many_arguments)]
fn save(
    app: &AppState,
    lang: &str,
    cycle: &str,
    kind: AnnotationKind,
    subject: &str,
    uri: &Uri,
    headers: &HeaderMap,
    form: Save,
) -> Result<Response, WebError> {
    let l: Lang = page_lang(lang)?;
    let cycle = super::cycle_year(cycle)?;
    let session = match gate(app, headers, l, uri)? {
        Gate::Redirect(r) => return Ok(r),
        Gate::Pass(s, _) => s,
    };
    if !may_annotate(&session, kind, subject) {
        return Err(refuse(app, &session, uri.path()));
    }
    check_csrf(app, &session, &form.csrf)?;
    let known = match kind {
        AnnotationKind::SwotTheme => app.snapshot().dataset.swot.iter().any(|s| s.id == subject),
        AnnotationKind::RioReply => app.snapshot().dataset.state(subject).is_some(),
    };
    if !known {
        return Err(WebError::NotFound(format!("nothing to annotate at `{subject}`")));
    }
    let page = if kind == AnnotationKind::SwotTheme { "swot" } else { "rio" };
    let back = format!("/{}/editorial/{cycle}/{page}#{subject}", l.code());
    let annotation = Annotation {
        cycle,
        kind,
        subject: subject.to_string(),
        body: form.body.replace("\r\n", "\n").trim().to_string(),
        version: form.version,
        updated_at: None,
        updated_by: None,
    };
    let mut store = app.store.lock().expect("store lock");
    match store.save_annotation(&annotation, &session.account.email) {
        Ok(_) => {
            drop(store);
            // The SWOT and Rio pages and the report files are cached answers.
            app.cache.clear();
            Ok(private(Redirect::to(&back).into_response()))
        }
        Err(StoreError::Conflict { .. }) => {
            let theirs = store
                .annotations(cycle)
                .map_err(internal)?
                .into_iter()
                .find(|a| a.kind == kind && a.subject == subject)
                .map(|a| (a.version, a.body, a.updated_at, a.updated_by));
            drop(store);
            Ok(conflict(app, l, uri, Conflict { action: uri.path(), back: &back, mine: &form.body, theirs }, &session))
        }
        Err(StoreError::Invalid(message)) => Err(WebError::BadRequest(message)),
        Err(e) => Err(internal(e)),
    }
}
