//! Labels: the classes a head predicts, parsed once at the boundary.
//!
//! `Stance` and `Sentiment` are the domain's two label sets (see
//! `../shared/ANNOTATION.md`). A model trained on any CSV keeps its own class names in a
//! [`Classes`] list; everywhere past the boundary a label is a [`ClassId`] into that list.
//! This module is the only place where label strings are compared.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The stance of a statement toward the Nagorno-Karabakh war.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stance {
    Neutral,
    ProArmenia,
    ProAzerbaijan,
    Ceasefire,
}

/// The tone of a statement's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
}

impl Stance {
    pub const ALL: [Stance; 4] = [
        Stance::Neutral,
        Stance::ProArmenia,
        Stance::ProAzerbaijan,
        Stance::Ceasefire,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Neutral => "neutral",
            Stance::ProArmenia => "pro-armenia",
            Stance::ProAzerbaijan => "pro-azerbaijan",
            Stance::Ceasefire => "ceasefire",
        }
    }
    /// Tie-break rank for an actor's stance in a dispatch (ANNOTATION.md): a side
    /// stance over `ceasefire` over `neutral`.
    pub fn tie_rank(self) -> u8 {
        match self {
            Stance::ProArmenia | Stance::ProAzerbaijan => 2,
            Stance::Ceasefire => 1,
            Stance::Neutral => 0,
        }
    }
}

impl Sentiment {
    pub const ALL: [Sentiment; 3] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive];
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }
}

/// A label string that is not one of the expected classes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown label {found:?}, expected one of {expected}")]
pub struct UnknownLabel {
    pub found: String,
    pub expected: String,
}

macro_rules! label_str {
    ($t:ty) => {
        impl FromStr for $t {
            type Err = UnknownLabel;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                <$t>::ALL
                    .into_iter()
                    .find(|l| l.as_str().eq_ignore_ascii_case(t))
                    .ok_or_else(|| UnknownLabel {
                        found: s.to_string(),
                        expected: <$t>::ALL.map(|l| l.as_str()).join(", "),
                    })
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
label_str!(Stance);
label_str!(Sentiment);

/// Index of a class in a [`Classes`] list.
pub type ClassId = usize;

/// The ordered class names of one prediction head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classes(Vec<String>);

impl Classes {
    /// The classes of the domain's stance head, in [`Stance::ALL`] order.
    pub fn stance() -> Self {
        Classes(Stance::ALL.iter().map(|s| s.as_str().to_string()).collect())
    }
    /// The classes of the domain's sentiment head, in [`Sentiment::ALL`] order.
    pub fn sentiment() -> Self {
        Classes(
            Sentiment::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        )
    }
    /// The classes for a free label column: the domain set when every label parses as
    /// one (so the order is the documented one), else the distinct labels sorted.
    pub fn infer<'a>(labels: impl IntoIterator<Item = &'a str> + Clone) -> Self {
        let all = |f: fn(&str) -> bool| labels.clone().into_iter().all(f);
        if all(|l| l.parse::<Stance>().is_ok()) {
            return Self::stance();
        }
        if all(|l| l.parse::<Sentiment>().is_ok()) {
            return Self::sentiment();
        }
        // one class per label, compared as `parse` compares them (ASCII case-blind)
        let mut v: Vec<String> = labels.into_iter().map(|l| l.trim().to_string()).collect();
        v.sort_by_key(|l| l.to_ascii_lowercase());
        v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        Classes(v)
    }
    pub fn from_names(names: Vec<String>) -> Self {
        Classes(names)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn names(&self) -> &[String] {
        &self.0
    }
    pub fn name(&self, id: ClassId) -> &str {
        &self.0[id]
    }
    /// Parse a label into its class id (trimmed, ASCII case-insensitive).
    pub fn parse(&self, s: &str) -> Result<ClassId, UnknownLabel> {
        let t = s.trim();
        self.0
            .iter()
            .position(|c| c.eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownLabel {
                found: s.to_string(),
                expected: self.0.join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Option<Stance>)] = &[
            ("neutral", Some(Stance::Neutral)),
            ("pro-armenia", Some(Stance::ProArmenia)),
            (" PRO-AZERBAIJAN ", Some(Stance::ProAzerbaijan)),
            ("ceasefire", Some(Stance::Ceasefire)),
            ("pro armenia", None),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Stance>().ok(), *want, "{s:?}");
        }
        assert_eq!("positive".parse::<Sentiment>(), Ok(Sentiment::Positive));
        assert!("favor".parse::<Sentiment>().is_err());
    }

    #[test]
    fn infer_classes() {
        let labels = ["favor", "against", "none", "favor"];
        assert_eq!(Classes::infer(labels).names(), ["against", "favor", "none"]);
        let labels = ["Favor", "favor", "against"];
        assert_eq!(Classes::infer(labels).names(), ["against", "Favor"]);
        let labels = ["ceasefire", "neutral"];
        assert_eq!(Classes::infer(labels), Classes::stance());
        let labels = ["neutral", "positive"];
        assert_eq!(Classes::infer(labels), Classes::sentiment());
        let c = Classes::sentiment();
        assert_eq!(c.parse("Positive"), Ok(2));
        assert!(
            c.parse("pos")
                .unwrap_err()
                .to_string()
                .contains("negative, neutral, positive")
        );
    }
}
