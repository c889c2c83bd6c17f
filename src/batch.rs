//! Batch classification: inputs (files, folders, standard input, JSON Lines) read
//! lazily, in chunks, each chunk parsed, extracted and classified in parallel (rayon), and
//! handed back in input order. Memory is bounded by the chunk, whatever the input size.
//!
//! A JSON Lines input holds one dispatch a line: `{"id": …, "date": …, "text": …}`;
//! `id` and `date` are optional (the id is then `<file>:<line>`, the date read from the
//! text), other fields are ignored.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::actor::Gazetteer;
use crate::classifier::Classifier;
use crate::dispatch::{Dispatch, DispatchDate, decode, parse_path, parse_reader, parse_str};
use crate::error::{Error, Result};
use crate::predict::{ClassifiedStatement, classify_dispatch};

/// How inputs hold dispatches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// One dispatch a file (folders: every `.txt`), as in `shared/seeds/`.
    #[default]
    Text,
    /// One JSON object a line (folders: every `.jsonl`).
    Jsonl,
}

impl InputFormat {
    fn extension(self) -> &'static str {
        match self {
            InputFormat::Text => "txt",
            InputFormat::Jsonl => "jsonl",
        }
    }
}

/// One dispatch to read.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    File(PathBuf),
    /// Standard input as one plain-text dispatch.
    Stdin,
    /// One line of a JSON Lines input, not yet parsed.
    Record {
        origin: PathBuf,
        line: u64,
        bytes: Vec<u8>,
    },
}

/// The files named by `inputs`: files as given, folders walked recursively (sorted,
/// keeping files with the format's extension), `-` for standard input.
pub fn expand(inputs: &[PathBuf], format: InputFormat) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, format.extension(), &mut files)?;
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, ext: &str, files: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let p = e.map_err(|e| Error::io(dir, e))?.path();
        if p.is_dir() {
            walk(&p, ext, files)?;
        } else if p.extension().is_some_and(|x| x == ext) {
            files.push(p);
        }
    }
    Ok(())
}

fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// The jobs of some input files, lazily: a JSON Lines file is read a line at a time.
/// An input that cannot be opened or read yields an error and the next input goes on.
pub struct Jobs {
    files: std::vec::IntoIter<PathBuf>,
    format: InputFormat,
    current: Option<(PathBuf, Box<dyn BufRead + Send>, u64)>,
}

impl Jobs {
    pub fn new(files: Vec<PathBuf>, format: InputFormat) -> Self {
        Jobs {
            files: files.into_iter(),
            format,
            current: None,
        }
    }
}

impl Iterator for Jobs {
    type Item = Result<Job>;

    fn next(&mut self) -> Option<Result<Job>> {
        loop {
            if let Some((origin, reader, line)) = &mut self.current {
                let mut bytes = Vec::new();
                match reader.read_until(b'\n', &mut bytes) {
                    Ok(0) => self.current = None,
                    Ok(_) => {
                        *line += 1;
                        if bytes.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some(Ok(Job::Record {
                            origin: origin.clone(),
                            line: *line,
                            bytes,
                        }));
                    }
                    Err(e) => {
                        let e = Error::data(origin.clone(), Some(*line + 1), e.to_string());
                        self.current = None;
                        return Some(Err(e));
                    }
                }
                continue;
            }
            let p = self.files.next()?;
            match self.format {
                InputFormat::Text if is_stdin(&p) => return Some(Ok(Job::Stdin)),
                InputFormat::Text => return Some(Ok(Job::File(p))),
                InputFormat::Jsonl => {
                    let reader: Box<dyn BufRead + Send> = if is_stdin(&p) {
                        Box::new(std::io::BufReader::new(std::io::stdin()))
                    } else {
                        match std::fs::File::open(&p) {
                            Ok(f) => Box::new(std::io::BufReader::new(f)),
                            Err(e) => return Some(Err(Error::io(&p, e))),
                        }
                    };
                    let origin = if is_stdin(&p) { "stdin".into() } else { p };
                    self.current = Some((origin, reader, 0));
                }
            }
        }
    }
}

#[derive(serde::Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    date: Option<String>,
    text: String,
}

/// Reads and parses one job's dispatch.
pub fn load(job: &Job) -> Result<Dispatch> {
    match job {
        Job::File(p) => parse_path(p),
        Job::Stdin => parse_reader("stdin", std::io::stdin().lock()),
        Job::Record {
            origin,
            line,
            bytes,
        } => {
            if bytes.len() as u64 > crate::dispatch::MAX_DISPATCH_BYTES {
                return Err(crate::dispatch::too_large(origin, Some(*line)));
            }
            let text = decode(bytes.clone(), origin, *line)?;
            let bad = |m: String| Error::data(origin.clone(), Some(*line), m);
            let r: Record = serde_json::from_str(&text).map_err(|e| {
                bad(format!(
                    "not a dispatch object {{\"id\", \"date\", \"text\"}}: {e}"
                ))
            })?;
            let id = match r.id {
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Number(n)) => n.to_string(),
                None | Some(serde_json::Value::Null) => {
                    format!("{}:{line}", origin.display())
                }
                Some(other) => {
                    return Err(bad(format!(
                        "\"id\" must be a string or a number, not {other}"
                    )));
                }
            };
            if let Some((_, why)) = crate::dispatch::text_problem(&r.text) {
                return Err(bad(format!("\"text\" is {why}")));
            }
            let mut d = parse_str(&id, &r.text);
            if let Some(date) = r.date.filter(|s| !s.trim().is_empty()) {
                d.date = Some(DispatchDate::parse(date.trim()).ok_or_else(|| {
                    bad(format!(
                        "\"date\" {date:?} is not a date (YYYY-MM-DD or YYYY-MM)"
                    ))
                })?);
            }
            Ok(d)
        }
    }
}

/// Where an input came from, for messages.
pub fn describe(job: &Job) -> String {
    match job {
        Job::File(p) => p.display().to_string(),
        Job::Stdin => "stdin".into(),
        Job::Record { origin, line, .. } => format!("{}:{line}", origin.display()),
    }
}

/// One classified dispatch, or why it could not be read.
pub type Outcome = Result<(Dispatch, Vec<ClassifiedStatement>)>;

/// Dispatches read and classified together; more parallelism, more memory.
pub const CHUNK: usize = 256;

/// Runs every job through extraction and classification, `chunk` jobs at a time in
/// parallel, and gives each outcome to `sink` in input order. While the pool classifies
/// a chunk, this thread hands the previous chunk's outcomes to `sink` and reads the next
/// chunk's jobs (at most two chunks' outcomes are held). Stops with an error when `sink`
/// fails or `interrupted` is set (checked between chunks).
pub fn run(
    jobs: impl Iterator<Item = Result<Job>>,
    model: &Classifier,
    gazetteer: &Gazetteer,
    chunk: usize,
    interrupted: &AtomicBool,
    mut sink: impl FnMut(Outcome) -> Result<()>,
) -> Result<()> {
    let mut jobs = jobs.peekable();
    let chunk = chunk.max(1);
    let classify_one = |j: Result<Job>| -> Outcome {
        let d = load(&j?)?;
        let rows = classify_dispatch(&d, gazetteer, model);
        Ok((d, rows))
    };
    let classify = |batch: Vec<Result<Job>>| -> Vec<Outcome> {
        batch.into_par_iter().map(classify_one).collect()
    };
    let mut batch: Vec<Result<Job>> = jobs.by_ref().take(chunk).collect();
    let mut done: Vec<Outcome> = Vec::new();
    while !batch.is_empty() {
        if interrupted.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        if batch.len() == 1 && done.is_empty() && jobs.peek().is_none() {
            // one input in all (a one-dispatch run): nothing to overlap, and classifying
            // on this thread reuses what start-up warmed here (the regular expressions'
            // lazy DFA states are cached per thread)
            done = batch.drain(..).map(classify_one).collect();
            break;
        }
        let (mut outcomes, mut next, mut sunk) = (Vec::new(), Vec::new(), Ok(()));
        rayon::in_place_scope(|s| {
            let batch = std::mem::take(&mut batch);
            let outcomes = &mut outcomes;
            s.spawn(move |_| *outcomes = classify(batch));
            sunk = done.drain(..).try_for_each(&mut sink);
            if sunk.is_ok() {
                next = jobs.by_ref().take(chunk).collect();
            }
        });
        sunk?;
        (done, batch) = (outcomes, next);
    }
    done.into_iter().try_for_each(&mut sink)?;
    if interrupted.load(Ordering::Relaxed) {
        return Err(Error::Interrupted);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: &str) -> Job {
        Job::Record {
            origin: "in.jsonl".into(),
            line: 3,
            bytes: line.as_bytes().to_vec(),
        }
    }

    /// (JSON line, id and date it parses to, or the start of the error)
    #[test]
    fn records_table() {
        let cases: &[(&str, Result<(&str, Option<&str>), &str>)] = &[
            (
                r#"{"id": "a1", "date": "2020-10-12", "text": "Bakou a dit."}"#,
                Ok(("a1", Some("2020-10-12"))),
            ),
            (r#"{"id": 7, "text": "x"}"#, Ok(("7", None))),
            (
                r#"{"text": "x", "source": "afp"}"#,
                Ok(("in.jsonl:3", None)),
            ),
            (r#"{"id": "a", "date": "", "text": "x"}"#, Ok(("a", None))),
            (
                r#"{"id": "a", "text": " date 2020-11 T Le texte."}"#,
                Ok(("a", Some("2020-11"))),
            ),
            (r#"{"id": "a"}"#, Err("in.jsonl:3: not a dispatch object")),
            (r#"["a"]"#, Err("in.jsonl:3: not a dispatch object")),
            (
                r#"{"id": "a", "text": "#,
                Err("in.jsonl:3: not a dispatch object"),
            ),
            (
                r#"{"id": "a", "date": "hier", "text": "x"}"#,
                Err("in.jsonl:3: \"date\" \"hier\" is not a date"),
            ),
            (
                r#"{"id": [1], "text": "x"}"#,
                Err("in.jsonl:3: \"id\" must be a string"),
            ),
        ];
        for (line, want) in cases {
            let got = load(&record(line));
            match (got, want) {
                (Ok(d), Ok((id, date))) => {
                    assert_eq!(d.id, *id, "{line}");
                    assert_eq!(d.date.map(|d| d.to_string()).as_deref(), *date, "{line}");
                }
                (Err(e), Err(start)) => {
                    assert!(e.to_string().starts_with(start), "{line}: {e}")
                }
                (got, _) => panic!("{line}: got {got:?}"),
            }
        }
    }

    #[test]
    fn latin1_record_is_refused_with_its_line_and_column() {
        let job = Job::Record {
            origin: "in.jsonl".into(),
            line: 5,
            bytes: b"{\"text\": \"Erevan a d\xe9clar\xe9\"}".to_vec(),
        };
        let e = load(&job).unwrap_err().to_string();
        assert!(
            e.starts_with("in.jsonl:5:21: not valid UTF-8 (byte 0xE9)"),
            "{e}"
        );
    }

    #[test]
    fn jobs_read_jsonl_lines_lazily_and_skip_blank_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        std::fs::write(&p, "{\"text\": \"a\"}\n\n  \n{\"text\": \"b\"}").unwrap();
        let jobs: Vec<String> = Jobs::new(
            vec![p.clone(), dir.path().join("missing.jsonl")],
            InputFormat::Jsonl,
        )
        .map(|j| match j {
            Ok(j) => describe(&j),
            Err(e) => format!("error {}", e.to_string().contains("missing.jsonl")),
        })
        .collect();
        let a = p.display();
        assert_eq!(
            jobs,
            [format!("{a}:1"), format!("{a}:4"), "error true".into()]
        );
    }
}
