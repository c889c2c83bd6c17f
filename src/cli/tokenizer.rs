//! `stance tokenizer`: train the subword tokenizer.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use stance::tokenize::{SubwordKind, SubwordTokenizer, corpus_lines};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text files, one sentence or paragraph a line (`.gz` read as gzip).
    #[arg(required = true)]
    pub corpus: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "unigram")]
    pub kind: SubwordKind,
    /// Vocabulary size (a ceiling).
    #[arg(long, default_value_t = 16000)]
    pub vocab_size: usize,
    /// Read at most this many lines from each file.
    #[arg(long)]
    pub max_lines: Option<usize>,
    /// Where to write the tokenizer JSON.
    #[arg(short, long, default_value = "tokenizer.json")]
    pub output: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let mut lines: Vec<String> = Vec::new();
    for p in &a.corpus {
        let mut more = corpus_lines(p)?;
        more.truncate(a.max_lines.unwrap_or(usize::MAX));
        lines.extend(more);
    }
    eprintln!(
        "training a {:?} tokenizer ({} words max) on {} lines",
        a.kind,
        a.vocab_size,
        lines.len()
    );
    let t = SubwordTokenizer::train(a.kind, a.vocab_size, lines.iter())?;
    std::fs::write(&a.output, t.to_json()?)
        .with_context(|| format!("writing {}", a.output.display()))?;
    println!(
        "vocabulary {} in {:.1} s; wrote {}",
        t.vocab_size(),
        t0.elapsed().as_secs_f64(),
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
