//! Integration tests: the built CLI in a temp dir, the gold corpus, accuracy floors.

mod accuracy;
mod batch;
mod cli;
mod corpus;
mod extraction;
mod hostile;
mod props;
mod seeds;

use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, or `None` with a visible message.
pub fn shared(what: &str) -> Option<PathBuf> {
    let p = root().join("..").join("shared");
    if p.is_dir() {
        Some(p)
    } else {
        // written to the stderr handle, not with eprintln!, so that the test harness's
        // capture does not hide it on a passing run
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {what}: ../shared is absent (fresh clone), nothing checked"
        );
        None
    }
}

pub fn stance() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("stance").unwrap()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}
