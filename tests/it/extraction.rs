//! The statement extractor against the gold statements of the test split, scored the
//! Gender Gap Tracker's way (`stance evaluate training-data --extraction`).

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::eval::extraction::{ExtractionReport, extract_split};

/// (kind, overlap threshold, F1 floor, speaker-accuracy floor). Measured on the test
/// split (36 dispatches, 501 gold statements): all 0.871 / 0.886 at 30 %, 0.857 / 0.892
/// at 80 %; direct 0.923 / 0.876; indirect 0.792 / 0.904 at 30 %, 0.761 / 0.918 at 80 %.
const FLOORS: &[(&str, f64, f64, f64)] = &[
    ("all", 0.3, 0.85, 0.87),
    ("all", 0.8, 0.84, 0.87),
    ("direct", 0.3, 0.90, 0.86),
    ("indirect", 0.3, 0.77, 0.89),
    ("indirect", 0.8, 0.74, 0.90),
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
