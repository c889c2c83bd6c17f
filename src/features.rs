//! Stage 5: features — TF-IDF over subword n-grams, kept sparse.
//!
//! An n-gram of up to three token ids is packed into one `u64` key (21 bits a token).
//! [`TfidfParams::fit`] keeps the n-grams seen in at least `min_df` documents (the
//! `max_features` most frequent), with smoothed idf `ln((1+n)/(1+df)) + 1`;
//! [`FittedTfidf::transform`] gives sublinear tf × idf rows, L2-normalised, in CSR form.

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
    /// Minimum number of training documents an n-gram must appear in.
    pub min_df: usize,
    /// Keep at most this many n-grams, the most frequent.
    pub max_features: usize,
    /// Use `1 + ln(tf)` instead of raw counts.
    pub sublinear_tf: bool,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            ngram_max: 2,
            min_df: 2,
            max_features: 100_000,
            sublinear_tf: true,
        }
    }
}

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
    #[serde(skip)]
    index: HashMap<u64, u32>,
}

impl TfidfParams {
    pub fn check(self) -> Result<Self> {
        if !(1..=3).contains(&self.ngram_max) {
            return Err(Error::Training(format!(
                "ngram_max must be 1 to 3, got {}",
                self.ngram_max
            )));
        }
        if self.min_df == 0 || self.max_features == 0 {
            return Err(Error::Training(
                "min_df and max_features must be at least 1".into(),
            ));
        }
        Ok(self)
    }

    /// Learns the n-gram vocabulary and idf from tokenised documents.
    pub fn fit(self, docs: &[Vec<u32>]) -> Result<FittedTfidf> {
        let params = self.check()?;
        let mut df: HashMap<u64, u32> = HashMap::new();
        let mut seen = Vec::new();
        for d in docs {
            seen.clear();
            for_each_ngram(d, params.ngram_max, |k| seen.push(k));
            seen.sort_unstable();
            seen.dedup();
            for &k in &seen {
                *df.entry(k).or_default() += 1;
            }
        }
        let mut kept: Vec<(u64, u32)> = df
            .into_iter()
            .filter(|&(_, c)| c as usize >= params.min_df)
            .collect();
        kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        kept.truncate(params.max_features);
        kept.sort_unstable_by_key(|&(k, _)| k);
        let n = docs.len() as f32;
        let idf = kept
            .iter()
            .map(|&(_, c)| ((1.0 + n) / (1.0 + c as f32)).ln() + 1.0)
            .collect();
        let keys: Vec<u64> = kept.into_iter().map(|(k, _)| k).collect();
        Ok(FittedTfidf::new(params, keys, idf))
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
            index: HashMap::new(),
        };
        f.reindex();
        f
    }

    /// Rebuilds the lookup table after deserialisation.
    pub fn reindex(&mut self) {
        self.index = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
    }

    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// The token ids of feature column `j`'s n-gram, in order.
    pub fn ngram(&self, j: usize) -> Vec<u32> {
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
    pub fn row(&self, tokens: &[u32]) -> (Vec<u32>, Vec<f32>) {
        let mut counts: HashMap<u32, f32> = HashMap::new();
        for_each_ngram(tokens, self.params.ngram_max, |k| {
            if let Some(&j) = self.index.get(&k) {
                *counts.entry(j).or_default() += 1.0;
            }
        });
        let mut pairs: Vec<(u32, f32)> = counts
            .into_iter()
            .map(|(j, tf)| {
                let tf = if self.params.sublinear_tf {
                    1.0 + tf.ln()
                } else {
                    tf
                };
                (j, tf * self.idf[j as usize])
            })
            .collect();
        pairs.sort_unstable_by_key(|p| p.0);
        let norm = pairs.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            pairs.iter_mut().for_each(|p| p.1 /= norm);
        }
        pairs.into_iter().unzip()
    }

    /// The TF-IDF matrix of tokenised documents.
    pub fn transform(&self, docs: &[Vec<u32>]) -> SparseMatrix {
        use rayon::prelude::*;
        let rows: Vec<(Vec<u32>, Vec<f32>)> = docs.par_iter().map(|d| self.row(d)).collect();
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
        };
        let f = p.fit(&docs).unwrap();
        assert_eq!(f.n_features(), 3);
        let key = |t: &[u32]| t.iter().fold(0u64, |k, &x| (k << BITS) | (x as u64 + 1));
        let col = |t: &[u32]| f.keys.iter().position(|&k| k == key(t)).unwrap();
        // idf: token 1 in 3 docs -> ln(4/4)+1 = 1; token 2 and (1 2) in 2 docs -> ln(4/3)+1
        let idf2 = (4.0f32 / 3.0).ln() + 1.0;
        assert!((f.idf[col(&[1])] - 1.0).abs() < 1e-6);
        assert!((f.idf[col(&[2])] - idf2).abs() < 1e-6);
        let m = f.transform(&docs);
        assert_eq!(m.nrows(), 3);
        // doc 3: tf(1)=1, tf(2)=2, tf(1 2)=1 -> [1, 2*idf2, idf2] / norm
        let raw = [1.0, 2.0 * idf2, idf2];
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        let row: HashMap<usize, f32> = m.row(2).collect();
        assert!((row[&col(&[1])] - raw[0] / norm).abs() < 1e-6);
        assert!((row[&col(&[2])] - raw[1] / norm).abs() < 1e-6);
        assert!((row[&col(&[1, 2])] - raw[2] / norm).abs() < 1e-6);
        // an unseen document is an empty row, not an error
        assert_eq!(f.transform(&[vec![99]]).row(0).count(), 0);
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
