//! The report as HTML: [`body`] is the fragment the portal puts in its own layout, and
//! [`standalone`] one self-contained file (styles inline, nothing fetched) that can be mailed or
//! archived. Table headers are `<thead>`, which browsers repeat on every printed page; charts are
//! inline SVG.

use std::fmt::Write;

use crate::document::{Block, Document, Inline, Table};

const STYLE: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}\
h1,h2,h3{font-family:Helvetica,Arial,sans-serif;line-height:1.2}h1{font-size:1.6rem;border-bottom:2px solid #0b4f6c;padding-bottom:.3rem;margin-top:2.5rem}\
h2{font-size:1.3rem;color:#0b4f6c}h3{font-size:1.05rem}table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.85rem}\
caption{text-align:left;font-weight:bold;padding:.3rem 0}th,td{border:1px solid #b8c4cc;padding:.25rem .4rem;vertical-align:top;text-align:left}\
thead th{background:#e8eff3}figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#444}nav ol{columns:2}.subtitle{color:#555}@media print{thead{display:table-header-group}h1{break-before:page}}";

/// One self-contained HTML file.
pub fn standalone(doc: &Document) -> String {
    let mut out = String::with_capacity(256 * 1024);
    let lang = doc.lang.code();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&doc.title)
    );
    out.push_str("<main>\n");
    out.push_str(&body(doc));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The report's title, contents and blocks, without `<html>`, `<main>` or styles (the portal
/// puts it inside its own layout).
pub fn body(doc: &Document) -> String {
    let mut out = String::with_capacity(256 * 1024);
    let _ = writeln!(
        out,
        "<header><h1 class=\"title\">{}</h1><p class=\"subtitle\">{}</p></header>",
        esc(&doc.title),
        esc(&doc.subtitle)
    );
    let _ = write!(out, "<nav aria-label=\"{0}\"><h2>{0}</h2><ol>", esc(&doc.contents_label));
    for (level, id, text) in doc.outline() {
        let class = if level == 2 { " class=\"sub\"" } else { "" };
        let _ = write!(out, "<li{class}><a href=\"#{}\">{}</a></li>", esc(id), esc(text));
    }
    out.push_str("</ol></nav>\n");
    for block in &doc.blocks {
        match block {
            Block::Heading { level, id, text } => {
                let id = if id.is_empty() { String::new() } else { format!(" id=\"{}\"", esc(id)) };
                let _ = writeln!(out, "<h{level}{id}>{}</h{level}>", esc(text));
            }
            Block::Paragraph(inlines) => {
                let _ = writeln!(out, "<p>{}</p>", inline(inlines));
            }
            Block::List(items) => {
                out.push_str("<ul>");
                for item in items {
                    let _ = write!(out, "<li>{}</li>", inline(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(&mut out, t),
            // The SVG is the composer's own drawing (every text in it escaped), inlined so the
            // file stays self-contained; the table after it is its text alternative.
            Block::Figure { id, caption, svg, table: data } => {
                let _ = writeln!(
                    out,
                    "<figure id=\"{}\" class=\"chart\">{svg}<figcaption>{}</figcaption></figure>",
                    esc(id),
                    esc(caption)
                );
                table(&mut out, data);
            }
        }
    }
    out
}

fn table(out: &mut String, t: &Table) {
    let _ = write!(out, "<table id=\"{}\"><caption>{}</caption><thead><tr>", esc(&t.id), esc(&t.caption));
    for h in &t.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", esc(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn inline(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => esc(t),
            Inline::Strong(t) => format!("<strong>{}</strong>", esc(t)),
            Inline::Emph(t) => format!("<em>{}</em>", esc(t)),
        })
        .collect()
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
