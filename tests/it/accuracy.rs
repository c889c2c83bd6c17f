//! Accuracy: train on the training split, score on the held-out test split, print the
//! figures and assert floors the model clears (measured figures are in the README).

use stance::actor::Gazetteer;
use stance::classifier::{Classifier, Target, with_affiliation};
use stance::corpus::{Corpus, LabelledSet, Split, read_csv};
use stance::eval::{Metrics, score};
use stance::features::TfidfParams;
use stance::label::Classes;
use stance::model::{LogisticParams, argmax};
use stance::tokenize::SubwordTokenizer;

/// The texts of a set, with each speaker's affiliation in front when `context` (as
/// `stance train` does on a corpus folder).
fn read_as(set: &LabelledSet, context: bool) -> Vec<String> {
    if !context {
        return set.texts.clone();
    }
    let g = Gazetteer::default_karabakh();
    set.texts
        .iter()
        .zip(&set.speakers)
        .map(|(t, s)| with_affiliation(t, g.find(s).map(|a| g.actor(a).affiliation.as_str())))
        .collect()
}

/// Trains on `train` with the default settings and scores every head on `test`.
fn train_and_score(
    train: &LabelledSet,
    test: &LabelledSet,
    context: bool,
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
    let train_texts = read_as(train, context);
    let texts: Vec<&str> = train_texts.iter().map(String::as_str).collect();
    let tok = SubwordTokenizer::embedded().unwrap();
    let model = Classifier::train(
        tok,
        &texts,
        targets,
        TfidfParams::default(),
        LogisticParams::default(),
        &train.origin,
    )
    .unwrap();
    let test_texts = read_as(test, context);
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

/// (speaker context, head, accuracy floor, macro-F1 floor) on the Karabakh test split,
/// for the default model (speaker context) and words alone (subword 1–2 + word 1–2 at
/// min_df 1, character 3–5 n-grams at min_df 2, alpha 0.1, the grid's choice both before
/// and after the audit).
///
/// The November 2026 gold audit (`training-data/README.md`) added 275 statements, many
/// of them headlines and noun objects, to every split: the test split went from 501 to
/// 556 statements and the train split from 1,524 to 1,701. Measured after it: with
/// speaker context stance 0.813 / 0.811, sentiment 0.691 / 0.686; words alone stance
/// 0.689 / 0.683, sentiment 0.700 / 0.696. Before it (old rows): 0.810 / 0.808, 0.711 /
/// 0.702, 0.665 / 0.660, 0.705 / 0.700. Both stance floors are raised. The sentiment
/// floors are lowered to just under the new figures, and this is a loss, not only a new
/// test set: on the old 501 test rows the model trained on the audited train split
/// scores stance 0.807 and sentiment 0.693 macro-F1 (words alone 0.675 / 0.697), so the
/// added training rows cost sentiment about 0.01 there.
const KARABAKH_FLOORS: &[(bool, &str, f64, f64)] = &[
    (true, "stance", 0.81, 0.81),
    (true, "sentiment", 0.69, 0.68),
    (false, "stance", 0.68, 0.68),
    (false, "sentiment", 0.69, 0.69),
];

#[test]
fn karabakh_test_split_accuracy() {
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let train = corpus.labelled(Some(Split::Train)).unwrap();
    let test = corpus.labelled(Some(Split::Test)).unwrap();
    for context in [true, false] {
        let how = if context {
            "with speaker context"
        } else {
            "words only"
        };
        for (name, m) in train_and_score(&train, &test, context) {
            println!(
                "karabakh test split, {name}, {how}: accuracy {:.4}, macro-F1 {:.4} (n = {})\n{m}",
                m.accuracy, m.macro_f1, m.n
            );
            let &(_, _, acc, f1) = KARABAKH_FLOORS
                .iter()
                .find(|f| f.0 == context && f.1 == name)
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
    let (_, m) = train_and_score(&train, &val, false).remove(0);
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

/// Measured: 0.650 macro-F1 on the 324 val tweets (0.663 with the settings before
/// min_df 1 and alpha 0.1; scikit-learn's word + char_wb TF-IDF and logistic regression:
/// 0.626, `bench/run.sh models`).
const DEFT_MACRO_F1_FLOOR: f64 = 0.64;
