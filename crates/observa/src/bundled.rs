//! The curated 2014 data set, embedded in the binary so that a fresh database can be seeded
//! anywhere; and the reading of a data folder on disk, which `check --data` and `import` use.

use std::path::Path;

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};
use observa_domain::consultation::Status;
use observa_domain::datafile::load_files;
use observa_domain::editorial::EditorialBlock;
use observa_domain::questionnaire::Questionnaire;
use observa_domain::Dataset;
use observa_store::{Backend, Expected};

static DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data");

/// The embedded registry data files as (name, text), in a stable order: the folders of
/// `observa_domain::datafile::FOLDERS` (as [`files_in`] reads a folder on disk).
pub fn files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    collect(&DATA, &mut files);
    for folder in observa_domain::datafile::FOLDERS.iter().filter(|f| !f.is_empty()) {
        if let Some(dir) = DATA.get_dir(folder) {
            collect(dir, &mut files);
        }
    }
    files.sort();
    files
}

fn collect(dir: &Dir<'_>, out: &mut Vec<(String, String)>) {
    for f in dir.files().filter(|f| f.path().extension().is_some_and(|e| e == "toml")) {
        let text = f.contents_utf8().expect("data files are UTF-8").to_string();
        out.push((format!("data/{}", f.path().display()), text));
    }
}

/// Reads every `.toml` file of a data folder (and its `states/` and `translations/` subfolders).
pub fn files_in(folder: &Path) -> Result<Vec<(String, String)>> {
    if !folder.is_dir() {
        bail!("{}: not a folder of data files", folder.display());
    }
    let mut files = Vec::new();
    for dir in observa_domain::datafile::FOLDERS.map(|f| folder.join(f)) {
        if !dir.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("{}: not readable as UTF-8 text", path.display()))?;
                files.push((path.display().to_string(), text));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads and validates data files into a dataset, or says every problem found.
pub fn dataset_from(files: &[(String, String)]) -> Result<Dataset> {
    let dataset = load_files(files)?;
    let problems = dataset.validate();
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        bail!("{} problem(s) in the data:\n{}", problems.len(), list.join("\n"));
    }
    Ok(dataset)
}

/// Opens the database, seeding it from the bundled data when its registry was never written.
/// Every registry write (seeding, an import) records `seeded_at` in `meta`, so a database whose
/// registry was emptied on purpose (`import --allow-empty`) stays empty and is never re-seeded.
pub fn open_seeded(db: &Path) -> Result<Box<dyn Backend>> {
    let existed = db.exists();
    let mut store = observa_store::open(db)?;
    if store.meta("seeded_at")?.is_none() && !store.is_seeded()? {
        let dataset = dataset_from(&files()).context("the bundled data set")?;
        // The bundled data is the 2014 report's, as its tables were last updated.
        let origin = observa_domain::history::Origin {
            cycle: 2014,
            effective: observa_domain::checks::seed_update_date(),
            established_by: "bundled 2014 data set (data/)".into(),
            actor: "seed:bundled".into(),
        };
        store.write_dataset(&dataset, &origin)?;
        match existed {
            true => eprintln!("seeded {}, which held no registry yet, with the bundled 2014 data", db.display()),
            false => eprintln!("created {} and seeded it with the bundled 2014 data", db.display()),
        }
    }
    if !store.is_seeded()? {
        // An emptied registry gets nothing from the bundle: no editorial text, no 2014 cycle.
        return Ok(store);
    }
    // Databases made before editorial blocks existed get them too; a block once saved is the
    // analysts' own and is never overwritten from the bundle.
    let bundled = editorial()?;
    let cycles: std::collections::BTreeSet<i32> = bundled.iter().map(|b| b.cycle).collect();
    let mut stored = Vec::new();
    for cycle in cycles {
        stored.extend(store.editorial(cycle)?);
    }
    for block in bundled {
        if !stored.iter().any(|b| b.cycle == block.cycle && b.key == block.key && b.lang == block.lang) {
            store.save_editorial(&block, "seed:bundled")?;
        }
    }
    seed_cycle_2014(store.as_mut())?;
    Ok(store)
}

/// The 2014 consultation as a closed cycle: the bundled questionnaire, and each responding State's
/// answers (taken from the registry through the questionnaire's projections) accepted. The report
/// gives no deadline; the cycle's is the date its tables were last updated.
fn seed_cycle_2014(store: &mut dyn Backend) -> Result<()> {
    if store.cycles()?.iter().any(|c| c.year == 2014) {
        return Ok(());
    }
    let Some(questionnaire) = questionnaire(2014)? else { return Ok(()) };
    let dataset = store.load()?;
    let actor = "seed:bundled";
    store.open_cycle(2014, &questionnaire, observa_domain::checks::seed_update_date(), actor)?;
    let mut states: Vec<&str> =
        dataset.responses.iter().filter(|r| r.cycle == 2014).map(|r| r.state.as_str()).collect();
    states.sort();
    states.dedup();
    for state in states {
        let answers = observa_domain::consultation::prefill(&questionnaire, &dataset, state);
        let version = store.save_draft(2014, state, &answers, Expected::NEW, actor)?;
        store.submit(2014, state, Expected { version, status: Status::Draft }, actor)?;
        // Accepted as they are: the registry already holds them (nothing to project, no thread).
        store.accept(2014, state, Expected { version, status: Status::Submitted }, &[], &[], actor)?;
    }
    Ok(())
}

/// The bundled editorial blocks (`data/editorial/*.toml`).
pub fn editorial() -> Result<Vec<EditorialBlock>> {
    let mut blocks = Vec::new();
    for f in DATA.get_dir("editorial").map(|d| d.files().collect::<Vec<_>>()).unwrap_or_default() {
        let name = format!("data/{}", f.path().display());
        let text = f.contents_utf8().with_context(|| format!("{name}: not UTF-8"))?;
        blocks.extend(observa_domain::editorial::parse_file(&name, text).map_err(anyhow::Error::msg)?);
    }
    Ok(blocks)
}

/// The questionnaire a cycle uses: its own file, or the latest earlier one (a cycle's
/// questionnaire is copied from the last).
pub fn questionnaire(cycle: i32) -> Result<Option<Questionnaire>> {
    let Some(dir) = DATA.get_dir("questionnaires") else { return Ok(None) };
    let mut best: Option<(i32, &include_dir::File)> = None;
    for f in dir.files() {
        let year: Option<i32> = f.path().file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse().ok());
        if let Some(year) = year.filter(|y| *y <= cycle) {
            if best.is_none_or(|(b, _)| year > b) {
                best = Some((year, f));
            }
        }
    }
    let Some((_, f)) = best else { return Ok(None) };
    let name = format!("data/{}", f.path().display());
    let text = f.contents_utf8().with_context(|| format!("{name}: not UTF-8"))?;
    Ok(Some(Questionnaire::parse(&name, text).map_err(anyhow::Error::msg)?))
}
