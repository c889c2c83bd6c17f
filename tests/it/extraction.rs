//! The statement extractor against the gold statements of the test split, scored the
//! Gender Gap Tracker's way (`stance evaluate training-data --extraction`).

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::eval::extraction::{ExtractionReport, extract_split};

/// (kind, overlap threshold, F1 floor, speaker-accuracy floor).
const FLOORS: &[(&str, f64, f64, f64)] = &[
    ("all", 0.3, 0.70, 0.88),
    ("all", 0.8, 0.69, 0.88),
    ("direct", 0.3, 0.80, 0.83),
    ("indirect", 0.3, 0.55, 0.95),
];

#[test]
fn statements_and_speakers_on_the_test_split() {
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let g = Gazetteer::default_karabakh();
    let (dispatches, elapsed) = extract_split(&corpus, &g, Some(Split::Test)).unwrap();
    let report = ExtractionReport::new(&dispatches, elapsed);
    println!("{report}");
    for &(kind, t, f1, speaker) in FLOORS {
        let s = report.get(kind, t).unwrap();
        assert!(
            s.f1 >= f1 && s.speaker_accuracy >= speaker,
            "{s} under F1 {f1} / speaker {speaker}"
        );
    }
}
