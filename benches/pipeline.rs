//! One criterion bench per stage, on the shipped dispatches (`training-data/dispatches`),
//! each with `Throughput::Bytes` of dispatch text so that the stages compare in MB/s:
//!
//!     cargo bench --bench pipeline
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stance::actor::Gazetteer;
use stance::classifier::Classifier;
use stance::dispatch::{Dispatch, parse_str};
use stance::statement::{Statement, extract_statements};

/// (id, text) of every shipped dispatch, sorted by file name.
fn sources() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("training-data/dispatches");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let sources = sources();
    let bytes: u64 = sources.iter().map(|(_, t)| t.len() as u64).sum();
    let g = Gazetteer::default_karabakh();
    let model = Classifier::embedded().unwrap();
    let dispatches: Vec<Dispatch> = sources.iter().map(|(id, t)| parse_str(id, t)).collect();
    let statements: Vec<Statement> = dispatches
        .iter()
        .flat_map(|d| extract_statements(d, &g))
        .collect();
    let texts: Vec<&str> = statements.iter().map(|s| s.text.as_str()).collect();
    let tokens = model.tokenizer.encode_batch(&texts);
    let x = model.tfidf.transform(&texts, &tokens);

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("1 dispatch parsing", |b| {
        b.iter(|| {
            for (id, t) in &sources {
                black_box(parse_str(id, t));
            }
        })
    });
    group.bench_function("2 statement extraction", |b| {
        b.iter(|| {
            for d in &dispatches {
                black_box(extract_statements(d, &g));
            }
        })
    });
    group.bench_function("3 tokenization", |b| {
        b.iter(|| black_box(model.tokenizer.encode_batch(&texts)))
    });
    group.bench_function("4 features", |b| {
        b.iter(|| black_box(model.tfidf.transform(&texts, &tokens)))
    });
    group.bench_function("5 prediction", |b| {
        b.iter(|| {
            for h in &model.heads {
                black_box(h.model.predict(&x));
            }
        })
    });
    group.bench_function("all: classify_dispatch", |b| {
        b.iter(|| {
            for d in &dispatches {
                black_box(stance::predict::classify_dispatch(d, &g, &model));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
