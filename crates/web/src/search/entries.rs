//! What the search indexes: one entry per State, plan, body, international agency, law, action
//! and service, with its title and text in each of the four languages (the snapshot read in
//! each, `Snapshot::in_lang`).

use observa_domain::Lang;

use crate::snapshot::Snapshot;

/// A document to index: its facets, its page, and (title, text) in each language of
/// `super::LANGUAGES`.
pub(super) struct Entry {
    pub kind: &'static str,
    pub state: Option<String>,
    pub focal_point: Option<&'static str>,
    pub path: String,
    /// `table/id` of the record.
    pub record: String,
    pub texts: [(String, String); 4],
}

/// One record's entry as read in one language.
struct Single {
    kind: &'static str,
    state: Option<String>,
    focal_point: Option<&'static str>,
    title: String,
    path: String,
    record: String,
    text: String,
}

/// Everything searchable whose State (none for an agency) `keep` keeps, in the four languages.
pub(super) fn entries(snap: &Snapshot, keep: impl Fn(Option<&str>) -> bool) -> Vec<Entry> {
    let read: Vec<Vec<Single>> = Lang::ALL.iter().map(|l| singles(&snap.in_lang(*l), *l, &keep)).collect();
    let mut languages = read.into_iter().map(Vec::into_iter).collect::<Vec<_>>();
    let mut out = Vec::new();
    loop {
        let mut four = languages.iter_mut().filter_map(Iterator::next).collect::<Vec<Single>>();
        if four.len() < 4 {
            return out;
        }
        let texts = [0, 1, 2, 3].map(|i| (std::mem::take(&mut four[i].title), std::mem::take(&mut four[i].text)));
        let first = four.swap_remove(0);
        out.push(Entry {
            kind: first.kind,
            state: first.state,
            focal_point: first.focal_point,
            path: first.path,
            record: first.record,
            texts,
        });
    }
}

fn join(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().copied().collect::<Vec<_>>().join(". ")
}

fn focal(fp: observa_domain::facts::FocalPoint) -> &'static str {
    use observa_domain::facts::FocalPoint::*;
    match fp {
        Coordination => "coordination",
        Prevention => "prevention",
        Protection => "protection",
        Recovery => "recovery",
        Participation => "participation",
    }
}

/// Everything searchable in one reading of the registry, in the order of its tables.
fn singles(snap: &Snapshot, lang: Lang, keep: &impl Fn(Option<&str>) -> bool) -> Vec<Single> {
    let ds = &snap.dataset;
    let mut out = Vec::new();
    for s in ds.states.iter().filter(|s| keep(Some(s.code.as_str()))) {
        let text = format!("{} {} {} {}", s.name_en, s.name_es, s.name_pt, s.name_fr);
        out.push(Single {
            kind: "state",
            state: Some(s.code.to_string()),
            focal_point: None,
            title: s.name(lang).to_string(),
            path: format!("states/{}", s.code),
            record: format!("states/{}", s.code),
            text,
        });
    }
    for p in ds.plans.iter().filter(|p| keep(Some(p.state.as_str()))) {
        // The name in this reading's language (beside the official one), not every language's.
        let translations: Vec<&str> = p.translations.get(&lang).map(String::as_str).into_iter().collect();
        let text = join(&[
            Some(&translations.join(". ")),
            p.acronym.as_deref(),
            p.summary.as_deref(),
            p.adopted_wording.as_deref(),
        ]);
        out.push(Single {
            kind: "plan",
            state: Some(p.state.to_string()),
            focal_point: None,
            title: p.name.clone(),
            path: format!("plans/{}", p.id),
            record: format!("plans/{}", p.id),
            text,
        });
    }
    for b in ds.bodies.iter().filter(|b| keep(Some(b.state.as_str()))) {
        let members: Vec<&str> = ds
            .members
            .iter()
            .filter(|m| m.body == b.id)
            .filter_map(|m| ds.organisations.iter().find(|o| o.id == m.organisation))
            .map(|o| o.name.as_str())
            .collect();
        let text =
            join(&[b.acronym.as_deref(), b.summary.as_deref(), b.legal_basis.as_deref(), Some(&members.join(", "))]);
        out.push(Single {
            kind: "body",
            state: Some(b.state.to_string()),
            focal_point: Some("coordination"),
            title: b.name.clone(),
            path: format!("bodies/{}", b.id),
            record: format!("bodies/{}", b.id),
            text,
        });
    }
    for o in ds.organisations.iter().filter(|o| o.state.is_none() && keep(None)) {
        let text = join(&[o.acronym.as_deref(), Some(&o.aliases.join(", "))]);
        out.push(Single {
            kind: "agency",
            state: None,
            focal_point: None,
            title: o.name.clone(),
            path: format!("agencies/{}", o.id),
            record: format!("organisations/{}", o.id),
            text,
        });
    }
    for l in ds.laws.iter().filter(|l| keep(Some(l.state.as_str()))) {
        let translations: Vec<&str> = l.translations.get(&lang).map(String::as_str).into_iter().collect();
        let text = join(&[l.number.as_deref(), Some(&translations.join(". ")), l.summary.as_deref()]);
        out.push(Single {
            kind: "law",
            state: Some(l.state.to_string()),
            focal_point: Some("protection"),
            title: l.title.clone(),
            path: format!("states/{}#laws", l.state),
            record: format!("laws/{}", l.id),
            text,
        });
    }
    for a in ds.actions.iter().filter(|a| keep(Some(a.state.as_str()))) {
        let text = join(&[a.summary.as_deref(), a.target_population.as_deref(), a.evaluation_result.as_deref()]);
        out.push(Single {
            kind: "action",
            state: Some(a.state.to_string()),
            focal_point: Some(focal(a.focal_point)),
            title: a.name.clone(),
            path: format!("states/{}#actions", a.state),
            record: format!("actions/{}", a.id),
            text,
        });
    }
    for s in ds.services.iter().filter(|s| keep(Some(s.state.as_str()))) {
        let text = join(&[
            s.population.as_deref(),
            s.method.as_deref(),
            s.evaluation_result.as_deref(),
            Some(&s.weaknesses.join(". ")),
        ]);
        out.push(Single {
            kind: "service",
            state: Some(s.state.to_string()),
            focal_point: Some("recovery"),
            title: s.name.clone(),
            path: format!("states/{}#services", s.state),
            record: format!("services/{}", s.id),
            text,
        });
    }
    out
}
