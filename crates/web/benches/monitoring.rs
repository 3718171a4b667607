//! Plan monitoring at the size: 35 States, each following one plan with 200 monthly
//! indicators over 10 years (2015–2024), so 840,000 approved values (synthetic, in a scratch
//! SQLite file with `synchronous=FULL`, never in a real database). Timed: the regional dashboard
//! and one plan's dashboard through the whole router (uncached: monitoring pages are not in the
//! answer cache), and a progress report's save (`observa_workflow::monitoring::save_report`,
//! one transaction) by 32 coordinators at once, each on their own State's plan, sharing the
//! store behind the portal's mutex as the web handlers do.
//!
//! `cargo bench -p observa-web --bench monitoring` (release). `BENCH_INDICATORS` and
//! `BENCH_YEARS` change the size.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use observa_domain::account::Role;
use observa_domain::monitoring::schedule::Frequency;
use observa_domain::monitoring::synthetic::{self, Shape};
use observa_domain::monitoring::ReportKey;
use observa_store::Backend;
use observa_workflow::monitoring::{save_matrix, save_report, Entry};
use observa_workflow::Actor;
use tower::ServiceExt;

// Each bench is its own crate: this one uses only the bundled data set of the shared module.
#[allow(dead_code)]
mod support;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn quantile(mut d: Vec<Duration>, q: f64) -> Duration {
    d.sort();
    d[((d.len() as f64 - 1.0) * q).round() as usize]
}

/// The bundled registry with a plan for every State that has none (a copy of another State's
/// plan, for measuring only).
fn registry() -> observa_domain::Dataset {
    let mut ds = support::bundled();
    let template = ds.plans[0].clone();
    for state in ds.states.clone() {
        if !ds.plans.iter().any(|p| p.state == state.code && p.last_approved) {
            let mut p = template.clone();
            p.id = format!("bench-{}-plan", state.code.as_str().to_lowercase());
            p.state = state.code.clone();
            p.last_approved = true;
            p.links.clear();
            ds.plans.push(p);
        }
    }
    ds
}

fn get(app: &axum::Router, rt: &tokio::runtime::Runtime, path: &str) -> (Duration, usize) {
    let started = Instant::now();
    let response = rt
        .block_on(app.clone().oneshot(axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap()))
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let body = rt.block_on(axum::body::to_bytes(response.into_body(), usize::MAX)).unwrap();
    (started.elapsed(), body.len())
}

fn main() {
    let (indicators, years) = (env("BENCH_INDICATORS", 200), env("BENCH_YEARS", 10) as u32);
    let dir = std::env::temp_dir().join(format!("observa-bench-monitoring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut store: Box<dyn Backend> = Box::new(observa_store::SqliteStore::open(&dir.join("m.db")).unwrap());
    let registry = registry();
    store.replace_all(&registry, "bench").unwrap();
    let admin = Actor { email: "bench".into(), role: Role::Administrator, states: vec![] };
    let starts = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    // Values up to November 2024: December's period is left to report on in the save benchmark.
    let until = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    let built = Instant::now();
    let mut plans = vec![];
    let mut values = 0;
    for (n, plan) in registry.plans.iter().filter(|p| p.last_approved).enumerate() {
        let orgs: Vec<String> = registry
            .organisations
            .iter()
            .filter(|o| o.state.as_ref() == Some(&plan.state))
            .map(|o| o.id.clone())
            .collect();
        let shape = Shape { indicators, frequency: Frequency::Monthly, starts, years, seed: n as u64 + 1 };
        let matrix = synthetic::matrix(&plan.id, &orgs, shape);
        save_matrix(store.as_mut(), &registry, &admin, &matrix, 0, starts).unwrap();
        let reports: Vec<_> =
            synthetic::reports(&matrix, until, n as u64).into_iter().map(|r| (plan.state.to_string(), r)).collect();
        values += store.import_reports(&reports, "bench").unwrap();
        plans.push((plan.id.clone(), plan.state.to_string()));
    }
    println!(
        "built {} plans x {indicators} indicators x {years} years: {values} approved values in {:.0} s",
        plans.len(),
        built.elapsed().as_secs_f64()
    );

    let state = observa_web::AppState::new(store, vec![]).unwrap();
    let shared = state.store.clone();
    let app = observa_web::router(state);
    let rt = tokio::runtime::Runtime::new().unwrap();
    for (label, path) in [
        ("regional dashboard", "/en/monitoring".to_string()),
        ("a plan's dashboard", format!("/es/plans/{}/monitoring", plans[0].0)),
    ] {
        get(&app, &rt, &path);
        let runs: Vec<(Duration, usize)> = (0..15).map(|_| get(&app, &rt, &path)).collect();
        let size = runs[0].1;
        let times: Vec<Duration> = runs.into_iter().map(|r| r.0).collect();
        println!(
            "{label:<20} {path}: median {} ms, max {} ms ({} KB of HTML)",
            ms(quantile(times.clone(), 0.5)),
            ms(quantile(times, 1.0)),
            size / 1024
        );
    }

    // 32 coordinators, each saving drafts of December 2024 on their own State's plan: once
    // with a pause between saves as a person's (uniform, mean BENCH_THINK_MS), once with none
    // (every coordinator saving again the moment the last save returns: the queue's worst case).
    let coordinators = env("BENCH_COORDINATORS", 32).min(plans.len());
    let saves = env("BENCH_SAVES", 40);
    let registry = Arc::new(registry);
    for think in [env("BENCH_THINK_MS", 100) as u64, 0] {
        let times = saving(&shared, &registry, &plans[..coordinators], indicators, saves, think);
        println!(
            "progress report save, {coordinators} coordinators at once, pause {think} ms ({} saves): p50 {} ms, p99 {} ms, max {} ms",
            times.len(),
            ms(quantile(times.clone(), 0.5)),
            ms(quantile(times.clone(), 0.99)),
            ms(quantile(times, 1.0))
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Each coordinator's saves, timed from asking for the store to the save's commit.
fn saving(
    shared: &Arc<Mutex<Box<dyn Backend>>>,
    registry: &Arc<observa_domain::Dataset>,
    plans: &[(String, String)],
    indicators: usize,
    saves: usize,
    think_ms: u64,
) -> Vec<Duration> {
    let today = NaiveDate::from_ymd_opt(2024, 12, 15).unwrap();
    let period = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    let threads: Vec<_> = plans
        .iter()
        .cloned()
        .enumerate()
        .map(|(t, (plan, state))| {
            let (shared, registry) = (shared.clone(), registry.clone());
            std::thread::spawn(move || {
                let actor = Actor {
                    email: format!("co@{state}"),
                    role: Role::Coordinator,
                    states: vec![state.parse().unwrap()],
                };
                let mut dice = (t as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                let mut times = vec![];
                for n in 0..saves {
                    dice = dice.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    std::thread::sleep(Duration::from_millis((dice >> 33) % (2 * think_ms + 1)));
                    let key = ReportKey { plan: plan.clone(), indicator: format!("i{}", n % indicators + 1), period };
                    let entry = Entry {
                        value: Some(n as f64),
                        no_data: None,
                        breakdown: Default::default(),
                        narrative: "Benchmark.".into(),
                        lang: observa_domain::Lang::Es,
                        confirmed: true,
                    };
                    let started = Instant::now();
                    let mut store = shared.lock().unwrap();
                    let version = store.progress_report(&key).unwrap().map_or(0, |r| r.version);
                    save_report(store.as_mut(), &registry, &actor, &key, &entry, version, today).unwrap();
                    drop(store);
                    times.push(started.elapsed());
                }
                times
            })
        })
        .collect();
    threads.into_iter().flat_map(|t| t.join().unwrap()).collect()
}
