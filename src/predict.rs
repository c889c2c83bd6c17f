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
    /// The features that pushed `class` most, with their contributions.
    pub reasons: Vec<(String, f32)>,
    /// The top probability is under the abstain threshold ([`abstain`]): the label is
    /// `uncertain`, and the statement does not vote for its actor's stance.
    pub uncertain: bool,
}

/// Marks every prediction whose top probability is under `threshold` as uncertain.
pub fn abstain(rows: &mut [ClassifiedStatement], threshold: f32) {
    for p in rows.iter_mut().flat_map(|r| r.predictions.iter_mut()) {
        p.uncertain = p.probs[p.class] < threshold;
    }
}

/// How many features each prediction names.
pub const REASONS: usize = 3;

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
    classify_statements(d, extract_statements(d, g), g, model)
}

/// How much of a statement the classifier reads: a longer "statement" is not one, and
/// bounding it bounds the memory tokenisation takes on hostile input.
pub const MAX_CLASSIFIED_CHARS: usize = 10_000;

/// Classifies statements already extracted from `d`, in one batch, each read as the
/// model reads statements ([`Classifier::in_context`]: with its speaker's affiliation
/// and the words around it in `d`, when the model was trained so).
pub fn classify_statements(
    d: &Dispatch,
    statements: Vec<Statement>,
    g: &Gazetteer,
    model: &Classifier,
) -> Vec<ClassifiedStatement> {
    let texts: Vec<std::borrow::Cow<str>> = statements
        .iter()
        .map(|s| {
            let text = match s.text.char_indices().nth(MAX_CLASSIFIED_CHARS) {
                Some((cut, _)) => &s.text[..cut],
                None => s.text.as_str(),
            };
            let affiliation = match &s.speaker {
                crate::statement::Speaker::Known(a) => Some(g.actor(*a).affiliation.as_str()),
                crate::statement::Speaker::Named { .. } => None,
            };
            let sentence = if model.training.reading.around() {
                crate::statement::sentence_around(d, s.span.clone())
            } else {
                ("", "")
            };
            model.in_context(text, affiliation, sentence)
        })
        .collect();
    let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
    let mut heads: Vec<std::vec::IntoIter<_>> = model
        .predict_explained(&texts, REASONS)
        .into_iter()
        .map(Vec::into_iter)
        .collect();
    statements
        .into_iter()
        .map(|statement| ClassifiedStatement {
            predictions: heads
                .iter_mut()
                .map(|h| {
                    let e = h.next().expect("one prediction per statement");
                    HeadPrediction {
                        class: argmax(&e.probs),
                        probs: e.probs,
                        reasons: e.reasons,
                        uncertain: false,
                    }
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

/// One statement's stance for [`actor_stances`]: its speaker, its stance, and the
/// probability of that stance.
#[derive(Debug, Clone, PartialEq)]
pub struct StanceVote {
    pub speaker: String,
    pub stance: Stance,
    pub probability: f32,
}

/// Each speaker's stance in a dispatch, in order of first appearance: the majority of
/// their statements' stances; on a tie a side stance over `ceasefire` over `neutral`
/// (ANNOTATION.md), and between the two sides, which the guideline leaves open, the one
/// with the larger summed probability.
pub fn actor_stances(votes: &[StanceVote]) -> Vec<ActorStance> {
    let mut order: Vec<&str> = Vec::new();
    let mut tally: std::collections::HashMap<&str, [(usize, f32); 4]> = Default::default();
    for v in votes {
        let t = tally.entry(v.speaker.as_str()).or_insert_with(|| {
            order.push(&v.speaker);
            [(0, 0.0); 4]
        });
        let k = Stance::ALL.iter().position(|x| *x == v.stance).unwrap();
        t[k].0 += 1;
        t[k].1 += v.probability;
    }
    order
        .into_iter()
        .map(|s| {
            let t = tally[s];
            let (k, _) = (0..4)
                .map(|k| (k, (t[k].0, Stance::ALL[k].tie_rank())))
                .max_by(|a, b| a.1.cmp(&b.1).then(t[a.0].1.total_cmp(&t[b.0].1)))
                .unwrap();
            ActorStance {
                speaker: s.to_string(),
                stance: Stance::ALL[k],
                statements: t.iter().map(|x| x.0).sum(),
            }
        })
        .collect()
}

/// One actor in one dispatch: the aggregated stance (when the model has a `stance` head)
/// and, per head, the mean of its statements' probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRow {
    pub speaker: String,
    pub name: String,
    pub statements: usize,
    pub stance: Option<Stance>,
    pub mean_probs: Vec<Vec<f32>>,
}

/// The actors of one dispatch's classified statements, in order of first appearance.
pub fn dispatch_actors(
    rows: &[ClassifiedStatement],
    g: &Gazetteer,
    model: &Classifier,
) -> Vec<ActorRow> {
    let stance_head = model.heads.iter().position(|h| h.name == "stance");
    let mut out: Vec<ActorRow> = Vec::new();
    for r in rows {
        let id = r.statement.speaker_id(g);
        let i = match out.iter().position(|a| a.speaker == id) {
            Some(i) => i,
            None => {
                out.push(ActorRow {
                    speaker: id.to_string(),
                    name: r.statement.speaker_name(g).to_string(),
                    statements: 0,
                    stance: None,
                    mean_probs: r
                        .predictions
                        .iter()
                        .map(|p| vec![0.0; p.probs.len()])
                        .collect(),
                });
                out.len() - 1
            }
        };
        let a = &mut out[i];
        a.statements += 1;
        for (sum, p) in a.mean_probs.iter_mut().zip(&r.predictions) {
            sum.iter_mut().zip(&p.probs).for_each(|(s, v)| *s += v);
        }
    }
    for a in &mut out {
        let n = a.statements as f32;
        a.mean_probs.iter_mut().flatten().for_each(|v| *v /= n);
    }
    if let Some(h) = stance_head {
        let classes = &model.heads[h].model.classes;
        let votes: Vec<StanceVote> = rows
            .iter()
            .filter_map(|r| {
                let p = &r.predictions[h];
                if p.uncertain {
                    return None;
                }
                Some(StanceVote {
                    speaker: r.statement.speaker_id(g).to_string(),
                    stance: classes.name(p.class).parse::<Stance>().ok()?,
                    probability: p.probs[p.class],
                })
            })
            .collect();
        for s in actor_stances(&votes) {
            if let Some(a) = out.iter_mut().find(|a| a.speaker == s.speaker) {
                a.stance = Some(s.stance);
            }
        }
    }
    out
}

/// Statements per actor and month, counted by stance: the `summary` table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// (speaker id, month `YYYY-MM` or empty) → (name, dispatches, statements per stance
    /// in [`Stance::ALL`] order).
    pub cells: std::collections::BTreeMap<(String, String), SummaryCell>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryCell {
    pub name: String,
    pub dispatches: usize,
    pub by_stance: [usize; 4],
}

impl SummaryCell {
    pub fn statements(&self) -> usize {
        self.by_stance.iter().sum()
    }
}

impl Summary {
    /// Adds one dispatch's classified statements (those with a stance).
    pub fn add(
        &mut self,
        d: &Dispatch,
        rows: &[ClassifiedStatement],
        g: &Gazetteer,
        model: &Classifier,
    ) {
        let Some(h) = model.heads.iter().position(|h| h.name == "stance") else {
            return;
        };
        let classes = &model.heads[h].model.classes;
        let month = d
            .date
            .map(|d| format!("{:04}-{:02}", d.year, d.month))
            .unwrap_or_default();
        let mut seen: Vec<&str> = Vec::new();
        for r in rows {
            if r.predictions[h].uncertain {
                continue;
            }
            let Ok(stance) = classes.name(r.predictions[h].class).parse::<Stance>() else {
                continue;
            };
            let id = r.statement.speaker_id(g);
            let cell = self
                .cells
                .entry((id.to_string(), month.clone()))
                .or_insert_with(|| SummaryCell {
                    name: r.statement.speaker_name(g).to_string(),
                    ..Default::default()
                });
            if !seen.contains(&id) {
                seen.push(id);
                cell.dispatches += 1;
            }
            let k = Stance::ALL.iter().position(|x| *x == stance).unwrap();
            cell.by_stance[k] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stance::*;

    #[test]
    fn actor_stance_table() {
        type Case<'a> = (&'a [(&'a str, Stance, f32)], &'a [(&'a str, Stance)]);
        let cases: &[Case] = &[
            (
                &[
                    ("a", Neutral, 0.9),
                    ("a", Ceasefire, 0.4),
                    ("a", Ceasefire, 0.4),
                ],
                &[("a", Ceasefire)],
            ),
            (
                &[("a", Neutral, 0.9), ("a", Ceasefire, 0.3)],
                &[("a", Ceasefire)],
            ),
            (
                &[("a", Ceasefire, 0.9), ("a", ProArmenia, 0.3)],
                &[("a", ProArmenia)],
            ),
            (
                &[("a", ProArmenia, 0.4), ("a", ProAzerbaijan, 0.6)],
                &[("a", ProAzerbaijan)],
            ),
            (
                &[("a", ProAzerbaijan, 0.4), ("a", ProArmenia, 0.6)],
                &[("a", ProArmenia)],
            ),
            (
                &[
                    ("b", Neutral, 0.5),
                    ("a", ProAzerbaijan, 0.5),
                    ("b", Neutral, 0.5),
                ],
                &[("b", Neutral), ("a", ProAzerbaijan)],
            ),
            (&[], &[]),
        ];
        for (input, want) in cases {
            let v: Vec<StanceVote> = input
                .iter()
                .map(|&(s, stance, probability)| StanceVote {
                    speaker: s.to_string(),
                    stance,
                    probability,
                })
                .collect();
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
