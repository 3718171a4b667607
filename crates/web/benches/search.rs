//! Search latency benchmark (a bench binary, no assertions): `cargo bench -p observa-web --bench search`.
//!
//! Builds the search index over the bundled 2014 data set and over a synthetic set 100 times
//! larger (plans, bodies and their members, laws, actions, services and organisations cloned with
//! `-copyN` ids and the same text; States kept as they are), then runs a fixed list of realistic
//! queries through `SearchIndex::search` (the function behind `/search` and `/api/v1/search`,
//! limit 20, no filters). Each query is warmed up, then timed one call at a time. Prints, per
//! data set, a table per query and a summary over all timed calls: min, median, p95, max.
//!
//! Environment: `BENCH_ITERS` (timed calls per query, default 200), `BENCH_WARMUP` (default 10),
//! `BENCH_COPIES` (size of the synthetic set, default 100).

use std::time::{Duration, Instant};

use observa_domain::Dataset;
use observa_web::search::{SearchIndex, SearchParams};
use observa_web::Snapshot;

/// Realistic queries: Spanish, English and Portuguese terms, accents with and without, names of
/// agencies and institutions, a law number, a phrase, and a couple of words that match little.
const QUERIES: &[&str] = &[
    "trata",
    "explotación sexual",
    "explotacion sexual",
    "ninez",
    "planes",
    "UNICEF",
    "tourism",
    "protocolo",
    "campaña",
    "Ley 26.364",
    "SENAME",
    "OIT",
    "ECPAT",
    "Save the Children",
    "hotline",
    "internet",
    "pornografía",
    "enfrentamento",
    "trafficking",
    "national plan",
    "prevention",
    "Chile",
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// How many documents the index holds (one per entry `search::entries` makes).
fn documents(ds: &Dataset) -> usize {
    ds.states.len()
        + ds.plans.len()
        + ds.bodies.len()
        + ds.organisations.iter().filter(|o| o.state.is_none()).count()
        + ds.laws.len()
        + ds.actions.len()
        + ds.services.len()
}

#[derive(Clone, Copy)]
struct Stats {
    min: Duration,
    median: Duration,
    p95: Duration,
    max: Duration,
}

/// Nearest-rank percentiles of the samples.
fn stats(samples: &mut [Duration]) -> Stats {
    samples.sort();
    let at = |p: f64| {
        let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
        samples[rank.clamp(1, samples.len()) - 1]
    };
    Stats { min: samples[0], median: at(50.0), p95: at(95.0), max: samples[samples.len() - 1] }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

struct Summary {
    label: String,
    docs: usize,
    build: Duration,
    all: Stats,
    worst_median: (String, Duration),
}

fn run(label: &str, ds: Dataset, warmup: usize, iters: usize) -> Summary {
    let docs = documents(&ds);
    let started = Instant::now();
    let snapshot = Snapshot::new(ds);
    let index = SearchIndex::build(&snapshot).expect("the index builds");
    let build = started.elapsed();
    let params = SearchParams::default();

    println!();
    println!("## {label}: {docs} documents, index built in {build:.2?} (snapshot + index)");
    println!();
    println!("| query | matches | min ms | median ms | p95 ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: |");
    let mut every = Vec::with_capacity(QUERIES.len() * iters);
    let mut worst_median = (String::new(), Duration::ZERO);
    let mut notes = Vec::new();
    for q in QUERIES {
        let first = index.search(q, &params, 20, observa_domain::Lang::En).expect("search");
        // Every match has a kind, so the kind facet should count every match.
        let counted: usize = first.facets.get("kind").map(|k| k.values().sum()).unwrap_or(0);
        if counted != first.total {
            notes.push(format!("`{q}`: the kind facet counts {counted} of {} matches", first.total));
        }
        let mut total = first.total;
        for _ in 0..warmup {
            total = std::hint::black_box(index.search(q, &params, 20, observa_domain::Lang::En).expect("search")).total;
        }
        let mut samples = Vec::with_capacity(iters);
        for _ in 0..iters {
            let t = Instant::now();
            let r = std::hint::black_box(index.search(q, &params, 20, observa_domain::Lang::En).expect("search"));
            samples.push(t.elapsed());
            total = r.total;
        }
        every.extend_from_slice(&samples);
        let s = stats(&mut samples);
        if s.median > worst_median.1 {
            worst_median = (q.to_string(), s.median);
        }
        println!("| `{q}` | {total} | {} | {} | {} | {} |", ms(s.min), ms(s.median), ms(s.p95), ms(s.max));
    }
    for note in &notes {
        println!("\nNote: {note}.");
    }
    Summary { label: label.to_string(), docs, build, all: stats(&mut every), worst_median }
}

mod support;
use support::{bundled, scaled};

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes no such flag and only wants
    // to know the binary runs, so do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("search bench: run with `cargo bench -p observa-web --bench search`");
        return;
    }
    let warmup = env_usize("BENCH_WARMUP", 10);
    let iters = env_usize("BENCH_ITERS", 200).max(1);
    let copies = env_usize("BENCH_COPIES", 100).max(1);

    let base = bundled();
    println!(
        "# Search latency: {} queries, {warmup} warm-up + {iters} timed calls each, limit 20, no filters",
        QUERIES.len()
    );
    let mut summaries = vec![run("2014 data (1x)", base.clone(), warmup, iters)];
    let big = scaled(&base, copies);
    summaries.push(run(&format!("synthetic {copies}x"), big, warmup, iters));

    println!();
    println!("## Summary over all timed calls ({} per data set)", QUERIES.len() * iters);
    println!();
    println!("| data set | documents | index build | min ms | median ms | p95 ms | max ms | slowest query (median) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for s in &summaries {
        println!(
            "| {} | {} | {:.2?} | {} | {} | {} | {} | `{}` ({} ms) |",
            s.label,
            s.docs,
            s.build,
            ms(s.all.min),
            ms(s.all.median),
            ms(s.all.p95),
            ms(s.all.max),
            s.worst_median.0,
            ms(s.worst_median.1)
        );
    }
}
