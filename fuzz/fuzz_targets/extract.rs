//! Any text yields statements whose spans and mentions lie inside the body on character
//! boundaries, map into the source, read their own text, and come in order.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stance::actor::Gazetteer;
use stance::dispatch::parse_str;
use stance::statement::extract_statements;

static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();

fn inside(body: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= body.len()
        && body.is_char_boundary(r.start)
        && body.is_char_boundary(r.end)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let g = GAZETTEER.get_or_init(Gazetteer::default_karabakh);
    let d = parse_str("fuzz", text);
    let statements = extract_statements(&d, g);
    let mut prev_start = 0;
    for s in &statements {
        assert!(inside(&d.body, &s.span), "{s:?}");
        assert!(!s.span.is_empty(), "{s:?}");
        assert!(prev_start <= s.span.start, "out of order: {s:?}");
        prev_start = s.span.start;
        let words: Vec<&str> = d.body[s.span.clone()].split_whitespace().collect();
        assert_eq!(s.text, words.join(" "), "{s:?}");
        if let Some(m) = &s.mention {
            assert!(inside(&d.body, m), "{s:?}");
        }
        let r = d.source_span(s.span.clone());
        assert!(r.start <= r.end && r.end <= d.source.len(), "{s:?} -> {r:?}");
        assert!(
            d.source.is_char_boundary(r.start) && d.source.is_char_boundary(r.end),
            "{s:?} -> {r:?}"
        );
        let _ = s.speaker_id(g);
        let _ = s.confidence();
    }
});
