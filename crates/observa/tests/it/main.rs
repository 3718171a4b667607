//! The one integration-test binary: runs the real `observa` binary and the real store against
//! fresh temporary databases. Modules follow the user-facing paths. Every test runs on SQLite,
//! and again on PostgreSQL with `OBSERVA_TEST_ENGINE=postgres` (`scripts/test.sh` does both),
//! except the few about SQLite itself, which say so ([`sqlite_only`]).

mod accounts;
mod api_workflow;
mod backup;
mod cache;
mod checks;
mod cli;
mod consultation;
mod data;
mod demo;
mod design;
mod engines;
mod history;
mod mail;
mod matrix_workbook;
mod monitoring;
mod monitoring_web;
mod openapi;
mod opendata;
mod report;
mod report_monitoring;
mod roles;
mod security;
mod shared_db;
mod snapshots;
mod store;
mod translations;
mod uploads;
mod validation;
mod web;
mod workflow;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use observa_store::Backend;

/// Whether this run tests the PostgreSQL engine (`OBSERVA_TEST_ENGINE=postgres`, with
/// `OBSERVA_TEST_POSTGRES` naming a server): then every database a test names lives there.
pub fn on_postgres() -> bool {
    std::env::var("OBSERVA_TEST_ENGINE").as_deref() == Ok("postgres")
}

/// For a test about SQLite itself (its file, its `-wal`, `VACUUM INTO`): on PostgreSQL it says
/// so on the test output (not captured, so every run shows the list) and answers `true`, and the
/// test returns. `if crate::sqlite_only("why") { return; }`
pub fn sqlite_only(why: &str) -> bool {
    if !on_postgres() {
        return false;
    }
    let test = std::thread::current().name().unwrap_or("?").to_string();
    let _ = writeln!(std::io::stderr(), "SQLite-only, not run on PostgreSQL: {test}: {why}");
    true
}

/// A scratch folder that holds databases and files for one test. A database is named like a
/// file (`"c.db"`); on PostgreSQL each name is a fresh database of its own on the test server,
/// whose audit key is `<database name>.audit-key` in this folder, where the binary (run here)
/// finds it too.
pub struct Scratch {
    dir: tempfile::TempDir,
    /// PostgreSQL: the URL made for each database name.
    urls: Mutex<HashMap<String, String>>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch { dir: tempfile::tempdir().expect("temporary folder"), urls: Mutex::default() }
    }
}

impl Scratch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Where the database `name` is: the file in this folder, or on PostgreSQL the URL of a
    /// database made for this folder and name at the first use.
    pub fn db(&self, name: &str) -> String {
        if !on_postgres() {
            return self.path(name).display().to_string();
        }
        let mut urls = self.urls.lock().unwrap();
        urls.entry(name.to_string())
            .or_insert_with(|| {
                let server = std::env::var("OBSERVA_TEST_POSTGRES")
                    .expect("OBSERVA_TEST_ENGINE=postgres needs OBSERVA_TEST_POSTGRES (scripts/pg.sh start)");
                engines::fresh_database(&server)
            })
            .clone()
    }

    /// Opens the database `name` (see [`Scratch::db`]) as the binary would, with the same audit key.
    pub fn open(&self, name: &str) -> Box<dyn Backend> {
        let location = self.db(name);
        if !on_postgres() {
            return observa_store::open(Path::new(&location)).unwrap();
        }
        let key_file = self.path(&format!("{}.audit-key", observa_store::postgres::database_name(&location)));
        let key = match std::fs::read_to_string(&key_file) {
            Ok(text) => observa_domain::audit::AuditKey::parse(&text).unwrap(),
            Err(_) => {
                let key = observa_store::audit::random_key();
                std::fs::write(&key_file, format!("{}\n", key.to_hex())).unwrap();
                key
            }
        };
        let store = observa_store::PostgresStore::open_with_key(&location, key, &key_file.display().to_string());
        Box::new(store.unwrap())
    }

    /// Runs SQL statements (literals only) on the database `name`, behind the store's back: what a
    /// test does to set up a state no page can reach (many failed sign-ins long ago).
    pub fn execute(&self, name: &str, sql: &str) {
        self.try_execute(name, sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// [`Scratch::execute`], answering the engine's message when it refuses.
    pub fn try_execute(&self, name: &str, sql: &str) -> Result<(), String> {
        let location = self.db(name);
        if !on_postgres() {
            let conn = rusqlite::Connection::open(&location).map_err(|e| e.to_string())?;
            return conn.execute_batch(sql).map_err(|e| e.to_string());
        }
        let sql = sql.to_string();
        // The sync client must not run inside a tokio runtime: a thread of its own.
        std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&location, postgres::NoTls).map_err(|e| e.to_string())?;
            client.batch_execute(&sql).map_err(|e| e.as_db_error().map_or(e.to_string(), |d| d.message().to_string()))
        })
        .join()
        .unwrap()
    }

    /// Whether the database `name` was made: its file exists, or (the test server's database
    /// being made empty by [`Scratch::db`]) it holds any table.
    pub fn exists(&self, name: &str) -> bool {
        let location = self.db(name);
        if !on_postgres() {
            return Path::new(&location).exists();
        }
        std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&location, postgres::NoTls).unwrap();
            let tables: i64 =
                client.query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[]).unwrap().get(0);
            tables > 0
        })
        .join()
        .unwrap()
    }

    /// How many bytes the database `name` takes: the file, or PostgreSQL's `pg_database_size`.
    pub fn size(&self, name: &str) -> u64 {
        let location = self.db(name);
        if !on_postgres() {
            return std::fs::metadata(&location).unwrap().len();
        }
        std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&location, postgres::NoTls).unwrap();
            let size: i64 = client.query_one("SELECT pg_database_size(current_database())", &[]).unwrap().get(0);
            size as u64
        })
        .join()
        .unwrap()
    }

    /// Runs `observa --db <database> ARGS...` in this folder (see [`Scratch::db`]) and returns its output.
    pub fn observa(&self, db: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_observa"))
            .arg("--db")
            .arg(self.db(db))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("OBSERVA_DB")
            .env_remove("OBSERVA_AUDIT_KEY")
            .env_remove("OBSERVA_AUDIT_KEY_FILE")
            .output()
            .expect("the observa binary runs")
    }
}

pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The repository's `data/` folder.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// The bundled data set, loaded and validated as `observa` does.
pub fn bundled() -> observa_domain::Dataset {
    let mut files = Vec::new();
    for dir in observa_domain::datafile::FOLDERS.map(|f| data_dir().join(f)) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    observa_domain::datafile::load_files(&files).expect("the bundled data loads")
}

/// Copies the data folder so that a test can break a file without touching the repository.
pub fn copy_data(to: &Path) {
    for dir in observa_domain::datafile::FOLDERS {
        std::fs::create_dir_all(to.join(dir)).unwrap();
        for entry in std::fs::read_dir(data_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, to.join(dir).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// The 2014 questionnaire from the data folder.
pub fn questionnaire() -> observa_domain::questionnaire::Questionnaire {
    let path = data_dir().join("questionnaires/2014.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    observa_domain::questionnaire::Questionnaire::parse("2014.toml", &text).unwrap()
}

/// How many records the bundled data set holds: seeding writes one audit entry per record.
pub fn bundled_records() -> usize {
    observa_domain::history::records(&bundled()).unwrap().iter().map(|(_, rows)| rows.len()).sum()
}
