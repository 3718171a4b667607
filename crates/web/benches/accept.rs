//! What one accepted response costs, at the 2014 size and at a synthetic registry
//! `BENCH_COPIES` (default 100) times larger: the record-by-record write (the decision, the
//! changed records, their versions and audit entries in one transaction), the whole accept
//! (reading the registry, projecting the answers, validating, diffing, writing), and the time
//! until the portal shows it (rebuilding the view: snapshot, search index, open-data files).
//! Also: the size of an autosave's audit entry when one answer changes.
//!
//! `cargo bench -p observa-web --bench accept` (release). The database is a real SQLite file in
//! the temporary folder, with `synchronous=FULL` as in production.

use std::time::{Duration, Instant};

use observa_domain::consultation::{prefill, Status, Value};
use observa_domain::history::diff;
use observa_domain::projection::project;
use observa_domain::questionnaire::Questionnaire;
use observa_store::Expected;

mod support;
use support::{bundled, scaled};

fn questionnaire() -> Questionnaire {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/questionnaires/2014.toml");
    Questionnaire::parse("2014.toml", &std::fs::read_to_string(path).expect("the questionnaire")).expect("it reads")
}

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

struct Figures {
    label: String,
    records: usize,
    seed: Duration,
    write: Duration,
    accept: Duration,
    refresh: Duration,
    versions: usize,
    autosave_bytes: usize,
    draft_bytes: usize,
    states: usize,
}

fn run(label: &str, dataset: observa_domain::Dataset) -> Figures {
    let dir = std::env::temp_dir().join(format!("observa-accept-bench-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let db = dir.join("bench.db");
    let records: usize =
        observa_domain::history::records(&dataset).expect("records").iter().map(|(_, r)| r.len()).sum();
    let mut store = observa_store::open(&db).expect("the database");
    let started = Instant::now();
    store.replace_all(&dataset, "synthetic benchmark data (not real)").expect("seeding");
    let seed = started.elapsed();
    let q = questionnaire();
    let mut q2015 = q.clone();
    q2015.cycle = 2015;
    store.open_cycle(2015, &q2015, chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap(), "bench").expect("a cycle");
    let app = observa_web::AppState::new(store, vec![q.clone()]).expect("the portal");

    let mut states: Vec<String> = dataset.responses.iter().map(|r| r.state.to_string()).collect();
    states.sort();
    states.dedup();
    // BENCH_STATES (default 5) of the responding States answer: each accept is timed.
    let wanted: usize = std::env::var("BENCH_STATES").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    states.truncate(wanted);
    let (mut writes, mut accepts, mut refreshes) = (Vec::new(), Vec::new(), Vec::new());
    let (mut versions, mut autosave_bytes, mut draft_bytes) = (0, 0, 0);
    for state in &states {
        let mut store = app.store.lock().unwrap();
        let registry = store.load().unwrap();
        let mut answers = prefill(&q2015, &registry, state);
        store.save_draft(2015, state, &answers, Expected::NEW, "bench").unwrap();
        answers.insert("plans.changes".into(), Value::Text(format!("Changes reported in 2015 by {state}.")));
        store.save_draft(2015, state, &answers, Expected { version: 1, status: Status::Draft }, "bench").unwrap();
        let entry = store.audit_page(&Default::default(), None, 1).unwrap().remove(0);
        assert_eq!(entry.action, "save-draft");
        autosave_bytes = entry.before.map_or(0, |b| b.len()) + entry.after.map_or(0, |a| a.len());
        draft_bytes = 2 * serde_json::to_string(&answers).unwrap().len();
        store.submit(2015, state, Expected { version: 2, status: Status::Draft }, "bench").unwrap();
        let before = store.versions_after(i64::MAX).unwrap().1;

        let started = Instant::now();
        let registry = store.load().unwrap();
        let projected = project(&q2015, &answers, &registry, 2015, state);
        let problems = projected.dataset.validate();
        assert!(problems.is_empty(), "the projection validates: {:?}", &problems[..problems.len().min(3)]);
        let changes = diff(&registry, &projected.dataset).unwrap();
        let write = Instant::now();
        store.accept(2015, state, Expected { version: 2, status: Status::Submitted }, &changes, &[], "bench").unwrap();
        writes.push(write.elapsed());
        accepts.push(started.elapsed());
        versions += store.versions_after(before).unwrap().0.len();
        drop(store);
        let started = Instant::now();
        assert!(app.refresh(), "the view is rebuilt");
        refreshes.push(started.elapsed());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Figures {
        label: label.into(),
        records,
        seed,
        write: median(writes),
        accept: median(accepts),
        refresh: median(refreshes),
        versions: versions / states.len(),
        autosave_bytes,
        draft_bytes,
        states: states.len(),
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("accept bench: run with `cargo bench -p observa-web --bench accept`");
        return;
    }
    let copies: usize = std::env::var("BENCH_COPIES").ok().and_then(|v| v.parse().ok()).unwrap_or(100).max(1);
    let base = bundled();
    let figures = [run("1x", base.clone()), run(&format!("{copies}x"), scaled(&base, copies))];
    println!("# One accepted response, median over {} responding States (SQLite, synchronous=FULL)", figures[0].states);
    println!();
    println!("| registry | records | seeding (whole registry) | accept: write only | accept: read, project, validate, diff, write | view rebuilt (accept → visible) | versions written per accept | autosave audit entry (one answer changed) | the same entry before (whole draft twice) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for f in &figures {
        println!(
            "| {} | {} | {} ms | {} ms | {} ms | {} ms | {} | {} B | {} B |",
            f.label,
            f.records,
            ms(f.seed),
            ms(f.write),
            ms(f.accept),
            ms(f.refresh),
            f.versions,
            f.autosave_bytes,
            f.draft_bytes
        );
    }
}
