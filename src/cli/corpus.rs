//! `stance corpus`: check a gold corpus folder and print its statistics; optionally
//! write its statements as a model reads them.

use std::path::PathBuf;
use std::process::ExitCode;

use stance::corpus::{Corpus, Split};

use super::load_gazetteer;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus folder (`statements.csv`, `splits.csv`, `dispatches/`).
    #[arg(default_value = "training-data")]
    pub root: PathBuf,
    /// Actor gazetteer (TOML) [default: the shipped Nagorno-Karabakh gazetteer].
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Also write the statements of `--split` as a model with these reading options reads
    /// them, affiliations from `--gazetteer` (CSV: dispatch_id, stance, sentiment, text),
    /// e.g. to train other tools on the same texts (`bench/`).
    #[arg(long, value_name = "FILE")]
    pub texts: Option<PathBuf>,
    /// The split `--texts` writes [default: all].
    #[arg(long, requires = "texts")]
    pub split: Option<Split>,
    #[command(flatten)]
    pub reading: super::ReadingArgs,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let corpus = Corpus::open(&a.root)?;
    let g = load_gazetteer(a.gazetteer.as_ref())?;
    if let Some(path) = &a.texts {
        let set = corpus.labelled(a.split)?;
        let texts = super::texts_in_context(&set, a.reading.reading(true), &g);
        let mut w = csv::Writer::from_writer(super::Output::open(Some(path))?);
        w.write_record(["dispatch_id", "stance", "sentiment", "text"])?;
        for (i, t) in texts.iter().enumerate() {
            w.write_record([&set.groups[i], &set.labels[0][i], &set.labels[1][i], t])?;
        }
        w.into_inner().map_err(|e| e.into_error())?.commit()?;
        eprintln!("wrote {} statement(s) to {}", texts.len(), path.display());
    }
    print!("{}", corpus.stats());
    let problems = corpus.problems(&g);
    for p in &problems {
        eprintln!("{}: {p}", a.root.display());
    }
    if problems.is_empty() {
        println!("no problems");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} problem(s)", problems.len());
        Ok(ExitCode::from(1))
    }
}
