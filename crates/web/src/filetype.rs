//! What an uploaded document really is, read from its content, not its name: PDF by its header,
//! DOCX, XLSX and ODT by the parts inside their ZIP container. A name that says one type over
//! content of another is refused.

use std::io::{Cursor, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Docx,
    Xlsx,
    Odt,
}

impl Kind {
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Odt => "application/vnd.oasis.opendocument.text",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Odt => "odt",
        }
    }
}

/// The document's type, if its content is one of the accepted kinds.
pub fn content_kind(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |zip: &zip::ZipArchive<Cursor<&[u8]>>, name: &str| zip.file_names().any(|n| n.is_ok_and(|n| n == name));
    if has(&zip, "word/document.xml") {
        return Some(Kind::Docx);
    }
    if has(&zip, "xl/workbook.xml") {
        return Some(Kind::Xlsx);
    }
    // ODF keeps its type, uncompressed, in the first entry `mimetype`.
    let mut mimetype = String::new();
    zip.by_name("mimetype").ok()?.take(100).read_to_string(&mut mimetype).ok()?;
    (mimetype.trim() == Kind::Odt.media_type()).then_some(Kind::Odt)
}

/// Accepts a document when its name's extension and its content agree on an accepted kind.
pub fn check(name: &str, bytes: &[u8]) -> Result<Kind, String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let by_name = [Kind::Pdf, Kind::Docx, Kind::Xlsx, Kind::Odt].into_iter().find(|k| k.extension() == extension);
    let Some(by_name) = by_name else {
        return Err(format!("`{name}`: only PDF, DOCX, ODT and XLSX documents are accepted"));
    };
    match content_kind(bytes) {
        Some(kind) if kind == by_name => Ok(kind),
        Some(kind) => {
            Err(format!("`{name}` is named .{extension} but its content is {}", kind.extension().to_uppercase()))
        }
        None => Err(format!(
            "`{name}` is named .{extension} but its content is not a {} document",
            extension.to_uppercase()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, data) in entries {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn documents_are_recognised_by_their_content() {
        assert_eq!(check("plan.pdf", b"%PDF-1.7\n..."), Ok(Kind::Pdf));
        assert_eq!(check("Ley.DOCX", &zip_with(&[("word/document.xml", b"<w/>")])), Ok(Kind::Docx));
        assert_eq!(check("t.xlsx", &zip_with(&[("xl/workbook.xml", b"<x/>")])), Ok(Kind::Xlsx));
        let odt = zip_with(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<o/>")]);
        assert_eq!(check("plan.odt", &odt), Ok(Kind::Odt));
    }

    #[test]
    fn a_name_that_lies_about_the_content_is_refused() {
        assert!(check("plan.pdf", b"<html><script>").unwrap_err().contains("not a PDF"));
        assert!(check("plan.pdf", &zip_with(&[("word/document.xml", b"<w/>")]))
            .unwrap_err()
            .contains("content is DOCX"));
        assert!(check("virus.exe", b"MZ").unwrap_err().contains("only PDF"));
        assert!(check("plan.docx", &zip_with(&[("other.txt", b"x")])).is_err());
        assert!(check("plan.docx", b"PK\x03\x04 truncated").is_err());
    }
}
