//! L-BFGS with a strong-Wolfe line search, on flat `f64` slices, every buffer allocated
//! once.
//!
//! The sparse logistic fit used argmin's L-BFGS, whose vector algebra returns a new array
//! for every operation: on the project's stance split (152,000 parameters) that
//! allocation, page zeroing and copying took more than half of `stance train`'s time
//! (`perf record`, bench/RESULTS.md). This is the same method (Nocedal & Wright,
//! *Numerical Optimization*, algorithms 7.4, 3.5 and 3.6) with its history kept in place
//! and the curvature products `1 / yᵀs` computed once per pair, with argmin's stopping
//! rules: the gradient's L2 norm under `tol_grad`, or a cost change under `tol_cost`.

/// Settings of a minimisation.
#[derive(Debug, Clone, Copy)]
pub struct Lbfgs {
    /// Correction pairs kept (argmin's and scipy's `m`).
    pub memory: usize,
    pub max_iterations: u64,
    /// Stop when the gradient's L2 norm falls under this.
    pub tol_grad: f64,
    /// Stop when an iteration changes the cost by less than this.
    pub tol_cost: f64,
}

/// How a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The best point: the line search only accepts decreasing steps, so it is the last.
    pub x: Vec<f64>,
    pub cost: f64,
    pub iterations: u64,
    /// A stopping rule was met before `max_iterations`.
    pub converged: bool,
    /// Why the minimisation stopped early without converging, if it did.
    pub stopped: Option<String>,
}

/// Sufficient decrease and curvature constants of the strong Wolfe conditions.
const C1: f64 = 1e-4;
const C2: f64 = 0.9;
/// Function evaluations allowed per line search.
const MAX_LINE_EVALUATIONS: usize = 40;

/// The dot product, summed in eight lanes (which the compiler turns into vector
/// instructions; one running sum cannot be reordered) and then across them.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(a, b)| a * b)
        .sum();
    let mut lanes = [0.0f64; 8];
    for (a, b) in a8.zip(b8) {
        for l in 0..8 {
            lanes[l] += a[l] * b[l];
        }
    }
    lanes.iter().sum::<f64>() + tail
}

/// `x + step · d` into `out`.
fn step_into(out: &mut [f64], x: &[f64], d: &[f64], step: f64) {
    out.iter_mut()
        .zip(x.iter().zip(d))
        .for_each(|(o, (x, d))| *o = x + step * d);
}

/// A point tried by the line search: its step, cost and directional derivative.
#[derive(Clone, Copy)]
struct Trial {
    step: f64,
    cost: f64,
    slope: f64,
}

/// The minimiser of the cubic through two trials (their costs and slopes), kept inside
/// the middle 80 % of the interval; bisection when the cubic has no minimiser there.
fn cubic_step(a: Trial, b: Trial) -> f64 {
    let (lo, hi) = (a.step.min(b.step), a.step.max(b.step));
    let d1 = a.slope + b.slope - 3.0 * (a.cost - b.cost) / (a.step - b.step);
    let root = d1 * d1 - a.slope * b.slope;
    let guess = if root >= 0.0 {
        let d2 = (b.step - a.step).signum() * root.sqrt();
        b.step - (b.step - a.step) * (b.slope + d2 - d1) / (b.slope - a.slope + 2.0 * d2)
    } else {
        f64::NAN
    };
    let margin = 0.1 * (hi - lo);
    if guess.is_finite() && guess >= lo + margin && guess <= hi - margin {
        guess
    } else {
        0.5 * (lo + hi)
    }
}

impl Lbfgs {
    /// Minimise `f` from `x0`. `f(x, grad)` returns the cost at `x` and writes its
    /// gradient into `grad`. Never panics on a bad problem: a non-finite cost or a line
    /// search that finds no decrease stops the run, keeping the best point (`stopped`).
    pub fn minimize(&self, mut f: impl FnMut(&[f64], &mut [f64]) -> f64, x0: Vec<f64>) -> Outcome {
        let n = x0.len();
        let m = self.memory.max(1);
        let mut x = x0;
        let mut g = vec![0.0; n];
        let mut cost = f(&x, &mut g);
        let (mut x_new, mut g_new, mut d) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        // one zeroed allocation per vector (`vec![vec; m]` would clone, writing every page)
        let history = || (0..m).map(|_| vec![0.0; n]).collect::<Vec<_>>();
        let (mut s, mut y) = (history(), history());
        let (mut rho, mut alpha) = (vec![0.0; m], vec![0.0; m]);
        // pairs stored, and the slot of the oldest one
        let (mut stored, mut oldest) = (0usize, 0usize);
        let mut gamma = 1.0;
        let mut iterations = 0;
        let ended = |x: Vec<f64>, cost, iterations, converged, stopped| Outcome {
            x,
            cost,
            iterations,
            converged,
            stopped,
        };
        if !cost.is_finite() {
            return ended(
                x,
                cost,
                0,
                false,
                Some("the cost at the start is not finite".into()),
            );
        }
        while iterations < self.max_iterations {
            if dot(&g, &g).sqrt() < self.tol_grad {
                return ended(x, cost, iterations, true, None);
            }
            // two-loop recursion: d = −H g
            d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g);
            for back in 0..stored {
                let slot = (oldest + stored - 1 - back) % m;
                alpha[slot] = rho[slot] * dot(&s[slot], &d);
                let a = alpha[slot];
                d.iter_mut().zip(&y[slot]).for_each(|(d, y)| *d -= a * y);
            }
            d.iter_mut().for_each(|d| *d *= gamma);
            for forward in 0..stored {
                let slot = (oldest + forward) % m;
                let beta = rho[slot] * dot(&y[slot], &d);
                let a = alpha[slot] - beta;
                d.iter_mut().zip(&s[slot]).for_each(|(d, s)| *d += a * s);
            }
            let mut slope0 = dot(&g, &d);
            if slope0.is_nan() || slope0 >= 0.0 {
                // not a descent direction: forget the history, go down the gradient
                stored = 0;
                gamma = 1.0;
                d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g);
                slope0 = -dot(&g, &g);
            }
            let first = if stored == 0 {
                (1.0 / dot(&d, &d).sqrt()).min(1.0)
            } else {
                1.0
            };
            let Some(found) =
                self.line_search(&mut f, &x, cost, slope0, &d, first, &mut x_new, &mut g_new)
            else {
                return ended(
                    x,
                    cost,
                    iterations,
                    false,
                    Some(format!(
                        "line search found no decrease at iteration {iterations}"
                    )),
                );
            };
            iterations += 1;
            // the new correction pair, in the oldest pair's slot once the memory is full
            let slot = (oldest + stored) % m;
            s[slot]
                .iter_mut()
                .zip(x_new.iter().zip(&x))
                .for_each(|(s, (a, b))| *s = a - b);
            y[slot]
                .iter_mut()
                .zip(g_new.iter().zip(&g))
                .for_each(|(y, (a, b))| *y = a - b);
            let ys = dot(&y[slot], &s[slot]);
            let yy = dot(&y[slot], &y[slot]);
            let curved = ys > f64::EPSILON * yy && yy > 0.0;
            if curved {
                rho[slot] = 1.0 / ys;
                gamma = ys / yy;
            }
            match (curved, stored == m) {
                (true, false) => stored += 1,
                (true, true) => oldest = (oldest + 1) % m,
                // no curvature along the step: the pair is not kept (and when the
                // memory was full, it overwrote the oldest, which is dropped too)
                (false, false) => {}
                (false, true) => {
                    oldest = (oldest + 1) % m;
                    stored -= 1;
                }
            }
            std::mem::swap(&mut x, &mut x_new);
            std::mem::swap(&mut g, &mut g_new);
            let previous = std::mem::replace(&mut cost, found);
            if (previous - cost).abs() < self.tol_cost {
                return ended(x, cost, iterations, true, None);
            }
        }
        ended(x, cost, iterations, false, None)
    }

    /// A step along `d` meeting the strong Wolfe conditions: the point, its gradient and
    /// its cost are left in `x_new`, `g_new` and the returned value. `None` when no step
    /// lowers the cost within [`MAX_LINE_EVALUATIONS`] evaluations.
    #[allow(clippy::too_many_arguments)]
    fn line_search(
        &self,
        f: &mut impl FnMut(&[f64], &mut [f64]) -> f64,
        x: &[f64],
        cost0: f64,
        slope0: f64,
        d: &[f64],
        first: f64,
        x_new: &mut [f64],
        g_new: &mut [f64],
    ) -> Option<f64> {
        let mut at = |step: f64, x_new: &mut [f64], g_new: &mut [f64]| {
            step_into(x_new, x, d, step);
            let cost = f(x_new, g_new);
            Trial {
                step,
                cost,
                slope: dot(g_new, d),
            }
        };
        let armijo = |t: &Trial| t.cost <= cost0 + C1 * t.step * slope0;
        let curvature = |t: &Trial| t.slope.abs() <= -C2 * slope0;
        let mut previous = Trial {
            step: 0.0,
            cost: cost0,
            slope: slope0,
        };
        let mut step = first;
        let mut evaluations = 0;
        // bracketing: grow the step until it passes a minimum along d
        let (mut lo, mut hi) = loop {
            let t = at(step, x_new, g_new);
            evaluations += 1;
            if !t.cost.is_finite() {
                // overshot into overflow: shrink toward the last good step
                if evaluations >= MAX_LINE_EVALUATIONS {
                    return None;
                }
                step = 0.5 * (previous.step + step);
                continue;
            }
            if !armijo(&t) || (evaluations > 1 && t.cost >= previous.cost) {
                break (previous, t);
            }
            if curvature(&t) {
                return Some(t.cost);
            }
            if t.slope >= 0.0 {
                break (t, previous);
            }
            if evaluations >= MAX_LINE_EVALUATIONS {
                // still going down at the largest step tried: take it
                return Some(t.cost);
            }
            previous = t;
            step *= 2.0;
        };
        // zoom: shrink [lo, hi] around a point meeting both conditions; `lo` is a tried
        // point (step > 0, sufficient decrease) or still the start (step 0)
        while evaluations < MAX_LINE_EVALUATIONS {
            let t = at(cubic_step(lo, hi), x_new, g_new);
            evaluations += 1;
            if !t.cost.is_finite() || !armijo(&t) || t.cost >= lo.cost {
                hi = t;
            } else {
                if curvature(&t) {
                    return Some(t.cost);
                }
                if t.slope * (hi.step - lo.step) >= 0.0 {
                    hi = lo;
                }
                lo = t;
            }
            if (hi.step - lo.step).abs() <= f64::EPSILON * lo.step.abs().max(1.0) {
                break;
            }
        }
        // no Wolfe point in the budget: settle for the lowest decreasing step seen
        if lo.step > 0.0 && lo.cost < cost0 {
            let t = at(lo.step, x_new, g_new);
            return Some(t.cost);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extended Rosenbrock function, its minimum 0 at (1, …, 1).
    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let mut fx = 0.0;
        for i in (0..x.len()).step_by(2) {
            let t1 = 1.0 - x[i];
            let t2 = 10.0 * (x[i + 1] - x[i] * x[i]);
            g[i + 1] = 20.0 * t2;
            g[i] = -2.0 * (x[i] * g[i + 1] + t1);
            fx += t1 * t1 + t2 * t2;
        }
        fx
    }

    fn settings() -> Lbfgs {
        Lbfgs {
            memory: 10,
            max_iterations: 500,
            tol_grad: 1e-9,
            tol_cost: 0.0,
        }
    }

    #[test]
    fn minimizes_rosenbrock_and_a_quadratic() {
        let start: Vec<f64> = (0..20)
            .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
            .collect();
        let out = settings().minimize(rosenbrock, start);
        assert!(out.converged, "{out:?}");
        assert!(out.cost < 1e-12, "{}", out.cost);
        assert!(out.x.iter().all(|v| (v - 1.0).abs() < 1e-5));

        // an ill-conditioned quadratic: sum of i · (x_i − i)²
        let quadratic = |x: &[f64], g: &mut [f64]| {
            let mut fx = 0.0;
            for (i, (x, g)) in x.iter().zip(g.iter_mut()).enumerate() {
                let (w, t) = ((i + 1) as f64, i as f64);
                fx += w * (x - t) * (x - t);
                *g = 2.0 * w * (x - t);
            }
            fx
        };
        let out = settings().minimize(quadratic, vec![0.0; 50]);
        assert!(out.converged);
        assert!(
            out.x
                .iter()
                .enumerate()
                .all(|(i, v)| (v - i as f64).abs() < 1e-6)
        );
    }

    #[test]
    fn stops_without_panicking_on_bad_problems() {
        // not finite at the start
        let out = settings().minimize(|_, _| f64::NAN, vec![0.0; 3]);
        assert!(!out.converged && out.stopped.is_some());
        // unbounded below: runs to its limit, or stops, but returns a finite point
        let out = settings().minimize(
            |x: &[f64], g: &mut [f64]| {
                g[0] = -1.0;
                -x[0]
            },
            vec![0.0],
        );
        assert!(!out.converged);
        assert!(out.x[0].is_finite());
        // a gradient that lies: no decrease along it
        let out = settings().minimize(
            |x: &[f64], g: &mut [f64]| {
                g[0] = -1.0;
                x[0] * x[0]
            },
            vec![0.0],
        );
        assert!(!out.converged);
        assert_eq!(out.x, vec![0.0]);
    }
}
