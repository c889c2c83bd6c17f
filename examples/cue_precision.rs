//! Measures, on a corpus split, the share of extracted statements found by each cue
//! that match a gold statement (30 % overlap) with the right speaker: the figures
//! `stance::statement::Cue::confidence` ships.
//!
//!     cargo run --release --example cue_precision [training-data] [train|dev|test]
use std::collections::BTreeMap;

use stance::corpus::{Corpus, Split};
use stance::eval::extraction::{Span, THRESHOLDS, extract_split, match_spans};

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "training-data".into());
    let split = match std::env::args().nth(2).as_deref().unwrap_or("train") {
        "train" => Split::Train,
        "dev" => Split::Dev,
        "test" => Split::Test,
        other => panic!("unknown split {other:?}: expected train, dev or test"),
    };
    let corpus = Corpus::open(std::path::Path::new(&root)).unwrap();
    let g = stance::actor::Gazetteer::default_karabakh();
    let (dispatches, _) = extract_split(&corpus, &g, Some(split)).unwrap();
    // (kind, cue) -> (right, total)
    let mut tally: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for d in &dispatches {
        let gold: Vec<&Span> = d.gold.iter().collect();
        let pred: Vec<&Span> = d.predicted.iter().collect();
        let m = match_spans(&gold, &pred, THRESHOLDS[0]);
        for (j, p) in pred.iter().enumerate() {
            let right = gold
                .iter()
                .zip(&m)
                .any(|(g, k)| *k == Some(j) && g.speaker == p.speaker);
            let e = tally.entry((p.kind, p.cue)).or_default();
            e.0 += right as usize;
            e.1 += 1;
        }
    }
    println!("kind\tcue\tright\ttotal\tshare");
    for ((kind, cue), (right, total)) in tally {
        println!(
            "{kind}\t{cue}\t{right}\t{total}\t{:.2}",
            right as f64 / total as f64
        );
    }
}
