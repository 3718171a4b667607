//! The annual report's editorial blocks through the API (the secretariat): every block of a
//! cycle, and saving one with the version it started from (`If-Match`), as the editor page does.
//! A save empties the answer cache, so the report is composed anew.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use observa_domain::editorial::{EditorialBlock, KEYS};
use observa_domain::Lang;

use observa_workflow::WorkflowError;

use super::answers::Problem;
use super::workflow::{answer, etag, fail, no_store, problem};
use crate::extract::{ApiJson, ApiPath};
use crate::signed_in::SignedIn;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct BlockList {
    pub cycle: i32,
    /// The block keys a report has, in its order.
    pub keys: Vec<&'static str>,
    /// The blocks stored for the cycle, every language.
    pub blocks: Vec<EditorialBlock>,
}

/// A block's new text.
#[derive(Deserialize, ToSchema)]
pub struct BlockText {
    /// Markdown: paragraphs, lists, bold, italics.
    pub body: String,
}

#[utoipa::path(get, path = "/editorial/{cycle}", operation_id = "listEditorial", tag = "editorial",
    summary = "The report's editorial blocks of a cycle (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(("cycle" = i32, Path, description = "The report's cycle (year)")),
    responses(
        (status = 200, description = "OK", body = BlockList),
        (status = 400, description = "The cycle is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
    ))]
pub async fn list(State(app): State<AppState>, who: SignedIn, ApiPath(cycle): ApiPath<i32>) -> Response {
    let listed = (|| {
        who.actor.require(who.actor.may_edit_editorial(), "edit the report's text")?;
        Ok::<_, WorkflowError>(BlockList {
            cycle,
            keys: KEYS.to_vec(),
            blocks: app.store.lock().expect("store lock").editorial(cycle)?,
        })
    })();
    match listed {
        Ok(list) => answer(StatusCode::OK, &list),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(put, path = "/editorial/{cycle}/{key}/{lang}", operation_id = "saveEditorial", tag = "editorial",
    summary = "Save one editorial block, based on the version If-Match names (the secretariat)",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("cycle" = i32, Path, description = "The report's cycle (year)"),
        ("key" = String, Path, description = "The block: introduction, methodology, conclusions, recommendations"),
        ("lang" = String, Path, description = "en, es, pt or fr"),
        ("If-Match" = String, Header, description = "The block's version as an ETag (\"v0\" for a block never saved); missing, empty or `*` is a 428"),
    ),
    request_body(content = BlockText, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved; the ETag names the new version", body = EditorialBlock, headers(("ETag" = String))),
        (status = 400, description = "A text the store refuses (too long, a character the text policy refuses); or not the expected JSON", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account is not the secretariat's", body = Problem),
        (status = 404, description = "No such block or language", body = Problem),
        (status = 412, description = "Someone saved the block since that version; the answer's ETag is the current one", body = Problem),
        (status = 413, description = "The request body is over the 2 MB limit", body = Problem),
        (status = 415, description = "The body is not sent as `Content-Type: application/json`", body = Problem),
        (status = 422, description = "JSON without `body`", body = Problem),
        (status = 428, description = "If-Match is missing, empty, or `*`", body = Problem),
    ))]
pub async fn save(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((cycle, key, lang)): ApiPath<(i32, String, String)>,
    headers: HeaderMap,
    body: Result<ApiJson<BlockText>, Response>,
) -> Response {
    let what = format!("editorial/{cycle}/{key}/{lang}");
    if let Err(e) = who.actor.require(who.actor.may_edit_editorial(), "edit the report's text") {
        return fail(&app, &who, e);
    }
    let (Some(key), Some(lang)) = (KEYS.iter().find(|k| **k == key), Lang::ALL.into_iter().find(|l| l.code() == lang))
    else {
        return problem(StatusCode::NOT_FOUND, &format!("no editorial block `{key}` in `{lang}`"));
    };
    let tag = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).map(|v| v.trim().trim_matches('"'));
    let Some(version) = tag.and_then(|t| t.strip_prefix('v')).and_then(|n| n.parse::<i64>().ok()) else {
        return problem(StatusCode::PRECONDITION_REQUIRED, "send If-Match with the ETag of the block you edited");
    };
    let text = match body {
        Ok(ApiJson(text)) => text,
        Err(refusal) => return no_store(refusal),
    };
    let saved = (|| {
        let mut store = app.store.lock().expect("store lock");
        let stored = store.editorial(cycle)?.into_iter().find(|b| b.key == *key && b.lang == lang);
        let block = EditorialBlock {
            cycle,
            key: key.to_string(),
            lang,
            body: text.body.replace("\r\n", "\n"),
            source: stored.and_then(|b| b.source),
            version,
            updated_at: None,
            updated_by: None,
        };
        store.save_editorial(&block, &who.actor.email)?;
        let saved = store.editorial(cycle)?.into_iter().find(|b| b.key == *key && b.lang == lang);
        saved.ok_or_else(|| WorkflowError::Storage(format!("{what} not found after saving")))
    })();
    match saved {
        Ok(block) => {
            // The report pages and files are cached answers: they must be made anew.
            app.cache.clear();
            let mut r = answer(StatusCode::OK, &block);
            r.headers_mut().insert(header::ETAG, etag(block.version));
            r
        }
        Err(e) => fail(&app, &who, e),
    }
}
