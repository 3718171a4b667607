//! What the benchmarks share: the bundled data set, and a synthetic one made from it by
//! repeating its records (synthetic: for measuring only, never stored in a real database).

use std::path::{Path, PathBuf};

use observa_domain::Dataset;

/// The bundled data set, read as the integration tests read it.
pub fn bundled() -> Dataset {
    let data: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut files = Vec::new();
    for dir in observa_domain::datafile::FOLDERS.map(|f| data.join(f)) {
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
    scaled_but(base, copies, &[])
}

/// As [`scaled`], but the records of the States in `kept` (and the regional organisations) are
/// not repeated: the rest of the registry grows around them.
pub fn scaled_but(base: &Dataset, copies: usize, kept: &[String]) -> Dataset {
    let grows = |state: Option<&str>| match state {
        Some(code) => !kept.iter().any(|k| k == code),
        None => kept.is_empty(),
    };
    let copied: std::collections::BTreeSet<&str> = base
        .organisations
        .iter()
        .filter(|o| grows(o.state.as_ref().map(|s| s.as_str())))
        .map(|o| o.id.as_str())
        .collect();
    let mut ds = base.clone();
    for n in 1..copies {
        let s = |id: &str| format!("{id}-copy{n}");
        let org = |id: &str| if copied.contains(id) { s(id) } else { id.to_string() };
        ds.organisations.extend(base.organisations.iter().filter(|o| copied.contains(o.id.as_str())).cloned().map(
            |mut o| {
                o.id = s(&o.id);
                o
            },
        ));
        ds.plans.extend(base.plans.iter().filter(|p| grows(Some(p.state.as_str()))).cloned().map(|mut p| {
            p.id = s(&p.id);
            // A State has one last approved plan: the copies are earlier ones.
            p.last_approved = false;
            p
        }));
        ds.bodies.extend(base.bodies.iter().filter(|b| grows(Some(b.state.as_str()))).cloned().map(|mut b| {
            b.id = s(&b.id);
            b.plans = b.plans.iter().map(|p| s(p)).collect();
            b
        }));
        // Members are part of a body's searchable text (the names of its member organisations).
        ds.members.extend(base.members.iter().filter(|m| grows(Some(m.state.as_str()))).cloned().map(|mut m| {
            m.id = s(&m.id);
            m.body = s(&m.body);
            m.organisation = org(&m.organisation);
            m
        }));
        ds.laws.extend(base.laws.iter().filter(|l| grows(Some(l.state.as_str()))).cloned().map(|mut l| {
            l.id = s(&l.id);
            l
        }));
        ds.actions.extend(base.actions.iter().filter(|a| grows(Some(a.state.as_str()))).cloned().map(|mut a| {
            a.id = s(&a.id);
            a.plan = a.plan.as_deref().map(s);
            a.organisations = a.organisations.iter().map(|o| org(o)).collect();
            a
        }));
        ds.services.extend(base.services.iter().filter(|v| grows(Some(v.state.as_str()))).cloned().map(|mut v| {
            v.id = s(&v.id);
            v.organisations = v.organisations.iter().map(|o| org(o)).collect();
            v
        }));
    }
    ds
}
