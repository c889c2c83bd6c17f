//! `stance train`: fit a model and save it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use stance::classifier::{Classifier, GridPoint, Target};
use stance::corpus::{LabelledSet, Split};
use stance::eval::calibration::{calibration, fit_temperature, with_temperature};
use stance::eval::{Metrics, group_folds, score};
use stance::features::TfidfParams;
use stance::label::Classes;
use stance::model::{ClassWeight, LogisticParams, Solver, argmax};
use stance::tokenize::SubwordTokenizer;

use super::DataArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Split of a corpus folder to train on.
    #[arg(long, value_enum, default_value = "train")]
    pub split: Split,
    /// Where to write the model.
    #[arg(short, long, default_value = "model.stance")]
    pub output: PathBuf,
    /// Subword tokenizer (JSON) [default: the shipped `models/tokenizer.json`].
    #[arg(long)]
    pub tokenizer: Option<PathBuf>,
    /// L2 regularisation weight (scikit-learn's 1/C). The defaults of this and the
    /// feature options won `--grid` (5-fold cross-validation) on the corpus's train split
    /// read by words and affiliation; the shipped model is `--grid`'s choice with the
    /// words around statements (README, *Feature choice*).
    #[arg(long, default_value_t = 0.1)]
    pub alpha: f64,
    #[arg(long, default_value_t = 300)]
    pub max_iterations: u64,
    #[arg(long, value_enum, default_value = "sparse-lbfgs")]
    pub solver: Solver,
    /// Per-class weights of the loss: `balanced` makes each class weigh the same in total;
    /// `auto` is `balanced` when the largest class has twice the rows of the smallest.
    #[arg(long, value_enum, default_value = "auto")]
    pub class_weight: ClassWeight,
    /// Longest subword n-gram (1–3; 0 for no subword n-grams).
    #[arg(long, default_value_t = 2)]
    pub ngram_max: usize,
    /// Minimum document frequency of a subword or word n-gram.
    #[arg(long, default_value_t = 1)]
    pub min_df: usize,
    /// Most n-grams kept per family (subword, word, character), the most frequent.
    #[arg(long, default_value_t = 100_000)]
    pub max_features: usize,
    /// Also word n-grams up to this length (words of two or more letters, lowercased);
    /// 0 for none.
    #[arg(long, default_value_t = 2)]
    pub word_ngrams: usize,
    /// Also character n-grams inside space-padded words, e.g. `2-5`; `none` for none.
    #[arg(long, value_parser = parse_range, default_value = "3-5")]
    pub char_ngrams: CharNgrams,
    /// Minimum document frequency of a character n-gram; `--grid` keeps it fixed. 2, not
    /// 1: at 1 the character vocabulary doubles and DEFT-2017 val macro-F1 falls under
    /// its tested floor (README, *Feature choice*).
    #[arg(long, default_value_t = 2)]
    pub char_min_df: usize,
    /// Raw term counts instead of `1 + ln(tf)`.
    #[arg(long)]
    pub raw_tf: bool,
    /// NB-SVM log-count-ratio scaling (Wang & Manning 2012), 0 (none) to 1: how much of
    /// each weight's L2 prior follows its feature's naive-Bayes log-count ratio for the
    /// class.
    #[arg(long, default_value_t = 0.0)]
    pub nb: f64,
    #[command(flatten)]
    pub reading: super::ReadingArgs,
    /// Choose alpha (0.1, 0.2, 0.3), min_df (1, 2), word n-grams (none, 1–2) and
    /// character n-grams (none, 2–5, 3–5) by k-fold cross-validation (k from --cv, else
    /// 5), the best mean macro-F1 over heads, then NB scaling (--nb 0.5, 1) at that
    /// point, kept only if it adds 0.005 (it takes two to four times the fit time); the
    /// grid and its scores are written into the model.
    #[arg(long)]
    pub grid: bool,
    /// Also report k-fold cross-validation (rows grouped by dispatch) and store it in the
    /// model; calibrate each head with the temperature that fits the held-out folds best.
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
}

/// A character n-gram range, or none.
#[derive(Debug, Clone, Copy)]
pub struct CharNgrams(Option<(usize, usize)>);

/// `2-5` → `Some((2, 5))`, `none` → `None`.
fn parse_range(s: &str) -> Result<CharNgrams, String> {
    if s == "none" {
        return Ok(CharNgrams(None));
    }
    let (lo, hi) = s
        .split_once('-')
        .ok_or_else(|| format!("{s:?}: expected MIN-MAX (e.g. 2-5) or none"))?;
    let n = |v: &str| v.trim().parse::<usize>().map_err(|e| format!("{s:?}: {e}"));
    Ok(CharNgrams(Some((n(lo)?, n(hi)?))))
}

/// The model-selection grid of `--grid`.
const GRID_ALPHAS: &[f64] = &[0.1, 0.2, 0.3];
const GRID_MIN_DF: &[usize] = &[1, 2];
const GRID_WORDS: &[usize] = &[0, 2];
const GRID_CHARS: &[Option<(usize, usize)>] = &[None, Some((2, 5)), Some((3, 5))];
/// NB scaling, tried at the best point of the grid above.
const GRID_NB: &[f64] = &[0.5, 1.0];
/// What NB scaling must add to the best mean macro-F1 to be kept: it costs two to four
/// times the fit time (a worse-conditioned fit), and gains below this are within the
/// folds' noise.
const NB_MARGIN: f64 = 0.005;

/// k-fold cross-validation grouped by dispatch: each head's metrics over the held-out
/// rows, and each row's held-out probabilities (`[head][row]`).
fn cross_validate(
    set: &LabelledSet,
    texts: &[&str],
    tokenizer: &SubwordTokenizer,
    tfidf: TfidfParams,
    logistic: LogisticParams,
    k: usize,
) -> anyhow::Result<(Vec<Metrics>, Vec<Vec<Vec<f32>>>)> {
    let all = targets(set)?;
    let folds = group_folds(&set.groups, k);
    let mut held_probs: Vec<Vec<Vec<f32>>> =
        all.iter().map(|t| vec![Vec::new(); t.y.len()]).collect();
    for (f, held) in folds.iter().enumerate() {
        let mut is_held = vec![false; texts.len()];
        held.iter().for_each(|&i| is_held[i] = true);
        let train_idx: Vec<usize> = (0..texts.len()).filter(|&i| !is_held[i]).collect();
        let sub_texts: Vec<&str> = train_idx.iter().map(|&i| texts[i]).collect();
        let sub_targets: Vec<Target> = all
            .iter()
            .map(|t| Target {
                name: t.name.clone(),
                classes: t.classes.clone(),
                y: train_idx.iter().map(|&i| t.y[i]).collect(),
            })
            .collect();
        let m = Classifier::train(
            tokenizer.clone(),
            &sub_texts,
            sub_targets,
            tfidf,
            logistic,
            &set.origin,
        )?;
        let held_texts: Vec<&str> = held.iter().map(|&i| texts[i]).collect();
        for (h, probs) in m.predict(&held_texts).into_iter().enumerate() {
            for (&i, p) in held.iter().zip(probs) {
                held_probs[h][i] = p;
            }
        }
        eprintln!("  fold {}/{k} done", f + 1);
    }
    let metrics = all
        .iter()
        .zip(&held_probs)
        .map(|(t, probs)| {
            let pred: Vec<usize> = probs.iter().map(|p| argmax(p)).collect();
            score(&t.classes, &t.y, &pred)
        })
        .collect();
    Ok((metrics, held_probs))
}

fn targets(set: &LabelledSet) -> anyhow::Result<Vec<Target>> {
    set.label_columns
        .iter()
        .zip(&set.labels)
        .map(|(name, labels)| {
            let classes = Classes::infer(labels.iter().map(String::as_str));
            let y = labels
                .iter()
                .zip(&set.lines)
                .map(|(l, line)| {
                    classes
                        .parse(l)
                        .with_context(|| format!("{}:{line}", set.origin))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(Target {
                name: name.clone(),
                classes,
                y,
            })
        })
        .collect()
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let set = a.data.read(a.split)?;
    anyhow::ensure!(!set.texts.is_empty(), "{}: no labelled rows", set.origin);
    let tokenizer = match &a.tokenizer {
        Some(p) => SubwordTokenizer::from_path(p)?,
        None => SubwordTokenizer::embedded().context("the shipped tokenizer")?,
    };
    let tfidf = TfidfParams {
        ngram_max: a.ngram_max,
        min_df: a.min_df,
        max_features: a.max_features,
        sublinear_tf: !a.raw_tf,
        word_ngrams: a.word_ngrams,
        char_ngrams: a.char_ngrams.0,
        char_min_df: Some(a.char_min_df),
    }
    .check()?;
    let logistic = LogisticParams {
        alpha: a.alpha,
        max_iterations: a.max_iterations,
        solver: a.solver,
        class_weight: a.class_weight,
        nb: a.nb,
        ..Default::default()
    };
    logistic.check()?;
    let reading = a.reading.reading(a.data.input.is_dir());
    let in_context =
        super::texts_in_context(&set, reading, &stance::actor::Gazetteer::default_karabakh());
    let texts: Vec<&str> = in_context.iter().map(String::as_str).collect();
    eprintln!(
        "training on {} rows of {} ({} head(s): {})",
        texts.len(),
        set.origin,
        set.label_columns.len(),
        set.label_columns.join(", ")
    );

    let mut cv_metrics: Vec<Option<Metrics>> = vec![None; set.label_columns.len()];
    let mut temperatures: Vec<f64> = vec![1.0; set.label_columns.len()];
    let (mut tfidf, mut logistic) = (tfidf, logistic);
    let mut grid_report = Vec::new();
    if a.grid {
        let k = a.cv.unwrap_or(5);
        let t0 = Instant::now();
        let mut best: Option<(f64, TfidfParams, LogisticParams)> = None;
        println!("model selection, {k}-fold cross-validation (mean macro-F1 over heads):");
        let points = GRID_ALPHAS.iter().flat_map(|&alpha| {
            GRID_MIN_DF.iter().flat_map(move |&min_df| {
                GRID_WORDS.iter().flat_map(move |&word_ngrams| {
                    GRID_CHARS
                        .iter()
                        .map(move |&char_ngrams| (alpha, min_df, word_ngrams, char_ngrams))
                })
            })
        });
        let mut try_point = |tf: TfidfParams, lp: LogisticParams| -> anyhow::Result<f64> {
            let (metrics, _) = cross_validate(&set, &texts, &tokenizer, tf, lp, k)?;
            let f1: Vec<f64> = metrics.iter().map(|m| m.macro_f1).collect();
            let mean = f1.iter().sum::<f64>() / f1.len() as f64;
            println!(
                "  alpha {:<5} min_df {} words {} chars {:<5} nb {:<4} {}  mean {mean:.4}",
                lp.alpha,
                tf.min_df,
                tf.word_ngrams,
                tf.char_ngrams
                    .map_or("none".into(), |(l, h)| format!("{l}-{h}")),
                lp.nb,
                f1.iter()
                    .map(|f| format!("{f:.4}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            grid_report.push(GridPoint {
                alpha: lp.alpha,
                min_df: tf.min_df,
                word_ngrams: tf.word_ngrams,
                char_ngrams: tf.char_ngrams,
                nb: lp.nb,
                macro_f1: f1,
            });
            Ok(mean)
        };
        for (alpha, min_df, word_ngrams, char_ngrams) in points {
            let tf = TfidfParams {
                min_df,
                word_ngrams,
                char_ngrams,
                ..tfidf
            };
            let lp = LogisticParams {
                alpha,
                nb: 0.0,
                ..logistic
            };
            let mean = try_point(tf, lp)?;
            if best.as_ref().is_none_or(|b| mean > b.0) {
                best = Some((mean, tf, lp));
            }
        }
        // then NB scaling at the best point, kept only by a clear margin
        let (plain, tf, lp) = best.expect("a non-empty grid");
        for &nb in GRID_NB {
            let lp = LogisticParams { nb, ..lp };
            let mean = try_point(tf, lp)?;
            if mean >= plain + NB_MARGIN && best.as_ref().is_none_or(|b| mean > b.0) {
                best = Some((mean, tf, lp));
            }
        }
        let (mean, tf, lp) = best.expect("a non-empty grid");
        println!(
            "selected: alpha {}, min_df {}, words {}, chars {:?}, nb {} (mean macro-F1 {mean:.4}); {:.1} s",
            lp.alpha,
            tf.min_df,
            tf.word_ngrams,
            tf.char_ngrams,
            lp.nb,
            t0.elapsed().as_secs_f64()
        );
        (tfidf, logistic) = (tf, lp);
    }
    if let Some(k) = a.cv {
        anyhow::ensure!(k >= 2, "--cv needs at least 2 folds");
        let t0 = Instant::now();
        let all = targets(&set)?;
        let (metrics, held_probs) = cross_validate(&set, &texts, &tokenizer, tfidf, logistic, k)?;
        for (h, (t, m)) in all.iter().zip(metrics).enumerate() {
            println!("{}-fold cross-validation, head {:?}:\n{m}", k, t.name);
            cv_metrics[h] = Some(m);
            // calibration: the temperature that fits the held-out probabilities best
            let before = calibration(&held_probs[h], &t.y, 10);
            let temp = fit_temperature(&held_probs[h], &t.y);
            let scaled: Vec<Vec<f32>> = held_probs[h]
                .iter()
                .map(|p| with_temperature(p, temp))
                .collect();
            let after = calibration(&scaled, &t.y, 10);
            // kept only when it lowers the held-out calibration error
            let keep = after.ece < before.ece;
            println!(
                "calibration of head {:?} on the held-out folds: temperature {temp:.3} {}; \
                 before\n{before}after\n{after}",
                t.name,
                if keep { "kept" } else { "not kept (no better)" }
            );
            if keep {
                temperatures[h] = temp;
            }
        }
        eprintln!("cross-validation took {:.1} s", t0.elapsed().as_secs_f64());
    }

    let t0 = Instant::now();
    let all_targets = targets(&set)?;
    let spinner =
        indicatif::ProgressBar::new_spinner().with_message(format!("fitting {} rows", texts.len()));
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let model = Classifier::train(tokenizer, &texts, all_targets, tfidf, logistic, &set.origin);
    spinner.finish_and_clear();
    let mut model = model?;
    model.training.reading = reading;
    model.training.grid = grid_report;
    for ((h, m), t) in model.heads.iter_mut().zip(cv_metrics).zip(temperatures) {
        h.metrics = m;
        h.model.temperature = t;
        if let Some(w) = &h.fit.warning {
            eprintln!("warning: head {:?}: {w}", h.name);
        }
    }
    model
        .save(&a.output)
        .with_context(|| format!("saving {}", a.output.display()))?;
    println!(
        "trained {} head(s) on {} rows, {} features, in {:.2} s; wrote {}",
        model.heads.len(),
        texts.len(),
        model.tfidf.n_features(),
        t0.elapsed().as_secs_f64(),
        a.output.display()
    );
    for h in &model.heads {
        println!(
            "  {}: {} classes, {} iterations, mean loss {:.4}{}",
            h.name,
            h.model.n_classes(),
            h.fit.iterations,
            h.fit.final_loss,
            if h.fit.converged { ", converged" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
