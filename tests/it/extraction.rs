//! The statement extractor against the gold statements of the test split, scored the
//! Gender Gap Tracker's way (`stance evaluate training-data --extraction`).

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::eval::extraction::{ExtractionReport, extract_split};

/// (kind, overlap threshold, F1 floor, speaker-accuracy floor). Measured on the test
/// split after the November 2026 gold audit (36 dispatches, 556 gold statements): all
/// 0.914 / 0.924 at 30 %, 0.899 / 0.931 at 80 %; direct 0.953 / 0.918; indirect 0.874 /
/// 0.931 at 30 %, 0.844 / 0.946 at 80 %. Before the audit (501 gold) the same rows were
/// 0.887 / 0.922, 0.873 / 0.928, 0.944 / 0.916, 0.816 / 0.929 and 0.785 / 0.944, under
/// floors 0.88 / 0.90, 0.86 / 0.91, 0.93 / 0.90, 0.80 / 0.92 and 0.77 / 0.93; every
/// floor is raised or kept. Issue 4 asks for speaker accuracy 0.90, which the first row
/// holds.
const FLOORS: &[(&str, f64, f64, f64)] = &[
    ("all", 0.3, 0.91, 0.92),
    ("all", 0.8, 0.89, 0.92),
    ("direct", 0.3, 0.95, 0.91),
    ("indirect", 0.3, 0.86, 0.92),
    ("indirect", 0.8, 0.83, 0.94),
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
