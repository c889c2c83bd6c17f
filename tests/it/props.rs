//! Properties over generated dispatches: French words, names, reporting verbs and every
//! kind of quotation mark, glued by spaces, line breaks and blank lines, with or without
//! a BOM and a ` date` header.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::select;
use stance::actor::Gazetteer;
use stance::dispatch::{Dispatch, parse_str};
use stance::statement::{Statement, extract_statements};

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::default_karabakh);

const PIECES: &[&str] = &[
    "Pompeo",
    "Mike Pompeo",
    "Aliev",
    "Ilham Aliev",
    "Pachinian",
    "Nikol Pachinian",
    "Anna Hakobian",
    "Bakou",
    "Erevan",
    "Washington",
    "le chef de la diplomatie",
    "Anahit, 52 ans",
    "à Stepanakert",
    "a déclaré",
    "a dit",
    "a affirmé que",
    "a-t-il ajouté",
    "affirme que",
    "selon",
    "Selon",
    "selon lui",
    "d'après",
    "qui a dénoncé",
    "assurant que",
    "et appelé",
    "Il",
    "Elle",
    "il",
    "la paix",
    "la guerre",
    "les combats doivent cesser",
    "cessez-le-feu",
    "Haut-",
    "Karabakh",
    "une attaque",
    "contre des civils",
    "était",
    "à Genève",
    "mardi",
    "dans un communiqué",
    "été",
    "«",
    "»",
    "“",
    "”",
    "\"",
    "‹",
    "›",
    "„",
    ",",
    ".",
    ":",
    "é",
    "(AFP)",
];

const GLUE: &[&str] = &[
    "", " ", " ", " ", " ", "\n", "\n\n", "\r\n", " \n \n", "\u{a0}",
];

/// A dispatch: whether it has a BOM, whether a ` date 2020-10-12 ` header, and its text.
fn dispatch() -> impl Strategy<Value = (bool, bool, String)> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((select(PIECES), select(GLUE)), 0..70),
    )
        .prop_map(|(bom, header, parts)| {
            let text = parts.iter().flat_map(|(p, g)| [*p, *g]).collect();
            (bom, header, text)
        })
}

fn source(bom: bool, header: bool, text: &str) -> String {
    format!(
        "{}{}{text}",
        if bom { "\u{feff}" } else { "" },
        if header { " date 2020-10-12 " } else { "" }
    )
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        ..ProptestConfig::default()
    }
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn extract(src: &str) -> (Dispatch, Vec<Statement>) {
    let d = parse_str("prop", src);
    let s = extract_statements(&d, &GAZETTEER);
    (d, s)
}

fn on_boundaries(s: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end && r.end <= s.len() && s.is_char_boundary(r.start) && s.is_char_boundary(r.end)
}

proptest! {
    #![proptest_config(config())]

    /// Parsing deletes the BOM, the header and whitespace only, and inserts whitespace
    /// only: the source less its BOM and header, without whitespace, is the body without
    /// whitespace. The words are the same too, unless a line ends with a hyphen (`Haut-`
    /// + `Karabakh` joins into one word). The body is its paragraphs joined by blank
    /// lines, each one line, trimmed and not empty.
    #[test]
    fn parsing_keeps_the_text((bom, header, text) in dispatch()) {
        let d = parse_str("prop", &source(bom, header, &text));
        prop_assert_eq!(no_space(&d.body), no_space(&text));
        let hyphen_at_line_end = text
            .split(['\n', '\r'])
            .any(|l| l.trim_end().ends_with('-'));
        if !hyphen_at_line_end {
            prop_assert_eq!(words(&d.body), words(&text));
        }
        let paragraphs: Vec<&str> = d.paragraphs.iter().map(|p| &d.body[p.clone()]).collect();
        prop_assert_eq!(paragraphs.join("\n\n"), d.body.clone());
        for p in &paragraphs {
            prop_assert!(!p.is_empty() && p.trim() == *p && !p.contains(['\n', '\r']), "{:?}", p);
        }
        if let Some(t) = &d.title {
            prop_assert!(d.paragraphs[0].start <= t.start && t.end <= d.paragraphs[0].end);
        }
        prop_assert_eq!(d.date.is_some(), header);
    }

    /// Every character of the body that is not whitespace is the same character at the
    /// place [`Dispatch::source_span`] gives in the source.
    #[test]
    fn body_characters_map_to_themselves((bom, header, text) in dispatch()) {
        let src = source(bom, header, &text);
        let d = parse_str("prop", &src);
        for (i, c) in d.body.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            let r = d.source_span(i..i + c.len_utf8());
            prop_assert!(on_boundaries(&src, &r), "{} -> {:?}", i, r);
            prop_assert_eq!(&src[r], &d.body[i..i + c.len_utf8()]);
        }
    }

    /// Statements lie in the body on character boundaries, read their own text, come in
    /// order of their starts, and map to the same words in the source (less whitespace).
    #[test]
    fn statements_lie_in_the_body_in_order((bom, header, text) in dispatch()) {
        let src = source(bom, header, &text);
        let (d, statements) = extract(&src);
        let mut prev = 0;
        for s in &statements {
            prop_assert!(on_boundaries(&d.body, &s.span) && !s.span.is_empty(), "{:?}", s);
            prop_assert!(prev <= s.span.start, "out of order: {:?}", s);
            prev = s.span.start;
            prop_assert_eq!(&s.text, &words(&d.body[s.span.clone()]).join(" "));
            if let Some(m) = &s.mention {
                prop_assert!(on_boundaries(&d.body, m), "{:?}", s);
            }
            let r = d.source_span(s.span.clone());
            prop_assert!(on_boundaries(&src, &r), "{:?} -> {:?}", s, r);
            prop_assert_eq!(no_space(&src[r]), no_space(&d.body[s.span.clone()]));
        }
    }

    /// Statements never overlap: a reported clause over the words of a direct statement
    /// or of an earlier reported one is dropped (`statement::without_overlaps`).
    #[test]
    fn statements_do_not_overlap((bom, header, text) in dispatch()) {
        let (_, statements) = extract(&source(bom, header, &text));
        for w in statements.windows(2) {
            prop_assert!(w[0].span.end <= w[1].span.start, "{:?}\n{:?}", w[0], w[1]);
        }
    }
}
