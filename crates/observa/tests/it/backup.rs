//! `observa backup` while the database is being written, and `observa restore`: the copy is
//! prompt, consistent and complete (the restored database serves the same pages and its audit
//! chain verifies), and neither command replaces what it should not.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use observa_domain::consultation::{Status, Value as Answer};
use observa_store::{AccountStore, ConsultationStore, Expected, SqliteStore, Store};

use crate::web::TestApp;
use crate::{text, Scratch};

/// Keeps saving Chile's 2015 draft and appending audit entries until `stop` (at most 20,000
/// rounds); how many rounds it made.
fn writer(db: std::path::PathBuf, stop: Arc<AtomicBool>, rounds: Arc<AtomicUsize>) -> std::thread::JoinHandle<i64> {
    std::thread::spawn(move || {
        let mut store = SqliteStore::open(&db).unwrap();
        let mut version = 0;
        for n in 0..20_000 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let answers = [("plans.changes".to_string(), Answer::Text(format!("cambio {n}")))].into();
            let status = if version == 0 { Status::NotStarted } else { Status::Draft };
            version = store.save_draft(2015, "CL", &answers, Expected { version, status }, "writer@test").unwrap();
            store.record("writer@test", "test-write", &format!("round {n}")).unwrap();
            rounds.fetch_add(1, Ordering::Relaxed);
        }
        version
    })
}

#[test]
fn a_backup_taken_during_writes_is_prompt_and_restores_to_the_same_portal() {
    if crate::sqlite_only("observa backup/restore are SQLite's VACUUM INTO (PostgreSQL is backed up with pg_dump)") {
        return;
    }
    let s = Scratch::new();
    let out = s.observa("c.db", &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    assert!(out.status.success(), "{}", text(&out));
    let (stop, rounds) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let writing = writer(s.path("c.db"), stop.clone(), rounds.clone());
    while rounds.load(Ordering::Relaxed) < 20 {
        std::thread::sleep(Duration::from_millis(10));
    }

    let copy = s.path("copy.db");
    let (started, before) = (Instant::now(), rounds.load(Ordering::Relaxed));
    let out = s.observa("c.db", &["backup", "--out", copy.to_str().unwrap()]);
    let (took, during) = (started.elapsed(), rounds.load(Ordering::Relaxed) - before);
    stop.store(true, Ordering::Relaxed);
    let last_version = writing.join().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(took < Duration::from_secs(10), "the backup took {took:?} under writes");
    assert!(during > 0, "the writer was not held back while the backup ran");
    let said = text(&out);
    assert!(said.contains("states") && said.contains("audit") && said.contains("bytes"), "size and counts: {said}");
    assert!(said.contains(&format!("{}.audit-key", s.path("c.db").display())), "names the key file: {said}");

    let again = s.observa("c.db", &["backup", "--out", copy.to_str().unwrap()]);
    assert!(!again.status.success() && text(&again).contains("--force"), "{}", text(&again));
    let partials = std::fs::read_dir(s.path(""))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().to_string_lossy().ends_with(".partial"));
    assert_eq!(partials.count(), 0, "no temporary file is left behind");

    let out = s.observa("restored.db", &["restore", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // The audit key, once there is one, travels beside the backup as the operator is told.
    let key = |db: &str| s.path(&format!("{db}.audit-key"));
    if key("c.db").exists() {
        std::fs::copy(key("c.db"), key("restored.db")).unwrap();
    }
    let out = s.observa("restored.db", &["audit", "verify"]);
    assert!(out.status.success(), "the restored audit chain verifies: {}", text(&out));
    let restored = s.open("restored.db");
    let draft = restored.draft(2015, "CL").unwrap().expect("the draft is in the copy");
    assert!(draft.version >= 20 && draft.version <= last_version, "a snapshot: version {}", draft.version);

    let (original, copied) = (TestApp::spawn_on(s.open("c.db")), TestApp::spawn_on(restored));
    for path in ["/api/v1/states/CL", "/api/v1/states", "/en/states/CL", "/es/treaties"] {
        let (a, b) = (original.get(path), copied.get(path));
        assert_eq!((a.status, &a.body), (200, &b.body), "{path} is served the same");
    }
}

#[test]
fn restore_refuses_a_non_empty_database_and_a_file_that_is_not_a_backup() {
    if crate::sqlite_only("observa backup/restore are SQLite's VACUUM INTO (PostgreSQL is backed up with pg_dump)") {
        return;
    }
    let s = Scratch::new();
    assert!(s.observa("a.db", &["check", "--quiet"]).status.success());
    let copy = s.path("copy.db");
    assert!(s.observa("a.db", &["backup", "--out", copy.to_str().unwrap()]).status.success());
    let entries = |db: &str| SqliteStore::open(&s.path(db)).unwrap().audit().unwrap().len();
    let held = entries("a.db");

    let out = s.observa("a.db", &["restore", copy.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("is not empty; pass --force"), "{}", text(&out));
    assert_eq!(entries("a.db"), held, "nothing changed");

    let junk = s.path("notes.db");
    std::fs::write(&junk, "not a database at all").unwrap();
    let out = s.observa("b.db", &["restore", junk.to_str().unwrap()]);
    assert!(!out.status.success() && text(&out).contains("is not an Observa database"), "{}", text(&out));
    assert!(!s.path("b.db").exists(), "nothing is written for a bad backup");

    let out = s.observa("a.db", &["restore", "--force", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(s.observa("a.db", &["audit", "verify"]).status.success());
}
