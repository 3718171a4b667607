//! The report as Markdown (pipe tables): what an editor would otherwise feed to pandoc, and the
//! input of the benchmark that compares pandoc + LibreOffice with Observa's own PDF writer.

use std::fmt::Write;

use crate::document::{Block, Document, Inline};

pub fn write(doc: &Document) -> String {
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "---\ntitle: \"{}\"\nsubtitle: \"{}\"\nlang: {}\n---\n\n",
        quote(&doc.title),
        quote(&doc.subtitle),
        doc.lang.code()
    );
    for block in &doc.blocks {
        match block {
            Block::Heading { level, text, .. } => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(*level as usize), esc(text));
            }
            Block::Paragraph(inlines) => {
                let _ = writeln!(out, "{}\n", inline(inlines));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", inline(item));
                }
                out.push('\n');
            }
            Block::Table(t) => table(&mut out, t),
            // Markdown has no place for an SVG that every reader shows: the chart's caption and a
            // note, then its data.
            Block::Figure { caption, table: data, .. } => {
                let _ = writeln!(out, "*{}: {}*\n", esc(&doc.chart_note), esc(caption));
                table(&mut out, data);
            }
        }
    }
    out
}

fn table(out: &mut String, t: &crate::document::Table) {
    let _ = writeln!(out, "Table: {}\n", esc(&t.caption));
    let _ = writeln!(out, "| {} |", t.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(out, "|{}|", t.header.iter().map(|_| "---").collect::<Vec<_>>().join("|"));
    for row in &t.rows {
        let _ = writeln!(out, "| {} |", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
    out.push('\n');
}

fn inline(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => esc(t),
            Inline::Strong(t) => format!("**{}**", esc(t.trim_end())) + if t.ends_with(' ') { " " } else { "" },
            Inline::Emph(t) => format!("*{}*", esc(t.trim_end())) + if t.ends_with(' ') { " " } else { "" },
        })
        .collect()
}

/// Escapes what Markdown would read as markup inside text.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn cell(text: &str) -> String {
    esc(&text.replace('\n', " "))
}

fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
