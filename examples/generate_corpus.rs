//! A large corpus for scale runs, made by recombining the paragraphs of the project's own
//! dispatches (`training-data/dispatches/`): each generated dispatch takes a date header
//! from one dispatch and 3 to 8 paragraphs drawn from any. Seeded: the same arguments
//! give the same bytes.
//!
//!     cargo run --release --example generate_corpus -- --bytes 100M --format jsonl -o big.jsonl
//!     cargo run --release --example generate_corpus -- --dispatches 5000 --format text -o big/
//!
//! `--bytes` takes K, M or G suffixes (powers of 1,000); text output writes one file a
//! dispatch into the folder, JSON Lines one `{"id", "date", "text"}` a line.
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(clap::Parser)]
struct Args {
    /// Stop after this many dispatches.
    #[arg(long)]
    dispatches: Option<u64>,
    /// Stop once this many bytes are written (e.g. 10M, 1G).
    #[arg(long, value_parser = parse_size)]
    bytes: Option<u64>,
    #[arg(long, default_value = "jsonl")]
    format: String,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Output file (jsonl) or folder (text).
    #[arg(short, long)]
    output: PathBuf,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let (n, m) = match s.chars().last() {
        Some('K' | 'k') => (&s[..s.len() - 1], 1_000),
        Some('M' | 'm') => (&s[..s.len() - 1], 1_000_000),
        Some('G' | 'g') => (&s[..s.len() - 1], 1_000_000_000),
        _ => (s, 1),
    };
    n.parse::<u64>()
        .map(|n| n * m)
        .map_err(|e| format!("{s:?}: {e}"))
}

fn main() -> anyhow::Result<()> {
    let a = <Args as clap::Parser>::parse();
    anyhow::ensure!(
        a.dispatches.is_some() || a.bytes.is_some(),
        "give --dispatches or --bytes"
    );
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("training-data/dispatches");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    let mut dates = Vec::new();
    let mut paragraphs = Vec::new();
    for f in &files {
        let d = stance::dispatch::parse_path(f)?;
        if let Some(date) = d.date {
            dates.push(date.to_string());
        }
        paragraphs.extend(d.paragraphs.iter().map(|p| d.body[p.clone()].to_string()));
    }
    let mut rng = StdRng::seed_from_u64(a.seed);
    let jsonl = match a.format.as_str() {
        "jsonl" => true,
        "text" => false,
        other => anyhow::bail!("--format is jsonl or text, not {other:?}"),
    };
    let mut out = if jsonl {
        Some(std::io::BufWriter::new(
            std::fs::File::create(&a.output).with_context(|| a.output.display().to_string())?,
        ))
    } else {
        std::fs::create_dir_all(&a.output)?;
        None
    };
    let (mut n, mut bytes) = (0u64, 0u64);
    while a.dispatches.is_none_or(|m| n < m) && a.bytes.is_none_or(|m| bytes < m) {
        let date = &dates[rng.random_range(0..dates.len())];
        let k = rng.random_range(3..=8);
        let body: Vec<&str> = (0..k)
            .map(|_| paragraphs[rng.random_range(0..paragraphs.len())].as_str())
            .collect();
        let text = format!(" date {date} {}\n", body.join("\n\n"));
        let id = format!("gen-{n:08}");
        let record = if jsonl {
            serde_json::json!({"id": id, "date": date, "text": text}).to_string() + "\n"
        } else {
            text
        };
        bytes += record.len() as u64;
        match &mut out {
            Some(w) => w.write_all(record.as_bytes())?,
            None => {
                // a hundred files a folder
                let sub = a.output.join(format!("{:06}", n / 100));
                std::fs::create_dir_all(&sub)?;
                std::fs::write(sub.join(format!("{id}.txt")), record)?;
            }
        }
        n += 1;
    }
    if let Some(mut w) = out {
        w.flush()?;
    }
    eprintln!("{n} dispatches, {bytes} bytes");
    Ok(())
}
