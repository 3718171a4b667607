//! The offline round trip: download a State's answers as a workbook, fill it, upload it back as a
//! draft with a report of what was read and what was wrong. A file that is not our workbook
//! (another type, wrong sheets, too big, over the limits of [`crate::workbook::read`]) is refused
//! whole and changes nothing.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::context;
use observa_domain::consultation::Issue;
use observa_workflow::{response, save_answers, WorkflowError};

use super::account::private;
use super::cycle::conflict;
use super::{render, respond};
use crate::signed_in::SignedIn;
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
    who: SignedIn,
) -> Response {
    let result = (|| {
        let l = who.lang;
        let (cycle, draft) = who.call(&app, |store, registry, actor| response(store, registry, actor, year, &state))?;
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
    who: SignedIn,
    mut form: Multipart,
) -> Response {
    let result = async {
        let l = who.lang;
        // Who may answer, and for which cycle, before the upload is read.
        let (cycle, _) = who.call(&app, |store, registry, actor| response(store, registry, actor, year, &state))?;
        let (csrf, file) = super::attachments::read_upload(&mut form, l.text("workbook-too-large")).await?;
        who.check_csrf(&app, &csrf)?;
        let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            return Err(WebError::BadRequest(l.text("attachment-missing")));
        };
        if crate::filetype::content_kind(&bytes) != Some(crate::filetype::Kind::Xlsx) {
            return Err(WebError::Unsupported(format!("`{name}`: {}", l.text("workbook-not-xlsx"))));
        }
        // Reading is bounded (see `workbook::read`) but still takes CPU: off the request threads.
        let questionnaire = cycle.questionnaire.clone();
        let reading = tokio::task::spawn_blocking(move || crate::workbook::read(&questionnaire, &bytes))
            .await
            .map_err(|e| WebError::Internal(format!("workbook reader: {e}")))?
            .map_err(|m| WebError::BadRequest(format!("`{name}`: {m}")))?;
        let show = |issues: &[Issue]| -> Vec<String> {
            issues.iter().map(|i| format!("{}: {} ({})", i.question, l.text(&format!("issue-{}", i.code)), i.detail)).collect()
        };
        let saved = who.run(&app, |store, registry, actor| {
            save_answers(store, registry, actor, year, &state, &reading.answers, reading.version)
        });
        let (version, issues) = match saved {
            Ok(saved) => (saved.version, saved.issues),
            // The workflow's policy refused the answers: the workbook is refused whole, nothing
            // is saved, and the report says where.
            Err(WorkflowError::Refused { issues }) => {
                let ctx = context! { year, state, refused => true, read => reading.read, problems => reading.problems, issues => show(&issues) };
                let mut page = private(render(&app, l, &uri, "workbook_report.html", ctx));
                *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(page);
            }
            Err(WorkflowError::Stale { .. }) => return conflict(&app, l, &uri, &who, year, &state, &reading.answers),
            Err(e) => return Err(who.fail(&app, e)),
        };
        let issues = show(&issues);
        let ctx = context! { year, state, version, read => reading.read, problems => reading.problems, issues };
        Ok(private(render(&app, l, &uri, "workbook_report.html", ctx)))
    }
    .await;
    respond(&app, &lang, result)
}
