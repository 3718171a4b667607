//! The store through its interface (on the engine under test): reading back, atomic
//! replacement, the audit log's guard, versioned saves; and SQLite's own durable settings.

use observa_store::SqliteStore;

use crate::{bundled, Scratch};

#[test]
fn a_saved_dataset_reads_back_identical_after_reopening() {
    let s = Scratch::new();
    let ds = bundled();
    {
        let mut store = s.open("r.db");
        assert!(!store.is_seeded().unwrap());
        store.replace_all(&ds, "test").unwrap();
    }
    let store = s.open("r.db");
    assert!(store.is_seeded().unwrap());
    assert_eq!(store.load().unwrap(), ds);
    assert_eq!(store.meta("origin").unwrap().as_deref(), Some("test"));
    assert!(store.integrity().unwrap().is_empty());
}

#[test]
fn a_state_s_part_read_by_the_engine_is_the_part_of_the_whole_registry() {
    let s = Scratch::new();
    let mut store = s.open("p.db");
    store.replace_all(&bundled(), "test").unwrap();
    let whole = store.load().unwrap();
    for state in whole.states.iter().map(|s| s.code.to_string()) {
        let part = store.load_part(&state).unwrap();
        assert_eq!(part, whole.part(&state).unwrap(), "{state}: the engine reads the same part");
        assert_eq!(part.validate(), vec![], "{state}'s part validates");
        assert!(part.organisations.len() < whole.organisations.len(), "{state}: not every organisation");
        let held: std::collections::BTreeSet<(String, String)> = observa_domain::history::records(&part)
            .unwrap()
            .into_iter()
            .flat_map(|(t, rows)| {
                rows.iter().map(|r| (t.to_string(), observa_domain::history::key(t, r))).collect::<Vec<_>>()
            })
            .collect();
        let foreign = part.translations.iter().find(|t| !held.contains(&(t.of_table.clone(), t.record.clone())));
        assert!(foreign.is_none(), "{state}: a translation of a record outside the part: {foreign:?}");
    }
    let chile = store.load_part("CL").unwrap();
    assert!(chile.translations.iter().any(|t| t.record == "cl-ministry-justice"), "its texts' translations come along");
    assert!(chile.plans.iter().all(|p| p.state.as_str() == "CL"));
}

#[test]
fn the_database_runs_in_wal_mode_with_full_synchronous_writes() {
    if crate::sqlite_only("WAL and schema_migrations are properties of the SQLite file") {
        return;
    }
    let s = Scratch::new();
    let db = s.path("w.db");
    drop(SqliteStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal", "WAL is a property of the file and persists");
    let applied: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    // Every migration file of the engine is applied, once.
    let files =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../store/migrations/sqlite")).unwrap().count() as i64;
    assert!(files >= 7, "{files} migration files");
    assert_eq!(applied, files, "every migration applied");
    drop(conn);
    drop(SqliteStore::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let applied_again: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(applied_again, files, "a migration is applied once");
}

#[test]
fn a_failed_replacement_leaves_the_previous_content() {
    let s = Scratch::new();
    let mut store = s.open("m.db");
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
        crate::text(&out).contains(&format!("{} entries, hash chain intact", 62 + crate::bundled_records())),
        "the audit key's entry, seeding (see cli.rs) and the import, which changes no record: {}",
        crate::text(&out)
    );
    let listed = crate::text(&s.observa("a.db", &["audit", "list"]));
    assert!(
        listed.contains("restore-history") && listed.contains("import of") && listed.contains("\"records_changed\":0"),
        "{listed}"
    );

    // The database refuses changes to the log...
    let refused = s.try_execute("a.db", "UPDATE audit SET actor = 'x' WHERE seq = 1").unwrap_err();
    assert!(refused.contains("append-only"), "{refused}");
    assert!(s.try_execute("a.db", "DELETE FROM audit WHERE seq = 2").is_err());
    // ...and a change that bypasses the database's guard (each engine's own way) is found by verify.
    let bypass =
        if crate::on_postgres() { "ALTER TABLE audit DISABLE TRIGGER USER" } else { "DROP TRIGGER audit_no_update" };
    s.execute("a.db", &format!("{bypass}; UPDATE audit SET actor = 'someone else' WHERE seq = 1;"));
    let out = s.observa("a.db", &["audit", "verify"]);
    assert!(!out.status.success());
    assert!(crate::text(&out).contains("entry 1 is not as written"), "{}", crate::text(&out));
}

#[test]
fn deleting_the_last_entries_behind_the_guard_is_detected() {
    let s = Scratch::new();
    let seeded = s.observa("a.db", &["check", "--quiet"]);
    assert!(seeded.status.success(), "{}", crate::text(&seeded));
    let bypass =
        if crate::on_postgres() { "ALTER TABLE audit DISABLE TRIGGER USER" } else { "DROP TRIGGER audit_no_delete" };
    s.execute("a.db", &format!("{bypass}; DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 3 FROM audit);"));
    let cut = s.observa("a.db", &["audit", "verify"]);
    assert!(!cut.status.success() && crate::text(&cut).contains("entries were deleted"), "{}", crate::text(&cut));
}

fn block(version: i64, body: &str) -> observa_domain::editorial::EditorialBlock {
    observa_domain::editorial::EditorialBlock {
        cycle: 2014,
        key: "conclusions".into(),
        lang: observa_domain::Lang::Fr,
        body: body.into(),
        source: None,
        version,
        updated_at: None,
        updated_by: None,
    }
}

#[test]
fn editorial_saves_carry_versions_and_a_stale_one_changes_nothing() {
    let s = Scratch::new();
    let mut store = s.open("e.db");
    assert_eq!(store.save_editorial(&block(0, "première version"), "ana").unwrap(), 1);
    assert_eq!(store.save_editorial(&block(1, "deuxième version"), "ana").unwrap(), 2);
    match store.save_editorial(&block(1, "perdue ?"), "bea") {
        Err(observa_store::StoreError::Conflict { current: 2, based_on: 1, .. }) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = store.editorial(2014).unwrap();
    assert_eq!((stored.len(), stored[0].body.as_str(), stored[0].version), (1, "deuxième version", 2));
    assert_eq!(stored[0].updated_by.as_deref(), Some("ana"));
    let bad = observa_domain::editorial::EditorialBlock { key: "preface".into(), ..block(2, "x") };
    assert!(matches!(store.save_editorial(&bad, "ana"), Err(observa_store::StoreError::Invalid(_))));
    let audit = store.audit().unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "save-editorial").count(),
        2,
        "one entry per save, none for refusals"
    );
}

#[test]
fn two_analysts_saving_from_the_same_version_at_once_one_wins_and_one_is_told() {
    let s = Scratch::new();
    s.open("e.db").save_editorial(&block(0, "base"), "ana").unwrap();
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let s = &s;
                scope.spawn(move || {
                    let mut store = s.open("e.db");
                    store.save_editorial(&block(1, &format!("analyst {i}")), &format!("analyst-{i}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let wins = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results.iter().filter(|r| matches!(r, Err(observa_store::StoreError::Conflict { .. }))).count();
    assert_eq!((wins, conflicts), (1, 1), "{results:?}");
    let stored = s.open("e.db").editorial(2014).unwrap();
    assert_eq!(stored[0].version, 2);
}
