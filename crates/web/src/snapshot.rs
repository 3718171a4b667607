//! An immutable, indexed view of the registry for the portal and the API.
//!
//! Built once from a [`Dataset`] (and again after a write). It precomputes what pages need: each
//! State's records, the OPSC reporting view, where every agency appears, the map's categories.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use observa_domain::checks::{reporting, ReportingItem};
use observa_domain::period::Answer;
use observa_domain::registry::{Organisation, PlanKind};
use observa_domain::{Dataset, Lang};
use serde::Serialize;

pub struct Snapshot {
    pub dataset: Dataset,
    pub as_of: NaiveDate,
    pub reporting: Vec<ReportingItem>,
    /// State code → its category on the map.
    pub categories: BTreeMap<String, Category>,
    /// Organisation id → where it appears.
    pub appearances: BTreeMap<String, Vec<Appearance>>,
    /// The language this snapshot is read in (none: as written).
    pub lang: Option<Lang>,
    /// `table/record/field` → the language each translated text is written in and the
    /// languages it has.
    texts: std::collections::HashMap<String, (Lang, Vec<Lang>)>,
    /// This snapshot read in each language, made at first use.
    languages: [OnceLock<Arc<Snapshot>>; 4],
}

/// How the map colours a State.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// The last approved plan is specifically against the sexual exploitation of children.
    SpecificPlan,
    /// Only other instruments (trafficking, child protection, development plans, protocols).
    OtherInstrument,
    /// The State did not answer, or reported no plan.
    NoInformation,
}

/// One place an organisation appears: a State, and in what role.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Appearance {
    #[schema(value_type = observa_domain::StateCode)]
    pub state: String,
    pub role: String,
    pub body: Option<String>,
    pub detail: Option<String>,
}

impl Snapshot {
    pub fn new(dataset: Dataset) -> Self {
        Self::on(dataset, chrono::Utc::now().date_naive())
    }

    /// A snapshot whose computed views (deadlines, standings) are computed on `as_of`.
    pub fn on(dataset: Dataset, as_of: NaiveDate) -> Self {
        let reporting = reporting(&dataset, as_of);
        let categories =
            dataset.states.iter().map(|s| (s.code.to_string(), category(&dataset, s.code.as_str()))).collect();
        let appearances = appearances(&dataset);
        let texts = dataset
            .translations
            .iter()
            .map(|t| (t.id.clone(), (t.written_in, t.texts.keys().copied().collect())))
            .collect();
        Snapshot {
            dataset,
            as_of,
            reporting,
            categories,
            appearances,
            lang: None,
            texts,
            languages: Default::default(),
        }
    }

    /// This snapshot read in `lang` (`Dataset::localized`): what pages, reports and downloads in
    /// that language show. Should the translations not fit (validation prevents it), the
    /// texts as written.
    pub fn in_lang(&self, lang: Lang) -> Arc<Snapshot> {
        let slot = &self.languages[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)];
        slot.get_or_init(|| {
            let dataset = self.dataset.localized(lang).unwrap_or_else(|e| {
                tracing::warn!(error = %e, lang = lang.code(), "the registry could not be read in this language");
                self.dataset.clone()
            });
            let mut read = Snapshot::on(dataset, self.as_of);
            read.lang = Some(lang);
            Arc::new(read)
        })
        .clone()
    }

    /// Fills this snapshot's readings in each language that `before` (the snapshot it follows)
    /// had made, bringing them forward by `changed` instead of reading the whole registry again
    /// (`Dataset::localized_after`); a reading that cannot be brought forward is made anew at
    /// first use.
    pub fn carry_languages(&self, before: &Snapshot, changed: &[observa_domain::history::Version]) {
        for (i, slot) in before.languages.iter().enumerate() {
            let (Some(old), lang) = (slot.get(), Lang::ALL[i]) else { continue };
            if let Ok(dataset) = self.dataset.localized_after(old.dataset.clone(), changed, lang) {
                let mut read = Snapshot::on(dataset, self.as_of);
                read.lang = Some(lang);
                let _ = self.languages[i].set(Arc::new(read));
            }
        }
    }

    /// In a snapshot read in one language: the language a text (`table/record/field`) is
    /// shown in when it has no translation into this one yet. A text without a translation
    /// record is the bundled data's English.
    pub fn untranslated(&self, key: &str) -> Option<Lang> {
        let lang = self.lang?;
        match self.texts.get(key) {
            Some((written_in, has)) if *written_in != lang && !has.contains(&lang) => Some(*written_in),
            Some(_) => None,
            None => (lang != Lang::En).then_some(Lang::En),
        }
    }

    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.dataset.organisations.iter().find(|o| o.id == id)
    }

    /// International agencies (shared across States), most mentioned first.
    pub fn agencies(&self) -> Vec<(&Organisation, usize, usize)> {
        let mut list: Vec<_> = self
            .dataset
            .organisations
            .iter()
            .filter(|o| o.state.is_none())
            .map(|o| {
                let seen = self.appearances.get(&o.id).map(Vec::as_slice).unwrap_or_default();
                let mut states: Vec<&str> = seen.iter().map(|a| a.state.as_str()).collect();
                states.sort();
                states.dedup();
                (o, states.len(), seen.len())
            })
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.name.cmp(&b.0.name)));
        list
    }

    /// Key figures for the home page.
    pub fn figures(&self, on: NaiveDate) -> Figures {
        let ds = &self.dataset;
        let specific = self.categories.values().filter(|c| **c == Category::SpecificPlan).count();
        let in_force = ds.plans.iter().filter(|p| p.validity.in_force_on(on, p.adopted.date()) == Answer::Yes).count();
        let answered: std::collections::BTreeSet<&str> =
            ds.responses.iter().filter(|r| r.cycle == 2014).map(|r| r.state.as_str()).collect();
        Figures {
            states: ds.states.len(),
            specific_plan_states: specific,
            plans: ds.plans.len(),
            plans_in_force: in_force,
            answered: answered.len(),
            on,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub states: usize,
    pub specific_plan_states: usize,
    pub plans: usize,
    pub plans_in_force: usize,
    pub answered: usize,
    pub on: NaiveDate,
}

/// The State's last approved plan decides; without one marked, any plan it lists.
fn category(ds: &Dataset, state: &str) -> Category {
    let plans: Vec<_> = ds.plans.iter().filter(|p| p.state.as_str() == state).collect();
    let deciding: Vec<_> = match plans.iter().find(|p| p.last_approved) {
        Some(last) => vec![*last],
        None => plans.clone(),
    };
    if deciding.iter().any(|p| p.kind == PlanKind::SpecificSec) {
        Category::SpecificPlan
    } else if plans.is_empty() {
        Category::NoInformation
    } else {
        Category::OtherInstrument
    }
}

fn appearances(ds: &Dataset) -> BTreeMap<String, Vec<Appearance>> {
    let mut map: BTreeMap<String, Vec<Appearance>> = BTreeMap::new();
    let mut add = |org: &str, a: Appearance| map.entry(org.to_string()).or_default().push(a);
    for m in &ds.members {
        let role = format!("{:?}", m.role).to_lowercase();
        add(
            &m.organisation,
            Appearance { state: m.state.to_string(), role, body: Some(m.body.clone()), detail: m.functions.clone() },
        );
    }
    for c in &ds.contributions {
        let kinds: Vec<String> = c
            .kinds
            .iter()
            .map(|k| serde_json::to_value(k).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())
            .collect();
        add(
            &c.organisation,
            Appearance { state: c.state.to_string(), role: kinds.join(", "), body: None, detail: c.summary.clone() },
        );
    }
    for a in &ds.actions {
        for o in &a.organisations {
            add(
                o,
                Appearance {
                    state: a.state.to_string(),
                    role: "action".into(),
                    body: None,
                    detail: Some(a.name.clone()),
                },
            );
        }
    }
    for s in &ds.services {
        for o in &s.organisations {
            add(
                o,
                Appearance {
                    state: s.state.to_string(),
                    role: "service".into(),
                    body: None,
                    detail: Some(s.name.clone()),
                },
            );
        }
    }
    map
}
