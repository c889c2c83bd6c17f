//! Stage 5: features — TF-IDF over subword n-grams, and optionally word n-grams and
//! character n-grams inside word boundaries (scikit-learn's `char_wb`), kept sparse.
//!
//! Every feature is a `u64` key: an n-gram of up to three subword ids is packed into it
//! (21 bits a token, top bit clear); a word or character n-gram is its xxh3 hash with the
//! top two bits set to `10` (words) or `11` (characters).
//! [`TfidfParams::fit`] keeps, per family, the n-grams seen in at least `min_df` documents
//! (the `max_features` most frequent), with smoothed idf `ln((1+n)/(1+df)) + 1`;
//! [`FittedTfidf::transform`] gives sublinear tf × idf rows in CSR form, each family
//! L2-normalised on its own and the families side by side (scikit-learn's `FeatureUnion`
//! of vectorizers).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const BITS: u32 = 21;
const MAX_TOKEN: u32 = (1 << BITS) - 2;

/// Validated TF-IDF settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TfidfParams {
    /// Longest n-gram (1 to 3).
    pub ngram_max: usize,
    /// Minimum number of training documents a subword or word n-gram (and a character
    /// one, unless `char_min_df` says otherwise) must appear in.
    pub min_df: usize,
    /// Keep at most this many n-grams, the most frequent.
    pub max_features: usize,
    /// Use `1 + ln(tf)` instead of raw counts.
    pub sublinear_tf: bool,
    /// Longest word n-gram (words of two or more letters or digits, lowercased); 0 for
    /// none.
    #[serde(default)]
    pub word_ngrams: usize,
    /// Shortest and longest character n-gram inside space-padded words; `None` for none.
    #[serde(default)]
    pub char_ngrams: Option<(usize, usize)>,
    /// Minimum document frequency of a character n-gram, when not `min_df`.
    #[serde(default)]
    pub char_min_df: Option<usize>,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            ngram_max: 2,
            min_df: 1,
            max_features: 100_000,
            sublinear_tf: true,
            word_ngrams: 2,
            char_ngrams: Some((3, 5)),
            char_min_df: Some(2),
        }
    }
}

const WORD: u64 = 0b10 << 62;
const CHAR: u64 = 0b11 << 62;

/// 0 for a subword key, 1 for a word, 2 for a character n-gram.
fn family(key: u64) -> usize {
    match key >> 62 {
        0 | 1 => 0,
        2 => 1,
        _ => 2,
    }
}

fn hashed(tag: u64, s: &str) -> u64 {
    tag | (xxhash_rust::xxh3::xxh3_64(s.as_bytes()) >> 2)
}

/// Calls `f(key, n-gram)` for every word and character n-gram of `text`.
fn for_each_text_ngram(p: &TfidfParams, text: &str, mut f: impl FnMut(u64, &str)) {
    if p.word_ngrams == 0 && p.char_ngrams.is_none() {
        return;
    }
    let lower = text.to_lowercase();
    for_each_word_ngram(p, &lower, &mut f);
    if let Some((lo, hi)) = p.char_ngrams {
        let mut scratch = WordScratch::default();
        for w in lower.split_whitespace() {
            for_each_char_ngram(w, lo, hi, &mut scratch, &mut f);
        }
    }
}

/// Word n-grams of lower-cased text: words of two or more letters or digits.
fn for_each_word_ngram(p: &TfidfParams, lower: &str, mut f: impl FnMut(u64, &str)) {
    if p.word_ngrams == 0 {
        return;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| w.chars().nth(1).is_some())
        .collect();
    let mut gram = String::new();
    for i in 0..words.len() {
        gram.clear();
        for (n, w) in words[i..].iter().take(p.word_ngrams).enumerate() {
            if n > 0 {
                gram.push(' ');
            }
            gram.push_str(w);
            f(hashed(WORD, &gram), &gram);
        }
    }
}

/// Buffers reused from one word to the next.
#[derive(Default)]
struct WordScratch {
    padded: String,
    bounds: Vec<usize>,
}

/// Character n-grams (`lo` to `hi` characters) of one lower-cased word, space-padded.
fn for_each_char_ngram(
    w: &str,
    lo: usize,
    hi: usize,
    scratch: &mut WordScratch,
    mut f: impl FnMut(u64, &str),
) {
    let WordScratch { padded, bounds } = scratch;
    padded.clear();
    padded.push(' ');
    padded.push_str(w);
    padded.push(' ');
    bounds.clear();
    bounds.extend(padded.char_indices().map(|(i, _)| i));
    bounds.push(padded.len());
    let len = bounds.len() - 1;
    for n in lo..=hi {
        if n >= len {
            // a padded word shorter than n counts once, whole (as scikit-learn)
            f(hashed(CHAR, padded), padded);
            break;
        }
        for i in 0..=len - n {
            let g = &padded[bounds[i]..bounds[i + n]];
            f(hashed(CHAR, g), g);
        }
    }
}

/// Per thread, the feature columns each recent word's character n-grams hit, in order,
/// for the vectorizer whose [`FittedTfidf::cache_id`] is `owner`: news text repeats its
/// words, and a word's character n-grams (a few dozen hashes and lookups) depend on
/// the word alone. Cleared when full, or when another vectorizer uses the thread.
struct CharCache {
    owner: u64,
    words: rustc_hash::FxHashMap<Box<str>, Box<[u32]>>,
    scratch: WordScratch,
}

/// Words kept per thread (a few MB at most).
const CHAR_CACHE_WORDS: usize = 30_000;

thread_local! {
    static CHAR_CACHE: std::cell::RefCell<CharCache> = std::cell::RefCell::new(CharCache {
        owner: 0,
        words: Default::default(),
        scratch: WordScratch::default(),
    });
}

/// A number told to each vectorizer whose index is (re)built, for [`CharCache`]; equal
/// for all, so that it leaves comparisons alone.
#[derive(Debug, Clone, Copy, Default)]
struct CacheId(u64);

impl PartialEq for CacheId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

static NEXT_CACHE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A sparse matrix in compressed-row form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseMatrix {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
    pub ncols: usize,
}

impl SparseMatrix {
    pub fn nrows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }
    /// The (column, value) pairs of row `i`.
    pub fn row(&self, i: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let r = self.indptr[i]..self.indptr[i + 1];
        self.indices[r.clone()]
            .iter()
            .map(|&j| j as usize)
            .zip(self.values[r].iter().copied())
    }
    /// The rows at the given positions, in that order.
    pub fn select(&self, rows: &[usize]) -> SparseMatrix {
        let mut m = SparseMatrix {
            indptr: vec![0],
            ncols: self.ncols,
            ..Default::default()
        };
        for &i in rows {
            let r = self.indptr[i]..self.indptr[i + 1];
            m.indices.extend_from_slice(&self.indices[r.clone()]);
            m.values.extend_from_slice(&self.values[r]);
            m.indptr.push(m.indices.len());
        }
        m
    }
    /// A dense copy (for the linfa reference fit on small data).
    pub fn to_dense(&self) -> ndarray::Array2<f64> {
        let mut a = ndarray::Array2::zeros((self.nrows(), self.ncols));
        for i in 0..self.nrows() {
            for (j, v) in self.row(i) {
                a[[i, j]] += v as f64;
            }
        }
        a
    }
}

/// A fitted TF-IDF vectorizer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedTfidf {
    pub params: TfidfParams,
    /// The n-gram key of each feature column.
    pub keys: Vec<u64>,
    pub idf: Vec<f32>,
    /// The text of each word or character n-gram feature (empty for subword ones, which
    /// the tokenizer spells).
    #[serde(default)]
    pub names: Names,
    #[serde(skip)]
    index: rustc_hash::FxHashMap<u64, u32>,
    #[serde(skip)]
    cache_id: CacheId,
    /// The first word and the first character column, when the keys are sorted (as
    /// `fit` leaves them): a column's family without reading its key.
    #[serde(skip)]
    family_starts: Option<[u32; 2]>,
}

/// The feature names, one after the other in one buffer: read from a model file as a
/// sequence of strings (the format of a `Vec<String>`) without a `String` apiece, which
/// took a sixth of the embedded model's decoding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<usize>,
}

impl Names {
    pub fn get(&self, j: usize) -> Option<&str> {
        let end = *self.ends.get(j)?;
        let start = if j == 0 { 0 } else { self.ends[j - 1] };
        Some(&self.text[start..end])
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> {
        (0..self.len()).map(|j| self.get(j).expect("in range"))
    }
    fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len());
    }
}

impl From<Vec<String>> for Names {
    fn from(v: Vec<String>) -> Self {
        let mut names = Names {
            text: String::with_capacity(v.iter().map(String::len).sum()),
            ends: Vec::with_capacity(v.len()),
        };
        v.iter().for_each(|n| names.push(n));
        names
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::{DeserializeSeed, SeqAccess, Visitor};
        /// Appends one string to the names.
        struct Push<'a>(&'a mut Names);
        impl<'de> DeserializeSeed<'de> for Push<'_> {
            type Value = ();
            fn deserialize<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> std::result::Result<(), D::Error> {
                d.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Push<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
                self.0.push(v);
                Ok(())
            }
        }
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = Names;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Names, A::Error> {
                let mut names = Names::default();
                names
                    .ends
                    .reserve(seq.size_hint().unwrap_or(0).min(1 << 20));
                while seq.next_element_seed(Push(&mut names))?.is_some() {}
                Ok(names)
            }
        }
        d.deserialize_seq(Seq)
    }
}

impl TfidfParams {
    pub fn check(self) -> Result<Self> {
        if self.ngram_max > 3 {
            return Err(Error::Training(format!(
                "ngram_max must be 0 (no subword n-grams) to 3, got {}",
                self.ngram_max
            )));
        }
        if self.ngram_max == 0 && self.word_ngrams == 0 && self.char_ngrams.is_none() {
            return Err(Error::Training("no feature family to read".into()));
        }
        if self.min_df == 0 || self.max_features == 0 || self.char_min_df == Some(0) {
            return Err(Error::Training(
                "min_df and max_features must be at least 1".into(),
            ));
        }
        if self.word_ngrams > 3 {
            return Err(Error::Training(format!(
                "word n-grams go up to 3, got {}",
                self.word_ngrams
            )));
        }
        if let Some((lo, hi)) = self.char_ngrams
            && !(1 <= lo && lo <= hi && hi <= 8)
        {
            return Err(Error::Training(format!(
                "character n-grams must satisfy 1 ≤ min ≤ max ≤ 8, got {lo}-{hi}"
            )));
        }
        Ok(self)
    }

    /// Learns the n-gram vocabulary and idf from documents: their texts and subword ids.
    pub fn fit(self, texts: &[&str], docs: &[Vec<u32>]) -> Result<FittedTfidf> {
        let params = self.check()?;
        if texts.len() != docs.len() {
            return Err(Error::Training(format!(
                "{} texts but {} tokenised documents",
                texts.len(),
                docs.len()
            )));
        }
        let mut df: HashMap<u64, u32> = HashMap::new();
        let mut names: HashMap<u64, String> = HashMap::new();
        let mut seen = Vec::new();
        for (text, d) in texts.iter().zip(docs) {
            seen.clear();
            for_each_ngram(d, params.ngram_max, |k| seen.push(k));
            for_each_text_ngram(&params, text, |k, g| {
                seen.push(k);
                names.entry(k).or_insert_with(|| g.to_string());
            });
            seen.sort_unstable();
            seen.dedup();
            for &k in &seen {
                *df.entry(k).or_default() += 1;
            }
        }
        let char_min_df = params.char_min_df.unwrap_or(params.min_df);
        let mut kept: Vec<(u64, u32)> = df
            .into_iter()
            .filter(|&(k, c)| {
                c as usize
                    >= if family(k) == 2 {
                        char_min_df
                    } else {
                        params.min_df
                    }
            })
            .collect();
        // the most frequent of each family first, ties by key
        kept.sort_unstable_by(|a, b| (family(a.0), b.1, a.0).cmp(&(family(b.0), a.1, b.0)));
        let mut per_family = [0usize; 3];
        kept.retain(|&(k, _)| {
            per_family[family(k)] += 1;
            per_family[family(k)] <= params.max_features
        });
        kept.sort_unstable_by_key(|&(k, _)| k);
        let n = docs.len() as f32;
        let idf = kept
            .iter()
            .map(|&(_, c)| ((1.0 + n) / (1.0 + c as f32)).ln() + 1.0)
            .collect();
        let keys: Vec<u64> = kept.into_iter().map(|(k, _)| k).collect();
        let names: Vec<String> = keys
            .iter()
            .map(|k| names.remove(k).unwrap_or_default())
            .collect();
        let mut f = FittedTfidf::new(params, keys, idf);
        f.names = names.into();
        Ok(f)
    }
}

fn for_each_ngram(tokens: &[u32], n_max: usize, mut f: impl FnMut(u64)) {
    for i in 0..tokens.len() {
        let mut key = 0u64;
        for n in 0..n_max.min(tokens.len() - i) {
            let t = tokens[i + n].min(MAX_TOKEN) as u64 + 1;
            key = (key << BITS) | t;
            f(key);
        }
    }
}

impl FittedTfidf {
    pub fn new(params: TfidfParams, keys: Vec<u64>, idf: Vec<f32>) -> Self {
        let mut f = FittedTfidf {
            params,
            keys,
            idf,
            names: Names::default(),
            index: Default::default(),
            cache_id: CacheId::default(),
            family_starts: None,
        };
        f.reindex();
        f
    }

    /// Rebuilds the lookup table after deserialisation.
    pub fn reindex(&mut self) {
        self.cache_id = CacheId(NEXT_CACHE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        self.index = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
        self.family_starts = self
            .keys
            .is_sorted()
            .then(|| [WORD, CHAR].map(|tag| self.keys.partition_point(|&k| k < tag) as u32));
    }

    /// The family of column `j` (as [`family`] of its key).
    fn column_family(&self, j: u32) -> usize {
        match self.family_starts {
            Some([word, char]) => usize::from(j >= word) + usize::from(j >= char),
            None => family(self.keys[j as usize]),
        }
    }

    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// The text of a word (`cessez le`) or character (`[ paix]`) n-gram feature; `None`
    /// for a subword one.
    pub fn text_name(&self, j: usize) -> Option<String> {
        let name = self.names.get(j).filter(|n| !n.is_empty())?;
        Some(match family(self.keys[j]) {
            2 => format!("[{name}]"),
            _ => name.to_string(),
        })
    }

    /// The token ids of feature column `j`'s n-gram, in order (empty for a word or
    /// character n-gram).
    pub fn ngram(&self, j: usize) -> Vec<u32> {
        if family(self.keys[j]) != 0 {
            return Vec::new();
        }
        let mut key = self.keys[j];
        let mut ids = Vec::new();
        while key != 0 {
            ids.push((key & ((1 << BITS) - 1)) as u32 - 1);
            key >>= BITS;
        }
        ids.reverse();
        ids
    }

    /// One document's sparse row: sorted (column, value) pairs.
    pub fn row(&self, text: &str, tokens: &[u32]) -> (Vec<u32>, Vec<f32>) {
        // the columns hit, sorted, then counted by runs
        let mut hits: Vec<u32> =
            Vec::with_capacity(tokens.len() * self.params.ngram_max + 3 * text.len());
        let mut add = |k: u64| {
            if let Some(&j) = self.index.get(&k) {
                hits.push(j);
            }
        };
        for_each_ngram(tokens, self.params.ngram_max, &mut add);
        self.text_hits(text, &mut hits);
        hits.sort_unstable();
        let mut columns: Vec<u32> = Vec::with_capacity(hits.len());
        let mut values: Vec<f32> = Vec::with_capacity(hits.len());
        let mut norms = [0f32; 3];
        for run in hits.chunk_by(|a, b| a == b) {
            let (j, tf) = (run[0], run.len() as f32);
            let tf = if self.params.sublinear_tf {
                1.0 + tf.ln()
            } else {
                tf
            };
            let v = tf * self.idf[j as usize];
            norms[self.column_family(j)] += v * v;
            columns.push(j);
            values.push(v);
        }
        // each family normalised on its own
        let norms = norms.map(f32::sqrt);
        for (&j, v) in columns.iter().zip(values.iter_mut()) {
            let n = norms[self.column_family(j)];
            if n > 0.0 {
                *v /= n;
            }
        }
        (columns, values)
    }

    /// Pushes the columns of `text`'s word and character n-grams, as
    /// [`for_each_text_ngram`] gives them, a word's character n-grams from [`CharCache`]
    /// when it was seen recently.
    fn text_hits(&self, text: &str, hits: &mut Vec<u32>) {
        let p = &self.params;
        if p.word_ngrams == 0 && p.char_ngrams.is_none() {
            return;
        }
        let look = |k: u64| self.index.get(&k).copied();
        let lower = text.to_lowercase();
        for_each_word_ngram(p, &lower, |k, _| hits.extend(look(k)));
        let Some((lo, hi)) = p.char_ngrams else {
            return;
        };
        CHAR_CACHE.with_borrow_mut(|cache| {
            if cache.owner != self.cache_id.0 {
                cache.owner = self.cache_id.0;
                cache.words.clear();
            }
            for w in lower.split_whitespace() {
                if let Some(cols) = cache.words.get(w) {
                    hits.extend_from_slice(cols);
                    continue;
                }
                let start = hits.len();
                for_each_char_ngram(w, lo, hi, &mut cache.scratch, |k, _| hits.extend(look(k)));
                if cache.words.len() >= CHAR_CACHE_WORDS {
                    cache.words.clear();
                }
                cache.words.insert(w.into(), hits[start..].into());
            }
        });
    }

    /// The TF-IDF matrix of documents: their texts and subword ids.
    pub fn transform(&self, texts: &[&str], docs: &[Vec<u32>]) -> SparseMatrix {
        use rayon::prelude::*;
        let rows: Vec<(Vec<u32>, Vec<f32>)> = texts
            .par_iter()
            .zip(docs.par_iter())
            .with_min_len(crate::classifier::PAR_MIN_ROWS)
            .map(|(t, d)| self.row(t, d))
            .collect();
        let mut m = SparseMatrix {
            indptr: Vec::with_capacity(docs.len() + 1),
            ncols: self.n_features(),
            ..Default::default()
        };
        m.indptr.push(0);
        for (i, v) in rows {
            m.indices.extend(i);
            m.values.extend(v);
            m.indptr.push(m.indices.len());
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tfidf_matches_hand_computation() {
        // docs: [1 2] [1 3] [1 2 2]; unigrams and bigrams, min_df 2 keeps 1, 2 and (1 2)
        let docs = vec![vec![1, 2], vec![1, 3], vec![1, 2, 2]];
        let p = TfidfParams {
            ngram_max: 2,
            min_df: 2,
            max_features: 10,
            sublinear_tf: false,
            ..Default::default()
        };
        let texts = ["", "", ""];
        let f = p.fit(&texts, &docs).unwrap();
        assert_eq!(f.n_features(), 3);
        let key = |t: &[u32]| t.iter().fold(0u64, |k, &x| (k << BITS) | (x as u64 + 1));
        let col = |t: &[u32]| f.keys.iter().position(|&k| k == key(t)).unwrap();
        // idf: token 1 in 3 docs -> ln(4/4)+1 = 1; token 2 and (1 2) in 2 docs -> ln(4/3)+1
        let idf2 = (4.0f32 / 3.0).ln() + 1.0;
        assert!((f.idf[col(&[1])] - 1.0).abs() < 1e-6);
        assert!((f.idf[col(&[2])] - idf2).abs() < 1e-6);
        let m = f.transform(&texts, &docs);
        assert_eq!(m.nrows(), 3);
        // doc 3: tf(1)=1, tf(2)=2, tf(1 2)=1 -> [1, 2*idf2, idf2] / norm
        let raw = [1.0, 2.0 * idf2, idf2];
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        let row: HashMap<usize, f32> = m.row(2).collect();
        assert!((row[&col(&[1])] - raw[0] / norm).abs() < 1e-6);
        assert!((row[&col(&[2])] - raw[1] / norm).abs() < 1e-6);
        assert!((row[&col(&[1, 2])] - raw[2] / norm).abs() < 1e-6);
        // an unseen document is an empty row, not an error
        assert_eq!(f.transform(&[""], &[vec![99]]).row(0).count(), 0);
    }

    /// The columns a row hits are the same whether a word's character n-grams come from
    /// the per-thread cache or not, also when two vectorizers take turns on a thread.
    #[test]
    fn cached_char_ngrams_hit_the_same_columns() {
        let texts = [
            "Le cessez-le-feu tient, le cessez-le-feu TIENT",
            "Une paix durable à Stepanakert et à Bakou",
            "à à à",
            "",
        ];
        let fit = |char_ngrams| {
            let p = TfidfParams {
                min_df: 1,
                char_ngrams,
                char_min_df: None,
                ..Default::default()
            };
            let docs = vec![Vec::new(); texts.len()];
            p.fit(&texts[..2], &docs[..2]).unwrap()
        };
        let (a, b) = (fit(Some((2, 5))), fit(Some((1, 3))));
        let direct = |f: &FittedTfidf, text: &str| {
            let mut hits = Vec::new();
            for_each_text_ngram(&f.params, text, |k, _| {
                hits.extend(f.index.get(&k).copied())
            });
            hits
        };
        for _ in 0..2 {
            for f in [&a, &b, &a] {
                for t in texts {
                    let mut hits = Vec::new();
                    f.text_hits(t, &mut hits);
                    assert_eq!(hits, direct(f, t), "{t:?}");
                }
            }
        }
        assert!(!direct(&a, texts[0]).is_empty());
    }

    /// (text, word n-grams, char range, the n-grams produced, in order)
    #[test]
    fn word_and_char_ngrams_table() {
        type Case<'a> = (&'a str, usize, Option<(usize, usize)>, &'a [&'a str]);
        let cases: &[Case] = &[
            // words of two or more letters or digits, lowercased, split at apostrophes
            ("L'Arménie a dit 45", 1, None, &["arménie", "dit", "45"]),
            (
                "Paix durable, vite",
                2,
                None,
                &["paix", "paix durable", "durable", "durable vite", "vite"],
            ),
            // characters inside space-padded words; a short padded word counts once, whole
            (
                "Oui",
                0,
                Some((3, 4)),
                &[" ou", "oui", "ui ", " oui", "oui "],
            ),
            ("à", 0, Some((3, 5)), &[" à "]),
            ("", 2, Some((2, 5)), &[]),
        ];
        for &(text, words, chars, want) in cases {
            let p = TfidfParams {
                word_ngrams: words,
                char_ngrams: chars,
                ..Default::default()
            };
            let mut got = Vec::new();
            for_each_text_ngram(&p, text, |k, g| {
                assert_eq!(k, hashed(if k >> 62 == 2 { WORD } else { CHAR }, g));
                got.push(g.to_string());
            });
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn bad_params_are_refused() {
        assert!(
            TfidfParams {
                ngram_max: 4,
                ..Default::default()
            }
            .check()
            .is_err()
        );
        assert!(
            TfidfParams {
                min_df: 0,
                ..Default::default()
            }
            .check()
            .is_err()
        );
    }
}
