//! Observa's annual report. [`compose`] builds one format-neutral [`Document`] from the
//! registry, the cycle's questionnaire and the secretariat's editorial blocks; the writers turn
//! it into a self-contained HTML file, Markdown, a PDF (typst, as a library, fonts embedded), a
//! DOCX that editors can polish, and an XLSX workbook of the report's tables. [`charts`] draws the
//! monitoring charts as SVG, for the report and the portal's pages alike.
//!
//! The heavy writers live in this crate alone so that editing a portal page does not rebuild them.

pub mod charts;
pub mod compose;
pub mod design_docx;
pub mod document;
mod docx;
mod html;
pub mod labels;
mod markdown;
mod pdf;
mod raster;
mod xlsx;

pub use compose::{compose, Inputs, PlanMonitoring};
pub use design_docx::{found_text, write_design};
pub use document::Document;
pub use html::body as html_body;

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Pdf,
    Docx,
    Xlsx,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Html, Format::Pdf, Format::Docx, Format::Xlsx, Format::Markdown];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Markdown => "md",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == ext || (ext == "markdown" && *f == Format::Markdown))
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Markdown => "text/markdown; charset=utf-8",
        }
    }
}

/// What can go wrong while writing a report. A failure here is a bug in a writer, never bad
/// input (the input is the validated registry): messages say which writer and why.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("DOCX: {0}")]
    Docx(String),
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Writes `doc` in `format`.
pub fn render(doc: &Document, format: Format) -> Result<Vec<u8>, ReportError> {
    match format {
        Format::Html => Ok(html::standalone(doc).into_bytes()),
        Format::Markdown => Ok(markdown::write(doc).into_bytes()),
        Format::Pdf => pdf::write(doc),
        Format::Docx => docx::write(doc),
        Format::Xlsx => xlsx::write(doc),
    }
}
