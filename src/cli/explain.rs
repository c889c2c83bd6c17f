//! `stance explain`: the heaviest features of each class of each head of a model.

use std::path::PathBuf;
use std::process::ExitCode;

use super::load_model;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model file [default: the embedded model].
    #[arg(short, long)]
    model: Option<PathBuf>,
    /// Features listed per class.
    #[arg(short = 'k', long, default_value_t = 15)]
    top: usize,
    /// Only this head (e.g. `stance`).
    #[arg(long)]
    head: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let model = load_model(a.model.as_deref())?;
    let heads: Vec<_> = model
        .heads
        .iter()
        .filter(|h| a.head.as_ref().is_none_or(|n| &h.name == n))
        .collect();
    if heads.is_empty() {
        let names: Vec<&str> = model.heads.iter().map(|h| h.name.as_str()).collect();
        anyhow::bail!(
            "the model has no head {:?} (it has {})",
            a.head.unwrap_or_default(),
            names.join(", ")
        );
    }
    for h in heads {
        println!("# {}", h.name);
        for (class, top) in model.top_features(h, a.top) {
            let list: Vec<String> = top.iter().map(|(f, w)| format!("{f} ({w:+.2})")).collect();
            println!("{class}: {}", list.join(", "));
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
