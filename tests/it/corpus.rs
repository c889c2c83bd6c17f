//! The gold corpus in `training-data/`: every span, label, actor and split checked.

use std::collections::HashSet;

use stance::actor::Gazetteer;
use stance::corpus::{Corpus, Split};
use stance::label::Stance;

#[test]
fn every_gold_statement_checks_out() {
    let corpus = Corpus::open(&crate::root().join("training-data"))
        .expect("training-data loads (labels parse)");
    let errors = corpus.problems(&Gazetteer::default_karabakh());
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
    println!("{}", corpus.stats());
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
    // The split draw (`scripts/make-splits.py`) dealt 22 % of the 162 dispatches to test.
    // Dispatches written later were checked by their writers against the extractor's
    // errors, so they cannot be blind test data and go to train only
    // (`training-data/README.md`, *Train additions*): the test split keeps its size.
    let test_statements = corpus
        .statements
        .iter()
        .filter(|s| corpus.splits.get(&s.dispatch_id) == Some(&Split::Test))
        .count();
    println!("test split: {test} dispatches, {test_statements} statements");
    assert!(
        test >= MIN_TEST_DISPATCHES && test_statements >= MIN_TEST_STATEMENTS,
        "test split under {MIN_TEST_DISPATCHES} dispatches or {MIN_TEST_STATEMENTS} statements"
    );
    assert!(
        dispatches.len() >= MIN_DISPATCHES && n >= MIN_STATEMENTS && actors.len() >= MIN_ACTORS
    );
}

const MIN_DISPATCHES: usize = 150;
const MIN_STATEMENTS: usize = 2000;
const MIN_ACTORS: usize = 60;
const MIN_TEST_DISPATCHES: usize = 36;
const MIN_TEST_STATEMENTS: usize = 556;

/// A small corpus with one fault of each kind: every fault is reported where it is.
#[test]
fn corpus_check_reports_each_fault() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("dispatches")).unwrap();
    std::fs::write(root.join("dispatches/d1.txt"), "Pompeo a dit « la paix ».").unwrap();
    std::fs::write(root.join("dispatches/d2.txt"), "Lavrov a dit « la paix ».").unwrap();
    let header = "dispatch_id,start,end,kind,speaker,mention,mention_start,mention_end,stance,sentiment,text\n";
    let rows = [
        "d1,15,22,direct,mike-pompeo,Pompeo,0,6,ceasefire,positive,la paix",
        "d1,15,21,direct,mike-pompeo,Pompeo,0,6,ceasefire,positive,la paix",
        "d1,15,22,direct,nobody-known,Pompeo,0,6,ceasefire,positive,la paix",
        "d2,15,22,direct,sergey-lavrov,Lavrov,0,5,ceasefire,positive,la paix",
        "d3,0,1,direct,sergey-lavrov,Lavrov,0,6,neutral,neutral,x",
    ];
    std::fs::write(
        root.join("statements.csv"),
        format!("{header}{}\n", rows.join("\n")),
    )
    .unwrap();
    std::fs::write(
        root.join("splits.csv"),
        "dispatch_id,split\nd1,train\nd2,test\nd4,dev\n",
    )
    .unwrap();
    let problems = Corpus::open(root)
        .unwrap()
        .problems(&Gazetteer::default_karabakh());
    let want = [
        "statements.csv:3: span 15..21 reads \"la pai\", text is \"la paix\"",
        "statements.csv:4: speaker \"nobody-known\" is not in the gazetteer",
        "statements.csv:5: mention span reads \"Lavro\", mention is \"Lavrov\"",
        "statements.csv:5: statement \"la paix\" also in d1 (Train split)",
        "statements.csv:6: no dispatch file for \"d3\"",
        "splits.csv: \"d4\" has no dispatch file",
    ];
    assert_eq!(problems, want);
    // an unknown label or a dispatch in two splits is refused when reading
    std::fs::write(
        root.join("splits.csv"),
        "dispatch_id,split\nd1,train\nd1,test\n",
    )
    .unwrap();
    let e = Corpus::open(root).unwrap_err().to_string();
    assert!(
        e.ends_with("splits.csv:3: dispatch \"d1\" is listed twice"),
        "{e}"
    );
    std::fs::write(
        root.join("statements.csv"),
        format!("{header}d1,15,22,direct,mike-pompeo,Pompeo,0,6,pro-russia,positive,la paix\n"),
    )
    .unwrap();
    let e = Corpus::open(root).unwrap_err().to_string();
    assert!(
        e.contains("statements.csv:2: stance: unknown label \"pro-russia\""),
        "{e}"
    );
}

/// Gold offsets (characters of the dispatch file as stored) land on the same words in the
/// rebuilt body (`Dispatch::body_span_of_chars`), where the words around a gold statement are
/// read for training, as they are around an extracted one when classifying.
#[test]
fn gold_spans_land_on_their_words_in_the_body() {
    use stance::dispatch::{Dispatch, parse_path};
    let corpus = Corpus::open(&crate::root().join("training-data")).unwrap();
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut dispatch: Option<Dispatch> = None;
    let mut bad = Vec::new();
    for s in &corpus.statements {
        if dispatch.as_ref().is_none_or(|d| d.id != s.dispatch_id) {
            dispatch = Some(parse_path(&corpus.dispatch_path(&s.dispatch_id)).unwrap());
        }
        let d = dispatch.as_ref().unwrap();
        let span = d.body_span_of_chars(s.start..s.end);
        let got = d.body.get(span).map(collapse);
        if got.as_deref() != Some(collapse(&s.text).as_str()) {
            bad.push(format!(
                "statements.csv line {}: {got:?} for {:?}",
                s.line, s.text
            ));
        }
    }
    println!(
        "{} gold statements mapped into their dispatch bodies",
        corpus.statements.len()
    );
    assert!(
        bad.is_empty(),
        "{} misplaced:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
