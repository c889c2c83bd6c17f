//! Any bytes as a model file: refused with an error, or loaded into a classifier that
//! predicts one probability per class, summing to one.
//!
//! The first byte picks what the rest is: even, a whole model file; odd, the postcard
//! body alone, which the target puts behind a valid first line and its checksum, so that
//! mutations reach the body past the checksum.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::classifier::{Classifier, FORMAT_VERSION};

fn wrap(body: &[u8]) -> Vec<u8> {
    let mut out = format!("stance-model {FORMAT_VERSION}\n").into_bytes();
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(body).to_le_bytes());
    out.extend_from_slice(body);
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
