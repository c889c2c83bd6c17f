//! Any bytes read as a training CSV either fail with an error or give rows whose every
//! label maps to one of the classes inferred from them.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stance::corpus::read_csv_from;
use stance::label::Classes;

fuzz_target!(|data: &[u8]| {
    let labels = ["label".to_string(), "sentiment".to_string()];
    // one label column, then two (the second may be missing: an error, not a panic)
    for cols in [&labels[..1], &labels[..]] {
        let Ok((set, _skipped)) =
            read_csv_from(data, Path::new("fuzz.csv"), "text", cols, Some("dispatch_id"))
        else {
            continue;
        };
        let n = set.texts.len();
        assert_eq!(set.labels.len(), cols.len());
        assert!(set.labels.iter().all(|l| l.len() == n));
        assert!(set.lines.len() == n && set.groups.len() == n);
        assert!(set.texts.iter().all(|t| !t.trim().is_empty()));
        for column in &set.labels {
            let classes = Classes::infer(column.iter().map(String::as_str));
            for l in column {
                assert!(!l.trim().is_empty());
                let id = classes.parse(l).expect("every label is one of its classes");
                assert!(id < classes.len());
            }
        }
    }
});
