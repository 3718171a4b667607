//! The one integration-test binary: runs the real `observa` binary and the real store against
//! fresh temporary databases. Modules follow the user-facing paths.

mod accounts;
mod api_workflow;
mod backup;
mod cache;
mod checks;
mod cli;
mod consultation;
mod data;
mod engines;
mod history;
mod openapi;
mod opendata;
mod report;
mod roles;
mod security;
mod shared_db;
mod snapshots;
mod store;
mod uploads;
mod validation;
mod web;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder that holds databases and files for one test.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch { dir: tempfile::tempdir().expect("temporary folder") }
    }
}

impl Scratch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `observa --db <scratch>/<db> ARGS...` and returns its output.
    pub fn observa(&self, db: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_observa"))
            .arg("--db")
            .arg(self.path(db))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("OBSERVA_DB")
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
    for dir in [data_dir(), data_dir().join("states")] {
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
    std::fs::create_dir_all(to.join("states")).unwrap();
    for dir in ["", "states"] {
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
