//! `stance evaluate`: score a model on labelled rows, print and write the report.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stance::corpus::Split;
use stance::eval::{Metrics, score};
use stance::model::argmax;

use super::{DataArgs, load_model};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Split of a corpus folder to score on.
    #[arg(long, value_enum, default_value = "test")]
    pub split: Split,
    /// Model file [default: the embedded model].
    #[arg(short, long)]
    pub model: Option<PathBuf>,
    /// Also write the report as JSON here.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also write each scored row to this CSV: its line in the input, its group (the
    /// dispatch), and for each head the gold label, the predicted one and the model's
    /// probability for it (`HEAD`, `HEAD_predicted`, `HEAD_probability`), for error
    /// analysis or paired comparisons with another system.
    #[arg(long, conflicts_with = "extraction")]
    pub predictions: Option<PathBuf>,
    /// Score statement extraction and speaker attribution instead of a model: quote
    /// precision, recall and F1 at 30 % and 80 % span overlap, and speaker accuracy,
    /// direct and indirect apart (INPUT must be a corpus folder).
    #[arg(long)]
    pub extraction: bool,
    /// With --extraction: write each missed, spurious or misattributed statement (at 30 %
    /// overlap) to this CSV.
    #[arg(long, requires = "extraction")]
    pub errors: Option<PathBuf>,
    /// With --extraction: actor gazetteer (TOML) [default: the embedded Karabakh one].
    #[arg(long, requires = "extraction")]
    pub gazetteer: Option<PathBuf>,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    data: String,
    model: String,
    /// Metrics by head name.
    heads: std::collections::BTreeMap<&'a str, Metrics>,
    /// Expected calibration error and reliability table by head name.
    calibration: std::collections::BTreeMap<&'a str, stance::eval::calibration::Calibration>,
}

pub fn run(mut a: Args) -> anyhow::Result<ExitCode> {
    if a.extraction {
        return extraction(&a);
    }
    let model = load_model(a.model.as_deref())?;
    if a.data.label_columns.is_empty() && !a.data.input.is_dir() {
        // score every head whose name is a column of the CSV, else `label`
        let headers = csv::Reader::from_path(&a.data.input)
            .and_then(|mut r| r.headers().cloned())
            .with_context(|| format!("reading {}", a.data.input.display()))?;
        a.data.label_columns = model
            .heads
            .iter()
            .filter(|h| headers.iter().any(|c| c == h.name))
            .map(|h| h.name.clone())
            .collect();
    }
    let set = a.data.read(a.split)?;
    let in_context = super::texts_in_context(
        &set,
        model.training.reading,
        &stance::actor::Gazetteer::default_karabakh(),
    );
    let texts: Vec<&str> = in_context.iter().map(String::as_str).collect();
    let probs = model.predict(&texts);
    let mut heads = std::collections::BTreeMap::new();
    let mut calibration = std::collections::BTreeMap::new();
    let mut rows: Vec<HeadRows> = Vec::new();
    for (col, labels) in set.label_columns.iter().zip(&set.labels) {
        let (h, head) = match model.heads.iter().position(|h| &h.name == col) {
            Some(i) => (i, &model.heads[i]),
            None if model.heads.len() == 1 => (0, &model.heads[0]),
            None => anyhow::bail!(
                "the model has no head {col:?} (it has {})",
                model
                    .heads
                    .iter()
                    .map(|h| h.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let classes = &head.model.classes;
        let gold = labels
            .iter()
            .zip(&set.lines)
            .map(|(l, line)| {
                classes
                    .parse(l)
                    .with_context(|| format!("{}:{line}", set.origin))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let pred: Vec<usize> = probs[h].iter().map(|p| argmax(p)).collect();
        if a.predictions.is_some() {
            rows.push(HeadRows {
                name: &head.name,
                gold: labels,
                predicted: pred
                    .iter()
                    .zip(&probs[h])
                    .map(|(&c, p)| (classes.name(c), p[c]))
                    .collect(),
            });
        }
        let m = score(classes, &gold, &pred);
        let cal = stance::eval::calibration::calibration(&probs[h], &gold, 10);
        println!(
            "head {:?} on {}:\n{m}calibration (temperature {:.3}):\n{cal}",
            head.name, set.origin, head.model.temperature
        );
        heads.insert(head.name.as_str(), m);
        calibration.insert(head.name.as_str(), cal);
    }
    if let Some(path) = &a.predictions {
        write_predictions(path, &set, &rows)?;
    }
    if let Some(out) = &a.output {
        let report = Report {
            data: set.origin.clone(),
            model: a
                .model
                .as_ref()
                .map_or("(embedded default)".into(), |p| p.display().to_string()),
            heads,
            calibration,
        };
        std::fs::write(out, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// One head's labels of every scored row, for `--predictions`.
struct HeadRows<'a> {
    name: &'a str,
    gold: &'a [String],
    /// The predicted class of each row and the model's probability for it.
    predicted: Vec<(&'a str, f32)>,
}

/// `stance evaluate --predictions`: one CSV row per scored row, heads side by side.
fn write_predictions(
    path: &PathBuf,
    set: &stance::corpus::LabelledSet,
    heads: &[HeadRows],
) -> anyhow::Result<()> {
    let mut out = super::Output::open(Some(path))?;
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let mut header = vec!["line".to_string(), "group".to_string()];
        for h in heads {
            let name = h.name;
            header.extend([
                name.to_string(),
                format!("{name}_predicted"),
                format!("{name}_probability"),
            ]);
        }
        w.write_record(&header)?;
        for (i, (line, group)) in set.lines.iter().zip(&set.groups).enumerate() {
            let mut record = vec![line.to_string(), group.clone()];
            for h in heads {
                let (label, p) = h.predicted[i];
                record.extend([h.gold[i].clone(), label.to_string(), format!("{p:.4}")]);
            }
            w.write_record(&record)?;
        }
        w.flush()?;
    }
    out.commit()?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// `stance evaluate --extraction`: the extractor against a corpus's gold statements.
fn extraction(a: &Args) -> anyhow::Result<ExitCode> {
    use stance::eval::extraction::{ExtractionReport, THRESHOLDS, extract_split, misses};
    anyhow::ensure!(
        a.data.input.is_dir(),
        "{}: --extraction needs a corpus folder (statements.csv, splits.csv, dispatches/)",
        a.data.input.display()
    );
    let corpus = stance::corpus::Corpus::open(&a.data.input)?;
    let g = super::load_gazetteer(a.gazetteer.as_ref())?;
    let (dispatches, elapsed) = extract_split(&corpus, &g, Some(a.split))?;
    let report = ExtractionReport::new(&dispatches, elapsed);
    println!(
        "statement extraction on {} ({:?} split):\n{report}",
        a.data.input.display(),
        a.split
    );
    if let Some(path) = &a.errors {
        let mut out = super::Output::open(Some(path))?;
        {
            let mut w = csv::Writer::from_writer(&mut out);
            for m in misses(&dispatches, THRESHOLDS[0]) {
                w.serialize(m)?;
            }
            w.flush()?;
        }
        out.commit()?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(out) = &a.output {
        std::fs::write(out, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
