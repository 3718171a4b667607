//! The report as a format-neutral document: headings, paragraphs, lists, tables and figures (a
//! chart as SVG with its data table). The composer builds one [`Document`]; each writer (HTML,
//! Markdown, PDF, DOCX, XLSX) walks the same blocks, so every format says the same thing.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// A whole report in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub lang: observa_domain::Lang,
    pub title: String,
    pub subtitle: String,
    /// "Contents" in the document's language.
    pub contents_label: String,
    /// "Page" in the document's language.
    pub page_label: String,
    /// What Markdown writes where a chart stands (it has no images), in the document's language.
    pub chart_note: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Block {
    /// Level 1 to 3. `id` is a stable anchor (`status`, `fp-coordination`, `appendix-3`).
    Heading {
        level: u8,
        id: String,
        text: String,
    },
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table(Table),
    /// A chart: `svg` is a whole SVG image (vector in the HTML, PDF and DOCX), and `table` its
    /// data, which every writer puts right after it as a normal table (its text alternative, and
    /// a sheet of the workbook when `table.sheet` says so).
    Figure {
        id: String,
        caption: String,
        svg: String,
        table: Table,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Inline {
    Text(String),
    Strong(String),
    Emph(String),
}

/// A table with a caption and one header row, which every writer repeats across pages.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths, one per column.
    pub widths: Vec<u16>,
    /// The workbook sheet this table becomes in the XLSX output, if it goes there.
    pub sheet: Option<String>,
    /// Column names for the sheet when they differ from `header` (short codes in print).
    pub sheet_header: Vec<String>,
    /// Rows for the sheet when they differ from `rows` (every value, where print shows the
    /// latest); not part of the printed document.
    #[serde(skip)]
    pub sheet_rows: Vec<Vec<String>>,
}

impl Document {
    /// The level 1 and 2 headings, for tables of contents.
    pub fn outline(&self) -> impl Iterator<Item = (u8, &str, &str)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading { level, id, text } if *level <= 2 => Some((*level, id.as_str(), text.as_str())),
            _ => None,
        })
    }

    /// Every table in order, a figure's data table included.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) | Block::Figure { table: t, .. } => Some(t),
            _ => None,
        })
    }
}

/// Plain text of a run of inlines (for formats and places without emphasis).
pub fn plain(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Strong(t) | Inline::Emph(t) => t.as_str(),
        })
        .collect()
}

/// Reads an editorial block's Markdown into paragraphs and lists. Only what the block editor
/// documents is kept: paragraphs, bullet or numbered lists, bold, italics, links (as their text).
/// Headings inside a block become bold paragraphs: the report owns the heading structure.
pub fn from_markdown(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Inline> = Vec::new();
    let mut items: Vec<Vec<Inline>> = Vec::new();
    let mut list_depth = 0usize;
    let (mut strong, mut emph) = (0usize, 0usize);
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::List(_)) => {
                flush_paragraph(&mut current, &mut blocks);
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth -= 1;
                if list_depth == 0 && !items.is_empty() {
                    blocks.push(Block::List(std::mem::take(&mut items)));
                }
            }
            Event::End(TagEnd::Item) if !current.is_empty() => items.push(std::mem::take(&mut current)),
            Event::Start(Tag::Strong) | Event::Start(Tag::Heading { .. }) => strong += 1,
            Event::End(TagEnd::Strong) => strong -= 1,
            Event::End(TagEnd::Heading(_)) => {
                strong -= 1;
                flush_paragraph(&mut current, &mut blocks);
            }
            Event::Start(Tag::Emphasis) => emph += 1,
            Event::End(TagEnd::Emphasis) => emph -= 1,
            Event::End(TagEnd::Paragraph) if list_depth == 0 => flush_paragraph(&mut current, &mut blocks),
            Event::Text(text) | Event::Code(text) => push_text(&mut current, &text, strong > 0, emph > 0),
            Event::SoftBreak | Event::HardBreak => push_text(&mut current, " ", false, false),
            _ => {}
        }
    }
    flush_paragraph(&mut current, &mut blocks);
    blocks
}

fn push_text(current: &mut Vec<Inline>, text: &str, strong: bool, emph: bool) {
    let inline = match (strong, emph) {
        (true, _) => Inline::Strong(text.to_string()),
        (false, true) => Inline::Emph(text.to_string()),
        _ => Inline::Text(text.to_string()),
    };
    // Adjacent plain runs are merged so writers see whole sentences.
    match (current.last_mut(), &inline) {
        (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(next),
        _ => current.push(inline),
    }
}

fn flush_paragraph(current: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    if !current.is_empty() {
        blocks.push(Block::Paragraph(std::mem::take(current)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_paragraphs_lists_and_emphasis() {
        let blocks = from_markdown("One **bold** and *soft*\nline.\n\n- first\n- second [link](http://x)\n\n## Head\n");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    Inline::Text("One ".into()),
                    Inline::Strong("bold".into()),
                    Inline::Text(" and ".into()),
                    Inline::Emph("soft".into()),
                    Inline::Text(" line.".into()),
                ]),
                Block::List(vec![vec![Inline::Text("first".into())], vec![Inline::Text("second link".into())]]),
                Block::Paragraph(vec![Inline::Strong("Head".into())]),
            ]
        );
    }

    #[test]
    fn raw_html_in_markdown_is_dropped_not_passed_through() {
        let blocks = from_markdown("Hello <script>alert(1)</script> <b>world</b>");
        let Block::Paragraph(p) = &blocks[0] else { panic!("a paragraph") };
        // The tags are gone; the words between them stay as text, which every writer escapes.
        assert_eq!(plain(p), "Hello alert(1) world");
    }
}
