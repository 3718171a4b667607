//! How long the whole 2014 report takes, per format, from the bundled data (release build):
//! `cargo bench -p observa-report --bench report`. The targets are PDF under 3 s and HTML under
//! 200 ms; figures are written down in BENCHMARKS.md. Composing is timed on its own too.

use std::path::Path;
use std::time::{Duration, Instant};

use observa_domain::Lang;
use observa_report::{compose, render, Format, Inputs};

fn read_dir_toml(dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("the data folder") {
        let path = entry.expect("a data file").path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push((path.display().to_string(), std::fs::read_to_string(&path).expect("UTF-8")));
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut files = Vec::new();
    for folder in observa_domain::datafile::FOLDERS {
        read_dir_toml(&data.join(folder), &mut files);
    }
    files.sort();
    let dataset = observa_domain::datafile::load_files(&files).expect("the bundled data loads");
    let q_text = std::fs::read_to_string(data.join("questionnaires/2014.toml")).expect("the questionnaire");
    let questionnaire = observa_domain::questionnaire::Questionnaire::parse("2014.toml", &q_text).expect("valid");
    let e_text = std::fs::read_to_string(data.join("editorial/2014.toml")).expect("the editorial blocks");
    let blocks = observa_domain::editorial::parse_file("2014.toml", &e_text).expect("valid");
    let on = chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("a date");

    println!("{:<10} {:>6} {:>12} {:>12} {:>10}", "format", "lang", "median", "max", "size");
    for lang in [Lang::En, Lang::Es] {
        let editorial = observa_domain::editorial::by_key(&blocks, 2014, lang);
        let inputs = Inputs {
            dataset: &dataset,
            questionnaire: Some(&questionnaire),
            editorial: &editorial,
            annotations: &[],
            cycle: 2014,
            lang,
            on,
            monitoring: &[],
            monitored_on: on,
            demonstration: false,
        };
        let runs = 20;
        let samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(compose(&inputs));
                t.elapsed()
            })
            .collect();
        println!(
            "{:<10} {:>6} {:>12.2?} {:>12.2?} {:>10}",
            "compose",
            lang.code(),
            median(samples.clone()),
            samples.iter().max().unwrap(),
            "-"
        );
        for format in Format::ALL {
            // The PDF's first run also loads the embedded fonts; it is timed like the others.
            let runs = if format == Format::Pdf { 5 } else { 20 };
            let mut size = 0;
            let samples: Vec<Duration> = (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    let doc = compose(&inputs);
                    size = render(&doc, format).expect("the report renders").len();
                    t.elapsed()
                })
                .collect();
            let max = *samples.iter().max().unwrap();
            println!(
                "{:<10} {:>6} {:>12.2?} {:>12.2?} {:>9}K",
                format.extension(),
                lang.code(),
                median(samples),
                max,
                size / 1024
            );
        }
    }
}
