//! Stage 6: model — multinomial logistic regression, one head per label set.
//!
//! The objective is linfa-logistic's `MultiLogisticRegression` objective exactly:
//! `-Σᵢ log softmax(xᵢW + b)[yᵢ] + α/2 ‖W‖²` (the intercept is not penalised). Two
//! solvers fit it: [`Solver::SparseLbfgs`] evaluates it on the CSR matrix (the gradient
//! by columns of a transposed copy) with the in-place L-BFGS of [`crate::lbfgs`], so
//! memory and time follow the non-zeros; [`Solver::Linfa`] densifies and calls linfa-logistic, the
//! reference (tests check that both agree). The only module that imports `linfa`.
//!
//! Neither solver crashes on a hard problem: the sparse fit keeps the best point when its
//! line search finds no decrease and says so in the fit report; linfa-logistic's panic
//! (linfa issue 334, "Search direction must be a descent direction") becomes an error.

use std::sync::OnceLock;

use ndarray::Array1;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::SparseMatrix;
use crate::label::{ClassId, Classes};
use crate::lbfgs::Lbfgs;

/// Which optimiser fits the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Solver {
    /// L-BFGS on the sparse matrix (scales with the non-zeros).
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

/// The loss is summed over at most this many chunks of rows, of at least
/// [`MIN_CHUNK_ROWS`] rows: fixed by the number of rows alone, so that the sum (and the
/// fitted model) is the same bits whatever the number of threads.
const SUM_CHUNKS: usize = 16;
const MIN_CHUNK_ROWS: usize = 256;
/// The gradient is computed over chunks of this many feature columns.
const GRAD_CHUNK_COLS: usize = 2048;

/// The matrix by columns (CSC): each column's (row, value) pairs in row order. The
/// gradient `Xᵀ·diff` is then summed per column, in parallel, with no per-thread
/// gradient to allocate and add up.
struct Columns {
    indptr: Vec<usize>,
    rows: Vec<u32>,
    values: Vec<f32>,
}

impl Columns {
    fn of(x: &SparseMatrix) -> Columns {
        let mut indptr = vec![0usize; x.ncols + 1];
        for &j in &x.indices {
            indptr[j as usize + 1] += 1;
        }
        for j in 0..x.ncols {
            indptr[j + 1] += indptr[j];
        }
        let mut next = indptr.clone();
        let nnz = x.indices.len();
        let (mut rows, mut values) = (vec![0u32; nnz], vec![0f32; nnz]);
        for i in 0..x.nrows() {
            for (j, v) in x.row(i) {
                rows[next[j]] = i as u32;
                values[next[j]] = v;
                next[j] += 1;
            }
        }
        Columns {
            indptr,
            rows,
            values,
        }
    }

    /// The (row, value) pairs of column `j`.
    fn column(&self, j: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let r = self.indptr[j]..self.indptr[j + 1];
        self.rows[r.clone()]
            .iter()
            .map(|&i| i as usize)
            .zip(self.values[r].iter().copied())
    }
}

struct Problem<'a> {
    x: &'a SparseMatrix,
    /// `x` by columns, built at the first gradient (a loss alone does not need it).
    columns: OnceLock<Columns>,
    y: &'a [ClassId],
    k: usize,
    alpha: f64,
    /// The weight of each class's rows.
    class_weight: Vec<f64>,
    /// Per coefficient (`d × k`), the multiple of `alpha` that penalises it; `None`
    /// for 1 everywhere.
    penalty: Option<Vec<f64>>,
}

impl<'a> Problem<'a> {
    fn new(
        x: &'a SparseMatrix,
        y: &'a [ClassId],
        k: usize,
        p: &LogisticParams,
        penalty: Option<Vec<f64>>,
    ) -> Problem<'a> {
        Problem {
            x,
            columns: OnceLock::new(),
            y,
            k,
            alpha: p.alpha,
            class_weight: p.class_weight.weights(y, k),
            penalty,
        }
    }

    /// Mean loss at `w`, and its gradient written into `grad` when given. Params:
    /// `(d + 1) × k` row-major, the last row the intercept.
    fn eval(&self, w: &[f64], grad: Option<&mut [f64]>) -> f64 {
        let (k, d, n) = (self.k, self.x.ncols, self.x.nrows());
        // Per row, the weighted difference between predicted probabilities and the
        // one-hot truth (`n × k`); per chunk of rows, the loss.
        let mut diff = vec![0.0f64; n * k];
        let chunk = n.div_ceil(SUM_CHUNKS).max(MIN_CHUNK_ROWS);
        let row_loss = |i: usize, z: &mut [f64], diff: &mut [f64]| -> f64 {
            z.copy_from_slice(&w[d * k..(d + 1) * k]);
            for (j, v) in self.x.row(i) {
                let wj = &w[j * k..(j + 1) * k];
                z.iter_mut().zip(wj).for_each(|(z, w)| *z += v as f64 * w);
            }
            let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
            let weight = self.class_weight[self.y[i]];
            for (c, out) in diff.iter_mut().enumerate() {
                let truth = if c == self.y[i] { 1.0 } else { 0.0 };
                *out = weight * ((z[c] - lse).exp() - truth);
            }
            weight * (lse - z[self.y[i]])
        };
        let partials: Vec<f64> = diff
            .par_chunks_mut(chunk * k)
            .enumerate()
            .map(|(part, out)| {
                let mut z = vec![0.0f64; k];
                out.chunks_mut(k)
                    .enumerate()
                    .map(|(r, row_diff)| row_loss(part * chunk + r, &mut z, row_diff))
                    .sum()
            })
            .collect();
        let loss: f64 = partials.into_iter().sum();
        let lambda = |j: usize| self.penalty.as_ref().map_or(1.0, |p| p[j]);
        let reg: f64 = w[..d * k]
            .iter()
            .enumerate()
            .map(|(j, v)| lambda(j) * v * v)
            .sum::<f64>()
            * 0.5
            * self.alpha;
        let nf = n as f64;
        if let Some(g) = grad {
            g.fill(0.0);
            let (coef, intercept) = g.split_at_mut(d * k);
            let columns = self.columns.get_or_init(|| Columns::of(self.x));
            coef.par_chunks_mut(GRAD_CHUNK_COLS * k)
                .enumerate()
                .for_each(|(part, out)| {
                    for (c, gj) in out.chunks_mut(k).enumerate() {
                        let j = part * GRAD_CHUNK_COLS + c;
                        for (i, v) in columns.column(j) {
                            let di = &diff[i * k..(i + 1) * k];
                            gj.iter_mut()
                                .zip(di)
                                .for_each(|(g, diff)| *g += v as f64 * diff);
                        }
                        let wj = &w[j * k..(j + 1) * k];
                        gj.iter_mut().zip(wj).enumerate().for_each(|(c, (g, w))| {
                            *g = (*g + self.alpha * lambda(j * k + c) * w) / nf
                        });
                    }
                });
            for row in diff.chunks(k) {
                intercept.iter_mut().zip(row).for_each(|(g, d)| *g += d);
            }
            intercept.iter_mut().for_each(|g| *g /= nf);
        }
        (loss + reg) / nf
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
    let problem = Problem::new(x, y, k, &p, penalty);
    let settings = Lbfgs {
        memory: 10,
        max_iterations: p.max_iterations,
        tol_grad: 1e-9,
        tol_cost: p.tolerance,
    };
    let out = settings.minimize(|w, g| problem.eval(w, Some(g)), vec![0.0; (d + 1) * k]);
    let warning = out.stopped.map(|why| {
        format!(
            "optimiser stopped at iteration {} ({why}); kept the best parameters seen",
            out.iterations
        )
    });
    let (w, iterations, final_loss, converged) = (out.x, out.iterations, out.cost, out.converged);
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
    let unweighted = LogisticParams {
        class_weight: ClassWeight::None,
        ..p
    };
    let final_loss = Problem::new(x, y, k, &unweighted, None).eval(&w, None);
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
