//! `stance classify`: dispatches in; statements, actors and summary tables out.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use stance::batch::{self, InputFormat, Jobs};
use stance::output::{ActorWriter, Format, StatementWriter, write_summary};
use stance::predict::{Summary, abstain, dispatch_actors};

use super::{Output, load_gazetteer, load_model};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum InFormat {
    /// One dispatch a file, as sent by the wires (folders: every `.txt` inside).
    Text,
    /// One `{"id", "date", "text"}` object a line (folders: every `.jsonl` inside).
    Jsonl,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  stance classify dispatches/ --out-dir out/        statements, actors, summary as CSV
  stance classify a.txt b.txt                       statements CSV on standard output
  cat day.jsonl | stance classify - --input-format jsonl --format jsonl --quiet
                                                    a streaming mapper (Spark pipe, Hadoop)

Inputs must be UTF-8 (a BOM is fine); a Latin-1 file is refused with the line and the
byte, and an `iconv` hint. An input that cannot be read is named on standard error and
skipped; the run goes on and exits with 1. Files are written under a temporary name and
renamed when complete, so an error or Ctrl-C never leaves a half-written table.")]
pub struct Args {
    /// Dispatch files, folders (searched recursively) or `-` for standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// How the inputs hold dispatches.
    #[arg(long, value_enum, default_value = "text")]
    input_format: InFormat,
    /// Table format.
    #[arg(long, value_enum, default_value = "csv")]
    format: OutFormat,
    /// Write `statements`, `actors` and `summary` tables into this folder (created if
    /// needed).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Statements table [default: standard output, unless --out-dir is given].
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Each actor's aggregated stance per dispatch, to this file.
    #[arg(long, value_name = "FILE")]
    actors: Option<PathBuf>,
    /// Statements per actor and month by stance, to this file.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// Model file [default: the embedded model].
    #[arg(short, long)]
    model: Option<PathBuf>,
    /// Actor gazetteer (TOML) [default: the shipped Nagorno-Karabakh gazetteer].
    #[arg(long)]
    gazetteer: Option<PathBuf>,
    /// Label a prediction `uncertain` when its top probability is under this (0–1); an
    /// uncertain stance does not count in the actors and summary tables.
    #[arg(long, value_name = "P")]
    abstain: Option<f32>,
    /// Dispatches classified together in parallel (memory grows with it).
    #[arg(long, default_value_t = batch::CHUNK as u64, value_parser = clap::value_parser!(u64).range(1..))]
    chunk: u64,
    /// No progress bar and no final count.
    #[arg(short, long)]
    quiet: bool,
}

/// The three tables' destinations.
struct Targets {
    statements: Option<PathBuf>,
    actors: Option<PathBuf>,
    summary: Option<PathBuf>,
}

fn targets(a: &Args, format: Format) -> anyhow::Result<Targets> {
    let in_dir = |name: &str| {
        a.out_dir
            .as_ref()
            .map(|d| d.join(format!("{name}.{}", format.extension())))
    };
    if let Some(d) = &a.out_dir {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    Ok(Targets {
        statements: a.output.clone().or_else(|| in_dir("statements")),
        actors: a.actors.clone().or_else(|| in_dir("actors")),
        summary: a.summary.clone().or_else(|| in_dir("summary")),
    })
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let format = match a.format {
        OutFormat::Csv => Format::Csv,
        OutFormat::Jsonl => Format::Jsonl,
    };
    let input_format = match a.input_format {
        InFormat::Text => InputFormat::Text,
        InFormat::Jsonl => InputFormat::Jsonl,
    };
    if let Some(t) = a.abstain {
        anyhow::ensure!(
            (0.0..=1.0).contains(&t),
            "--abstain takes a probability from 0 to 1, not {t}"
        );
    }
    if streams(&a.inputs) {
        small_pages_only();
    }
    // start-up is most of a one-dispatch run: the model loads on one thread and the
    // gazetteer's automaton is built on another while the extractor's patterns compile
    // on this one and a fourth (the patterns do not depend on the gazetteer); one text
    // file of ordinary size is itself the warm-up (a larger one is not extracted twice)
    let one_file = match (&a.inputs[..], input_format) {
        ([p], InputFormat::Text)
            if p.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= 1 << 18) =>
        {
            Some(batch::Job::File(p.clone()))
        }
        _ => None,
    };
    let (model, gazetteer) = std::thread::scope(|s| {
        let model = s.spawn(|| {
            let model = load_model(a.model.as_deref());
            stance::tokenize::warm_up();
            model
        });
        let gazetteer = s.spawn(|| load_gazetteer(a.gazetteer.as_ref()));
        s.spawn(stance::statement::reported::compile_patterns);
        let gazetteer = match one_file.as_ref().and_then(|j| batch::load(j).ok()) {
            // one dispatch: warmed by extracting it (with the real gazetteer, built
            // meanwhile), which compiles only the patterns it needs, and leaves their
            // DFA states on this thread, where it is then classified
            Some(d) => {
                let g = gazetteer.join().expect("gazetteer loading does not panic");
                if let Ok(g) = &g {
                    stance::statement::extract_statements(&d, g);
                }
                g
            }
            None => {
                stance::statement::warm_up();
                gazetteer.join().expect("gazetteer loading does not panic")
            }
        };
        (
            model.join().expect("model loading does not panic"),
            gazetteer,
        )
    });
    let (model, gazetteer) = (model?, gazetteer?);
    let has_stance = model.head("stance").is_some();
    let t = targets(&a, format)?;
    if !has_stance && (a.actors.is_some() || a.summary.is_some()) {
        anyhow::bail!("the model has no `stance` head: actors and summary need one");
    }
    let files = batch::expand(&a.inputs, input_format)?;
    let known_total = matches!(input_format, InputFormat::Text).then_some(files.len() as u64);

    let mut statements =
        StatementWriter::new(Output::open(t.statements.as_ref())?, format, &model)?;
    let mut actors = match (&t.actors, has_stance) {
        (Some(p), true) => Some(ActorWriter::new(Output::open(Some(p))?, format, &model)?),
        _ => None,
    };
    let mut summary = (t.summary.is_some() && has_stance).then(Summary::default);

    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        // a second Ctrl-C kills at once; the temporary files are then left behind
        let _ = ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::Relaxed) {
                std::process::exit(130);
            }
        });
    }
    let bar = progress(a.quiet, known_total);
    let (mut read, mut failed, mut n_statements) = (0usize, 0usize, 0usize);
    let result = batch::run(
        Jobs::new(files, input_format),
        &model,
        &gazetteer,
        a.chunk as usize,
        &interrupted,
        |outcome| {
            bar.inc(1);
            match outcome {
                Ok((d, mut rows)) => {
                    if let Some(t) = a.abstain {
                        abstain(&mut rows, t);
                    }
                    read += 1;
                    n_statements += rows.len();
                    statements.write(&d, &rows, &gazetteer, &model)?;
                    if let Some(w) = actors.as_mut() {
                        w.write(&d, &dispatch_actors(&rows, &gazetteer, &model))?;
                    }
                    if let Some(s) = summary.as_mut() {
                        s.add(&d, &rows, &gazetteer, &model);
                    }
                }
                Err(e) => {
                    failed += 1;
                    bar.suspend(|| eprintln!("error: {e}; skipped"));
                }
            }
            Ok(())
        },
    );
    bar.finish_and_clear();
    if let Err(stance::Error::Interrupted) = result {
        eprintln!("interrupted: no table written");
        return Ok(ExitCode::from(130));
    }
    result?;
    if read == 0 && failed > 0 {
        eprintln!("error: none of the {failed} input(s) could be read: no table written");
        return Ok(ExitCode::from(1));
    }
    statements.into_inner()?.commit()?;
    if let Some(w) = actors {
        w.into_inner()?.commit()?;
    }
    if let (Some(s), Some(p)) = (summary, &t.summary) {
        write_summary(Output::open(Some(p))?, format, &s)?.commit()?;
    }
    if !a.quiet {
        eprintln!(
            "{n_statements} statement(s) from {read} dispatch(es){}",
            if failed > 0 {
                format!("; {failed} input(s) failed (named above)")
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

/// Inputs from this size on are streamed with small pages only ([`small_pages_only`]).
const STREAMING_BYTES: u64 = 1 << 20;

/// Whether the inputs are many chunks' worth: standard input, a folder, or files of
/// [`STREAMING_BYTES`] or more in all.
fn streams(inputs: &[PathBuf]) -> bool {
    let mut bytes = 0;
    for p in inputs {
        if p.as_os_str() == "-" || p.is_dir() {
            return true;
        }
        bytes += std::fs::metadata(p).map_or(0, |m| m.len());
    }
    bytes >= STREAMING_BYTES
}

/// Maps this process's memory in 4 KiB pages from now on, never in 2 MiB transparent
/// huge pages. mimalloc asks for huge pages on its arenas, and spreads its threads over
/// them: with huge pages, each thread's scattered small pages pin whole 2 MiB pages, so
/// that peak memory was 78-108 MB after start-up alone and crept up as `classify`
/// streamed (10 MB of input: 104 MB, 1 GB: 124 MB); with small pages it stays at about
/// 53 MB from 10 MB to 300 MB. Huge pages are kept for small inputs: start-up takes
/// about 8 ms longer without them (more page faults).
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how this process
    // is paged; on a kernel without it the call fails and nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A bar when the count is known, a spinner otherwise; hidden with `--quiet` or when
/// standard error is not a terminal.
fn progress(quiet: bool, total: Option<u64>) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(n) => (
            indicatif::ProgressBar::new(n),
            "{bar:40} {pos}/{len} dispatches {elapsed} (eta {eta})",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} {pos} dispatches {elapsed} ({per_sec})",
        ),
    };
    bar.set_style(indicatif::ProgressStyle::with_template(template).expect("valid template"));
    bar
}
