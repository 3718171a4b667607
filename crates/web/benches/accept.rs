//! What one accepted response costs, at the 2014 size and at a synthetic registry
//! `BENCH_COPIES` (default 100) times larger, twice: once with only the other States' records
//! repeated (the accepting States as in 2014: does the cost follow the registry or the State?)
//! and once with every State's. Timed: the whole acceptance (`observa_workflow::review::accept`:
//! reading the State's part of the registry, projecting the answers, validating, diffing, and
//! writing the decision, the changed records, their versions and audit entries in one
//! transaction), the same preparation on its own (so the writing is whole − preparation), and
//! the time until the portal shows it (bringing the view forward: snapshot, search index).
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
use support::{bundled, scaled, scaled_but};

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

fn run(label: &str, dataset: observa_domain::Dataset, states: &[String]) -> Figures {
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

    let (mut writes, mut accepts, mut refreshes) = (Vec::new(), Vec::new(), Vec::new());
    let (mut versions, mut autosave_bytes, mut draft_bytes) = (0, 0, 0);
    let role = observa_domain::account::Role::Analyst;
    let analyst = observa_workflow::Actor { email: "bench@example.org".into(), role, states: vec![] };
    for state in states {
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

        // What the acceptance does before it writes, timed on its own and thrown away.
        let started = Instant::now();
        let registry = store.load_part(state).unwrap();
        let projected = project(&q2015, &answers, &registry, 2015, state);
        let problems = projected.dataset.validate();
        assert!(problems.is_empty(), "the projection validates: {:?}", &problems[..problems.len().min(3)]);
        let changes = diff(&registry, &projected.dataset).unwrap();
        let prepared = started.elapsed();
        // The acceptance itself, as the form and the API call it.
        let started = Instant::now();
        observa_workflow::review::accept(store.as_mut(), &analyst, 2015, state, "").expect("accepted");
        let whole = started.elapsed();
        writes.push(whole.saturating_sub(prepared));
        accepts.push(whole);
        let written = store.versions_after(before).unwrap().0.len();
        assert_eq!(written, changes.len(), "the acceptance wrote the changes prepared");
        versions += written;
        drop(store);
        // A serving portal has read the registry in every language already (its pages did).
        for lang in observa_domain::Lang::ALL {
            app.snapshot_in(lang);
        }
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
    let mut responding: Vec<String> = base.responses.iter().map(|r| r.state.to_string()).collect();
    responding.sort();
    responding.dedup();
    // BENCH_STATES (default 5) of the responding States answer: each accept is timed.
    let wanted: usize = std::env::var("BENCH_STATES").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    responding.truncate(wanted);
    let figures = [
        run("1x", base.clone(), &responding),
        run(
            &format!("{copies}x, the accepting States as in 2014"),
            scaled_but(&base, copies, &responding),
            &responding,
        ),
        run(&format!("{copies}x, every State"), scaled(&base, copies), &responding),
    ];
    println!("# One accepted response, median over {} responding States (SQLite, synchronous=FULL)", figures[0].states);
    println!();
    println!("| registry | records | seeding (whole registry) | accept: of which writing (whole − preparation) | accept, whole (read the State's part, project, validate, diff, write) | view rebuilt (accept → visible) | versions written per accept | autosave audit entry (one answer changed) | the same entry before (whole draft twice) |");
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
