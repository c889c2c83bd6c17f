//! Statement extraction scored the way the Gender Gap Tracker scores quotes.
//!
//! A gold statement is matched by the remaining prediction that covers the largest share
//! of it — `|gold ∩ predicted| / |gold|`, in characters — when that share is above the
//! threshold (30 % and 80 % in the Tracker's papers). Gold statements take their match in
//! the order of the dispatch and each prediction matches at most once. Precision is
//! matched / predicted, recall matched / gold; speaker accuracy is the share of matched
//! statements whose predicted speaker id is the gold one.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::ratio;
use crate::actor::Gazetteer;
use crate::corpus::{Corpus, Split};
use crate::dispatch::CharCursor;
use crate::statement::{Kind, extract_statements};

/// The Tracker's two overlap thresholds.
pub const THRESHOLDS: [f64; 2] = [0.3, 0.8];

/// A statement, gold or predicted, in character offsets of the dispatch file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub speaker: String,
    /// Confidence of a predicted statement (1 for gold).
    pub confidence: f64,
    /// How a predicted statement was found (`gold` for gold).
    pub cue: &'static str,
    pub text: String,
}

impl Span {
    fn is(&self, kind: Option<Kind>) -> bool {
        kind.is_none_or(|k| k.as_str() == self.kind)
    }
}

/// The gold and predicted statements of one dispatch.
#[derive(Debug, Clone)]
pub struct DispatchSpans {
    pub id: String,
    pub gold: Vec<Span>,
    pub predicted: Vec<Span>,
}

/// The share of `gold` that `pred` covers.
pub fn coverage(gold: &Span, pred: &Span) -> f64 {
    let inter = gold
        .end
        .min(pred.end)
        .saturating_sub(gold.start.max(pred.start));
    ratio(inter, gold.end.saturating_sub(gold.start))
}

/// For each gold span in order, the index of the prediction it is matched with.
pub fn match_spans(gold: &[&Span], pred: &[&Span], threshold: f64) -> Vec<Option<usize>> {
    let mut taken = vec![false; pred.len()];
    gold.iter()
        .map(|g| {
            let mut best: Option<(usize, f64)> = None;
            for (j, p) in pred.iter().enumerate() {
                if taken[j] || p.start >= g.end || g.start >= p.end {
                    continue;
                }
                let c = coverage(g, p);
                if c > threshold && best.is_none_or(|(_, b)| c > b) {
                    best = Some((j, c));
                }
            }
            let j = best.map(|(j, _)| j);
            if let Some(j) = j {
                taken[j] = true;
            }
            j
        })
        .collect()
}

/// Quote precision, recall, F1 and speaker accuracy for one kind and threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanScore {
    /// `direct`, `indirect` or `all`.
    pub kind: &'static str,
    pub threshold: f64,
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub speaker_correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub speaker_accuracy: f64,
}

impl SpanScore {
    fn new(
        kind: Option<Kind>,
        threshold: f64,
        counts: [usize; 4], // gold, predicted, matched, speaker_correct
    ) -> Self {
        let [gold, predicted, matched, speaker_correct] = counts;
        let (precision, recall) = (ratio(matched, predicted), ratio(matched, gold));
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        SpanScore {
            kind: kind.map_or("all", Kind::as_str),
            threshold,
            gold,
            predicted,
            matched,
            speaker_correct,
            precision,
            recall,
            f1,
            speaker_accuracy: ratio(speaker_correct, matched),
        }
    }
}

impl fmt::Display for SpanScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<8} {:>3.0}%  P {:.3} ({}/{})  R {:.3} ({}/{})  F1 {:.3}  speaker {:.3} ({}/{})",
            self.kind,
            self.threshold * 100.0,
            self.precision,
            self.matched,
            self.predicted,
            self.recall,
            self.matched,
            self.gold,
            self.f1,
            self.speaker_accuracy,
            self.speaker_correct,
            self.matched
        )
    }
}

/// Scores the statements of `kind` (all when `None`) at `threshold`.
pub fn score(dispatches: &[DispatchSpans], kind: Option<Kind>, threshold: f64) -> SpanScore {
    let mut c = [0usize; 4];
    for d in dispatches {
        let gold: Vec<&Span> = d.gold.iter().filter(|s| s.is(kind)).collect();
        let pred: Vec<&Span> = d.predicted.iter().filter(|s| s.is(kind)).collect();
        let m = match_spans(&gold, &pred, threshold);
        c[0] += gold.len();
        c[1] += pred.len();
        for (g, j) in gold.iter().zip(&m) {
            if let Some(j) = j {
                c[2] += 1;
                c[3] += (pred[*j].speaker == g.speaker) as usize;
            }
        }
    }
    SpanScore::new(kind, threshold, c)
}

/// One disagreement between the extractor and the gold statements.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub dispatch_id: String,
    /// `missed` (gold, no prediction), `spurious` (prediction, no gold) or `speaker`.
    pub what: &'static str,
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub gold_speaker: String,
    pub predicted_speaker: String,
    pub confidence: Option<f64>,
    pub cue: &'static str,
    pub text: String,
}

/// The disagreements at `threshold`, all kinds together, in dispatch order.
pub fn misses(dispatches: &[DispatchSpans], threshold: f64) -> Vec<Miss> {
    let mut out = Vec::new();
    for d in dispatches {
        let gold: Vec<&Span> = d.gold.iter().collect();
        let pred: Vec<&Span> = d.predicted.iter().collect();
        let m = match_spans(&gold, &pred, threshold);
        let miss = |what, s: &Span, gold: &str, predicted: &str, p: Option<&Span>| Miss {
            dispatch_id: d.id.clone(),
            what,
            kind: s.kind,
            start: s.start,
            end: s.end,
            gold_speaker: gold.into(),
            predicted_speaker: predicted.into(),
            confidence: p.map(|p| p.confidence),
            cue: p.map_or("", |p| p.cue),
            text: s.text.clone(),
        };
        let mut matched = vec![false; pred.len()];
        let mut rows = Vec::new();
        for (g, j) in gold.iter().zip(&m) {
            if let Some(j) = j {
                matched[*j] = true;
            }
            match j {
                None => rows.push(miss("missed", g, &g.speaker, "", None)),
                Some(j) if pred[*j].speaker != g.speaker => rows.push(miss(
                    "speaker",
                    g,
                    &g.speaker,
                    &pred[*j].speaker,
                    Some(pred[*j]),
                )),
                _ => {}
            }
        }
        for (j, p) in pred.iter().enumerate() {
            if !matched[j] {
                rows.push(miss("spurious", p, "", &p.speaker, Some(p)));
            }
        }
        rows.sort_by_key(|r| r.start);
        out.extend(rows);
    }
    out
}

/// Runs the extractor on every dispatch of `split` (all when `None`) and pairs its
/// statements with the gold ones; also returns the time spent parsing and extracting.
pub fn extract_split(
    corpus: &Corpus,
    g: &Gazetteer,
    split: Option<Split>,
) -> crate::Result<(Vec<DispatchSpans>, Duration)> {
    let mut ids: Vec<&String> = corpus
        .splits
        .iter()
        .filter(|(_, s)| split.is_none_or(|sp| **s == sp))
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    let mut gold_of: std::collections::HashMap<&str, Vec<Span>> = Default::default();
    for s in &corpus.statements {
        gold_of.entry(&s.dispatch_id).or_default().push(Span {
            start: s.start,
            end: s.end,
            kind: s.kind.as_str(),
            speaker: s.speaker.clone(),
            confidence: 1.0,
            cue: "gold",
            text: s.text.clone(),
        });
    }
    let mut elapsed = Duration::ZERO;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let path = corpus.dispatch_path(id);
        let t = Instant::now();
        let d = crate::dispatch::parse_path(&path)?;
        let found = extract_statements(&d, g);
        elapsed += t.elapsed();
        let mut cursor = CharCursor::new(&d.source);
        let predicted = found
            .iter()
            .map(|s| {
                let r = d.source_span(s.span.clone());
                Span {
                    start: cursor.offset(r.start),
                    end: cursor.offset(r.end),
                    kind: s.kind.as_str(),
                    speaker: s.speaker_id(g).to_string(),
                    confidence: s.confidence(),
                    cue: s.cue.as_str(),
                    text: s.text.clone(),
                }
            })
            .collect();
        let gold = gold_of.remove(id.as_str()).unwrap_or_default();
        out.push(DispatchSpans {
            id: id.clone(),
            gold,
            predicted,
        });
    }
    Ok((out, elapsed))
}

/// Every score of an extraction run: direct, indirect and all, at each threshold.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractionReport {
    pub dispatches: usize,
    /// Seconds spent reading and extracting (scoring excluded).
    pub seconds: f64,
    pub dispatches_per_second: f64,
    pub scores: Vec<SpanScore>,
}

impl ExtractionReport {
    pub fn new(dispatches: &[DispatchSpans], elapsed: Duration) -> Self {
        let mut scores = Vec::new();
        for kind in [Some(Kind::Direct), Some(Kind::Indirect), None] {
            for t in THRESHOLDS {
                scores.push(score(dispatches, kind, t));
            }
        }
        let seconds = elapsed.as_secs_f64();
        ExtractionReport {
            dispatches: dispatches.len(),
            seconds,
            dispatches_per_second: dispatches.len() as f64 / seconds.max(1e-9),
            scores,
        }
    }

    /// The score of `kind` (`direct`, `indirect`, `all`) at `threshold`.
    pub fn get(&self, kind: &str, threshold: f64) -> Option<&SpanScore> {
        self.scores
            .iter()
            .find(|s| s.kind == kind && s.threshold == threshold)
    }
}

impl fmt::Display for ExtractionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} dispatches, extracted in {:.3} s ({:.0} dispatches/s)",
            self.dispatches, self.seconds, self.dispatches_per_second
        )?;
        for s in &self.scores {
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: &'static str, speaker: &str) -> Span {
        Span {
            start,
            end,
            kind,
            speaker: speaker.into(),
            confidence: 1.0,
            cue: "gold",
            text: String::new(),
        }
    }

    /// (gold spans, predicted spans, threshold, matches)
    #[test]
    fn matching_table() {
        type Case = (
            &'static [(usize, usize)],
            &'static [(usize, usize)],
            f64,
            &'static [Option<usize>],
        );
        let cases: &[Case] = &[
            // exact and partial cover; 30 % is exceeded by 4/10, not by 3/10
            (&[(0, 10)], &[(0, 10)], 0.8, &[Some(0)]),
            (&[(0, 10)], &[(6, 20)], 0.3, &[Some(0)]),
            (&[(0, 10)], &[(7, 20)], 0.3, &[None]),
            (&[(0, 10)], &[(6, 20)], 0.8, &[None]),
            // a prediction covering a whole gold span matches however long it is
            (&[(5, 10)], &[(0, 100)], 0.8, &[Some(0)]),
            // one prediction matches one gold statement; the best cover wins
            (&[(0, 10), (10, 20)], &[(0, 20)], 0.3, &[Some(0), None]),
            (&[(0, 10)], &[(0, 5), (0, 9)], 0.3, &[Some(1)]),
            (
                &[(0, 10), (20, 30)],
                &[(21, 30), (0, 8)],
                0.3,
                &[Some(1), Some(0)],
            ),
            (&[], &[(0, 4)], 0.3, &[]),
        ];
        for (gold, pred, t, want) in cases {
            let gold: Vec<Span> = gold
                .iter()
                .map(|&(a, b)| span(a, b, "direct", "x"))
                .collect();
            let pred: Vec<Span> = pred
                .iter()
                .map(|&(a, b)| span(a, b, "direct", "x"))
                .collect();
            let got = match_spans(
                &gold.iter().collect::<Vec<_>>(),
                &pred.iter().collect::<Vec<_>>(),
                *t,
            );
            assert_eq!(&got, want, "{gold:?} {pred:?} at {t}");
        }
    }

    #[test]
    fn scores_by_kind_and_speaker() {
        let d = DispatchSpans {
            id: "d".into(),
            gold: vec![
                span(0, 10, "direct", "a"),
                span(20, 30, "indirect", "b"),
                span(40, 50, "direct", "a"),
            ],
            predicted: vec![
                span(0, 10, "direct", "a"),
                span(20, 30, "indirect", "a"),
                span(60, 70, "direct", "a"),
            ],
        };
        let s = score(std::slice::from_ref(&d), Some(Kind::Direct), 0.3);
        assert_eq!(
            (s.gold, s.predicted, s.matched, s.speaker_correct),
            (2, 2, 1, 1)
        );
        assert!((s.f1 - 0.5).abs() < 1e-12);
        let s = score(std::slice::from_ref(&d), None, 0.3);
        assert_eq!(
            (s.gold, s.predicted, s.matched, s.speaker_correct),
            (3, 3, 2, 1)
        );
        let m = misses(std::slice::from_ref(&d), 0.3);
        let what: Vec<_> = m.iter().map(|m| (m.what, m.start)).collect();
        assert_eq!(
            what,
            vec![("speaker", 20), ("missed", 40), ("spurious", 60)]
        );
    }
}
