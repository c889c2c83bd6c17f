//! Vox-pop speakers: people quoted in a report by first name and age (`Anahit, 52 ans`)
//! or by a description (`le vieil homme`, `un moine`). Each is a mention of the
//! gazetteer's civilian group of their side — the group (an actor with `places`) whose
//! place named last before them, in their paragraph or earlier, is nearest.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::actor::{ActorId, Gazetteer, Mention, MentionKind};

/// A first name and an age (`Garnik, 67 ans`), or a description of an unnamed person.
static VOX_POP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}])(\p{Lu}\p{Ll}+(?:\s\p{Lu}\.)?,\s+\d{1,3}\s+ans|(?:le|la|un|une)\s+(?:vieil homme|vieille femme|vieille dame|jeune homme|jeune femme|habitant|habitante|moine|prêtre|père|mère|retraitée?|réfugiée?|déplacée?|soldat|volontaire|commerçante?|chauffeur|enseignante?|étudiante?|infirmière?|médecin))\b").unwrap()
});

/// The mentions of vox-pop speakers in `text`, to merge with the gazetteer's.
pub fn mentions(text: &str, g: &Gazetteer, known: &[Mention]) -> Vec<Mention> {
    let groups: Vec<(ActorId, Vec<&str>)> = g
        .actors()
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.places.is_empty())
        .map(|(i, a)| (i, a.places.iter().map(String::as_str).collect()))
        .collect();
    if groups.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in VOX_POP.captures_iter(text) {
        let Some(m) = c.get(1) else { continue };
        let span: Range<usize> = m.start()..m.end();
        if known
            .iter()
            .any(|k| k.span.start < span.end && span.start < k.span.end)
        {
            continue;
        }
        // the side whose place is named last before the speaker
        let before = &text[..span.start];
        let side = groups
            .iter()
            .filter_map(|(id, places)| {
                places
                    .iter()
                    .filter_map(|p| rfind_word(before, p))
                    .max()
                    .map(|at| (at, *id))
            })
            .max();
        if let Some((_, actor)) = side {
            out.push(Mention {
                span,
                actor,
                kind: MentionKind::Name,
            });
        }
    }
    out
}

/// The last place `word` occurs in `s` as a whole word.
fn rfind_word(s: &str, word: &str) -> Option<usize> {
    let mut end = s.len();
    while let Some(i) = s[..end].rfind(word) {
        let before = s[..i].chars().next_back();
        let after = s[i + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(i);
        }
        end = i;
    }
    None
}
