//! Reported speech: statements without quotation marks.
//!
//! Two constructions are read, sentence by sentence: a speaker followed by a reporting
//! verb (`Zohrab Mnatsakanian a accusé Bakou d'être …`, `Il a affirmé que …`), whose
//! statement is the rest of the sentence without the verb and a leading `que`; and
//! `selon X, …` / `d'après X, …`, whose statement is the clause after the comma. A
//! sentence whose reported part holds a direct quote is left to the quote.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::speaker::Found;
use super::speaker::{self, VERB_PARTICIPLES, VERB_PRESENT};
use super::{Cue, Kind, Speaker, Statement, collapse};
use crate::actor::Mention;

/// After a subject and its auxiliary: adverbs, then the reporting verb.
static VERB_AFTER_AUX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:\s+(?:également|aussi|encore|toutefois|cependant|déjà|notamment|ensuite|enfin|aussitôt|immédiatement|fermement|vivement|publiquement|récemment|plusieurs fois|à nouveau|de nouveau|pour sa part|de son côté|par ailleurs|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|samedi soir|dans la soirée|dans un communiqué|dans une déclaration|sur Twitter)[,]?)*\s+(?:{VERB_PARTICIPLES})\b"
    ))
    .unwrap()
});
/// A present-tense reporting verb right after the subject (`Bakou affirme que`).
static PRESENT_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s+(?:{VERB_PRESENT})\b")).unwrap());
static PRONOUN_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:Il|Elle|Ce dernier|Cette dernière)\s+(?:a|avait|aurait)(?:\s+(?:également|aussi|encore|toutefois|ensuite|enfin|pour sa part|de son côté|par ailleurs))*\s+(?:{VERB_PARTICIPLES})\b"
    ))
    .unwrap()
});
static SELON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|,\s+)(?:[Ss]elon|[Dd]'après|[Dd]’après)\s").unwrap());
/// `… selon X.` closing a sentence: the source follows what it reports.
static SELON_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r",?\s+(?:selon|d'après|d’après)\s").unwrap());
/// What opens the reported content and is not part of it.
static LEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s,:]*(?:que\s+|qu['’]\s*)?").unwrap());
const QUOTE_MARKS: &[char] = &['«', '»', '“', '”', '„', '‹', '›', '"'];

/// The sentences of a paragraph, as byte ranges.
fn sentences(text: &str, p: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = p.start;
    let mut prev = ' ';
    for (i, c) in text[p.clone()].char_indices() {
        let at = p.start + i;
        if matches!(prev, '.' | '!' | '?') && c.is_whitespace() {
            let next = text[at..p.end].trim_start().chars().next();
            if next.is_some_and(|n| n.is_uppercase() || QUOTE_MARKS.contains(&n)) {
                out.push(start..at);
                start = at;
            }
        }
        prev = c;
    }
    out.push(start..p.end);
    out
}

/// The reported content from `from` to the sentence end, or `None` when it is too
/// short or holds a quotation mark (a direct quote reports it).
fn content(text: &str, from: usize, end: usize) -> Option<Range<usize>> {
    let lead = LEAD.find(&text[from..end]).map_or(0, |m| m.end());
    let s = from + lead;
    let body = text[s..end].trim_end_matches(|c: char| c.is_whitespace() || ".!?;:,".contains(c));
    let e = s + body.len();
    let words = body.split_whitespace().count();
    (words >= 3 && !body.contains(QUOTE_MARKS)).then_some(s..e)
}

/// The reported statements of a dispatch body whose paragraphs are given; `direct` are
/// its direct statements (for pronouns: the latest speaker before a sentence).
pub fn reported_statements(
    text: &str,
    paragraphs: &[Range<usize>],
    mentions: &[Mention],
    direct: &[Statement],
) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    let push = |span: Range<usize>, (who, mention, cue): Found, out: &mut Vec<Statement>| {
        out.push(Statement {
            text: collapse(&text[span.clone()]),
            span,
            kind: Kind::Indirect,
            speaker: who,
            mention,
            cue,
        });
    };
    for p in paragraphs {
        for sent in sentences(text, p.clone()) {
            let end = sent.end;
            // the latest speaker before this sentence, for pronouns
            let latest = |out: &Vec<Statement>| -> Option<Found> {
                // statements are in order and do not overlap: binary search, not a scan
                let before = |v: &[Statement]| {
                    v[..v.partition_point(|s| s.span.end <= sent.start)]
                        .last()
                        .cloned()
                };
                let best = match (before(direct), before(out)) {
                    (Some(a), Some(b)) => Some(if a.span.end >= b.span.end { a } else { b }),
                    (a, b) => a.or(b),
                };
                // a clause subject named since then, looked for in a bounded window
                let from = best
                    .as_ref()
                    .map_or(0, |s| s.span.end)
                    .max(sent.start.saturating_sub(2000));
                let subject = speaker::within(mentions, from..sent.start)
                    .iter()
                    .rev()
                    .find(|m| {
                        speaker::usable(text, m)
                            && speaker::AUXILIARY_AFTER.is_match(&text[m.span.end..sent.start])
                    });
                subject
                    .map(|m| (Speaker::Known(m.actor), Some(m.span.clone()), Cue::Pronoun))
                    .or_else(|| best.map(|s| (s.speaker, s.mention, Cue::Pronoun)))
            };
            // `selon X, …`
            if let Some(sel) = SELON.find(&text[sent.clone()]) {
                let after = sent.start + sel.end();
                let window_end = (after + 120).min(end);
                let m = speaker::within(mentions, after..window_end).first();
                if let Some(m) = m {
                    if let Some(comma) = text[m.span.end..end].find(',') {
                        if let Some(c) = content(text, m.span.end + comma + 1, end) {
                            push(
                                c,
                                (Speaker::Known(m.actor), Some(m.span.clone()), Cue::Source),
                                &mut out,
                            );
                            continue;
                        }
                    }
                }
            }
            // `…, selon X.`: the clause before, from its last comma
            if let Some(sel) = SELON_AFTER.find_iter(&text[sent.clone()]).last() {
                let after = sent.start + sel.end();
                let m = speaker::within(mentions, after..end).first();
                let tail_is_source = m.is_some_and(|m| !text[m.span.end..end].contains(','));
                if let (Some(m), true) = (m, tail_is_source) {
                    let before = &text[sent.start..sent.start + sel.start()];
                    let from = before.rfind(',').map_or(sent.start, |c| sent.start + c + 1);
                    if let Some(c) = content(text, from, sent.start + sel.start()) {
                        push(
                            c,
                            (Speaker::Known(m.actor), Some(m.span.clone()), Cue::Source),
                            &mut out,
                        );
                        continue;
                    }
                }
            }
            // `Il a affirmé que …`
            if let Some(pr) = PRONOUN_CLAUSE.find(&text[sent.clone()]) {
                if let (Some(c), Some(found)) =
                    (content(text, sent.start + pr.end(), end), latest(&out))
                {
                    push(c, found, &mut out);
                    continue;
                }
            }
            // `X a accusé Bakou de …`: the first mention of the sentence followed by its
            // auxiliary and a reporting verb
            for m in speaker::within(mentions, sent.clone()) {
                if !speaker::usable(text, m) {
                    continue;
                }
                let Some(aux) = speaker::AUXILIARY_AFTER.find(&text[m.span.end..end]) else {
                    continue;
                };
                let after_aux = m.span.end + aux.end();
                let verb_end = match VERB_AFTER_AUX.find(&text[after_aux..end]) {
                    Some(v) => after_aux + v.end(),
                    // the auxiliary was itself a present-tense verb (`Bakou affirme`)
                    None if PRESENT_VERB.is_match(&text[m.span.end..end])
                        || aux
                            .as_str()
                            .split_whitespace()
                            .last()
                            .is_some_and(|w| PRESENT_VERB.is_match(&format!(" {w}"))) =>
                    {
                        after_aux
                    }
                    None => continue,
                };
                if let Some(c) = content(text, verb_end, end) {
                    push(
                        c,
                        (Speaker::Known(m.actor), Some(m.span.clone()), Cue::Subject),
                        &mut out,
                    );
                }
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::actor::Gazetteer;
    use crate::actor::tests::SMALL;
    use crate::statement::Kind;
    use crate::statement::tests::check_table;

    /// (dispatch, [(reported statement, speaker id)])
    #[test]
    fn reported_table() {
        let g = Gazetteer::from_toml(SMALL, "test").unwrap();
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "Djeyhoun Baïramov a accusé l'Arménie de violer la trêve humanitaire.",
                &[(
                    "l'Arménie de violer la trêve humanitaire",
                    "jeyhun-bayramov",
                )],
            ),
            (
                "Mike Pompeo a également affirmé que les deux pays devaient négocier. Il a ajouté que Washington suivait la situation.",
                &[
                    ("les deux pays devaient négocier", "mike-pompeo"),
                    ("Washington suivait la situation", "mike-pompeo"),
                ],
            ),
            (
                "Selon Bakou, les tirs ont repris dans la nuit.",
                &[("les tirs ont repris dans la nuit", "azerbaijan-gov")],
            ),
            // a quote is left to the direct extractor; a place is not a speaker
            ("Pompeo a déclaré que la paix était « possible ».", &[]),
            (
                "Des combats ont eu lieu à Bakou a rapporté la presse locale hier.",
                &[],
            ),
            ("Pompeo a dit non.", &[]),
            (
                "Washington, comme Moscou, a multiplié les appels au calme.",
                &[],
            ),
            (
                "Bakou affirme que ses positions ont tenu.",
                &[("ses positions ont tenu", "azerbaijan-gov")],
            ),
        ];
        check_table(&g, cases, Some(Kind::Indirect));
    }
}
