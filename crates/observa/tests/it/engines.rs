//! The two storage engines against one contract: the same assertions on SQLite and on a real
//! PostgreSQL server (`OBSERVA_TEST_POSTGRES`, a server URL; `scripts/pg.sh start` makes one).
//! Without it the PostgreSQL half says it was skipped, unless `OBSERVA_REQUIRE_POSTGRES=1`, when
//! it fails. Each test makes its own database `t_<random>` on that server.

use std::sync::atomic::{AtomicU64, Ordering};

use observa_domain::consultation::{Status, Value};
use observa_domain::editorial::EditorialBlock;
use observa_domain::history::{AsOf, Origin};
use observa_store::{
    AccountStore, AuditLog, Backend, ConsultationStore, Expected, PostgresStore, SqliteStore, Store, StoreError,
};

use crate::{bundled, questionnaire, Scratch};

/// The test server's URL, or `None` (said on standard error) when none is configured.
pub fn server(test: &str) -> Option<String> {
    match std::env::var("OBSERVA_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) {
        Some(url) => Some(url),
        None if std::env::var("OBSERVA_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("{test}: OBSERVA_REQUIRE_POSTGRES=1 but OBSERVA_TEST_POSTGRES is not set (scripts/pg.sh start)")
        }
        None => {
            eprintln!("{test}: PostgreSQL part skipped (set OBSERVA_TEST_POSTGRES, see scripts/pg.sh)");
            None
        }
    }
}

/// A new, empty database on the test server; its URL.
pub fn fresh_database(server: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let name = format!("t_{}_{}_{}", std::process::id(), nanos, N.fetch_add(1, Ordering::Relaxed));
    let admin = server.to_string();
    let statement = format!("CREATE DATABASE {name}");
    // The sync client must not run inside a tokio runtime: a thread of its own.
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server answers");
        client.batch_execute(&statement).expect("CREATE DATABASE");
    })
    .join()
    .unwrap();
    let (base, _) = server.rsplit_once('/').expect("a URL with a database name");
    format!("{base}/{name}")
}

/// With `OBSERVA_TEST_ENGINE=postgres`, a fresh PostgreSQL database holding the bundled data, for
/// the tests that start the portal with `TestApp::spawn()` (the others name their databases
/// through [`crate::Scratch`], which puts them on PostgreSQL too). `None` otherwise.
pub fn engine_under_test() -> Option<Box<dyn Backend>> {
    if std::env::var("OBSERVA_TEST_ENGINE").as_deref() != Ok("postgres") {
        return None;
    }
    let server =
        std::env::var("OBSERVA_TEST_POSTGRES").expect("OBSERVA_TEST_ENGINE=postgres needs OBSERVA_TEST_POSTGRES");
    let url = fresh_database(&server);
    let mut store = PostgresStore::open_with_key(&url, observa_store::audit::random_key(), "(test)").unwrap();
    store.replace_all(&bundled(), "test").unwrap();
    Some(Box::new(store))
}

/// Every engine this run can test, each on a new empty database, with a label for messages.
fn engines(test: &str, scratch: &Scratch) -> Vec<(&'static str, Box<dyn Backend>)> {
    let mut all: Vec<(&'static str, Box<dyn Backend>)> =
        vec![("sqlite", Box::new(SqliteStore::open(&scratch.path("e.db")).unwrap()))];
    if let Some(server) = server(test) {
        let url = fresh_database(&server);
        let store = PostgresStore::open_with_key(&url, observa_store::audit::random_key(), "(test)").unwrap();
        all.push(("postgres", Box::new(store)));
    }
    all
}

fn seed(store: &mut dyn Backend) {
    let origin = Origin {
        cycle: 2014,
        effective: observa_domain::checks::seed_update_date(),
        established_by: "bundled 2014 data set (data/)".into(),
        actor: "seed:bundled".into(),
    };
    store.write_dataset(&bundled(), &origin).unwrap();
}

#[test]
fn both_engines_read_back_what_was_written_and_give_the_same_tables() {
    let s = Scratch::new();
    let mut tables = Vec::new();
    for (engine, mut store) in engines("engines::read_back", &s) {
        assert!(!store.is_seeded().unwrap(), "{engine}: a new database is empty");
        seed(store.as_mut());
        assert!(store.is_seeded().unwrap());
        assert_eq!(store.load().unwrap(), bundled(), "{engine}: load == what was written");
        assert_eq!(store.meta("origin").unwrap().as_deref(), Some("bundled 2014 data set (data/)"), "{engine}");
        assert_eq!(store.history(AsOf::Now).unwrap().len(), crate::bundled_records(), "{engine}: one version a record");
        assert!(store.integrity().unwrap().is_empty(), "{engine}");
        let t: Vec<_> = store.tables().unwrap().into_iter().map(|t| (t.name, t.columns, t.types, t.rows)).collect();
        tables.push((engine, t));
    }
    if let [(_, sqlite), (_, postgres)] = &tables[..] {
        for (a, b) in sqlite.iter().zip(postgres) {
            assert_eq!(a, b, "table {}: the same columns, types and cells on both engines", a.0);
        }
        assert_eq!(sqlite.len(), postgres.len());
    }
}

#[test]
fn a_stale_editorial_or_draft_save_is_a_conflict_and_changes_nothing() {
    let s = Scratch::new();
    for (engine, mut store) in engines("engines::stale", &s) {
        seed(store.as_mut());
        let block = EditorialBlock {
            cycle: 2014,
            key: "introduction".into(),
            lang: observa_domain::Lang::En,
            body: "First text.".into(),
            source: None,
            version: 0,
            updated_at: None,
            updated_by: None,
        };
        let before = store.data_version().unwrap();
        assert_eq!(store.save_editorial(&block, "ana").unwrap(), 1, "{engine}");
        assert_ne!(store.data_version().unwrap(), before, "{engine}: an editorial save moves the data version");
        let stale = EditorialBlock { body: "Overwritten?".into(), ..block.clone() };
        assert!(
            matches!(store.save_editorial(&stale, "bea"), Err(StoreError::Conflict { current: 1, .. })),
            "{engine}"
        );
        assert_eq!(store.editorial(2014).unwrap()[0].body, "First text.", "{engine}: the stale save changed nothing");

        store.open_cycle(2015, &questionnaire(), "2015-06-30".parse().unwrap(), "ana").unwrap();
        let mut answers = observa_domain::consultation::Answers::new();
        answers.insert("plans.changes".into(), Value::Text("one".into()));
        assert_eq!(store.save_draft(2015, "CL", &answers, Expected::NEW, "cl").unwrap(), 1, "{engine}");
        let entries = store.audit().unwrap().len();
        let mut other = answers.clone();
        other.insert("plans.changes".into(), Value::Text("two".into()));
        let refused = store.save_draft(2015, "CL", &other, Expected::NEW, "cl2");
        assert!(matches!(refused, Err(StoreError::Conflict { current: 1, based_on: 0, .. })), "{engine}: {refused:?}");
        let draft = store.draft(2015, "CL").unwrap().unwrap();
        assert_eq!((draft.version, &draft.answers), (1, &answers), "{engine}: the stale save changed nothing");
        assert_eq!(store.audit().unwrap().len(), entries, "{engine}: and wrote no audit entry");
        assert_eq!(
            store.save_draft(2015, "CL", &other, Expected { version: 1, status: Status::Draft }, "cl").unwrap(),
            2,
            "{engine}"
        );
    }
}

#[test]
fn an_accepted_later_cycle_leaves_the_earlier_cycle_as_it_was_and_the_audit_log_verifies() {
    let s = Scratch::new();
    for (engine, mut store) in engines("engines::history", &s) {
        seed(store.as_mut());
        let original = store.load().unwrap();
        store.open_cycle(2015, &questionnaire(), "2015-06-30".parse().unwrap(), "ana").unwrap();
        let version = store.save_draft(2015, "CL", &Default::default(), Expected::NEW, "cl").unwrap();
        assert!(store.submit(2015, "CL", Expected { version, status: Status::Draft }, "cl").unwrap(), "{engine}");
        let mut later = original.clone();
        let plan = later.plans.iter_mut().find(|p| p.state.as_str() == "CL").expect("a Chilean plan");
        plan.name = "Plan renamed in 2015".into();
        let changes = observa_domain::history::diff(&original, &later).unwrap();
        assert_eq!(changes.len(), 1);
        let data_version = store.data_version().unwrap();
        let submitted = Expected { version, status: Status::Submitted };
        store.accept(2015, "CL", submitted, &changes, &[], "ana").unwrap();
        assert!(store.data_version().unwrap() > data_version, "{engine}: an accept moves the data version");
        assert_eq!(store.load().unwrap(), later, "{engine}: now");
        assert_eq!(store.load_as_of(AsOf::Cycle(2014)).unwrap(), original, "{engine}: as of 2014, unchanged");
        assert_eq!(store.load_as_of(AsOf::Cycle(2015)).unwrap(), later, "{engine}: as of 2015");
        // The same changes again start from a reading that is no longer true: refused, nothing changes.
        let origin = Origin {
            cycle: 2015,
            effective: chrono::Utc::now().date_naive(),
            established_by: "x".into(),
            actor: "x".into(),
        };
        assert!(matches!(store.write_changes(&changes, &origin), Err(StoreError::Conflict { .. })), "{engine}");
        assert_eq!(store.load().unwrap(), later, "{engine}");
        let n = store.audit().unwrap().len();
        assert_eq!(store.verify_audit(None).unwrap(), Ok(n), "{engine}: the chain verifies");
        let checkpoint = store.audit_checkpoint().unwrap().unwrap();
        assert_eq!(checkpoint.seq, n as i64, "{engine}");
        assert_eq!(store.verify_audit(Some(&checkpoint)).unwrap(), Ok(n), "{engine}");
    }
}

#[test]
fn postgres_refuses_to_change_the_audit_log_and_the_history() {
    let Some(server) = server("engines::append_only") else { return };
    let url = fresh_database(&server);
    let mut store = PostgresStore::open_with_key(&url, observa_store::audit::random_key(), "(test)").unwrap();
    seed(&mut store);
    let url2 = url.clone();
    let refused = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url2, postgres::NoTls).unwrap();
        ["UPDATE audit SET actor = 'x'", "DELETE FROM audit", "TRUNCATE audit", "DELETE FROM registry_versions"].map(
            |sql| c.batch_execute(sql).map_err(|e| e.as_db_error().map(|d| d.message().to_string())).err().flatten(),
        )
    })
    .join()
    .unwrap();
    for message in refused {
        assert!(message.as_deref().is_some_and(|m| m.contains("append-only")), "{message:?}");
    }
    let n = store.audit().unwrap().len();
    assert_eq!(store.verify_audit(None).unwrap(), Ok(n));
}

/// The sync client inside tokio: the web layer calls the store from runtime worker threads.
fn use_inside_a_runtime(url: &str) {
    let mut store = PostgresStore::open_with_key(url, observa_store::audit::random_key(), "(test)").unwrap();
    assert!(!store.is_seeded().unwrap());
    store.open_cycle(2015, &questionnaire(), "2015-06-30".parse().unwrap(), "ana").unwrap();
    assert_eq!(store.save_draft(2015, "CL", &Default::default(), Expected::NEW, "cl").unwrap(), 1);
    assert_eq!(store.cycles().unwrap().len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn postgres_works_inside_a_current_thread_runtime() {
    let Some(server) = server("engines::current_thread") else { return };
    use_inside_a_runtime(&fresh_database(&server));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_works_inside_a_multi_thread_runtime() {
    let Some(server) = server("engines::multi_thread") else { return };
    let url = fresh_database(&server);
    tokio::spawn(async move { use_inside_a_runtime(&url) }).await.unwrap();
}

#[test]
fn two_processes_saving_from_one_version_at_once_one_wins_and_the_chain_stays_one() {
    let Some(server) = server("engines::concurrent") else { return };
    let url = fresh_database(&server);
    let key = observa_store::audit::random_key();
    let mut store = PostgresStore::open_with_key(&url, key.clone(), "(test)").unwrap();
    store.open_cycle(2015, &questionnaire(), "2015-06-30".parse().unwrap(), "ana").unwrap();
    drop(store);
    // Eight connections (as eight server processes would have) save from version 0 at once.
    let results: Vec<_> = (0..8)
        .map(|i| {
            let (url, key) = (url.clone(), key.clone());
            std::thread::spawn(move || {
                let mut store = PostgresStore::open_with_key(&url, key, "(test)").unwrap();
                let mut answers = observa_domain::consultation::Answers::new();
                answers.insert("plans.changes".into(), Value::Text(format!("writer {i}")));
                let saved = store.save_draft(2015, "CL", &answers, Expected::NEW, &format!("w{i}"));
                store.record(&format!("w{i}"), "sign-in", "account/1").unwrap();
                saved
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(StoreError::Conflict { .. }))));
    let store = PostgresStore::open_with_key(&url, key, "(test)").unwrap();
    let n = store.audit().unwrap().len();
    assert_eq!(store.verify_audit(None).unwrap(), Ok(n), "one chain through every writer");
}
