//! Stage 8b: the accuracy report — accuracy, macro-F1, per-class precision/recall/F1
//! and the confusion matrix, plus grouped k-fold cross-validation folds.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::label::{ClassId, Classes};

pub mod calibration;
pub mod extraction;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub class: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1 over classes present in gold or predictions.
    pub macro_f1: f64,
    pub per_class: Vec<ClassMetrics>,
    /// `confusion[gold][predicted]`.
    pub confusion: Vec<Vec<usize>>,
    pub classes: Vec<String>,
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores predictions against gold labels.
pub fn score(classes: &Classes, gold: &[ClassId], pred: &[ClassId]) -> Metrics {
    assert_eq!(
        gold.len(),
        pred.len(),
        "gold and predictions differ in length"
    );
    let k = classes.len();
    let mut confusion = vec![vec![0usize; k]; k];
    for (&g, &p) in gold.iter().zip(pred) {
        confusion[g][p] += 1;
    }
    let correct: usize = (0..k).map(|c| confusion[c][c]).sum();
    let mut per_class = Vec::new();
    let mut f1s = Vec::new();
    for c in 0..k {
        let tp = confusion[c][c];
        let support: usize = confusion[c].iter().sum();
        let predicted: usize = (0..k).map(|g| confusion[g][c]).sum();
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, support);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        if support + predicted > 0 {
            f1s.push(f1);
        }
        per_class.push(ClassMetrics {
            class: classes.name(c).to_string(),
            precision,
            recall,
            f1,
            support,
        });
    }
    Metrics {
        n: gold.len(),
        accuracy: ratio(correct, gold.len()),
        macro_f1: if f1s.is_empty() {
            0.0
        } else {
            f1s.iter().sum::<f64>() / f1s.len() as f64
        },
        per_class,
        confusion,
        classes: classes.names().to_vec(),
    }
}

impl fmt::Display for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "n = {}  accuracy = {:.4}  macro-F1 = {:.4}",
            self.n, self.accuracy, self.macro_f1
        )?;
        let w = self
            .classes
            .iter()
            .map(|c| c.len())
            .max()
            .unwrap_or(5)
            .max(5);
        writeln!(f, "{:<w$}  precision  recall     f1  support", "class")?;
        for c in &self.per_class {
            writeln!(
                f,
                "{:<w$}  {:>9.4}  {:>6.4}  {:>5.4}  {:>7}",
                c.class, c.precision, c.recall, c.f1, c.support
            )?;
        }
        writeln!(f, "confusion (rows gold, columns predicted):")?;
        write!(f, "{:<w$}", "")?;
        for c in &self.classes {
            write!(f, "  {:>w$}", c)?;
        }
        writeln!(f)?;
        for (c, row) in self.classes.iter().zip(&self.confusion) {
            write!(f, "{:<w$}", c)?;
            for v in row {
                write!(f, "  {:>w$}", v)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// K folds that keep every group (e.g. a dispatch) on one side: fold `i` of the result
/// lists the row indices held out in that fold. Groups are dealt round-robin in order of
/// first appearance, so the folds are deterministic.
pub fn group_folds(groups: &[String], k: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<&str> = Vec::new();
    let mut fold_of = std::collections::HashMap::new();
    for g in groups {
        if !fold_of.contains_key(g.as_str()) {
            fold_of.insert(g.as_str(), order.len() % k.max(1));
            order.push(g);
        }
    }
    let mut folds = vec![Vec::new(); k.max(1)];
    for (i, g) in groups.iter().enumerate() {
        folds[fold_of[g.as_str()]].push(i);
    }
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_hand_computation() {
        let classes = Classes::from_names(vec!["a".into(), "b".into(), "c".into()]);
        // gold a a b b c ; pred a b b b a
        let m = score(&classes, &[0, 0, 1, 1, 2], &[0, 1, 1, 1, 0]);
        assert_eq!(
            m.confusion,
            vec![vec![1, 1, 0], vec![0, 2, 0], vec![1, 0, 0]]
        );
        assert!((m.accuracy - 0.6).abs() < 1e-12);
        // a: p 1/2 r 1/2 f 1/2 ; b: p 2/3 r 1 f 0.8 ; c: 0
        assert!((m.per_class[1].f1 - 0.8).abs() < 1e-12);
        assert!((m.macro_f1 - (0.5 + 0.8 + 0.0) / 3.0).abs() < 1e-12);
        assert!(m.to_string().contains("macro-F1 = 0.4333"));
    }

    #[test]
    fn folds_keep_groups_together() {
        let groups: Vec<String> = ["d1", "d1", "d2", "d3", "d2", "d4"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let folds = group_folds(&groups, 2);
        assert_eq!(folds, vec![vec![0, 1, 3], vec![2, 4, 5]]);
    }
}
