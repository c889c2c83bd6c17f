//! Labelled data: any CSV with a text and label columns, and the project's gold corpus
//! (`training-data/`: dispatches, `statements.csv`, `splits.csv`).
//!
//! CSV set-up lives here only: columns are found by name, and every error names the
//! file and line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::actor::Gazetteer;
use crate::classifier::Reading;
use crate::error::{Error, Location, Result};
use crate::label::{Sentiment, Stance};
use crate::statement::{Kind, collapse};

/// Rows of text with one or more label columns.
#[derive(Debug, Clone, Default)]
pub struct LabelledSet {
    pub origin: String,
    pub texts: Vec<String>,
    /// `labels[column][row]`, in the order the columns were asked for.
    pub labels: Vec<Vec<String>>,
    pub label_columns: Vec<String>,
    /// 1-based line of each row in its file.
    pub lines: Vec<u64>,
    /// The group of each row (its dispatch), for grouped cross-validation; the row's own
    /// line when the file has no group column.
    pub groups: Vec<String>,
    /// The speaker id of each row (gold corpus only; empty for a CSV).
    pub speakers: Vec<String>,
    /// The rest of each row's sentence before and after it in its dispatch
    /// ([`crate::statement::sentence_around`]; gold corpus only, empty for a CSV).
    pub sentences: Vec<(String, String)>,
}

impl LabelledSet {
    /// Whether every row has what a reading beyond its words needs: a speaker and the
    /// sentence around it (a gold corpus's rows; a CSV's have neither).
    pub fn has_context(&self) -> bool {
        let n = self.texts.len();
        self.speakers.len() == n && self.sentences.len() == n
    }

    /// The texts as a model with this `reading` reads them ([`Reading::read`]), each
    /// speaker's affiliation from `g`. Without context ([`LabelledSet::has_context`]) a
    /// statement is read as an unknown speaker's, with nothing around it.
    pub fn read_texts(&self, reading: Reading, g: &Gazetteer) -> Vec<String> {
        if reading == Reading::WORDS {
            return self.texts.clone();
        }
        if !self.has_context() {
            return self
                .texts
                .iter()
                .map(|t| reading.read(t, None, ("", "")).into_owned())
                .collect();
        }
        self.texts
            .iter()
            .zip(&self.speakers)
            .zip(&self.sentences)
            .map(|((t, s), (before, after))| {
                let affiliation = g.find(s).map(|a| g.actor(a).affiliation.as_str());
                reading.read(t, affiliation, (before, after)).into_owned()
            })
            .collect()
    }
}

/// Wraps a CSV error with its file; a record that is not UTF-8 or has the wrong number of
/// fields says so with its line.
fn csv_error(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |source| {
        let line = source.position().map(|p| p.line());
        match source.kind() {
            csv::ErrorKind::Utf8 { err, .. } => Error::data(
                path,
                line,
                format!(
                    "not valid UTF-8 in field {} after {} byte(s)",
                    err.field() + 1,
                    err.valid_up_to()
                ),
            ),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => Error::data(
                path,
                line,
                format!("{len} field(s) where the header has {expected_len}"),
            ),
            _ => Error::Csv {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

fn csv_reader(path: &Path) -> Result<csv::Reader<LfLines<std::fs::File>>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(csv_reader_from(f))
}

/// A strict CSV reader (every record as many fields as the header) over `reader`, whose
/// records' `position().line()` is the line they start on whatever the line endings.
pub(crate) fn csv_reader_from<R: std::io::Read>(reader: R) -> csv::Reader<LfLines<R>> {
    csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(LfLines::new(reader))
}

/// A reader that turns each CRLF into LF on the fly (a lone CR stays). The csv crate
/// counts a record's line when it reads the `\n` ending the one before, which it reads
/// only at the next record when lines end in CRLF, so every record of a CRLF file (as
/// written by `csv::Writer`, or by a spreadsheet) would name the line above its own
/// (rust-csv issue 395).
pub(crate) struct LfLines<R> {
    inner: std::io::BufReader<R>,
}

impl<R: std::io::Read> LfLines<R> {
    pub(crate) fn new(inner: R) -> Self {
        LfLines {
            inner: std::io::BufReader::new(inner),
        }
    }
}

impl<R: std::io::Read> std::io::Read for LfLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        let data = self.inner.fill_buf()?;
        if data.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        if data == b"\r" {
            // a CR ends what is buffered: what follows it decides
            self.inner.consume(1);
            let lf = self.inner.fill_buf()?.first() == Some(&b'\n');
            if lf {
                self.inner.consume(1);
            }
            buf[0] = if lf { b'\n' } else { b'\r' };
            return Ok(1);
        }
        let (mut r, mut w) = (0, 0);
        while r < data.len() && w < buf.len() {
            if data[r] == b'\r' {
                match data.get(r + 1) {
                    Some(b'\n') => r += 1, // CRLF: the LF alone
                    None => break,         // settled on the next call
                    Some(_) => {}
                }
            }
            buf[w] = data[r];
            (r, w) = (r + 1, w + 1);
        }
        self.inner.consume(r);
        Ok(w)
    }
}

fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize> {
    headers
        .iter()
        .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
        .ok_or_else(|| Error::MissingColumn {
            at: Location {
                path: path.to_path_buf(),
                line: headers.position().map(|p| p.line()),
            },
            column: name.to_string(),
            found: headers.iter().collect::<Vec<_>>().join(", "),
            hint: delimiter_hint(headers),
        })
}

/// A hint when a header that is one field holds another delimiter (`text;label`): the
/// file is read with commas only, since guessing could split a text at its semicolons.
fn delimiter_hint(headers: &csv::StringRecord) -> String {
    let other = [';', '\t', '|']
        .into_iter()
        .find(|&c| headers.len() == 1 && headers[0].contains(c));
    match other {
        Some(c) => {
            format!("; the header is split by {c:?}, but columns must be separated by commas")
        }
        None => String::new(),
    }
}

/// Reads a labelled CSV. Rows with an empty text are skipped and counted in the second
/// value; an empty label is an error that names its line.
pub fn read_csv(
    path: &Path,
    text_column: &str,
    label_columns: &[String],
    group_column: Option<&str>,
) -> Result<(LabelledSet, usize)> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_csv_from(f, path, text_column, label_columns, group_column)
}

/// [`read_csv`] on any reader; `origin` names it in errors.
pub fn read_csv_from(
    reader: impl std::io::Read,
    origin: &Path,
    text_column: &str,
    label_columns: &[String],
    group_column: Option<&str>,
) -> Result<(LabelledSet, usize)> {
    let mut r = csv_reader_from(reader);
    let headers = r.headers().map_err(csv_error(origin))?.clone();
    if headers.is_empty() {
        return Err(Error::data(
            origin,
            None,
            format!("empty file: expected a header line naming the columns ({text_column}, …)"),
        ));
    }
    let t = column(&headers, text_column, origin)?;
    let ls: Vec<usize> = label_columns
        .iter()
        .map(|c| column(&headers, c, origin))
        .collect::<Result<_>>()?;
    // without the group column, each row is its own group
    let g = group_column.and_then(|c| column(&headers, c, origin).ok());
    let mut set = LabelledSet {
        origin: origin.display().to_string(),
        labels: vec![Vec::new(); ls.len()],
        label_columns: label_columns.to_vec(),
        ..Default::default()
    };
    let mut skipped = 0;
    for rec in r.records() {
        let rec = rec.map_err(csv_error(origin))?;
        let line = rec.position().map_or(0, |p| p.line());
        let text = rec.get(t).unwrap_or("").trim();
        if text.is_empty() {
            skipped += 1;
            continue;
        }
        for (k, &c) in ls.iter().enumerate() {
            let l = rec.get(c).unwrap_or("").trim();
            if l.is_empty() {
                return Err(Error::data(
                    origin,
                    Some(line),
                    format!("empty label in column {:?}", label_columns[k]),
                ));
            }
            set.labels[k].push(l.to_string());
        }
        set.texts.push(text.to_string());
        set.lines.push(line);
        set.groups.push(
            g.and_then(|g| rec.get(g))
                .map_or_else(|| format!("line{line}"), str::to_string),
        );
    }
    Ok((set, skipped))
}

/// A dispatch's split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Split {
    Train,
    Dev,
    Test,
}

impl Split {
    fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "train" => Some(Split::Train),
            "dev" => Some(Split::Dev),
            "test" => Some(Split::Test),
            _ => None,
        }
    }
}

/// One gold statement of `training-data/statements.csv`; spans are character offsets
/// (Unicode code points) into the dispatch file as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldStatement {
    pub line: u64,
    pub dispatch_id: String,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub speaker: String,
    pub mention: String,
    pub mention_span: Option<(usize, usize)>,
    pub stance: Stance,
    pub sentiment: Sentiment,
    pub text: String,
}

#[derive(Deserialize)]
struct RawGold {
    dispatch_id: String,
    start: usize,
    end: usize,
    kind: String,
    speaker: String,
    mention: String,
    mention_start: Option<usize>,
    mention_end: Option<usize>,
    stance: String,
    sentiment: String,
    text: String,
}

/// Reads the gold statements, parsing every label once.
pub fn read_gold(path: &Path) -> Result<Vec<GoldStatement>> {
    let mut r = csv_reader(path)?;
    let headers = r.headers().map_err(csv_error(path))?.clone();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(csv_error(path))?;
        // the record's own line: quoted fields may span lines
        let line = rec.position().map_or(0, |p| p.line());
        let raw: RawGold = rec
            .deserialize(Some(&headers))
            .map_err(|e| Error::data(path, Some(line), e.to_string()))?;
        let bad = |m: String| Error::data(path, Some(line), m);
        out.push(GoldStatement {
            line,
            kind: Kind::parse(&raw.kind).ok_or_else(|| {
                bad(format!(
                    "unknown kind {:?}, expected direct or indirect",
                    raw.kind
                ))
            })?,
            stance: raw
                .stance
                .parse()
                .map_err(|e| bad(format!("stance: {e}")))?,
            sentiment: raw
                .sentiment
                .parse()
                .map_err(|e| bad(format!("sentiment: {e}")))?,
            mention_span: raw.mention_start.zip(raw.mention_end),
            dispatch_id: raw.dispatch_id,
            start: raw.start,
            end: raw.end,
            speaker: raw.speaker,
            mention: raw.mention,
            text: raw.text,
        });
    }
    Ok(out)
}

/// Reads `splits.csv`: `dispatch_id,split`.
pub fn read_splits(path: &Path) -> Result<HashMap<String, Split>> {
    let mut r = csv_reader(path)?;
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec.map_err(csv_error(path))?;
        let line = rec.position().map_or(0, |p| p.line());
        let id = rec.get(0).unwrap_or("").trim().to_string();
        let s = rec.get(1).unwrap_or("");
        let split = Split::parse(s).ok_or_else(|| {
            Error::data(
                path,
                Some(line),
                format!("unknown split {s:?}, expected train, dev or test"),
            )
        })?;
        if out.insert(id.clone(), split).is_some() {
            return Err(Error::data(
                path,
                Some(line),
                format!("dispatch {id:?} is listed twice"),
            ));
        }
    }
    Ok(out)
}

/// The gold corpus in a folder.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub statements: Vec<GoldStatement>,
    pub splits: HashMap<String, Split>,
}

impl Corpus {
    pub fn open(root: &Path) -> Result<Self> {
        Ok(Corpus {
            root: root.to_path_buf(),
            statements: read_gold(&root.join("statements.csv"))?,
            splits: read_splits(&root.join("splits.csv"))?,
        })
    }

    pub fn dispatch_path(&self, id: &str) -> PathBuf {
        self.root.join("dispatches").join(format!("{id}.txt"))
    }

    /// The statements of the given splits (all when `None`) as a labelled set with
    /// `stance` and `sentiment` columns, grouped by dispatch.
    pub fn labelled(&self, split: Option<Split>) -> Result<LabelledSet> {
        let mut set = LabelledSet {
            origin: format!(
                "{}{}",
                self.root.display(),
                split
                    .map(|s| format!(" ({s:?} split)").to_lowercase())
                    .unwrap_or_default()
            ),
            labels: vec![Vec::new(), Vec::new()],
            label_columns: vec!["stance".into(), "sentiment".into()],
            ..Default::default()
        };
        let mut dispatch: Option<crate::dispatch::Dispatch> = None;
        for s in &self.statements {
            let Some(&sp) = self.splits.get(&s.dispatch_id) else {
                return Err(Error::data(
                    self.root.join("statements.csv"),
                    Some(s.line),
                    format!("dispatch {:?} has no split in splits.csv", s.dispatch_id),
                ));
            };
            if split.is_some_and(|want| want != sp) {
                continue;
            }
            set.texts.push(s.text.clone());
            set.labels[0].push(s.stance.to_string());
            set.labels[1].push(s.sentiment.to_string());
            set.lines.push(s.line);
            set.groups.push(s.dispatch_id.clone());
            set.speakers.push(s.speaker.clone());
            if dispatch.as_ref().is_none_or(|d| d.id != s.dispatch_id) {
                dispatch = Some(crate::dispatch::parse_path(
                    &self.dispatch_path(&s.dispatch_id),
                )?);
            }
            set.sentences
                .push(gold_sentence(dispatch.as_ref().unwrap(), s));
        }
        Ok(set)
    }
}

/// The rest of a gold statement's sentence on each side of it, found in the dispatch as
/// statements found by extraction are ([`crate::statement::sentence_around`]).
fn gold_sentence(d: &crate::dispatch::Dispatch, s: &GoldStatement) -> (String, String) {
    let span = d.body_span_of_chars(s.start..s.end);
    if span.start > span.end
        || !d.body.is_char_boundary(span.start)
        || !d.body.is_char_boundary(span.end)
    {
        return (String::new(), String::new());
    }
    let (before, after) = crate::statement::sentence_around(d, span);
    (before.to_string(), after.to_string())
}

/// Lower-case letters and digits only: two statements equal under this are near-identical.
pub fn near_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Corpus {
    /// Every problem in the corpus, one line each naming `statements.csv:<line>` or
    /// `splits.csv`: a span or mention span that does not read its text, a speaker the
    /// gazetteer lacks, a dispatch without a split or a file, a statement text (or a
    /// near-identical one) in two splits. Labels were already checked when reading.
    pub fn problems(&self, g: &crate::actor::Gazetteer) -> Vec<String> {
        let mut texts: HashMap<&str, Vec<char>> = HashMap::new();
        let mut errors = Vec::new();
        let mut split_of_text: HashMap<String, (Split, &str)> = HashMap::new();
        for s in &self.statements {
            let at = format!("statements.csv:{}", s.line);
            let chars = texts.entry(s.dispatch_id.as_str()).or_insert_with(|| {
                std::fs::read_to_string(self.dispatch_path(&s.dispatch_id))
                    .map(|t| t.chars().collect())
                    .unwrap_or_default()
            });
            if chars.is_empty() {
                errors.push(format!("{at}: no dispatch file for {:?}", s.dispatch_id));
                continue;
            }
            let read = |a: usize, b: usize| {
                chars
                    .get(a..b)
                    .map(|c| c.iter().collect::<String>())
                    .unwrap_or_default()
            };
            let span = read(s.start, s.end);
            if collapse(&span) != collapse(&s.text) {
                errors.push(format!(
                    "{at}: span {}..{} reads {:?}, text is {:?}",
                    s.start, s.end, span, s.text
                ));
            }
            match s.mention_span {
                Some((a, b)) if collapse(&read(a, b)) != collapse(&s.mention) => {
                    errors.push(format!(
                        "{at}: mention span reads {:?}, mention is {:?}",
                        read(a, b),
                        s.mention
                    ))
                }
                Some(_) => {}
                None => errors.push(format!("{at}: no mention span")),
            }
            if g.find(&s.speaker).is_none() {
                errors.push(format!(
                    "{at}: speaker {:?} is not in the gazetteer",
                    s.speaker
                ));
            }
            match self.splits.get(&s.dispatch_id) {
                None => errors.push(format!("{at}: dispatch {:?} has no split", s.dispatch_id)),
                Some(&sp) => {
                    if let Some((other, id)) =
                        split_of_text.insert(near_key(&s.text), (sp, &s.dispatch_id))
                        && other != sp
                    {
                        errors.push(format!(
                            "{at}: statement {:?} also in {id} ({other:?} split)",
                            s.text
                        ));
                    }
                }
            }
        }
        let mut ids: Vec<&String> = self.splits.keys().collect();
        ids.sort();
        for id in ids {
            if !self.dispatch_path(id).is_file() {
                errors.push(format!("splits.csv: {id:?} has no dispatch file"));
            }
        }
        errors
    }

    /// Counts per split: dispatches, statements, and statements per stance and sentiment.
    pub fn stats(&self) -> String {
        use crate::label::{Sentiment, Stance};
        use std::fmt::Write;
        let mut out = String::new();
        let speakers: std::collections::HashSet<&str> =
            self.statements.iter().map(|s| s.speaker.as_str()).collect();
        let direct = self
            .statements
            .iter()
            .filter(|s| s.kind == Kind::Direct)
            .count();
        let _ = writeln!(
            out,
            "{} dispatches, {} statements ({direct} direct, {} indirect), {} speakers",
            self.splits.len(),
            self.statements.len(),
            self.statements.len() - direct,
            speakers.len()
        );
        let mut header = format!("{:<6} {:>10} {:>10}", "split", "dispatches", "statements");
        for st in Stance::ALL {
            let _ = write!(header, " {:>14}", st.as_str());
        }
        for se in Sentiment::ALL {
            let _ = write!(header, " {:>9}", se.as_str());
        }
        let _ = writeln!(out, "{header}");
        let splits: [(&str, Option<Split>); 4] = [
            ("train", Some(Split::Train)),
            ("dev", Some(Split::Dev)),
            ("test", Some(Split::Test)),
            ("all", None),
        ];
        for (name, split) in splits {
            let rows: Vec<&GoldStatement> = self
                .statements
                .iter()
                .filter(|s| split.is_none_or(|sp| self.splits.get(&s.dispatch_id) == Some(&sp)))
                .collect();
            let n = rows.len().max(1) as f64;
            let dispatches = self
                .splits
                .values()
                .filter(|&&sp| split.is_none_or(|x| x == sp))
                .count();
            let _ = write!(out, "{name:<6} {dispatches:>10} {:>10}", rows.len());
            for st in Stance::ALL {
                let c = rows.iter().filter(|s| s.stance == st).count();
                let _ = write!(out, " {:>6} ({:>4.1}%)", c, 100.0 * c as f64 / n);
            }
            for se in Sentiment::ALL {
                let c = rows.iter().filter(|s| s.sentiment == se).count();
                let _ = write!(out, " {:>3} {:>3.0}%", c, 100.0 * c as f64 / n);
            }
            let _ = writeln!(out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    /// Reads one byte a call, so that every CRLF straddles two reads.
    struct ByteByByte<'a>(&'a [u8]);

    impl std::io::Read for ByteByByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.split_first() {
                Some((&b, rest)) if !buf.is_empty() => {
                    buf[0] = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn record_lines_are_right_whatever_the_line_endings() {
        // (input, each record's first field and line)
        // (a blank line between records still moves the next one's line up by one:
        // rust-csv issue 208, not a line-ending matter)
        type Case<'a> = (&'a [u8], &'a [(&'a str, u64)]);
        let cases: [Case; 4] = [
            (b"h,x\na,1\nb,2\n", &[("a", 2), ("b", 3)]),
            (b"h,x\r\na,1\r\nb,2\r\n", &[("a", 2), ("b", 3)]),
            (b"h,x\r\n\"a\r\nz\",1\r\nb,2\r\n", &[("a\nz", 2), ("b", 4)]),
            (b"h,x\n\"a\rz\",1\nb,2\r", &[("a\rz", 2), ("b", 3)]),
        ];
        for (input, want) in cases {
            for one_byte_reads in [false, true] {
                let reader: Box<dyn std::io::Read> = if one_byte_reads {
                    Box::new(ByteByByte(input))
                } else {
                    Box::new(input)
                };
                let got: Vec<(String, u64)> = super::csv_reader_from(reader)
                    .records()
                    .map(|r| {
                        let r = r.unwrap();
                        (r[0].to_string(), r.position().unwrap().line())
                    })
                    .collect();
                let want: Vec<(String, u64)> =
                    want.iter().map(|&(f, l)| (f.to_string(), l)).collect();
                assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
            }
        }
    }

    use super::*;

    #[test]
    fn csv_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, "text,label\nbonjour,positive\n,neutral\nau revoir,\n").unwrap();
        let e = read_csv(&p, "text", &["label".into()], None)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("d.csv:4: empty label in column \"label\""),
            "{e}"
        );
        let e = read_csv(&p, "texte", &["label".into()], None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("missing column \"texte\" (columns: text, label)"),
            "{e}"
        );
        std::fs::write(
            &p,
            "text,label\nbonjour,positive\n,neutral\n\"a, b\",negative\n",
        )
        .unwrap();
        let (set, skipped) = read_csv(&p, "text", &["label".into()], None).unwrap();
        assert_eq!((set.texts.len(), skipped), (2, 1));
        assert_eq!(set.texts[1], "a, b");
        assert_eq!(set.lines, vec![2, 4]);
    }

    /// (CSV bytes, the error)
    #[test]
    fn bad_csvs_say_what_and_where() {
        let cases: &[(&[u8], &str)] = &[
            (
                b"text;label\nbonjour;positive\n",
                "m.csv:1: missing column \"text\" (columns: text;label); the header is split by ';', but columns must be separated by commas",
            ),
            (
                b"text,label\nbonjour,positive\nPomp\xe9o,neutral\n",
                "m.csv:3: not valid UTF-8 in field 1 after 4 byte(s)",
            ),
            (
                b"text,label\n\"deux\nlignes\",positive\nseul\n",
                "m.csv:4: 1 field(s) where the header has 2",
            ),
            (b"", "m.csv: empty file: expected a header line"),
        ];
        for (input, want) in cases {
            let e = read_csv_from(*input, Path::new("m.csv"), "text", &["label".into()], None)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(want), "{e}");
        }
    }
}
