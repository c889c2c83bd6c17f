//! Prints the actor mentions and statements the extractor finds in a dispatch file.
fn main() {
    let path = std::env::args().nth(1).expect("usage: mentions FILE");
    let d = stance::dispatch::parse_path(std::path::Path::new(&path)).unwrap();
    let g = stance::actor::Gazetteer::default_karabakh();
    println!(
        "date {:?} title {:?}",
        d.date.map(|d| d.to_string()),
        d.title_text()
    );
    for m in g.mentions(&d.body, d.date) {
        println!(
            "mention {:?} -> {} ({:?})",
            &d.body[m.span.clone()],
            g.actor(m.actor).id,
            m.kind
        );
    }
    for s in stance::statement::extract_statements(&d, &g) {
        println!("{:<22} {:?}", s.speaker_id(&g), s.text);
    }
}
