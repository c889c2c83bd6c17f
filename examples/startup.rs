//! Where start-up time goes, each part timed alone on one thread (issue 7's start-up +
//! one dispatch): decoding the embedded model, building the gazetteer, compiling the
//! extraction patterns, then one dispatch through the pipeline.
//!
//!     cargo run --release --example startup [DISPATCH]
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "training-data/dispatches/kb-a-01.txt".into());
    let t = Instant::now();
    let model = stance::classifier::Classifier::embedded().expect("embedded model");
    println!("model decode      {:7.1} ms", ms(t));
    let t = Instant::now();
    let g = stance::actor::Gazetteer::default_karabakh();
    println!("gazetteer build   {:7.1} ms", ms(t));
    let t = Instant::now();
    stance::statement::warm_up();
    println!("pattern compile   {:7.1} ms", ms(t));
    let t = Instant::now();
    let d = stance::dispatch::parse_path(std::path::Path::new(&path)).expect("dispatch");
    let statements = stance::statement::extract_statements(&d, &g);
    println!(
        "one dispatch      {:7.1} ms ({} statements extracted)",
        ms(t),
        statements.len()
    );
    drop(model);
}
