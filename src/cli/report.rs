//! `stance report`: pictures and an HTML page from `classify`'s summary table and,
//! optionally, `evaluate`'s JSON reports.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stance::report::{self, ImageFormat};

use super::Output;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Image {
    Svg,
    Png,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Example:
  stance classify dispatches/ --out-dir out/
  stance evaluate training-data -o out/evaluation.json
  stance report out/ --evaluation out/evaluation.json
writes out/report/{stance-by-actor,stance-over-time,confusion-stance,confusion-sentiment}.svg
and out/report/report.html, a page with the pictures inlined and the tables.")]
pub struct Args {
    /// A folder written by `classify --out-dir` (its `summary.csv` or `summary.jsonl`),
    /// or a summary table.
    input: PathBuf,
    /// A JSON report of `stance evaluate -o`: one confusion matrix per head (repeatable).
    #[arg(long, value_name = "JSON")]
    evaluation: Vec<PathBuf>,
    /// Picture format.
    #[arg(long, value_enum, default_value = "svg")]
    image_format: Image,
    /// Actors drawn in the charts (those with the most statements).
    #[arg(long, default_value_t = 12)]
    top: usize,
    /// Output folder [default: `report/` inside INPUT's folder].
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let format = match a.image_format {
        Image::Svg => ImageFormat::Svg,
        Image::Png => ImageFormat::Png,
    };
    let summary = if a.input.is_dir() {
        ["summary.csv", "summary.jsonl"]
            .iter()
            .map(|f| a.input.join(f))
            .find(|p| p.exists())
            .with_context(|| {
                format!(
                    "{} has no summary.csv or summary.jsonl (write one with `stance classify --out-dir`)",
                    a.input.display()
                )
            })?
    } else {
        a.input.clone()
    };
    let rows = report::read_summary(&summary)?;
    let out = a.output.clone().unwrap_or_else(|| {
        summary
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("report")
    });
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;

    let mut charts = vec![
        report::stance_by_actor(&rows, a.top, format)?,
        report::stance_over_time(&rows, a.top.min(8), format)?,
    ];
    for e in &a.evaluation {
        for (head, m) in report::read_evaluation(e)? {
            charts.push(report::confusion(&head, &m, format)?);
        }
    }
    let title = format!("Stance report: {}", summary.display());
    let page = report::html(&title, &charts, &rows);
    let mut written = Vec::new();
    for c in &charts {
        let p = out.join(format!("{}.{}", c.name, c.format.extension()));
        write(&p, &c.bytes)?;
        written.push(p);
    }
    let p = out.join("report.html");
    write(&p, page.as_bytes())?;
    written.push(p);
    for p in written {
        println!("{}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &PathBuf, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut o = Output::open(Some(path))?;
    o.write_all(bytes)?;
    o.commit()
}
