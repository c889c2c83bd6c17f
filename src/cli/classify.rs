//! `stance classify`: dispatches in, statements CSV out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use stance::dispatch::{Dispatch, parse_path, parse_reader};
use stance::label::Stance;
use stance::output::{ActorWriter, StatementWriter};
use stance::predict::{StanceVote, actor_stances, classify_statements};
use stance::statement::extract_statements;

use super::{Output, load_gazetteer, load_model};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Dispatch files, folders (every `.txt` inside, recursively) or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Model file [default: the embedded model].
    #[arg(short, long)]
    pub model: Option<PathBuf>,
    /// Actor gazetteer (TOML) [default: the shipped Nagorno-Karabakh gazetteer].
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Statements CSV [default: standard output].
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also write each actor's stance per dispatch to this CSV.
    #[arg(long)]
    pub actors: Option<PathBuf>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

enum Source {
    File(PathBuf),
    Stdin,
}

fn collect(inputs: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files).with_context(|| format!("reading folder {}", p.display()))?;
            files.sort();
            out.extend(files.into_iter().map(Source::File));
        } else {
            out.push(Source::File(p.clone()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, files)?;
        } else if p.extension().is_some_and(|x| x == "txt") {
            files.push(p);
        }
    }
    Ok(())
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let model = load_model(a.model.as_deref())?;
    let gazetteer = load_gazetteer(a.gazetteer.as_ref())?;
    let sources = collect(&a.inputs)?;
    let mut writer = StatementWriter::new(Output::open(a.output.as_ref())?, &model)?;
    let mut actors = match &a.actors {
        Some(p) => Some(ActorWriter::new(Output::open(Some(p))?)?),
        None => None,
    };
    let stance_head = model.heads.iter().position(|h| h.name == "stance");
    let bar = if a.quiet || sources.len() < 2 {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(sources.len() as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} dispatches {elapsed}")
            .unwrap(),
    );
    let (mut failed, mut statements) = (0usize, 0usize);
    for chunk in sources.chunks(256) {
        let parsed: Vec<Result<Dispatch, stance::Error>> = chunk
            .par_iter()
            .map(|s| match s {
                Source::File(p) => parse_path(p),
                Source::Stdin => parse_reader("stdin", std::io::stdin().lock()),
            })
            .collect();
        let extracted: Vec<(Dispatch, Vec<_>)> = parsed
            .into_iter()
            .filter_map(|r| match r {
                Ok(d) => Some(d),
                Err(e) => {
                    bar.suspend(|| eprintln!("skipped: {e}"));
                    failed += 1;
                    None
                }
            })
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|d| {
                let s = extract_statements(&d, &gazetteer);
                (d, s)
            })
            .collect();
        for (d, s) in extracted {
            let rows = classify_statements(s, &model);
            statements += rows.len();
            writer.write(&d, &rows, &gazetteer)?;
            if let (Some(w), Some(h)) = (actors.as_mut(), stance_head) {
                let classes = &model.heads[h].model.classes;
                let votes: Vec<StanceVote> = rows
                    .iter()
                    .filter_map(|r| {
                        let p = &r.predictions[h];
                        Some(StanceVote {
                            speaker: r.statement.speaker_id(&gazetteer).to_string(),
                            stance: classes.name(p.class).parse::<Stance>().ok()?,
                            probability: p.probs[p.class],
                        })
                    })
                    .collect();
                w.write(&d, &actor_stances(&votes))?;
            }
            bar.inc(1);
        }
    }
    writer.into_inner()?.commit()?;
    if let Some(w) = actors {
        w.into_inner()?.commit()?;
    }
    bar.finish_and_clear();
    if !a.quiet {
        eprintln!(
            "{} statement(s) from {} dispatch(es){}",
            statements,
            sources.len() - failed,
            if failed > 0 {
                format!(", {failed} skipped")
            } else {
                String::new()
            }
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
