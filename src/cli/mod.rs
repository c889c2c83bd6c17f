//! Command-line types (clap derive: the `///` comments are the `--help` text) and one
//! file per subcommand, each calling the library.

mod classify;
mod corpus;
mod evaluate;
mod explain;
mod report;
mod tokenizer;
mod train;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use stance::actor::Gazetteer;
use stance::classifier::Classifier;

/// Who said what in French news dispatches, and which side they take.
///
/// Reads dispatches, extracts quoted statements and their speakers, and classifies each
/// statement's stance (neutral, pro-armenia, pro-azerbaijan, ceasefire) and sentiment
/// with a logistic model over subword TF-IDF features.
#[derive(Debug, Parser)]
#[command(name = "stance", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a model on labelled statements (the gold corpus, or any text/label CSV).
    Train(train::Args),
    /// Extract and classify the statements of dispatches; write them as CSV.
    Classify(classify::Args),
    /// Score a model on labelled data: accuracy, macro-F1, per class, confusion matrix.
    Evaluate(evaluate::Args),
    /// List the heaviest features of each class of a model (its top weights).
    Explain(explain::Args),
    /// Draw charts (SVG or PNG) and an HTML page from `classify`'s summary table and
    /// `evaluate`'s reports.
    Report(report::Args),
    /// Train the subword tokenizer on French text.
    Tokenizer(tokenizer::Args),
    /// Check a gold corpus (spans, labels, actors, splits) and print its statistics.
    Corpus(corpus::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Train(a) => train::run(a),
        Command::Classify(a) => classify::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Report(a) => report::run(a),
        Command::Tokenizer(a) => tokenizer::run(a),
        Command::Corpus(a) => corpus::run(a),
    }
}

/// The model at `path`, or the one compiled into the binary.
fn load_model(path: Option<&Path>) -> anyhow::Result<Classifier> {
    match path {
        Some(p) => Classifier::load(p).with_context(|| "loading the model"),
        None => Classifier::embedded().context("loading the embedded default model"),
    }
}

fn load_gazetteer(path: Option<&PathBuf>) -> anyhow::Result<Gazetteer> {
    match path {
        Some(p) => Ok(Gazetteer::from_path(p)?),
        None => Ok(Gazetteer::default_karabakh()),
    }
}

/// Where a command writes: a file written under a temporary name and renamed into place
/// by [`Output::commit`], so that a failed run never leaves a truncated file; or
/// standard output for `-` / none. Write errors name the file.
pub struct Output {
    inner: std::io::BufWriter<Box<dyn std::io::Write>>,
    /// (temporary, final) paths for a file.
    paths: Option<(PathBuf, PathBuf)>,
}

impl Output {
    pub fn open(path: Option<&PathBuf>) -> anyhow::Result<Self> {
        match path {
            Some(p) if p.as_os_str() != "-" => {
                let mut tmp = p.clone().into_os_string();
                tmp.push(".partial");
                let tmp = PathBuf::from(tmp);
                let f = std::fs::File::create(&tmp)
                    .with_context(|| format!("creating {}", tmp.display()))?;
                Ok(Output {
                    inner: std::io::BufWriter::new(Box::new(f)),
                    paths: Some((tmp, p.clone())),
                })
            }
            _ => Ok(Output {
                inner: std::io::BufWriter::new(Box::new(std::io::stdout().lock())),
                paths: None,
            }),
        }
    }

    fn name(&self) -> String {
        self.paths
            .as_ref()
            .map_or("standard output".into(), |(_, p)| p.display().to_string())
    }

    /// Flushes and moves the file into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        use std::io::Write;
        self.flush()?;
        if let Some((tmp, path)) = &self.paths {
            std::fs::rename(tmp, path)
                .with_context(|| format!("moving {} into place", path.display()))?;
        }
        Ok(())
    }
}

impl std::io::Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let name = self.name();
        self.inner
            .write(buf)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{name}: {e}")))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let name = self.name();
        self.inner
            .flush()
            .map_err(|e| std::io::Error::new(e.kind(), format!("{name}: {e}")))
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // not committed: remove the partial file
        if let Some((tmp, _)) = &self.paths {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// The texts of a labelled set as a model reads them: with each speaker's affiliation in
/// front when `speaker_context`. A CSV has no speakers: its statements are then read as
/// an unknown speaker's, with a warning.
fn texts_in_context(
    set: &stance::corpus::LabelledSet,
    speaker_context: bool,
) -> anyhow::Result<Vec<String>> {
    use stance::classifier::with_affiliation;
    if !speaker_context {
        return Ok(set.texts.clone());
    }
    if set.speakers.len() != set.texts.len() {
        eprintln!(
            "warning: the model reads each statement with its speaker's affiliation, and {} \
             has no speakers: every statement is read as an unknown speaker's",
            set.origin
        );
        return Ok(set
            .texts
            .iter()
            .map(|t| with_affiliation(t, None))
            .collect());
    }
    let g = Gazetteer::default_karabakh();
    Ok(set
        .texts
        .iter()
        .zip(&set.speakers)
        .map(|(t, s)| with_affiliation(t, g.find(s).map(|a| g.actor(a).affiliation.as_str())))
        .collect())
}

/// Labelled input: the gold corpus folder (with its split) or a CSV file.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// A CSV file with a text and label columns, or a gold corpus folder
    /// (`statements.csv`, `splits.csv`, `dispatches/`).
    pub input: PathBuf,
    /// Column holding the text (CSV input).
    #[arg(long, default_value = "text")]
    pub text_column: String,
    /// Column(s) holding labels, one model head each [default: `stance` and
    /// `sentiment` for a corpus folder, `label` for a CSV].
    #[arg(long = "label-column")]
    pub label_columns: Vec<String>,
    /// Column grouping rows (kept on one side of a cross-validation fold).
    #[arg(long, default_value = "dispatch_id")]
    pub group_column: String,
}

impl DataArgs {
    /// Reads the rows of a CSV, or of `split` of a corpus folder.
    fn read(&self, split: stance::corpus::Split) -> anyhow::Result<stance::corpus::LabelledSet> {
        if self.input.is_dir() {
            let corpus = stance::corpus::Corpus::open(&self.input)?;
            let mut set = corpus.labelled(Some(split))?;
            if !self.label_columns.is_empty() {
                let keep: Vec<usize> = self
                    .label_columns
                    .iter()
                    .map(|c| set.label_columns.iter().position(|s| s == c).with_context(|| format!("the corpus has no label column {c:?} (it has stance, sentiment)")))
                    .collect::<anyhow::Result<_>>()?;
                set.labels = keep.iter().map(|&i| set.labels[i].clone()).collect();
                set.label_columns = self.label_columns.clone();
            }
            Ok(set)
        } else {
            let cols = if self.label_columns.is_empty() {
                vec!["label".to_string()]
            } else {
                self.label_columns.clone()
            };
            let (set, skipped) = stance::corpus::read_csv(
                &self.input,
                &self.text_column,
                &cols,
                Some(&self.group_column),
            )?;
            if skipped > 0 {
                eprintln!(
                    "{}: skipped {skipped} row(s) with an empty text",
                    self.input.display()
                );
            }
            Ok(set)
        }
    }
}
