//! Fit time of the sparse L-BFGS solver against linfa-logistic's dense fit on
//! TF-IDF-shaped synthetic data (4 classes, ~20 non-zeros a row).
//!
//!     cargo run --release --example fit_speed -- 10000 20000 [linfa]
use std::time::Instant;

use stance::features::SparseMatrix;
use stance::label::Classes;
use stance::model::{LogisticParams, Solver, fit};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let d: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let with_linfa = args.iter().any(|a| a == "linfa");
    // a deterministic generator: each class prefers its own quarter of the columns
    let mut state = 0x9e3779b97f4a7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut x = SparseMatrix {
        indptr: vec![0],
        ncols: d,
        ..Default::default()
    };
    let mut y = Vec::new();
    for i in 0..n {
        let c = i % 4;
        let mut cols: Vec<u32> = (0..20)
            .map(|k| {
                let r = next() as usize;
                if k < 6 {
                    (c * d / 4 + r % (d / 4)) as u32
                } else {
                    (r % d) as u32
                }
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let v = 1.0 / (cols.len() as f32).sqrt();
        x.values.extend(std::iter::repeat_n(v, cols.len()));
        x.indices.extend(cols);
        x.indptr.push(x.indices.len());
        y.push(c);
    }
    let classes = Classes::from_names((0..4).map(|c| format!("c{c}")).collect());
    let mut solvers = vec![Solver::SparseLbfgs];
    if with_linfa {
        solvers.push(Solver::Linfa);
    }
    for solver in solvers {
        let p = LogisticParams {
            alpha: 1.0,
            max_iterations: 100,
            solver,
            ..Default::default()
        };
        let t = Instant::now();
        let (_, r) = fit(&x, &y, classes.clone(), p.check().unwrap()).unwrap();
        println!(
            "{n} x {d}, {solver:?}: {:.2} s, {} iterations, mean loss {:.5}",
            t.elapsed().as_secs_f64(),
            r.iterations,
            r.final_loss
        );
    }
}
