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
use crate::actor::{Gazetteer, Mention, MentionKind};

/// Past participles of reporting verbs (alternation for a regex).
pub const VERB_PARTICIPLES: &str = "dit|déclaré|affirmé|ajouté|assuré|estimé|souligné|indiqué|expliqué|précisé|annoncé|répété|insisté|martelé|lancé|lâché|écrit|accusé|dénoncé|appelé|demandé|exhorté|averti|prévenu|menacé|promis|reconnu|démenti|nié|rappelé|jugé|qualifié|salué|condamné|regretté|déploré|fustigé|réclamé|exigé|proposé|confié|raconté|poursuivi|conclu|tweeté|twitté|réagi|commenté|noté|observé|relevé|plaidé|protesté|répondu|rétorqué|ironisé|tranché|admis|confirmé|signalé|soutenu|martelé|renchéri|insisté|prévenu|argué|avancé|fait savoir|fait valoir";
/// Present-tense reporting verbs used in inverted incises (`poursuit-il`).
pub const VERB_PRESENT: &str = "dit|écrit|déclare|affirme|ajoute|assure|estime|souligne|indique|explique|précise|poursuit|insiste|martèle|lance|note|observe|relève|conclut|raconte|confie|résume|tranche|prévient|avertit|rappelle|réplique|rétorque|interroge|ironise";

static PRONOUN_INCISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s,;]*(?:(?:a|ont|avait|avaient|aurait)-t-(?:il|elle|ils|elles)\b|\p{L}+-t-(?:il|elle)\b|(?:s['’])?\p{L}+-(?:il|elle|ils|elles)\b)").unwrap()
});
/// A phrase of time or place opening a sentence before its subject (`A Bakou,`, `Dans
/// la foule,`, `Quelques heures plus tôt,`).
static LEADING_ADVERBIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:À|A|Au|Aux|En|Dans|Devant|Depuis|Sur|Côté|Quelques|Plus|Peu|Après|Avant|Lors|Mardi|Lundi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche|La\s+veille|Le\s+lendemain|Interrogée?|Sous|Au\s+même\s+moment|Entre-temps|Parallèlement|Pendant|Dès|Face)\b[^,.;«»“”„‹›\x22]*,\s*)*").unwrap()
});
/// Role and body words that name an earlier actor (`le chef de l'Etat`, `le ministère`,
/// `l'organisation`), for the subject, incise and reported-clause readers alike; the
/// longer phrases come first. [`anaphor`] resolves them.
pub(super) const ROLE_WORDS: &str = r"chef\s+de\s+l['’][ée]tat|chef\s+de\s+la\s+diplomatie|chef\s+du\s+gouvernement|premier\s+ministre|ministre|présidente?|dirigeante?|porte-parole|diplomate|haute?-commissaire|haute?\s+représentante?|secrétaire\s+général|secrétaire\s+d['’][ée]tat|médiat(?:eur|rice)|défenseure?|ambassad(?:eur|rice)|conseill(?:er|ère)|homologue|hôte|responsable|ministère|armée|parquet|organisation|ong|lobby|association|gouvernement|présidence|diplomatie|autorités|dirigeants|services|forces|commandement|chef";
/// An adjective between the article and a role word (`le nouveau ministre`).
pub(super) const ROLE_ADJECTIVE: &str = r"(?:(?i:nouvel(?:le)?|nouveau|ancien(?:ne)?|même)\s+)?";
/// A role or body opening a sentence as its subject (`Le chef de l'Etat a insisté`).
static SUBJECT_ANAPHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:le|la|l['’]|les|leur|son|sa)\s*{ROLE_ADJECTIVE}((?i){ROLE_WORDS})\s+\p{{Ll}}"
    ))
    .unwrap()
});
/// A verb before a mention: the mention is not the subject.
static VERB_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(?:a|ont|avait|avaient|est|sont|s['’]est|se sont|était|étaient)\s")
        .unwrap()
});
/// A preposition: a mention after it is not a subject.
static PREPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|(?-i:[^\p{L}\x{345}]))(?:par|avec|pour|contre|sur|selon|à|au|aux|chez|entre|vers)\s")
        .unwrap()
});
/// A word of an incise.
static INCISE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Ll}[\p{Ll}'’-]*|se sont").unwrap());
/// What may stand between an incise's verb and its subject: adverbials.
pub(super) static INCISE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:\s*,?\s*(?:{}))*\s*,?\s*",
        super::reported::ADVERBIALS
    ))
    .unwrap()
});
/// A role or body naming the speaker of an incise (`le président`, `le dirigeant
/// arménien`, `le ministère`, `le haut représentant`).
static INCISE_ANAPHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:le|la|l['’]|les)\s*{ROLE_ADJECTIVE}((?i){ROLE_WORDS})(?:[^\p{{L}}]|$)"
    ))
    .unwrap()
});
/// A description of a speaker by role, before a name or a body (`la porte-parole du
/// ministère de la Défense, `, `un responsable du `); callers bound its length (an
/// unbounded repetition compiles far faster than `{0,90}` of a Unicode class).
static ROLE_DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:le|la|les|l['’]|un|une|l['’]un|l['’]une)\s*[^.;:!?«»“”„‹›\x22]*$").unwrap()
});
/// `M. Biegun`, `Mme Naghdalian`.
static MISTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:M\.|Mme|Mlle)\s+(\p{Lu}[\p{L}'’-]+)").unwrap());
pub(super) static AUXILIARY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:,[^,]+,\s*)?(?:a|ont|avait|avaient|aurait|auraient|s'est|s’est|se sont|s'était|s’était|se dit|dit|déclare|affirme|estime|juge|appelle|accuse|dénonce|dénoncent|parle|évoque|refuse|salue|saluent|réclame|réclament|exige|exigent|annonce|promet|menace|rejette|dément|fustige|condamne|qualifie)\b").unwrap()
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

pub(super) fn speaker_of(m: &Mention, cue: Cue) -> Found {
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

/// Whether a mention overlaps `r` (mentions are sorted and do not overlap).
pub fn overlaps(mentions: &[Mention], r: &Range<usize>) -> bool {
    let i = mentions.partition_point(|m| m.span.end <= r.start);
    mentions.get(i).is_some_and(|m| m.span.start < r.end)
}

/// The latest actor before `before` (within 3,000 bytes) that a role or body anaphor
/// (`le chef de l'Etat`, `le ministère`, `le dirigeant`) can refer to: a role word must
/// fit the actor's roles or aliases; only a generic one (`le dirigeant`) takes the latest
/// actor of the right kind (a person, or a body for `le ministère`).
pub fn anaphor(
    mentions: &[Mention],
    g: &Gazetteer,
    head: &str,
    qualifier: &str,
    before: usize,
) -> Option<Found> {
    anaphor_with(mentions, g, head, qualifier, None, before)
}

/// [`anaphor`], where a place opening the sentence (`À Bakou, le ministère …`) gives the
/// nation when the words after the role do not. A nationality right after the role (`le
/// dirigeant arménien`, `la diplomatie turque`) must be the actor's affiliation.
fn anaphor_with(
    mentions: &[Mention],
    g: &Gazetteer,
    head: &str,
    qualifier: &str,
    place: Option<&str>,
    before: usize,
) -> Option<Found> {
    let head = super::collapse(head).to_lowercase();
    let nation = qualifier_nation(qualifier).or(place);
    national_body(mentions, g, &head, qualifier, nation, before)
        .or_else(|| anaphor_of(mentions, g, &head, nation, before))
}

/// A body every side has, named without its nation (`le ministère de la Défense`, `le
/// parquet général`, `leur armée`): the side's body, whether named before or not. The
/// side is `nation`, else that of the latest actor named within 1,500 bytes whose side
/// has such a body. `head` is lower-case, its words single-spaced.
fn national_body(
    mentions: &[Mention],
    g: &Gazetteer,
    head: &str,
    qualifier: &str,
    nation: Option<&str>,
    before: usize,
) -> Option<Found> {
    let phrase = match head {
        "ministère"
            if super::collapse(qualifier)
                .to_lowercase()
                .starts_with("de la défense") =>
        {
            "défense"
        }
        "parquet" => "parquet",
        "armée" => "armée",
        _ => return None,
    };
    let body_of = |nation: &str| {
        g.actors().iter().position(|a| {
            a.kind != "person"
                && a.affiliation == nation
                && std::iter::once(&a.name)
                    .chain(&a.aliases)
                    .any(|n| n.to_lowercase().contains(phrase))
        })
    };
    let id = match nation {
        Some(n) => body_of(n)?,
        None => within(mentions, before.saturating_sub(1500)..before)
            .iter()
            .rev()
            .find_map(|m| body_of(&g.actor(m.actor).affiliation))?,
    };
    Some((Speaker::Known(id), None, Cue::Pronoun))
}

/// The nationality among the first words after a role (`arménien` in `le dirigeant
/// arménien a dit`).
fn qualifier_nation(qualifier: &str) -> Option<&'static str> {
    qualifier
        .split(|c: char| !c.is_alphabetic() && c != '-')
        .filter(|w| !w.is_empty())
        .take(3)
        .find_map(nationality)
}

/// [`anaphor`] with the nation already read: the actor must have that affiliation.
/// `head` is lower-case, its words single-spaced.
fn anaphor_of(
    mentions: &[Mention],
    g: &Gazetteer,
    head: &str,
    nation: Option<&str>,
    before: usize,
) -> Option<Found> {
    let body = matches!(
        head,
        "ministère"
            | "armée"
            | "organisation"
            | "ong"
            | "lobby"
            | "association"
            | "gouvernement"
            | "présidence"
            | "diplomatie"
            | "parquet"
            | "autorités"
            | "dirigeants"
            | "services"
            | "forces"
            | "commandement"
    );
    let keyword = match head {
        "chef de la diplomatie" | "diplomate" => Some("diplomatie"),
        h if h.starts_with("chef de l") || h.starts_with("président") => Some("présiden"),
        "premier ministre" | "chef du gouvernement" => Some("premier ministre"),
        "ministre" => Some("ministre"),
        h if h.starts_with("secrétaire g") => Some("secrétaire général"),
        h if h.starts_with("secrétaire d") => Some("secrétaire d"),
        h if h.contains("commissaire") => Some("commissaire"),
        h if h.contains("représentant") => Some("représentant"),
        "porte-parole" => Some("porte-parole"),
        h if h.starts_with("ambassad") => Some("ambassad"),
        h if h.starts_with("conseill") => Some("conseill"),
        h if h.starts_with("médiat") || h.starts_with("défenseur") => Some("défenseur"),
        _ => None,
    };
    let near = within(mentions, before.saturating_sub(3000)..before);
    // `l'organisation`, `l'ONG`, `le lobby` is a body that is neither a state nor one of its
    // ministries
    let organisation = matches!(head, "organisation" | "ong" | "lobby" | "association");
    let fits = |m: &&Mention| {
        let a = g.actor(m.actor);
        if organisation {
            a.kind == "institution" && !a.name.contains("ministère")
        } else if body {
            a.kind != "person"
        } else {
            a.kind == "person"
        }
    };
    let has_role = |m: &&Mention| {
        keyword.is_none_or(|k| {
            let a = g.actor(m.actor);
            a.roles.iter().any(|r| {
                r.title.to_lowercase().contains(k)
                    || r.mentions.iter().any(|s| s.to_lowercase().contains(k))
            }) || a.aliases.iter().any(|s| s.to_lowercase().contains(k))
        })
    };
    let of_nation = |m: &&Mention| nation.is_none_or(|n| g.actor(m.actor).affiliation == n);
    let m = near
        .iter()
        .rev()
        .filter(fits)
        .filter(of_nation)
        .find(has_role)?;
    Some((Speaker::Known(m.actor), Some(m.span.clone()), Cue::Pronoun))
}

/// The gazetteer affiliation a nationality adjective names (`arménienne` → `armenia`).
fn nationality(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    let stem = w.trim_end_matches('s').trim_end_matches('e');
    Some(match stem {
        "arménien" | "arménienn" => "armenia",
        "azerbaïdjanais" | "azerbaidjanais" => "azerbaijan",
        "turc" | "turqu" => "turkey",
        "russ" => "russia",
        "françai" | "français" => "france",
        "américain" => "united-states",
        "iranien" | "iranienn" => "iran",
        "européen" | "européenn" => "eu",
        "géorgien" | "géorgienn" => "georgia",
        "allemand" => "germany",
        "norvégien" | "norvégienn" => "nato",
        "séparatist" | "karabakhi" => "karabakh",
        _ => return None,
    })
}

/// How far back a sentence is searched for its start: a longer "sentence" is not
/// prose, and bounding it keeps extraction linear on hostile input.
pub(super) const MAX_SENTENCE: usize = 1000;

/// The speaker named in `window`, right after an incise's reporting verb: a gazetteer
/// mention, a role or body anaphor (`, a dit le président`, `, a averti le ministère`),
/// `M. X` (the full name written earlier when there is one), or a capitalised name.
pub(super) fn named_in(
    text: &str,
    window: Range<usize>,
    mentions: &[Mention],
    g: &Gazetteer,
) -> Option<Found> {
    let w = &text[window.clone()];
    let lead = INCISE_LEAD.find(w).map_or(0, |m| m.end());
    let at = window.start + lead;
    let near = within(mentions, window.clone());
    // a role description before the name (`, a déclaré la porte-parole du ministère de
    // la Défense, Chouchan Stepanian`)
    let described = |m: &Mention| {
        m.span.start <= at + 100 && ROLE_DESCRIPTION.is_match(&text[at..m.span.start])
    };
    if let Some(m) = near.iter().find(|m| usable(text, m))
        && (m.span.start <= at + 40 || described(m))
    {
        return Some(speaker_of(m, Cue::Incise));
    }
    // someone of a body (`, a résumé un responsable du CICR`): the body
    if let Some(m) = near.first()
        && described(m)
        && text[..m.span.start]
            .trim_end()
            .ends_with(|c: char| c.is_alphabetic() || c == '\'' || c == '’')
    {
        return Some(speaker_of(m, Cue::Incise));
    }
    if let Some(c) = INCISE_ANAPHOR.captures(&w[lead..]) {
        let head = c.get(1)?;
        let after = &w[lead + head.end()..];
        return anaphor(mentions, g, head.as_str(), after, window.start)
            .map(|(s, m, _)| (s, m, Cue::Incise));
    }
    if let Some(c) = MISTER.captures(&w[lead..]) {
        let surname = c.get(1)?;
        let span = at + surname.start()..at + surname.end();
        let full = full_name(text, window.start, surname.as_str());
        return Some((
            Speaker::named(full.as_deref().unwrap_or(surname.as_str())),
            Some(span),
            Cue::Incise,
        ));
    }
    let m = PROPER_NAME.captures(&w[lead..])?.get(1)?;
    (m.start() <= 40).then(|| {
        (
            Speaker::named(m.as_str()),
            Some(at + m.start()..at + m.end()),
            Cue::Incise,
        )
    })
}

/// The full name ending with `surname` written last before `before` (`Stephen Biegun`
/// for a later `M. Biegun`).
fn full_name(text: &str, before: usize, surname: &str) -> Option<String> {
    let mut from = before.saturating_sub(3000);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    PROPER_NAME
        .captures_iter(&text[from..before])
        .filter_map(|c| c.get(1))
        .filter(|m| m.as_str().split_whitespace().last() == Some(surname))
        .last()
        .map(|m| m.as_str().to_string())
}

/// The reporting verb of an incise after a quote (`, a répliqué`, `; souffle`,
/// `, s'est indigné`): the byte offset in `w` where the verb ends. The verb is a form of
/// the lexicon or one of [`INCISE_STEMS`].
fn incise_verb(w: &str) -> Option<usize> {
    const AUX: &[&str] = &[
        "a",
        "ont",
        "avait",
        "avaient",
        "aurait",
        "auraient",
        "s'est",
        "s’est",
        "se sont",
        "s'était",
        "s’était",
    ];
    for (i, _) in w.match_indices([',', ';']) {
        let words: Vec<regex::Match> = INCISE_WORD.find_iter(&w[i + 1..]).take(3).collect();
        let gap_ok = |k: usize| {
            // only spaces between the mark and the first word and between words
            let mut prev = 0;
            words[..=k].iter().all(|m| {
                let ok = w[i + 1 + prev..i + 1 + m.start()].trim().is_empty();
                prev = m.end();
                ok
            })
        };
        let Some(first) = words.first() else { continue };
        if first.as_str() == "selon" && gap_ok(0) {
            return Some(i + 1 + first.end());
        }
        let aux = AUX.contains(&first.as_str());
        let candidates: &[usize] = if aux { &[1, 2] } else { &[0] };
        for &k in candidates {
            if let Some(v) = words.get(k)
                && gap_ok(k)
            {
                if is_incise_verb(v.as_str()) {
                    return Some(i + 1 + v.end());
                }
                // `, fait valoir le Quai d'Orsay`, `, a fait savoir l'Elysée`
                if v.as_str() == "fait"
                    && let Some(w) = words.get(k + 1)
                    && matches!(w.as_str(), "valoir" | "savoir")
                    && gap_ok(k + 1)
                {
                    return Some(i + 1 + w.end());
                }
            }
        }
    }
    None
}

/// Stems of verbs that report speech in an incise (`», souffle-t-elle`, `», a répliqué
/// M. Pachinian`) though the lexicon leaves them out (elsewhere they mostly report
/// actions) or lacks them.
const INCISE_STEMS: &[&str] = &[
    "souffl", "murmur", "sanglot", "témoign", "lanc", "lâch", "répliqu", "poursui", "gliss",
    "tonn", "résum", "tranch", "ironis", "interrog", "insist", "rappel", "conclu", "confi",
    "racont", "comment", "renchér", "cingl", "martel", "jur", "proclam", "grinc", "soupir",
    "exclam", "emport", "indign", "insurg", "agac", "alarm", "inquiét", "inquièt", "félicit",
    "désol", "écri", "tweet", "twitt", "observ", "relev", "not", "précis", "expliqu", "ajout",
    "assur", "affirm", "estim", "averti", "promi", "promet", "accus", "dénonc", "répond",
    "rétorqu", "lanç", "avou", "admi", "recon", "concè", "concéd", "poursuiv", "prié",
];

fn is_incise_verb(word: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "", "e", "es", "ent", "é", "ée", "és", "ées", "ait", "aient", "t", "it", "ut", "u", "s",
        "nt", "nu", "is", "i",
    ];
    let word = word.trim_start_matches("s'").trim_start_matches("s’");
    super::verbs::is_reporting(word)
        || INCISE_STEMS
            .iter()
            .any(|s| word.strip_prefix(s).is_some_and(|e| ENDINGS.contains(&e)))
}

/// The speaker given by an incise (`, a déclaré Pompeo`, `a-t-il ajouté`) in `incise`.
pub fn from_incise(
    text: &str,
    incise: Range<usize>,
    mentions: &[Mention],
    g: &Gazetteer,
    previous: Option<&Found>,
) -> Option<Found> {
    let w = &text[incise.clone()];
    if PRONOUN_INCISE.is_match(w) {
        return resolved(previous);
    }
    let v = incise_verb(w)?;
    named_in(text, incise.start + v..incise.end, mentions, g).or_else(|| {
        // a description the gazetteer cannot resolve (`, a déclaré l'élue`, `, a indiqué
        // un de ses porte-parole`): the latest speaker, whom it describes
        DESCRIPTION
            .is_match(&w[v..])
            .then(|| resolved(previous))
            .flatten()
    })
}

/// A common noun phrase naming a speaker after an incise's verb.
static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:le|la|les|un|une|cet|cette)\s+|l['’]|une?\s+de\s+(?:ses|leurs)\s+)\p{Ll}",
    )
    .unwrap()
});

/// Whether the `.`, `!` or `?` ending at byte `end` ends a sentence: not the point of
/// an abbreviation or an initial (`M. Aliev`, `Mme Naghdalian`, `J. Borrell`).
pub(super) fn ends_sentence(text: &str, end: usize) -> bool {
    if !text[..end].ends_with('.') {
        return true;
    }
    let word = text[..end - 1]
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    const ABBREVIATIONS: &[&str] = &[
        "M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Mgr", "Me", "St", "Ste",
    ];
    !(ABBREVIATIONS.contains(&word)
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)))
}

/// The subjects of the sentences starting in `range`, in order, with where each sentence
/// starts: the first actor a sentence names, after a phrase of time or place and before
/// its verb (`Hasmik, 49 ans, serre la photo`, `Recep Tayyip Erdogan s'en était pris`),
/// the name in apposition after a description (`Le conseiller du président Ilham Aliev,
/// Hikmet Hadjiev, a accusé`), or a role naming an earlier actor (`Le chef de l'Etat a`).
pub fn sentence_subjects(
    text: &str,
    paragraphs: &[Range<usize>],
    mentions: &[Mention],
    g: &Gazetteer,
    range: Range<usize>,
) -> Vec<(usize, Found)> {
    let mut starts = Vec::new();
    let first = paragraphs.partition_point(|p| p.end <= range.start);
    for p in &paragraphs[first..] {
        if p.start >= range.end {
            break;
        }
        let (lo, hi) = (p.start.max(range.start), p.end.min(range.end));
        if p.start >= range.start {
            starts.push(p.start);
        }
        starts.extend(sentence_breaks(text, lo..hi));
    }
    starts
        .into_iter()
        .filter_map(|s| subject_at(text, mentions, g, s).map(|f| (s, f)))
        .collect()
}

/// The subject of the sentence starting at `s`, as [`sentence_subjects`] reads it. A
/// place opening the sentence (`À Bakou, le ministère de la Défense a …`) tells the
/// nation of a role or body named without one.
fn subject_at(text: &str, mentions: &[Mention], g: &Gazetteer, s: usize) -> Option<Found> {
    let mut end = (s + 300).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let lead = LEADING_ADVERBIAL.find(&text[s..end]).map_or(0, |m| m.end());
    let at = s + lead;
    if let Some(m) = named_subject(text, mentions, at, end) {
        return Some(speaker_of(m, Cue::Pronoun));
    }
    let c = SUBJECT_ANAPHOR.captures(&text[at..end])?;
    let h = c.get(1)?;
    let qualifier = &text[at + h.end()..end];
    // the place opening the sentence, as the gazetteer's metonym for a side (`À Bakou,`)
    let place = within(mentions, s..at)
        .iter()
        .rev()
        .find(|m| m.kind == MentionKind::Metonym)
        .map(|m| g.actor(m.actor).affiliation.as_str());
    anaphor_with(mentions, g, h.as_str(), qualifier, place, at)
}

/// The actor named as the subject of the sentence whose subject starts at `at`, before
/// its verb: a name, a role then a name (`Le secrétaire d'Etat américain Antony
/// Blinken a`), or a name in apposition after a description (`La porte-parole du
/// ministère, Chouchan Stepanian, a`).
fn named_subject<'m>(
    text: &str,
    mentions: &'m [Mention],
    at: usize,
    end: usize,
) -> Option<&'m Mention> {
    let first = within(mentions, at..end).iter().find(|m| usable(text, m))?;
    let before = &text[at..first.span.start];
    if first.span.start > at + 100
        || before.contains(['«', '»', '“', '”', '„', '‹', '›', '"'])
        || VERB_BEFORE.is_match(before)
    {
        return None;
    }
    let after_comma = |m: &Mention| text[m.span.end..].trim_start().starts_with(',');
    let mut m = first;
    if before.contains(',') {
        // only a description then the name between commas
        let one_description = before.trim_end().ends_with(',') && before.matches(',').count() == 1;
        if !one_description || !after_comma(m) || PREPOSITION.is_match(before) {
            return None;
        }
    } else {
        // a role then the name (`Le secrétaire d'Etat américain Antony Blinken`)
        while let Some(next) = within(mentions, m.span.end..end).first()
            && text[m.span.end..next.span.start].trim().is_empty()
        {
            m = next;
        }
        // a name in apposition after a description: `…, Hikmet Hadjiev, a accusé`
        if let Some(next) = within(mentions, m.span.end..end).first()
            && text[m.span.end..next.span.start].trim() == ","
            && after_comma(next)
        {
            m = next;
        } else if PREPOSITION.is_match(before) {
            // `Reçu par le président Ilham Aliev, le chef de la diplomatie turque a …`
            return None;
        }
    }
    let rest = text[m.span.end..end].trim_start_matches([',', ' ', '\n']);
    rest.starts_with(|c: char| c.is_lowercase()).then_some(m)
}

/// The end of the sentence starting at `from`, not past `limit`.
pub(super) fn sentence_end(text: &str, from: usize, limit: usize) -> usize {
    let w = &text[from..limit];
    let mut prev = ' ';
    for (i, c) in w.char_indices() {
        if (matches!(prev, '.' | '!' | '?') && c.is_whitespace() && ends_sentence(text, from + i))
            || (prev == '\n' && c == '\n')
        {
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
    g: &Gazetteer,
    previous: Option<&Found>,
) -> Option<Found> {
    let end = sentence_end(text, after.start, after.end);
    from_incise(text, after.start..end, mentions, g, previous)
}

/// Where the sentence holding `at` starts, within its paragraph.
pub fn sentence_start(text: &str, at: usize, paragraphs: &[Range<usize>]) -> Option<usize> {
    let i = paragraphs.partition_point(|p| p.end < at);
    let para = paragraphs.get(i).filter(|p| p.start <= at)?;
    let mut from = para.start.max(at.saturating_sub(MAX_SENTENCE));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    Some(sentence_breaks(text, from..at).last().unwrap_or(from))
}

/// Where sentences break in `text[r]`: at the whitespace after a `.`, `!` or `?` that
/// ends a sentence ([`ends_sentence`]).
pub(super) fn sentence_breaks(text: &str, r: Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let mut prev = ' ';
    text[r.clone()].char_indices().filter_map(move |(i, c)| {
        let at = r.start + i;
        let breaks =
            matches!(prev, '.' | '!' | '?') && c.is_whitespace() && ends_sentence(text, at);
        prev = c;
        breaks.then_some(at)
    })
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
    g: &Gazetteer,
    previous: Option<&Found>,
) -> Option<Found> {
    let start = sentence_start(text, quote_start, paragraphs)?;
    if SUBJECT_PRONOUN.is_match(&text[start..quote_start]) {
        return resolved(previous);
    }
    if let Some((who, mention, _)) = subject_at(text, mentions, g, start)
        .filter(|(_, m, _)| m.as_ref().is_none_or(|m| m.end <= quote_start))
    {
        return Some((who, mention, Cue::Nearby));
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

/// Whether `s` opens with a subject pronoun (`Il a répété`, `Elle a dit`).
pub fn opens_with_pronoun(s: &str) -> bool {
    SUBJECT_PRONOUN.is_match(s)
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
