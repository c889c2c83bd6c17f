//! Speaker attribution: the actor a quote is credited to.
//!
//! Three places are read, in order: an incise inside or right after the quote
//! (`, a déclaré Pompeo`, `a-t-il ajouté`), the rest of the sentence after the quote,
//! and the sentence before it, whose subject is the last mention followed by an
//! auxiliary (`Pompeo a dit espérer que … «…»`), else its first mention. Pronouns and
//! `ce dernier` resolve to the previous speaker.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Cue, Speaker};
use crate::actor::Mention;

/// Past participles of reporting verbs (alternation for a regex).
pub const VERB_PARTICIPLES: &str = "dit|déclaré|affirmé|ajouté|assuré|estimé|souligné|indiqué|expliqué|précisé|annoncé|répété|insisté|martelé|lancé|lâché|écrit|accusé|dénoncé|appelé|demandé|exhorté|averti|prévenu|menacé|promis|reconnu|démenti|nié|rappelé|jugé|qualifié|salué|condamné|regretté|déploré|fustigé|réclamé|exigé|proposé|confié|raconté|poursuivi|conclu|tweeté|twitté|réagi|commenté|noté|observé|relevé|plaidé|protesté|répondu|rétorqué|ironisé|tranché|admis|confirmé|signalé|soutenu|martelé|renchéri|insisté|prévenu|argué|avancé|fait savoir|fait valoir";
/// Present-tense reporting verbs used in inverted incises (`poursuit-il`).
pub const VERB_PRESENT: &str = "dit|déclare|affirme|ajoute|assure|estime|souligne|indique|explique|précise|poursuit|insiste|martèle|lance|note|observe|relève|conclut|raconte|confie|résume|tranche|prévient|avertit|rappelle|réplique|rétorque|interroge|ironise";

static PRONOUN_INCISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s,;]*(?:(?:a|ont|avait|avaient|aurait)-t-(?:il|elle|ils|elles)\b|\p{L}+-t-(?:il|elle)\b|\p{L}+-(?:il|elle|ils|elles)\b)").unwrap()
});
static VERB_INCISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"[,;]\s*(?:a|ont|avait|avaient|aurait|auraient|a-t-il|a-t-elle)\s+(?:\p{{L}}+\s+)?(?:{VERB_PARTICIPLES})\b|[,;]\s*(?:{VERB_PRESENT})\b|[,;]\s*selon\b")).unwrap()
});
pub(super) static AUXILIARY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:,[^,]{1,100},\s*)?(?:a|ont|avait|avaient|aurait|auraient|s'est|s’est|se sont|s'était|s’était|se dit|dit|déclare|affirme|estime|juge|appelle|accuse)\b").unwrap()
});
static SUBJECT_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:Il|Elle|Ils|Elles|Ce dernier|Cette dernière)\b").unwrap());
/// Two or more capitalised words (`Anna Hakobian`). The leading class stands for `\b`,
/// which would keep the regex off its fast DFA path.
static PROPER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}\p{N}])(\p{Lu}[\p{Ll}'’-]+(?:\s+(?:de\s+|d['’]|von\s+|al-)?\p{Lu}[\p{L}'’-]+)+)")
        .unwrap()
});
/// Prepositions before a mention that make it an object or a place, not the speaker
/// (`à Washington`, `avec Mike Pompeo`).
static PLACE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:à|au|aux|de|du|des|en|vers|depuis|entre|avec|contre|sur|par|pour|et)|\bd['’])\s*$").unwrap()
});

/// A speaker, the words that name it, and how it was found.
pub type Found = (Speaker, Option<Range<usize>>, Cue);

fn speaker_of(m: &Mention, cue: Cue) -> Found {
    (Speaker::Known(m.actor), Some(m.span.clone()), cue)
}

/// The earlier speaker a pronoun or anaphor refers to.
fn resolved(previous: Option<&Found>) -> Option<Found> {
    previous.map(|(s, m, _)| (s.clone(), m.clone(), Cue::Pronoun))
}

pub(super) fn usable(text: &str, m: &Mention) -> bool {
    let mut from = m.span.start.saturating_sub(16);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    !PLACE_BEFORE.is_match(&text[from..m.span.start])
}

/// The mentions lying wholly inside `r` (mentions are sorted and do not overlap).
pub fn within(mentions: &[Mention], r: Range<usize>) -> &[Mention] {
    let lo = mentions.partition_point(|m| m.span.start < r.start);
    let hi = mentions.partition_point(|m| m.span.end <= r.end);
    &mentions[lo..hi.max(lo)]
}

/// How far back a sentence is searched for its start: a longer "sentence" is not
/// prose, and bounding it keeps extraction linear on hostile input.
const MAX_SENTENCE: usize = 1000;

/// The speaker named in `window` (after a reporting verb): the first gazetteer mention,
/// else a capitalised name.
fn named_in(text: &str, window: Range<usize>, mentions: &[Mention]) -> Option<Found> {
    if let Some(m) = within(mentions, window.clone()).first() {
        return Some(speaker_of(m, Cue::Incise));
    }
    let w = &text[window.clone()];
    let m = PROPER_NAME.captures(w)?.get(1)?;
    Some((
        Speaker::named(m.as_str()),
        Some(window.start + m.start()..window.start + m.end()),
        Cue::Incise,
    ))
}

/// The speaker given by an incise (`, a déclaré Pompeo`, `a-t-il ajouté`) in `incise`.
pub fn from_incise(
    text: &str,
    incise: Range<usize>,
    mentions: &[Mention],
    previous: Option<&Found>,
) -> Option<Found> {
    let w = &text[incise.clone()];
    if PRONOUN_INCISE.is_match(w) {
        return resolved(previous);
    }
    let v = VERB_INCISE.find(w)?;
    named_in(text, incise.start + v.end()..incise.end, mentions)
}

/// The end of the sentence starting at `from`, not past `limit`.
fn sentence_end(text: &str, from: usize, limit: usize) -> usize {
    let w = &text[from..limit];
    let mut prev = ' ';
    for (i, c) in w.char_indices() {
        if (matches!(prev, '.' | '!' | '?') && c.is_whitespace()) || (prev == '\n' && c == '\n') {
            return from + i;
        }
        prev = c;
    }
    limit
}

/// The speaker given after the quote, in the rest of its sentence (up to the next quote).
pub fn after_quote(
    text: &str,
    after: Range<usize>,
    mentions: &[Mention],
    previous: Option<&Found>,
) -> Option<Found> {
    let end = sentence_end(text, after.start, after.end);
    from_incise(text, after.start..end, mentions, previous)
}

/// Where the sentence holding `at` starts, within its paragraph.
pub fn sentence_start(text: &str, at: usize, paragraphs: &[Range<usize>]) -> Option<usize> {
    let i = paragraphs.partition_point(|p| p.end < at);
    let para = paragraphs.get(i).filter(|p| p.start <= at)?;
    let mut from = para.start.max(at.saturating_sub(MAX_SENTENCE));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut start = from;
    let mut prev = ' ';
    for (i, c) in text[from..at].char_indices() {
        if matches!(prev, '.' | '!' | '?') && c.is_whitespace() {
            start = from + i;
        }
        prev = c;
    }
    Some(start)
}

/// The subject of the quote's sentence: the last mention followed by a reporting
/// auxiliary (`Pompeo a dit espérer que … «…»`).
pub fn subject_before(
    text: &str,
    quote_start: usize,
    paragraphs: &[Range<usize>],
    mentions: &[Mention],
) -> Option<Found> {
    let start = sentence_start(text, quote_start, paragraphs)?;
    within(mentions, start..quote_start)
        .iter()
        .rev()
        .filter(|m| usable(text, m))
        .find(|m| AUXILIARY_AFTER.is_match(&text[m.span.end..quote_start]))
        .map(|m| speaker_of(m, Cue::Subject))
}

/// Weaker clues before the quote: a subject pronoun (the previous speaker), the first
/// actor named in the sentence, a capitalised name followed by a reporting auxiliary.
pub fn before_quote(
    text: &str,
    quote_start: usize,
    paragraphs: &[Range<usize>],
    mentions: &[Mention],
    previous: Option<&Found>,
) -> Option<Found> {
    let start = sentence_start(text, quote_start, paragraphs)?;
    if SUBJECT_PRONOUN.is_match(&text[start..quote_start]) {
        return resolved(previous);
    }
    let near = within(mentions, start..quote_start);
    if let Some(m) = near.iter().find(|m| usable(text, m)) {
        return Some(speaker_of(m, Cue::Nearby));
    }
    let s = &text[start..quote_start];
    for c in PROPER_NAME.captures_iter(s) {
        let m = c.get(1)?;
        let known = near
            .iter()
            .any(|k| k.span.start < start + m.end() && start + m.start() < k.span.end);
        if !known && AUXILIARY_AFTER.is_match(&s[m.end()..]) {
            return Some((
                Speaker::named(m.as_str()),
                Some(start + m.start()..start + m.end()),
                Cue::Subject,
            ));
        }
    }
    None
}

/// The last capitalised name (two words or more) in `r`, with its span.
pub fn proper_name_before(text: &str, r: Range<usize>) -> Option<(String, Range<usize>)> {
    const NOT_NAMES: &[&str] = &[
        "Le", "La", "Les", "L'", "L’", "Un", "Une", "Des", "Ce", "Cette", "Ces", "Selon", "Son",
        "Sa", "Ses", "Leur", "Leurs", "Dans", "En", "Au", "Aux", "Pour", "Sur",
    ];
    let m = PROPER_NAME.captures_iter(&text[r.clone()]).last()?.get(1)?;
    let first = m.as_str().split_whitespace().next()?;
    if NOT_NAMES.contains(&first) || first.starts_with("L'") || first.starts_with("L’") {
        return None;
    }
    Some((
        m.as_str().to_string(),
        r.start + m.start()..r.start + m.end(),
    ))
}
