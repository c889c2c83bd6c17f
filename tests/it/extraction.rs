//! The statement extractor against the gold direct statements of the test split.

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::eval::score_extraction;

/// Measured on the test split: precision 0.877, recall 0.801, speaker accuracy 0.860.
const FLOORS: (f64, f64, f64) = (0.83, 0.76, 0.82);

#[test]
fn direct_statements_and_speakers_on_the_test_split() {
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let s = score_extraction(&corpus, &Gazetteer::default_karabakh(), Some(Split::Test)).unwrap();
    println!("{s}");
    assert!(
        s.precision() >= FLOORS.0 && s.recall() >= FLOORS.1 && s.speaker_accuracy() >= FLOORS.2,
        "{s} under {FLOORS:?}"
    );
}
