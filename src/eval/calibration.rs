//! Calibration: how far a model's confidence (its top probability) is from its accuracy.
//! Expected calibration error over equal-width confidence bins, the reliability table,
//! and temperature scaling (`softmax(z / T)`), whose `T` is fitted on held-out
//! predictions by minimising their log-loss.

use serde::{Deserialize, Serialize};

use crate::label::ClassId;
use crate::model::argmax;

/// One confidence bin: predictions whose top probability is in `[lo, hi)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
    /// Mean top probability.
    pub confidence: f64,
    /// Share right.
    pub accuracy: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Expected calibration error: Σ (count / n) × |accuracy − confidence| over bins.
    pub ece: f64,
    pub bins: Vec<Bin>,
}

/// The calibration of `probs` (one distribution a row) against `gold`, over `bins`
/// equal-width bins.
pub fn calibration(probs: &[Vec<f32>], gold: &[ClassId], bins: usize) -> Calibration {
    let mut acc = vec![(0usize, 0.0f64, 0usize); bins];
    for (p, &g) in probs.iter().zip(gold) {
        let c = argmax(p);
        let conf = p[c] as f64;
        let b = ((conf * bins as f64) as usize).min(bins - 1);
        acc[b].0 += 1;
        acc[b].1 += conf;
        acc[b].2 += usize::from(c == g);
    }
    let n = probs.len().max(1) as f64;
    let bins: Vec<Bin> = acc
        .iter()
        .enumerate()
        .map(|(i, &(count, conf, right))| Bin {
            lo: i as f64 / bins as f64,
            hi: (i + 1) as f64 / bins as f64,
            count,
            confidence: if count > 0 { conf / count as f64 } else { 0.0 },
            accuracy: if count > 0 {
                right as f64 / count as f64
            } else {
                0.0
            },
        })
        .collect();
    let ece = bins
        .iter()
        .map(|b| b.count as f64 / n * (b.accuracy - b.confidence).abs())
        .sum();
    Calibration { ece, bins }
}

impl std::fmt::Display for Calibration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "expected calibration error = {:.4}", self.ece)?;
        writeln!(f, "confidence      n  mean conf  accuracy")?;
        for b in self.bins.iter().filter(|b| b.count > 0) {
            writeln!(
                f,
                "{:.1}–{:.1}  {:>6}  {:>9.3}  {:>8.3}",
                b.lo, b.hi, b.count, b.confidence, b.accuracy
            )?;
        }
        Ok(())
    }
}

/// Rescales a distribution as if its logits were divided by `t`.
pub fn with_temperature(p: &[f32], t: f64) -> Vec<f32> {
    let z: Vec<f64> = p.iter().map(|&v| (v.max(1e-12) as f64).ln() / t).collect();
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| (v / s) as f32).collect()
}

fn log_loss(probs: &[Vec<f32>], gold: &[ClassId], t: f64) -> f64 {
    probs
        .iter()
        .zip(gold)
        .map(|(p, &g)| -(with_temperature(p, t)[g].max(1e-12) as f64).ln())
        .sum::<f64>()
        / probs.len().max(1) as f64
}

/// The temperature in [0.05, 20] minimising the log-loss of held-out predictions (a
/// golden-section search on ln T; the loss is unimodal in T).
pub fn fit_temperature(probs: &[Vec<f32>], gold: &[ClassId]) -> f64 {
    if probs.is_empty() {
        return 1.0;
    }
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let f = |x: f64| log_loss(probs, gold, x.exp());
    let (mut c, mut d) = (b - r * (b - a), a + r * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            (b, d, fd) = (d, c, fc);
            c = b - r * (b - a);
            fc = f(c);
        } else {
            (a, c, fc) = (c, d, fd);
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ece_of_a_table() {
        // two bins used: 0.9 (2 rows, 1 right) and 0.6 (2 rows, both right)
        let probs = vec![
            vec![0.9, 0.1],
            vec![0.9, 0.1],
            vec![0.4, 0.6],
            vec![0.4, 0.6],
        ];
        let c = calibration(&probs, &[0, 1, 1, 1], 10);
        // |0.5 − 0.9| × 0.5 + |1 − 0.6| × 0.5
        assert!((c.ece - 0.4).abs() < 1e-6, "{c:?}");
        assert_eq!(c.bins.iter().filter(|b| b.count > 0).count(), 2);
    }

    #[test]
    fn temperature_cools_overconfidence_and_warms_underconfidence() {
        // always 0.95 sure, right 70 % of the time: T > 1 lowers the confidence
        let probs: Vec<Vec<f32>> = (0..100).map(|_| vec![0.95, 0.05]).collect();
        let gold: Vec<ClassId> = (0..100).map(|i| usize::from(i % 10 >= 7)).collect();
        let t = fit_temperature(&probs, &gold);
        assert!(t > 1.0, "{t}");
        let p = with_temperature(&probs[0], t);
        assert!((p[0] - 0.7).abs() < 0.01, "{p:?}");
        // 0.6 sure and always right: T < 1 sharpens
        let probs: Vec<Vec<f32>> = (0..50).map(|_| vec![0.6, 0.4]).collect();
        assert!(fit_temperature(&probs, &[0; 50]) < 1.0);
        // the same order of classes whatever T
        let p = with_temperature(&[0.2, 0.5, 0.3], 3.0);
        assert_eq!(argmax(&p), 1);
    }
}
