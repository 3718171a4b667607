//! Plans in design, for the secretariat: the States with their last plan and the drafts of their
//! next one, starting a draft from the last plan (its action matrix carried over, or its registry
//! record when it has none), a draft's page (its matrix with the shared item forms of
//! [`super::matrix_form`], the Rio de Janeiro checklist computed from it, renaming) and the draft
//! as DOCX for the national commission. Every write is an operation of
//! `observa_workflow::design`, posted with the CSRF token and the version it started from.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::context;
use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::design::{self, Draft};
use observa_workflow::design::{self as op, Change};

use super::account::private;
use super::matrix_form;
use super::monitoring::today;
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::signed_in::{Analyst, SignedIn};
use crate::templates::v;
use crate::{AppState, Lang, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/{lang}/design", get(list).post(start)).route("/{lang}/design/{draft}", get(show).post(edit))
}

/// The States, each with its last plan (and whether it has a matrix) and its drafts.
async fn list(State(app): State<AppState>, Path(lang): Path<String>, uri: Uri, who: SignedIn<Analyst>) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let (matrices, drafts) = {
            let store = app.store.lock().expect("store lock");
            (store.matrices().map_err(internal)?, store.plan_drafts().map_err(internal)?)
        };
        let with_matrix: BTreeSet<String> = matrices.into_iter().map(|(_, m)| m.plan).collect();
        let snap = app.snapshot_in(l.0);
        let states: Vec<_> = snap
            .dataset
            .states
            .iter()
            .map(|s| {
                let plan = design::last_plan(&snap.dataset, s.code.as_str());
                let own: Vec<&Draft> = drafts.iter().filter(|d| d.state == s.code.as_str()).collect();
                context! {
                    code => s.code.as_str(), name => s.name(l.0), plan => v(plan), drafts => v(own),
                    matrix => plan.is_some_and(|p| with_matrix.contains(&p.id)),
                    title => format!("{} – {}", l.text("design-next-plan"), s.name(l.0)),
                }
            })
            .collect();
        Ok(private(render(&app, l, &uri, "design.html", context! { states, csrf => who.session.csrf.clone() })))
    })();
    respond(&app, &lang, result)
}

/// Starts a draft of a State's next plan from its last plan, and goes to it.
async fn start(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    who: Result<SignedIn<Analyst>, Response>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = page_lang(&lang)?;
        who.check_csrf(&app, matrix_form::field(&form, "csrf"))?;
        let (state, title) = (matrix_form::field(&form, "state"), matrix_form::field(&form, "title"));
        let (id, _) = who.call(&app, |store, registry, actor| {
            op::start_draft(store, registry, actor, (state, title), today(), |fp| focal_name(l, fp))
        })?;
        Ok(private(Redirect::to(&format!("/{}/design/{id}", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}

fn focal_name(l: Lang, fp: FocalPoint) -> String {
    let code = serde_json::to_value(fp).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    l.text(&format!("fp-{code}"))
}

/// The draft `id` of a URL (`12` or `12.docx`) and whether the DOCX is asked for.
fn draft_id(text: &str) -> Result<(i64, bool), WebError> {
    let (id, docx) = text.strip_suffix(".docx").map_or((text, false), |id| (id, true));
    let id = id
        .parse()
        .map_err(|_| WebError::NotFound(format!("no plan draft `{}`", id.chars().take(20).collect::<String>())))?;
    Ok((id, docx))
}

fn load(app: &AppState, l: Lang, id: i64) -> Result<Draft, WebError> {
    let draft = app.store.lock().expect("store lock").plan_draft(id).map_err(internal)?;
    draft.ok_or_else(|| WebError::NotFound(l.text("workflow-not-found")))
}

/// A draft's page, or with `.docx` the draft as a Word document.
async fn show(
    State(app): State<AppState>,
    Path((lang, draft)): Path<(String, String)>,
    uri: Uri,
    who: SignedIn<Analyst>,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let (id, docx) = draft_id(&draft)?;
        let draft = load(&app, l, id)?;
        let registry = &app.snapshot().dataset;
        let checklist = design::checklist(&draft.body, registry);
        let label = |k: &str| l.text(k);
        if docx {
            let bytes = observa_report::write_design(&draft, &checklist, &label)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            let disposition = format!("attachment; filename=\"plan-draft-{id}.docx\"");
            let kind = observa_report::Format::Docx.media_type();
            return Ok(private(
                ([(header::CONTENT_TYPE, kind.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
                    .into_response(),
            ));
        }
        let checks: Vec<_> = checklist
            .iter()
            .map(|c| {
                let found: Vec<String> = c.found.iter().map(|f| observa_report::found_text(f, &label)).collect();
                context! { id => c.id, met => c.met, found }
            })
            .collect();
        let ctx = context! {
            draft => v(&draft), checks, csrf => who.session.csrf.clone(), version => draft.version,
            matrix => v(&draft.body), target => format!("/{}/design/{id}", l.code()),
            orgs => matrix_form::organisations(registry, &draft.state), origin => draft.origin.code(),
        };
        Ok(private(render(&app, l, &uri, "design_draft.html", ctx)))
    })();
    respond(&app, &lang, result)
}

/// One change to a draft (an item form, or renaming), on top of the version the form was read
/// at; back to the draft.
async fn edit(
    State(app): State<AppState>,
    Path((lang, draft)): Path<(String, String)>,
    who: Result<SignedIn<Analyst>, Response>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let who = match who {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let result = (|| {
        let l = page_lang(&lang)?;
        who.check_csrf(&app, matrix_form::field(&form, "csrf"))?;
        let (id, _) = draft_id(&draft)?;
        let (version, edit) = matrix_form::version_and_edit(&form, "design-refused", l)?;
        let change = match edit {
            Some(item) => Change::Item(item),
            None if matrix_form::field(&form, "op") == "rename" => {
                Change::Rename(matrix_form::field(&form, "title").into())
            }
            None => return Err(WebError::BadRequest(l.text("design-unknown-op"))),
        };
        who.call(&app, |store, registry, actor| op::edit_draft(store, registry, actor, id, version, &change))?;
        Ok(private(Redirect::to(&format!("/{}/design/{id}", l.code())).into_response()))
    })();
    respond(&app, &lang, result)
}
