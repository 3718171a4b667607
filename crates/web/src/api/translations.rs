//! Translating registry texts through the API (the secretariat): the texts still waiting for a
//! language, and writing one translation (`observa_workflow::translate`), versioned and audited
//! like any registry change.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use observa_domain::translation::Pending;
use observa_domain::Lang;
use observa_workflow::translate::Subject;

use super::answers::Problem;
use super::workflow::{answer, fail, no_store, problem};
use crate::extract::{ApiJson, ApiPath};
use crate::signed_in::SignedIn;
use crate::AppState;

/// A translation as sent: the text (a list field: one item per line).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationText {
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct PendingList {
    pub pending: Vec<Pending>,
}

#[utoipa::path(get, path = "/translations/pending", operation_id = "listPendingTranslations", tag = "translation",
    summary = "The registry texts that lack a language, with the language each is written in (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = PendingList),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
    ))]
pub async fn pending(State(app): State<AppState>, who: SignedIn) -> Response {
    if let Err(e) = who.actor.require(who.actor.may_translate(), "list the texts to translate") {
        return fail(&app, &who, e);
    }
    answer(StatusCode::OK, &PendingList { pending: observa_domain::translation::pending(&app.snapshot().dataset) })
}

#[utoipa::path(put, path = "/translations/{state}/{table}/{record}/{field}/{lang}", operation_id = "translate", tag = "translation",
    summary = "Write the translation of one registry text into one language (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State whose record it is"),
        ("table" = String, Path, description = "The record's table: plans, bodies, members, laws, actions, services, ..."),
        ("record" = String, Path, description = "The record's id"),
        ("field" = String, Path, description = "The field: name, summary, functions, source.note, ..."),
        ("lang" = String, Path, description = "en, es, pt or fr: not the language the text is written in"),
    ),
    request_body(content = TranslationText, content_type = "application/json"),
    responses(
        (status = 200, description = "Written; the texts that still lack a language", body = PendingList),
        (status = 400, description = "Not a translated field, the text's own language, an empty text, a list of another length, a text the text policy refuses; or not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
        (status = 404, description = "No such State, record or language", body = Problem),
        (status = 412, description = "The record changed while the translation was written; read it again", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "JSON without `text`", body = Problem),
    ))]
pub async fn translate(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((state, table, record, field, lang)): ApiPath<(String, String, String, String, String)>,
    body: Result<ApiJson<TranslationText>, Response>,
) -> Response {
    let Some(lang) = Lang::ALL.into_iter().find(|l| l.code() == lang) else {
        return problem(StatusCode::NOT_FOUND, "the language must be en, es, pt or fr");
    };
    let text = match body {
        Ok(ApiJson(t)) => t.text,
        Err(refusal) => return no_store(refusal),
    };
    let state = state.to_ascii_uppercase();
    let subject = Subject { state: &state, table: &table, record: &record, field: &field };
    match who.run(&app, |store, _, actor| observa_workflow::translate(store, actor, &subject, lang, &text)) {
        Ok(()) => {
            app.refresh();
            let pending = observa_domain::translation::pending(&app.snapshot().dataset);
            answer(StatusCode::OK, &PendingList { pending })
        }
        Err(e) => fail(&app, &who, e),
    }
}
