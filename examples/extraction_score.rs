//! Scores the statement extractor against the gold corpus, direct and indirect apart.
//!
//!     cargo run --release --example extraction_score [training-data] [train|dev|test]
use stance::corpus::{Corpus, Split};

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "training-data".into());
    let split = std::env::args().nth(2).map(|s| match s.as_str() {
        "train" => Split::Train,
        "dev" => Split::Dev,
        "test" => Split::Test,
        other => panic!("unknown split {other:?}: expected train, dev or test"),
    });
    let corpus = Corpus::open(std::path::Path::new(&root)).unwrap();
    let g = stance::actor::Gazetteer::default_karabakh();
    for kind in [
        stance::statement::Kind::Direct,
        stance::statement::Kind::Indirect,
    ] {
        let s = stance::eval::score_extraction(&corpus, &g, split, kind).unwrap();
        println!("{}: {s}", kind.as_str());
    }
}
