//! Documents attached to a State's answers (the plan itself, laws): uploaded by the State's
//! liaison officers or the secretariat, checked by content (PDF, DOCX, ODT, XLSX; at most
//! [`MAX_BYTES`]), kept in the database, and served only to those who may read the answers,
//! as downloads that browsers will not interpret. A document is kept as uploaded and never
//! expanded or parsed beyond recognising its type (see [`crate::filetype`]), so a ZIP bomb costs
//! no more than its upload size.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use observa_store::Attachment;
use sha2::{Digest, Sha256};

use super::account::{check_csrf, gate, private, refuse, Gate};
use super::{page_lang, respond};
use crate::auth::internal;
use crate::responses::{may_answer, response};
use crate::{AppState, WebError};

/// The largest document accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/cycles/{year}/responses/{state}/attachments",
            post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route("/{lang}/cycles/{year}/responses/{state}/attachments/{id}", get(download))
}

async fn upload(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
    uri: Uri,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        let session = match gate(&app, &headers, l, &uri)? {
            Gate::Redirect(r) => return Ok(r),
            Gate::Pass(s, _) => s,
        };
        if !may_answer(&session.account, &state) {
            return Err(refuse(&app, &session, uri.path()));
        }
        response(&app, year, &state)?;
        let (csrf, file) = read_upload(&mut form, l.text("attachment-too-large")).await?;
        check_csrf(&app, &session, &csrf)?;
        let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
            return Err(WebError::BadRequest(l.text("attachment-missing")));
        };
        if bytes.len() > MAX_BYTES {
            return Err(WebError::TooLarge(l.text("attachment-too-large")));
        }
        let kind = crate::filetype::check(&name, &bytes).map_err(WebError::Unsupported)?;
        let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let record = Attachment {
            id: 0,
            name: name.chars().filter(|c| !c.is_control()).take(200).collect(),
            media_type: kind.media_type().to_string(),
            size: bytes.len() as i64,
            sha256,
            uploaded_at: String::new(),
            uploaded_by: String::new(),
        };
        app.store
            .lock()
            .expect("store lock")
            .attach(year, &state, &record, &bytes, &session.account.email)
            .map_err(internal)?;
        Ok(private(Redirect::to(&format!("/{}/cycles/{year}/responses/{state}#attachments", l.code())).into_response()))
    }
    .await;
    respond(&app, &lang, result)
}

/// The CSRF token and the file (its name without any folder, its bytes) of an upload form. A
/// field that cannot be read (over the size limit, cut off) ends the upload with its own status;
/// `too_large` is the message for the limit.
pub(super) async fn read_upload(
    form: &mut Multipart,
    too_large: String,
) -> Result<(String, Option<(String, axum::body::Bytes)>), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| match e.status().as_u16() {
        413 => WebError::TooLarge(too_large.clone()),
        _ => WebError::BadRequest(format!("the upload could not be read: {}", e.body_text())),
    };
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?));
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}

async fn download(
    State(app): State<AppState>,
    Path((lang, year, state, id)): Path<(String, i32, String, i64)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        let l = page_lang(&lang)?;
        let session = match gate(&app, &headers, l, &uri)? {
            Gate::Redirect(r) => return Ok(r),
            Gate::Pass(s, _) => s,
        };
        if !may_answer(&session.account, &state) {
            return Err(refuse(&app, &session, uri.path()));
        }
        let mut store = app.store.lock().expect("store lock");
        let found = store.attachment(year, &state, id).map_err(internal)?;
        let (file, content) = found.ok_or_else(|| WebError::NotFound(format!("no attachment {id}")))?;
        // Who read which document is part of the record, like who wrote it.
        let subject = format!("cycle/{year}/responses/{state}/attachments/{id}");
        store.record(&session.account.email, "download-attachment", &subject).map_err(internal)?;
        drop(store);
        let name: String = file.name.chars().filter(|c| c.is_ascii_graphic() && *c != '"' || *c == ' ').collect();
        let response = (
            [
                (header::CONTENT_TYPE, file.media_type),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            content,
        )
            .into_response();
        Ok(private(response))
    })();
    respond(&app, &lang, result)
}
