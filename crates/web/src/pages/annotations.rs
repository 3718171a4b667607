//! The analysts' annotations: filing SWOT items under other themes (the synthesis's counts
//! follow), and each State's reply to its assessment against the Rio commitment. Analysts and
//! administrators annotate everything; a liaison officer writes only their own State's reply.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use observa_domain::analysis::swot::swot_by_theme;
use observa_domain::editorial::{annotation_map, Annotation, AnnotationKind};
use observa_store::StoreError;
use serde::Deserialize;

use super::account::private;
use super::editorial::{conflict, Conflict};
use super::{render, respond};
use crate::auth::internal;
use crate::signed_in::{Editor, SignedIn};
use crate::{AppState, WebError};

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

/// The SWOT items with the theme each is filed under: the editorial text's, so its editors'.
async fn swot_editor(
    State(app): State<AppState>,
    Path((lang, cycle)): Path<(String, String)>,
    uri: Uri,
    who: SignedIn<Editor>,
) -> Response {
    let result = (|| {
        let l = who.lang;
        let cycle = super::cycle_year(&cycle)?;
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
        let ctx = context! { cycle, items, themes, csrf => who.session.csrf.clone() };
        Ok(private(render(&app, l, &uri, "editorial_swot.html", ctx)))
    })();
    respond(&app, &lang, result)
}

/// The Rio replies the visitor may write: every State's for the secretariat, a liaison
/// officer's own States'; nobody else's.
async fn rio_editor(
    State(app): State<AppState>,
    Path((lang, cycle)): Path<(String, String)>,
    uri: Uri,
    who: SignedIn,
) -> Response {
    let result = (|| {
        let l = who.lang;
        let cycle = super::cycle_year(&cycle)?;
        let annotations = of_cycle(&app, cycle)?;
        let ds = &app.snapshot().dataset;
        let mut states: Vec<&observa_domain::StateCode> =
            ds.responses.iter().filter(|r| r.cycle == cycle).map(|r| &r.state).collect();
        states.sort();
        states.dedup();
        let rows: Vec<Value> = states
            .into_iter()
            .filter(|s| who.actor.may_annotate(AnnotationKind::RioReply, s.as_str()))
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
        who.require(&app, !rows.is_empty(), "reply to the Rio assessment")?;
        let ctx = context! { cycle, rows, csrf => who.session.csrf.clone() };
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
    who: Result<SignedIn, Response>,
    Form(form): Form<Save>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = save(&app, &who, &cycle, AnnotationKind::SwotTheme, &item, &uri, form);
    respond(&app, &lang, result)
}

async fn save_reply(
    State(app): State<AppState>,
    Path((lang, cycle, state)): Path<(String, String, String)>,
    uri: Uri,
    who: Result<SignedIn, Response>,
    Form(form): Form<Save>,
) -> Response {
    // The form is read before a refusal is answered: a body left unread would make the
    // connection close under the answer.
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = save(&app, &who, &cycle, AnnotationKind::RioReply, &state, &uri, form);
    respond(&app, &lang, result)
}

fn save(
    app: &AppState,
    who: &SignedIn,
    cycle: &str,
    kind: AnnotationKind,
    subject: &str,
    uri: &Uri,
    form: Save,
) -> Result<Response, WebError> {
    let l = who.lang;
    let cycle = super::cycle_year(cycle)?;
    who.require(app, who.actor.may_annotate(kind, subject), "annotate this")?;
    who.check_csrf(app, &form.csrf)?;
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
    match store.save_annotation(&annotation, &who.actor.email) {
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
            Ok(conflict(
                app,
                l,
                uri,
                Conflict { action: uri.path(), back: &back, mine: &form.body, theirs },
                &who.session,
            ))
        }
        Err(StoreError::Invalid(message)) => Err(WebError::BadRequest(message)),
        Err(e) => Err(internal(e)),
    }
}
