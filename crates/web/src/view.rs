//! The portal's view of the registry: the snapshot, its search index and its open-data files,
//! and the past readings made from the history. Built whole at start; after a write, brought up
//! to date from the versions recorded since (`View::updated`).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use observa_domain::history::{AsOf, Version};
use observa_store::Backend;

use crate::{auth, downloads, search, Snapshot, WebError};

/// How many past readings a view keeps (each is a whole registry in memory).
pub const PAST_READINGS: usize = 8;

#[derive(Clone)]
pub struct View {
    pub snapshot: Arc<Snapshot>,
    pub search: Arc<search::SearchIndex>,
    /// Made at the first request (see `AppState::downloads`).
    pub downloads: Arc<OnceLock<Arc<downloads::Downloads>>>,
    /// The last registry version this view includes.
    pub seq: i64,
    /// Past readings of the registry (as of a cycle or a date), made on first use and dropped
    /// with the view, so a correction to an earlier cycle shows at the next refresh.
    pub past: Arc<Mutex<HashMap<AsOf, Arc<Snapshot>>>>,
    /// The open-data files of past cycles, made on first request, dropped with the view.
    pub past_downloads: Arc<Mutex<HashMap<i32, Arc<downloads::Downloads>>>>,
}

impl View {
    /// Fails only when the store cannot be read or the search index cannot be made.
    pub fn build(store: &dyn Backend) -> Result<View, WebError> {
        let seq = store.versions_after(i64::MAX).map_err(auth::internal)?.1;
        let snapshot = Arc::new(Snapshot::new(store.load().map_err(auth::internal)?));
        let search = Arc::new(search::SearchIndex::build(&snapshot)?);
        Ok(View::of(snapshot, search, seq))
    }

    fn of(snapshot: Arc<Snapshot>, search: Arc<search::SearchIndex>, seq: i64) -> View {
        View {
            snapshot,
            search,
            downloads: Default::default(),
            seq,
            past: Default::default(),
            past_downloads: Default::default(),
        }
    }

    /// This view brought up to date: the versions recorded since `self.seq` are applied to its
    /// registry (`Dataset::follow`, not a new reading of the whole registry), and the search
    /// documents of the States whose records changed are remade; a change to a record without a
    /// State that the search shows (an international agency) rebuilds the whole index.
    pub fn updated(&self, store: &dyn Backend) -> Result<View, WebError> {
        let (changed, seq) = store.versions_after(self.seq).map_err(auth::internal)?;
        let mut dataset = self.snapshot.dataset.clone();
        if let Err(e) = dataset.follow(&changed) {
            // Should not happen: the versions are what the tables were written from. Reading the
            // whole registry again is slower, never wrong.
            tracing::warn!(error = %e, "the view could not follow the registry's versions; reading it whole");
            dataset = store.load().map_err(auth::internal)?;
        }
        let snapshot = Arc::new(Snapshot::new(dataset));
        snapshot.carry_languages(&self.snapshot, &changed);
        let search = match touched_states(&changed, &self.snapshot) {
            Some(states) if states.is_empty() => self.search.clone(),
            Some(states) => Arc::new(self.search.updated(&snapshot, &states)?),
            None => Arc::new(search::SearchIndex::build(&snapshot)?),
        };
        Ok(View::of(snapshot, search, seq))
    }
}

/// The States whose search documents `changed` affects, or `None` when a change reaches beyond
/// one State's documents (an organisation without a State is named by bodies of many States).
fn touched_states(changed: &[Version], before: &Snapshot) -> Option<BTreeSet<String>> {
    let mut states = BTreeSet::new();
    for v in changed {
        // A closed record has no body: its State is the one it had before.
        let record = v.body.clone().or_else(|| {
            let records = observa_domain::history::records(&before.dataset).ok()?;
            let (_, rows) = records.into_iter().find(|(t, _)| *t == v.table)?;
            rows.into_iter().find(|r| observa_domain::history::key(&v.table, r) == v.record)
        });
        let field = if v.table == "states" { "code" } else { "state" };
        let state = record.as_ref().and_then(|r| r.get(field)).and_then(|s| s.as_str());
        match (v.table.as_str(), state) {
            ("states", Some(code)) => {
                states.insert(code.to_string());
            }
            ("organisations", None) => return None,
            (_, Some(code)) => {
                states.insert(code.to_string());
            }
            (_, None) => {}
        }
    }
    Some(states)
}
