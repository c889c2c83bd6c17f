//! Stage 6: model — multinomial logistic regression, one head per label set.
//!
//! The objective is linfa-logistic's `MultiLogisticRegression` objective exactly:
//! `-Σᵢ log softmax(xᵢW + b)[yᵢ] + α/2 ‖W‖²` (the intercept is not penalised). Two
//! solvers fit it: [`Solver::SparseLbfgs`] evaluates it on the CSR matrix with argmin's
//! L-BFGS and More-Thuente line search (the optimiser linfa-logistic uses), so memory and
//! time follow the non-zeros; [`Solver::Linfa`] densifies and calls linfa-logistic, the
//! reference (tests check that both agree). The only module that imports `linfa`.
//!
//! A failed line search (linfa issue 334, "Search direction must be a descent
//! direction") never crashes: the best parameters seen so far are kept and the fit report
//! says what happened.

use std::sync::{Arc, Mutex};

use argmin::core::observers::{Observe, ObserverMode};
use argmin::core::{CostFunction, Executor, Gradient, IterState, KV, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::SparseMatrix;
use crate::label::{ClassId, Classes};

/// Which optimiser fits the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Solver {
    /// argmin L-BFGS on the sparse matrix (scales with the non-zeros).
    SparseLbfgs,
    /// linfa-logistic on a dense copy (n × d memory: small data only).
    Linfa,
}

/// Logistic-regression settings, before checking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// L2 weight (scikit-learn's `1/C`).
    pub alpha: f64,
    pub max_iterations: u64,
    /// Stop when the mean loss changes by less than this between iterations.
    pub tolerance: f64,
    pub solver: Solver,
    /// How much each row's loss counts.
    #[serde(default)]
    pub class_weight: ClassWeight,
    /// Naive-Bayes log-count-ratio scaling (Wang & Manning 2012, NB-SVM), 0 to 1: the
    /// share of each coefficient's L2 prior variance set by its feature's log-count
    /// ratio for its class (see [`nb_prior`]); 0 is plain L2.
    #[serde(default)]
    pub nb: f64,
}

/// Per-class weights of the loss (linfa-logistic has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ClassWeight {
    /// `balanced` when the largest class has at least twice the rows of the smallest,
    /// else `none` (always `none` with the linfa solver, which has no weights).
    #[default]
    Auto,
    /// Every row counts 1.
    None,
    /// A row of class c counts `n / (k × n_c)` (scikit-learn's `balanced`): each class
    /// weighs the same in total.
    Balanced,
}

impl ClassWeight {
    /// The weight of each class, given the labels.
    pub fn weights(self, y: &[ClassId], k: usize) -> Vec<f64> {
        let mut count = vec![0usize; k];
        y.iter().for_each(|&c| count[c] += 1);
        let present = count.iter().filter(|&&c| c > 0);
        let (min, max) = (present.clone().min(), present.max());
        match self {
            ClassWeight::None => vec![1.0; k],
            ClassWeight::Auto if min.zip(max).is_some_and(|(a, b)| *b >= 2 * *a) => {
                ClassWeight::Balanced.weights(y, k)
            }
            ClassWeight::Auto => vec![1.0; k],
            ClassWeight::Balanced => count
                .iter()
                .map(|&c| {
                    if c == 0 {
                        0.0
                    } else {
                        y.len() as f64 / (k as f64 * c as f64)
                    }
                })
                .collect(),
        }
    }
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams {
            alpha: 0.1,
            max_iterations: 300,
            tolerance: 1e-7,
            solver: Solver::SparseLbfgs,
            class_weight: ClassWeight::Auto,
            nb: 0.0,
        }
    }
}

/// Settings that passed [`LogisticParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckedParams(LogisticParams);

impl LogisticParams {
    pub fn check(self) -> Result<CheckedParams> {
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(Error::Training(format!(
                "alpha must be finite and >= 0, got {}",
                self.alpha
            )));
        }
        if self.max_iterations == 0 {
            return Err(Error::Training("max_iterations must be at least 1".into()));
        }
        if self.class_weight == ClassWeight::Balanced && self.solver == Solver::Linfa {
            return Err(Error::Training(
                "class weights need the sparse-lbfgs solver (linfa-logistic has none)".into(),
            ));
        }
        if !(0.0..=1.0).contains(&self.nb) {
            return Err(Error::Training(format!(
                "nb must be 0 to 1, got {}",
                self.nb
            )));
        }
        if self.nb > 0.0 && self.solver == Solver::Linfa {
            return Err(Error::Training(
                "NB scaling needs the sparse-lbfgs solver (linfa-logistic has none)".into(),
            ));
        }
        if !(self.tolerance.is_finite() && self.tolerance >= 0.0) {
            return Err(Error::Training(format!(
                "tolerance must be finite and >= 0, got {}",
                self.tolerance
            )));
        }
        Ok(CheckedParams(self))
    }
}

/// A fitted linear head: `softmax((xW + b) / T)` over its classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearHead {
    pub classes: Classes,
    pub n_features: usize,
    /// `W`, row-major `n_features × n_classes` (linfa's layout).
    pub coef: Vec<f32>,
    pub intercept: Vec<f32>,
    /// The temperature `T` (1 as fitted; set by calibration, which leaves the predicted
    /// class unchanged).
    #[serde(default = "one")]
    pub temperature: f64,
}

fn one() -> f64 {
    1.0
}

/// What the optimiser did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    pub solver: Solver,
    pub iterations: u64,
    /// Mean loss per sample (objective / n) at the end.
    pub final_loss: f64,
    pub converged: bool,
    /// Set when the optimiser failed and the best parameters seen were kept.
    pub warning: Option<String>,
    /// The weight of each class's rows in the loss.
    #[serde(default)]
    pub class_weights: Vec<f64>,
}

impl LinearHead {
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Class probabilities of one sparse row.
    pub fn predict_row(&self, row: impl Iterator<Item = (usize, f32)>) -> Vec<f32> {
        let k = self.n_classes();
        let mut z: Vec<f32> = self.intercept.clone();
        for (j, v) in row {
            if j < self.n_features {
                let w = &self.coef[j * k..(j + 1) * k];
                z.iter_mut().zip(w).for_each(|(z, w)| *z += v * w);
            }
        }
        if self.temperature != 1.0 {
            let t = self.temperature as f32;
            z.iter_mut().for_each(|v| *v /= t);
        }
        softmax_in_place(&mut z);
        z
    }

    /// The `k` features of a sparse row that pushed `class` most: `(column, value ×
    /// weight)`, largest first, positive contributions only.
    pub fn contributions(
        &self,
        row: impl Iterator<Item = (usize, f32)>,
        class: ClassId,
        k: usize,
    ) -> Vec<(usize, f32)> {
        let n = self.n_classes();
        if k == 0 {
            return Vec::new();
        }
        // the k largest so far, in order (a total order: columns are distinct), kept by
        // insertion: a row has a few hundred columns and k is small
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut c: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
        for (j, v) in row {
            if j >= self.n_features {
                continue;
            }
            let x = (j, v * self.coef[j * n + class]);
            if x.1 > 0.0 && (c.len() < k || order(&x, &c[k - 1]).is_lt()) {
                let at = c.partition_point(|y| order(y, &x).is_lt());
                c.insert(at, x);
                c.truncate(k);
            }
        }
        c
    }

    /// Class probabilities, one row per input row.
    pub fn predict(&self, x: &SparseMatrix) -> Vec<Vec<f32>> {
        (0..x.nrows())
            .into_par_iter()
            .map(|i| self.predict_row(x.row(i)))
            .collect()
    }
}

fn softmax_in_place(z: &mut [f32]) {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut s = 0.0;
    z.iter_mut().for_each(|v| {
        *v = (*v - m).exp();
        s += *v;
    });
    z.iter_mut().for_each(|v| *v /= s);
}

/// Index of the largest probability.
pub fn argmax(p: &[f32]) -> ClassId {
    p.iter()
        .enumerate()
        .fold(0, |b, (i, &v)| if v > p[b] { i } else { b })
}

/// Fits one head.
pub fn fit(
    x: &SparseMatrix,
    y: &[ClassId],
    classes: Classes,
    params: CheckedParams,
) -> Result<(LinearHead, FitReport)> {
    let p = params.0;
    if x.nrows() != y.len() {
        return Err(Error::Training(format!(
            "{} rows but {} labels",
            x.nrows(),
            y.len()
        )));
    }
    if x.nrows() == 0 {
        return Err(Error::Training("no training rows".into()));
    }
    if let Some(&bad) = y.iter().find(|&&c| c >= classes.len()) {
        return Err(Error::Training(format!(
            "label id {bad} out of {} classes",
            classes.len()
        )));
    }
    match p.solver {
        Solver::SparseLbfgs => fit_sparse(x, y, classes, p),
        Solver::Linfa => fit_linfa(x, y, classes, p),
    }
}

/// The loss and gradient are summed over at most this many chunks of rows (held at once,
/// one gradient each), of at least [`MIN_CHUNK_ROWS`] rows.
const SUM_CHUNKS: usize = 16;
const MIN_CHUNK_ROWS: usize = 256;

struct Problem<'a> {
    x: &'a SparseMatrix,
    y: &'a [ClassId],
    k: usize,
    alpha: f64,
    /// The weight of each class's rows.
    class_weight: Vec<f64>,
    /// Per coefficient (`d × k`), the multiple of `alpha` that penalises it; `None`
    /// for 1 everywhere.
    penalty: Option<Vec<f64>>,
    /// The last parameters evaluated, with their loss and gradient: the line search asks
    /// for the cost and then the gradient at the same point, and one pass gives both.
    last: Mutex<Option<Evaluated>>,
}

/// Parameters, their loss and their gradient.
type Evaluated = (Array1<f64>, f64, Array1<f64>);

impl Problem<'_> {
    /// Mean loss and, when asked, its gradient. Params: `(d + 1) × k` row-major, the
    /// last row the intercept.
    fn eval(&self, w: &Array1<f64>, want_grad: bool) -> (f64, Option<Array1<f64>>) {
        let (k, d, n) = (self.k, self.x.ncols, self.x.nrows());
        let w = w.as_slice().expect("contiguous params");
        // chunks fixed by n alone, their sums added in order: the loss, the gradient and
        // so the fitted model are the same bits whatever the number of threads
        let chunk = n.div_ceil(SUM_CHUNKS).max(MIN_CHUNK_ROWS);
        let partials: Vec<(f64, Vec<f64>)> = (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|part| {
                let rows = part * chunk..((part + 1) * chunk).min(n);
                let mut loss = 0.0;
                let mut g = if want_grad {
                    vec![0.0; (d + 1) * k]
                } else {
                    Vec::new()
                };
                let mut z = vec![0.0f64; k];
                for i in rows {
                    z.copy_from_slice(&w[d * k..(d + 1) * k]);
                    for (j, v) in self.x.row(i) {
                        let wj = &w[j * k..(j + 1) * k];
                        z.iter_mut().zip(wj).for_each(|(z, w)| *z += v as f64 * w);
                    }
                    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                    let weight = self.class_weight[self.y[i]];
                    loss += weight * (lse - z[self.y[i]]);
                    if want_grad {
                        for c in 0..k {
                            let diff = (z[c] - lse).exp() - if c == self.y[i] { 1.0 } else { 0.0 };
                            z[c] = weight * diff;
                        }
                        for (j, v) in self.x.row(i) {
                            let gj = &mut g[j * k..(j + 1) * k];
                            gj.iter_mut()
                                .zip(&z)
                                .for_each(|(g, diff)| *g += v as f64 * diff);
                        }
                        g[d * k..]
                            .iter_mut()
                            .zip(&z)
                            .for_each(|(g, diff)| *g += diff);
                    }
                }
                (loss, g)
            })
            .collect();
        let (loss, grad) = partials
            .into_iter()
            .reduce(|(l1, mut g1), (l2, g2)| {
                g1.iter_mut().zip(&g2).for_each(|(a, b)| *a += b);
                (l1 + l2, g1)
            })
            .unwrap_or_else(|| (0.0, vec![0.0; if want_grad { (d + 1) * k } else { 0 }]));
        let lambda = |j: usize| self.penalty.as_ref().map_or(1.0, |p| p[j]);
        let reg: f64 = w[..d * k]
            .iter()
            .enumerate()
            .map(|(j, v)| lambda(j) * v * v)
            .sum::<f64>()
            * 0.5
            * self.alpha;
        let nf = n as f64;
        let grad = want_grad.then(|| {
            let mut g = Array1::from(grad);
            g.iter_mut()
                .zip(w)
                .take(d * k)
                .enumerate()
                .for_each(|(j, (g, w))| *g += self.alpha * lambda(j) * w);
            g /= nf;
            g
        });
        ((loss + reg) / nf, grad)
    }
}

impl Problem<'_> {
    /// `read` applied to the loss and gradient at `w`, from the last evaluation when it
    /// was at `w` (the same bits either way: the loss does not depend on whether the
    /// gradient is summed).
    fn with_evaluation<R>(&self, w: &Array1<f64>, read: impl FnOnce(f64, &Array1<f64>) -> R) -> R {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if !last.as_ref().is_some_and(|(at, _, _)| at == w) {
            let (loss, grad) = self.eval(w, true);
            *last = Some((w.clone(), loss, grad.expect("gradient asked")));
        }
        let (_, loss, grad) = last.as_ref().expect("evaluated above");
        read(*loss, grad)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, w: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.with_evaluation(w, |loss, _| loss))
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, w: &Self::Param) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(self.with_evaluation(w, |_, grad| grad.clone()))
    }
}

type LbfgsState = IterState<Array1<f64>, Array1<f64>, (), (), (), f64>;

/// Keeps the best parameters seen, so a failed iteration loses nothing.
#[derive(Clone, Default)]
struct KeepBest(Arc<Mutex<Option<Best>>>);

/// The best cost seen, its parameters and the iteration it was seen at.
type Best = (f64, Array1<f64>, u64);

impl Observe<LbfgsState> for KeepBest {
    fn observe_iter(
        &mut self,
        state: &LbfgsState,
        _kv: &KV,
    ) -> std::result::Result<(), argmin::core::Error> {
        if let Some(p) = state.get_best_param() {
            let c = state.get_best_cost();
            let mut g = self.0.lock().unwrap();
            if g.as_ref().is_none_or(|(b, _, _)| c < *b) {
                *g = Some((c, p.clone(), state.get_iter()));
            }
        }
        Ok(())
    }
}

/// The NB-SVM feature scaling as an L2 prior, per coefficient (`d × k`): the multiple of
/// alpha that penalises it.
///
/// NB-SVM (Wang & Manning 2012) multiplies feature j by its log-count ratio `r_jc` before
/// an L2-penalised linear fit; with a weight `w_jc` on `r_jc x_j`, the effective weight
/// `v_jc = r_jc w_jc` pays `(v_jc / r_jc)²`. So the scaling is the same fit as an L2
/// penalty of `1 / r_jc²` on the unscaled features, and the fitted head predicts from `x`
/// as it is. Per class, one against the rest, from binarised counts smoothed by one:
/// `r_jc = ln((p_jc / |p_c|₁) / (q_jc / |q_c|₁))`, `p_jc = 1 + #{rows of c with j}`, `q_jc` the
/// same over the other rows. `nb` interpolates the prior variance between plain L2 and
/// NB: `s²_jc = (1 − nb) + nb · r²_jc / mean(r²)`, floored at 1e-3 so that no weight is
/// pinned to zero; the penalty is `1 / s²_jc`.
fn nb_prior(x: &SparseMatrix, y: &[ClassId], k: usize, nb: f64) -> Vec<f64> {
    let d = x.ncols;
    let mut with = vec![0f64; d * k];
    for (i, &c) in y.iter().enumerate() {
        for (j, v) in x.row(i) {
            if v != 0.0 {
                with[j * k + c] += 1.0;
            }
        }
    }
    let total: Vec<f64> = (0..d)
        .map(|j| with[j * k..(j + 1) * k].iter().sum())
        .collect();
    let mut p_sum = vec![0f64; k];
    let mut q_sum = vec![0f64; k];
    for j in 0..d {
        for c in 0..k {
            p_sum[c] += 1.0 + with[j * k + c];
            q_sum[c] += 1.0 + total[j] - with[j * k + c];
        }
    }
    let mut r2: Vec<f64> = (0..d * k)
        .map(|jc| {
            let (j, c) = (jc / k, jc % k);
            let p = (1.0 + with[jc]) / p_sum[c];
            let q = (1.0 + total[j] - with[jc]) / q_sum[c];
            (p / q).ln().powi(2)
        })
        .collect();
    let mean = r2.iter().sum::<f64>() / r2.len().max(1) as f64;
    r2.iter_mut().for_each(|r| {
        let s2 = (1.0 - nb) + nb * if mean > 0.0 { *r / mean } else { 1.0 };
        *r = 1.0 / s2.max(1e-3);
    });
    r2
}

fn fit_sparse(
    x: &SparseMatrix,
    y: &[ClassId],
    classes: Classes,
    p: LogisticParams,
) -> Result<(LinearHead, FitReport)> {
    let k = classes.len();
    let d = x.ncols;
    let penalty = (p.nb > 0.0).then(|| nb_prior(x, y, k, p.nb));
    let problem = Problem {
        x,
        y,
        k,
        alpha: p.alpha,
        class_weight: p.class_weight.weights(y, k),
        penalty: penalty.clone(),
        last: Mutex::new(None),
    };
    let init = Array1::<f64>::zeros((d + 1) * k);
    let best = KeepBest::default();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> std::result::Result<_, argmin::core::Error> {
            let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
                .with_tolerance_grad(1e-9)?
                .with_tolerance_cost(p.tolerance)?;
            let res = Executor::new(problem, solver)
                .configure(|s| s.param(init.clone()).max_iters(p.max_iterations))
                .add_observer(best.clone(), ObserverMode::Always)
                .run()?;
            let s = res.state();
            let param = s.get_best_param().cloned().unwrap_or_else(|| init.clone());
            let converged = s.get_iter() < p.max_iterations;
            Ok((param, s.get_iter(), s.get_best_cost(), converged))
        },
    ));
    let (w, iterations, final_loss, converged, warning) = match outcome {
        Ok(Ok((w, it, c, conv))) => (w, it, c, conv, None),
        failed => {
            let why = match failed {
                Ok(Err(e)) => e.to_string(),
                Err(panic) => panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into()),
                Ok(Ok(_)) => unreachable!(),
            };
            let kept = best.0.lock().unwrap().take();
            match kept {
                Some((c, w, it)) => (
                    w,
                    it,
                    c,
                    false,
                    Some(format!(
                        "optimiser stopped at iteration {it} ({why}); kept the best parameters seen"
                    )),
                ),
                None => {
                    let c = Problem {
                        x,
                        y,
                        k,
                        alpha: p.alpha,
                        class_weight: p.class_weight.weights(y, k),
                        penalty,
                        last: Mutex::new(None),
                    }
                    .eval(&init, false)
                    .0;
                    (
                        init,
                        0,
                        c,
                        false,
                        Some(format!(
                            "optimiser failed before its first iteration ({why}); the model predicts from zero weights"
                        )),
                    )
                }
            }
        }
    };
    let w = w.as_slice().expect("contiguous");
    let head = LinearHead {
        classes,
        n_features: d,
        coef: w[..d * k].iter().map(|&v| v as f32).collect(),
        intercept: w[d * k..].iter().map(|&v| v as f32).collect(),
        temperature: 1.0,
    };
    Ok((
        head,
        FitReport {
            solver: Solver::SparseLbfgs,
            iterations,
            final_loss,
            converged,
            warning,
            class_weights: p.class_weight.weights(y, k),
        },
    ))
}

/// The reference fit: linfa-logistic on a dense copy of `x`.
pub fn fit_linfa(
    x: &SparseMatrix,
    y: &[ClassId],
    classes: Classes,
    p: LogisticParams,
) -> Result<(LinearHead, FitReport)> {
    use linfa::{Dataset, traits::Fit};
    use linfa_logistic::MultiLogisticRegression;
    let k = classes.len();
    let d = x.ncols;
    let bytes = x.nrows() as u128 * d as u128 * 8;
    if bytes > 4 << 30 {
        return Err(Error::Training(format!(
            "the linfa solver needs a dense {}×{} matrix ({} GiB); use --solver sparse-lbfgs",
            x.nrows(),
            d,
            bytes >> 30
        )));
    }
    let dense = x.to_dense();
    let targets = Array1::from(y.to_vec());
    let dataset = Dataset::new(dense, targets);
    let fitted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        MultiLogisticRegression::default()
            .alpha(p.alpha)
            .max_iterations(p.max_iterations)
            .gradient_tolerance(1e-9)
            .fit(&dataset)
    }));
    let model = match fitted {
        Ok(Ok(m)) => m,
        Ok(Err(e)) => return Err(Error::Training(format!("linfa-logistic: {e}"))),
        Err(_) => {
            return Err(Error::Training(
                "linfa-logistic panicked (linfa issue 334); use --solver sparse-lbfgs".into(),
            ));
        }
    };
    // linfa orders its classes by value: map its columns back to our class ids
    let mut coef = vec![0.0f32; d * k];
    let mut intercept = vec![-1e4f32; k];
    for (col, &c) in model.classes().iter().enumerate() {
        for j in 0..d {
            coef[j * k + c] = model.params()[[j, col]] as f32;
        }
        intercept[c] = model.intercept()[col] as f32;
    }
    let head = LinearHead {
        classes,
        n_features: d,
        coef,
        intercept,
        temperature: 1.0,
    };
    let w: Vec<f64> = head
        .coef
        .iter()
        .chain(&head.intercept)
        .map(|&v| v as f64)
        .collect();
    let final_loss = Problem {
        x,
        y,
        k,
        alpha: p.alpha,
        class_weight: vec![1.0; k],
        penalty: None,
        last: Mutex::new(None),
    }
    .eval(&Array1::from(w), false)
    .0;
    Ok((
        head,
        FitReport {
            solver: Solver::Linfa,
            iterations: p.max_iterations,
            final_loss,
            converged: false,
            warning: None,
            class_weights: vec![1.0; k],
        },
    ))
}

#[cfg(test)]
mod tests {
    /// (labels, k, rule, weights)
    #[test]
    fn class_weight_table() {
        let cases: &[(&[ClassId], usize, ClassWeight, &[f64])] = &[
            (&[0, 0, 0, 1], 2, ClassWeight::None, &[1.0, 1.0]),
            (&[0, 0, 0, 1], 2, ClassWeight::Balanced, &[4.0 / 6.0, 2.0]),
            // skewed 3:1, so auto balances
            (&[0, 0, 0, 1], 2, ClassWeight::Auto, &[4.0 / 6.0, 2.0]),
            // 3:2 is not skewed enough
            (&[0, 0, 0, 1, 1], 2, ClassWeight::Auto, &[1.0, 1.0]),
            // an absent class weighs nothing and does not count as the smallest
            (
                &[0, 0, 1, 1],
                3,
                ClassWeight::Balanced,
                &[4.0 / 6.0, 4.0 / 6.0, 0.0],
            ),
            (&[0, 0, 1, 1], 3, ClassWeight::Auto, &[1.0, 1.0, 1.0]),
        ];
        for &(y, k, rule, want) in cases {
            let got = rule.weights(y, k);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-12, "{y:?} {rule:?}: {got:?}");
            }
        }
    }

    use super::*;

    /// Three separable-ish classes in 6 sparse dimensions.
    fn toy() -> (SparseMatrix, Vec<ClassId>) {
        let mut m = SparseMatrix {
            indptr: vec![0],
            ncols: 6,
            ..Default::default()
        };
        let mut y = Vec::new();
        for i in 0..90usize {
            let c = i % 3;
            let noise = ((i * 7919) % 13) as f32 / 13.0;
            let cols = [(2 * c) as u32, ((2 * c + 1 + i % 2) % 6) as u32];
            m.indices.extend(cols);
            m.values.extend([1.0 - 0.3 * noise, 0.2 + noise * 0.5]);
            m.indptr.push(m.indices.len());
            y.push(c);
        }
        (m, y)
    }

    #[test]
    fn sparse_fit_matches_linfa_reference() {
        let (x, y) = toy();
        let classes = Classes::from_names(vec!["a".into(), "b".into(), "c".into()]);
        let base = LogisticParams {
            alpha: 0.5,
            max_iterations: 500,
            tolerance: 1e-12,
            solver: Solver::SparseLbfgs,
            class_weight: ClassWeight::None,
            nb: 0.0,
        };
        let (sparse, r1) = fit(&x, &y, classes.clone(), base.check().unwrap()).unwrap();
        let (dense, r2) = fit(
            &x,
            &y,
            classes,
            LogisticParams {
                solver: Solver::Linfa,
                ..base
            }
            .check()
            .unwrap(),
        )
        .unwrap();
        assert!(r1.warning.is_none(), "{r1:?}");
        println!(
            "sparse loss {:.6}, linfa loss {:.6}",
            r1.final_loss, r2.final_loss
        );
        assert!(
            (r1.final_loss - r2.final_loss).abs() < 1e-4,
            "{r1:?} vs {r2:?}"
        );
        for (a, b) in sparse.predict(&x).iter().zip(dense.predict(&x)) {
            for (p, q) in a.iter().zip(&b) {
                assert!((p - q).abs() < 5e-3, "{a:?} vs {b:?}");
            }
        }
        for (a, b) in sparse.coef.iter().zip(&dense.coef) {
            assert!((a - b).abs() < 0.05, "coef {a} vs {b}");
        }
    }

    #[test]
    fn predictions_agree_with_linfa_predict_probabilities() {
        use linfa::{Dataset, traits::Fit};
        let (x, y) = toy();
        let model = linfa_logistic::MultiLogisticRegression::default()
            .alpha(0.5)
            .max_iterations(50)
            .fit(&Dataset::new(x.to_dense(), Array1::from(y.clone())))
            .unwrap();
        let want = model.predict_probabilities(&x.to_dense());
        let classes = Classes::from_names(vec!["a".into(), "b".into(), "c".into()]);
        let p = LogisticParams {
            alpha: 0.5,
            max_iterations: 50,
            tolerance: 0.0,
            solver: Solver::Linfa,
            class_weight: ClassWeight::None,
            nb: 0.0,
        };
        let (head, _) = fit(&x, &y, classes, p.check().unwrap()).unwrap();
        for (i, got) in head.predict(&x).iter().enumerate() {
            for c in 0..3 {
                assert!((got[c] as f64 - want[[i, c]]).abs() < 1e-4);
            }
        }
    }

    /// NB scaling penalises a feature that tells classes apart less than one that does
    /// not; 0 is plain L2; the fit still runs and predicts its training rows.
    #[test]
    fn nb_prior_favours_features_that_tell_classes_apart() {
        // column 0 in every row of class 0 only, column 1 in every row, column 2 in half
        let mut x = SparseMatrix {
            indptr: vec![0],
            ncols: 3,
            ..Default::default()
        };
        let mut y = Vec::new();
        for i in 0..20usize {
            let c = i % 2;
            if c == 0 {
                x.indices.push(0);
                x.values.push(1.0);
            }
            x.indices.push(1);
            x.values.push(1.0);
            if i % 4 < 2 {
                x.indices.push(2);
                x.values.push(1.0);
            }
            x.indptr.push(x.indices.len());
            y.push(c);
        }
        assert!(nb_prior(&x, &y, 2, 0.0).iter().all(|&p| p == 1.0));
        let p = nb_prior(&x, &y, 2, 1.0);
        // [j * k + c]: column 0 for class 0 is the least penalised of all
        let least = p.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(p[0], least);
        assert!(p[2] > p[0] && p[4] > p[0], "{p:?}");
        let classes = Classes::from_names(vec!["a".into(), "b".into()]);
        let params = LogisticParams {
            nb: 0.5,
            ..Default::default()
        };
        let (head, report) = fit(&x, &y, classes, params.check().unwrap()).unwrap();
        assert!(report.warning.is_none(), "{report:?}");
        assert!(head.predict_row(x.row(0))[0] > 0.5);
        assert!(head.predict_row(x.row(1))[1] > 0.5);
        assert!(
            LogisticParams {
                nb: 1.5,
                ..Default::default()
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let (x, y) = toy();
        let classes = Classes::from_names(vec!["a".into(), "b".into()]);
        assert!(
            fit(
                &x,
                &y,
                classes.clone(),
                LogisticParams::default().check().unwrap()
            )
            .is_err()
        );
        assert!(
            LogisticParams {
                alpha: f64::NAN,
                ..Default::default()
            }
            .check()
            .is_err()
        );
        assert!(
            fit(
                &x,
                &y[..3],
                classes,
                LogisticParams::default().check().unwrap()
            )
            .is_err()
        );
    }

    #[test]
    fn a_single_class_or_empty_rows_still_fit() {
        let x = SparseMatrix {
            indptr: vec![0, 0, 0],
            ncols: 3,
            ..Default::default()
        };
        let classes = Classes::from_names(vec!["a".into(), "b".into()]);
        let (h, r) = fit(
            &x,
            &[1, 1],
            classes,
            LogisticParams::default().check().unwrap(),
        )
        .unwrap();
        assert!(h.predict_row(std::iter::empty())[1] > 0.5, "{r:?}");
    }

    /// The k largest positive contributions, in order, as a full sort gives them.
    #[test]
    fn contributions_are_the_top_of_the_sorted_list() {
        let (d, n) = (50, 3);
        let mut x = 99u64;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 2.0
        };
        let head = LinearHead {
            classes: Classes::from_names(vec!["a".into(), "b".into(), "c".into()]),
            n_features: d,
            // a few equal weights, for ties broken by column
            coef: (0..d * n)
                .map(|i| if i % 7 == 0 { 0.5 } else { next() })
                .collect(),
            intercept: vec![0.0; n],
            temperature: 1.0,
        };
        for trial in 0..300 {
            let mut row: Vec<(usize, f32)> = Vec::new();
            for j in 0..d + 5 {
                let v = next();
                if v > 0.0 {
                    row.push((j, if trial % 3 == 0 { 1.0 } else { v }));
                }
            }
            for class in 0..n {
                for k in 0..6 {
                    let mut want: Vec<(usize, f32)> = row
                        .iter()
                        .filter(|&&(j, _)| j < d)
                        .map(|&(j, v)| (j, v * head.coef[j * n + class]))
                        .filter(|&(_, c)| c > 0.0)
                        .collect();
                    want.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    want.truncate(k);
                    assert_eq!(head.contributions(row.iter().copied(), class, k), want);
                }
            }
        }
    }
}
