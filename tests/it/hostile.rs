//! Hostile input: the same run twice gives the same bytes, and bad training CSVs, gold
//! corpora and model files fail cleanly (an error naming the file, no panic, no output).

use std::path::Path;

use crate::{root, stance, write};

/// Runs `stance` with `args` in `dir` and asserts it succeeds.
fn ok(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = stance().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `stance` with `args` in `dir` and asserts that it fails without a panic, that
/// its error contains every `want`, and that none of `outputs` (nor its `.partial`)
/// was written.
fn fails(dir: &Path, args: &[&str], want: &[&str], outputs: &[&str]) {
    let out = stance().current_dir(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded: {stderr}");
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    for w in want {
        assert!(stderr.contains(w), "{args:?}: want {w:?} in {stderr}");
    }
    for o in outputs {
        for p in [dir.join(o), dir.join(format!("{o}.partial"))] {
            assert!(!p.exists(), "{args:?} left {}", p.display());
        }
    }
}

/// Small training settings: a model in well under a second.
const FAST: &[&str] = &["--min-df", "1", "--max-iterations", "30"];

/// The same data and settings give the same model file, byte for byte, also on another
/// number of threads (no training has a random seed).
#[test]
fn training_twice_writes_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = root().join("training-data");
    let data = data.to_str().unwrap();
    let runs = [
        ("a.stance", None),
        ("b.stance", None),
        ("c.stance", Some("1")),
    ];
    for (name, threads) in runs {
        let mut args = vec!["train", data, "--split", "train", "-o", name];
        args.extend(FAST);
        let mut cmd = stance();
        if let Some(t) = threads {
            cmd.env("RAYON_NUM_THREADS", t);
        }
        let out = cmd.current_dir(d).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let a = std::fs::read(d.join("a.stance")).unwrap();
    for other in ["b.stance", "c.stance"] {
        let b = std::fs::read(d.join(other)).unwrap();
        assert!(a == b, "a.stance and {other} differ");
    }
}

#[test]
fn classifying_twice_writes_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let dispatches = root().join("training-data").join("dispatches");
    let dispatches = dispatches.to_str().unwrap();
    for name in ["a.csv", "b.csv"] {
        ok(d, &["classify", dispatches, "-q", "-o", name]);
    }
    let (a, b) = (
        std::fs::read_to_string(d.join("a.csv")).unwrap(),
        std::fs::read_to_string(d.join("b.csv")).unwrap(),
    );
    assert!(a.lines().count() > 1000, "{} rows", a.lines().count());
    assert!(a == b, "two runs on the same dispatches differ");
}

/// A labelled CSV's rows, three tones in our own words, with `header` on top and each
/// row written as `row(text, label)`.
fn rows(header: &str, row: impl Fn(&str, &str) -> String) -> String {
    let base = [
        ("Nous saluons cet accord pour la paix", "positive"),
        ("Une excellente nouvelle pour la paix", "positive"),
        (
            "Nous condamnons cette attaque contre les civils",
            "negative",
        ),
        ("Une attaque barbare contre les civils", "negative"),
        ("La réunion se tiendra mardi à Genève", "neutral"),
        ("Le ministère publiera un bilan mardi", "neutral"),
    ];
    let mut s = format!("{header}\n");
    for (t, l) in base {
        s.push_str(&row(t, l));
        s.push('\n');
    }
    s
}

/// (name, file bytes, error the run must show; empty when the file must train)
type CsvCase = (&'static str, Vec<u8>, Vec<&'static str>);

#[test]
fn bad_training_csvs_fail_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let plain = |t: &str, l: &str| format!("{t},{l}");
    let mut latin1 = rows("text,label", plain).into_bytes();
    latin1.extend(b"Pomp\xe9o a parl\xe9,neutral\n");
    let cases: Vec<CsvCase> = vec![
        (
            "missing-column.csv",
            rows("text,étiquette", plain).into_bytes(),
            vec!["missing-column.csv:1: missing column \"label\" (columns: text, étiquette)"],
        ),
        // an extra column is fine: columns are found by name
        (
            "extra-column.csv",
            rows("id,text,source,label", |t, l| format!("7,{t},afp,{l}")).into_bytes(),
            vec![],
        ),
        // a quoted field may hold line breaks and commas
        (
            "quoted-newline.csv",
            rows("text,label", |t, l| {
                format!("\"{t},\nsur deux lignes\",{l}")
            })
            .into_bytes(),
            vec![],
        ),
        // a row with an empty text is skipped, and said so
        (
            "one-empty-text.csv",
            (rows("text,label", plain) + "  ,neutral\n").into_bytes(),
            vec![],
        ),
        (
            "all-empty-texts.csv",
            b"text,label\n,neutral\n\"  \",positive\n".to_vec(),
            vec!["all-empty-texts.csv: no labelled rows"],
        ),
        // the line of a record after a multi-line one is its own line
        (
            "empty-label.csv",
            b"text,label\n\"un texte\nsur deux lignes\",neutral\nun autre,\n".to_vec(),
            vec!["empty-label.csv:4: empty label in column \"label\""],
        ),
        // read with commas only: a `;` file is refused with a hint, not guessed
        (
            "semicolons.csv",
            rows("text;label", |t, l| format!("{t};{l}")).into_bytes(),
            vec![
                "semicolons.csv:1: missing column \"text\" (columns: text;label); the header is split by ';'",
            ],
        ),
        (
            "short-row.csv",
            (rows("text,label", plain) + "un texte sans label\n").into_bytes(),
            vec!["short-row.csv:8: 1 field(s) where the header has 2"],
        ),
        (
            "latin1.csv",
            latin1,
            vec!["latin1.csv:8: not valid UTF-8 in field 1 after 4 byte(s)"],
        ),
        (
            "empty.csv",
            Vec::new(),
            vec!["empty.csv: empty file: expected a header line"],
        ),
    ];
    for (name, bytes, want) in cases {
        std::fs::write(d.join(name), bytes).unwrap();
        let model = format!("{name}.stance");
        let mut args = vec!["train", name, "-o", &model];
        args.extend(FAST);
        if want.is_empty() {
            let out = ok(d, &args);
            assert!(d.join(&model).is_file(), "{name}: no model");
            let stderr = String::from_utf8_lossy(&out.stderr);
            if name == "one-empty-text.csv" {
                assert!(
                    stderr.contains("one-empty-text.csv: skipped 1 row(s) with an empty text"),
                    "{stderr}"
                );
            }
        } else {
            fails(d, &args, &want, &[&model]);
        }
    }
}

/// A gold corpus folder with one statement whose stance is `stance`.
fn corpus_with_stance(root: &Path, stance: &str) {
    std::fs::create_dir_all(root.join("dispatches")).unwrap();
    std::fs::write(root.join("dispatches/d1.txt"), "Pompeo a dit « la paix ».").unwrap();
    std::fs::write(root.join("splits.csv"), "dispatch_id,split\nd1,train\n").unwrap();
    std::fs::write(
        root.join("statements.csv"),
        format!(
            "dispatch_id,start,end,kind,speaker,mention,mention_start,mention_end,stance,sentiment,text\n\
             d1,15,22,direct,mike-pompeo,Pompeo,0,6,{stance},positive,la paix\n"
        ),
    )
    .unwrap();
}

/// Where labels are enums (the gold corpus, a model's classes), a label outside them is
/// an error naming the file and line; in a free CSV any label string is a class.
#[test]
fn unknown_labels_are_refused_where_labels_are_known() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    corpus_with_stance(&d.join("gold"), "pro-russia");
    let want = "statements.csv:2: stance: unknown label \"pro-russia\", expected one of neutral, pro-armenia, pro-azerbaijan, ceasefire";
    fails(d, &["corpus", "gold"], &[want], &[]);
    let mut args = vec!["train", "gold", "-o", "gold.stance"];
    args.extend(FAST);
    fails(d, &args, &[want], &["gold.stance"]);
    // the embedded model's stance head knows four classes
    write(
        d,
        "eval.csv",
        "text,stance\nLa paix est proche.,ceasefire\nNous condamnons.,pro-russia\n",
    );
    fails(
        d,
        &["evaluate", "eval.csv", "-o", "report.json"],
        &["eval.csv:3: unknown label \"pro-russia\""],
        &["report.json"],
    );
}

/// (file name, bytes, error the run must show)
type ModelCase = (&'static str, Vec<u8>, &'static str);

#[test]
fn bad_model_files_are_refused_by_classify_and_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let real = std::fs::read(root().join("models/default.stance")).unwrap();
    // a version-1 file: gzip-compressed JSON
    let gzip_json = |json: &[u8]| {
        use std::io::Write;
        let mut out = b"stance-model 1\n".to_vec();
        let mut gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
        gz.write_all(json).unwrap();
        gz.finish().unwrap();
        out
    };
    // foreign bytes behind a valid first line and a checksum that matches them
    let foreign_body = |body: &[u8]| {
        let mut out = b"stance-model 2\n".to_vec();
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(body).to_le_bytes());
        out.extend_from_slice(body);
        out
    };
    let mut version_7 = b"stance-model 7\n".to_vec();
    version_7.extend(&real[15..]);
    let cases: Vec<ModelCase> = vec![
        (
            "truncated.stance",
            real[..real.len() / 2].to_vec(),
            "truncated.stance: corrupt body",
        ),
        (
            "header-only.stance",
            real[..15].to_vec(),
            "header-only.stance: corrupt body",
        ),
        (
            "version-7.stance",
            version_7,
            "version-7.stance: format version 7 is not supported (this build reads versions 2 to 4)",
        ),
        (
            "other.json",
            b"{\"foo\": 1}\n".to_vec(),
            "other.json: not a stance model file",
        ),
        (
            "version-1.stance",
            gzip_json(b"{\"foo\": 1}"),
            "version-1.stance: format version 1 is not supported (this build reads versions 2 to 4); \
             convert it",
        ),
        (
            "other-body.stance",
            foreign_body(b"{\"foo\": 1}"),
            "other-body.stance: corrupt body",
        ),
        (
            "damaged.stance",
            {
                let mut d = real.clone();
                d[real.len() / 2] ^= 0x20;
                d
            },
            "damaged.stance: corrupt body: checksum mismatch",
        ),
        (
            "empty.stance",
            Vec::new(),
            "empty.stance: empty file, not a stance model",
        ),
    ];
    write(d, "d.txt", "Mike Pompeo a dit « la paix ».");
    write(
        d,
        "eval.csv",
        "text,stance\nLa paix est proche.,ceasefire\n",
    );
    for (name, bytes, want) in cases {
        std::fs::write(d.join(name), bytes).unwrap();
        fails(
            d,
            &["classify", "--model", name, "d.txt", "-o", "out.csv"],
            &[want],
            &["out.csv"],
        );
        fails(
            d,
            &["evaluate", "eval.csv", "--model", name, "-o", "report.json"],
            &[want],
            &["report.json"],
        );
    }
}

/// Bad dispatches, alone on the command line: a message naming the file (and line where
/// there is one), exit 1, no panic and no table written. Text that is merely odd —
/// unterminated or unbalanced quotation marks — is read, not refused.
#[test]
fn bad_dispatches_are_named_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let big = "mot ".repeat(25 << 20); // 100 MB on one line
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty.txt: empty, no text"),
        ("blank.txt", b"  \n\n \t\n", "blank.txt: empty, no text"),
        ("bom.txt", b"\xef\xbb\xbf\n", "bom.txt: empty, no text"),
        (
            "nul.txt",
            b"Erevan a dit.\nBakou\0\x01\x02",
            "nul.txt:2: binary data",
        ),
        (
            "gzip.txt",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
            "gzip.txt:1:2: not valid UTF-8 (byte 0x8B)",
        ),
        (
            "latin1.txt",
            b"Pomp\xe9o a dit.",
            "latin1.txt:1:5: not valid UTF-8 (byte 0xE9)",
        ),
        (
            "huge.txt",
            big.as_bytes(),
            "huge.txt: larger than 16 MB: not one dispatch",
        ),
    ];
    for (name, bytes, want) in cases {
        std::fs::write(d.join(name), bytes).unwrap();
        let out = stance()
            .current_dir(d)
            .args(["classify", name, "--out-dir", "out"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(want), "{name}: want {want:?} in {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(stderr.contains("no table written"), "{name}: {stderr}");
        let left: Vec<_> = std::fs::read_dir(d.join("out")).unwrap().collect();
        assert!(left.is_empty(), "{name}: {left:?}");
        std::fs::remove_file(d.join(name)).unwrap();
    }
    // the same as JSON Lines: the record's line is named
    write(
        d,
        "bad.jsonl",
        "{\"id\": \"a\", \"text\": \"  \"}\n{\"id\": \"b\", \"text\": \"x\\u0000y\"}\n",
    );
    let out = stance()
        .current_dir(d)
        .args(["classify", "bad.jsonl", "--input-format", "jsonl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.jsonl:1: \"text\" is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.jsonl:2: \"text\" is binary data"),
        "{stderr}"
    );

    // odd quotation marks are text: read, exit 0
    write(
        d,
        "quotes.txt",
        "Pompeo a dit « il faut cesser le feu. Aliev a répondu » non « et « encore.\n\n» » « \" “ ”\n",
    );
    ok(d, &["classify", "quotes.txt", "-o", "q.csv"]);
}

/// A folder with an unreadable entry (a link to nothing): the entry is named, the rest
/// is classified, exit 1.
#[test]
fn an_unreadable_file_in_a_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let batch = d.join("batch");
    std::fs::create_dir(&batch).unwrap();
    let first = std::fs::read_dir(root().join("training-data/dispatches"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .unwrap();
    std::fs::copy(&first, batch.join("good.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("nowhere.txt"), batch.join("gone.txt")).unwrap();
    let out = stance()
        .current_dir(d)
        .args(["classify", "batch", "-o", "out.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("gone.txt: No such file"), "{stderr}");
    assert!(
        stderr.contains("from 1 dispatch(es); 1 input(s) failed"),
        "{stderr}"
    );
    assert!(
        std::fs::read_to_string(d.join("out.csv"))
            .unwrap()
            .lines()
            .count()
            > 1
    );
}
