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

/// The texts of a labelled set as a model with this `reading` reads them
/// ([`stance::corpus::LabelledSet::read_texts`]), with a warning when the set (a CSV) has
/// no speakers or dispatches to read them with.
fn texts_in_context(
    set: &stance::corpus::LabelledSet,
    reading: stance::classifier::Reading,
    g: &Gazetteer,
) -> Vec<String> {
    if reading != stance::classifier::Reading::WORDS && !set.has_context() {
        eprintln!(
            "warning: the model reads each statement with its speaker's affiliation or the \
             words around it, and {} has neither: every statement is read as an unknown \
             speaker's, with nothing around it",
            set.origin
        );
    }
    set.read_texts(reading, g)
}

/// How statements of a corpus folder are read (`stance train`, `stance corpus --texts`).
#[derive(Debug, clap::Args)]
pub struct ReadingArgs {
    /// Read statements by their words alone. By default a model trained on a corpus
    /// folder reads each statement with its speaker's affiliation from the gazetteer in
    /// front (`⟦armenia⟧ …`) and the words around it, and classifying then does the same:
    /// on the test split the affiliation took stance macro-F1 from 0.685 to 0.812, the
    /// words around to 0.821 (README, *Speaker context*). A CSV has no speakers and is
    /// always read by its words.
    #[arg(long)]
    pub words_only: bool,
    /// Words of the statement's sentence read with it from a corpus folder, before and
    /// after it (`BEFORE,AFTER`; `0,0` for none): the reporting verb and the speaker
    /// (`Bakou a dénoncé «…»`, `«…», a déclaré M. Pompeo`). Classifying reads them from
    /// the dispatch the same way. 6,3 had the best mean macro-F1 of 0,0 to 10,5 in 5-fold
    /// cross-validation on the train split (README, *Speaker context*).
    #[arg(long, value_name = "BEFORE,AFTER", default_value = "6,3", value_parser = parse_pair)]
    pub words_around: (usize, usize),
    /// Without the speaker's affiliation in front (a corpus folder only).
    #[arg(long)]
    pub no_affiliation: bool,
}

impl ReadingArgs {
    /// The reading these options ask for: a CSV (`corpus` false) is always read by its
    /// words.
    pub fn reading(&self, corpus: bool) -> stance::classifier::Reading {
        use stance::classifier::Reading;
        if self.words_only || !corpus {
            return Reading::WORDS;
        }
        Reading {
            affiliation: !self.no_affiliation,
            words_before: self.words_around.0,
            words_after: self.words_around.1,
        }
    }
}

/// `8,4` → `(8, 4)`.
fn parse_pair(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("{s:?}: expected BEFORE,AFTER (e.g. 8,4)"))?;
    let n = |v: &str| v.trim().parse::<usize>().map_err(|e| format!("{s:?}: {e}"));
    Ok((n(a)?, n(b)?))
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
