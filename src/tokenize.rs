//! Stage 4: tokens — a French subword tokenizer (Hugging Face `tokenizers`).
//!
//! The only module that imports `tokenizers`. Text is NFC-normalised and lower-cased,
//! split on whitespace and punctuation, then cut into subwords by a BPE, WordPiece or
//! Unigram model trained on French text. Downstream stages see token ids only.

use std::io::BufRead;
use std::path::Path;

use tokenizers::Model;
use tokenizers::models::bpe::{BPE, BpeTrainerBuilder};
use tokenizers::models::unigram::{Unigram, UnigramTrainerBuilder};
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainerBuilder};
use tokenizers::models::{ModelWrapper, TrainerWrapper};
use tokenizers::normalizers::{Lowercase, NFC, Sequence};
use tokenizers::pre_tokenizers::whitespace::Whitespace;
use tokenizers::{
    AddedToken, DecoderWrapper, NormalizerWrapper, PostProcessorWrapper, PreTokenizerWrapper,
    TokenizerImpl,
};

use crate::error::{Error, Result};

/// The subword model family.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SubwordKind {
    Bpe,
    Wordpiece,
    Unigram,
}

const UNK: &str = "[UNK]";

/// A trained subword tokenizer.
#[derive(Clone)]
pub struct SubwordTokenizer {
    /// The `tokenizers` pipeline; read from `json` on first use when the fast path was
    /// recognised in the JSON itself (parsing it takes several milliseconds of start-up,
    /// most of it `tokenizers` buffering the model's JSON twice before reading it).
    inner: std::sync::OnceLock<Option<tokenizers::Tokenizer>>,
    json: Option<std::sync::Arc<str>>,
    /// Set when the tokenizer is the shipped kind of pipeline, which [`FastWordPiece`]
    /// encodes without building an `Encoding`.
    fast: Option<FastWordPiece>,
}

impl std::fmt::Debug for SubwordTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SubwordTokenizer(vocab {})", self.vocab_size())
    }
}

type Impl = TokenizerImpl<
    ModelWrapper,
    NormalizerWrapper,
    PreTokenizerWrapper,
    PostProcessorWrapper,
    DecoderWrapper,
>;

/// The tokenizer shipped in `models/tokenizer.json` (see the README for how it was chosen).
pub static EMBEDDED: &str = include_str!("../models/tokenizer.json");

impl SubwordTokenizer {
    /// The shipped French tokenizer.
    pub fn embedded() -> Result<Self> {
        Self::from_json(EMBEDDED)
    }

    /// Trains a tokenizer on the given lines of text.
    pub fn train<I, S>(kind: SubwordKind, vocab_size: usize, lines: I) -> Result<Self>
    where
        I: Iterator<Item = S> + Send,
        S: AsRef<str> + Send,
    {
        let unk = vec![AddedToken::from(UNK, true)];
        let (model, mut trainer): (ModelWrapper, TrainerWrapper) = match kind {
            SubwordKind::Bpe => (
                BPE::builder()
                    .unk_token(UNK.into())
                    .build()
                    .map_err(|e| Error::Tokenizer(e.to_string()))?
                    .into(),
                BpeTrainerBuilder::new()
                    .vocab_size(vocab_size)
                    .min_frequency(2)
                    .show_progress(false)
                    .special_tokens(unk)
                    .build()
                    .into(),
            ),
            SubwordKind::Wordpiece => (
                WordPiece::builder()
                    .unk_token(UNK.into())
                    .build()
                    .map_err(|e| Error::Tokenizer(e.to_string()))?
                    .into(),
                WordPieceTrainerBuilder::new()
                    .vocab_size(vocab_size)
                    .min_frequency(2)
                    .show_progress(false)
                    .special_tokens(unk)
                    .build()
                    .into(),
            ),
            SubwordKind::Unigram => (
                Unigram::default().into(),
                UnigramTrainerBuilder::default()
                    .vocab_size(vocab_size as u32)
                    .unk_token(Some(UNK.into()))
                    .special_tokens(unk)
                    .show_progress(false)
                    .build()
                    .map_err(|e| Error::Tokenizer(e.to_string()))?
                    .into(),
            ),
        };
        let mut t: Impl = TokenizerImpl::new(model);
        t.with_normalizer(Some(NormalizerWrapper::from(Sequence::new(vec![
            NFC.into(),
            Lowercase.into(),
        ]))));
        t.with_pre_tokenizer(Some(PreTokenizerWrapper::from(Whitespace {})));
        t.train(&mut trainer, lines)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(SubwordTokenizer::new(t.into()))
    }

    pub fn from_json(json: &str) -> Result<Self> {
        if let Some(fast) = FastWordPiece::of_json(json) {
            return Ok(SubwordTokenizer {
                inner: std::sync::OnceLock::new(),
                json: Some(json.into()),
                fast: Some(fast),
            });
        }
        let inner: tokenizers::Tokenizer =
            json.parse()
                .map_err(|e: Box<dyn std::error::Error + Send + Sync>| {
                    Error::Tokenizer(e.to_string())
                })?;
        Ok(SubwordTokenizer::new(inner))
    }

    fn new(inner: tokenizers::Tokenizer) -> Self {
        let fast = FastWordPiece::of(&inner);
        SubwordTokenizer {
            inner: Some(inner).into(),
            json: None,
            fast,
        }
    }

    /// The `tokenizers` pipeline (`None` only when JSON the fast path read is not one
    /// `tokenizers` reads: every use then degrades as a failed encoding does).
    fn inner(&self) -> Option<&tokenizers::Tokenizer> {
        self.inner
            .get_or_init(|| self.json.as_deref().and_then(|j| j.parse().ok()))
            .as_ref()
    }

    pub fn from_path(path: &Path) -> Result<Self> {
        let json = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_json(&json).map_err(|e| Error::data(path, None, e.to_string()))
    }

    pub fn to_json(&self) -> Result<String> {
        self.inner()
            .ok_or_else(|| Error::Tokenizer("the tokenizer JSON does not parse".into()))?
            .to_string(false)
            .map_err(|e| Error::Tokenizer(e.to_string()))
    }

    /// The fast path's tables stand for `tokenizers` until it is parsed.
    fn unparsed(&self) -> Option<&FastWordPiece> {
        self.fast.as_ref().filter(|_| self.inner.get().is_none())
    }

    pub fn vocab_size(&self) -> usize {
        match self.unparsed() {
            Some(f) => f.tokens.len(),
            None => self.inner().map_or(0, |t| t.get_vocab_size(true)),
        }
    }

    /// The subword string of a token id (`?` for an id outside the vocabulary).
    pub fn token(&self, id: u32) -> String {
        let token = match self.unparsed() {
            Some(f) => f.tokens.get(id as usize).map(|t| t.to_string()),
            None => self.inner().and_then(|t| t.id_to_token(id)),
        };
        token.unwrap_or_else(|| "?".into())
    }

    /// Token ids of one text.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        if let Some(ids) = self.fast.as_ref().and_then(|f| f.encode(text)) {
            return ids;
        }
        self.encode_slow(text)
    }

    /// [`SubwordTokenizer::encode`] through `tokenizers` whatever the pipeline.
    fn encode_slow(&self, text: &str) -> Vec<u32> {
        // encoding without special tokens cannot fail on a plain string
        self.inner()
            .and_then(|t| t.encode(text, false).ok())
            .map(|e| e.get_ids().to_vec())
            .unwrap_or_default()
    }

    /// The subword strings of one text (for inspection).
    pub fn pieces(&self, text: &str) -> Vec<String> {
        self.inner()
            .and_then(|t| t.encode(text, false).ok())
            .map(|e| e.get_tokens().to_vec())
            .unwrap_or_default()
    }

    /// Token ids of many texts, in parallel; encodings are dropped as soon as read.
    pub fn encode_batch(&self, texts: &[&str]) -> Vec<Vec<u32>> {
        use rayon::prelude::*;
        texts
            .par_iter()
            .with_min_len(crate::classifier::PAR_MIN_ROWS)
            .map(|t| self.encode(t))
            .collect()
    }
}

/// The shipped tokenizer's pipeline, encoded directly: NFC, lower case (character by
/// character), `Whitespace` pre-tokenization (`\w+|[^\w\s]+`, with the same `regex`
/// crate), greedy longest-match WordPiece. `tokenizers` builds an `Encoding` for each
/// text (a `String` per token, offsets, alignments of the normalised text) when only the
/// ids are read; this gives the same ids, and hands a text back to `tokenizers` when it
/// is not already NFC or holds an added token.
#[derive(Debug, Clone)]
struct FastWordPiece {
    /// Added tokens (`[UNK]`), matched by `tokenizers` on the raw text before anything.
    added: Vec<String>,
    unk: u32,
    prefix: String,
    max_chars: usize,
    /// The WordPiece vocabulary, and (read from JSON only) each id's token: every id is
    /// one token's, and added tokens are vocabulary entries with the same id.
    vocab: rustc_hash::FxHashMap<Box<str>, u32>,
    tokens: Vec<Box<str>>,
}

/// What [`FastWordPiece::of_json`] reads of a `tokenizers` JSON file.
#[derive(serde::Deserialize)]
struct PipelineJson {
    added_tokens: Vec<AddedJson>,
    normalizer: serde_json::Value,
    pre_tokenizer: serde_json::Value,
    post_processor: serde_json::Value,
    truncation: serde_json::Value,
    padding: serde_json::Value,
    model: WordPieceJson,
}

#[derive(serde::Deserialize)]
struct AddedJson {
    id: u32,
    content: String,
    normalized: bool,
}

#[derive(serde::Deserialize)]
struct WordPieceJson {
    #[serde(rename = "type")]
    kind: String,
    unk_token: String,
    continuing_subword_prefix: String,
    max_input_chars_per_word: usize,
    vocab: rustc_hash::FxHashMap<Box<str>, u32>,
}

/// The shipped pipeline's normalizer and pre-tokenizer, as `tokenizers` writes them.
fn our_pipeline(normalizer: &serde_json::Value, pre_tokenizer: &serde_json::Value) -> bool {
    *normalizer
        == serde_json::json!({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]})
        && *pre_tokenizer == serde_json::json!({"type": "Whitespace"})
}

/// Each id's token, when the ids are exactly `0..vocab.len()`.
fn tokens_by_id(vocab: &rustc_hash::FxHashMap<Box<str>, u32>) -> Option<Vec<Box<str>>> {
    let mut tokens: Vec<Option<Box<str>>> = vec![None; vocab.len()];
    for (t, &id) in vocab {
        let slot = tokens.get_mut(id as usize)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(t.clone());
    }
    tokens.into_iter().collect()
}

/// `tokenizers`' `Whitespace` pre-tokenizer's pattern.
static WORDS: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\w+|[^\w\s]+").expect("valid pattern"));

/// Compiles the pre-tokenizer's pattern now, so that start-up can build it beside the
/// rest rather than in the first statement's encoding.
pub fn warm_up() {
    std::sync::LazyLock::force(&WORDS);
}

impl FastWordPiece {
    /// The fast path of a tokenizer's JSON, read without `tokenizers`, when its pipeline
    /// is written exactly as `tokenizers` writes the one encoded here, every added token
    /// is a vocabulary entry of the same id, and the ids are `0..n`: then [`Self::of`] the
    /// parsed tokenizer is the same, and `tokenizers` can wait until it is needed.
    fn of_json(json: &str) -> Option<Self> {
        let p: PipelineJson = serde_json::from_str(json).ok()?;
        let m = p.model;
        let plain = our_pipeline(&p.normalizer, &p.pre_tokenizer)
            && p.post_processor.is_null()
            && p.truncation.is_null()
            && p.padding.is_null()
            && m.kind == "WordPiece";
        let added_in_vocab = p.added_tokens.iter().all(|a| {
            !a.normalized && !a.content.is_empty() && m.vocab.get(a.content.as_str()) == Some(&a.id)
        });
        if !plain || !added_in_vocab {
            return None;
        }
        Some(FastWordPiece {
            added: p.added_tokens.into_iter().map(|a| a.content).collect(),
            unk: *m.vocab.get(m.unk_token.as_str())?,
            prefix: m.continuing_subword_prefix,
            max_chars: m.max_input_chars_per_word,
            tokens: tokens_by_id(&m.vocab)?,
            vocab: m.vocab,
        })
    }

    /// The fast path of a tokenizer when its pipeline is exactly the one encoded here.
    fn of(t: &tokenizers::Tokenizer) -> Option<Self> {
        let ModelWrapper::WordPiece(wp) = t.get_model() else {
            return None;
        };
        let normalizer = serde_json::to_value(t.get_normalizer()?).ok()?;
        let pre_tokenizer = serde_json::to_value(t.get_pre_tokenizer()?).ok()?;
        let pipeline_is_ours = our_pipeline(&normalizer, &pre_tokenizer)
            && t.get_post_processor().is_none()
            && t.get_truncation().is_none()
            && t.get_padding().is_none();
        // added tokens matched on the normalised text would need the normalisation first
        let added = t.get_added_tokens_decoder();
        if !pipeline_is_ours || added.values().any(|a| a.normalized || a.content.is_empty()) {
            return None;
        }
        Some(FastWordPiece {
            added: added.into_values().map(|a| a.content).collect(),
            unk: wp.token_to_id(&wp.unk_token)?,
            prefix: wp.continuing_subword_prefix.clone(),
            max_chars: wp.max_input_chars_per_word,
            vocab: wp
                .get_vocab()
                .into_iter()
                .map(|(t, id)| (t.into(), id))
                .collect(),
            // ids are spelled by the parsed tokenizer
            tokens: Vec::new(),
        })
    }

    /// The ids of `text`, or `None` when `tokenizers` must encode it.
    fn encode(&self, text: &str) -> Option<Vec<u32>> {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        if is_nfc_quick(text.chars()) != IsNormalized::Yes
            || self.added.iter().any(|a| text.contains(a.as_str()))
        {
            return None;
        }
        let lower: String = text.chars().flat_map(char::to_lowercase).collect();
        let mut ids = Vec::with_capacity(lower.len() / 3);
        let mut piece = String::new();
        for w in WORDS.find_iter(&lower) {
            self.word(w.as_str(), &mut piece, &mut ids);
        }
        Some(ids)
    }

    /// WordPiece on one pre-token, as `tokenizers` does it: the longest vocabulary entry
    /// from the start (then from each next position, with the continuing prefix); one
    /// unknown token for the whole word when a position has none, or when the word is
    /// longer than `max_chars` characters.
    fn word(&self, w: &str, piece: &mut String, ids: &mut Vec<u32>) {
        let first = ids.len();
        if w.chars().nth(self.max_chars).is_some() {
            ids.push(self.unk);
            return;
        }
        let mut start = 0;
        while start < w.len() {
            let mut end = w.len();
            let id = loop {
                let id = if start == 0 {
                    self.vocab.get(&w[..end]).copied()
                } else {
                    piece.clear();
                    piece.push_str(&self.prefix);
                    piece.push_str(&w[start..end]);
                    self.vocab.get(piece.as_str()).copied()
                };
                if id.is_some() {
                    break id;
                }
                end -= w[start..end].chars().next_back().map_or(1, char::len_utf8);
                if end <= start {
                    break None;
                }
            };
            let Some(id) = id else {
                ids.truncate(first);
                ids.push(self.unk);
                return;
            };
            ids.push(id);
            start = end;
        }
    }
}

/// Lines of a text corpus, plain or gzip (by extension), for tokenizer training; a line
/// that is not UTF-8, or a truncated gzip stream, is an error naming the file and line.
pub fn corpus_lines(path: &Path) -> Result<Vec<String>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn BufRead + Send> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            f,
        )))
    } else {
        Box::new(std::io::BufReader::new(f))
    };
    reader
        .lines()
        .enumerate()
        .map(|(i, l)| l.map_err(|e| Error::data(path, Some(i as u64 + 1), e.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Vec<String> {
        let base = [
            "Le cessez-le-feu a été violé dans la nuit.",
            "Les combats ont repris au Nagorny Karabakh.",
            "L'Arménie et l'Azerbaïdjan s'accusent mutuellement.",
            "Le ministre appelle à la retenue et au dialogue.",
        ];
        base.iter()
            .cycle()
            .take(200)
            .map(|s| s.to_string())
            .collect()
    }

    /// The fast path gives the ids `tokenizers` gives, on the gold statements, on
    /// hand-picked hard cases and on random strings of awkward characters.
    #[test]
    fn fast_path_gives_the_ids_of_tokenizers() {
        let t = SubwordTokenizer::embedded().unwrap();
        assert!(t.fast.is_some());
        let mut texts: Vec<String> = [
            "",
            "Le cessez-le-feu, a-t-il dit, « n'est pas respecté » !",
            "ΣΊΣΥΦΟΣ ΟΔΟΣ İstanbul ẞ STRASSE ﬁn",
            "e\u{301}te\u{301} decomposed, then NFC",
            "[UNK] inside [UNK]x",
            "tab\tnbsp\u{a0}narrow\u{202f}end\n",
            "émoji 😀 日本語 ١٢٣ ½ x²",
        ]
        .map(String::from)
        .into();
        texts.push("a".repeat(100));
        texts.push("é".repeat(101));
        texts.push(format!("{} {}", "ab".repeat(60), "Arménie".repeat(20)));
        let gold = concat!(env!("CARGO_MANIFEST_DIR"), "/training-data/statements.csv");
        texts.extend(
            std::fs::read_to_string(gold)
                .unwrap()
                .lines()
                .map(String::from),
        );
        let pool: Vec<char> =
            "aZéÉèÀçŒœ'’«» -–—…,.;:!?09_#[]Σσςİıßẞﬁ\u{301}\u{323}\t\n\u{a0}\u{202f}日😀"
                .chars()
                .collect();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let len = next(40);
            texts.push((0..len).map(|_| pool[next(pool.len())]).collect());
        }
        for text in &texts {
            assert_eq!(t.encode(text), t.encode_slow(text), "{text:?}");
        }
    }

    /// Read from JSON, the shipped tokenizer waits to be parsed, and its fast path's
    /// tables spell, count and write what the parsed tokenizer does.
    #[test]
    fn json_read_tokenizer_is_the_parsed_one() {
        let lazy = SubwordTokenizer::embedded().unwrap();
        let parsed = SubwordTokenizer::new(EMBEDDED.parse().unwrap());
        assert!(lazy.inner.get().is_none());
        assert_eq!(lazy.vocab_size(), parsed.vocab_size());
        for id in 0..parsed.vocab_size() as u32 + 3 {
            assert_eq!(lazy.token(id), parsed.token(id), "{id}");
        }
        let text = "Le cessez-le-feu, « n'est pas respecté » [UNK] !";
        assert_eq!(lazy.encode(text), parsed.encode(text));
        assert!(lazy.inner.get().is_some(), "[UNK] goes through tokenizers");
        assert_eq!(lazy.to_json().unwrap(), parsed.to_json().unwrap());
    }

    #[test]
    fn each_kind_trains_and_round_trips() {
        for kind in [
            SubwordKind::Bpe,
            SubwordKind::Wordpiece,
            SubwordKind::Unigram,
        ] {
            let t = SubwordTokenizer::train(kind, 200, corpus().into_iter()).unwrap();
            let ids = t.encode("Le cessez-le-feu a repris");
            assert!(!ids.is_empty(), "{kind:?}");
            assert_eq!(t.fast.is_some(), kind == SubwordKind::Wordpiece, "{kind:?}");
            for text in corpus()
                .iter()
                .chain(["Cessez-le-feu ÉTÉ Zzyzx"].map(String::from).iter())
            {
                assert_eq!(t.encode(text), t.encode_slow(text), "{kind:?} {text:?}");
            }
            let back = SubwordTokenizer::from_json(&t.to_json().unwrap()).unwrap();
            assert_eq!(back.encode("Le cessez-le-feu a repris"), ids, "{kind:?}");
            // lower-cased and NFC: the same ids whatever the case
            assert_eq!(
                t.encode("LE CESSEZ-LE-FEU"),
                t.encode("le cessez-le-feu"),
                "{kind:?}"
            );
        }
    }
}
