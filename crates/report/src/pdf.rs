//! The report as a PDF, typeset by typst used as a library: no external program, no network.
//! The document goes to typst as JSON data read by one fixed template, so no text from the
//! registry is ever parsed as typst markup (a chart's SVG is data too: typst reads it as an
//! image). Fonts are the ones typst-assets embeds (Libertinus
//! Serif for text); the PDF embeds the subsets it uses.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::document::Document;
use crate::ReportError;

/// The layout: A4, title page, contents, page numbers, tables whose header row repeats on every
/// page they run over, charts as vector images (typst draws the SVG with its own fonts, so
/// their labels are text in the PDF) kept on one page with their caption.
const TEMPLATE: &str = r##"
#let data = json("/report.json")
#set document(title: data.title)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: data.lang)
#set par(justify: true)
#set page(paper: "a4", margin: (x: 2cm, top: 2.4cm, bottom: 2.2cm),
  numbering: "1",
  footer: context align(center, text(9pt)[#data.page_label #counter(page).display()]),
  header: context if counter(page).get().first() > 1 { align(right, text(8pt, fill: luma(110), data.title)) })
#set heading(outlined: true)
#show heading.where(level: 1): it => { pagebreak(weak: true); set text(17pt); block(below: 1em, it) }
#show heading.where(level: 2): set text(13pt)
#show heading.where(level: 3): set text(11pt)
#set table(stroke: 0.4pt + luma(150), inset: 3.5pt)
#show table: set par(justify: false)
#show table.cell.where(y: 0): strong
#let tbl(t) = {
  let size = if t.header.len() > 8 { 7pt } else { 8.5pt }
  block(breakable: false, below: 0.5em, text(9pt, weight: "bold", t.caption))
  text(size, table(
    columns: t.widths.map(w => w * 1fr),
    table.header(repeat: true, ..t.header),
    ..t.rows.flatten(),
  ))
}
#let inl(xs) = xs.map(i => if i.t == "Strong" { strong(i.c) } else if i.t == "Emph" { emph(i.c) } else { i.c }).join()

#align(center + horizon)[
  #text(22pt, weight: "bold", data.title)
  #v(1.5em)
  #text(12pt, data.subtitle)
]
#pagebreak()
#outline(title: data.contents_label, depth: 2)

#for b in data.blocks {
  if b.t == "Heading" {
    heading(level: b.c.level, outlined: b.c.level <= 2, b.c.text)
  } else if b.t == "Paragraph" {
    par(inl(b.c))
  } else if b.t == "List" {
    list(..b.c.map(inl))
  } else if b.t == "Table" {
    tbl(b.c)
  } else if b.t == "Figure" {
    let f = b.c
    block(breakable: false, below: 0.8em, {
      text(9pt, weight: "bold", f.caption)
      v(0.3em)
      image(bytes(f.svg), format: "svg", width: 100%, alt: f.caption)
    })
    tbl(f.table)
  }
}
"##;

pub fn write(doc: &Document) -> Result<Vec<u8>, ReportError> {
    let data = serde_json::to_vec(doc).map_err(|e| ReportError::Pdf(format!("encoding the document: {e}")))?;
    let world = ReportWorld::new(data);
    let compiled = typst::compile::<PagedDocument>(&world).output.map_err(|errors| {
        ReportError::Pdf(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let options = typst_pdf::PdfOptions::default();
    let pdf = typst_pdf::pdf(&compiled, &options).map_err(|errors| {
        ReportError::Pdf(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    });
    // typst memoises layout across compilations; in a long-running server that cache would only
    // grow, and it would make a benchmark of repeated runs measure cache hits. Every report is
    // typeset from scratch (about a quarter of a second for the 2014 report).
    typst::comemo::evict(0);
    pdf
}

/// The embedded fonts, read once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

/// Two files: the template (`/main.typ`) and the document (`/report.json`).
struct ReportWorld {
    main: Source,
    data: Bytes,
}

impl ReportWorld {
    fn new(data: Vec<u8>) -> Self {
        ReportWorld { main: Source::new(file_id("/main.typ"), TEMPLATE.to_string()), data: Bytes::new(data) }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id("/report.json") {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
