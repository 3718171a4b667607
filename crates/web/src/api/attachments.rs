//! Documents attached to a State's answers, through the API: list, upload (the file as the
//! request body, its name in `?name=`), download. Recognised by content ([`crate::filetype`])
//! like the form's uploads; readable only by those who may read the answers, and every download
//! is recorded. The rules are the workflow's (`observa_workflow::attach`, `attachment`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use observa_store::Attachment;

use observa_workflow::{self as ops, WorkflowError};

use super::answers::Problem;
use super::workflow::{answer, fail, no_store, place, problem};
use crate::extract::{ApiPath, ApiQuery};
use crate::signed_in::SignedIn;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub attachments: Vec<Attachment>,
}

#[utoipa::path(get, path = "/cycles/{year}/responses/{state}/attachments", operation_id = "listAttachments", tag = "consultation",
    summary = "The documents attached to a State's answers",
    security(("bearerToken" = []), ("session" = [])),
    params(("year" = i32, Path, description = "The cycle (year)"), ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State")),
    responses(
        (status = 200, description = "OK", body = AttachmentList),
        (status = 400, description = "The year is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle or State", body = Problem),
    ))]
pub async fn list(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((year, state)): ApiPath<(i32, String)>,
) -> Response {
    let listed = place(&app, year, &state).and_then(|state| {
        who.actor.require(who.actor.may_attach(&state), "read documents attached to these answers")?;
        Ok(AttachmentList { attachments: app.store.lock().expect("store lock").attachments(year, &state)? })
    });
    match listed {
        Ok(list) => answer(StatusCode::OK, &list),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(post, path = "/cycles/{year}/responses/{state}/attachments", operation_id = "uploadAttachment", tag = "consultation",
    summary = "Attach a document (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT, CSV): the file is the request body",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("year" = i32, Path, description = "The cycle (year)"),
        ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State"),
        ("name" = String, Query, description = "The file's name; its extension must agree with its content"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Attached", body = Attachment),
        (status = 400, description = "No name or an empty file; the year is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle or State", body = Problem),
        (status = 413, description = "The file is over the API's 2 MB limit (the form takes larger ones)", body = Problem),
        (status = 415, description = "A type not accepted, or a name and a content that disagree", body = Problem),
    ))]
pub async fn upload(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((year, state)): ApiPath<(i32, String)>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Ok(bytes) = bytes else {
        return problem(StatusCode::PAYLOAD_TOO_LARGE, "the request body is over the limit of 2 MB");
    };
    let name: String = query
        .get("name")
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_default();
    if name.is_empty() || bytes.is_empty() {
        return problem(StatusCode::BAD_REQUEST, "send the file as the body and its name as `?name=`");
    }
    let kind = match crate::filetype::check(&name, &bytes) {
        Ok(kind) => kind,
        Err(m) => return problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, &m),
    };
    let record = Attachment {
        id: 0,
        name,
        media_type: kind.media_type().to_string(),
        size: bytes.len() as i64,
        sha256: Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect(),
        uploaded_at: String::new(),
        uploaded_by: String::new(),
    };
    let attached = place(&app, year, &state).and_then(|state| {
        let id = who.run(&app, |store, _, actor| ops::attach(store, actor, year, &state, &record, &bytes))?;
        let stored = app.store.lock().expect("store lock").attachments(year, &state)?.into_iter().find(|a| a.id == id);
        stored.ok_or_else(|| WorkflowError::Storage(format!("attachment {id} not found after saving")))
    });
    match attached {
        Ok(stored) => answer(StatusCode::CREATED, &stored),
        Err(e) => fail(&app, &who, e),
    }
}

#[utoipa::path(get, path = "/cycles/{year}/responses/{state}/attachments/{id}", operation_id = "downloadAttachment", tag = "consultation",
    summary = "One attached document, as it was uploaded (the download is recorded)",
    security(("bearerToken" = []), ("session" = [])),
    params(
        ("year" = i32, Path, description = "The cycle (year)"),
        ("state" = String, Path, description = "ISO 3166-1 alpha-2 code of the State"),
        ("id" = i64, Path, description = "The attachment's id"),
    ),
    responses(
        (status = 200, description = "The document, with its media type", content_type = "application/octet-stream", body = Vec<u8>,
            headers(("Content-Disposition" = String))),
        (status = 400, description = "The year or the id is not a whole number", body = Problem),
        (status = 401, description = "No valid credentials (the answer says `WWW-Authenticate: Bearer`)", body = Problem),
        (status = 403, description = "The account does not answer for this State", body = Problem),
        (status = 404, description = "No such cycle, State or attachment", body = Problem),
    ))]
pub async fn download(
    State(app): State<AppState>,
    who: SignedIn,
    ApiPath((year, state, id)): ApiPath<(i32, String, i64)>,
) -> Response {
    let found = place(&app, year, &state).and_then(|state| {
        let mut store = app.store.lock().expect("store lock");
        let found = ops::cycle::attachment(&**store, &who.actor, year, &state, id)?;
        // Who read which document is part of the record, like who wrote it.
        store.record(
            &who.actor.email,
            "download-attachment",
            &format!("cycle/{year}/responses/{state}/attachments/{id}"),
        )?;
        Ok(found)
    });
    match found {
        Ok((file, content)) => {
            let name: String = file.name.chars().filter(|c| c.is_ascii_graphic() && *c != '"' || *c == ' ').collect();
            no_store(
                (
                    [
                        (header::CONTENT_TYPE, file.media_type),
                        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                    ],
                    content,
                )
                    .into_response(),
            )
        }
        Err(e) => fail(&app, &who, e),
    }
}
