//! The model file: tokenizer, TF-IDF vocabulary and idf, logistic heads, label names,
//! hyper-parameters and training metrics, in one versioned file.
//!
//! Layout (version 4): a first line `stance-model 4\n`, the xxh3-64 checksum of the body
//! (8 bytes, little-endian), then the body in [postcard](https://docs.rs/postcard), a
//! compact binary serde format: floats are stored as their exact bits and read without
//! parsing text, so the embedded model decodes in a few milliseconds. postcard is not
//! self-describing, so a new field in the body is a new version: versions 3 (a speaker-context
//! flag where version 4 has a [`Reading`], [`v3`]) and 2 (also without the character
//! min_df, the NB scaling and their grid columns, [`v2`]) are still read, and mean the
//! defaults of the missing fields. Version 1 (the body as gzip-compressed
//! JSON) is read only by [`Classifier::from_v1_bytes`], to convert old files (`cargo run
//! --release --example convert_model`). A file whose first line is not a known version
//! is refused before anything else is read. A default model is compiled into the binary
//! ([`Classifier::embedded`]).

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::eval::Metrics;
use crate::features::{FittedTfidf, SparseMatrix, TfidfParams};
use crate::label::{ClassId, Classes};
use crate::model::{self, FitReport, LinearHead, LogisticParams};
use crate::tokenize::SubwordTokenizer;

/// The model-file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 4;
/// The previous postcard format, still read ([`v3`]).
pub const FORMAT_VERSION_3: u32 = 3;
/// The first postcard format, still read ([`v2`]).
pub const FORMAT_VERSION_2: u32 = 2;
/// The first format: the same body as gzip-compressed JSON (read for conversion only).
pub const FORMAT_VERSION_JSON: u32 = 1;
const MAGIC: &str = "stance-model";

/// The default model, trained on `training-data/` (see the README).
pub static EMBEDDED: &[u8] = include_bytes!("../models/default.stance");

/// One prediction head: a label set and its fitted weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Head {
    /// The label column it was trained on (`stance`, `sentiment`, `label`, …).
    pub name: String,
    pub model: LinearHead,
    pub fit: FitReport,
    /// Held-out metrics measured at training time, when asked for.
    pub metrics: Option<Metrics>,
}

/// How the model was trained. No clock time: the same data and settings give the same
/// file, byte for byte (files written before this held a `seconds` field, now ignored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainingInfo {
    pub data: String,
    pub rows: usize,
    pub tfidf: TfidfParams,
    pub logistic: LogisticParams,
    /// How the model reads a statement ([`Reading::read`]).
    pub reading: Reading,
    /// The model-selection grid (`stance train --grid`), each point with its
    /// cross-validated macro-F1 per head; empty when no selection was run.
    #[serde(default)]
    pub grid: Vec<GridPoint>,
    pub crate_version: String,
}

/// One setting tried by model selection and its cross-validated macro-F1 per head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridPoint {
    pub alpha: f64,
    /// Minimum document frequency (2 in grids written before it was searched).
    #[serde(default = "two")]
    pub min_df: usize,
    pub word_ngrams: usize,
    pub char_ngrams: Option<(usize, usize)>,
    /// NB scaling ([`LogisticParams::nb`]; 0 in grids written before it was searched).
    #[serde(default)]
    pub nb: f64,
    pub macro_f1: Vec<f64>,
}

fn two() -> usize {
    2
}

#[derive(Serialize, Deserialize)]
struct Body {
    tokenizer: String,
    tfidf: FittedTfidf,
    heads: Vec<Head>,
    training: TrainingInfo,
}

/// Texts per parallel task when a batch is tokenised, vectorised or predicted: a
/// dispatch's few statements (`classify` runs dispatches in parallel already) stay on one
/// thread instead of being split across the pool.
pub const PAR_MIN_ROWS: usize = 32;

/// A fitted classifier: text in, one probability vector per head out.
#[derive(Debug, Clone)]
pub struct Classifier {
    pub tokenizer: SubwordTokenizer,
    pub tfidf: FittedTfidf,
    pub heads: Vec<Head>,
    pub training: TrainingInfo,
}

/// How a model reads a statement: its words alone, or with the words around it in its
/// sentence (`before ‖ text ‖ after`: the reporting verb, the speaker's name) and the
/// speaker's affiliation from the gazetteer in front (`⟦armenia⟧ `, `⟦none⟧ ` for a
/// speaker it does not know).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub affiliation: bool,
    /// Words of the sentence read before the statement.
    pub words_before: usize,
    /// Words of the sentence read after the statement.
    pub words_after: usize,
}

impl Reading {
    /// The statement's words alone (a CSV's texts, `--words-only`).
    pub const WORDS: Reading = Reading {
        affiliation: false,
        words_before: 0,
        words_after: 0,
    };

    /// Whether the words around a statement are read.
    pub fn around(&self) -> bool {
        self.words_before + self.words_after > 0
    }

    /// The text the model reads: `text` with the speaker's `affiliation` and the
    /// `sentence` around it ([`crate::statement::sentence_around`]), as this reading
    /// takes them.
    pub fn read<'t>(
        &self,
        text: &'t str,
        affiliation: Option<&str>,
        sentence: (&str, &str),
    ) -> std::borrow::Cow<'t, str> {
        use crate::statement::{first_words, last_words};
        if !self.affiliation && !self.around() {
            return text.into();
        }
        let mut out = String::with_capacity(text.len() + 64);
        if self.affiliation {
            out.push('⟦');
            out.push_str(affiliation.unwrap_or("none"));
            out.push_str("⟧ ");
        }
        if !self.around() {
            out.push_str(text);
            return out.into();
        }
        // the words around, whitespace collapsed, one space between every piece
        let before = last_words(sentence.0, self.words_before).split_whitespace();
        let after = first_words(sentence.1, self.words_after).split_whitespace();
        for (i, w) in before.chain(["‖", text, "‖"]).chain(after).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
        out.into()
    }
}

/// One head's output for one text: probabilities, and the features that pushed the
/// predicted class most.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub probs: Vec<f32>,
    pub reasons: Vec<(String, f32)>,
}

/// A label column to learn: its name, classes and the class of every row.
pub struct Target {
    pub name: String,
    pub classes: Classes,
    pub y: Vec<ClassId>,
}

impl Classifier {
    /// Fits the TF-IDF vocabulary and one head per target on the given texts.
    pub fn train(
        tokenizer: SubwordTokenizer,
        texts: &[&str],
        targets: Vec<Target>,
        tfidf: TfidfParams,
        logistic: LogisticParams,
        data: &str,
    ) -> Result<Self> {
        let checked = logistic.check()?;
        let ids = tokenizer.encode_batch(texts);
        let fitted = tfidf.fit(texts, &ids)?;
        let x = fitted.transform(texts, &ids);
        let mut heads = Vec::new();
        for t in targets {
            let (m, fit) = model::fit(&x, &t.y, t.classes, checked)?;
            heads.push(Head {
                name: t.name,
                model: m,
                fit,
                metrics: None,
            });
        }
        Ok(Classifier {
            tokenizer,
            tfidf: fitted,
            heads,
            training: TrainingInfo {
                data: data.to_string(),
                rows: texts.len(),
                tfidf,
                logistic,
                reading: Reading::WORDS,
                grid: Vec::new(),
                crate_version: env!("CARGO_PKG_VERSION").to_string(),
            },
        })
    }

    /// A statement as the model reads it ([`Reading::read`]).
    pub fn in_context<'t>(
        &self,
        text: &'t str,
        affiliation: Option<&str>,
        sentence: (&str, &str),
    ) -> std::borrow::Cow<'t, str> {
        self.training.reading.read(text, affiliation, sentence)
    }

    /// The sparse TF-IDF rows of some texts.
    pub fn features(&self, texts: &[&str]) -> SparseMatrix {
        self.tfidf
            .transform(texts, &self.tokenizer.encode_batch(texts))
    }

    /// Probabilities per head, per text: `out[head][text][class]`.
    pub fn predict(&self, texts: &[&str]) -> Vec<Vec<Vec<f32>>> {
        let x = self.features(texts);
        self.heads.iter().map(|h| h.model.predict(&x)).collect()
    }

    /// Per head, per text: the probabilities and the `k` features that pushed the most
    /// likely class most, as `(feature name, contribution)`.
    pub fn predict_explained(&self, texts: &[&str], k: usize) -> Vec<Vec<Explained>> {
        use rayon::prelude::*;
        let x = self.features(texts);
        self.heads
            .iter()
            .map(|h| {
                (0..x.nrows())
                    .into_par_iter()
                    .with_min_len(PAR_MIN_ROWS)
                    .map(|i| {
                        let probs = h.model.predict_row(x.row(i));
                        let reasons = h
                            .model
                            .contributions(x.row(i), crate::model::argmax(&probs), k)
                            .into_iter()
                            .map(|(j, c)| (self.feature_name(j), c))
                            .collect();
                        Explained { probs, reasons }
                    })
                    .collect()
            })
            .collect()
    }

    /// Feature column `j` as text: its subwords joined by spaces (`▁cessez ▁le`).
    pub fn feature_name(&self, j: usize) -> String {
        if let Some(name) = self.tfidf.text_name(j) {
            return name;
        }
        let ids = self.tfidf.ngram(j);
        let pieces: Vec<String> = ids.iter().map(|&t| self.tokenizer.token(t)).collect();
        pieces.join(" ")
    }

    /// The `k` heaviest features of each class of a head: `(class, [(feature, weight)])`.
    pub fn top_features(&self, head: &Head, k: usize) -> Vec<(String, Vec<(String, f32)>)> {
        let m = &head.model;
        let n = m.n_classes();
        m.classes
            .names()
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let mut w: Vec<(usize, f32)> =
                    (0..m.n_features).map(|j| (j, m.coef[j * n + c])).collect();
                w.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let top = w
                    .into_iter()
                    .take(k)
                    .map(|(j, v)| (self.feature_name(j), v))
                    .collect();
                (name.clone(), top)
            })
            .collect()
    }

    pub fn head(&self, name: &str) -> Option<&Head> {
        self.heads.iter().find(|h| h.name == name)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let body = Body {
            tokenizer: self.tokenizer.to_json()?,
            tfidf: self.tfidf.clone(),
            heads: self.heads.clone(),
            training: self.training.clone(),
        };
        let encoded = postcard::to_allocvec(&body).map_err(|e| Error::Model {
            origin: "(writing)".into(),
            message: e.to_string(),
        })?;
        let mut out = format!("{MAGIC} {FORMAT_VERSION}\n").into_bytes();
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&encoded).to_le_bytes());
        out.extend_from_slice(&encoded);
        Ok(out)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        let tmp = path.with_extension("stance.partial");
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// Reads a model; `origin` names it in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Self> {
        let err = |message: String| Error::Model {
            origin: origin.to_string(),
            message,
        };
        let (version, rest) = split_header(bytes).map_err(err)?;
        if ![FORMAT_VERSION, FORMAT_VERSION_3, FORMAT_VERSION_2].contains(&version) {
            let hint = if version == FORMAT_VERSION_JSON {
                "; convert it with `cargo run --release --example convert_model -- OLD NEW`"
            } else {
                ""
            };
            return Err(err(format!(
                "format version {version} is not supported (this build reads versions {FORMAT_VERSION_2} to {FORMAT_VERSION}){hint}"
            )));
        }
        if rest.len() < 8 {
            return Err(err("corrupt body: too short".into()));
        }
        let (sum, encoded) = rest.split_at(8);
        if xxhash_rust::xxh3::xxh3_64(encoded).to_le_bytes() != sum {
            return Err(err(
                "corrupt body: checksum mismatch (truncated or damaged file)".into(),
            ));
        }
        let body: Body = match version {
            FORMAT_VERSION_2 => postcard::from_bytes::<v2::Body>(encoded)
                .map(v3::Body::from)
                .map(Body::from),
            FORMAT_VERSION_3 => postcard::from_bytes::<v3::Body>(encoded).map(Body::from),
            _ => postcard::from_bytes(encoded),
        }
        .map_err(|e| err(format!("corrupt body: {e}")))?;
        Self::from_body(body, origin)
    }

    /// Reads a model in the first format (gzip-compressed JSON), to convert it: this
    /// build writes only [`FORMAT_VERSION`], and [`Classifier::from_bytes`] refuses
    /// version 1.
    pub fn from_v1_bytes(bytes: &[u8], origin: &str) -> Result<Self> {
        let err = |message: String| Error::Model {
            origin: origin.to_string(),
            message,
        };
        let (version, rest) = split_header(bytes).map_err(err)?;
        if version != FORMAT_VERSION_JSON {
            return Err(err(format!(
                "format version {version} is not version {FORMAT_VERSION_JSON}"
            )));
        }
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(rest)
            .read_to_end(&mut json)
            .map_err(|e| err(format!("corrupt body: {e}")))?;
        let body: v3::Body =
            serde_json::from_slice(&json).map_err(|e| err(format!("corrupt body: {e}")))?;
        Self::from_body(body.into(), origin)
    }

    /// Checks a decoded body's dimensions and weights and builds the classifier.
    fn from_body(body: Body, origin: &str) -> Result<Self> {
        let err = |message: String| Error::Model {
            origin: origin.to_string(),
            message,
        };
        let tokenizer =
            SubwordTokenizer::from_json(&body.tokenizer).map_err(|e| err(e.to_string()))?;
        let mut tfidf = body.tfidf;
        tfidf.reindex();
        if tfidf.idf.len() != tfidf.keys.len() {
            return Err(err("idf and vocabulary differ in length".into()));
        }
        tfidf.params.check().map_err(|e| err(e.to_string()))?;
        if tfidf.idf.iter().any(|v| !v.is_finite()) {
            return Err(err("an idf weight is not finite".into()));
        }
        if body.heads.is_empty() {
            return Err(err("the model has no head".into()));
        }
        for h in &body.heads {
            if h.model
                .coef
                .iter()
                .chain(&h.model.intercept)
                .any(|v| !v.is_finite())
            {
                return Err(err(format!(
                    "head {:?} has a weight that is not finite",
                    h.name
                )));
            }
            let (d, k) = (h.model.n_features, h.model.n_classes());
            if d != tfidf.n_features()
                || h.model.coef.len() != d.saturating_mul(k)
                || h.model.intercept.len() != k
                || k == 0
            {
                return Err(err(format!(
                    "head {:?} does not fit the feature space ({d} features, {k} classes)",
                    h.name
                )));
            }
        }
        Ok(Classifier {
            tokenizer,
            tfidf,
            heads: body.heads,
            training: body.training,
        })
    }

    pub fn load(path: &Path) -> Result<Self> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| Error::io(path, e))?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// The model compiled into the binary.
    pub fn embedded() -> Result<Self> {
        Self::from_bytes(EMBEDDED, "(embedded default)")
    }
}

/// The format version on a model file's first line, and the bytes after that line.
fn split_header(bytes: &[u8]) -> std::result::Result<(u32, &[u8]), String> {
    if bytes.is_empty() {
        return Err("empty file, not a stance model".into());
    }
    let nl = bytes.iter().position(|&b| b == b'\n').filter(|&i| i < 64);
    let first = nl.and_then(|i| std::str::from_utf8(&bytes[..i]).ok());
    match (nl, first.and_then(|l| l.strip_prefix(MAGIC))) {
        (Some(nl), Some(v)) => v
            .trim()
            .parse::<u32>()
            .map(|version| (version, &bytes[nl + 1..]))
            .map_err(|_| format!("bad format version {:?}", v.trim())),
        _ => Err("not a stance model file (no `stance-model` first line)".into()),
    }
}

/// The body of format version 2, as it was written: the same as version 3 without
/// `TfidfParams::char_min_df`, `LogisticParams::nb` and the grid points' `min_df` and `nb`
/// (serde reads fields in order, so these structs are frozen copies). It converts into
/// version 3's body ([`v3::Body`]), which converts into the current one.
pub mod v2 {
    use serde::{Deserialize, Serialize};

    use crate::features::{FittedTfidf as Fitted3, TfidfParams as Params3};
    use crate::model::{ClassWeight, LogisticParams as Logistic3, Solver};

    #[derive(Serialize, Deserialize)]
    pub struct TfidfParams {
        pub ngram_max: usize,
        pub min_df: usize,
        pub max_features: usize,
        pub sublinear_tf: bool,
        pub word_ngrams: usize,
        pub char_ngrams: Option<(usize, usize)>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct FittedTfidf {
        pub params: TfidfParams,
        pub keys: Vec<u64>,
        pub idf: Vec<f32>,
        pub names: Vec<String>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct LogisticParams {
        pub alpha: f64,
        pub max_iterations: u64,
        pub tolerance: f64,
        pub solver: Solver,
        pub class_weight: ClassWeight,
    }

    #[derive(Serialize, Deserialize)]
    pub struct GridPoint {
        pub alpha: f64,
        pub word_ngrams: usize,
        pub char_ngrams: Option<(usize, usize)>,
        pub macro_f1: Vec<f64>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct TrainingInfo {
        pub data: String,
        pub rows: usize,
        pub tfidf: TfidfParams,
        pub logistic: LogisticParams,
        pub speaker_context: bool,
        pub grid: Vec<GridPoint>,
        pub crate_version: String,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Body {
        pub tokenizer: String,
        pub tfidf: FittedTfidf,
        pub heads: Vec<super::Head>,
        pub training: TrainingInfo,
    }

    impl From<TfidfParams> for Params3 {
        fn from(p: TfidfParams) -> Self {
            Params3 {
                ngram_max: p.ngram_max,
                min_df: p.min_df,
                max_features: p.max_features,
                sublinear_tf: p.sublinear_tf,
                word_ngrams: p.word_ngrams,
                char_ngrams: p.char_ngrams,
                char_min_df: None,
            }
        }
    }

    impl From<LogisticParams> for Logistic3 {
        fn from(p: LogisticParams) -> Self {
            Logistic3 {
                alpha: p.alpha,
                max_iterations: p.max_iterations,
                tolerance: p.tolerance,
                solver: p.solver,
                class_weight: p.class_weight,
                nb: 0.0,
            }
        }
    }

    impl From<Body> for super::v3::Body {
        fn from(b: Body) -> Self {
            let mut tfidf = Fitted3::new(b.tfidf.params.into(), b.tfidf.keys, b.tfidf.idf);
            tfidf.names = b.tfidf.names.into();
            let t = b.training;
            let min_df = t.tfidf.min_df;
            super::v3::Body {
                tokenizer: b.tokenizer,
                tfidf,
                heads: b.heads,
                training: super::v3::TrainingInfo {
                    data: t.data,
                    rows: t.rows,
                    tfidf: t.tfidf.into(),
                    logistic: t.logistic.into(),
                    speaker_context: t.speaker_context,
                    grid: t
                        .grid
                        .into_iter()
                        .map(|g| super::GridPoint {
                            alpha: g.alpha,
                            // version 2 grids searched min_df 2 only, at the model's
                            min_df,
                            word_ngrams: g.word_ngrams,
                            char_ngrams: g.char_ngrams,
                            nb: 0.0,
                            macro_f1: g.macro_f1,
                        })
                        .collect(),
                    crate_version: t.crate_version,
                },
            }
        }
    }
}

/// The body of format version 3 (and, as JSON, version 1), as it was written: the same
/// as version 4 with a speaker-context flag where version 4 has a [`Reading`].
pub mod v3 {
    use serde::{Deserialize, Serialize};

    use super::{GridPoint, Head, Reading};
    use crate::features::{FittedTfidf, TfidfParams};
    use crate::model::LogisticParams;

    #[derive(Serialize, Deserialize)]
    pub struct TrainingInfo {
        pub data: String,
        pub rows: usize,
        pub tfidf: TfidfParams,
        pub logistic: LogisticParams,
        #[serde(default)]
        pub speaker_context: bool,
        #[serde(default)]
        pub grid: Vec<GridPoint>,
        pub crate_version: String,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Body {
        pub tokenizer: String,
        pub tfidf: FittedTfidf,
        pub heads: Vec<Head>,
        pub training: TrainingInfo,
    }

    impl From<Body> for super::Body {
        fn from(b: Body) -> Self {
            let t = b.training;
            super::Body {
                tokenizer: b.tokenizer,
                tfidf: b.tfidf,
                heads: b.heads,
                training: super::TrainingInfo {
                    data: t.data,
                    rows: t.rows,
                    tfidf: t.tfidf,
                    logistic: t.logistic,
                    reading: Reading {
                        affiliation: t.speaker_context,
                        ..Reading::WORDS
                    },
                    grid: t.grid,
                    crate_version: t.crate_version,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::SubwordKind;

    fn tiny() -> Classifier {
        let texts = [
            "la paix est proche",
            "la guerre continue",
            "la paix revient",
            "la guerre reprend",
        ];
        let tok =
            SubwordTokenizer::train(SubwordKind::Bpe, 100, texts.iter().cycle().take(40)).unwrap();
        let classes = Classes::from_names(vec!["guerre".into(), "paix".into()]);
        let y = vec![1, 0, 1, 0];
        let t = Target {
            name: "label".into(),
            classes,
            y,
        };
        let tf = TfidfParams {
            min_df: 1,
            ..Default::default()
        };
        Classifier::train(
            tok,
            &texts,
            vec![t],
            tf,
            LogisticParams {
                alpha: 0.1,
                ..Default::default()
            },
            "test",
        )
        .unwrap()
    }

    #[test]
    fn round_trip_and_prediction() {
        let c = tiny();
        let p = c.predict(&["la paix"]);
        assert!(p[0][0][1] > 0.5, "{p:?}");
        let back = Classifier::from_bytes(&c.to_bytes().unwrap(), "mem").unwrap();
        assert_eq!(back.predict(&["la paix"]), p);
    }

    #[test]
    fn unknown_versions_and_garbage_are_refused() {
        let c = tiny();
        let mut bytes = c.to_bytes().unwrap();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                b"stance-model 5\n".to_vec(),
                "format version 5 is not supported",
            ),
            (
                b"stance-model 1\n".to_vec(),
                "format version 1 is not supported (this build reads versions 2 to 4); convert it",
            ),
            (b"hello\n".to_vec(), "not a stance model file"),
            (b"stance-model 2\n1234".to_vec(), "corrupt body: too short"),
            (
                b"stance-model 2\n12345678 not a body".to_vec(),
                "corrupt body: checksum mismatch",
            ),
            (Vec::new(), "empty file, not a stance model"),
        ];
        for (input, want) in cases {
            let e = Classifier::from_bytes(&input, "m.stance")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want) && e.contains("m.stance"), "{e}");
        }
        // a damaged byte anywhere is caught by the checksum
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(Classifier::from_bytes(&bytes, "m").is_err());
        bytes.truncate(bytes.len() / 2);
        assert!(Classifier::from_bytes(&bytes, "m").is_err());
        // a body that passes the checksum but is not a model
        let junk = b"not a model body";
        let mut forged = b"stance-model 2\n".to_vec();
        forged.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(junk).to_le_bytes());
        forged.extend_from_slice(junk);
        let e = Classifier::from_bytes(&forged, "m")
            .unwrap_err()
            .to_string();
        assert!(e.contains("corrupt body"), "{e}");
    }

    /// A version-2 file (the body before the character min_df and NB scaling) reads as
    /// the same classifier with those settings off.
    #[test]
    fn version_2_files_still_read() {
        let c = tiny();
        let t = &c.training;
        let params = || v2::TfidfParams {
            ngram_max: t.tfidf.ngram_max,
            min_df: t.tfidf.min_df,
            max_features: t.tfidf.max_features,
            sublinear_tf: t.tfidf.sublinear_tf,
            word_ngrams: t.tfidf.word_ngrams,
            char_ngrams: t.tfidf.char_ngrams,
        };
        let old = v2::Body {
            tokenizer: c.tokenizer.to_json().unwrap(),
            tfidf: v2::FittedTfidf {
                params: params(),
                keys: c.tfidf.keys.clone(),
                idf: c.tfidf.idf.clone(),
                names: c.tfidf.names.iter().map(String::from).collect(),
            },
            heads: c.heads.clone(),
            training: v2::TrainingInfo {
                data: t.data.clone(),
                rows: t.rows,
                tfidf: params(),
                logistic: v2::LogisticParams {
                    alpha: t.logistic.alpha,
                    max_iterations: t.logistic.max_iterations,
                    tolerance: t.logistic.tolerance,
                    solver: t.logistic.solver,
                    class_weight: t.logistic.class_weight,
                },
                speaker_context: t.reading.affiliation,
                grid: vec![v2::GridPoint {
                    alpha: 0.3,
                    word_ngrams: 2,
                    char_ngrams: Some((2, 5)),
                    macro_f1: vec![0.5],
                }],
                crate_version: t.crate_version.clone(),
            },
        };
        let encoded = postcard::to_allocvec(&old).unwrap();
        let mut bytes = b"stance-model 2\n".to_vec();
        bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&encoded).to_le_bytes());
        bytes.extend_from_slice(&encoded);
        let back = Classifier::from_bytes(&bytes, "v2").unwrap();
        // version 2 had one min_df for every family
        let v2_params = TfidfParams {
            char_min_df: None,
            ..c.tfidf.params
        };
        assert_eq!(back.tfidf.params, v2_params);
        assert_eq!(
            (&back.tfidf.keys, &back.tfidf.idf, &back.tfidf.names),
            (&c.tfidf.keys, &c.tfidf.idf, &c.tfidf.names)
        );
        assert_eq!(back.training.tfidf, v2_params);
        assert_eq!(back.training.logistic, c.training.logistic);
        assert_eq!(back.training.grid[0].min_df, c.training.tfidf.min_df);
        assert_eq!(back.training.grid[0].nb, 0.0);
        assert_eq!(back.predict(&["la paix"]), c.predict(&["la paix"]));
        // and it is written back as the current version
        assert!(back.to_bytes().unwrap().starts_with(b"stance-model 4\n"));
    }

    /// The body of `c` as format version 3 wrote it, with its speaker-context flag.
    fn v3_body(c: &Classifier, speaker_context: bool) -> v3::Body {
        let t = &c.training;
        v3::Body {
            tokenizer: c.tokenizer.to_json().unwrap(),
            tfidf: c.tfidf.clone(),
            heads: c.heads.clone(),
            training: v3::TrainingInfo {
                data: t.data.clone(),
                rows: t.rows,
                tfidf: t.tfidf,
                logistic: t.logistic,
                speaker_context,
                grid: t.grid.clone(),
                crate_version: t.crate_version.clone(),
            },
        }
    }

    /// A version-3 file reads as the same classifier, its speaker-context flag as a
    /// reading with the affiliation and no words around.
    #[test]
    fn version_3_files_still_read() {
        let c = tiny();
        for flag in [false, true] {
            let encoded = postcard::to_allocvec(&v3_body(&c, flag)).unwrap();
            let mut bytes = b"stance-model 3\n".to_vec();
            bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&encoded).to_le_bytes());
            bytes.extend_from_slice(&encoded);
            let back = Classifier::from_bytes(&bytes, "v3").unwrap();
            let want = Reading {
                affiliation: flag,
                ..Reading::WORDS
            };
            assert_eq!(back.training.reading, want);
            assert_eq!(back.tfidf, c.tfidf);
            assert_eq!(back.predict(&["la paix"]), c.predict(&["la paix"]));
        }
    }

    /// How a statement is read, by setting: (affiliation, before, after) → text read.
    #[test]
    fn reading_table() {
        let sentence = (
            "Le 2 octobre, Bakou a dénoncé «",
            "», a déclaré   le ministre.",
        );
        let cases: &[(bool, usize, usize, &str)] = &[
            (false, 0, 0, "une agression"),
            (true, 0, 0, "⟦azerbaijan⟧ une agression"),
            (false, 3, 2, "a dénoncé « ‖ une agression ‖ », a"),
            (true, 1, 0, "⟦azerbaijan⟧ « ‖ une agression ‖"),
            (
                true,
                20,
                20,
                "⟦azerbaijan⟧ Le 2 octobre, Bakou a dénoncé « ‖ une agression ‖ », a déclaré le ministre.",
            ),
        ];
        for &(affiliation, words_before, words_after, want) in cases {
            let r = Reading {
                affiliation,
                words_before,
                words_after,
            };
            assert_eq!(r.read("une agression", Some("azerbaijan"), sentence), want);
        }
        let r = Reading {
            affiliation: true,
            ..Reading::WORDS
        };
        assert_eq!(r.read("x", None, ("", "")), "⟦none⟧ x");
    }

    /// A version-1 file (gzip-compressed JSON) converts to the same classifier.
    #[test]
    fn version_1_files_convert_losslessly() {
        let c = tiny();
        let body = v3_body(&c, false);
        let mut v1 = b"stance-model 1\n".to_vec();
        let mut gz = flate2::write::GzEncoder::new(&mut v1, flate2::Compression::default());
        serde_json::to_writer(&mut gz, &body).unwrap();
        gz.finish().unwrap();
        assert!(Classifier::from_bytes(&v1, "old").is_err());
        let back = Classifier::from_v1_bytes(&v1, "old").unwrap();
        // the weights survive JSON exactly (the fit report's f64 loss may lose a last bit
        // to serde_json's float parsing: it is not used to predict)
        assert_eq!(back.tfidf, c.tfidf);
        for (b, h) in back.heads.iter().zip(&c.heads) {
            assert_eq!(b.model, h.model);
        }
        assert_eq!(back.predict(&["la paix"]), c.predict(&["la paix"]));
        // and the converted file reads back as the same classifier
        let again = Classifier::from_bytes(&back.to_bytes().unwrap(), "new").unwrap();
        assert_eq!(again.to_bytes().unwrap(), back.to_bytes().unwrap());
    }
}
