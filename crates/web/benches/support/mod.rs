//! What the benchmarks share: the bundled data set, and a synthetic one made from it by
//! repeating its records (synthetic: for measuring only, never stored in a real database).

use std::path::{Path, PathBuf};

use observa_domain::Dataset;

/// The bundled data set, read as the integration tests read it.
pub fn bundled() -> Dataset {
    let data: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut files = Vec::new();
    for dir in [data.clone(), data.join("states")] {
        for entry in std::fs::read_dir(&dir).expect("the data folder") {
            let path = entry.expect("a data file").path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).expect("a readable data file");
                files.push((path.display().to_string(), text));
            }
        }
    }
    files.sort();
    observa_domain::datafile::load_files(&files).expect("the bundled data loads")
}

/// The data set with its searchable tables repeated `copies` times (the original plus
/// `copies - 1` clones with `-copyN` ids; references between cloned records follow the clone).
pub fn scaled(base: &Dataset, copies: usize) -> Dataset {
    let mut ds = base.clone();
    for n in 1..copies {
        let s = |id: &str| format!("{id}-copy{n}");
        ds.organisations.extend(base.organisations.iter().cloned().map(|mut o| {
            o.id = s(&o.id);
            o
        }));
        ds.plans.extend(base.plans.iter().cloned().map(|mut p| {
            p.id = s(&p.id);
            // A State has one last approved plan: the copies are earlier ones.
            p.last_approved = false;
            p
        }));
        ds.bodies.extend(base.bodies.iter().cloned().map(|mut b| {
            b.id = s(&b.id);
            b.plans = b.plans.iter().map(|p| s(p)).collect();
            b
        }));
        // Members are part of a body's searchable text (the names of its member organisations).
        ds.members.extend(base.members.iter().cloned().map(|mut m| {
            m.id = s(&m.id);
            m.body = s(&m.body);
            m.organisation = s(&m.organisation);
            m
        }));
        ds.laws.extend(base.laws.iter().cloned().map(|mut l| {
            l.id = s(&l.id);
            l
        }));
        ds.actions.extend(base.actions.iter().cloned().map(|mut a| {
            a.id = s(&a.id);
            a.plan = a.plan.as_deref().map(s);
            a.organisations = a.organisations.iter().map(|o| s(o)).collect();
            a
        }));
        ds.services.extend(base.services.iter().cloned().map(|mut v| {
            v.id = s(&v.id);
            v.organisations = v.organisations.iter().map(|o| s(o)).collect();
            v
        }));
    }
    ds
}
