//! Quotation marks: which mark opens, which closes, and the quoted segments they pair into.
//!
//! Marks are read by their context before their glyph, because conversions break glyphs:
//! in `"dès que possible« pour … »durable« . »Depuis`, a `«` glued after a word closes
//! and a `»` glued before one opens. A quote still open at a paragraph end runs on into
//! the next paragraph when that one closes it before opening another; it continues as a
//! new segment when the next paragraph opens with a mark (French multi-paragraph quotes);
//! and it is closed at the paragraph end otherwise.

use std::ops::Range;

const OPENERS: &[char] = &['«', '“', '„', '‹'];
const CLOSERS: &[char] = &['»', '”', '›'];

fn is_mark(c: char) -> bool {
    OPENERS.contains(&c) || CLOSERS.contains(&c) || c == '"'
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

fn role(text: &str, at: usize, c: char) -> Role {
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    let space_or_edge =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "([{—–-".contains(c));
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let closing_tail =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || ",.;:!?)]…".contains(c));
    if space_or_edge(before) && (word(after) || after.is_some_and(|c| "'’…".contains(c))) {
        return Role::Open;
    }
    if before.is_some_and(|c| !c.is_whitespace()) && closing_tail(after) {
        return Role::Close;
    }
    if c == '„' || (OPENERS.contains(&c) && c != '“') {
        Role::Open
    } else if CLOSERS.contains(&c) {
        Role::Close
    } else {
        Role::Either
    }
}

/// One quoted segment: the words inside the marks, trimmed, as a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub inner: Range<usize>,
    /// The range including the marks (or the paragraph edge for a quote left open).
    pub outer: Range<usize>,
    /// True when this segment continues the previous one (a quote over two paragraphs).
    pub continues: bool,
}

fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    r.start + lead..(r.end - trail).max(r.start + lead)
}

/// The outermost quoted segments of `text`, whose paragraphs are the given ranges.
pub fn segments(text: &str, paragraphs: &[Range<usize>]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut carry = false;
    // a quote open at the end of the previous paragraph that this one closes
    let (mut depth, mut open_at) = (0usize, 0usize);
    for (pi, p) in paragraphs.iter().enumerate() {
        let mut first_mark_at_start = false;
        for (i, c) in text[p.clone()].char_indices() {
            let at = p.start + i;
            if !is_mark(c) {
                continue;
            }
            let r = role(text, at, c);
            if i == 0 && r != Role::Close {
                first_mark_at_start = true;
            }
            let opens = match r {
                Role::Open => true,
                Role::Close => false,
                Role::Either => depth == 0,
            };
            if opens {
                if depth == 0 {
                    open_at = at;
                }
                depth += 1;
            } else if depth > 0 {
                depth -= 1;
                if depth == 0 {
                    let inner = trimmed(
                        text,
                        open_at + text[open_at..].chars().next().unwrap().len_utf8()..at,
                    );
                    if !inner.is_empty() {
                        let continues = carry && first_mark_at_start && open_at == p.start;
                        out.push(Segment {
                            inner,
                            outer: open_at..at + c.len_utf8(),
                            continues,
                        });
                    }
                    carry = false;
                }
            }
        }
        if depth > 0
            && paragraphs
                .get(pi + 1)
                .is_some_and(|n| closes_first(text, n.clone()))
        {
            // the next paragraph closes the quote before it opens another: one quote
            // over both (`« … ⏎⏎ Cela vaut aussi pour les blessés », a-t-il insisté.`)
            carry = false;
            continue;
        }
        if depth > 0 {
            // left open: the quote runs to the paragraph end
            let inner = trimmed(
                text,
                open_at + text[open_at..].chars().next().unwrap().len_utf8()..p.end,
            );
            let continues = carry && first_mark_at_start && open_at == p.start;
            if !inner.is_empty() {
                out.push(Segment {
                    inner,
                    outer: open_at..p.end,
                    continues,
                });
            }
            let next_opens = paragraphs.get(pi + 1).is_some_and(|n| {
                text[n.clone()]
                    .chars()
                    .next()
                    .is_some_and(|c| is_mark(c) && role(text, n.start, c) != Role::Close)
            });
            carry = next_opens;
        } else {
            carry = false;
        }
        depth = 0;
    }
    out
}

/// Whether the first mark of `text[p]` closes a quote (and none opens before it).
fn closes_first(text: &str, p: Range<usize>) -> bool {
    text[p.clone()]
        .char_indices()
        .find(|&(_, c)| is_mark(c))
        .is_some_and(|(i, c)| role(text, p.start + i, c) == Role::Close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<(&str, bool)> {
        let paras: Vec<Range<usize>> = {
            let mut v = Vec::new();
            let mut s = 0;
            for (i, _) in text.match_indices("\n\n") {
                v.push(s..i);
                s = i + 2;
            }
            v.push(s..text.len());
            v
        };
        segments(text, &paras)
            .into_iter()
            .map(|s| (&text[s.inner], s.continues))
            .collect()
    }

    #[test]
    fn segments_table() {
        let cases: &[(&str, &[(&str, bool)])] = &[
            ("Il a dit «non merci» hier.", &[("non merci", false)]),
            ("Il a dit « non merci » hier.", &[("non merci", false)]),
            (
                "Il a dit “oui” puis „peut-être“ et ‹ bof ›.",
                &[("oui", false), ("peut-être", false), ("bof", false)],
            ),
            (
                "Il a dit \"oui\", puis \"non\".",
                &[("oui", false), ("non", false)],
            ),
            (
                "« Le mot “paix” est vide », a-t-il dit.",
                &[("Le mot “paix” est vide", false)],
            ),
            (
                "appelé \"dès que possible« pour une solution »durable« . »Depuis le début, les civils\", a dit X.",
                &[
                    ("dès que possible", false),
                    ("durable", false),
                    ("Depuis le début, les civils", false),
                ],
            ),
            (
                "« Premier paragraphe.\n\n« Second paragraphe », a-t-il dit.",
                &[("Premier paragraphe.", false), ("Second paragraphe", true)],
            ),
            (
                "« Premier paragraphe.\n\nSecond paragraphe », a-t-il dit.",
                &[("Premier paragraphe.\n\nSecond paragraphe", false)],
            ),
            (
                "Un guillemet « jamais fermé\n\nSuite normale.",
                &[("jamais fermé", false)],
            ),
            ("«Occupation»", &[("Occupation", false)]),
            ("Rien à citer ici.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&quoted(text), want, "{text:?}");
        }
    }
}
