//! `stance corpus`: check a gold corpus folder and print its statistics.

use std::path::PathBuf;
use std::process::ExitCode;

use stance::corpus::Corpus;

use super::load_gazetteer;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus folder (`statements.csv`, `splits.csv`, `dispatches/`).
    #[arg(default_value = "training-data")]
    pub root: PathBuf,
    /// Actor gazetteer (TOML) [default: the shipped Nagorno-Karabakh gazetteer].
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let corpus = Corpus::open(&a.root)?;
    print!("{}", corpus.stats());
    let problems = corpus.problems(&load_gazetteer(a.gazetteer.as_ref())?);
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
