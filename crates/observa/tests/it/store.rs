//! The SQLite store: durable settings, migrations, atomic replacement.

use observa_store::{SqliteStore, Store};

use crate::{bundled, Scratch};

#[test]
fn a_saved_dataset_reads_back_identical_after_reopening() {
    let s = Scratch::new();
    let db = s.path("r.db");
    let ds = bundled();
    {
        let mut store = SqliteStore::open(&db).unwrap();
        assert!(!store.is_seeded().unwrap());
        store.replace_all(&ds, "test").unwrap();
    }
    let store = SqliteStore::open(&db).unwrap();
    assert!(store.is_seeded().unwrap());
    assert_eq!(store.load().unwrap(), ds);
    assert_eq!(store.meta("origin").unwrap().as_deref(), Some("test"));
    assert!(store.integrity().unwrap().is_empty());
}

#[test]
fn the_database_runs_in_wal_mode_with_full_synchronous_writes() {
    let s = Scratch::new();
    let db = s.path("w.db");
    drop(SqliteStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal", "WAL is a property of the file and persists");
    let applied: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(applied, 2, "0001_registry and 0002_audit");
    drop(conn);
    drop(SqliteStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let applied_again: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(applied_again, 2, "a migration is applied once");
}

#[test]
fn a_failed_replacement_leaves_the_previous_content() {
    let mut store = SqliteStore::in_memory().unwrap();
    let ds = bundled();
    store.replace_all(&ds, "first").unwrap();
    let mut broken = ds.clone();
    // A member pointing at a body that does not exist breaks a foreign key mid-transaction.
    let mut ghost = broken.ratifications[0].clone();
    ghost.treaty = "NOPE".into();
    broken.ratifications.push(ghost);
    let err = store.replace_all(&broken, "second").unwrap_err().to_string();
    assert!(err.contains("ratifications"), "{err}");
    assert_eq!(store.load().unwrap(), ds);
    assert_eq!(store.meta("origin").unwrap().as_deref(), Some("first"));
}

#[test]
fn every_write_is_in_a_hash_chained_audit_log_that_detects_tampering() {
    let s = Scratch::new();
    let export = s.path("e.json");
    assert!(s.observa("a.db", &["export", "--format", "json", "--out", export.to_str().unwrap()]).status.success());
    assert!(s.observa("a.db", &["import", export.to_str().unwrap()]).status.success());
    let out = s.observa("a.db", &["audit", "verify"]);
    assert!(out.status.success(), "{}", crate::text(&out));
    assert!(
        crate::text(&out).contains("2 entries, hash chain intact"),
        "seeding and the import: {}",
        crate::text(&out)
    );
    let listed = crate::text(&s.observa("a.db", &["audit", "list"]));
    assert!(
        listed.contains("replace-registry") && listed.contains("import of") && listed.contains("sha256"),
        "{listed}"
    );

    // The database refuses changes to the log...
    let conn = rusqlite::Connection::open(s.path("a.db")).unwrap();
    let refused = conn.execute("UPDATE audit SET actor = 'x' WHERE seq = 1", []).unwrap_err().to_string();
    assert!(refused.contains("append-only"), "{refused}");
    assert!(conn.execute("DELETE FROM audit WHERE seq = 2", []).is_err());
    // ...and a change that bypasses the database's guard is found by verify.
    conn.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone else' WHERE seq = 1;").unwrap();
    drop(conn);
    let out = s.observa("a.db", &["audit", "verify"]);
    assert!(!out.status.success());
    assert!(crate::text(&out).contains("entry 1 is not as written"), "{}", crate::text(&out));
}
