//! Lists gold speaker mentions the gazetteer does not resolve to the gold speaker
//! (capitalised mentions only: pronouns and descriptions are the extractor's job).
//!
//!     cargo run --release --example gazetteer_gaps
use std::collections::BTreeMap;

fn main() {
    let corpus = stance::corpus::Corpus::open(std::path::Path::new("training-data")).unwrap();
    let g = stance::actor::Gazetteer::default_karabakh();
    let mut gaps: BTreeMap<(String, String), usize> = BTreeMap::new();
    for s in &corpus.statements {
        let m = s.mention.trim();
        if !m.starts_with(char::is_uppercase)
            || ["Il", "Elle", "Ils", "Elles", "Ce", "Cette"]
                .iter()
                .any(|p| m.starts_with(p))
        {
            continue;
        }
        let date = corpus.statements.iter().find(|_| true).and(None);
        let ok = g
            .mentions(m, date)
            .iter()
            .any(|x| g.actor(x.actor).id == s.speaker);
        if !ok {
            *gaps.entry((s.speaker.clone(), m.to_string())).or_default() += 1;
        }
    }
    for ((sp, m), n) in &gaps {
        println!("{sp}\t{m}\t{n}");
    }
    eprintln!("{} gaps", gaps.len());
}
