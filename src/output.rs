//! Stage 8a: the tables `classify` writes, as CSV or JSON Lines (the same columns, one
//! object a line, numbers as numbers, empty cells as `null`).
//!
//! - statements: `dispatch_id, date, statement, start, end, kind, speaker, speaker_name,
//!   mention, mention_start, mention_end, cue, confidence, text`, then for each head of
//!   the model its label, one `<head>_p_<class>` probability column per class and
//!   `<head>_features`, the features that pushed the label most. `start`/`end` are
//!   character offsets into the dispatch as read (the gold corpus's convention);
//!   `statement` numbers the statements of a dispatch from 1.
//! - actors: `dispatch_id, date, speaker, speaker_name, statements, stance`, then per head
//!   `<head>_mean_p_<class>`.
//! - summary: `speaker, speaker_name, month, dispatches, statements`, then the number of
//!   statements of each stance.

use std::io::Write;

use crate::actor::Gazetteer;
use crate::classifier::Classifier;
use crate::dispatch::{CharCursor, Dispatch};
use crate::error::{Error, Result};
use crate::label::Stance;
use crate::predict::{ActorRow, ClassifiedStatement, Summary};

/// How tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Csv,
    Jsonl,
}

impl Format {
    /// The file extension of a table in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// One cell of a table row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(usize),
    /// A number and the decimals to print it with.
    Float(f64, usize),
    Empty,
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(v, d) => {
                let d = *d;
                format!("{v:.d$}")
            }
            Cell::Empty => String::new(),
        }
    }
    fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Int(n) => Value::from(*n),
            Cell::Float(v, d) => {
                let p = 10f64.powi(*d as i32);
                serde_json::Number::from_f64((v * p).round() / p).map_or(Value::Null, Value::Number)
            }
            Cell::Empty => Value::Null,
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Int(n)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

enum Sink<W: Write> {
    Csv(csv::Writer<W>),
    Jsonl(W),
}

/// A table: its columns, then rows of cells in that order.
pub struct TableWriter<W: Write> {
    sink: Sink<W>,
    columns: Vec<String>,
}

impl<W: Write> TableWriter<W> {
    pub fn new(w: W, format: Format, columns: Vec<String>) -> Result<Self> {
        let sink = match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(w);
                w.write_record(&columns).map_err(csv_err)?;
                Sink::Csv(w)
            }
            Format::Jsonl => Sink::Jsonl(w),
        };
        Ok(TableWriter { sink, columns })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        debug_assert_eq!(cells.len(), self.columns.len());
        match &mut self.sink {
            Sink::Csv(w) => w.write_record(cells.iter().map(Cell::csv)).map_err(csv_err),
            Sink::Jsonl(w) => {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(cells)
                    .map(|(k, v)| (k.clone(), v.json()))
                    .collect();
                serde_json::to_writer(&mut *w, &object)
                    .map_err(|e| Error::io("(output)", e.into()))?;
                w.write_all(b"\n").map_err(|e| Error::io("(output)", e))
            }
        }
    }

    /// Flushes and hands back the underlying writer.
    pub fn into_inner(self) -> Result<W> {
        match self.sink {
            Sink::Csv(w) => w
                .into_inner()
                .map_err(|e| Error::io("(output)", e.into_error())),
            Sink::Jsonl(mut w) => {
                w.flush().map_err(|e| Error::io("(output)", e))?;
                Ok(w)
            }
        }
    }
}

/// `(head name, class names)` of each head of a model.
fn heads(model: &Classifier) -> Vec<(String, Vec<String>)> {
    model
        .heads
        .iter()
        .map(|h| (h.name.clone(), h.model.classes.names().to_vec()))
        .collect()
}

fn columns(fixed: &[&str]) -> Vec<String> {
    fixed.iter().map(|s| s.to_string()).collect()
}

fn date(d: &Dispatch) -> Cell {
    d.date.map(|d| d.to_string()).into()
}

/// Writes classified statements, one row each.
pub struct StatementWriter<W: Write> {
    table: TableWriter<W>,
}

impl<W: Write> StatementWriter<W> {
    pub fn new(w: W, format: Format, model: &Classifier) -> Result<Self> {
        let mut cols = columns(&[
            "dispatch_id",
            "date",
            "statement",
            "start",
            "end",
            "kind",
            "speaker",
            "speaker_name",
            "mention",
            "mention_start",
            "mention_end",
            "cue",
            "confidence",
            "text",
        ]);
        for (name, classes) in heads(model) {
            cols.push(name.clone());
            cols.extend(classes.iter().map(|c| format!("{name}_p_{c}")));
            cols.push(format!("{name}_features"));
        }
        Ok(StatementWriter {
            table: TableWriter::new(w, format, cols)?,
        })
    }

    pub fn write(
        &mut self,
        d: &Dispatch,
        rows: &[ClassifiedStatement],
        g: &Gazetteer,
        model: &Classifier,
    ) -> Result<()> {
        let mut cursor = CharCursor::new(&d.source);
        for (i, r) in rows.iter().enumerate() {
            let s = &r.statement;
            let (mut mention, mut ms, mut me) = (Cell::Empty, Cell::Empty, Cell::Empty);
            if let Some(m) = s.mention.clone() {
                mention = d.body[m.clone()].into();
                let m = d.source_span(m);
                ms = cursor.offset(m.start).into();
                me = cursor.offset(m.end).into();
            }
            let span = d.source_span(s.span.clone());
            let (start, end) = (cursor.offset(span.start), cursor.offset(span.end));
            let mut rec: Vec<Cell> = vec![
                d.id.as_str().into(),
                date(d),
                (i + 1).into(),
                start.into(),
                end.into(),
                s.kind.as_str().into(),
                s.speaker_id(g).into(),
                s.speaker_name(g).into(),
                mention,
                ms,
                me,
                s.cue.as_str().into(),
                Cell::Float(s.confidence(), 2),
                s.text.as_str().into(),
            ];
            for (h, p) in model.heads.iter().zip(&r.predictions) {
                rec.push(if p.uncertain {
                    "uncertain".into()
                } else {
                    h.model.classes.name(p.class).into()
                });
                rec.extend(p.probs.iter().map(|&v| Cell::Float(v as f64, 4)));
                rec.push(reasons(&p.reasons).into());
            }
            self.table.row(&rec)?;
        }
        Ok(())
    }

    pub fn into_inner(self) -> Result<W> {
        self.table.into_inner()
    }
}

/// `▁cessez ▁le (0.41); ▁feu (0.20)`.
fn reasons(r: &[(String, f32)]) -> String {
    r.iter()
        .map(|(f, c)| format!("{f} ({c:.2})"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes each actor's aggregated stance per dispatch.
pub struct ActorWriter<W: Write> {
    table: TableWriter<W>,
}

impl<W: Write> ActorWriter<W> {
    pub fn new(w: W, format: Format, model: &Classifier) -> Result<Self> {
        let mut cols = columns(&[
            "dispatch_id",
            "date",
            "speaker",
            "speaker_name",
            "statements",
            "stance",
        ]);
        for (name, classes) in heads(model) {
            cols.extend(classes.iter().map(|c| format!("{name}_mean_p_{c}")));
        }
        Ok(ActorWriter {
            table: TableWriter::new(w, format, cols)?,
        })
    }

    pub fn write(&mut self, d: &Dispatch, actors: &[ActorRow]) -> Result<()> {
        for a in actors {
            let mut rec: Vec<Cell> = vec![
                d.id.as_str().into(),
                date(d),
                a.speaker.as_str().into(),
                a.name.as_str().into(),
                a.statements.into(),
                a.stance.map(Stance::as_str).into(),
            ];
            rec.extend(
                a.mean_probs
                    .iter()
                    .flatten()
                    .map(|&v| Cell::Float(v as f64, 4)),
            );
            self.table.row(&rec)?;
        }
        Ok(())
    }

    pub fn into_inner(self) -> Result<W> {
        self.table.into_inner()
    }
}

/// Writes the summary: statements per actor and month, by stance, sorted by actor then
/// month.
pub fn write_summary<W: Write>(w: W, format: Format, summary: &Summary) -> Result<W> {
    let mut cols = columns(&[
        "speaker",
        "speaker_name",
        "month",
        "dispatches",
        "statements",
    ]);
    cols.extend(Stance::ALL.iter().map(|s| s.as_str().to_string()));
    let mut t = TableWriter::new(w, format, cols)?;
    for ((speaker, month), c) in &summary.cells {
        let mut rec: Vec<Cell> = vec![
            speaker.as_str().into(),
            c.name.as_str().into(),
            month.as_str().into(),
            c.dispatches.into(),
            c.statements().into(),
        ];
        rec.extend(c.by_stance.iter().map(|&n| Cell::Int(n)));
        t.row(&rec)?;
    }
    t.into_inner()
}

fn csv_err(e: csv::Error) -> Error {
    Error::Csv {
        path: "(output)".into(),
        source: e,
    }
}
