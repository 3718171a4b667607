//! The annual report on the portal: the whole report as a web page, and download links for every
//! format and language (HTML file, PDF, DOCX, XLSX, Markdown). Reports are generated on first
//! request and kept until an analyst changes the editorial text or the registry changes. The
//! writers run through [`crate::cache::ResponseCache::once`]: at most one run per cycle,
//! language, format and data version, however many requests (and query strings) ask at once.

use axum::extract::{Path, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{context, Value};
use observa_domain::editorial::by_key;
use observa_report::{Document, Format, Inputs, PlanMonitoring};

use super::{page_lang, render, respond, LangPath};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{lang}/analysis/report", get(latest))
        .route("/{lang}/analysis/report/{cycle}", get(page))
        .route("/{lang}/analysis/report/{cycle}/{format}", get(download))
}

/// The cycles with answers in the registry, newest first.
fn cycles(app: &AppState) -> Vec<i32> {
    let mut cycles: Vec<i32> = app.snapshot().dataset.responses.iter().map(|r| r.cycle).collect();
    cycles.sort_unstable_by(|a, b| b.cmp(a));
    cycles.dedup();
    cycles
}

fn known_cycle(app: &AppState, cycle: &str) -> Result<i32, WebError> {
    cycle
        .parse::<i32>()
        .ok()
        .filter(|c| cycles(app).contains(c))
        .ok_or_else(|| WebError::NotFound(format!("no consultation cycle `{cycle}`")))
}

/// Composes the report of a cycle in a language from the snapshot and the stored editorial text.
pub fn document(app: &AppState, cycle: i32, lang: observa_domain::Lang) -> Result<Document, WebError> {
    let (blocks, annotations, monitoring) = {
        let store = app.store.lock().expect("store lock");
        let blocks = store.editorial(cycle).map_err(crate::auth::internal)?;
        let annotations = store.annotations(cycle).map_err(crate::auth::internal)?;
        // Monitoring is read as it stands now, approved values only (nothing else is public).
        let mut monitoring = Vec::new();
        for (state, matrix) in store.matrices().map_err(crate::auth::internal)? {
            let mut approved = store.progress(&matrix.plan).map_err(crate::auth::internal)?;
            approved.retain(|r| r.approved());
            monitoring.push(PlanMonitoring { state, matrix, approved });
        }
        (blocks, annotations, monitoring)
    };
    let editorial = by_key(&blocks, cycle, lang);
    let questionnaire = app.questionnaires.iter().filter(|q| q.cycle <= cycle).max_by_key(|q| (q.cycle, q.version));
    let on = chrono::NaiveDate::from_ymd_opt(cycle, 12, 31).expect("a valid date");
    // The registry as it stood for the cycle: later cycles' answers do not change its report.
    let snapshot = app.snapshot_as_of(observa_domain::history::AsOf::Cycle(cycle))?;
    Ok(observa_report::compose(&Inputs {
        dataset: &snapshot.dataset,
        questionnaire,
        editorial: &editorial,
        annotations: &annotations,
        cycle,
        lang,
        on,
        monitoring: &monitoring,
        monitored_on: super::monitoring::today(),
        demonstration: app.demonstration,
    }))
}

async fn latest(State(app): State<AppState>, lang: LangPath, uri: Uri) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        let cycle = cycles(&app).first().copied().ok_or_else(|| WebError::NotFound("no cycle has answers".into()))?;
        show(&app, l, &uri, cycle).await
    };
    respond(&app, &lang, result.await)
}

async fn page(State(app): State<AppState>, Path((lang, cycle)): Path<(String, String)>, uri: Uri) -> Response {
    let result = async { show(&app, page_lang(&lang)?, &uri, known_cycle(&app, &cycle)?).await };
    respond(&app, &lang, result.await)
}

/// Runs a writer of the report of `cycle` in `lang` once per key and data version (see the
/// module comment); `what` names the output in the key.
async fn written(
    app: &AppState,
    cycle: i32,
    l: crate::Lang,
    what: &str,
    write: impl FnOnce(&Document) -> Result<Vec<u8>, WebError> + Send + 'static,
) -> Result<axum::body::Bytes, WebError> {
    let worker = app.clone();
    let key = format!("report/{cycle}/{}/{what}", l.code());
    app.cache.once(key, move || write(&document(&worker, cycle, l.0)?)).await
}

async fn show(app: &AppState, l: crate::Lang, uri: &Uri, cycle: i32) -> Result<Response, WebError> {
    // The page needs the title and the HTML body: written together, kept as one JSON value.
    let written = written(app, cycle, l, "page", |doc| {
        serde_json::to_vec(&(&doc.title, observa_report::html_body(doc))).map_err(|e| WebError::Internal(e.to_string()))
    })
    .await?;
    let (title, body): (String, String) =
        serde_json::from_slice(&written).map_err(|e| WebError::Internal(format!("report page: {e}")))?;
    let formats: Vec<Value> = Format::ALL
        .iter()
        .map(|f| context! { ext => f.extension(), label => l.text(&format!("report-format-{}", f.extension())) })
        .collect();
    let body = Value::from_safe_string(body);
    let page = render(app, l, uri, "report.html", context! { cycle, cycles => cycles(app), title, formats, body });
    Ok(revalidate(page))
}

/// Reports change when analysts edit their text: browsers must ask again each time (a cheap 304
/// when nothing changed, thanks to the ETag), rather than keep a copy for minutes.
pub fn revalidate(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
    response
}

async fn download(
    State(app): State<AppState>,
    Path((lang, cycle, format)): Path<(String, String, String)>,
) -> Response {
    let result = async {
        let l = page_lang(&lang)?;
        let cycle = known_cycle(&app, &cycle)?;
        let format = Format::from_extension(&format).ok_or_else(|| {
            WebError::NotFound(format!("no report format `{format}`; use html, pdf, docx, xlsx or md"))
        })?;
        // Typesetting a PDF takes a second or two of CPU: once, and off the async workers.
        let bytes = written(&app, cycle, l, format.extension(), move |doc| {
            observa_report::render(doc, format).map_err(|e| WebError::Internal(e.to_string()))
        })
        .await?;
        let name = format!("observa-report-{cycle}-{}.{}", l.code(), format.extension());
        Ok::<_, WebError>(
            (
                [
                    (header::CONTENT_TYPE, format.media_type().to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                    (header::CACHE_CONTROL, "no-cache".to_string()),
                ],
                bytes,
            )
                .into_response(),
        )
    }
    .await;
    respond(&app, &lang, result)
}
