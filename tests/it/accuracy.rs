//! Accuracy: train on the training split, score on the held-out test split, print the
//! figures and assert floors the model clears (measured figures are in the README).

use stance::actor::Gazetteer;
use stance::classifier::{Classifier, Reading, Target, TrainingInfo};
use stance::corpus::{Corpus, LabelledSet, Split, read_csv};
use stance::eval::{Metrics, score};
use stance::features::TfidfParams;
use stance::label::Classes;
use stance::model::{LogisticParams, argmax};
use stance::tokenize::SubwordTokenizer;

/// Trains on `train` with the given settings and scores every head on `test`.
fn train_and_score(
    train: &LabelledSet,
    test: &LabelledSet,
    reading: Reading,
    (tfidf, logistic): (TfidfParams, LogisticParams),
) -> Vec<(String, Metrics)> {
    let targets: Vec<Target> = train
        .label_columns
        .iter()
        .zip(&train.labels)
        .map(|(name, labels)| {
            let classes = Classes::infer(labels.iter().map(String::as_str));
            let y = labels.iter().map(|l| classes.parse(l).unwrap()).collect();
            Target {
                name: name.clone(),
                classes,
                y,
            }
        })
        .collect();
    let g = Gazetteer::default_karabakh();
    let train_texts = train.read_texts(reading, &g);
    let texts: Vec<&str> = train_texts.iter().map(String::as_str).collect();
    let tok = SubwordTokenizer::embedded().unwrap();
    let model = Classifier::train(tok, &texts, targets, tfidf, logistic, &train.origin).unwrap();
    let test_texts = test.read_texts(reading, &g);
    let test_texts: Vec<&str> = test_texts.iter().map(String::as_str).collect();
    let probs = model.predict(&test_texts);
    model
        .heads
        .iter()
        .zip(&test.labels)
        .zip(probs)
        .map(|((h, gold), p)| {
            let gold: Vec<usize> = gold
                .iter()
                .map(|l| h.model.classes.parse(l).unwrap())
                .collect();
            let pred: Vec<usize> = p.iter().map(|r| argmax(r)).collect();
            (h.name.clone(), score(&h.model.classes, &gold, &pred))
        })
        .collect()
}

/// How the shipped model (`models/default.stance`, the output of `stance train
/// training-data --grid --cv 5`) reads statements, and its settings: the Karabakh test is
/// about the model users get, retrained here from the train split.
fn shipped() -> (Reading, (TfidfParams, LogisticParams)) {
    let info = Classifier::embedded().unwrap().training;
    (info.reading, (info.tfidf, info.logistic))
}

/// The shipped model is the grid's choice: trained on the corpus's train split with speaker
/// context, at the grid point with the best mean macro-F1 over its heads.
#[test]
fn shipped_model_is_the_grids_choice() {
    let TrainingInfo {
        tfidf,
        logistic,
        reading,
        grid,
        rows,
        ..
    } = Classifier::embedded().unwrap().training;
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    assert_eq!(
        rows,
        corpus.labelled(Some(Split::Train)).unwrap().texts.len()
    );
    assert!(reading.affiliation);
    let mean = |p: &stance::classifier::GridPoint| {
        p.macro_f1.iter().sum::<f64>() / p.macro_f1.len() as f64
    };
    // `--grid`'s rule: the best plain point, then NB scaling at that point only when it
    // adds `NB_MARGIN` (0.005) to the mean
    let plain = grid
        .iter()
        .filter(|p| p.nb == 0.0)
        .max_by(|a, b| mean(a).total_cmp(&mean(b)))
        .expect("the shipped model records its grid");
    let best = grid
        .iter()
        .filter(|p| p.nb > 0.0)
        .max_by(|a, b| mean(a).total_cmp(&mean(b)))
        .filter(|p| mean(p) >= mean(plain) + 0.005)
        .unwrap_or(plain);
    println!(
        "shipped model: grid of {} points, best mean macro-F1 {:.4}",
        grid.len(),
        mean(best)
    );
    assert_eq!(
        (
            best.alpha,
            best.min_df,
            best.word_ngrams,
            best.char_ngrams,
            best.nb
        ),
        (
            logistic.alpha,
            tfidf.min_df,
            tfidf.word_ngrams,
            tfidf.char_ngrams,
            logistic.nb
        )
    );
}

/// The settings the readings are compared at: the shipped model's before it read the
/// words around statements (`stance train training-data --grid --cv 5` of 24 November
/// 2026: alpha 0.1, min_df 1, words 1–2, characters 2–5), under which the floors of
/// the affiliation-only and words-only readings were set.
fn comparison_settings() -> (TfidfParams, LogisticParams) {
    let tfidf = TfidfParams {
        min_df: 1,
        word_ngrams: 2,
        char_ngrams: Some((2, 5)),
        ..TfidfParams::default()
    };
    let logistic = LogisticParams {
        alpha: 0.1,
        ..LogisticParams::default()
    };
    (tfidf, logistic)
}

/// What the Karabakh test scores: the shipped model (its settings and reading), then
/// three readings at [`comparison_settings`]: the shipped reading (the speaker's
/// affiliation and the words around the statement), the affiliation alone, the words
/// alone.
fn karabakh_runs() -> [(&'static str, Reading, (TfidfParams, LogisticParams)); 4] {
    let affiliation = Reading {
        affiliation: true,
        ..Reading::WORDS
    };
    let (reading, settings) = shipped();
    [
        ("shipped model", reading, settings),
        ("shipped reading", reading, comparison_settings()),
        ("affiliation only", affiliation, comparison_settings()),
        ("words only", Reading::WORDS, comparison_settings()),
    ]
}

/// (run, head, accuracy floor, macro-F1 floor) on the Karabakh test split
/// ([`karabakh_runs`]).
///
/// 24 November 2026, reading the words around statements (`--words-around 6,3`): the
/// shipped model (the grid's choice, alpha 0.2, min_df 1, characters 2–5, no word
/// n-grams) measured stance 0.809 / 0.807, sentiment 0.750 / 0.744; at the comparison
/// settings the shipped reading measured stance 0.822 / 0.821, sentiment 0.752 / 0.746
/// (the affiliation alone: 0.813 / 0.812 and 0.732 / 0.727, as below).
/// Before that, the same day: 35 dispatches (430 statements) were added to the train
/// split (`training-data/README.md`), the fit moved to the in-place L-BFGS, and the grid
/// chose characters 2–5. Measured: with the affiliation stance 0.813 / 0.812, sentiment
/// 0.732 / 0.727; words alone stance 0.691 / 0.685, sentiment 0.727 / 0.719. Before
/// (1,701 train rows, characters 3–5): 0.813 / 0.811, 0.691 / 0.686, 0.689 / 0.683,
/// 0.700 / 0.696. The sentiment and words-only stance floors were raised to just under
/// the new figures; the stance floor with the affiliation stayed.
const KARABAKH_FLOORS: &[(&str, &str, f64, f64)] = &[
    ("shipped model", "stance", 0.80, 0.80),
    ("shipped model", "sentiment", 0.74, 0.74),
    ("shipped reading", "stance", 0.82, 0.82),
    ("shipped reading", "sentiment", 0.75, 0.74),
    ("affiliation only", "stance", 0.81, 0.81),
    ("affiliation only", "sentiment", 0.73, 0.72),
    ("words only", "stance", 0.69, 0.68),
    ("words only", "sentiment", 0.72, 0.71),
];

#[test]
fn karabakh_test_split_accuracy() {
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let train = corpus.labelled(Some(Split::Train)).unwrap();
    let test = corpus.labelled(Some(Split::Test)).unwrap();
    for (how, reading, settings) in karabakh_runs() {
        for (name, m) in train_and_score(&train, &test, reading, settings) {
            println!(
                "karabakh test split, {name}, {how}: accuracy {:.4}, macro-F1 {:.4} (n = {})\n{m}",
                m.accuracy, m.macro_f1, m.n
            );
            let &(_, _, acc, f1) = KARABAKH_FLOORS
                .iter()
                .find(|f| f.0 == how && f.1 == name)
                .unwrap();
            assert!(
                m.accuracy >= acc && m.macro_f1 >= f1,
                "{name} ({how}): {:.4}/{:.4} under the floors {acc}/{f1}",
                m.accuracy,
                m.macro_f1
            );
        }
    }
}

#[test]
fn deft2017_val_accuracy() {
    let Some(shared) = crate::shared("deft2017_val_accuracy") else {
        return;
    };
    let dir = shared.join("data/sentiment-fr-deft2017");
    let (train, _) = read_csv(&dir.join("train.csv"), "text", &["label".into()], None).unwrap();
    let (val, _) = read_csv(&dir.join("val.csv"), "text", &["label".into()], None).unwrap();
    let defaults = (TfidfParams::default(), LogisticParams::default());
    let (_, m) = train_and_score(&train, &val, Reading::WORDS, defaults).remove(0);
    println!(
        "DEFT-2017 val: accuracy {:.4}, macro-F1 {:.4}\n{m}",
        m.accuracy, m.macro_f1
    );
    assert!(
        m.macro_f1 >= DEFT_MACRO_F1_FLOOR,
        "macro-F1 {:.4} under {DEFT_MACRO_F1_FLOOR}",
        m.macro_f1
    );
}

/// Measured: 0.647 macro-F1 on the 324 val tweets with the library's default settings
/// (0.650 with argmin's L-BFGS, which stopped at another point within the cost tolerance;
/// 0.663 with the settings before min_df 1 and alpha 0.1; scikit-learn's word + char_wb TF-IDF and logistic regression:
/// 0.626, `bench/run.sh models`).
const DEFT_MACRO_F1_FLOOR: f64 = 0.64;
