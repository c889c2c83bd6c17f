//! The reporting-verb lexicon: which words introduce what someone said.
//!
//! It is the Gender Gap Tracker's list of 4,037 inflected French reporting-verb forms
//! (`models/lexicon/reporting-verbs-fr.txt`, MIT, compiled in), less the verbs whose
//! everyday sense is not speech in war reporting (`lancer` an offensive, `avancer`,
//! `poursuivre` it, `défendre` a town), plus verbs of accusation, appeal and rejection
//! that the list lacks (`exhorter`, `reprocher`, `démentir`, `condamner`, …).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// The Gender Gap Tracker's reporting-verb forms, one per line.
pub const GGT_FORMS: &str = include_str!("../../models/lexicon/reporting-verbs-fr.txt");

/// Stems of listed verbs left out: their forms mostly report actions, not speech, in war
/// dispatches (`a lancé une offensive`, `les troupes ont avancé`), or take no content.
const LEFT_OUT_STEMS: &[&str] = &[
    "lanc", "lanç", "avanc", "avanç", "poursui", "demeur", "trouv", "entend", "voul", "veu",
    "danc", "danç", "souri", "soupir", "observ", "relev", "relèv", "soulev", "soulèv", "défend",
    "adress", "inform", "pens", "cit", "val", "enchaîn", "illustr", "louang", "gazouill", "extasi",
    "désol", "témoign",
];
/// Forms left out whose verb shares a stem with a kept one (`lire`, `savoir`, `prévoir`,
/// `croire`).
const LEFT_OUT_FORMS: &[&str] = &[
    "lire",
    "lu",
    "lue",
    "lus",
    "lues",
    "lit",
    "lisent",
    "lisant",
    "lisait",
    "lisaient",
    "savoir",
    "su",
    "sue",
    "sus",
    "sait",
    "savent",
    "sachant",
    "savait",
    "savaient",
    "prévoir",
    "prévu",
    "prévue",
    "prévus",
    "prévues",
    "prévoit",
    "prévoient",
    "prévoyant",
    "prévoyait",
    "croire",
    "cru",
    "crue",
    "croit",
    "croient",
    "croyant",
    "croyait",
];
/// Regular `-er` reporting verbs the list lacks, as stems.
const ER_STEMS: &[&str] = &[
    "exhort",
    "imput",
    "reproch",
    "condamn",
    "invit",
    "réaffirm",
    "réitér",
    "proclam",
    "menac",
    "revendiqu",
    "félicit",
    "regrett",
    "qualifi",
    "contest",
    "rejet",
    "réclam",
    "fustig",
    "martel",
    "accus",
    "dénonc",
    "déplor",
    "exig",
    "salu",
    "appel",
    "insist",
    "conseill",
    "implor",
    "interpell",
    "jur",
    "rassur",
    "alert",
    "vant",
    "raill",
    "refus",
    "recens",
    "plaid",
    "remerci",
    "critiqu",
    "répét",
    "press",
    "alarm",
    "étrill",
];
/// Irregular forms the list lacks.
const EXTRA_FORMS: &[&str] = &[
    "démenti",
    "démentie",
    "démentis",
    "démenties",
    "dément",
    "démentent",
    "démentant",
    "démentait",
    "démentaient",
    "nié",
    "niée",
    "nie",
    "nient",
    "niant",
    "niait",
    "niaient",
    "appelle",
    "appellent",
    "rejette",
    "rejettent",
    "promis",
    "promise",
    "promet",
    "promettent",
    "promettant",
    "mis en garde",
    "sommé",
    "sommée",
    "sommés",
    "répète",
    "répètent",
    "redit",
    "maintient",
    "maintiennent",
    "maintenu",
    "maintenait",
    "annonce",
    "annoncent",
    "annonçant",
    "annonçait",
    "annonçaient",
    "exclut",
    "excluent",
    "exclu",
    "exclue",
    "excluant",
    "excluait",
    "prône",
    "prônent",
    "prôné",
    "prônant",
    "martèle",
    "martèlent",
    "espère",
    "espèrent",
    "considère",
    "considèrent",
    "suggère",
    "suggèrent",
    "révèle",
    "révèlent",
    "rappelle",
    "rappellent",
    "remarque",
    "remarquent",
    "réplique",
    "répliquent",
    "redoute",
    "redoutent",
    "allègue",
    "allèguent",
    "inquiète",
    "inquiètent",
    "indigne",
    "indignent",
];
/// Endings of a regular `-er` verb: past participle, present and imperfect (third person)
/// and present participle.
const ER_ENDINGS: &[&str] = &[
    "é", "ée", "és", "ées", "e", "ent", "ant", "ait", "aient", "ons",
];

static FORMS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    let mut forms: FxHashSet<String> = GGT_FORMS
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .filter(|w| !LEFT_OUT_STEMS.iter().any(|s| w.starts_with(s)))
        .filter(|w| !LEFT_OUT_FORMS.contains(w))
        .map(str::to_string)
        .collect();
    for stem in ER_STEMS {
        for e in ER_ENDINGS {
            forms.insert(format!("{stem}{e}"));
        }
    }
    forms.extend(EXTRA_FORMS.iter().map(|s| s.to_string()));
    forms
});

/// Whether `word` (any case) is a form of a reporting verb.
pub fn is_reporting(word: &str) -> bool {
    let upper = if word.is_ascii() {
        word.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        word.chars().any(char::is_uppercase)
    };
    if upper {
        FORMS.contains(&word.to_lowercase())
    } else {
        FORMS.contains(word)
    }
}

/// Whether `word` reports only with a `que` clause after it: `maintenir` and `soutenir`
/// report a claim (`Bakou maintient que …`), not what they hold or back (`qui maintient une
/// équipe sur place`, `la Turquie, qui soutient ouvertement Bakou`).
pub fn needs_that(word: &str) -> bool {
    let w = word.to_lowercase();
    ["maint", "sout"].iter().any(|s| w.starts_with(s))
}

/// Whether `word` is a present participle (`assurant`, `accusant`).
pub fn is_present_participle(word: &str) -> bool {
    word.ends_with("ant") && is_reporting(word)
}

/// Multi-word reporting verbs after an auxiliary: `a fait savoir que`, `a fait état de`,
/// `a mis en garde`, `a pris acte de`. Returns the byte length of the form at the start
/// of `s`.
pub fn multiword(s: &str) -> Option<usize> {
    const FORMS: &[&str] = &[
        "fait savoir",
        "fait valoir",
        "fait état",
        "fait part",
        "fait observer",
        "fait remarquer",
        "mis en garde",
        "pris acte",
        "tenu à",
        "laissé entendre",
        "dit craindre",
        "dit espérer",
        "dit souhaiter",
    ];
    // the first letter first: most words open no form
    let first = s.as_bytes().first()?.to_ascii_lowercase();
    FORMS
        .iter()
        .find(|f| {
            f.as_bytes()[0] == first
                && s.get(..f.len()).is_some_and(|p| p.eq_ignore_ascii_case(f))
                && !s[f.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .map(|f| f.len())
}

/// The ranges of `\p{L}` (Unicode letters), from the tables `regex` uses.
static LETTERS: LazyLock<Vec<(char, char)>> =
    LazyLock::new(
        || match regex_syntax::parse(r"\p{L}").map(regex_syntax::hir::Hir::into_kind) {
            Ok(regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(c))) => {
                c.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            other => unreachable!("\\p{{L}} is a Unicode class, not {other:?}"),
        },
    );

/// Whether `c` is a letter: what `\p{L}` matches.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let r = &LETTERS;
    let i = r.partition_point(|&(_, end)| end < c);
    r.get(i).is_some_and(|&(start, _)| start <= c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_table() {
        let cases: &[(&str, bool)] = &[
            ("affirmé", true),
            ("alarmé", true),
            ("étrillé", true),
            ("Affirme", true),
            ("assurant", true),
            ("exhorté", true),
            ("exhortés", true),
            ("démenti", true),
            ("reproché", true),
            ("lancé", false),
            ("avancé", false),
            ("poursuivi", false),
            ("lu", false),
            ("tué", false),
            ("armée", false),
        ];
        for (w, want) in cases {
            assert_eq!(is_reporting(w), *want, "{w}");
        }
        assert_eq!(multiword("fait état de 16 morts"), Some("fait état".len()));
        assert_eq!(multiword("faits"), None);
        assert_eq!(multiword("Mis en garde"), Some("mis en garde".len()));
    }

    /// `is_letter` is `\p{L}`, on every code point.
    #[test]
    fn letters_are_unicode_letters() {
        let re = regex::Regex::new(r"^\p{L}$").unwrap();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), re.is_match(c.encode_utf8(&mut buf)), "{c:?}");
        }
    }
}
