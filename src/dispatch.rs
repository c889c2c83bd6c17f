//! Stage 1: a dispatch as it arrives, parsed into a date, a title and paragraphs.
//!
//! Real input (see `../shared/seeds/`) may start with a BOM and a ` date YYYY-MM[-DD]`
//! header glued to the title and lede, uses CRLF, LF or a lone CR, hard-wraps lines inside a
//! paragraph and sometimes double-spaces every wrapped line, so that a blank line no
//! longer means a new paragraph. [`parse_str`] rebuilds the paragraphs into one body
//! text, paragraphs joined by `"\n\n"`, and keeps a map from every byte of the body
//! back to its byte offset in the original text.

use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Result};

/// A dispatch date: a month, or a day when the source gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DispatchDate {
    pub year: u16,
    pub month: u8,
    pub day: Option<u8>,
}

impl DispatchDate {
    /// Parses `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().split('-');
        let year: u16 = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: Option<u8> = match it.next() {
            Some(d) => Some(d.parse().ok()?),
            None => None,
        };
        if it.next().is_some()
            || !(1..=12).contains(&month)
            || day.is_some_and(|d| !(1..=31).contains(&d))
        {
            return None;
        }
        Some(DispatchDate { year, month, day })
    }
    /// The day to use when comparing with a role's date range: the 15th of the month
    /// when only the month is known.
    pub fn ordinal(&self) -> (u16, u8, u8) {
        (self.year, self.month, self.day.unwrap_or(15))
    }
}

impl std::fmt::Display for DispatchDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

/// A dispatch rebuilt from its original text.
#[derive(Debug, Clone)]
pub struct Dispatch {
    /// The file stem, or the name given by the caller.
    pub id: String,
    pub date: Option<DispatchDate>,
    /// The original text, exactly as read (BOM and CRLF kept).
    pub source: String,
    /// The rebuilt text: paragraphs with hard wraps joined, separated by `"\n\n"`.
    pub body: String,
    /// For every byte of `body`, its byte offset in `source`; one more entry for the end.
    map: Vec<u32>,
    /// The paragraphs, as byte ranges of `body`.
    pub paragraphs: Vec<Range<usize>>,
    /// The title, as a byte range of `body`, when one could be told apart.
    pub title: Option<Range<usize>>,
}

impl Dispatch {
    /// The byte range in [`Dispatch::source`] of a byte range of [`Dispatch::body`].
    pub fn source_span(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let s = self.map[r.start] as usize;
            return s..s;
        }
        // body bytes are copied from the source byte for byte, so the last byte of the
        // range maps to the last byte of the same character
        self.map[r.start] as usize..self.map[r.end - 1] as usize + 1
    }
    /// The byte offset in [`Dispatch::body`] of a byte offset in [`Dispatch::source`]:
    /// the first body byte copied from at or after it (the end of the body past the last).
    pub fn body_offset(&self, source_byte: usize) -> usize {
        self.map[..self.map.len() - 1].partition_point(|&m| (m as usize) < source_byte)
    }
    /// The byte range in [`Dispatch::body`] of a range of characters of
    /// [`Dispatch::source`] (how the gold corpus gives its spans).
    pub fn body_span_of_chars(&self, chars: Range<usize>) -> Range<usize> {
        let byte = |c: usize| {
            self.source
                .char_indices()
                .nth(c)
                .map_or(self.source.len(), |(b, _)| b)
        };
        self.body_offset(byte(chars.start))..self.body_offset(byte(chars.end))
    }
    pub fn title_text(&self) -> Option<&str> {
        self.title.clone().map(|r| &self.body[r])
    }
}

static HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*").unwrap());
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\p{Lu}[^,\n]{1,40},\s+(\d{1,2})(?:er)?\s+(janv|févr|fév|fevr|mars|avr|mai|juin|juil|août|aout|sept|oct|nov|déc|dec)[a-zéû]*\.?\s+(\d{4})\b")
        .unwrap()
});
/// Words that open a lede glued to its title: articles, pronouns and prepositions.
const LEDE_OPENERS: &str =
    "Le|La|Les|L'|L’|Un|Une|Des|Il|Elle|Selon|Après|Avant|Depuis|Dans|Pour|Face|Alors|Ce|Cette";
/// A lede opener that is an article, pronoun or preposition: preferred to a capital's name, which a
/// title may hold as an object (`Bakou accuse Erevan de frappes Le ministère …`).
static TITLE_END_ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"[\p{{Ll}}\d»”]\s+(?:{LEDE_OPENERS})\b")).unwrap());
/// A capital's name opening the lede (`… Moscou a annoncé`), read when no article or
/// pronoun opens it.
static TITLE_END_CAPITAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Ll}\d»”]\s+(?:Moscou|Washington|Bakou|Erevan|Ankara|Paris)\b").unwrap()
});

const MONTHS: [&str; 12] = [
    "jan", "fé", "mar", "av", "mai", "juin", "juil", "ao", "se", "oc", "no", "dé",
];

fn month_number(abbr: &str) -> Option<u8> {
    let a = abbr
        .to_lowercase()
        .replace("fev", "fé")
        .replace("dec", "dé")
        .replace("aout", "ao");
    // "juin" must be tried before "juil"'s prefix "ju" could confuse: all keys are distinct prefixes.
    MONTHS
        .iter()
        .position(|m| a.starts_with(m))
        .map(|i| i as u8 + 1)
}

/// One line of the original: its byte range without the line break.
struct Line {
    start: usize,
    end: usize,
}

/// Parses a dispatch from its text. `id` names it in outputs and errors.
pub fn parse_str(id: &str, source: &str) -> Dispatch {
    let mut start = 0;
    if source.starts_with('\u{feff}') {
        start = '\u{feff}'.len_utf8();
    }
    let mut date = None;
    let mut had_header = false;
    if let Some(c) = HEADER.captures(&source[start..]) {
        date = DispatchDate::parse(&c[1]);
        if date.is_some() {
            had_header = true;
            start += c.get(0).unwrap().end();
        }
    }
    let lines = split_lines(source, start);
    let blocks = blocks(source, &lines);
    let paragraphs = merge_wrapped(source, &lines, blocks);

    let mut body = String::with_capacity(source.len());
    let mut map: Vec<u32> = Vec::with_capacity(source.len() + 1);
    let mut ranges = Vec::new();
    for para in &paragraphs {
        if !body.is_empty() {
            let at = map.last().copied().unwrap_or(0);
            body.push_str("\n\n");
            map.extend([at, at]);
        }
        let p_start = body.len();
        for (k, &li) in para.iter().enumerate() {
            let line = &lines[li];
            let text = source[line.start..line.end].trim();
            let lead = source[line.start..line.end].len()
                - source[line.start..line.end].trim_start().len();
            if k > 0 {
                let joined_hyphen = body.ends_with('-')
                    && body[..body.len() - 1]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic)
                    && text.chars().next().is_some_and(char::is_alphabetic);
                if !joined_hyphen {
                    body.push(' ');
                    map.push(line.start.saturating_sub(1) as u32);
                }
            }
            body.push_str(text);
            map.extend((0..text.len()).map(|i| (line.start + lead + i) as u32));
        }
        ranges.push(p_start..body.len());
    }
    map.push(source.len() as u32);

    // a dateline (`Tbilissi, 17 nov 2020 (AFP)`) gives the day a month header lacks
    if date.is_none_or(|d| d.day.is_none()) {
        // the dateline opens the first paragraph, or the second after a title
        let c = ranges
            .iter()
            .take(2)
            .find_map(|p| DATELINE.captures(&body[p.clone()]));
        if let Some(c) = c {
            let day: u8 = c[1].parse().unwrap_or(0);
            if let (Some(month), Ok(year)) = (month_number(&c[2]), c[3].parse::<u16>()) {
                let same_month = date.is_none_or(|d| (d.year, d.month) == (year, month));
                if same_month {
                    date = DispatchDate::parse(&format!("{year:04}-{month:02}-{day:02}")).or(date);
                }
            }
        }
    }
    let title = find_title(&body, ranges.first().cloned(), had_header);
    Dispatch {
        id: id.to_string(),
        date,
        source: source.to_string(),
        body,
        map,
        paragraphs: ranges,
        title,
    }
}

fn split_lines(source: &str, start: usize) -> Vec<Line> {
    // LF, CRLF and a lone CR (old Mac files) all end a line
    let bytes = source.as_bytes();
    let mut lines = Vec::new();
    let mut s = start;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(Line { start: s, end: i });
                s = i + 1;
            }
            b'\r' => {
                lines.push(Line { start: s, end: i });
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                s = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if s < source.len() {
        lines.push(Line {
            start: s,
            end: source.len(),
        });
    }
    lines
}

fn is_blank(source: &str, l: &Line) -> bool {
    source[l.start..l.end].trim().is_empty()
}

/// Runs of non-blank lines, as lists of line indices.
fn blocks(source: &str, lines: &[Line]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if is_blank(source, l) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(i);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with(['.', '!', '?', '…', ':', '»', '"', '”']) || t.is_empty()
}

/// When a text double-spaces its hard-wrapped lines, most blocks are one line that stops
/// mid-sentence: then a blank line is a wrap, and a paragraph ends only where a line ends
/// a sentence, the next starts with a capital or a quotation mark, and no quote (« or “)
/// is left open.
fn merge_wrapped(source: &str, lines: &[Line], blocks: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    let text = |b: &Vec<usize>| {
        let l = &lines[*b.last().unwrap()];
        &source[l.start..l.end]
    };
    let single = blocks.iter().filter(|b| b.len() == 1).count();
    let open = blocks.iter().filter(|b| !ends_sentence(text(b))).count();
    let double_spaced =
        blocks.len() >= 4 && single * 10 >= blocks.len() * 8 && open * 10 >= blocks.len() * 3;
    if !double_spaced {
        return blocks;
    }
    // a quote opened and not closed in the paragraph so far: the paragraph goes on
    let open_quote = |b: &Vec<usize>| {
        let (mut guillemets, mut curly) = (0i32, 0i32);
        for &i in b {
            for c in source[lines[i].start..lines[i].end].chars() {
                match c {
                    '«' => guillemets += 1,
                    '»' => guillemets -= 1,
                    '“' => curly += 1,
                    '”' => curly -= 1,
                    _ => {}
                }
            }
        }
        guillemets > 0 || curly > 0
    };
    let mut out: Vec<Vec<usize>> = Vec::new();
    for b in blocks {
        let first = &lines[b[0]];
        let starts_new = source[first.start..first.end]
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || "«\"“„‹".contains(c));
        match out.last_mut() {
            Some(prev) if !(ends_sentence(text(prev)) && starts_new) || open_quote(prev) => {
                prev.extend(b)
            }
            _ => out.push(b),
        }
    }
    out
}

/// The title, when the first paragraph opens with one: a header line glues title and
/// lede, so the title ends before the first capitalised sentence opener; without a
/// header, a short first paragraph with no final stop is a title.
fn find_title(body: &str, first: Option<Range<usize>>, had_header: bool) -> Option<Range<usize>> {
    let first = first?;
    let p = &body[first.clone()];
    if p.contains("(AFP)") || p.contains("(Reuters)") {
        return None;
    }
    let whole = p.chars().count() <= 150 && !p.trim_end().ends_with(['.', '!', '?', '»', '"', '”']);
    if had_header {
        let article = TITLE_END_ARTICLE.find(p);
        // a title on a line of its own
        if whole && article.is_none() {
            return Some(first);
        }
        let m = article.or_else(|| TITLE_END_CAPITAL.find(p))?;
        let cut = m.start() + p[m.start()..].chars().next()?.len_utf8();
        let t = &p[..cut];
        if cut < 5 || t.contains(". ") || t.chars().count() > 220 {
            return None;
        }
        return Some(first.start..first.start + cut);
    }
    if whole {
        return Some(first);
    }
    None
}

/// Character offset of a byte offset.
pub fn char_offset(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

/// Character offsets of byte offsets in one text, counted incrementally (forward, or back
/// from the last one) so that a dispatch with many statements stays linear.
pub struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            byte: 0,
            chars: 0,
        }
    }
    pub fn offset(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            // back to an earlier offset (a speaker named before): from here or the start,
            // whichever is nearer
            if self.byte - byte < byte {
                self.chars -= self.text[byte..self.byte].chars().count();
                self.byte = byte;
                return self.chars;
            }
            (self.byte, self.chars) = (0, 0);
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Reads and parses one dispatch file; its id is the file stem.
pub fn parse_path(path: &Path) -> Result<Dispatch> {
    let id = path
        .file_stem()
        .map_or_else(|| "dispatch".into(), |s| s.to_string_lossy().into_owned());
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read(&id, f, path)
}

/// Reads a dispatch from any reader (e.g. standard input); `id` names it.
pub fn parse_reader(id: &str, r: impl std::io::Read) -> Result<Dispatch> {
    read(id, r, Path::new(id))
}

/// A dispatch larger than this is refused: no wire story is that long, and reading it
/// whole would let one input take the memory of a batch.
pub const MAX_DISPATCH_BYTES: u64 = 16 << 20;

fn read(id: &str, r: impl std::io::Read, origin: &Path) -> Result<Dispatch> {
    use std::io::Read;
    let mut bytes = Vec::new();
    r.take(MAX_DISPATCH_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(origin, e))?;
    if bytes.len() as u64 > MAX_DISPATCH_BYTES {
        return Err(too_large(origin, None));
    }
    let text = decode(bytes, origin, 1)?;
    check_text(&text, origin)?;
    Ok(parse_str(id, &text))
}

/// The error for an input over [`MAX_DISPATCH_BYTES`].
pub fn too_large(origin: &Path, line: Option<u64>) -> Error {
    Error::data(
        origin,
        line,
        format!(
            "larger than {} MB: not one dispatch (split it into files, or one JSON line a dispatch)",
            MAX_DISPATCH_BYTES >> 20
        ),
    )
}

/// Why a text is no dispatch, if it is not: binary (a NUL byte; with the 0-based line
/// of it) or empty or blank.
pub fn text_problem(text: &str) -> Option<(Option<u64>, &'static str)> {
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() as u64;
        return Some((Some(line), "binary data (a NUL byte), not text"));
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Some((None, "empty, no text"));
    }
    None
}

fn check_text(text: &str, origin: &Path) -> Result<()> {
    match text_problem(text) {
        Some((line, why)) => Err(Error::data(origin, line.map(|l| l + 1), why)),
        None => Ok(()),
    }
}

/// The bytes as UTF-8 text, or an error naming the line (counted from `first_line`),
/// the column and the offending byte. Latin-1 and other 8-bit encodings are refused
/// rather than guessed: a wrong guess would shift every character offset written.
pub fn decode(bytes: Vec<u8>, origin: &Path, first_line: u64) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Error::Utf8 {
            path: origin.to_path_buf(),
            line: first_line + before.iter().filter(|&&b| b == b'\n').count() as u64,
            column,
            value: bytes[at],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, date, title, paragraphs)
    #[test]
    fn parse_table() {
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                " date 2020-10 Karabakh – Paris appelle au calme Le président français a parlé.\n\nDeuxième paragraphe.\n",
                Some("2020-10"),
                Some("Karabakh – Paris appelle au calme"),
                &[
                    "Karabakh – Paris appelle au calme Le président français a parlé.",
                    "Deuxième paragraphe.",
                ],
            ),
            (
                "\u{feff} date 2020-11-09 Titre court Le texte suit.\r\n\r\nUne ligne\r\ncoupée en deux.\r\n",
                Some("2020-11-09"),
                Some("Titre court"),
                &["Titre court Le texte suit.", "Une ligne coupée en deux."],
            ),
            (
                "Bakou, 12 oct 2020 (AFP) - Les tirs ont repris\n\nà l'aube dans le sud, selon\n\nle ministère.\n\nUn autre fait a été\n\nrapporté par la presse.\n\nEt encore un autre.\n",
                Some("2020-10-12"),
                None,
                &[
                    "Bakou, 12 oct 2020 (AFP) - Les tirs ont repris à l'aube dans le sud, selon le ministère.",
                    "Un autre fait a été rapporté par la presse.",
                    "Et encore un autre.",
                ],
            ),
            // a quote left open at a line that ends a sentence goes on
            (
                "Bakou, 12 oct 2020 (AFP) - Les tirs ont repris\n\nà l'aube. « Cette guerre n'a rien réglé.\n\nIl n'y aura pas de paix », a-t-il\n\naverti.\n\nUn autre fait a été\n\nrapporté par la presse.\n",
                Some("2020-10-12"),
                None,
                &[
                    "Bakou, 12 oct 2020 (AFP) - Les tirs ont repris à l'aube. « Cette guerre n'a rien réglé. Il n'y aura pas de paix », a-t-il averti.",
                    "Un autre fait a été rapporté par la presse.",
                ],
            ),
            (
                "Pas de date ici, rien.",
                None,
                None,
                &["Pas de date ici, rien."],
            ),
            (
                "Le Haut-\nKarabakh est une région.",
                None,
                None,
                &["Le Haut-Karabakh est une région."],
            ),
            ("", None, None, &[]),
            (
                "Une ligne\rcoupée.\r\rUn autre paragraphe.\r",
                None,
                None,
                &["Une ligne coupée.", "Un autre paragraphe."],
            ),
        ];
        for (input, date, title, paras) in cases {
            let d = parse_str("t", input);
            assert_eq!(d.date.map(|d| d.to_string()).as_deref(), *date, "{input:?}");
            assert_eq!(d.title_text(), *title, "{input:?}");
            let got: Vec<&str> = d.paragraphs.iter().map(|r| &d.body[r.clone()]).collect();
            assert_eq!(&got, paras, "{input:?}");
        }
    }

    #[test]
    fn offsets_point_into_the_source() {
        let src = "\u{feff} date 2020-10 A b Le c.\r\n\r\nUne «citation»\r\nsur deux lignes.";
        let d = parse_str("t", src);
        let i = d.body.find("citation").unwrap();
        let r = d.source_span(i..i + "citation".len());
        assert_eq!(&src[r], "citation");
        let i = d.body.find("citation» sur deux").unwrap();
        let r = d.source_span(i..i + "citation» sur deux".len());
        assert_eq!(&src[r], "citation»\r\nsur deux");
        let i = d.body.find("citation»").unwrap();
        let r = d.source_span(i..i + "citation»".len());
        assert_eq!(&src[r], "citation»");
        // every range between char boundaries maps to one in the source
        for (a, _) in d.body.char_indices() {
            for (b, _) in d.body.char_indices().filter(|&(b, _)| b > a) {
                let r = d.source_span(a..b);
                assert!(
                    src.is_char_boundary(r.start) && src.is_char_boundary(r.end),
                    "{a}..{b}"
                );
            }
        }
    }

    #[test]
    fn cursor_counts_characters_in_any_order() {
        let t = "«é» a ‹b›";
        let mut c = CharCursor::new(t);
        for b in [0, 2, 4, 6, 2, t.len(), 0] {
            assert_eq!(c.offset(b), char_offset(t, b), "byte {b}");
        }
    }

    #[test]
    fn date_parse() {
        assert_eq!(DispatchDate::parse("2020-13"), None);
        assert_eq!(DispatchDate::parse("2020-10-32"), None);
        assert_eq!(
            DispatchDate::parse("2020-10-01").unwrap().to_string(),
            "2020-10-01"
        );
    }
}

#[cfg(test)]
mod cursor_tests {
    use super::CharCursor;

    #[test]
    fn cursor_moves_both_ways() {
        let text = "éé aa ùù bb";
        let mut c = CharCursor::new(text);
        // (byte offset, char offset), in the order asked
        for (byte, want) in [(0, 0), (5, 3), (12, 8), (7, 5), (5, 3), (2, 1), (14, 10)] {
            assert_eq!(c.offset(byte), want, "byte {byte}");
        }
    }
}
