//! The offline round trip: download a State's answers as a workbook, fill it, upload it back as a
//! draft with a report of what was read and what was wrong. A file that is not our workbook
//! (another type, wrong sheets, too big, over the limits of [`crate::workbook::read`]) is refused
//! whole and changes nothing.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::context;
use observa_domain::consultation::{check, draft_blocking, Issue};
use observa_store::StoreError;

use super::account::{check_csrf, gate, private, refuse, Gate};
use super::cycle::conflict;
use super::{page_lang, render, respond};
use crate::auth::internal;
use crate::responses::{may_answer, response};
use crate::{AppState, WebError};

/// The largest workbook accepted: a filled questionnaire is a few tens of kilobytes.
const MAX_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/{lang}/cycles/{year}/responses/{state}/workbook",
        get(download).post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
    )
}

async fn download(
    State(app): State<AppState>,
    Path((lang, year, state)): Path<(String, i32, String)>,
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
        let (cycle, draft) = response(&app, year, &state)?;
        let name = app.snapshot().dataset.state(&state).map_or(state.clone(), |s| s.name(l.0).to_string());
        let bytes = crate::workbook::build(&cycle.questionnaire, &draft, &name, l)
            .map_err(|e| WebError::Internal(format!("workbook: {e}")))?;
        let file = format!("observa-{year}-{state}-{}.xlsx", l.code());
        let response = (
            [
                (header::CONTENT_TYPE, crate::filetype::Kind::Xlsx.media_type().to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            ],
            bytes,
        )
            .into_response();
        Ok(private(response))
    })();
    respond(&app, &lang, result)
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
        let (csrf, file) = super::attachments::read_upload(&mut form, l.text("workbook-too-large")).await?;
        check_csrf(&app, &session, &csrf)?;
        let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            return Err(WebError::BadRequest(l.text("attachment-missing")));
        };
        if crate::filetype::content_kind(&bytes) != Some(crate::filetype::Kind::Xlsx) {
            return Err(WebError::Unsupported(format!("`{name}`: {}", l.text("workbook-not-xlsx"))));
        }
        let (cycle, _) = response(&app, year, &state)?;
        // Reading is bounded (see `workbook::read`) but still takes CPU: off the request threads.
        let questionnaire = cycle.questionnaire.clone();
        let reading = tokio::task::spawn_blocking(move || crate::workbook::read(&questionnaire, &bytes))
            .await
            .map_err(|e| WebError::Internal(format!("workbook reader: {e}")))?
            .map_err(|m| WebError::BadRequest(format!("`{name}`: {m}")))?;
        let issues = check(&cycle.questionnaire, &reading.answers, false);
        let show = |issues: &[Issue]| -> Vec<String> {
            issues.iter().map(|i| format!("{}: {} ({})", i.question, l.text(&format!("issue-{}", i.code)), i.detail)).collect()
        };
        // The one policy of every channel: a workbook with answers that break the questionnaire's
        // structure or the text policy is refused whole, and the report says where.
        let blocking = draft_blocking(&issues);
        if !blocking.is_empty() {
            let ctx = context! { year, state, refused => true, read => reading.read, problems => reading.problems, issues => show(&blocking) };
            let mut page = private(render(&app, l, &uri, "workbook_report.html", ctx));
            *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(page);
        }
        let saved = app.store.lock().expect("store lock").save_draft(
            year,
            &state,
            &reading.answers,
            reading.version,
            &session.account.email,
        );
        let version = match saved {
            Ok(v) => v,
            Err(StoreError::Conflict { .. }) => {
                return conflict(&app, l, &uri, &session, year, &state, &reading.answers)
            }
            Err(StoreError::Invalid(m)) => return Err(WebError::Conflict(m)),
            Err(e) => return Err(internal(e)),
        };
        let issues = show(&issues);
        let ctx = context! { year, state, version, read => reading.read, problems => reading.problems, issues };
        Ok(private(render(&app, l, &uri, "workbook_report.html", ctx)))
    }
    .await;
    respond(&app, &lang, result)
}
