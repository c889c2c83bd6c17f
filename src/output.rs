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

    /// A row written a field at a time, in column order: to the CSV writer directly
    /// (no `String` per cell), or as cells for a JSON object.
    fn fields(&mut self) -> Fields<'_, W> {
        Fields {
            table: self,
            cells: Vec::new(),
            scratch: Vec::new(),
            error: None,
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

/// One row of a [`TableWriter`], field by field; [`Fields::end`] finishes it. Each field
/// is written as the [`Cell`] of the same value would be.
struct Fields<'t, W: Write> {
    table: &'t mut TableWriter<W>,
    /// The cells of a JSON Lines row.
    cells: Vec<Cell>,
    scratch: Vec<u8>,
    error: Option<csv::Error>,
}

impl<W: Write> Fields<'_, W> {
    fn csv_field(&mut self, bytes: &[u8]) {
        if let Sink::Csv(w) = &mut self.table.sink
            && self.error.is_none()
            && let Err(e) = w.write_field(bytes)
        {
            self.error = Some(e);
        }
    }

    /// A CSV field made in the reused scratch buffer by `fill`.
    fn csv_made(&mut self, fill: impl FnOnce(&mut Vec<u8>)) {
        let mut buf = std::mem::take(&mut self.scratch);
        buf.clear();
        fill(&mut buf);
        self.csv_field(&buf);
        self.scratch = buf;
    }

    fn text(&mut self, s: &str) {
        match self.table.sink {
            Sink::Csv(_) => self.csv_field(s.as_bytes()),
            Sink::Jsonl(_) => self.cells.push(s.into()),
        }
    }

    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.empty(),
        }
    }

    fn int(&mut self, n: usize) {
        match self.table.sink {
            Sink::Csv(_) => self.csv_made(|buf| push_int(buf, n)),
            Sink::Jsonl(_) => self.cells.push(Cell::Int(n)),
        }
    }

    fn opt_int(&mut self, n: Option<usize>) {
        match n {
            Some(n) => self.int(n),
            None => self.empty(),
        }
    }

    fn float(&mut self, v: f64, decimals: usize) {
        match self.table.sink {
            Sink::Csv(_) => self.csv_made(|buf| push_fixed(buf, v, decimals)),
            Sink::Jsonl(_) => self.cells.push(Cell::Float(v, decimals)),
        }
    }

    fn empty(&mut self) {
        match self.table.sink {
            Sink::Csv(_) => self.csv_field(b""),
            Sink::Jsonl(_) => self.cells.push(Cell::Empty),
        }
    }

    /// A prediction's features: `▁cessez ▁le (0.41); ▁feu (0.20)`.
    fn reasons(&mut self, r: &[(String, f32)]) {
        match self.table.sink {
            Sink::Csv(_) => self.csv_made(|buf| push_reasons(buf, r)),
            Sink::Jsonl(_) => {
                let mut buf = Vec::new();
                push_reasons(&mut buf, r);
                let text = String::from_utf8(buf).expect("feature names and digits are UTF-8");
                self.cells.push(text.into());
            }
        }
    }

    /// Ends the row.
    fn end(mut self) -> Result<()> {
        match &mut self.table.sink {
            Sink::Csv(w) => {
                if let Some(e) = self.error.take() {
                    return Err(csv_err(e));
                }
                w.write_record(None::<&[u8]>).map_err(csv_err)
            }
            Sink::Jsonl(_) => {
                let cells = std::mem::take(&mut self.cells);
                self.table.row(&cells)
            }
        }
    }
}

/// `n` in decimal.
fn push_int(buf: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// `v` with `decimals` digits after the point, exactly as `format!("{v:.decimals$}")`
/// writes it: the exact binary value rounded half to even. Computed in integers for a
/// non-negative `v` under 10⁹ and up to 9 decimals (every probability and confidence),
/// by `format!` otherwise.
pub(crate) fn push_fixed(buf: &mut Vec<u8>, v: f64, decimals: usize) {
    const POW10: [u64; 10] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
    ];
    if !(decimals < POW10.len() && v.is_sign_positive() && v < 1e9) {
        buf.extend_from_slice(format!("{v:.decimals$}").as_bytes());
        return;
    }
    // v = m × 2^e exactly, e < 0 under 10⁹
    let bits = v.to_bits();
    let (biased, fraction) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    let n = m as u128 * POW10[decimals] as u128;
    let shift = (-e) as u32;
    let scaled = if shift >= 128 {
        0
    } else {
        let (q, r, half) = (n >> shift, n & ((1 << shift) - 1), 1u128 << (shift - 1));
        if r > half || (r == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    } as u64;
    let p = POW10[decimals];
    push_int(buf, (scaled / p) as usize);
    if decimals > 0 {
        buf.push(b'.');
        let mut frac = [b'0'; 9];
        let mut x = scaled % p;
        for d in frac[..decimals].iter_mut().rev() {
            *d = b'0' + (x % 10) as u8;
            x /= 10;
        }
        buf.extend_from_slice(&frac[..decimals]);
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
        let date = d.date.map(|d| d.to_string());
        for (i, r) in rows.iter().enumerate() {
            let s = &r.statement;
            let mention = s.mention.clone().map(|m| {
                let source = d.source_span(m.clone());
                (
                    &d.body[m],
                    cursor.offset(source.start),
                    cursor.offset(source.end),
                )
            });
            let span = d.source_span(s.span.clone());
            let (start, end) = (cursor.offset(span.start), cursor.offset(span.end));
            let mut f = self.table.fields();
            f.text(&d.id);
            f.opt_text(date.as_deref());
            f.int(i + 1);
            f.int(start);
            f.int(end);
            f.text(s.kind.as_str());
            f.text(s.speaker_id(g));
            f.text(s.speaker_name(g));
            f.opt_text(mention.map(|m| m.0));
            f.opt_int(mention.map(|m| m.1));
            f.opt_int(mention.map(|m| m.2));
            f.text(s.cue.as_str());
            f.float(s.confidence(), 2);
            f.text(&s.text);
            for (h, p) in model.heads.iter().zip(&r.predictions) {
                f.text(if p.uncertain {
                    "uncertain"
                } else {
                    h.model.classes.name(p.class)
                });
                for &v in &p.probs {
                    f.float(v as f64, 4);
                }
                f.reasons(&p.reasons);
            }
            f.end()?;
        }
        Ok(())
    }

    pub fn into_inner(self) -> Result<W> {
        self.table.into_inner()
    }
}

/// `▁cessez ▁le (0.41); ▁feu (0.20)`.
fn push_reasons(buf: &mut Vec<u8>, r: &[(String, f32)]) {
    for (i, (f, c)) in r.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(b"; ");
        }
        buf.extend_from_slice(f.as_bytes());
        buf.extend_from_slice(b" (");
        push_fixed(buf, *c as f64, 2);
        buf.push(b')');
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `push_fixed` writes what `format!` writes: random probabilities, every value whose
    /// rounding is a tie at 2 or 4 decimals with a small denominator, and the cases
    /// `format!` itself takes.
    #[test]
    fn fixed_floats_are_formatted_as_format_does() {
        let check = |v: f64, d: usize| {
            let mut buf = Vec::new();
            push_fixed(&mut buf, v, d);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                format!("{v:.d$}"),
                "{v:e} {d}"
            );
        };
        let mut x = 7u64;
        for _ in 0..1_000_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let f = f32::from_bits((x >> 33) as u32 % 0x3f80_0001);
            check(f as f64, 4);
            check(f as f64, 2);
            check(f64::from_bits(x >> 2), 4);
        }
        for j in 0..24 {
            for k in 0..(1u64 << j).min(1 << 16) {
                let v = (2 * k + 1) as f64 / (1u64 << (j + 1)) as f64;
                for d in 0..=9 {
                    check(v, d);
                    check(v + 3.0, d);
                }
            }
        }
        for v in [
            0.0,
            -0.0,
            1.0,
            0.96,
            0.59,
            f64::MIN_POSITIVE,
            5e-324,
            0.99995,
            0.00005,
            999_999_999.999_99,
            1e9,
            -0.5,
            f64::NAN,
            f64::INFINITY,
        ] {
            for d in 0..=11 {
                check(v, d);
            }
        }
    }

    #[test]
    fn integers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 1234567890, usize::MAX] {
            let mut buf = Vec::new();
            push_int(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), n.to_string());
        }
    }
}
