//! Full-text search across States, plans, bodies, agencies, laws, actions and services, in the
//! four languages.
//!
//! One tantivy index in memory, made from the snapshot. A record is one document holding its
//! text in each language (`text_<lang>`: the record read in that language, analysed with that
//! language's stemmer; where a text has no translation yet it stands as written), and all of it
//! once more without stemming (`raw`). Every analyser lowercases and folds accents, so "ninez"
//! finds "niñez" and "planes" finds "plan". A query's words are also looked up in the
//! thesaurus and widened with their concept's terms in every language, weighted below the words
//! typed ([`thesaurus`]). A hit says in which languages it matched and shows its title and
//! snippet in the reader's language when that text matched. Facets (State, kind, focal point)
//! are plain string fields.

mod entries;
pub mod thesaurus;

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

use entries::{entries, Entry};

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
    record: Field,
    /// The title in each language, as `LANGUAGES`.
    titles: [Field; 4],
    raw: Field,
    /// The title and text in each language, stemmed in it, stored for snippets.
    stemmed: [Field; 4],
}

impl Fields {
    fn document(&self, e: Entry) -> TantivyDocument {
        let f = self;
        let all: Vec<String> = e.texts.iter().map(|(title, text)| format!("{title}. {text}")).collect();
        let mut d = doc!(f.kind => e.kind, f.path => e.path, f.record => e.record, f.raw => all.join(" "));
        if let Some(s) = e.state {
            d.add_text(f.state, s);
        }
        if let Some(fp) = e.focal_point {
            d.add_text(f.focal_point, fp);
        }
        for (i, text) in all.into_iter().enumerate() {
            d.add_text(f.titles[i], &e.texts[i].0);
            d.add_text(f.stemmed[i], text);
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
    /// The title in the reader's language.
    pub title: String,
    /// The page path after the language prefix, e.g. `states/CL`.
    pub path: String,
    /// The record found, `table/id` (`laws/cl-law-1`): several records share a page.
    pub record: String,
    /// An HTML snippet with matches in `<b>`, in the reader's language when its text matched
    /// (else the first language that did); the text is escaped.
    pub snippet: String,
    /// The language of the snippet.
    pub snippet_lang: String,
    /// The languages whose text matched the query's words (as typed, or widened by the
    /// thesaurus); empty when only the unstemmed text did.
    pub matched: Vec<String>,
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

impl SearchIndex {
    pub fn build(snapshot: &Snapshot) -> Result<Self, WebError> {
        let mut builder = Schema::builder();
        let f = Fields {
            kind: builder.add_text_field("kind", STRING | STORED | FAST),
            state: builder.add_text_field("state", STRING | STORED | FAST),
            focal_point: builder.add_text_field("focal_point", STRING | STORED | FAST),
            path: builder.add_text_field("path", STORED),
            record: builder.add_text_field("record", STORED),
            titles: LANGUAGES.map(|(code, _)| builder.add_text_field(&format!("title_{code}"), STORED)),
            raw: text_field(&mut builder, "raw", "observa_raw", false),
            stemmed: LANGUAGES
                .map(|(code, _)| text_field(&mut builder, &format!("text_{code}"), &format!("observa_{code}"), true)),
        };
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register("observa_raw", analyzer(None));
        for (code, language) in LANGUAGES {
            index.tokenizers().register(&format!("observa_{code}"), analyzer(Some(language)));
        }
        let mut writer = index.writer(50_000_000)?;
        for e in entries(snapshot, |_| true) {
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
        for e in entries(snapshot, |state| state.is_some_and(|s| states.contains(s))) {
            writer.add_document(self.f.document(e))?;
        }
        writer.commit()?;
        let reader = self.index.reader()?;
        Ok(SearchIndex { index: self.index.clone(), reader, f: self.f })
    }

    /// Searches, showing hits in `reader`'s language; an empty or unparsable query is a 400.
    pub fn search(
        &self,
        q: &str,
        params: &SearchParams,
        limit: usize,
        reader: observa_domain::Lang,
    ) -> Result<Results, WebError> {
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
        let (text_query, _errors) = parser.parse_query_lenient(&thesaurus::expand(q));
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
        // The reader's language first: its snippet is the one shown when it matched.
        let reading = LANGUAGES.iter().position(|(code, _)| *code == reader.code()).unwrap_or(0);
        let order: Vec<usize> = std::iter::once(reading).chain((0..4).filter(|i| *i != reading)).collect();
        let snippets = order
            .iter()
            .map(|i| Ok((*i, SnippetGenerator::create(&searcher, &*text_query, self.f.stemmed[*i])?)))
            .collect::<Result<Vec<_>, tantivy::TantivyError>>()?;
        let text = |d: &TantivyDocument, field| d.get_first(field).and_then(|v| v.as_str()).map(String::from);
        let hits = top
            .into_iter()
            .map(|(score, address)| {
                let d: TantivyDocument = searcher.doc(address)?;
                let found: Vec<(usize, String)> = snippets
                    .iter()
                    .map(|(i, g)| (*i, g.snippet_from_doc(&d).to_html()))
                    .filter(|(_, html)| !html.is_empty())
                    .collect();
                let (shown, snippet) =
                    found.first().cloned().unwrap_or_else(|| (reading, start(&d, self.f.stemmed[reading])));
                let mut matched: Vec<String> = found.iter().map(|(i, _)| LANGUAGES[*i].0.to_string()).collect();
                matched.sort_by_key(|code| LANGUAGES.iter().position(|(c, _)| c == code));
                Ok(Hit {
                    kind: text(&d, self.f.kind).unwrap_or_default(),
                    state: text(&d, self.f.state),
                    focal_point: text(&d, self.f.focal_point),
                    title: text(&d, self.f.titles[shown]).unwrap_or_default(),
                    path: text(&d, self.f.path).unwrap_or_default(),
                    record: text(&d, self.f.record).unwrap_or_default(),
                    snippet,
                    snippet_lang: LANGUAGES[shown].0.to_string(),
                    matched,
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

/// The start of a document's text, escaped: the snippet when no language's text holds the
/// words (they matched only unstemmed, across languages).
fn start(d: &TantivyDocument, field: Field) -> String {
    let text: String = d.get_first(field).and_then(|v| v.as_str()).unwrap_or("").chars().take(160).collect();
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
