//! Stage 4: tokens — a French subword tokenizer (Hugging Face `tokenizers`).
//!
//! The only module that imports `tokenizers`. Text is NFC-normalised and lower-cased,
//! split on whitespace and punctuation, then cut into subwords by a BPE, WordPiece or
//! Unigram model trained on French text. Downstream stages see token ids only.

use std::io::BufRead;
use std::path::Path;

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
    inner: tokenizers::Tokenizer,
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
        Ok(SubwordTokenizer { inner: t.into() })
    }

    pub fn from_json(json: &str) -> Result<Self> {
        let inner: tokenizers::Tokenizer =
            json.parse()
                .map_err(|e: Box<dyn std::error::Error + Send + Sync>| {
                    Error::Tokenizer(e.to_string())
                })?;
        Ok(SubwordTokenizer { inner })
    }

    pub fn from_path(path: &Path) -> Result<Self> {
        let json = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_json(&json).map_err(|e| Error::data(path, None, e.to_string()))
    }

    pub fn to_json(&self) -> Result<String> {
        self.inner
            .to_string(false)
            .map_err(|e| Error::Tokenizer(e.to_string()))
    }

    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// The subword string of a token id (`?` for an id outside the vocabulary).
    pub fn token(&self, id: u32) -> String {
        self.inner.id_to_token(id).unwrap_or_else(|| "?".into())
    }

    /// Token ids of one text.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        // encoding without special tokens cannot fail on a plain string
        self.inner
            .encode(text, false)
            .map(|e| e.get_ids().to_vec())
            .unwrap_or_default()
    }

    /// The subword strings of one text (for inspection).
    pub fn pieces(&self, text: &str) -> Vec<String> {
        self.inner
            .encode(text, false)
            .map(|e| e.get_tokens().to_vec())
            .unwrap_or_default()
    }

    /// Token ids of many texts, in parallel; encodings are dropped as soon as read.
    pub fn encode_batch(&self, texts: &[&str]) -> Vec<Vec<u32>> {
        use rayon::prelude::*;
        texts.par_iter().map(|t| self.encode(t)).collect()
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
