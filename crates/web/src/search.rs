//! Full-text search across States, plans, bodies, agencies, laws, actions and services.
//!
//! One tantivy index in memory, rebuilt from the snapshot. Each document's text is indexed four
//! times with the English, Spanish, Portuguese and French stemmers, and once without stemming;
//! every analyser lowercases and folds accents, so "ninez" finds "niñez" and "planes" finds
//! "plan". Facets (State, kind, focal point) are plain string fields.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{doc, Index, IndexReader, TantivyDocument, Term};

use crate::snapshot::Snapshot;
use crate::WebError;

const LANGUAGES: [(&str, Language); 4] =
    [("en", Language::English), ("es", Language::Spanish), ("pt", Language::Portuguese), ("fr", Language::French)];

/// Filters and text of a search, as the page and the API receive them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub state: Option<String>,
    pub kind: Option<String>,
    pub focal_point: Option<String>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
}

#[derive(Clone, Copy)]
struct Fields {
    kind: Field,
    state: Field,
    focal_point: Field,
    path: Field,
    title: Field,
    raw: Field,
    stemmed: [Field; 4],
}

/// One search hit, ready to show.
impl Fields {
    fn document(&self, e: Entry) -> TantivyDocument {
        let f = self;
        let mut d = doc!(f.kind => e.kind, f.path => e.path, f.title => e.title.clone(), f.raw => format!("{}. {}", e.title, e.text));
        if let Some(s) = e.state {
            d.add_text(f.state, s);
        }
        if let Some(fp) = e.focal_point {
            d.add_text(f.focal_point, fp);
        }
        for field in f.stemmed {
            d.add_text(field, format!("{} {}", e.title, e.text));
        }
        d
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    #[schema(schema_with = crate::api::answers::hit_kind)]
    pub kind: String,
    pub state: Option<String>,
    pub focal_point: Option<String>,
    pub title: String,
    /// The page path after the language prefix, e.g. `states/CL`.
    pub path: String,
    /// An HTML snippet with matches in `<b>`; the text is escaped.
    pub snippet: String,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = SearchResults)]
pub struct Results {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Facet name → value → count, over all matches (before the facet filters).
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
}

fn text_field(schema: &mut tantivy::schema::SchemaBuilder, name: &str, analyzer: &str, stored: bool) -> Field {
    let indexing =
        TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let mut options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options = options.set_stored();
    }
    schema.add_text_field(name, options)
}

fn analyzer(language: Option<Language>) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match language {
        Some(l) => base.filter(Stemmer::new(l)).build(),
        None => base.build(),
    }
}

/// A document to index.
struct Entry {
    kind: &'static str,
    state: Option<String>,
    focal_point: Option<&'static str>,
    title: String,
    path: String,
    text: String,
}

impl SearchIndex {
    pub fn build(snapshot: &Snapshot) -> Result<Self, WebError> {
        let mut builder = Schema::builder();
        let f = Fields {
            kind: builder.add_text_field("kind", STRING | STORED | FAST),
            state: builder.add_text_field("state", STRING | STORED | FAST),
            focal_point: builder.add_text_field("focal_point", STRING | STORED | FAST),
            path: builder.add_text_field("path", STORED),
            title: builder.add_text_field("title", STORED),
            raw: text_field(&mut builder, "raw", "observa_raw", true),
            stemmed: LANGUAGES
                .map(|(code, _)| text_field(&mut builder, &format!("text_{code}"), &format!("observa_{code}"), false)),
        };
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register("observa_raw", analyzer(None));
        for (code, language) in LANGUAGES {
            index.tokenizers().register(&format!("observa_{code}"), analyzer(Some(language)));
        }
        let mut writer = index.writer(50_000_000)?;
        for e in entries(snapshot) {
            writer.add_document(f.document(e))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(SearchIndex { index, reader, f })
    }

    /// The index after a write that changed only the records of `states`: their documents are
    /// replaced with those of `snapshot`, the rest is left as it is (a State's documents are made
    /// from its own records and the organisations it names). The index is shared with the view
    /// being replaced, which sees the change a moment early: both are the committed registry.
    pub fn updated(&self, snapshot: &Snapshot, states: &std::collections::BTreeSet<String>) -> Result<Self, WebError> {
        let mut writer: tantivy::IndexWriter = self.index.writer_with_num_threads(1, 15_000_000)?;
        for state in states {
            writer.delete_term(Term::from_field_text(self.f.state, state));
        }
        for e in entries(snapshot).into_iter().filter(|e| e.state.as_ref().is_some_and(|s| states.contains(s))) {
            writer.add_document(self.f.document(e))?;
        }
        writer.commit()?;
        let reader = self.index.reader()?;
        Ok(SearchIndex { index: self.index.clone(), reader, f: self.f })
    }

    /// Searches; an empty or unparsable query is a 400.
    pub fn search(&self, q: &str, params: &SearchParams, limit: usize) -> Result<Results, WebError> {
        let q = q.trim();
        if q.is_empty() {
            return Err(WebError::BadRequest("the query `q` is empty".into()));
        }
        if q.chars().count() > 200 {
            return Err(WebError::BadRequest("the query `q` is longer than 200 characters".into()));
        }
        let mut fields = vec![self.f.raw];
        fields.extend(self.f.stemmed);
        let mut parser = QueryParser::for_index(&self.index, fields);
        // Every word must match (in some language's form): "Save the Children" is not "the".
        parser.set_conjunction_by_default();
        let (text_query, _errors) = parser.parse_query_lenient(q);
        let searcher = self.reader.searcher();
        let facets = self.facets(&searcher, &*text_query)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        for (value, field) in
            [(&params.state, self.f.state), (&params.kind, self.f.kind), (&params.focal_point, self.f.focal_point)]
        {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                let v = if field == self.f.state { v.to_ascii_uppercase() } else { v.to_string() };
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(Term::from_field_text(field, &v), IndexRecordOption::Basic)),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let total = searcher.search(&query, &tantivy::collector::Count)?;
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let snippets = SnippetGenerator::create(&searcher, &*text_query, self.f.raw)?;
        let text = |d: &TantivyDocument, field| d.get_first(field).and_then(|v| v.as_str()).map(String::from);
        let hits = top
            .into_iter()
            .map(|(score, address)| {
                let d: TantivyDocument = searcher.doc(address)?;
                Ok(Hit {
                    kind: text(&d, self.f.kind).unwrap_or_default(),
                    state: text(&d, self.f.state),
                    focal_point: text(&d, self.f.focal_point),
                    title: text(&d, self.f.title).unwrap_or_default(),
                    path: text(&d, self.f.path).unwrap_or_default(),
                    snippet: snippet_or_start(&snippets, &d, self.f.raw),
                    score,
                })
            })
            .collect::<Result<Vec<_>, tantivy::TantivyError>>()?;
        Ok(Results { query: q.to_string(), total, hits, facets })
    }
}

impl SearchIndex {
    /// Facet counts over every match, read from the fast fields (no document is loaded).
    fn facets(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> Result<BTreeMap<String, BTreeMap<String, usize>>, WebError> {
        let matches = searcher.search(query, &tantivy::collector::DocSetCollector)?;
        let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for address in matches {
            by_segment.entry(address.segment_ord).or_default().push(address.doc_id);
        }
        let mut facets: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (segment, docs) in by_segment {
            let reader = searcher.segment_reader(segment);
            for name in ["state", "kind", "focal_point"] {
                let Some(column) = reader.fast_fields().str(name)? else { continue };
                let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
                for doc in &docs {
                    for ord in column.term_ords(*doc) {
                        *counts.entry(ord).or_default() += 1;
                    }
                }
                let mut text = String::new();
                for (ord, count) in counts {
                    if column.ord_to_str(ord, &mut text).map_err(|e| WebError::Internal(e.to_string()))? {
                        *facets.entry(name.into()).or_default().entry(text.clone()).or_default() += count;
                    }
                }
            }
        }
        Ok(facets)
    }
}

/// The highlighted snippet, or (when the match was only in a stemmed field) the text's start.
fn snippet_or_start(generator: &SnippetGenerator, d: &TantivyDocument, raw: Field) -> String {
    let html = generator.snippet_from_doc(d).to_html();
    if !html.is_empty() {
        return html;
    }
    let text: String = d.get_first(raw).and_then(|v| v.as_str()).unwrap_or("").chars().take(160).collect();
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
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

/// Everything searchable, flattened into entries.
fn entries(snap: &Snapshot) -> Vec<Entry> {
    let ds = &snap.dataset;
    let mut out = Vec::new();
    for s in &ds.states {
        let text = format!("{} {} {} {}", s.name_en, s.name_es, s.name_pt, s.name_fr);
        out.push(Entry {
            kind: "state",
            state: Some(s.code.to_string()),
            focal_point: None,
            title: s.name_en.clone(),
            path: format!("states/{}", s.code),
            text,
        });
    }
    for p in &ds.plans {
        let translations: Vec<&str> = p.translations.values().map(String::as_str).collect();
        let text = join(&[
            Some(&translations.join(". ")),
            p.acronym.as_deref(),
            p.summary.as_deref(),
            p.adopted_wording.as_deref(),
        ]);
        out.push(Entry {
            kind: "plan",
            state: Some(p.state.to_string()),
            focal_point: None,
            title: p.name.clone(),
            path: format!("plans/{}", p.id),
            text,
        });
    }
    for b in &ds.bodies {
        let members: Vec<&str> = ds
            .members
            .iter()
            .filter(|m| m.body == b.id)
            .filter_map(|m| ds.organisations.iter().find(|o| o.id == m.organisation))
            .map(|o| o.name.as_str())
            .collect();
        let text =
            join(&[b.acronym.as_deref(), b.summary.as_deref(), b.legal_basis.as_deref(), Some(&members.join(", "))]);
        out.push(Entry {
            kind: "body",
            state: Some(b.state.to_string()),
            focal_point: Some("coordination"),
            title: b.name.clone(),
            path: format!("bodies/{}", b.id),
            text,
        });
    }
    for o in ds.organisations.iter().filter(|o| o.state.is_none()) {
        let text = join(&[o.acronym.as_deref(), Some(&o.aliases.join(", "))]);
        out.push(Entry {
            kind: "agency",
            state: None,
            focal_point: None,
            title: o.name.clone(),
            path: format!("agencies/{}", o.id),
            text,
        });
    }
    for l in &ds.laws {
        let translations: Vec<&str> = l.translations.values().map(String::as_str).collect();
        let text = join(&[l.number.as_deref(), Some(&translations.join(". ")), l.summary.as_deref()]);
        out.push(Entry {
            kind: "law",
            state: Some(l.state.to_string()),
            focal_point: Some("protection"),
            title: l.title.clone(),
            path: format!("states/{}#laws", l.state),
            text,
        });
    }
    for a in &ds.actions {
        let text = join(&[a.summary.as_deref(), a.target_population.as_deref(), a.evaluation_result.as_deref()]);
        out.push(Entry {
            kind: "action",
            state: Some(a.state.to_string()),
            focal_point: Some(focal(a.focal_point)),
            title: a.name.clone(),
            path: format!("states/{}#actions", a.state),
            text,
        });
    }
    for s in &ds.services {
        let text = join(&[
            s.population.as_deref(),
            s.method.as_deref(),
            s.evaluation_result.as_deref(),
            Some(&s.weaknesses.join(". ")),
        ]);
        out.push(Entry {
            kind: "service",
            state: Some(s.state.to_string()),
            focal_point: Some("recovery"),
            title: s.name.clone(),
            path: format!("states/{}#services", s.state),
            text,
        });
    }
    out
}
