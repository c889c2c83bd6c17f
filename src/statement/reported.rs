//! Reported speech: statements without quotation marks.
//!
//! Each sentence is read for reporting verbs (the lexicon of [`super::verbs`]), outside
//! direct quotes, in four forms: after an auxiliary (`X a affirmé que …`, `a-t-il
//! ajouté`, `s'est dit prêt à`, `a fait état de`); a present-tense verb right after its
//! subject (`Bakou affirme que …`); a participle clause (`…, assurant que …`, `tout en
//! jugeant que …`); and a verb coordinated with the previous one (`… et appelé X à …`).
//! The statement runs from the verb (less a leading `que`) to the next such clause or
//! the sentence end. `selon X, …`, `d'après X, …` and `…, selon X.` report the clause
//! they introduce or close.
//!
//! The speaker of a verb is its subject: an actor of the gazetteer, a pronoun or `qui`
//! (the previous speaker, or the relative's antecedent), an anaphor (`le chef de l'Etat`,
//! `le ministère`: the latest actor that fits), or a capitalised name the gazetteer
//! lacks. A participle clause or a coordinated verb keeps the speaker of its sentence.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::speaker::{self, Found, ROLE_ADJECTIVE, ROLE_WORDS};
use super::{Cue, Kind, Speaker, Statement, collapse, verbs};
use crate::actor::{Gazetteer, Mention};

/// Adverbials that may stand between a subject, its auxiliary and its verb.
pub(super) const ADVERBIALS: &str = r"de\s+son\s+côté|de\s+leur\s+côté|pour\s+sa\s+part|pour\s+leur\s+part|lui\s+aussi|elle\s+aussi|eux\s+aussi|lui-même|elle-même|quant\s+à\s+lui|quant\s+à\s+elle|à\s+son\s+tour|à\s+leur\s+tour|également|aussi|toutefois|cependant|pourtant|néanmoins|encore|déjà|notamment|ensuite|enfin|aussitôt|immédiatement|fermement|vivement|publiquement|récemment|longuement|plusieurs\s+fois|à\s+nouveau|de\s+nouveau|une\s+fois\s+encore|une\s+nouvelle\s+fois|par\s+ailleurs|en\s+retour|au\s+contraire|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd'hui|matin|soir|dans\s+la\s+soirée|dans\s+la\s+matinée|dans\s+la\s+nuit|dans\s+un\s+communiqué|dans\s+une\s+déclaration|dans\s+un\s+message|sur\s+Twitter|sur\s+Facebook|sur\s+X|devant\s+la\s+presse|devant\s+les\s+journalistes|aux\s+journalistes|à\s+la\s+presse|à\s+la\s+télévision";

/// An auxiliary ending the text before a participle, with adverbials between.
static AUX_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|(?-i:[^\p{L}\x{345}]))(?:a|ont|avait|avaient|aurait|auraient|aura|a-t-(?:il|elle)|ont-(?:ils|elles)|avait-(?:il|elle)|s['’]est|se sont|s['’]était|s['’]étaient)(?:\s*,?\s+(?:(?-i:[\p{Ll}'’-]+)|Twitter|Facebook)){0,4}?\s*,?\s+$").unwrap()
});
/// An auxiliary whose pronoun names the previous speaker (`a-t-il`).
static AUX_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)-t-(?:il|elle)|-(?:ils|elles)\b").unwrap());
/// Words that make the auxiliary a passive or not a reporting one (`a été dénoncé`).
static NOT_REPORTING_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:été|pas|jamais|rien|ne|n['’]|y)\b|[«»“”„‹›\x22.;:]").unwrap()
});
/// What stands between a subject and its verb or auxiliary: an apposition between
/// commas and adverbials. (A name in apposition, `Leur dirigeant, Araïk Haroutiounian,
/// a`, also has the comma closing it.)
static SUBJECT_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:\([^()]{{1,20}}\))?\s*(?:,[^,«»“”„‹›\x22.;]+,)?\s*(?:(?:{adv})\s*,?\s*)*$",
        adv = by_first_word(ADVERBIALS)
    ))
    .unwrap()
});
/// A subject pronoun right before the verb (`Il a`, `qu'elle a`).
static PRONOUN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:^|(?-i:[^\p{{L}}\x{{345}}]))(?:il|elle|ils|elles|qu['’]il|qu['’]elle|qu['’]ils|ce dernier|cette dernière)\s*,?\s*(?:(?:{adv})\s*,?\s*)*$",
        adv = by_first_word(ADVERBIALS)
    ))
    .unwrap()
});
/// A relative pronoun right before the verb (`Nikol Pachinian, qui a indiqué`).
static QUI_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i),?\s*qui\s+(?:(?:{adv})\s*,?\s*)*$",
        adv = by_first_word(ADVERBIALS)
    ))
    .unwrap()
});
/// An anaphor naming the speaker by a role or body (`Le chef de l'Etat`, `la
/// Haute-Commissaire`, `le ministère`).
static ANAPHOR_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:^|(?-i:[^\p{{L}}\x{{345}}]))(?:le|la|l['’]|les|leur|son|sa|ses|ce|cette)\s*{ROLE_ADJECTIVE}((?i){ROLE_WORDS})\b[^,.;«»“”„‹›\x22]*?\s*(?:,[^,.;«»“”„‹›\x22]+,)?\s*(?:(?:{ADVERBIALS})\s*,?\s*)*$"
    ))
    .unwrap()
});
/// A participle clause opener before a present participle (`, assurant`).
static PARTICIPLE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:,|\ben|\btout en)\s*$").unwrap());
/// A coordination before a verb sharing the previous subject (`… et appelé`).
static COORDINATED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:,\s*)?\b(?:et|mais|puis|avant d['’]avoir|tout en)\s+(?:(?:a|avait|ont|avaient|s['’]est|se sont)\s+)?(?:(?:{adv})\s*,?\s*)*$",
        adv = by_first_word(ADVERBIALS)
    ))
    .unwrap()
});
/// The words of `s` as byte ranges: what `\p{L}[\p{L}'’-]*` finds, one match after the
/// other (a hand-written scan: the regex's iterator, forward and reverse DFA for each
/// word, took a fifth of reported-speech extraction).
fn words(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|&(_, c)| verbs::is_letter(c))?;
        let mut end = s.len();
        while let Some(&(i, c)) = chars.peek() {
            if !(verbs::is_letter(c) || matches!(c, '\'' | '’' | '-')) {
                end = i;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}
static SELON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^\s*|,\s+)(?:[Ss]elon|[Dd]'après|[Dd]’après)\s").unwrap());
/// The pronoun after `selon`: the previous speaker (`selon lui`) or, for `qui`, the
/// actor just named.
static SELON_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:lui|elle|eux|elles|qui)\b").unwrap());
/// `… selon X.` closing a sentence: the source follows what it reports.
static SELON_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r",?\s+(?:selon|d'après|d’après)\s").unwrap());
/// What opens the reported content and is not part of it: adverbials, then `que`.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[\s,:]*(?:(?:(?:{ADVERBIALS}|[\p{{L}}'’-]+)\s*,?\s+){{0,3}}?(?:que\s+|qu['’]\s*)|(?:(?:{ADVERBIALS})\s*,?\s+)*(?:de\s+|d['’]\s*)?)"
    ))
    .unwrap()
});
/// `alternatives` (`a\s+b|a\s+c|d`) with those sharing a first word grouped under it
/// (`a\s+(?:b|c)|d`): the same language, a smaller automaton (a use of `ADVERBIALS`
/// under `(?i)` compiles in 7.4 M instructions instead of 8.5 M). The order of the
/// alternatives changes, so only for patterns whose matches depend on the language alone:
/// anchored at `$` without captures, or only tested with `is_match`. Alternatives that are
/// not plain words separated by `\s+` are left as they are.
fn by_first_word(alternatives: &str) -> String {
    fn group(seqs: &[&[&str]]) -> String {
        let mut firsts: Vec<&str> = Vec::new();
        for s in seqs {
            if !firsts.contains(&s[0]) {
                firsts.push(s[0]);
            }
        }
        let mut out: Vec<String> = Vec::new();
        for f in firsts {
            let rests: Vec<&[&str]> = seqs.iter().filter(|s| s[0] == f).map(|s| &s[1..]).collect();
            let longer: Vec<&[&str]> = rests.iter().copied().filter(|r| !r.is_empty()).collect();
            out.push(if longer.is_empty() {
                f.to_string()
            } else if rests.iter().any(|r| r.is_empty()) {
                format!(r"{f}(?:\s+{})?", group(&longer))
            } else {
                format!(r"{f}\s+{}", group(&longer))
            });
        }
        if out.len() == 1 {
            out.remove(0)
        } else {
            format!("(?:{})", out.join("|"))
        }
    }
    let seqs: Vec<Vec<&str>> = alternatives
        .split('|')
        .map(|a| a.split(r"\s+").collect())
        .collect();
    let plain = |w: &&str| {
        !w.is_empty()
            && !w.contains([
                '\\', '(', ')', '[', ']', '{', '}', '?', '*', '+', '.', '^', '$', '|',
            ])
    };
    if !seqs.iter().flatten().all(plain) {
        return alternatives.to_string();
    }
    let slices: Vec<&[&str]> = seqs.iter().map(Vec::as_slice).collect();
    group(&slices)
}
pub(super) const QUOTE_MARKS: &[char] = &['«', '»', '“', '”', '„', '‹', '›', '"'];

/// A dateline opening the lede (`Erevan, 8 déc 2020 (AFP) - `).
static DATELINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^.]{0,80}\(AFP\)\s*[-–—]?\s*").unwrap());

/// A dateline after other words: a city of one or two capitalised words (and a place in
/// parentheses), a date, `(AFP)`.
static GLUED_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(\p{Lu}[\p{L}'’-]*(?:[ -]\p{Lu}[\p{L}'’-]*)?(?:\s*\([^()]{1,30}\))?),\s+\d{1,2}(?:er)?\s+\p{L}+\.?\s+\d{4}\s*\(AFP\)\s*[-–—]?\s*").unwrap()
});

/// The sentences of a paragraph, as byte ranges: the title is one (a headline reports
/// like any sentence: `Aliev revendique la prise de Hadrout`); a dateline is left out.
fn sentences(text: &str, p: Range<usize>, title: Option<&Range<usize>>) -> Vec<Range<usize>> {
    let mut p = p;
    let mut out = Vec::new();
    if let Some(t) = title.filter(|t| p.start <= t.start && t.start < p.end) {
        out.push(t.start..t.end.min(p.end));
        p.start = t.end.min(p.end);
    }
    let glued = GLUED_DATELINE
        .captures(&text[p.clone()])
        .and_then(|m| Some((m.get(1)?.start(), m.get(0)?.end())))
        .filter(|&(city, _)| city > 0);
    if let Some((city, end)) = glued {
        // a title glued to its dateline (`… Ankara fustige Erevan New York (Nations
        // unies), 28 oct 2020 (AFP) - …`): the words before the city are a sentence
        out.push(p.start..p.start + city);
        p.start += end;
    } else if let Some(m) = DATELINE.find(&text[p.clone()]) {
        p.start += m.end();
    }
    let mut start = p.start;
    for at in speaker::sentence_breaks(text, p.clone()) {
        let next = text[at..p.end].trim_start().chars().next();
        if next.is_some_and(|n| n.is_uppercase() || QUOTE_MARKS.contains(&n)) {
            out.push(start..at);
            start = at;
        }
    }
    out.push(start..p.end);
    out
}

/// The reported content from `from` to `end`, or `None` when it is too short or is a
/// direct quote (it opens with a quotation mark).
fn content(text: &str, from: usize, end: usize) -> Option<Range<usize>> {
    if from >= end {
        return None;
    }
    let lead = LEAD.find(&text[from..end]).map_or(0, |m| m.end());
    let s = from + lead;
    let body = text[s..end].trim_end_matches(|c: char| c.is_whitespace() || ".!?;:,".contains(c));
    let e = s + body.len();
    let words = body.split_whitespace().count();
    (words >= 2 && !body.starts_with(QUOTE_MARKS)).then_some(s..e)
}

/// How a reporting verb was found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    /// After its own subject (auxiliary or present tense).
    Subject,
    /// A participle clause or a coordinated verb: the sentence's speaker.
    Shared,
}

/// A reporting verb of a sentence: where its clause starts, where its content starts,
/// and its speaker when its subject gives one.
struct Trigger {
    clause: usize,
    /// False for an incise after a direct quote (`, a-t-il dit à la presse`): it gives
    /// the sentence's speaker, and its words are not a statement.
    reports: bool,
    /// The reported words when they come before the verb (`C'est une première, a
    /// souligné l'Elysée.`).
    before: Option<Range<usize>>,
    after: usize,
    form: Form,
    speaker: Option<Found>,
}

impl Trigger {
    /// A verb whose words follow it.
    fn new(clause: usize, after: usize, form: Form, speaker: Option<Found>) -> Self {
        Trigger {
            clause,
            reports: true,
            before: None,
            after,
            form,
            speaker,
        }
    }
}

/// What reported-speech extraction reads besides the text.
struct Context<'a> {
    text: &'a str,
    mentions: &'a [Mention],
    g: &'a Gazetteer,
    /// Inner ranges of the dispatch's quotes, in order.
    quotes: &'a [Range<usize>],
}

impl Context<'_> {
    fn in_quote(&self, at: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.end <= at);
        self.quotes.get(i).is_some_and(|q| q.start <= at)
    }

    /// The subject of a verb whose clause (subject and auxiliary) ends at `at`, within a
    /// sentence starting at `start`; `previous` gives the antecedent of a pronoun.
    fn subject(
        &self,
        start: usize,
        at: usize,
        previous: &dyn Fn(usize) -> Option<Found>,
    ) -> Option<(usize, Found)> {
        let text = self.text;
        // a subject is near its verb; bounding the look-back keeps a huge sentence linear
        let start = start.max(floor_boundary(text, at.saturating_sub(LOOK_BACK)));
        if start > at {
            return None;
        }
        let before = &text[start..at];
        // an actor named as the subject
        let named = speaker::within(self.mentions, start..at)
            .iter()
            .rev()
            .find(|m| {
                let gap = &text[m.span.end..at];
                speaker::usable(text, m)
                    && (SUBJECT_GAP.is_match(gap)
                        || (text[..m.span.start].trim_end().ends_with(',')
                            && gap
                                .trim_start()
                                .strip_prefix(',')
                                .is_some_and(|g| SUBJECT_GAP.is_match(g))))
            });
        if let Some(m) = named {
            return Some((m.span.start, speaker::speaker_of(m, Cue::Subject)));
        }
        // `Nikol Pachinian, qui a indiqué`: the relative's antecedent, a name or else an
        // anaphor (`, a souligné l'organisation, qui a indiqué`)
        if let Some(q) = QUI_BEFORE.find(before) {
            let qs = start + q.start();
            let named = speaker::within(self.mentions, start..qs)
                .iter()
                .rev()
                .find(|m| speaker::usable(text, m) && text[m.span.end..qs].trim().len() <= 60);
            if let Some(m) = named {
                return Some((qs, speaker::speaker_of(m, Cue::Subject)));
            }
            let antecedent = &text[start..qs];
            let c = ANAPHOR_BEFORE.captures(antecedent)?;
            return self.anaphor(start, antecedent, &c).map(|(_, f)| (qs, f));
        }
        if let Some(p) = PRONOUN_BEFORE.find(before) {
            let ps = start + p.start();
            return previous(ps).map(|(s, m, _)| (ps, (s, m, Cue::Pronoun)));
        }
        if let Some(c) = ANAPHOR_BEFORE.captures(before) {
            return self.anaphor(start, before, &c);
        }
        // a capitalised name the gazetteer lacks
        let (name, span) = speaker::proper_name_before(text, start..at)?;
        SUBJECT_GAP.is_match(&text[span.end..at]).then(|| {
            (
                span.start,
                (Speaker::named(&name), Some(span), Cue::Subject),
            )
        })
    }

    /// Whom the anaphor `c` (an [`ANAPHOR_BEFORE`] match in `before`, which starts at
    /// `start`) names, and where it starts.
    fn anaphor(&self, start: usize, before: &str, c: &regex::Captures) -> Option<(usize, Found)> {
        let head = c.get(1)?;
        let at = start + c.get(0)?.start();
        speaker::anaphor(
            self.mentions,
            self.g,
            head.as_str(),
            &before[head.end()..],
            at,
        )
        .map(|f| (at, f))
    }

    /// The subject of an absolute participle clause (`, Erevan accusant`): an actor named
    /// right after a comma and right before the participle at `at`.
    fn absolute_subject(&self, lo: usize, at: usize) -> Option<(usize, Found)> {
        let text = self.text;
        let m = speaker::within(self.mentions, lo..at).last()?;
        let comma = text[..m.span.start].trim_end().ends_with(',');
        (comma && text[m.span.end..at].trim().is_empty() && speaker::usable(text, m))
            .then(|| (m.span.start, speaker::speaker_of(m, Cue::Subject)))
    }

    /// The reporting verbs of a sentence, in order.
    fn triggers(
        &self,
        sent: Range<usize>,
        previous: &dyn Fn(usize) -> Option<Found>,
    ) -> Vec<Trigger> {
        let text = self.text;
        let mut out: Vec<Trigger> = Vec::new();
        for w in words(&text[sent.clone()]) {
            let (ws, we) = (sent.start + w.start, sent.start + w.end);
            let word = &text[ws..we];
            if self.in_quote(ws) || out.last().is_some_and(|t| ws < t.after) {
                continue;
            }
            let lo = sent
                .start
                .max(floor_boundary(text, ws.saturating_sub(LOOK_BACK)));
            let before = &text[lo..ws];
            let multi = verbs::multiword(&text[ws..sent.end]);
            let reporting = multi.is_some()
                || (verbs::is_reporting(word)
                    && (!verbs::needs_that(word) || THAT_AFTER.is_match(&text[we..sent.end])));
            if !reporting {
                continue;
            }
            let after = ws + multi.unwrap_or(0).max(we - ws);
            let last_clause = out.last().map_or(sent.start, |t| t.after);
            // whether a clause is the content the previous verb reports (`a assuré que la
            // Russie saluait …`): its present or imperfect verb leaves the statement to the
            // previous speaker (an auxiliary's verb does not: `a indiqué que Vladimir Poutine
            // avait souhaité …` is Poutine's)
            let in_content = |out: &Vec<Trigger>, clause: usize| {
                let gap = &text[last_clause..clause];
                !out.is_empty()
                    && (THAT_BEFORE.is_match(gap)
                        || (gap.trim().is_empty()
                            && THAT_PRONOUN.is_match(text[clause..ws].trim_start())))
            };
            // a verb sharing the previous one's subject (`… et appelé`), with or
            // without its auxiliary
            let coordinated = |out: &Vec<Trigger>| {
                let from = last_clause.max(lo);
                COORDINATED_BEFORE
                    .find(&text[from..ws])
                    .filter(|_| !out.is_empty())
                    .map(|c| Trigger::new(from + c.start(), after, Form::Shared, None))
            };
            // after an auxiliary (a present participle never is: `, a-t-il ajouté, en
            // assurant que …` opens a participle clause)
            if let Some(aux) = auxiliary(before).filter(|_| !verbs::is_present_participle(word)) {
                let aux_start = lo + aux.start();
                let gap = &text[aux_start..ws];
                if NOT_REPORTING_GAP.is_match(gap) {
                    continue;
                }
                // the words before an inverted incise (`C'est une première, a souligné
                // l'Elysée.`, `L'organisation se tient prête, a-t-il assuré.`), unless
                // they hold a quote (then the incise only names its speaker)
                let comma = text[..aux_start]
                    .trim_end()
                    .strip_suffix(',')
                    .map(str::len)
                    .filter(|&c| {
                        last_clause < c
                            && !text[last_clause..c].contains(QUOTE_MARKS)
                            && !self.in_quote(last_clause)
                    });
                if AUX_PRONOUN.is_match(aux.as_str()) {
                    // `«…», a-t-il ajouté, …`: the speaker of what came before
                    out.push(Trigger {
                        clause: aux_start,
                        reports: comma.is_some(),
                        before: comma.map(|c| last_clause..c),
                        after,
                        form: Form::Shared,
                        speaker: previous(aux_start).map(|(s, m, _)| (s, m, Cue::Pronoun)),
                    });
                    continue;
                }
                if let Some((clause, found)) = self.subject(
                    sent.start.max(last_clause),
                    aux_start + leading_non_letters(aux.as_str()),
                    previous,
                ) {
                    out.push(Trigger::new(clause, after, Form::Subject, Some(found)));
                    continue;
                }
                // `…, a souligné l'Elysée.`: an inverted incise with no quote
                if let Some(comma) = comma
                    && let Some(found) =
                        speaker::named_in(text, after..sent.end, self.mentions, self.g)
                    && inverted_subject(text, after, &found)
                {
                    out.push(Trigger {
                        clause: aux_start,
                        reports: true,
                        before: Some(last_clause..comma),
                        after: sent.end,
                        form: Form::Subject,
                        speaker: Some(found),
                    });
                    continue;
                }
                out.extend(coordinated(&out));
                continue;
            }
            if verbs::is_present_participle(word) {
                if let Some(p) = PARTICIPLE_BEFORE.find(before) {
                    out.push(Trigger::new(lo + p.start(), after, Form::Shared, None));
                } else if let Some((clause, found)) = self.absolute_subject(lo, ws) {
                    // `…, Erevan accusant l'armée de …`: a participle with its own subject
                    out.push(Trigger::new(clause, after, Form::Subject, Some(found)));
                }
                continue;
            }
            if let Some(t) = coordinated(&out) {
                out.push(t);
                continue;
            }
            // a present-tense verb right after its subject (`Bakou affirme`)
            if (word.ends_with(['e', 't']) || word.ends_with("ent"))
                && let Some((clause, found)) =
                    self.subject(sent.start.max(last_clause), ws, previous)
                && !in_content(&out, clause)
            {
                out.push(Trigger::new(clause, after, Form::Subject, Some(found)));
            }
        }
        out
    }
}

/// The auxiliary of the verb `before` ends at, with the words between them. Not one
/// before a relative or a `que` (`, a souligné l'organisation, qui appelle`, `, a-t-il
/// ajouté, précisant qu'il appellerait`): that opens a clause of its own, with its own
/// auxiliary or none.
fn auxiliary(before: &str) -> Option<regex::Match<'_>> {
    let aux = AUX_BEFORE.find(before)?;
    match CLAUSE_OPENER.find_iter(aux.as_str()).last() {
        Some(q) => AUX_BEFORE.find_at(before, aux.start() + q.end()),
        None => Some(aux),
    }
}

/// A relative pronoun or a `que` as a word.
static CLAUSE_OPENER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|[\s,])(?:qui\b|que\b|qu['’])").unwrap());

/// Whether the speaker an inverted incise names is the verb's subject (`, a souligné
/// le ministère`, `, ont indiqué les autorités`), not a word of its object or
/// complement (`, ont appelé jeudi à l'arrêt des combats au Nagorny Karabakh`).
fn inverted_subject(text: &str, after: usize, found: &Found) -> bool {
    let Some(m) = &found.1 else { return true };
    let gap = &text[after..m.start.max(after)];
    let lead = speaker::INCISE_LEAD.find(gap).map_or(0, |l| l.end());
    !PREPOSITION.is_match(&gap[lead..])
}

/// Only a `que` between a verb and the next clause: that clause is the verb's content.
static THAT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:que|qu['’])\s*(?:(?:le|la|les)\s+|l['’]\s*)?$").unwrap()
});

/// A `que` right after a verb (adverbials between).
static THAT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\s*,?\s*(?:(?:{adv})\s*,?\s*)*(?:que\b|qu['’])",
        adv = by_first_word(ADVERBIALS)
    ))
    .unwrap()
});

/// A subject pronoun with its `que` (`qu'il`).
static THAT_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:que|qu['’])\s*(?:il|elle|ils|elles)\b").unwrap());

/// A preposition or complement opener: what follows it is not the verb's subject.
static PREPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|(?-i:[^\p{L}\x{345}]))(?:à|au|aux|sur|dans|pour|contre|avec|vers|chez|entre|que|qu['’]|d['’]|de|du|des)(?:(?-i:[^\p{L}\x{345}])|$)").unwrap()
});

/// Whether the content is a bare anaphoric object (`a salué cette décision`, `a rejeté
/// ces accusations`): it names what was said before, it does not report words. Any other
/// noun object is reported (`a revendiqué la prise de Hadrout`, `exige la suspension de
/// l'aide`), as the audited corpus marks it.
fn object_not_reported(text: &str, content: Range<usize>) -> bool {
    let mut words = text[content].split_whitespace();
    let demonstrative = words
        .next()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "ce" | "ces" | "cet" | "cette"));
    // at most one word after it
    demonstrative && words.nth(1).is_none()
}

/// Compiles this module's patterns now, so that start-up can build them on another
/// thread while [`super::warm_up`] compiles the rest.
pub fn compile_patterns() {
    for re in [
        &AUX_BEFORE,
        &AUX_PRONOUN,
        &NOT_REPORTING_GAP,
        &SUBJECT_GAP,
        &PRONOUN_BEFORE,
        &QUI_BEFORE,
        &ANAPHOR_BEFORE,
        &PARTICIPLE_BEFORE,
        &COORDINATED_BEFORE,
        &SELON,
        &SELON_PRONOUN,
        &SELON_AFTER,
        &LEAD,
        &DATELINE,
        &GLUED_DATELINE,
        &PREPOSITION,
        &THAT_BEFORE,
        &THAT_PRONOUN,
        &CLAUSE_OPENER,
        &THAT_AFTER,
    ] {
        LazyLock::force(re);
    }
}

/// How far back from a verb its auxiliary, subject or clause opener is looked for.
const LOOK_BACK: usize = 400;

/// The char boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn leading_non_letters(s: &str) -> usize {
    s.len() - s.trim_start_matches(|c: char| !c.is_alphabetic()).len()
}

/// The reported statements of a dispatch body whose paragraphs are given. `direct` are
/// its direct statements (the speakers pronouns refer to) and `quotes` the inner ranges
/// of all its quotes, in order (no reporting verb is read inside them).
pub fn reported_statements(
    text: &str,
    paragraphs: &[Range<usize>],
    mentions: &[Mention],
    g: &Gazetteer,
    title: Option<Range<usize>>,
    direct: &[Statement],
    quotes: &[Range<usize>],
) -> Vec<Statement> {
    let cx = Context {
        text,
        mentions,
        g,
        quotes,
    };
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
        for sent in sentences(text, p.clone(), title.as_ref()) {
            let end = sent.end;
            // the latest speaker before `at`, for pronouns
            let latest = |out: &Vec<Statement>, at: usize| -> Option<Found> {
                // statements are in order and do not overlap: binary search, not a scan
                let before =
                    |v: &[Statement]| v[..v.partition_point(|s| s.span.end <= at)].last().cloned();
                let best = match (before(direct), before(out)) {
                    (Some(a), Some(b)) => Some(if a.span.end >= b.span.end { a } else { b }),
                    (a, b) => a.or(b),
                };
                // a clause subject named since then, looked for in a bounded window
                let from = best
                    .as_ref()
                    .map_or(0, |s| s.span.end)
                    .max(at.saturating_sub(2000));
                let subject = speaker::within(mentions, from..at).iter().rev().find(|m| {
                    speaker::usable(text, m)
                        && speaker::AUXILIARY_AFTER.is_match(&text[m.span.end..at.max(m.span.end)])
                });
                subject
                    .map(|m| speaker::speaker_of(m, Cue::Pronoun))
                    .or_else(|| best.map(|s| (s.speaker, s.mention, Cue::Pronoun)))
            };
            // `selon X, …`, `selon lui, …`, `…, selon qui …`
            if let Some(sel) = SELON.find(&text[sent.clone()]) {
                let after = sent.start + sel.end();
                let mut window_end = (after + 120).min(end);
                while !text.is_char_boundary(window_end) {
                    window_end -= 1;
                }
                let rest = &text[after..window_end];
                let source: Option<(usize, Found)> = if let Some(p) = SELON_PRONOUN.find(rest) {
                    let by = if p.as_str().trim_start().starts_with("qui") {
                        // `…, a dénoncé le conseiller Hikmet Hadjiev, selon qui …`
                        speaker::within(mentions, sent.start..after)
                            .last()
                            .map(|m| speaker::speaker_of(m, Cue::Source))
                    } else {
                        latest(&out, after).map(|(s, m, _)| (s, m, Cue::Pronoun))
                    };
                    by.map(|f| (after + p.end(), f))
                } else {
                    speaker::within(mentions, after..window_end)
                        .first()
                        .map(|m| (m.span.end, speaker::speaker_of(m, Cue::Source)))
                        // `selon l'ONG, …`: a role or body word for an actor named earlier
                        .or_else(|| {
                            speaker::named_in(text, after..window_end, mentions, g)
                                .filter(|f| f.1.as_ref().is_some_and(|m| m.end <= after))
                                .map(|(s, m, _)| (after, (s, m, Cue::Source)))
                        })
                };
                if let Some((from, found)) = source {
                    let from = if text[from..end].trim_start().starts_with(',')
                        || !SELON_PRONOUN.is_match(rest)
                    {
                        text[from..end].find(',').map(|c| from + c + 1)
                    } else {
                        Some(from)
                    };
                    if let Some(c) = from.and_then(|f| content(text, f, end)) {
                        push(c, found, &mut out);
                        continue;
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
                        push(c, speaker::speaker_of(m, Cue::Source), &mut out);
                        continue;
                    }
                }
            }
            let found = {
                let snapshot = &out;
                let previous = |at: usize| latest(snapshot, at);
                cx.triggers(sent.clone(), &previous)
            };
            let mut speaker_of_sentence: Option<Found> = None;
            for (i, t) in found.iter().enumerate() {
                let stop = found.get(i + 1).map_or(end, |n| n.clause.max(t.after));
                let who = match (&t.speaker, t.form) {
                    (Some(f), _) => Some(f.clone()),
                    (None, Form::Shared) => speaker_of_sentence
                        .clone()
                        .or_else(|| latest(&out, t.clause))
                        .map(|(s, m, _)| (s, m, Cue::Continuation)),
                    (None, Form::Subject) => None,
                };
                let Some(who) = who else { continue };
                if t.form == Form::Subject || speaker_of_sentence.is_none() {
                    speaker_of_sentence = Some(who.clone());
                }
                if !t.reports {
                    continue;
                }
                let words = match &t.before {
                    Some(b) => content(text, b.start, b.end),
                    None => content(text, t.after, stop)
                        .filter(|c| !object_not_reported(text, c.clone())),
                };
                if let Some(c) = words {
                    push(c, who, &mut out);
                }
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

    /// `words` finds what the regex `\p{L}[\p{L}'’-]*` finds, on the shipped dispatches
    /// and on strings of letters, marks, apostrophes, hyphens and punctuation.
    #[test]
    fn words_are_the_word_regex() {
        let re = regex::Regex::new(r"\p{L}[\p{L}'’-]*").unwrap();
        let check = |s: &str| {
            let want: Vec<_> = re.find_iter(s).map(|m| m.range()).collect();
            assert_eq!(super::words(s).collect::<Vec<_>>(), want, "{s:?}");
        };
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/training-data/dispatches");
        for e in std::fs::read_dir(dir).unwrap() {
            check(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        let alphabet: Vec<char> = "aZé’'-- .,«»1_ǅ\u{301}\u{2160}ßΣяあ\u{10400}\t\n"
            .chars()
            .collect();
        let mut x = 12345u64;
        for len in 0..2000 {
            let s: String = (0..len % 40)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(x >> 33) as usize % alphabet.len()]
                })
                .collect();
            check(&s);
        }
    }

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
            // the words before an inverted incise, whoever it names
            (
                "Mike Pompeo a reçu les ministres. Les deux camps doivent négocier, a-t-il ajouté.",
                &[("Les deux camps doivent négocier", "mike-pompeo")],
            ),
            (
                "Les discussions reprendront lundi, a indiqué le département d'État.",
                &[("Les discussions reprendront lundi", "us-gov")],
            ),
            // a participle after a pronoun incise opens a clause of its own
            (
                "Mike Pompeo a parlé. « Non », a-t-il ajouté, en assurant que les deux pays devaient négocier.",
                &[("les deux pays devaient négocier", "mike-pompeo")],
            ),
            // a name in apposition is the subject of the verb after it
            (
                "Le chef de la délégation, Djeyhoun Baïramov, a indiqué que les tirs avaient cessé.",
                &[("les tirs avaient cessé", "jeyhun-bayramov")],
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
            // a participle clause and a coordinated verb keep the sentence's speaker
            (
                "Mike Pompeo a affirmé que Washington suivait la situation, assurant que la paix était possible, et appelé les parties à négocier.",
                &[
                    ("Washington suivait la situation", "mike-pompeo"),
                    ("la paix était possible", "mike-pompeo"),
                    ("les parties à négocier", "mike-pompeo"),
                ],
            ),
            // an anaphor resolves to the latest actor that holds such a role
            (
                "Djeyhoun Baïramov était à Genève. Mike Pompeo l'a reçu. Le secrétaire général a exhorté les deux camps à cesser le feu.",
                &[],
            ),
            (
                "Mike Pompeo était à Genève. Le chef de la diplomatie a exhorté les deux camps à cesser le feu.",
                &[("les deux camps à cesser le feu", "mike-pompeo")],
            ),
            // `selon lui`, and a relative's antecedent
            (
                "Mike Pompeo a parlé aux journalistes. Selon lui, les combats doivent cesser.",
                &[("les combats doivent cesser", "mike-pompeo")],
            ),
            (
                "Djeyhoun Baïramov, qui a dénoncé une attaque contre des civils, était à Moscou.",
                &[(
                    "une attaque contre des civils, était à Moscou",
                    "jeyhun-bayramov",
                )],
            ),
            // an inverted incise with no quotation marks
            (
                "La situation reste très grave, a souligné Washington.",
                &[("La situation reste très grave", "us-gov")],
            ),
            // a headline reports like any sentence
            (
                " date 2020-10 Bakou accuse Erevan de frappes\n\nLe texte suit.",
                &[("Erevan de frappes", "azerbaijan-gov")],
            ),
            // what a clause coordinates after its partial quote is reported of its own
            (
                "Pompeo a dit suivre la situation « de près » et être en contact avec les familles.",
                &[("être en contact avec les familles", "mike-pompeo")],
            ),
            // an inverted incise names its subject right after the verb, not in its object
            (
                "Les trois présidents, dont les pays coprésident le groupe, ont appelé jeudi à l'arrêt des combats à Bakou.",
                &[],
            ),
            // a body word as a present-tense subject or after `selon`
            (
                "Mike Pompeo était à Genève. Le chef de la diplomatie dit avoir reçu les deux ministres. Selon le chef de la diplomatie, la paix reste possible.",
                &[
                    ("avoir reçu les deux ministres", "mike-pompeo"),
                    ("la paix reste possible", "mike-pompeo"),
                ],
            ),
            // a present participle after a comma opens its own clause, even before a quote
            (
                "Mike Pompeo a fait état de deux morts et de trois blessés, reconnaissant que la situation était « grave ».",
                &[("deux morts et de trois blessés", "mike-pompeo")],
            ),
            // verbs the Tracker's list lacks; a noun object is reported, a bare
            // anaphoric one (`ces accusations`) is not
            (
                "Mike Pompeo a répété que les deux pays devaient négocier.",
                &[("les deux pays devaient négocier", "mike-pompeo")],
            ),
            (
                "Pompeo vante les liens avec Bakou.",
                &[("les liens avec Bakou", "mike-pompeo")],
            ),
            (
                "Bakou nie avoir tiré sur la ville.",
                &[("avoir tiré sur la ville", "azerbaijan-gov")],
            ),
            ("Bakou nie ces accusations.", &[]),
            (
                "Bakou revendique la prise de la ville.",
                &[("la prise de la ville", "azerbaijan-gov")],
            ),
            // a partial quote inside a reported clause is a direct statement
            (
                "Pompeo a appelé les deux pays à « cesser les combats ».",
                &[],
            ),
            // ... but a quote a comma sets off leaves the complete clause before it
            (
                "Pompeo a salué la présence des observateurs, « seule garantie de la paix ».",
                &[("la présence des observateurs", "mike-pompeo")],
            ),
            // present-tense forms the Tracker's list lacks (`annonce`), as in headlines
            (
                "Karabakh : Bakou annonce la prise de la ville.",
                &[("la prise de la ville", "azerbaijan-gov")],
            ),
            // an unaccented `A` opening a place is not an auxiliary
            (
                "A Bakou, Mike Pompeo a remercié les deux pays pour leur accueil.",
                &[("les deux pays pour leur accueil", "mike-pompeo")],
            ),
            // a clause a colon or a reflexive participle closes before a quote
            (
                "Mike Pompeo a appelé les deux parties à revenir à la table : « Il faut parler ».",
                &[("les deux parties à revenir à la table", "mike-pompeo")],
            ),
            (
                "Mike Pompeo a rappelé sa position : « Il faut parler ».",
                &[],
            ),
            (
                "Mike Pompeo a appelé les deux camps à la retenue, se disant « préoccupé ».",
                &[("les deux camps à la retenue", "mike-pompeo")],
            ),
            // `maintenir` and `soutenir` report only a `que` clause
            (
                "La Turquie, qui soutient ouvertement Bakou, est membre de l'Otan.",
                &[],
            ),
            (
                "Bakou maintient que la frappe a été menée par Erevan.",
                &[("la frappe a été menée par Erevan", "azerbaijan-gov")],
            ),
            // a participle with its own subject after a comma
            (
                "La cathédrale a été touchée, Bakou accusant l'armée d'avoir visé l'édifice.",
                &[("l'armée d'avoir visé l'édifice", "azerbaijan-gov")],
            ),
            // a `que` after the incise opens a clause the auxiliary does not govern
            (
                "« La paix d'abord », a-t-il ajouté, précisant qu'il appellerait les deux ministres.",
                &[],
            ),
            // a title glued to its dateline ends before the city
            (
                "Karabakh : Bakou accuse l'armée de tirs Moscou, 28 oct 2020 (AFP) - Les combats continuent.",
                &[("l'armée de tirs", "azerbaijan-gov")],
            ),
            // a relative after an incise's anaphor has that anaphor's speaker
            (
                "Mike Pompeo est arrivé. « Il faut négocier », a souligné le secrétaire d'Etat, qui a indiqué attendre les deux ministres.",
                &[("attendre les deux ministres", "mike-pompeo")],
            ),
            // the verb of a reported `que` clause does not take the statement from the
            // speaker who reports it
            (
                "Mike Pompeo a assuré que Washington saluait tout effort de paix.",
                &[("Washington saluait tout effort de paix", "mike-pompeo")],
            ),
        ];
        check_table(&g, cases, Some(Kind::Indirect));
    }
}
