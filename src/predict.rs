//! Stage 7: predictions — a classifier applied to the statements of dispatches, and each
//! actor's stance in a dispatch (ANNOTATION.md: the majority label; on a tie, a side
//! stance over `ceasefire` over `neutral`).

use crate::actor::Gazetteer;
use crate::classifier::Classifier;
use crate::dispatch::Dispatch;
use crate::label::{ClassId, Stance};
use crate::model::argmax;
use crate::statement::{Statement, extract_statements};

/// One head's prediction for one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadPrediction {
    pub class: ClassId,
    pub probs: Vec<f32>,
}

/// A statement with one prediction per head of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifiedStatement {
    pub statement: Statement,
    pub predictions: Vec<HeadPrediction>,
}

/// Extracts and classifies the statements of one dispatch.
pub fn classify_dispatch(
    d: &Dispatch,
    g: &Gazetteer,
    model: &Classifier,
) -> Vec<ClassifiedStatement> {
    classify_statements(extract_statements(d, g), model)
}

/// Classifies already extracted statements, in one batch.
pub fn classify_statements(
    statements: Vec<Statement>,
    model: &Classifier,
) -> Vec<ClassifiedStatement> {
    let texts: Vec<&str> = statements.iter().map(|s| s.text.as_str()).collect();
    let probs = model.predict(&texts);
    statements
        .into_iter()
        .enumerate()
        .map(|(i, statement)| ClassifiedStatement {
            predictions: probs
                .iter()
                .map(|h| HeadPrediction {
                    class: argmax(&h[i]),
                    probs: h[i].clone(),
                })
                .collect(),
            statement,
        })
        .collect()
}

/// An actor's stance in one dispatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorStance {
    pub speaker: String,
    pub stance: Stance,
    pub statements: usize,
}

/// Each speaker's stance in a dispatch, from the stances of their statements, in order
/// of first appearance.
pub fn actor_stances(speakers_and_stances: &[(String, Stance)]) -> Vec<ActorStance> {
    let mut order: Vec<&str> = Vec::new();
    let mut counts: std::collections::HashMap<&str, [usize; 4]> = Default::default();
    for (s, st) in speakers_and_stances {
        let c = counts.entry(s.as_str()).or_insert_with(|| {
            order.push(s);
            [0; 4]
        });
        c[Stance::ALL.iter().position(|x| x == st).unwrap()] += 1;
    }
    order
        .into_iter()
        .map(|s| {
            let c = counts[s];
            let best = Stance::ALL
                .iter()
                .enumerate()
                .max_by_key(|(i, st)| (c[*i], st.tie_rank(), std::cmp::Reverse(**st)))
                .map(|(_, st)| *st)
                .unwrap();
            ActorStance {
                speaker: s.to_string(),
                stance: best,
                statements: c.iter().sum(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stance::*;

    #[test]
    fn actor_stance_table() {
        let cases: &[(&[(&str, Stance)], &[(&str, Stance)])] = &[
            (
                &[("a", Neutral), ("a", Ceasefire), ("a", Ceasefire)],
                &[("a", Ceasefire)],
            ),
            (&[("a", Neutral), ("a", Ceasefire)], &[("a", Ceasefire)]),
            (&[("a", Ceasefire), ("a", ProArmenia)], &[("a", ProArmenia)]),
            (
                &[("b", Neutral), ("a", ProAzerbaijan), ("b", Neutral)],
                &[("b", Neutral), ("a", ProAzerbaijan)],
            ),
            (&[], &[]),
        ];
        for (input, want) in cases {
            let v: Vec<(String, Stance)> = input.iter().map(|(s, t)| (s.to_string(), *t)).collect();
            let got: Vec<(String, Stance)> = actor_stances(&v)
                .into_iter()
                .map(|a| (a.speaker, a.stance))
                .collect();
            let want: Vec<(String, Stance)> =
                want.iter().map(|(s, t)| (s.to_string(), *t)).collect();
            assert_eq!(got, want);
        }
    }
}
