//! Actors: the gazetteer of who can speak, and finding their mentions in a text.
//!
//! A gazetteer file (TOML, `models/gazetteer/*.toml`) lists each actor with a canonical
//! id, a display name, aliases and transliterations, roles valid between two dates
//! (`le chef de la diplomatie américaine` is Mike Pompeo until 20 January 2021) and, for
//! governments, metonyms (`Washington`, `le Kremlin`). [`Gazetteer::mentions`] finds
//! every mention valid on a dispatch date, longest match first.

use std::ops::Range;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use crate::dispatch::DispatchDate;
use crate::error::{Error, Result};

/// The gazetteer shipped with the crate: the 2020 Nagorno-Karabakh war.
pub const DEFAULT_GAZETTEER: &str = include_str!("../models/gazetteer/karabakh.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Role {
    pub title: String,
    /// First day the role is held, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day the role is held; open when absent.
    #[serde(default)]
    pub to: Option<String>,
    /// How the press names the holder (`le chef de la diplomatie russe`).
    #[serde(default)]
    pub mentions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub affiliation: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub metonyms: Vec<String>,
    /// For a group of unnamed people quoted in reports (`armenian-civilian`): places and
    /// adjectives that tell a passer-by is from this side.
    #[serde(default)]
    pub places: Vec<String>,
    /// For a vox-pop group: first names common on this side (`Lilit`, `Elnour`), which
    /// tell a quoted passer-by's side before any place does.
    #[serde(default)]
    pub first_names: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    actor: Vec<Actor>,
}

/// Index of an actor in its [`Gazetteer`].
pub type ActorId = usize;

/// What kind of words named the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Name,
    Role,
    Metonym,
}

/// One mention of an actor in a text, as a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub span: Range<usize>,
    pub actor: ActorId,
    pub kind: MentionKind,
}

/// A day as (year, month, day), ordered.
type Ymd = (u16, u8, u8);

#[derive(Debug, Clone)]
struct Pattern {
    actor: ActorId,
    kind: MentionKind,
    /// Validity as (from, to) ordinals; `None` = always.
    valid: Option<(Ymd, Ymd)>,
}

/// The actors and a matcher over all their surface forms.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    actors: Vec<Actor>,
    /// Several patterns may share one surface form (a role held by two people in turn).
    forms: Vec<Vec<Pattern>>,
    /// Whether a form may match with a lower-case first letter: false only when every
    /// variant given for it is capitalised (so `bakou` never matches `Bakou`).
    lower_ok: Vec<bool>,
    matcher: AhoCorasick,
    /// Every vox-pop group's places, case-sensitive, for [`Gazetteer::places`]; pattern
    /// `i` is a place of actor `place_actors[i]`.
    place_matcher: AhoCorasick,
    place_actors: Vec<ActorId>,
}

fn ymd(s: &str) -> Option<Ymd> {
    let d = DispatchDate::parse(s)?;
    Some((d.year, d.month, d.day.unwrap_or(1)))
}

/// The article a role mention may start with is not required in the text
/// (`du chef de la diplomatie russe`).
fn strip_article(s: &str) -> &str {
    for a in [
        "le ", "la ", "les ", "l'", "l’", "Le ", "La ", "Les ", "L'", "L’",
    ] {
        if let Some(r) = s.strip_prefix(a) {
            return r;
        }
    }
    s
}

impl Gazetteer {
    /// The gazetteer compiled into the binary.
    pub fn default_karabakh() -> Self {
        Self::from_toml(DEFAULT_GAZETTEER, "models/gazetteer/karabakh.toml")
            .expect("the shipped gazetteer is valid")
    }

    pub fn from_path(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Parses a gazetteer; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self> {
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start].matches('\n').count() as u64 + 1);
            Error::data(origin, line, e.message().to_string())
        })?;
        Self::new(file.actor, origin)
    }

    pub fn new(actors: Vec<Actor>, origin: &str) -> Result<Self> {
        let mut surface: Vec<String> = Vec::new();
        let mut lower_ok: Vec<bool> = Vec::new();
        let mut forms: Vec<Vec<Pattern>> = Vec::new();
        let mut seen = rustc_hash::FxHashMap::default();
        let mut add = |s: &str, p: Pattern| {
            let s = s.trim();
            if s.is_empty() {
                return;
            }
            let variants = [s.to_string(), s.replace('\'', "’"), s.replace('’', "'")];
            for v in variants {
                // forms equal but for ASCII case are one pattern of the case-folded matcher
                let k = *seen.entry(v.to_ascii_lowercase()).or_insert_with(|| {
                    surface.push(v.clone());
                    lower_ok.push(false);
                    forms.push(Vec::new());
                    forms.len() - 1
                });
                if p.kind == MentionKind::Role || !v.starts_with(char::is_uppercase) {
                    lower_ok[k] = true;
                }
                if !forms[k]
                    .iter()
                    .any(|q: &Pattern| q.actor == p.actor && q.valid == p.valid)
                {
                    forms[k].push(p.clone());
                }
            }
        };
        let mut ids = rustc_hash::FxHashSet::default();
        for (i, a) in actors.iter().enumerate() {
            if !ids.insert(a.id.as_str()) {
                return Err(Error::data(
                    origin,
                    None,
                    format!("actor id {:?} appears twice", a.id),
                ));
            }
            let always = |kind| Pattern {
                actor: i,
                kind,
                valid: None,
            };
            add(&a.name, always(MentionKind::Name));
            for s in &a.aliases {
                add(s, always(MentionKind::Name));
            }
            for s in &a.metonyms {
                let lower_article = s.starts_with(|c: char| c.is_lowercase());
                add(
                    if lower_article { strip_article(s) } else { s },
                    always(MentionKind::Metonym),
                );
            }
            for r in &a.roles {
                let from = match &r.from {
                    Some(f) => ymd(f).ok_or_else(|| {
                        Error::data(origin, None, format!("actor {:?}: bad date {f:?}", a.id))
                    })?,
                    None => (0, 1, 1),
                };
                let to = match &r.to {
                    Some(t) => ymd(t).ok_or_else(|| {
                        Error::data(origin, None, format!("actor {:?}: bad date {t:?}", a.id))
                    })?,
                    None => (9999, 12, 31),
                };
                for m in &r.mentions {
                    add(
                        strip_article(m),
                        Pattern {
                            actor: i,
                            kind: MentionKind::Role,
                            valid: Some((from, to)),
                        },
                    );
                }
            }
        }
        // ASCII case is folded on both sides (here and in `mentions`) rather than by the
        // matcher's `ascii_case_insensitive`, which doubles the transitions of every
        // letter state: the same matches, for about half the build time
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(surface.iter().map(|s| s.to_ascii_lowercase()))
            .map_err(|e| Error::data(origin, None, e.to_string()))?;
        let (place_actors, places): (Vec<ActorId>, Vec<&str>) = actors
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.places.iter().map(move |p| (i, p.as_str())))
            .filter(|(_, p)| !p.is_empty())
            .unzip();
        let place_matcher =
            AhoCorasick::new(&places).map_err(|e| Error::data(origin, None, e.to_string()))?;
        Ok(Gazetteer {
            actors,
            forms,
            lower_ok,
            matcher,
            place_matcher,
            place_actors,
        })
    }

    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id]
    }
    pub fn find(&self, canonical: &str) -> Option<ActorId> {
        self.actors.iter().position(|a| a.id == canonical)
    }

    /// Every occurrence of a vox-pop group's place in `text` as a whole word, as `(end,
    /// start, actor)`, sorted: one pass over the text for all places. Each place counts
    /// the occurrences `str::match_indices` gives (leftmost, not overlapping each other).
    pub fn places(&self, text: &str) -> Vec<(usize, usize, ActorId)> {
        // no letter or digit right before `s` or right after `e`
        let whole_word = |s: usize, e: usize| {
            !text[..s]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[e..].chars().next().is_some_and(char::is_alphanumeric)
        };
        let mut out = Vec::new();
        // where each place's next occurrence may start
        let mut free = vec![0; self.place_actors.len()];
        for m in self.place_matcher.find_overlapping_iter(text) {
            let (p, s, e) = (m.pattern().as_usize(), m.start(), m.end());
            if s < free[p] {
                continue;
            }
            free[p] = e;
            if whole_word(s, e) {
                out.push((e, s, self.place_actors[p]));
            }
        }
        // an empty place (kept out of the matcher) is at every character boundary
        for (id, a) in self.actors.iter().enumerate() {
            for _ in a.places.iter().filter(|p| p.is_empty()) {
                out.extend(
                    text.match_indices("")
                        .map(|(i, _)| i)
                        .filter(|&i| whole_word(i, i))
                        .map(|i| (i, i, id)),
                );
            }
        }
        out.sort_unstable();
        out
    }

    /// Every mention in `text` valid on `date`, left to right. Matches must sit on word
    /// boundaries; a name must start with the same case as written in the gazetteer
    /// (so `bakou` the common word never matches, `Le chef` and `le chef` both do).
    pub fn mentions(&self, text: &str, date: Option<DispatchDate>) -> Vec<Mention> {
        let day = date.map(|d| d.ordinal());
        let mut out = Vec::new();
        // the matcher's patterns are ASCII-lower-cased; folding keeps every byte offset
        let folded = text.to_ascii_lowercase();
        for m in self.matcher.find_iter(&folded) {
            let (s, e) = (m.start(), m.end());
            let before = text[..s].chars().next_back();
            let after = text[e..].chars().next();
            if before.is_some_and(|c| c.is_alphanumeric())
                || after.is_some_and(|c| c.is_alphanumeric())
            {
                continue;
            }
            let patterns = &self.forms[m.pattern().as_usize()];
            let first = text[s..].chars().next().unwrap_or(' ');
            let valid: Vec<&Pattern> = patterns
                .iter()
                .filter(|p| match (p.valid, day) {
                    (Some((from, to)), Some(d)) => from <= d && d <= to,
                    _ => true,
                })
                .collect();
            // without a date, a role shared by successive holders goes to the first listed
            let Some(p) = valid.first() else { continue };
            if first.is_lowercase() && !self.lower_ok[m.pattern().as_usize()] {
                continue;
            }
            out.push(Mention {
                span: s..e,
                actor: p.actor,
                kind: p.kind,
            });
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SMALL: &str = r#"
[[actor]]
id = "mike-pompeo"
name = "Mike Pompeo"
kind = "person"
affiliation = "united-states"
aliases = ["Pompeo", "M. Pompeo"]
roles = [{ title = "secrétaire d'État", from = "2018-04-26", to = "2021-01-20", mentions = ["le chef de la diplomatie américaine", "le secrétaire d'État américain", "le secrétaire d'Etat"] }]

[[actor]]
id = "antony-blinken"
name = "Antony Blinken"
aliases = ["Blinken"]
roles = [{ title = "secrétaire d'État", from = "2021-01-26", mentions = ["le chef de la diplomatie américaine"] }]

[[actor]]
id = "us-gov"
name = "gouvernement américain"
kind = "government"
metonyms = ["Washington", "le département d'État"]

[[actor]]
id = "jeyhun-bayramov"
name = "Jeyhun Bayramov"
aliases = ["Djeyhoun Baïramov", "Baïramov", "Bayramov"]

[[actor]]
id = "azerbaijan-gov"
name = "gouvernement azerbaïdjanais"
affiliation = "azerbaijan"
metonyms = ["Bakou"]

[[actor]]
id = "azerbaijan-mod"
name = "Azerbaïdjan (ministère de la Défense)"
kind = "institution"
affiliation = "azerbaijan"

[[actor]]
id = "pope-francis"
name = "Le pape François"
aliases = ["le pape François"]
"#;

    #[test]
    fn mentions_table() {
        let g = Gazetteer::from_toml(SMALL, "test").unwrap();
        let d2020 = DispatchDate::parse("2020-10-23");
        let d2021 = DispatchDate::parse("2021-03");
        let cases: &[(&str, Option<DispatchDate>, &[(&str, &str)])] = &[
            (
                "Le chef de la diplomatie américaine a parlé.",
                d2020,
                &[("chef de la diplomatie américaine", "mike-pompeo")],
            ),
            (
                "Le chef de la diplomatie américaine a parlé.",
                d2021,
                &[("chef de la diplomatie américaine", "antony-blinken")],
            ),
            (
                "Djeyhoun Baïramov et Bakou, puis M. Pompeo.",
                d2020,
                &[
                    ("Djeyhoun Baïramov", "jeyhun-bayramov"),
                    ("Bakou", "azerbaijan-gov"),
                    ("M. Pompeo", "mike-pompeo"),
                ],
            ),
            (
                "au département d’État à Washington",
                None,
                &[("département d’État", "us-gov"), ("Washington", "us-gov")],
            ),
            ("Pompeos et bakou", None, &[]),
            (
                "selon le pape François",
                None,
                &[("le pape François", "pope-francis")],
            ),
        ];
        for (text, date, want) in cases {
            let got: Vec<(&str, &str)> = g
                .mentions(text, *date)
                .iter()
                .map(|m| (&text[m.span.clone()], g.actor(m.actor).id.as_str()))
                .collect();
            assert_eq!(&got, want, "{text:?}");
        }
    }

    #[test]
    fn duplicate_ids_and_bad_dates_are_refused() {
        let dup = "[[actor]]\nid = \"a\"\nname = \"A\"\n[[actor]]\nid = \"a\"\nname = \"B\"\n";
        assert!(
            Gazetteer::from_toml(dup, "g")
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        let bad = "[[actor]]\nid = \"a\"\nname = \"A\"\nroles = [{ title = \"x\", from = \"2020-13-01\" }]\n";
        assert!(Gazetteer::from_toml(bad, "g").is_err());
        let syntax = "[[actor]]\nid = \n";
        assert!(
            Gazetteer::from_toml(syntax, "g.toml")
                .unwrap_err()
                .to_string()
                .starts_with("g.toml:2")
        );
        let at_line_start = "[[actor]]\nid = \"a\"\nname = \"A\"\n= 3\n";
        let e = Gazetteer::from_toml(at_line_start, "g.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.toml:4"), "{e}");
    }
}
