//! `observa report`: the annual report of a cycle from the database (registry and editorial
//! blocks), its monitoring (approved values, as they stand) and the cycle's questionnaire, in one
//! format and language, or all of them. Progress
//! goes to standard error; each file is written to a temporary name and renamed, so an
//! interrupted run never leaves a half-written report under the final name.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use observa_domain::editorial::by_key;
use observa_domain::Lang;
use observa_report::{compose, render, Format, Inputs, PlanMonitoring};

use crate::bundled;

pub struct Request {
    pub cycle: i32,
    pub lang: Lang,
    pub format: Option<Format>,
    pub out: PathBuf,
    pub on: Option<NaiveDate>,
    /// The day monitoring figures are computed on; today when `None`.
    pub monitored_on: Option<NaiveDate>,
    pub all: bool,
}

pub fn run(db: &Path, req: Request) -> Result<ExitCode> {
    let started = Instant::now();
    let jobs: Vec<(Lang, Format, PathBuf)> = if req.all {
        std::fs::create_dir_all(&req.out).with_context(|| format!("creating the folder {}", req.out.display()))?;
        Lang::ALL
            .into_iter()
            .flat_map(|lang| Format::ALL.into_iter().map(move |f| (lang, f)))
            .map(|(lang, f)| {
                let name = format!("observa-report-{}-{}.{}", req.cycle, lang.code(), f.extension());
                (lang, f, req.out.join(name))
            })
            .collect()
    } else {
        let format = match req.format {
            Some(f) => f,
            None => req
                .out
                .extension()
                .and_then(|e| e.to_str())
                .and_then(Format::from_extension)
                .with_context(|| format!("{}: say --format (html, pdf, docx, xlsx or md)", req.out.display()))?,
        };
        vec![(req.lang, format, req.out.clone())]
    };
    for (_, _, path) in &jobs {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            bail!("{}: the folder {} does not exist", path.display(), parent.display());
        }
    }
    eprintln!("[1/3] reading the registry and the editorial blocks from {}", db.display());
    let store = bundled::open_seeded(db)?;
    // The registry as it stood for the cycle: later cycles' answers do not change its report.
    let dataset = store.load_as_of(observa_domain::history::AsOf::Cycle(req.cycle))?;
    let blocks = store.editorial(req.cycle)?;
    let annotations = store.annotations(req.cycle)?;
    let questionnaire = bundled::questionnaire(req.cycle)?;
    // Monitoring as it stands now, approved values only (nothing else is public).
    let mut monitoring = Vec::new();
    for (state, matrix) in store.matrices().context("reading the action matrices")? {
        let mut approved =
            store.progress(&matrix.plan).with_context(|| format!("progress reports of {}", matrix.plan))?;
        approved.retain(|r| r.approved());
        monitoring.push(PlanMonitoring { state, matrix, approved });
    }
    let demonstration = store.meta("demonstration")?.is_some();
    let monitored_on = req.monitored_on.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let on = req.on.unwrap_or_else(|| NaiveDate::from_ymd_opt(req.cycle, 12, 31).expect("a valid date"));
    let total = jobs.len();
    for (i, (lang, format, path)) in jobs.into_iter().enumerate() {
        let step = Instant::now();
        let editorial = by_key(&blocks, req.cycle, lang);
        let doc = compose(&Inputs {
            dataset: &dataset,
            questionnaire: questionnaire.as_ref(),
            editorial: &editorial,
            annotations: &annotations,
            cycle: req.cycle,
            lang,
            on,
            monitoring: &monitoring,
            monitored_on,
            demonstration,
        });
        eprintln!("[2/3] composed the {} report in {} ({} blocks)", req.cycle, lang.code(), doc.blocks.len());
        let bytes = render(&doc, format).with_context(|| format!("writing {}", path.display()))?;
        write_atomically(&path, &bytes)?;
        eprintln!(
            "[3/3] ({}/{total}) wrote {} ({} KiB) in {} ms",
            i + 1,
            path.display(),
            bytes.len().div_ceil(1024),
            step.elapsed().as_millis()
        );
    }
    eprintln!("done in {:.2} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
    Ok(())
}
