//! The statement extractor against the gold statements of the test split, scored the
//! Gender Gap Tracker's way (`stance evaluate training-data --extraction`).

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::eval::extraction::{ExtractionReport, extract_split};

/// (kind, overlap threshold, F1 floor, speaker-accuracy floor). Measured on the test
/// split (36 dispatches, 556 gold statements) at the third audited stop: all 0.922 /
/// 0.928 at 30 %, 0.907 / 0.935 at 80 %; direct 0.963 / 0.920; indirect 0.881 / 0.936 at
/// 30 %, 0.851 / 0.952 at 80 %. At the stop before (same gold) they were 0.914 / 0.924,
/// 0.899 / 0.931, 0.953 / 0.918, 0.874 / 0.931 and 0.844 / 0.946, under floors 0.91 /
/// 0.92, 0.89 / 0.92, 0.95 / 0.91, 0.86 / 0.92 and 0.83 / 0.94; every floor is raised or
/// kept. Issue 4 asks for quote F1 0.92 and speaker accuracy 0.90, which the first row
/// holds.
const FLOORS: &[(&str, f64, f64, f64)] = &[
    ("all", 0.3, 0.92, 0.92),
    ("all", 0.8, 0.90, 0.93),
    ("direct", 0.3, 0.96, 0.91),
    ("indirect", 0.3, 0.87, 0.93),
    ("indirect", 0.8, 0.84, 0.95),
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
