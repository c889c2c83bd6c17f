//! `stance classify` on batches: every input and output form, a bad file among good
//! ones, atomic writes, deterministic order, the streaming mapper, and `stance report`.

use std::path::{Path, PathBuf};

use crate::{root, stance, write};

/// The first `n` dispatches of the gold corpus, sorted by file name.
fn corpus_files(n: usize) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("training-data/dispatches"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v.truncate(n);
    v
}

/// The same dispatches as JSON Lines, one object a line.
fn as_jsonl(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_str().unwrap();
            let text = std::fs::read_to_string(p).unwrap();
            serde_json::json!({"id": id, "text": text}).to_string() + "\n"
        })
        .collect()
}

fn run(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut c = stance();
    c.args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    c.output().unwrap()
}

fn ok(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let out = run(args, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// (dispatch_id, statement, speaker) of each row of a statements CSV.
fn csv_rows(text: &str) -> Vec<(String, String, String)> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[2].to_string(), r[6].to_string())
        })
        .collect()
}

/// The same of a statements JSON Lines output.
fn jsonl_rows(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["dispatch_id"].as_str().unwrap().to_string(),
                v["statement"].to_string(),
                v["speaker"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every input form gives the same statements: files, a folder searched recursively, `-`
/// (plain text), a JSON Lines file and JSON Lines on standard input; CSV and JSON Lines
/// out, to standard output or a folder.
#[test]
fn every_input_and_output_form_gives_the_same_statements() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = corpus_files(6);
    let nested = d.join("in/2020/10");
    std::fs::create_dir_all(&nested).unwrap();
    for (i, f) in files.iter().enumerate() {
        let to = if i % 2 == 0 {
            d.join("in")
        } else {
            nested.clone()
        };
        std::fs::copy(f, to.join(f.file_name().unwrap())).unwrap();
    }
    write(&d.join("in"), "notes.md", "not a dispatch");
    let jsonl = write(d, "all.jsonl", &as_jsonl(&files));
    let args: Vec<&str> = files.iter().map(|p| s(p)).collect();

    let from_files = csv_rows(
        &String::from_utf8(ok(&[&["classify"], &args[..]].concat(), None).stdout).unwrap(),
    );
    assert!(from_files.len() > 10, "{from_files:?}");
    let ids: Vec<&str> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap())
        .collect();
    let mut seen: Vec<&str> = from_files.iter().map(|r| r.0.as_str()).collect();
    seen.dedup();
    assert!(ids.starts_with(&[seen[0]]), "input order");

    // a folder: the same dispatches, in path order (the nested ones after `in/*.txt`)
    let mut from_dir =
        csv_rows(&String::from_utf8(ok(&["classify", s(&d.join("in"))], None).stdout).unwrap());
    let mut expected = from_files.clone();
    from_dir.sort();
    expected.sort();
    assert_eq!(from_dir, expected);

    let from_jsonl = jsonl_rows(
        &String::from_utf8(
            ok(
                &[
                    "classify",
                    s(&jsonl),
                    "--input-format",
                    "jsonl",
                    "--format",
                    "jsonl",
                ],
                None,
            )
            .stdout,
        )
        .unwrap(),
    );
    assert_eq!(from_jsonl, from_files);

    let piped = jsonl_rows(
        &String::from_utf8(
            ok(
                &[
                    "classify",
                    "-",
                    "--input-format",
                    "jsonl",
                    "--format",
                    "jsonl",
                    "--quiet",
                ],
                Some(&std::fs::read_to_string(&jsonl).unwrap()),
            )
            .stdout,
        )
        .unwrap(),
    );
    assert_eq!(piped, from_files);

    // one plain-text dispatch on standard input
    let one = std::fs::read_to_string(&files[0]).unwrap();
    let stdin_rows =
        csv_rows(&String::from_utf8(ok(&["classify", "-"], Some(&one)).stdout).unwrap());
    let first: Vec<_> = from_files
        .iter()
        .filter(|r| r.0 == ids[0])
        .map(|r| (r.1.clone(), r.2.clone()))
        .collect();
    assert_eq!(
        stdin_rows
            .iter()
            .map(|r| (r.1.clone(), r.2.clone()))
            .collect::<Vec<_>>(),
        first
    );

    // a folder of tables, in both formats
    for (format, ext) in [("csv", "csv"), ("jsonl", "jsonl")] {
        let out = d.join(format!("out-{format}"));
        let o = ok(
            &[
                &["classify", "--out-dir", s(&out), "--format", format],
                &args[..],
            ]
            .concat(),
            None,
        );
        assert!(o.stdout.is_empty(), "nothing on stdout with --out-dir");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(&format!(
                "{} statement(s) from 6 dispatch(es)",
                from_files.len()
            )),
            "{stderr}"
        );
        for t in ["statements", "actors", "summary"] {
            let p = out.join(format!("{t}.{ext}"));
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert!(text.lines().count() > 1, "{t}.{ext}: {text}");
        }
        let st = std::fs::read_to_string(out.join(format!("statements.{ext}"))).unwrap();
        let rows = if ext == "csv" {
            csv_rows(&st)
        } else {
            jsonl_rows(&st)
        };
        assert_eq!(rows, from_files);
    }
}

/// actors: one row per dispatch and speaker, statements adding up; summary: per actor and
/// month, the stance counts adding up to the statements.
#[test]
fn actors_and_summary_tables_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let files = corpus_files(12);
    let args: Vec<&str> = files.iter().map(|p| s(p)).collect();
    ok(
        &[&["classify", "--out-dir", s(&out), "--quiet"], &args[..]].concat(),
        None,
    );
    let statements = csv_rows(&std::fs::read_to_string(out.join("statements.csv")).unwrap());

    let mut actors = csv::Reader::from_path(out.join("actors.csv")).unwrap();
    let h: Vec<String> = actors.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        h[..10],
        [
            "dispatch_id",
            "date",
            "speaker",
            "speaker_name",
            "statements",
            "stance",
            "stance_mean_p_neutral",
            "stance_mean_p_pro-armenia",
            "stance_mean_p_pro-azerbaijan",
            "stance_mean_p_ceasefire"
        ]
    );
    let mut total = 0;
    for r in actors.records() {
        let r = r.unwrap();
        let n: usize = r[4].parse().unwrap();
        let count = statements
            .iter()
            .filter(|s| s.0 == r[0] && s.2 == r[2])
            .count();
        assert_eq!(n, count, "{r:?}");
        total += n;
        assert!(["neutral", "pro-armenia", "pro-azerbaijan", "ceasefire"].contains(&&r[5]));
        let p: f64 = (6..10).map(|i| r[i].parse::<f64>().unwrap()).sum();
        assert!((p - 1.0).abs() < 0.01, "{r:?}");
    }
    assert_eq!(total, statements.len());

    let mut summary = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let mut total = 0;
    let mut keys = Vec::new();
    for r in summary.records() {
        let r = r.unwrap();
        let n: usize = r[4].parse().unwrap();
        let by: usize = (5..9).map(|i| r[i].parse::<usize>().unwrap()).sum();
        assert_eq!(n, by, "{r:?}");
        assert!(
            r[2].is_empty() || (r[2].len() == 7 && &r[2][4..5] == "-"),
            "month {r:?}"
        );
        total += n;
        keys.push((r[0].to_string(), r[2].to_string()));
    }
    assert_eq!(total, statements.len());
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by actor then month");
}

/// A bad file inside a good batch: named on stderr with the reason, counted in the final
/// line, exit 1, and every good dispatch still written.
#[test]
fn a_bad_file_in_a_good_batch_is_named_and_the_rest_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = corpus_files(3);
    for f in &files {
        std::fs::copy(f, d.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        d.join("zz-latin1.txt"),
        b"Erevan a d\xe9clar\xe9 : \xab non \xbb.\n",
    )
    .unwrap();
    let jsonl = write(
        d,
        "mixed.jsonl",
        &format!(
            "{}{{\"id\": \"x\", \"text\": 3}}\nnot json\n{}",
            as_jsonl(&files[..1]),
            as_jsonl(&files[1..2])
        ),
    );
    let out = d.join("out.csv");
    let o = run(&["classify", s(d), "-o", s(&out)], None);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("zz-latin1.txt:1:11: not valid UTF-8 (byte 0xE9)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("from 3 dispatch(es); 1 input(s) failed"),
        "{stderr}"
    );
    let ids: std::collections::BTreeSet<String> = csv_rows(&std::fs::read_to_string(&out).unwrap())
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(ids.len(), 3);

    let o = run(
        &[
            "classify",
            s(&jsonl),
            "--input-format",
            "jsonl",
            "--format",
            "jsonl",
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("mixed.jsonl:2: not a dispatch object"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mixed.jsonl:3: not a dispatch object"),
        "{stderr}"
    );
    assert!(
        stderr.contains("from 2 dispatch(es); 2 input(s) failed"),
        "{stderr}"
    );
    let ids: std::collections::BTreeSet<String> = jsonl_rows(&String::from_utf8(o.stdout).unwrap())
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(ids.len(), 2);
}

/// Tables are written under a temporary name and renamed: a run where nothing could be
/// read, or a run interrupted with Ctrl-C, leaves the previous tables as they were and no
/// temporary file.
#[test]
fn failed_and_interrupted_runs_leave_the_old_tables_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for t in ["statements", "actors", "summary"] {
        write(&out, &format!("{t}.csv"), "old\n");
    }
    let listing = |p: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let untouched = |why: &str| {
        assert_eq!(
            listing(&out),
            ["actors.csv", "statements.csv", "summary.csv"],
            "{why}"
        );
        for t in ["statements", "actors", "summary"] {
            assert_eq!(
                std::fs::read_to_string(out.join(format!("{t}.csv"))).unwrap(),
                "old\n",
                "{why}"
            );
        }
    };

    let o = run(
        &["classify", s(&d.join("missing.txt")), "--out-dir", s(&out)],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no table written"));
    untouched("nothing readable");

    // Ctrl-C while dispatches stream in on standard input
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("stance"))
        .args([
            "classify",
            "-",
            "--input-format",
            "jsonl",
            "--out-dir",
            s(&out),
            "--chunk",
            "1",
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(as_jsonl(&corpus_files(3)).as_bytes())
            .unwrap();
        stdin.flush().unwrap();
        // the partial files exist once the run has started
        let t0 = std::time::Instant::now();
        while !out.join("statements.csv.partial").exists() {
            assert!(t0.elapsed().as_secs() < 60, "the run did not start");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let status = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        // more input after the signal, then the end of it
        stdin
            .write_all(as_jsonl(&corpus_files(2)).as_bytes())
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: no table written"), "{stderr}");
    untouched("interrupted");
}

/// The output follows the input order whatever the chunking (and so the scheduling).
#[test]
fn output_order_is_the_input_order_whatever_the_chunk() {
    let files = corpus_files(20);
    let mut args: Vec<&str> = files.iter().map(|p| s(p)).collect();
    args.reverse();
    let a = ok(&[&["classify", "--chunk", "3"], &args[..]].concat(), None).stdout;
    let b = ok(&[&["classify", "--chunk", "256"], &args[..]].concat(), None).stdout;
    assert_eq!(a, b);
    let rows = csv_rows(&String::from_utf8(a).unwrap());
    let mut order: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    order.dedup();
    let want: Vec<String> = args
        .iter()
        .map(|p| {
            Path::new(p)
                .file_stem()
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .filter(|id| order.contains(id))
        .collect();
    assert_eq!(order, want);
}

/// The README's streaming example: Spark's `RDD.pipe` and Hadoop streaming run one
/// `stance classify - --input-format jsonl --format jsonl --quiet` per partition; the
/// partitions' outputs put together are the single run's output.
#[test]
fn the_mapper_over_partitions_equals_one_run() {
    let files = corpus_files(9);
    let lines: Vec<String> = as_jsonl(&files).lines().map(|l| format!("{l}\n")).collect();
    let mapper = [
        "classify",
        "-",
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
        "--quiet",
    ];
    let whole = ok(&mapper, Some(&lines.concat()));
    assert!(
        whole.stderr.is_empty(),
        "quiet: {}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let mut parts = Vec::new();
    for chunk in lines.chunks(4) {
        parts.extend(ok(&mapper, Some(&chunk.concat())).stdout);
    }
    assert_eq!(
        String::from_utf8(parts).unwrap(),
        String::from_utf8(whole.stdout.clone()).unwrap()
    );
    for l in String::from_utf8(whole.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(
            v["stance_p_ceasefire"].is_f64() && v["start"].is_u64(),
            "{l}"
        );
    }
}

/// `stance report` draws the charts in SVG and PNG and a page that holds them.
#[test]
fn report_draws_charts_and_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out");
    let files = corpus_files(10);
    let args: Vec<&str> = files.iter().map(|p| s(p)).collect();
    ok(
        &[&["classify", "--out-dir", s(&out), "--quiet"], &args[..]].concat(),
        None,
    );
    let corpus = root().join("training-data");
    let eval = d.join("evaluation.json");
    ok(&["evaluate", s(&corpus), "-o", s(&eval)], None);
    let o = ok(&["report", s(&out), "--evaluation", s(&eval)], None);
    let listed = String::from_utf8(o.stdout).unwrap();
    for f in [
        "stance-by-actor.svg",
        "stance-over-time.svg",
        "confusion-stance.svg",
        "confusion-sentiment.svg",
        "report.html",
    ] {
        let p = out.join("report").join(f);
        assert!(listed.contains(s(&p)), "{listed}");
        assert!(std::fs::metadata(&p).unwrap().len() > 1000, "{f}");
    }
    let page = std::fs::read_to_string(out.join("report/report.html")).unwrap();
    assert_eq!(page.matches("<svg").count(), 4);
    assert!(page.contains("<h2>Actors</h2>"));

    let png = d.join("png");
    ok(
        &[
            "report",
            s(&out.join("summary.csv")),
            "--image-format",
            "png",
            "-o",
            s(&png),
        ],
        None,
    );
    let bytes = std::fs::read(png.join("stance-by-actor.png")).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let page = std::fs::read_to_string(png.join("report.html")).unwrap();
    assert_eq!(page.matches("data:image/png;base64,").count(), 2);

    let o = run(&["report", s(&d.join("nothing"))], None);
    assert_eq!(o.status.code(), Some(2));
}

/// `--abstain P`: a prediction under P is labelled `uncertain` and does not vote.
#[test]
fn abstain_labels_unsure_predictions_uncertain() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus_files(4);
    let args: Vec<&str> = files.iter().map(|p| s(p)).collect();
    let count = |threshold: &str| {
        let out = dir.path().join(format!("out-{threshold}"));
        ok(
            &[
                &[
                    "classify",
                    "--quiet",
                    "--out-dir",
                    s(&out),
                    "--abstain",
                    threshold,
                ],
                &args[..],
            ]
            .concat(),
            None,
        );
        let mut r = csv::Reader::from_path(out.join("statements.csv")).unwrap();
        let h = r.headers().unwrap().clone();
        let col = h.iter().position(|c| c == "stance").unwrap();
        let labels: Vec<String> = r.records().map(|r| r.unwrap()[col].to_string()).collect();
        let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
        (
            labels.iter().filter(|l| *l == "uncertain").count(),
            labels.len(),
            summary.lines().count(),
        )
    };
    let (none, n, rows) = count("0");
    assert_eq!(none, 0);
    assert!(rows > 1);
    let (some, n2, _) = count("0.6");
    assert_eq!(n, n2);
    assert!(some > 0 && some < n, "{some} of {n}");
    let (all, _, rows) = count("1");
    assert_eq!(all, n);
    assert_eq!(
        rows, 1,
        "every statement uncertain: the summary has its header only"
    );
    let o = run(&["classify", args[0], "--abstain", "1.5"], None);
    assert_eq!(o.status.code(), Some(2));
}
