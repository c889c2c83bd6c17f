//! The gold corpus in `training-data/`: every span, label, actor and split checked.

use std::collections::{HashMap, HashSet};

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::label::Stance;

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-case letters and digits only: two statements equal under this are near-identical.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn every_gold_statement_checks_out() {
    let corpus = Corpus::open(&crate::root().join("training-data"))
        .expect("training-data loads (labels parse)");
    let g = Gazetteer::default_karabakh();
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    let mut errors = Vec::new();
    let mut split_of_text: HashMap<String, (Split, String)> = HashMap::new();
    for s in &corpus.statements {
        let at = format!("statements.csv:{}", s.line);
        let chars = texts.entry(s.dispatch_id.clone()).or_insert_with(|| {
            std::fs::read_to_string(corpus.dispatch_path(&s.dispatch_id))
                .map(|t| t.chars().collect())
                .unwrap_or_default()
        });
        if chars.is_empty() {
            errors.push(format!("{at}: no dispatch file for {:?}", s.dispatch_id));
            continue;
        }
        let span: String = chars
            .get(s.start..s.end)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        if norm(&span) != norm(&s.text) {
            errors.push(format!(
                "{at}: span {}..{} reads {:?}, text is {:?}",
                s.start, s.end, span, s.text
            ));
        }
        match s.mention_span {
            Some((a, b)) => {
                let m: String = chars
                    .get(a..b)
                    .map(|c| c.iter().collect())
                    .unwrap_or_default();
                if norm(&m) != norm(&s.mention) {
                    errors.push(format!(
                        "{at}: mention span reads {m:?}, mention is {:?}",
                        s.mention
                    ));
                }
            }
            None => errors.push(format!("{at}: no mention span")),
        }
        if g.find(&s.speaker).is_none() {
            errors.push(format!(
                "{at}: speaker {:?} is not in the gazetteer",
                s.speaker
            ));
        }
        match corpus.splits.get(&s.dispatch_id) {
            None => errors.push(format!("{at}: dispatch {:?} has no split", s.dispatch_id)),
            Some(&sp) => {
                if let Some((other, id)) =
                    split_of_text.insert(key(&s.text), (sp, s.dispatch_id.clone()))
                    && other != sp
                {
                    errors.push(format!(
                        "{at}: statement {:?} also in {id} ({other:?} split)",
                        s.text
                    ));
                }
            }
        }
    }
    for id in corpus.splits.keys() {
        if !corpus.dispatch_path(id).is_file() {
            errors.push(format!("splits.csv: {id:?} has no dispatch file"));
        }
    }
    assert!(
        errors.is_empty(),
        "{} problem(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn corpus_size_and_balance() {
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let n = corpus.statements.len();
    let dispatches: HashSet<&str> = corpus
        .statements
        .iter()
        .map(|s| s.dispatch_id.as_str())
        .collect();
    let actors: HashSet<&str> = corpus
        .statements
        .iter()
        .map(|s| s.speaker.as_str())
        .collect();
    let test = corpus
        .splits
        .values()
        .filter(|&&s| s == Split::Test)
        .count();
    println!(
        "{n} statements, {} dispatches, {} actors, {test} test dispatches",
        dispatches.len(),
        actors.len()
    );
    for st in Stance::ALL {
        let c = corpus.statements.iter().filter(|s| s.stance == st).count();
        println!("  {st}: {c} ({:.1} %)", 100.0 * c as f64 / n as f64);
        assert!(c * 100 >= n * 12, "{st} is under 12 % of statements");
    }
    assert!(
        test * 5 >= corpus.splits.len(),
        "test split under 20 % of dispatches"
    );
    assert!(
        dispatches.len() >= MIN_DISPATCHES && n >= MIN_STATEMENTS && actors.len() >= MIN_ACTORS
    );
}

const MIN_DISPATCHES: usize = 150;
const MIN_STATEMENTS: usize = 2000;
const MIN_ACTORS: usize = 60;
