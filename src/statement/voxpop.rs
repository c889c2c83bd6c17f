//! Vox-pop speakers: people quoted in a report by first name and age (`Anahit, 52 ans`)
//! or by a description (`le vieil homme`, `un moine`). Each is a mention of the
//! gazetteer's civilian group of their side: the group whose `first_names` hold the
//! speaker's first name, else the group (an actor with `places`) whose place named last
//! before them, in their paragraph or earlier, is nearest.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::actor::{ActorId, Gazetteer, Mention, MentionKind};

/// A first name and an age (`Garnik, 67 ans`), or a description of an unnamed person.
static VOX_POP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}])(\p{Lu}\p{Ll}+(?:\s\p{Lu}\.)?,\s+\d{1,3}\s+ans|(?:le|la|un|une)\s+(?:vieil homme|vieille femme|vieille dame|jeune homme|jeune femme|habitante?|moine|prêtre|père|mère|retraitée?|réfugiée?|déplacée?|soldat|volontaire|commerçante?|chauffeur|enseignante?|étudiante?|infirmière?|médecin))").unwrap()
});

/// No letter or digit follows: the word ends (checked after the match, because a Unicode
/// `\b` in the pattern keeps the regex off its fast engines).
fn ends_word(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// The mentions of vox-pop speakers in `text`, to merge with the gazetteer's `known`
/// ones (sorted, not overlapping). One pass: every place is found once, and the speakers
/// are read in order, each taking the side of the last place that ends before them.
pub fn mentions(text: &str, g: &Gazetteer, known: &[Mention]) -> Vec<Mention> {
    // (end, start, group) of every place named, by end
    let places = g.places(text);
    if places.is_empty() && g.actors().iter().all(|a| a.first_names.is_empty()) {
        return Vec::new();
    }
    // the start of the last place of each group seen so far
    let mut last: Vec<(usize, ActorId)> = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for c in VOX_POP.captures_iter(text) {
        let Some(m) = c.get(1).filter(|m| ends_word(text, m.end())) else {
            continue;
        };
        let span: Range<usize> = m.start()..m.end();
        while next < places.len() && places[next].0 <= span.start {
            let (_, start, id) = places[next];
            match last.iter_mut().find(|(_, g)| *g == id) {
                Some(l) => l.0 = l.0.max(start),
                None => last.push((start, id)),
            }
            next += 1;
        }
        if super::speaker::overlaps(known, &span) {
            continue;
        }
        // the side whose first names hold the speaker's, else whose place is named last
        // before the speaker
        let first_name = m.as_str().split(',').next().unwrap_or("");
        let by_name = g
            .actors()
            .iter()
            .position(|a| a.first_names.iter().any(|n| n == first_name));
        if let Some(actor) = by_name.or_else(|| last.iter().max().map(|&(_, a)| a)) {
            out.push(Mention {
                span,
                actor,
                kind: MentionKind::Name,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, [(vox-pop words, actor id)])
    #[test]
    fn voxpop_table() {
        let g = Gazetteer::default_karabakh();
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "À Stepanakert, Nina, 52 ans, balaie. À Bakou, un moine prie. Maria, 67 ans, reste.",
                &[
                    ("Nina, 52 ans", "armenian-civilian"),
                    ("un moine", "azerbaijani-civilian"),
                    ("Maria, 67 ans", "azerbaijani-civilian"),
                ],
            ),
            // whole words only; the longer form of a word is tried
            (
                "À Bakou, le moineau chante, puis une habitante pleure.",
                &[("une habitante", "azerbaijani-civilian")],
            ),
            // no place named before: no side
            ("Nina, 52 ans, balaie à Stepanakert.", &[]),
            // a first name common on one side decides before the places
            (
                "À Bakou, Lilit, 38 ans, attend. À Erevan, Elnour, 45 ans, attend.",
                &[
                    ("Lilit, 38 ans", "armenian-civilian"),
                    ("Elnour, 45 ans", "azerbaijani-civilian"),
                ],
            ),
            // a place inside a longer word does not count
            (
                "Bakou puis Stepanakertois. Nina, 52 ans, balaie.",
                &[("Nina, 52 ans", "azerbaijani-civilian")],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<(&str, &str)> = mentions(text, &g, &[])
                .iter()
                .map(|m| (&text[m.span.clone()], g.actor(m.actor).id.as_str()))
                .collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }
}
