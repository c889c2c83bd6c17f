//! The `stance` binary end to end: train on a small CSV, classify a dispatch, evaluate.

use crate::{stance, write};

/// Runs `stance` with `args` and asserts it succeeds.
fn ok(args: &[&str]) -> std::process::Output {
    let out = stance().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A small labelled set in our own words: three tones, twelve rows each.
fn small_csv() -> String {
    let rows = [
        (
            "Nous saluons cet accord qui ouvre enfin la voie à la paix.",
            "positive",
        ),
        (
            "Une excellente nouvelle pour les familles des deux pays.",
            "positive",
        ),
        (
            "Nous nous félicitons du retour au dialogue entre les ministres.",
            "positive",
        ),
        (
            "Nous condamnons avec force ce bombardement contre des civils.",
            "negative",
        ),
        (
            "Cette attaque barbare est un crime qui ne restera pas impuni.",
            "negative",
        ),
        (
            "Nous dénonçons une agression inacceptable contre notre peuple.",
            "negative",
        ),
        (
            "La réunion se tiendra mardi à Genève entre les deux délégations.",
            "neutral",
        ),
        (
            "Le ministère publiera un nouveau bilan dans la soirée.",
            "neutral",
        ),
        (
            "Les chefs de la diplomatie se sont entretenus par téléphone.",
            "neutral",
        ),
    ];
    let mut s = String::from("text,label\n");
    for i in 0..4 {
        for (t, l) in rows {
            s.push_str(&format!("\"{t} ({i})\",{l}\n"));
        }
    }
    s
}

#[test]
fn train_classify_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = write(d, "train.csv", &small_csv());
    let model = d.join("m.stance");
    let out = ok(&[
        "train",
        data.to_str().unwrap(),
        "-o",
        model.to_str().unwrap(),
        "--min-df",
        "1",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("trained 1 head(s) on 36 rows"));

    let dispatch = write(
        d,
        "kb-x.txt",
        " date 2020-10-10 Trêve à Moscou Le chef de la diplomatie russe a parlé.\n\n\
         Sergueï Lavrov a déclaré : « Nous saluons cet accord qui ouvre la voie à la paix ».\n\n\
         « Nous condamnons ce bombardement contre des civils », a affirmé Zohrab Mnatsakanian.\n",
    );
    let csv_out = d.join("out.csv");
    ok(&[
        "classify",
        dispatch.to_str().unwrap(),
        "-m",
        model.to_str().unwrap(),
        "-o",
        csv_out.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_path(&csv_out).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "dispatch_id",
            "date",
            "statement",
            "start",
            "end",
            "kind",
            "speaker",
            "speaker_name",
            "mention",
            "mention_start",
            "mention_end",
            "cue",
            "confidence",
            "text",
            "label",
            "label_p_negative",
            "label_p_neutral",
            "label_p_positive",
            "label_features"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][6], "sergey-lavrov");
    assert_eq!(&rows[0][14], "positive");
    assert_eq!(&rows[1][6], "zohrab-mnatsakanyan");
    assert_eq!(&rows[1][14], "negative");
    assert_eq!((&rows[0][2], &rows[1][2]), ("1", "2"));
    // the features that pushed the label, with their contributions
    assert!(rows[1][18].contains(" ("), "{:?}", &rows[1][18]);
    // the span points at the words in the file as written
    let text: Vec<char> = std::fs::read_to_string(&dispatch)
        .unwrap()
        .chars()
        .collect();
    let (s, e): (usize, usize) = (rows[1][3].parse().unwrap(), rows[1][4].parse().unwrap());
    assert_eq!(
        text[s..e].iter().collect::<String>(),
        "Nous condamnons ce bombardement contre des civils"
    );

    let report = d.join("report.json");
    let out = ok(&[
        "evaluate",
        data.to_str().unwrap(),
        "-m",
        model.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("macro-F1 = ") && stdout.contains("confusion"),
        "{stdout}"
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert!(json["heads"]["label"]["accuracy"].as_f64().unwrap() > 0.9);
}

#[test]
fn classify_runs_on_the_embedded_model_and_reads_stdin() {
    let out = stance()
        .args(["classify", "-"])
        .write_stdin("Mike Pompeo a appelé les deux pays à « mettre fin aux violences ».")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let header = stdout.lines().next().unwrap();
    assert!(header.contains("stance,stance_p_neutral,stance_p_pro-armenia,stance_p_pro-azerbaijan,stance_p_ceasefire"), "{header}");
    assert!(
        header.ends_with(
            "sentiment,sentiment_p_negative,sentiment_p_neutral,sentiment_p_positive,sentiment_features"
        ),
        "{header}"
    );
    assert!(
        stdout.lines().nth(1).unwrap().starts_with(
            "stdin,,1,39,63,direct,mike-pompeo,Mike Pompeo,Mike Pompeo,0,11,subject,0.95,"
        ),
        "{stdout}"
    );
}

/// (arguments, exit code, text the error must contain)
#[test]
fn errors_name_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad_model = write(d, "bad.stance", "stance-model 9\n...");
    let bad_csv = write(d, "bad.csv", "text,label\nbonjour,\n");
    let good = write(d, "ok.txt", "Pompeo a dit « bonjour ».");
    std::fs::write(d.join("latin1.txt"), b"Pomp\xe9o a dit \xab non \xbb.").unwrap();
    let p = |s: &std::path::Path| s.to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, i32, String)> = vec![
        (
            vec!["classify".into(), p(&good), "-m".into(), p(&bad_model)],
            2,
            "format version 9 is not supported".into(),
        ),
        (
            vec![
                "train".into(),
                p(&bad_csv),
                "-o".into(),
                p(&d.join("x.stance")),
            ],
            2,
            "bad.csv:2: empty label in column \"label\"".into(),
        ),
        (
            vec![
                "train".into(),
                p(&bad_csv),
                "--text-column".into(),
                "texte".into(),
            ],
            2,
            "missing column \"texte\"".into(),
        ),
        (
            vec![
                "classify".into(),
                p(&good),
                p(&d.join("latin1.txt")),
                "-o".into(),
                p(&d.join("o.csv")),
            ],
            1,
            "latin1.txt:1:5: not valid UTF-8 (byte 0xE9); if the file is Latin-1, convert it first: iconv".into(),
        ),
        (
            vec![
                "classify".into(),
                p(&d.join("missing.txt")),
                "-o".into(),
                p(&d.join("o2.csv")),
            ],
            1,
            "missing.txt: No such file".into(),
        ),
    ];
    for (args, code, want) in cases {
        let out = stance().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(&want), "{args:?}: {stderr}");
    }
    // the good dispatch of a batch with a bad one is still written
    let rows = std::fs::read_to_string(d.join("o.csv")).unwrap();
    assert_eq!(rows.lines().count(), 2, "{rows}");
}

#[test]
fn help_describes_every_command() {
    let out = stance().arg("--help").output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    for c in [
        "train",
        "classify",
        "evaluate",
        "report",
        "tokenizer",
        "corpus",
    ] {
        assert!(s.contains(c), "{s}");
    }
}

#[test]
fn evaluate_extraction_prints_every_score_and_writes_the_misses() {
    let dir = tempfile::tempdir().unwrap();
    let misses = dir.path().join("misses.csv");
    let corpus = crate::root().join("training-data");
    let out = ok(&[
        "evaluate",
        corpus.to_str().unwrap(),
        "--extraction",
        "--split",
        "dev",
        "--errors",
        misses.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for kind in ["direct", "indirect", "all"] {
        for t in ["30%", "80%"] {
            assert!(
                stdout.lines().any(|l| l.starts_with(kind) && l.contains(t)),
                "{kind} {t}: {stdout}"
            );
        }
    }
    assert!(stdout.contains("dispatches/s"), "{stdout}");
    let mut r = csv::Reader::from_path(&misses).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers[..3], ["dispatch_id", "what", "kind"]);
    assert!(r.records().count() > 0);
}

/// `stance explain`: one line per class of each head, features with signed weights.
#[test]
fn explain_lists_the_heaviest_features_of_each_class() {
    let out = ok(&["explain", "-k", "5", "--head", "stance"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| l.contains(": ")).collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    for (line, class) in lines
        .iter()
        .zip(["neutral", "pro-armenia", "pro-azerbaijan", "ceasefire"])
    {
        assert!(line.starts_with(&format!("{class}: ")), "{line}");
        assert_eq!(line.matches(" (+").count(), 5, "{line}");
    }
    let out = stance()
        .args(["explain", "--head", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("it has stance, sentiment"));
}

/// `stance corpus --texts` writes a split's statements as a model reads them: (options,
/// a check every text passes).
#[test]
fn corpus_texts_are_the_statements_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = crate::root().join("training-data");
    let gold = stance::corpus::Corpus::open(&corpus).unwrap();
    let test = gold.labelled(Some(stance::corpus::Split::Test)).unwrap();
    type Check = fn(&str, &str) -> bool;
    let cases: &[(&[&str], Check)] = &[
        // the default reading: the affiliation, the words around, the words themselves
        (&[], |read, text| {
            read.starts_with('⟦') && read.contains(&format!("‖ {text} ‖"))
        }),
        (&["--words-around", "0,0"], |read, text| {
            read.starts_with('⟦') && read.ends_with(&format!("⟧ {text}"))
        }),
        (&["--words-only"], |read, text| read == text),
        (&["--no-affiliation"], |read, text| {
            !read.starts_with('⟦') && read.contains(&format!("‖ {text} ‖"))
        }),
    ];
    for (options, check) in cases {
        let out = dir.path().join("texts.csv");
        crate::stance()
            .arg("corpus")
            .arg(&corpus)
            .args(["--split", "test", "--texts"])
            .arg(&out)
            .args(*options)
            .assert()
            .success();
        let mut r = csv::Reader::from_path(&out).unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), test.texts.len(), "{options:?}");
        for (row, text) in rows.iter().zip(&test.texts) {
            assert!(
                check(&row[3], text),
                "{options:?}: {:?} for {text:?}",
                &row[3]
            );
        }
    }
}

#[test]
fn evaluate_writes_each_rows_predictions_as_the_report_scores_them() {
    let dir = tempfile::tempdir().unwrap();
    let (predictions, report) = (dir.path().join("p.csv"), dir.path().join("r.json"));
    let corpus = crate::root().join("training-data");
    ok(&[
        "evaluate",
        corpus.to_str().unwrap(),
        "--predictions",
        predictions.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_path(&predictions).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "line",
            "group",
            "stance",
            "stance_predicted",
            "stance_probability",
            "sentiment",
            "sentiment_predicted",
            "sentiment_probability"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let splits = std::fs::read_to_string(corpus.join("splits.csv")).unwrap();
    let test: std::collections::HashSet<&str> = splits
        .lines()
        .filter_map(|l| l.strip_suffix(",test"))
        .collect();
    assert!(rows.iter().all(|row| test.contains(&row[1])));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    for (head, gold) in [("stance", 2), ("sentiment", 5)] {
        let heads = &json["heads"][head];
        assert_eq!(rows.len() as u64, heads["n"].as_u64().unwrap(), "{head}");
        let right = rows.iter().filter(|row| row[gold] == row[gold + 1]).count();
        let accuracy = right as f64 / rows.len() as f64;
        assert!(
            (accuracy - heads["accuracy"].as_f64().unwrap()).abs() < 1e-9,
            "{head}: {accuracy} against {}",
            heads["accuracy"]
        );
        for row in &rows {
            let p: f64 = row[gold + 2].parse().unwrap();
            assert!((0.0..=1.0).contains(&p), "{head}: {p}");
        }
    }
    // the line points at the statement's row in statements.csv
    let statements = std::fs::read_to_string(corpus.join("statements.csv")).unwrap();
    let lines: Vec<&str> = statements.lines().collect();
    let first: usize = rows[0][0].parse().unwrap();
    assert!(lines[first - 1].starts_with(&format!("{},", &rows[0][1])));
}
