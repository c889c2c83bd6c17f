//! Converts a model file of format version 1 (gzip-compressed JSON) to the current
//! format, losslessly: the same weights, vocabulary and tokenizer, so the same
//! predictions, byte for byte.
//!
//!     cargo run --release --example convert_model -- old.stance new.stance
use stance::classifier::Classifier;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [old, new] = args.as_slice() else {
        anyhow::bail!("usage: convert_model OLD.stance NEW.stance");
    };
    let bytes = std::fs::read(old)?;
    let model = Classifier::from_v1_bytes(&bytes, old)?;
    model.save(std::path::Path::new(new))?;
    // the written file reads back as the same classifier
    let back = Classifier::load(std::path::Path::new(new))?;
    anyhow::ensure!(
        back.to_bytes()? == model.to_bytes()?,
        "{new} does not read back as written"
    );
    eprintln!(
        "{old} ({} bytes, version 1) -> {new} ({} bytes, version {})",
        bytes.len(),
        std::fs::metadata(new)?.len(),
        stance::classifier::FORMAT_VERSION
    );
    Ok(())
}
