//! Search across languages (issue #11): for each concept of `bench/search-concepts.toml` (the
//! same idea typed in English, Spanish, Portuguese and French), the records each language's
//! query finds, as a share of the union of what the four find. A share under 100 % means a
//! reader of that language misses records a reader of another finds. Also the median latency of
//! those queries on the 2014 data and on a synthetic set `BENCH_COPIES` (default 100) times
//! larger (the bundled records repeated, `support::scaled`).
//!
//! `cargo bench -p observa-web --bench search_languages` (release). Targets: every language
//! ≥ 90 % of the union (pooled over the concepts); median latency under 5 ms at 1× and 100×.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use observa_domain::Lang;
use observa_web::search::{SearchIndex, SearchParams};
use observa_web::Snapshot;
use serde::Deserialize;

mod support;
use support::{bundled, scaled};

#[derive(Deserialize)]
struct Queries {
    query: Vec<Query>,
}

#[derive(Deserialize)]
struct Query {
    concept: String,
    focal_point: String,
    en: String,
    es: String,
    pt: String,
    fr: String,
}

impl Query {
    fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
            Lang::Pt => &self.pt,
            Lang::Fr => &self.fr,
        }
    }
}

fn queries() -> Vec<Query> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/search-concepts.toml");
    let text = std::fs::read_to_string(&path).expect("bench/search-concepts.toml");
    toml::from_str::<Queries>(&text).expect("the benchmark's queries read").query
}

fn found(index: &SearchIndex, q: &str, lang: Lang) -> BTreeSet<String> {
    let results = index.search(q, &SearchParams::default(), 100_000, lang).expect("a search");
    results.hits.into_iter().map(|h| h.record).collect()
}

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("search_languages bench: run with `cargo bench -p observa-web --bench search_languages`");
        return;
    }
    let copies: usize = std::env::var("BENCH_COPIES").ok().and_then(|v| v.parse().ok()).unwrap_or(100).max(1);
    let queries = queries();
    let base = bundled();
    let index = SearchIndex::build(&Snapshot::new(base.clone())).expect("the index");

    println!("# Search across languages: {} concepts, each typed in the four languages", queries.len());
    println!();
    println!("| concept | focal point | union | en | es | pt | fr |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    let (mut hits, mut unions) = ([0usize; 4], 0usize);
    let mut under: Vec<[usize; 4]> = Vec::new();
    for q in &queries {
        let sets: Vec<BTreeSet<String>> = Lang::ALL.iter().map(|l| found(&index, q.text(*l), *l)).collect();
        let union: BTreeSet<&String> = sets.iter().flatten().collect();
        let shares: Vec<String> = sets
            .iter()
            .map(|s| {
                if union.is_empty() {
                    "–".into()
                } else {
                    format!("{:.0} %", 100.0 * s.len() as f64 / union.len() as f64)
                }
            })
            .collect();
        println!("| {} | {} | {} | {} |", q.concept, q.focal_point, union.len(), shares.join(" | "));
        unions += union.len();
        let mut low = [0; 4];
        for (i, s) in sets.iter().enumerate() {
            hits[i] += s.len();
            if (s.len() as f64) < 0.9 * union.len() as f64 {
                low[i] = 1;
            }
        }
        under.push(low);
    }
    println!();
    println!("| language | hits / union, pooled over the concepts | concepts under 90 % |");
    println!("| --- | ---: | ---: |");
    for (i, lang) in Lang::ALL.iter().enumerate() {
        let share = 100.0 * hits[i] as f64 / unions.max(1) as f64;
        let low: usize = under.iter().map(|u| u[i]).sum();
        println!("| {} | {share:.1} % | {low} of {} |", lang.code(), queries.len());
    }

    println!();
    println!("| data set | queries timed | median | p95 |");
    println!("| --- | ---: | ---: | ---: |");
    for (label, ds) in
        [("2014 data (1x)".to_string(), base.clone()), (format!("synthetic {copies}x"), scaled(&base, copies))]
    {
        let index = SearchIndex::build(&Snapshot::new(ds)).expect("the index");
        let mut samples = Vec::new();
        for q in &queries {
            for lang in Lang::ALL {
                let text = q.text(lang);
                let _ = index.search(text, &SearchParams::default(), 20, lang);
                for _ in 0..10 {
                    let t = Instant::now();
                    std::hint::black_box(index.search(text, &SearchParams::default(), 20, lang).expect("a search"));
                    samples.push(t.elapsed());
                }
            }
        }
        let n = samples.len();
        let mut sorted = samples.clone();
        sorted.sort();
        let p95 = sorted[(n * 95 / 100).min(n - 1)];
        println!(
            "| {label} | {n} | {:.2} ms | {:.2} ms |",
            median(samples).as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
    }
}
