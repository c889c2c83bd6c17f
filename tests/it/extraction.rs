//! The statement extractor against the gold statements of the test split.

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::eval::score_extraction;
use stance::statement::Kind;

/// (kind, precision, recall, speaker accuracy) floors. Measured on the test split:
/// direct 0.877 / 0.801 / 0.860, indirect 0.924 / 0.457 / 0.982.
const FLOORS: &[(Kind, f64, f64, f64)] = &[
    (Kind::Direct, 0.83, 0.76, 0.82),
    (Kind::Indirect, 0.83, 0.42, 0.93),
];

#[test]
fn statements_and_speakers_on_the_test_split() {
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let g = Gazetteer::default_karabakh();
    for &(kind, p, r, a) in FLOORS {
        let s = score_extraction(&corpus, &g, Some(Split::Test), kind).unwrap();
        println!("{}: {s}", kind.as_str());
        assert!(
            s.precision() >= p && s.recall() >= r && s.speaker_accuracy() >= a,
            "{}: {s} under {p}/{r}/{a}",
            kind.as_str()
        );
    }
}
