//! Hostile uploads: a workbook whose two cells span the whole sheet, and a zip bomb. Each is
//! refused with a message that says why, changes nothing, costs little, and leaves the server
//! answering, in the portal under test and in the real `observa serve` under a memory cap.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, FlushCompress};

use crate::consultation::{account, api, setup, upload_to, CL};

const MAIN: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// One entry of a ZIP written by hand: its data as stored (raw deflate when `deflated`), its
/// CRC-32 and size uncompressed. By hand, so that a deflate stream can be repeated instead of
/// compressing a gigabyte in the test.
struct Part {
    name: &'static str,
    deflated: bool,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

impl Part {
    fn stored(name: &'static str, text: &str) -> Part {
        let data = text.as_bytes().to_vec();
        Part { name, deflated: false, crc: crc32fast::hash(&data), size: data.len() as u32, data }
    }
}

/// The ZIP format (APPNOTE 4.3): a local header and the data per entry, the central directory,
/// its end record.
fn zip(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for p in parts {
        let offset = out.len() as u32;
        let mut header = Vec::new();
        for field in [20u16, 0, if p.deflated { 8 } else { 0 }, 0, 0x21] {
            header.extend(field.to_le_bytes()); // version, flags, method, time, date (1980-01-01)
        }
        for field in [p.crc, p.data.len() as u32, p.size] {
            header.extend(field.to_le_bytes());
        }
        header.extend((p.name.len() as u32).to_le_bytes()); // name length, no extra field
        out.extend(b"PK\x03\x04".iter().chain(&header).chain(p.name.as_bytes()).chain(&p.data));
        central.extend(b"PK\x01\x02".iter().chain(&20u16.to_le_bytes()).chain(&header).chain(&[0u8; 10]));
        central.extend(offset.to_le_bytes().iter().chain(p.name.as_bytes()));
    }
    let (at, n) = (out.len() as u32, parts.len() as u16);
    out.extend(b"PK\x05\x06".iter().chain(&[0u8; 4]).chain(&n.to_le_bytes()).chain(&n.to_le_bytes()));
    out.extend((central.len() as u32).to_le_bytes().iter().chain(&at.to_le_bytes()).chain(&[0u8; 2]));
    out.splice(at as usize..at as usize, central);
    out
}

/// A minimal valid XLSX with one sheet, `Answers`, whose XML is `sheet`.
fn xlsx(sheet: Part) -> Vec<u8> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let relationship = |kind: &str, target: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{REL}/{kind}" Target="{target}"/></Relationships>"#
        )
    };
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook {MAIN} xmlns:r="{REL}"><sheets><sheet name="Answers" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    zip(&[
        Part::stored("[Content_Types].xml", content_types),
        Part::stored("_rels/.rels", &relationship("officeDocument", "xl/workbook.xml")),
        Part::stored("xl/workbook.xml", &workbook),
        Part::stored("xl/_rels/workbook.xml.rels", &relationship("worksheet", "worksheets/sheet1.xml")),
        sheet,
    ])
}

const SHEET: &str = "xl/worksheets/sheet1.xml";

/// One cell at A1 (with the version in F1) and one at XFD1048576, the sheet's last: 2 KB whose
/// bounding box is the whole sheet, 17 billion cells.
fn two_corners() -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="F1"><v>0</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#
    );
    xlsx(Part::stored(SHEET, &sheet))
}

/// About how much sheet XML the bomb expands to.
const BOMB_BYTES: usize = 1 << 30;

/// Raw deflate of `text`, ending on a byte boundary with nothing referring back past its start
/// (a full flush), so that copies of it can follow one another; `last` ends the stream.
fn deflate(text: &str, last: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 64);
    let flush = if last { FlushCompress::Finish } else { FlushCompress::Full };
    Compress::new(Compression::best(), false).compress_vec(text.as_bytes(), &mut out, flush).unwrap();
    out
}

/// A sheet of 1 GB of rows of one cell each, as about 2.6 MB of deflate: one megabyte of rows is
/// compressed once and its stream repeated, with the CRC-32 combined to match.
pub(crate) fn zip_bomb() -> Vec<u8> {
    let head = format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><sheetData>"#);
    let chunk = "<row><c><v>1</v></c></row>".repeat(40_000);
    let tail = "</sheetData></worksheet>";
    let copies = BOMB_BYTES / chunk.len();
    let (mut crc, mut chunk_crc) = (crc32fast::Hasher::new(), crc32fast::Hasher::new());
    crc.update(head.as_bytes());
    chunk_crc.update(chunk.as_bytes());
    let packed = deflate(&chunk, false);
    let mut data = deflate(&head, false);
    for _ in 0..copies {
        crc.combine(&chunk_crc);
        data.extend(&packed);
    }
    crc.update(tail.as_bytes());
    data.extend(deflate(tail, true));
    let size = (head.len() + copies * chunk.len() + tail.len()) as u32;
    xlsx(Part { name: SHEET, deflated: true, crc: crc.finalize(), size, data })
}

/// 60,000 cells, every one at A2, inside the sheet: the cell count, not the sheet's size, is
/// what would cost memory here (numbered so that it compresses like real XML).
fn one_cell_many_times() -> Vec<u8> {
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><sheetData><row r="1"><c r="F1"><v>0</v></c></row><row r="2">"#
    );
    let cells: String = (0..60_000).map(|i| format!(r#"<c r="A2"><v>{i}</v></c>"#)).collect();
    let xml = format!("{head}{cells}</row></sheetData></worksheet>");
    let data = deflate(&xml, true);
    xlsx(Part { name: SHEET, deflated: true, crc: crc32fast::hash(xml.as_bytes()), size: xml.len() as u32, data })
}

const WORKBOOK: &str = "/es/cycles/2015/responses/CL/workbook";

/// The hostile files, each with what the refusal must say.
fn hostile() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("corners.xlsx", two_corners(), "cell XFD1048576 is outside the answer sheet (at most 2000 rows, 50 columns)"),
        ("bomb.xlsx", zip_bomb(), "the file expands to more than 20 MB"),
        ("cells.xlsx", one_cell_many_times(), "the workbook has more than 50000 cells"),
    ]
}

#[test]
fn hostile_workbooks_are_refused_quickly_with_a_reason_and_change_nothing() {
    let (app, s, token) = setup();
    let officer = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let csrf = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]).csrf();
    let bearer = format!("Bearer {token}");
    for (name, bytes, reason) in hostile() {
        if let Ok(d) = std::env::var("DUMP_TMP") {
            std::fs::write(format!("{d}/{name}"), &bytes).unwrap();
        }
        assert!(bytes.len() < 5 * 1024 * 1024, "{name} is {} bytes: within the upload limit", bytes.len());
        let started = Instant::now();
        let (status, body) = upload_to(&app.base, WORKBOOK, &officer, &csrf, name, &bytes);
        let took = started.elapsed();
        assert_eq!(status, 400, "{name}: {body}");
        assert!(body.contains(reason), "{name} is refused with its reason: {body}");
        // Seconds even in a debug build on a busy machine; the old reader took 87 s on the bomb.
        assert!(took < Duration::from_secs(10), "{name} was refused in {took:?}");
        let (_, etag, _) = api(&app, "GET", CL, &[("Authorization", &bearer)], None);
        assert_eq!(etag.as_deref(), Some("\"v0\""), "{name} saved nothing");
        assert_eq!(app.get("/en/").status, 200, "the portal still answers after {name}");
    }
}

/// `observa serve --db DB` on a port the system picks, with its address space capped at
/// `cap_mb` (`ulimit -v`, so an allocation beyond it fails instead of growing); stopped on drop.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(s: &crate::Scratch, db: &str, cap_mb: u64) -> Served {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", cap_mb * 1024))
            .arg(env!("CARGO_BIN_EXE_observa"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(s.db(db))
            .current_dir(s.path(""))
            .env("OBSERVA_LOG", "warn")
            // Fewer threads and malloc arenas: the reserved address space, which the cap
            // counts, no longer depends on the machine's number of cores.
            .env("TOKIO_WORKER_THREADS", "2")
            .env("MALLOC_ARENA_MAX", "2")
            .env_remove("OBSERVA_DB")
            .env_remove("OBSERVA_AUDIT_KEY")
            .env_remove("OBSERVA_AUDIT_KEY_FILE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("observa serve starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        // The address line, after whatever the server says first (whether mail is sent); the end
        // of its output without one means it exited, and then its errors are all there is to read.
        let (mut line, mut said) = (String::new(), String::new());
        let base = loop {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                let mut err = String::new();
                child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
                panic!("observa serve did not start under {cap_mb} MB: {said}{err}");
            }
            said.push_str(&line);
            if let Some(base) = line.trim().strip_prefix("Observa is serving on ") {
                break base.trim_end_matches('/').to_string();
            }
        };
        // Keep reading what it prints so that it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Served { child, base }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a normal start needs, measured (peak virtual size 280 MB in a debug build with the
/// settings above, 70 MB resident), with room to spare; far below what the bomb cost the old
/// reader (1.3 GB) or what the two cells asked it for (512 GB).
const CAP_MB: u64 = 512;

#[test]
fn the_real_server_under_a_memory_cap_survives_hostile_workbooks() {
    let (app, s, _) = setup();
    let officer = account(&app, &s, "oficial@gob.cl", &["--role", "liaison", "--state", "CL"]);
    let csrf = app.get_with("/es/cycles/2015/responses/CL", &[("Cookie", &officer)]).csrf();
    let mut served = Served::start(&s, "c.db", CAP_MB);
    for (name, bytes, reason) in hostile() {
        let (status, body) = upload_to(&served.base, WORKBOOK, &officer, &csrf, name, &bytes);
        assert_eq!(status, 400, "{name}: {body}");
        assert!(body.contains(reason), "{name}: {body}");
        assert!(served.alive(), "observa serve is still running after {name}");
    }
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let home = agent.get(format!("{}/en/", served.base)).call().unwrap();
    assert_eq!(home.status().as_u16(), 200, "and still serving");
}
