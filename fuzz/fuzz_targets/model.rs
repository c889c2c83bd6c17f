//! Any bytes as a model file: refused with an error, or loaded into a classifier that
//! predicts one probability per class, summing to one.
//!
//! The first byte picks what the rest is: even, a whole model file; odd, the JSON body
//! alone, which the target compresses behind a valid first line, so that mutations reach
//! the JSON past the gzip checksum.

#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use stance::classifier::{Classifier, FORMAT_VERSION};

fn wrap(json: &[u8]) -> Vec<u8> {
    let mut out = format!("stance-model {FORMAT_VERSION}\n").into_bytes();
    let mut gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::fast());
    gz.write_all(json).unwrap();
    gz.finish().unwrap();
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        wrap(rest)
    };
    let Ok(c) = Classifier::from_bytes(&bytes, "fuzz.stance") else {
        return;
    };
    let probs = c.predict(&["« Nous saluons cet accord », a déclaré Mike Pompeo."]);
    assert_eq!(probs.len(), c.heads.len());
    for (h, p) in c.heads.iter().zip(&probs) {
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].len(), h.model.n_classes());
        let sum: f32 = p[0].iter().sum();
        assert!(
            p[0].iter().all(|v| v.is_finite()) && (sum - 1.0).abs() < 1e-3,
            "{p:?}"
        );
    }
});
