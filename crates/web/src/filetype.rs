//! What an uploaded document really is, read from its content, not its name: PDF by its header,
//! DOCX, XLSX and ODT by the parts inside their ZIP container. A name that says one type over
//! content of another is refused.
//!
//! Recognising a document reads only the ZIP's central directory (bounded by the upload's size)
//! and at most 100 bytes of one entry; nothing is decompressed beyond that. A ZIP that is going
//! to be opened and read (an answer workbook) first passes [`check_zip`], which bounds what it
//! may expand to.

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

/// What a ZIP container may hold before it is opened: how many entries, how many bytes all of
/// them expand to, and how far one entry may expand over its compressed size (a deflate stream
/// can expand about 1,000 times, which is how a 2.5 MB upload becomes 1 GB of XML).
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    pub entries: usize,
    pub total_bytes: u64,
    pub ratio: u64,
}

/// Entries smaller than this are not judged by their compression ratio: a small, very regular
/// part (an empty styles sheet) compresses well and costs nothing.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Refuses a ZIP with too many entries, entries whose declared uncompressed sizes add up to more
/// than the limit, or an entry with a suspicious compression ratio; then expands every entry
/// once into nothing, counting the bytes actually produced, and stops as soon as the limit is
/// passed: declared sizes are not trusted. Memory stays at one small buffer.
pub fn check_zip(bytes: &[u8], limits: &ZipLimits) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a readable ZIP container: {e}"))?;
    if zip.len() > limits.entries {
        return Err(format!("the file holds {} parts; at most {} are accepted", zip.len(), limits.entries));
    }
    let megabytes = limits.total_bytes / (1024 * 1024);
    let too_big = || format!("the file expands to more than {megabytes} MB; at most {megabytes} MB are accepted");
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| format!("part {i} cannot be read: {e}"))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
        declared = declared.saturating_add(entry.size());
        if declared > limits.total_bytes {
            return Err(too_big());
        }
        if entry.size() > RATIO_FLOOR && entry.size() / entry.compressed_size().max(1) > limits.ratio {
            return Err(format!(
                "part `{name}` expands {} times over its compressed size; at most {} is accepted",
                entry.size() / entry.compressed_size().max(1),
                limits.ratio
            ));
        }
    }
    let mut produced = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| format!("part {i} cannot be read: {e}"))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
        let left = limits.total_bytes - produced;
        // One byte more than what is left tells "over the limit" from "exactly at it".
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| format!("part `{name}` cannot be expanded: {e}"))?;
        if read > left {
            return Err(too_big());
        }
        produced += read;
    }
    Ok(())
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

    fn deflated(name: &str, data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
        zip.finish().unwrap().into_inner()
    }

    const LIMITS: ZipLimits = ZipLimits { entries: 10, total_bytes: 4 * 1024 * 1024, ratio: 100 };

    #[test]
    fn a_zip_over_a_limit_is_refused_before_it_is_read() {
        let many: Vec<(String, &[u8])> = (0..11).map(|i| (format!("{i}.xml"), &b"<x/>"[..])).collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        assert!(check_zip(&zip_with(&many), &LIMITS).unwrap_err().contains("11 parts; at most 10"));
        let big = zip_with(&[("a.xml", &[b' '; 3 << 20]), ("b.xml", &[b' '; 2 << 20])]);
        assert!(check_zip(&big, &LIMITS).unwrap_err().contains("more than 4 MB"));
        let dense = deflated("a.xml", &[b' '; 2 << 20]);
        assert!(check_zip(&dense, &LIMITS).unwrap_err().contains("part `a.xml` expands"));
        assert_eq!(check_zip(&deflated("a.xml", &[b' '; 1 << 20]), &LIMITS), Ok(()), "small parts may compress well");
    }

    #[test]
    fn declared_sizes_are_not_trusted() {
        // 3 MB of XML whose headers claim 100 bytes: refused when expanding passes the claim.
        let mut lying = deflated("a.xml", &[b' '; 3 << 20]);
        for (signature, at) in [(&b"PK\x03\x04"[..], 22), (&b"PK\x01\x02"[..], 24)] {
            let start = lying.windows(4).position(|w| w == signature).unwrap() + at;
            lying[start..start + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        let loose = ZipLimits { ratio: u64::MAX, ..LIMITS };
        let refused = check_zip(&lying, &loose).unwrap_err();
        assert!(refused.contains("a.xml"), "{refused}");
    }
}
