//! Stage 2: statements — who said what in a dispatch.
//!
//! [`extract_statements`] finds direct quotes ([`quotes`]), splits them at incises
//! (`«…, a-t-il ajouté. …»`), and credits each to a speaker ([`speaker`]): an actor of the
//! gazetteer named near the quote, a pronoun or `ce dernier` resolved to the previous
//! speaker, or a capitalised name the gazetteer does not know. A quote that no actor is
//! credited with (a section title, a journalist's term) is not a statement. Reported
//! speech without quotation marks is read by [`reported`].
//! This module knows nothing about tokens or models.

pub mod quotes;
pub mod reported;
pub mod speaker;
pub mod verbs;
pub mod voxpop;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::actor::{ActorId, Gazetteer, MentionKind};
use crate::dispatch::Dispatch;

/// Direct (inside quotation marks) or indirect (reported speech).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Direct,
    Indirect,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Indirect => "indirect",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "direct" => Some(Kind::Direct),
            "indirect" => Some(Kind::Indirect),
            _ => None,
        }
    }
}

/// Who a statement is credited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speaker {
    /// An actor of the gazetteer.
    Known(ActorId),
    /// A name the gazetteer does not list: an id made from it (`anna-hakobian`) and the
    /// name as written.
    Named { id: String, name: String },
}

impl Speaker {
    /// An unknown speaker, with an id made from the name.
    pub fn named(name: &str) -> Self {
        let name = collapse(name);
        Speaker::Named {
            id: slug::slugify(&name),
            name,
        }
    }
}

/// One thing an actor said, as found in a dispatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte range of the statement words in [`Dispatch::body`].
    pub span: Range<usize>,
    /// The words, whitespace collapsed.
    pub text: String,
    pub kind: Kind,
    pub speaker: Speaker,
    /// Byte range in the body of the words that name the speaker.
    pub mention: Option<Range<usize>>,
    /// How the statement and its speaker were found.
    pub cue: Cue,
}

/// How a statement and its speaker were found. Each cue has a confidence: the share of
/// the train split's statements found that way that match a gold statement with the same
/// speaker (measured by `cargo run --release --example cue_precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// A named speaker in an incise or right after the quote (`», a déclaré Pompeo`).
    Incise,
    /// The subject of a reporting verb (`Pompeo a dit …`, `Bakou affirme que …`).
    Subject,
    /// A pronoun or anaphor resolved to an earlier speaker (`a-t-il ajouté`, `Il a dit`).
    Pronoun,
    /// `selon X` / `d'après X`.
    Source,
    /// The quote continues an earlier one (next paragraph, same sentence or paragraph).
    Continuation,
    /// The first actor or name of the sentence, without a reporting verb.
    Nearby,
}

impl Cue {
    pub fn as_str(self) -> &'static str {
        match self {
            Cue::Incise => "incise",
            Cue::Subject => "subject",
            Cue::Pronoun => "pronoun",
            Cue::Source => "source",
            Cue::Continuation => "continuation",
            Cue::Nearby => "nearby",
        }
    }

    /// The measured share of statements of `kind` found this way that are right.
    pub fn confidence(self, kind: Kind) -> f64 {
        match kind {
            Kind::Direct => CONFIDENCE_DIRECT[self as usize],
            Kind::Indirect => CONFIDENCE_INDIRECT[self as usize],
        }
    }
}

/// [`Cue::confidence`] by cue, in the order the variants are declared, as measured on the train
/// split (`cargo run --release --example cue_precision`); a cue with fewer than 20
/// statements of a kind there takes that kind's overall share (0.91 direct, 0.78
/// indirect).
const CONFIDENCE_DIRECT: [f64; 6] = [0.96, 0.95, 0.93, 0.91, 0.89, 0.59];
const CONFIDENCE_INDIRECT: [f64; 6] = [0.78, 0.81, 0.75, 0.65, 0.76, 0.78];

impl Statement {
    /// The speaker's canonical id (gazetteer id, or the name as written).
    pub fn speaker_id<'g>(&'g self, g: &'g Gazetteer) -> &'g str {
        match &self.speaker {
            Speaker::Known(a) => &g.actor(*a).id,
            Speaker::Named { id, .. } => id,
        }
    }
    /// How likely the statement and its speaker are right: see [`Cue::confidence`].
    pub fn confidence(&self) -> f64 {
        self.cue.confidence(self.kind)
    }
    pub fn speaker_name<'g>(&'g self, g: &'g Gazetteer) -> &'g str {
        match &self.speaker {
            Speaker::Known(a) => &g.actor(*a).name,
            Speaker::Named { name, .. } => name,
        }
    }
}

/// Compiles the extractor's patterns now (they are otherwise compiled on first use), by
/// extracting from a short dispatch that exercises them with a gazetteer of three actors
/// (so that the patterns only a mention reaches compile too), while the real gazetteer
/// may still be building on another thread.
pub fn warm_up() {
    const ACTORS: &str = r#"
[[actor]]
id = "ilham-aliyev"
name = "Ilham Aliev"
kind = "person"
affiliation = "azerbaijan"
roles = [{ title = "président", mentions = ["le président azerbaïdjanais"] }]

[[actor]]
id = "azerbaijan-gov"
name = "Azerbaïdjan (gouvernement)"
kind = "government"
affiliation = "azerbaijan"
metonyms = ["Bakou"]

[[actor]]
id = "armenian-civilian"
name = "Arménie (civil)"
kind = "group"
affiliation = "armenia"
places = ["Stepanakert"]
first_names = ["Anahit"]
"#;
    let Ok(g) = Gazetteer::from_toml(ACTORS, "(warm-up)") else {
        return;
    };
    let d = crate::dispatch::parse_str(
        "warm-up",
        " date 2020-10-12 Titre Bakou, 12 oct 2020 (AFP) - « Nous voulons la paix », a \
         déclaré Ilham Aliev, selon qui l'armée avance. Il a affirmé que la ville est tombée, \
         tout en jugeant, a-t-il ajouté, que « le cessez-le-feu tient ». À Bakou, le \
         ministère de la Défense a qualifié ces chiffres de « faux ». Le président, M. Aliev, \
         a rejeté ces accusations. Les tirs continuent, a dit le président.\n\n« Premier \
         paragraphe.\n\nSecond », a-t-il insisté. À Stepanakert, Anahit, 52 ans, et un \
         moine ont dit « assez », selon lui.\n",
    );
    let _ = extract_statements(&d, &g);
}

/// An incise inside a quote: `, a-t-il ajouté.` / `, poursuit-elle,` / `, a dit M. X.`
static INCISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[,;]\s+(?:(?:a|ont|avait|avaient|aurait)-t-(?:il|elle|ils|elles)\s+(?:\p{{L}}+\s+)?(?:{v})(?:\s+[^,.;:!?«»“”\x22]{{2,}}?)?|\p{{L}}+-t-(?:il|elle)|(?:{v_pres})-(?:il|elle|ils|elles)|(?:a|ont|avait)\s+(?:\p{{L}}+\s+)?(?:{v})\s+(?:M\.\s+|Mme\s+)?[^,.;«»“”\x22]{{2,}}?|(?:{v_pres})\s+(?:(?:le|la|les)\s+|l['’]|M\.\s+|Mme\s+)[^,.;«»“”\x22]{{2,}}?)\s*[,.;]\s+",
        v = speaker::VERB_PARTICIPLES,
        v_pres = speaker::VERB_PRESENT
    ))
    .unwrap()
});

/// The last capitalised name the gazetteer does not know, within 1,500 bytes before
/// `at` (`Le nouveau ministre, Ara Aïvazian, …`): the antecedent of a pronoun when no
/// actor was named.
fn unknown_name_before(
    text: &str,
    at: usize,
    mentions: &[crate::actor::Mention],
) -> Option<speaker::Found> {
    let mut from = at.saturating_sub(1500);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let (name, span) = speaker::proper_name_before(text, from..at)?;
    if speaker::overlaps(mentions, &span) {
        return None;
    }
    Some((Speaker::named(&name), Some(span), Cue::Pronoun))
}

/// The words of `s` joined by single spaces.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rest of a statement's sentence on each side of it, within its paragraph (a title
/// glued to its lede is a sentence of its own), as slices of the body: where a quote's
/// reporting verb and speaker are (`Bakou a dénoncé «…»`, `«…», a déclaré M. Pompeo`).
/// [`last_words`] and [`first_words`] cut them.
pub fn sentence_around(d: &Dispatch, span: Range<usize>) -> (&str, &str) {
    let text = d.body.as_str();
    let mut start = speaker::sentence_start(text, span.start, &d.paragraphs).unwrap_or(span.start);
    let mut end = d
        .paragraphs
        .get(d.paragraphs.partition_point(|p| p.end < span.end))
        .filter(|p| p.start <= span.end)
        .map_or(span.end, |p| p.end);
    // a title glued to its lede is a sentence of its own
    if let Some(t) = &d.title {
        if t.start <= span.start && span.end <= t.end {
            start = start.max(t.start);
            end = end.min(t.end);
        } else if t.end <= span.start {
            start = start.max(t.end);
        }
    }
    // as far as a sentence is looked for before a statement
    let mut limit = end.min(span.end + speaker::MAX_SENTENCE);
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    let end = speaker::sentence_end(text, span.end, limit);
    (&text[start..span.start], &text[span.end..end])
}

/// The last `n` whitespace-separated words of `s`.
pub fn last_words(s: &str, n: usize) -> &str {
    let s = s.trim_end();
    match (n > 0).then(|| word_end(s.char_indices().rev(), n)) {
        None => "",
        Some(Some((i, c))) => &s[i + c.len_utf8()..],
        Some(None) => s.trim_start(),
    }
}

/// The first `n` whitespace-separated words of `s`.
pub fn first_words(s: &str, n: usize) -> &str {
    let s = s.trim_start();
    match (n > 0).then(|| word_end(s.char_indices(), n)) {
        None => "",
        Some(Some((i, _))) => &s[..i],
        Some(None) => s.trim_end(),
    }
}

/// The whitespace that ends the `n`-th word met walking `chars` (from either end of a
/// string that does not start there with whitespace); `None` when there are fewer.
fn word_end(chars: impl Iterator<Item = (usize, char)>, n: usize) -> Option<(usize, char)> {
    let (mut words, mut in_word) = (0, false);
    for (i, c) in chars {
        if !c.is_whitespace() {
            in_word = true;
        } else if in_word {
            words += 1;
            in_word = false;
            if words == n {
                return Some((i, c));
            }
        }
    }
    None
}

/// The statements of a dispatch, direct and reported, in order of their spans.
pub fn extract_statements(d: &Dispatch, g: &Gazetteer) -> Vec<Statement> {
    let mut mentions = g.mentions(&d.body, d.date);
    let vox = voxpop::mentions(&d.body, g, &mentions);
    if !vox.is_empty() {
        mentions.extend(vox);
        mentions.sort_by_key(|m| m.span.start);
    }
    let segments = quotes::segments(&d.body, &d.paragraphs);
    let mut all = direct_statements(d, &segments, &mentions, g);
    let inner: Vec<Range<usize>> = segments.iter().map(|s| s.inner.clone()).collect();
    let reported = reported::reported_statements(
        &d.body,
        &d.paragraphs,
        &mentions,
        g,
        d.title.clone(),
        &all,
        &inner,
    );
    all.extend(without_overlaps(&d.body, &all, reported));
    all.sort_by_key(|s| s.span.start);
    resolve_pronouns(d, &mut all, &mentions, g);
    all
}

/// Credits each direct quote whose incise is a pronoun (`», a-t-elle ajouté`) to the
/// latest speaker before it, now that reported statements are known too: the speaker of
/// the previous statement of either kind, or the subject of a later sentence
/// (`Hasmik, 49 ans, serre la photo de son fils. « … », murmure-t-elle`). A quote that
/// continues the corrected one follows it.
fn resolve_pronouns(
    d: &Dispatch,
    all: &mut [Statement],
    mentions: &[crate::actor::Mention],
    g: &Gazetteer,
) {
    let text = d.body.as_str();
    let mut fixed: Option<(Speaker, Speaker, Option<Range<usize>>)> = None;
    for i in 0..all.len() {
        let st = &all[i];
        if st.kind == Kind::Direct && st.cue == Cue::Continuation {
            if let Some((old, new, mention)) = &fixed
                && st.speaker == *old
            {
                let (new, mention) = (new.clone(), mention.clone());
                all[i].speaker = new;
                all[i].mention = mention;
            }
            continue;
        }
        fixed = None;
        if st.kind != Kind::Direct || st.cue != Cue::Pronoun {
            continue;
        }
        // the previous statement not of the same quote (its parts share a speaker)
        let prev = all[..i]
            .iter()
            .rev()
            .find(|p| {
                p.kind == Kind::Indirect || p.cue != Cue::Continuation || p.span.end < st.span.start
            })
            .filter(|p| p.span.end <= st.span.start);
        // a quote in a sentence whose subject is a pronoun (`Il a répété … «…»`) may take
        // the subject of the previous statement's sentence (`Le chef de la diplomatie
        // a «…», a indiqué le ministère.`), not the speaker of its incise
        let pronoun_subject = speaker::sentence_start(text, st.span.start, &d.paragraphs)
            .is_some_and(|s| speaker::opens_with_pronoun(&text[s..st.span.start]));
        let from = prev.map_or(0, |p| {
            if pronoun_subject {
                speaker::sentence_start(text, p.span.start, &d.paragraphs).unwrap_or(p.span.end)
            } else {
                p.span.end
            }
        });
        let subject =
            speaker::sentence_subjects(text, &d.paragraphs, mentions, g, from..st.span.start).pop();
        let found = match (subject, prev) {
            (Some((_, f)), _) => Some(f),
            (None, Some(p)) => Some((p.speaker.clone(), p.mention.clone(), Cue::Pronoun)),
            _ => None,
        };
        if let Some((who, mention, _)) = found
            && who != st.speaker
        {
            let old = st.speaker.clone();
            fixed = Some((old, who.clone(), mention.clone()));
            all[i].speaker = who;
            all[i].mention = mention;
        }
    }
}

/// The reported statements that overlap no direct one and no earlier reported one, so
/// that no two statements overlap. A partial quote inside a reported clause is a direct
/// statement (the guideline's `a appelé à «mettre fin aux violences»`), and the clause is
/// left to it; so is a clause that runs into a quote whose mark is broken or left open.
/// What the clause coordinates after its last quote is reported speech of its own
/// (`a dit suivre la situation « de près » et être en contact avec les familles`: the
/// words after `et`). A clause two verbs report (`X a affirmé que …, a souligné Y`) is
/// kept once, with the speaker found first. `direct` is in order and does not overlap.
fn without_overlaps(text: &str, direct: &[Statement], reported: Vec<Statement>) -> Vec<Statement> {
    let mut reported: Vec<Statement> = reported
        .into_iter()
        .filter_map(|r| {
            let i = direct.partition_point(|s| s.span.end <= r.span.start);
            let j = direct.partition_point(|s| s.span.start < r.span.end);
            if i == j {
                return Some(r);
            }
            // a clause that runs on into another clause's quote (`Moscou annonce la fin
            // des combats, Pachinian évoque une décision « douloureuse »`): the words
            // before the comma that opens the other clause; else what the clause
            // coordinates after its last quote, which must close inside it
            let (first, last) = (&direct[i], &direct[j - 1]);
            let head = (first.span.start > r.span.start).then_some(r.span.start..first.span.start);
            let tail = (last.span.end < r.span.end).then_some(last.span.end..r.span.end);
            let span = head
                .clone()
                .and_then(|h| before_new_clause(text, h))
                .or_else(|| tail.and_then(|t| after_quote(text, t)))
                .or_else(|| head.and_then(|h| before_quote(text, h)))?;
            Some(Statement {
                text: collapse(&text[span.clone()]),
                span,
                ..r
            })
        })
        .collect();
    reported.sort_by_key(|s| s.span.start);
    let mut end = 0;
    reported.retain(|r| {
        let i = direct.partition_point(|s| s.span.end <= r.span.start);
        let free = r.span.start >= end && direct.get(i).is_none_or(|s| s.span.start >= r.span.end);
        if free {
            end = r.span.end;
        }
        free
    });
    reported
}

/// A clause coordinated after a quote's closing mark (`» et être en contact …`): the
/// words after `et` (and a `que`), when there are at least three.
static AFTER_QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s»”“\x22›]*,?\s*et\s+(?:qu['’]\s*|que\s+)?").unwrap());

/// The words of `span` before its last comma when a new clause follows it: a capitalised
/// word (a new subject), a present participle (`, reconnaissant que …`, `, se disant …`),
/// `et que` or `sans`; at least three words. Or the words before a colon that opens the
/// quote, when they are a clause of five words or more (`a appelé les deux parties à
/// revenir à la table des négociations : « … »`), not a short noun announcing it (`a
/// rappelé la position de l'Arménie : « … »`).
fn before_new_clause(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let s = &text[span.clone()];
    let cut = s.rfind([',', ':'])?;
    let head = s[..cut].trim_end();
    let words = head.split_whitespace().count();
    if s[cut..].starts_with(':') {
        return (words >= 5).then_some(span.start..span.start + head.len());
    }
    let rest = s[cut + 1..].trim_start();
    let next = rest.chars().next()?;
    let verb = ["se ", "s'", "s’"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest);
    let participle = verb
        .split(|c: char| !c.is_alphabetic())
        .next()
        .is_some_and(|w| w.len() > 4 && w.ends_with("ant"));
    let clause = ["et que ", "et qu'", "et qu’", "sans "]
        .iter()
        .any(|p| rest.starts_with(p));
    ((next.is_uppercase() || participle || clause) && words >= 3)
        .then_some(span.start..span.start + head.len())
}

/// The words of a clause before the quote it runs into, when a comma sets the quote off
/// from a complete clause (`a salué la présence des militaires russes, ‹ seule garantie
/// … ›`), and at least three of them.
fn before_quote(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let s = &text[span.clone()];
    let head =
        s.trim_end_matches(|c: char| c.is_whitespace() || reported::QUOTE_MARKS.contains(&c));
    let head = head.strip_suffix(',')?.trim_end();
    (head.split_whitespace().count() >= 3 && !head.starts_with("qui ") && !head.contains("selon"))
        .then_some(span.start..span.start + head.len())
}

fn after_quote(text: &str, rest: Range<usize>) -> Option<Range<usize>> {
    let lead = AFTER_QUOTE.find(&text[rest.clone()])?;
    let span = rest.start + lead.end()..rest.end;
    (text[span.clone()].split_whitespace().count() >= 3).then_some(span)
}

/// The direct statements of a dispatch, in order.
fn direct_statements(
    d: &Dispatch,
    segments: &[quotes::Segment],
    mentions: &[crate::actor::Mention],
    g: &Gazetteer,
) -> Vec<Statement> {
    let text = d.body.as_str();
    let mut out: Vec<Statement> = Vec::new();
    let mut last: Option<speaker::Found> = None;
    let next_start = |i: usize| segments.get(i + 1).map_or(text.len(), |s| s.outer.start);
    // which mentions are the subject of a reporting clause (`Pompeo a assuré`), and where
    // that clause's auxiliary ends: computed once, so each quote costs O(1) below
    let subject_end: Vec<Option<usize>> = mentions
        .iter()
        .map(|m| {
            let mut end = (m.span.end + 200).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            speaker::usable(text, m)
                .then(|| speaker::AUXILIARY_AFTER.find(&text[m.span.end..end]))
                .flatten()
                .map(|a| m.span.end + a.end())
        })
        .collect();
    let para_of = |at: usize| d.paragraphs.partition_point(|p| p.end < at);
    let (mut next_mention, mut latest_subject, mut latest_name) = (0, None, None);
    for (i, seg) in segments.iter().enumerate() {
        while next_mention < mentions.len() && mentions[next_mention].span.end <= seg.outer.start {
            if subject_end[next_mention].is_some_and(|e| e <= seg.outer.start) {
                latest_subject = Some(next_mention);
            }
            if mentions[next_mention].kind == MentionKind::Name {
                latest_name = Some(next_mention);
            }
            next_mention += 1;
        }
        let known = |k: usize| {
            (
                Speaker::Known(mentions[k].actor),
                Some(mentions[k].span.clone()),
                Cue::Subject,
            )
        };
        // a pronoun refers to the latest speaker: the previous statement's, or a later
        // actor named as the subject of a clause (`Pompeo a assuré que … Il a dit «…»`),
        // or else the last person named
        let last_end = out.last().map_or(0, |st| st.span.end);
        let antecedent = latest_subject
            .filter(|&k| mentions[k].span.start >= last_end)
            .map(known)
            .or_else(|| last.clone())
            .or_else(|| latest_name.map(known))
            .or_else(|| unknown_name_before(text, seg.outer.start, mentions));
        let previous = &antecedent;
        let same_sentence = out.last().is_some_and(|st| {
            speaker::sentence_start(text, seg.outer.start, &d.paragraphs)
                .is_some_and(|s| s <= st.span.start)
        });
        let same_paragraph = out
            .last()
            .is_some_and(|st| para_of(st.span.start) == para_of(seg.outer.start));
        // split the quote at its incises; each incise may name the speaker
        let inner = &text[seg.inner.clone()];
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut incise_speaker = None;
        let mut s = seg.inner.start;
        for m in INCISE.find_iter(inner) {
            let (ms, me) = (seg.inner.start + m.start(), seg.inner.start + m.end());
            parts.push(s..ms);
            if incise_speaker.is_none() {
                incise_speaker = speaker::from_incise(text, ms..me, mentions, g, previous.as_ref());
            }
            s = me;
        }
        parts.push(s..seg.inner.end);
        let continued = |f: Option<speaker::Found>| f.map(|(s, m, _)| (s, m, Cue::Continuation));
        let found = if seg.continues {
            out.last()
                .map(|st| (st.speaker.clone(), st.mention.clone(), Cue::Continuation))
        } else {
            None
        }
        .or(incise_speaker)
        .or_else(|| {
            speaker::after_quote(
                text,
                seg.outer.end..next_start(i),
                mentions,
                g,
                previous.as_ref(),
            )
        })
        .or_else(|| speaker::subject_before(text, seg.outer.start, &d.paragraphs, mentions))
        // a later quote of the same sentence keeps its speaker
        .or_else(|| continued(same_sentence.then(|| last.clone()).flatten()))
        .or_else(|| {
            speaker::before_quote(
                text,
                seg.outer.start,
                &d.paragraphs,
                mentions,
                g,
                previous.as_ref(),
            )
        })
        // a quote that opens a sentence right after another quote of the same paragraph
        // continues that speaker
        .or_else(|| continued(same_paragraph.then(|| last.clone()).flatten()));
        let Some((who, mention, cue)) = found else {
            continue;
        };
        // the parts after an incise continue the first part
        let mut part_cue = cue;
        for p in parts {
            let p = trim_range(text, p);
            if p.is_empty() {
                continue;
            }
            out.push(Statement {
                text: collapse(&text[p.clone()]),
                span: p,
                kind: Kind::Direct,
                speaker: who.clone(),
                mention: mention.clone(),
                cue: part_cue,
            });
            part_cue = Cue::Continuation;
        }
        last = Some((who, mention, cue));
    }
    out
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let s2 = s.trim_matches(|c: char| c.is_whitespace() || c == ',');
    let lead = s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == ',')
            .len();
    r.start + lead..r.start + lead + s2.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::tests::SMALL;
    use crate::dispatch::parse_str;

    /// (text, statement, words before, words after) → (left, right)
    #[test]
    fn sentence_around_table() {
        let cases: &[(&str, &str, usize, usize, &str, &str)] = &[
            (
                "Il pleut. Le ministre a dénoncé «une agression planifiée», a déclaré M. Pompeo. Fin.",
                "une agression planifiée",
                8,
                5,
                "Le ministre a dénoncé «",
                "», a déclaré M. Pompeo.",
            ),
            (
                "Le chef de la diplomatie russe a de nouveau appelé à cesser le feu sans délai.",
                "cesser le feu",
                3,
                2,
                "nouveau appelé à",
                "sans délai.",
            ),
            (
                "«Nous tiendrons», dit-il.\n\nPuis rien.",
                "Nous tiendrons",
                8,
                8,
                "«",
                "», dit-il.",
            ),
            ("Titre\n\n«Paix» Suite du texte ici", "Paix", 8, 0, "«", ""),
            (
                " date 2020-09-28\nAnkara promet son soutien à Bakou Le président turc a dit «être aux côtés» de Bakou.",
                "son soutien à Bakou",
                8,
                8,
                "Ankara promet",
                "",
            ),
            (
                " date 2020-09-28\nAnkara promet son soutien à Bakou Le président turc a dit «être aux côtés» de Bakou.",
                "être aux côtés",
                3,
                8,
                "a dit «",
                "» de Bakou.",
            ),
            ("a b c", "b", 0, 0, "", ""),
        ];
        for &(text, statement, before, after, left, right) in cases {
            let d = parse_str("t", text);
            let at = d.body.find(statement).unwrap();
            let (l, r) = sentence_around(&d, at..at + statement.len());
            assert_eq!(
                (last_words(l, before), first_words(r, after)),
                (left, right),
                "{text:?}"
            );
        }
    }

    /// (dispatch, [(statement, speaker id)])
    #[test]
    fn extraction_table() {
        let g = Gazetteer::from_toml(SMALL, "test").unwrap();
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                " date 2020-10 Titre ici Le texte.\n\nMike Pompeo a appelé les deux pays à «cesser les combats» vendredi.",
                &[("cesser les combats", "mike-pompeo")],
            ),
            (
                "Baïramov a parlé.\n\n«Nous voulons la paix», a-t-il dit. «L'autre camp doit partir», a-t-il ajouté.",
                &[
                    ("Nous voulons la paix", "jeyhun-bayramov"),
                    ("L'autre camp doit partir", "jeyhun-bayramov"),
                ],
            ),
            (
                "« Nous avons vu les rapports, a-t-il ajouté. Nous agissons », a déclaré Pompeo.",
                &[
                    ("Nous avons vu les rapports", "mike-pompeo"),
                    ("Nous agissons", "mike-pompeo"),
                ],
            ),
            (
                "\"Il faut négocier\", a dit dans un communiqué le secrétaire d'Etat, arrivé hier.",
                &[("Il faut négocier", "mike-pompeo")],
            ),
            ("«Occupation»\n\nLe front a bougé.", &[]),
            (
                "Washington est resté neutre, mais Pompeo a dit espérer que le pays puisse «se défendre».",
                &[("se défendre", "mike-pompeo")],
            ),
            (
                "« La trêve est rompue », a affirmé Anna Hakobian, porte-parole.",
                &[("La trêve est rompue", "anna-hakobian")],
            ),
        ];
        check_table(&g, cases, None);
    }

    /// Speakers of quotes through incise verbs the participle list lacked, `M. X`, role
    /// words, and pronouns whose antecedent is a later sentence's subject.
    #[test]
    fn speaker_table() {
        let g = Gazetteer::from_toml(SMALL, "test").unwrap();
        let cases: &[(&str, &[(&str, &str)])] = &[
            // an incise verb outside the participle list, and `M. X` before a point
            (
                "« Nous resterons », a répliqué M. Pompeo.",
                &[("Nous resterons", "mike-pompeo")],
            ),
            // `M. X` unknown to the gazetteer takes the full name written earlier
            (
                "Stephen Biegun est arrivé.\n\n« Il faut un accord », a expliqué M. Biegun.",
                &[("Il faut un accord", "stephen-biegun")],
            ),
            // a role word names the latest actor holding that role
            (
                "Mike Pompeo a reçu les ministres.\n\n« La paix d'abord », a dit le secrétaire d'Etat.",
                &[("La paix d'abord", "mike-pompeo")],
            ),
            // the pronoun takes the subject of the sentence between the two quotes
            (
                "« Nous voulons la paix », a déclaré Baïramov.\n\nMike Pompeo a reçu les deux ministres. « Il faut négocier », a-t-il dit.",
                &[
                    ("Nous voulons la paix", "jeyhun-bayramov"),
                    ("Il faut négocier", "mike-pompeo"),
                ],
            ),
            // a role followed by a name is that name, not an anaphor of the latest holder
            (
                "« Nous voulons la paix », a déclaré Baïramov.\n\nLe ministre Mike Pompeo a reçu les deux délégations. « Il faut négocier », a-t-il dit.",
                &[
                    ("Nous voulons la paix", "jeyhun-bayramov"),
                    ("Il faut négocier", "mike-pompeo"),
                ],
            ),
            // a name in apposition after a role description, in the incise
            (
                "« Il faut négocier », a souligné le représentant des Etats-Unis au Conseil, Mike Pompeo.",
                &[("Il faut négocier", "mike-pompeo")],
            ),
            // someone of a body named by the body
            (
                "« Nous suivons la situation », a indiqué un responsable du département d'État.",
                &[("Nous suivons la situation", "us-gov")],
            ),
            // a partial quote takes its sentence's subject, past an opening place
            (
                "À Bakou, Djeyhoun Baïramov a qualifié ces chiffres de « fantaisistes ».",
                &[("fantaisistes", "jeyhun-bayramov")],
            ),
            // a ministry named without its nation is the one of the place opening the
            // sentence, named before or not
            (
                "À Bakou, le ministère de la Défense a dénoncé une « provocation ».",
                &[("provocation", "azerbaijan-mod")],
            ),
            // a headline's second clause has its own present-tense subject
            (
                "Karabakh : Pompeo salue la trêve, Bakou dénonce une « provocation »\n\nLe texte suit.",
                &[("provocation", "azerbaijan-gov")],
            ),
            // a description the gazetteer cannot resolve describes the latest speaker
            (
                "Mike Pompeo a parlé. « Il faut agir », a déclaré l'élu.",
                &[("Il faut agir", "mike-pompeo")],
            ),
            // a reflexive pronoun incise names the previous speaker
            (
                "Mike Pompeo a parlé. « Il faut agir », s'est-il indigné.",
                &[("Il faut agir", "mike-pompeo")],
            ),
            // `fait valoir` reports
            (
                "Le département d'État a parlé. « Il faut négocier », fait valoir le département d'État.",
                &[("Il faut négocier", "us-gov")],
            ),
            // a present-tense incise with a noun subject splits a quote
            (
                "« Les tirs ont touché notre territoire, écrit M. Pompeo. Il faut agir. »",
                &[
                    ("Les tirs ont touché notre territoire", "mike-pompeo"),
                    ("Il faut agir.", "mike-pompeo"),
                ],
            ),
            // a quote split by a pronoun incise keeps one speaker, whatever its words name
            (
                "« Nous avons vu les rapports, a ajouté Pompeo. Nous avons vu Bakou renforcer son armée. »",
                &[
                    ("Nous avons vu les rapports", "mike-pompeo"),
                    ("Nous avons vu Bakou renforcer son armée.", "mike-pompeo"),
                ],
            ),
        ];
        check_table(&g, cases, Some(Kind::Direct));
    }

    /// Found by `tests/it/props.rs` (`statements_do_not_overlap`): a reported clause that
    /// two verbs report, or that runs into a quote left open, was a second statement over
    /// the same words.
    #[test]
    fn statements_never_overlap() {
        let g = Gazetteer::from_toml(SMALL, "test").unwrap();
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "Mike Pompeo a affirmé que la situation reste très grave, a souligné Washington.",
                &[("la situation reste très grave", "mike-pompeo")],
            ),
            (
                "Pompeo\n\nPompeo «Pompeo selon Pompeo",
                &[("Pompeo selon Pompeo", "mike-pompeo")],
            ),
        ];
        check_table(&g, cases, None);
    }

    /// Asserts that each dispatch of `cases` yields exactly its (statement, speaker id)
    /// pairs, counting only statements of `kind` when one is given.
    pub(crate) fn check_table(
        g: &Gazetteer,
        cases: &[(&str, &[(&str, &str)])],
        kind: Option<Kind>,
    ) {
        for (input, want) in cases {
            let d = parse_str("t", input);
            let got: Vec<(String, String)> = extract_statements(&d, g)
                .iter()
                .filter(|s| kind.is_none_or(|k| s.kind == k))
                .map(|s| (s.text.clone(), s.speaker_id(g).to_string()))
                .collect();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "{input:?}");
        }
    }
}
