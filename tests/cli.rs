//! End-to-end tests of the `quipu` binary: every format, flag and error path.
//!
//! Fixtures are in `fixtures/cli/` (texts written for these tests) and the expected outputs in
//! `fixtures/cli/golden/`. Golden runs use the fixture gazetteer `names.gaz` without the
//! default gazetteer, rules or linking, so they do not change when the default data grows.
//! After an intended change of output, regenerate them with
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p quipu-tests --test cli
//! ```
//!
//! and review the diff.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use predicates::prelude::*;
use serde_json::Value;

/// Options of the golden runs: the fixture gazetteer alone, no rules, no linking.
const G: [&str; 6] = [
    "--no-default-gazetteer",
    "--gazetteer",
    "names.gaz",
    "--no-rules",
    "--no-linking",
    "--quiet",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli")
}

/// The `quipu` binary, built once per test run. The binary belongs to another package of the
/// workspace, so Cargo does not build it for these tests: build it here (a no-op when it is
/// up to date), in the profile and target folder of the tests themselves.
fn bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = option_env!("CARGO_BIN_EXE_quipu") {
            return PathBuf::from(p);
        }
        let exe = std::env::current_exe().expect("the test binary's path");
        // target/<profile>/deps/cli-<hash>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("tests run from target/<profile>/deps");
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "-p", "quipu-cli", "--bin", "quipu"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "cargo build -p quipu-cli failed");
        profile_dir.join(format!("quipu{}", std::env::consts::EXE_SUFFIX))
    })
}

/// `quipu` run in the fixtures folder, with an empty standard input unless given one.
fn quipu() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(bin());
    c.current_dir(fixtures()).write_stdin("");
    c
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = quipu();
    c.args(args);
    if let Some(input) = stdin {
        c.write_stdin(input);
    }
    c.output().expect("quipu runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0")
}

/// Compares `actual` with the golden file `name`, or writes it under `UPDATE_GOLDEN=1`.
fn golden(name: &str, actual: &str) {
    let path = fixtures().join("golden").join(name);
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}: run UPDATE_GOLDEN=1 cargo test -p quipu-tests --test cli",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "output differs from {} (UPDATE_GOLDEN=1 regenerates it)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// Compares the files written below `dir` with the golden folder `name`.
fn golden_dir(name: &str, dir: &Path) {
    let golden_root = fixtures().join("golden").join(name);
    if updating() {
        let _ = std::fs::remove_dir_all(&golden_root);
    }
    let files = tree(dir);
    for f in &files {
        let content = std::fs::read_to_string(dir.join(f)).unwrap();
        golden(&format!("{name}/{}", f.display()), &content);
    }
    assert_eq!(files, tree(&golden_root), "files written to {name}");
}

fn json_lines(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn entities(doc: &Value) -> Vec<(String, String)> {
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["text"].as_str().unwrap().to_string(),
                e["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Golden outputs

#[test]
fn every_format_on_standard_output() {
    for (format, ext) in [
        ("jsonl", "jsonl"),
        ("json", "json"),
        ("tsv", "tsv"),
        ("conll", "conll"),
        ("spacy", "spacy.jsonl"),
    ] {
        let mut args = vec!["tag", "docs", "--format", format];
        args.extend(G);
        let out = run(&args, None);
        // docs/invalid.txt fails; the others are tagged.
        assert_eq!(out.status.code(), Some(1), "--format {format}");
        golden(&format!("docs.{ext}"), &text(&out.stdout));
        golden("docs.stderr", &text(&out.stderr));
    }
}

#[test]
fn jsonl_fields_and_offsets() {
    let mut args = vec![
        "tag",
        "docs/bom.txt",
        "docs/accents.txt",
        "docs/sub/crlf.txt",
    ];
    args.extend(G);
    let out = run(&args, None);
    assert!(out.status.success());
    let docs = json_lines(&out);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["path"], "docs/bom.txt");
    let keys: Vec<&str> = docs[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["entities", "path"]);
    let lima = &docs[0]["entities"][0];
    let mut fields: Vec<&str> = lima
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "byte_end",
            "byte_start",
            "end",
            "id",
            "name",
            "source",
            "start",
            "text",
            "type",
            "utf16_end",
            "utf16_start"
        ]
    );
    // The BOM counts as one code point (three bytes), as Python's open(encoding="utf-8").
    assert_eq!(
        (lima["start"].as_u64(), lima["byte_start"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(lima["utf16_start"], 1);
    // An emoji before a name: 1 code point, 2 UTF-16 units, 4 bytes.
    let garcia = &docs[1]["entities"][0];
    assert_eq!(garcia["text"], "García Márquez");
    assert_eq!(
        (
            &garcia["start"],
            &garcia["utf16_start"],
            &garcia["byte_start"]
        ),
        (&Value::from(2), &Value::from(3), &Value::from(5))
    );
    assert_eq!(garcia["name"], "Gabriel García Márquez");
    assert_eq!(garcia["id"], "garcia-marquez");
    assert_eq!(garcia["source"], "gazetteer");
    // CRLF counts as two code points, exactly as stored.
    let raw = std::fs::read_to_string(fixtures().join("docs/sub/crlf.txt")).unwrap();
    let chars: Vec<char> = raw.chars().collect();
    for e in docs[2]["entities"].as_array().unwrap() {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let slice: String = chars[s..t].iter().collect();
        assert_eq!(slice, e["text"].as_str().unwrap());
    }
}

#[test]
fn brat_html_and_tsv_files_in_an_output_folder() {
    for (format, name) in [("brat", "brat"), ("html", "html"), ("tsv", "tsv")] {
        let tmp = tempfile::tempdir().unwrap();
        let out_dir = tmp.path().join("out");
        let mut args = vec!["tag", "docs", "--format", format, "--output"];
        let out_str = out_dir.to_str().unwrap().to_string();
        args.push(&out_str);
        args.extend(G);
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(1), "--format {format}");
        assert_eq!(text(&out.stdout), "", "nothing on standard output");
        golden_dir(name, &out_dir);
        // The invalid file and the binary file have no output; no temporary file is left.
        for f in tree(&out_dir) {
            let f = f.to_string_lossy().into_owned();
            assert!(!f.contains("invalid") && !f.contains("binary") && !f.contains("quipu-tmp"));
        }
    }
}

#[test]
fn html_is_escaped_and_marks_every_mention() {
    let mut args = vec!["tag", "docs/accents.txt", "--format", "html"];
    args.extend(G);
    let out = run(&args, None);
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("&lt;b&gt;<mark data-entity-type=\"PLACE\" data-entity-id=\"arequipa\""));
    assert!(page.contains("&amp; &quot;<mark"));
    assert!(page.contains("prefers-color-scheme: dark"));
    assert!(
        page.contains("mark[data-entity-type=\"EVENT\"]"),
        "custom types are coloured"
    );
    assert_eq!(
        page.matches("<mark data-entity-type=\"PLACE\" data-entity-id=")
            .count(),
        4
    );
    assert!(!page.contains("<b>"));
}

#[test]
fn lossy_replaces_invalid_utf8() {
    let mut args = vec!["tag", "docs/invalid.txt", "--lossy"];
    args.extend(G);
    let out = run(&args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    golden("lossy.jsonl", &text(&out.stdout));
}

#[test]
fn invalid_utf8_names_the_file_and_byte() {
    let mut args = vec!["tag", "docs/invalid.txt", "docs/bom.txt"];
    args.extend(G);
    quipu()
        .args(&args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "docs/invalid.txt: invalid UTF-8 at byte 5 (line 1)",
        ))
        .stderr(predicate::str::contains("--lossy"))
        .stdout(predicate::str::contains("\"path\":\"docs/bom.txt\""));
}

// ---------------------------------------------------------------------------------------
// JSON Lines streams

#[test]
fn jsonl_stream_keeps_one_line_per_line() {
    let input = std::fs::read(fixtures().join("stream.jsonl")).unwrap();
    let mut args = vec!["tag", "--input", "jsonl"];
    args.extend(G);
    let out = run(&args, Some(&input));
    assert_eq!(
        out.status.code(),
        Some(1),
        "malformed lines make the exit code 1"
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), input.iter().filter(|&&b| b == b'\n').count());
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("line 3: not JSON"));
    assert_eq!(lines[3]["id"], 4);
    assert_eq!(lines[6]["id"], Value::Null);
    assert_eq!(
        entities(&lines[6]),
        [("Chabuca Granda".into(), "PERSON".into())]
    );
    golden("stream.jsonl", &text(&out.stdout));
    golden("stream.stderr", &text(&out.stderr));
}

#[test]
fn jsonl_stream_answers_each_line_before_the_next() {
    // A pipeline that sends one line and waits for its answer (as some pipe() users do).
    let mut child = Command::new(bin())
        .current_dir(fixtures())
        .args(["tag", "--input", "jsonl"])
        .args(G)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    for (i, city) in ["Lima", "Cusco", "Arequipa"].iter().enumerate() {
        writeln!(stdin, r#"{{"id": {i}, "text": "To {city}."}}"#).unwrap();
        stdin.flush().unwrap();
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("an answer while standard input is still open");
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], i);
        assert_eq!(v["entities"][0]["text"], *city);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn jsonl_stream_with_a_bom_and_crlf() {
    let input =
        "\u{feff}{\"id\": \"x\", \"text\": \"Lima\"}\r\n{\"id\": \"y\", \"text\": \"Cusco\"}";
    let out = run(
        &[&["tag", "--input", "jsonl"][..], &G].concat(),
        Some(input.as_bytes()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(entities(&lines[0]), [("Lima".into(), "PLACE".into())]);
    assert_eq!(entities(&lines[1]), [("Cusco".into(), "PLACE".into())]);
}

#[test]
fn jsonl_stream_invalid_utf8_line() {
    let input = b"{\"id\": 1, \"text\": \"Lima \xff\"}\n{\"id\": 2, \"text\": \"Cusco\"}\n";
    let args = [&["tag", "--input", "jsonl"][..], &G].concat();
    let out = run(&args, Some(input));
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    assert_eq!(entities(&lines[1]), [("Cusco".into(), "PLACE".into())]);
    assert!(text(&out.stderr).contains("standard input: line 1: invalid UTF-8"));
    let out = run(&[&args[..], &["--lossy"]].concat(), Some(input));
    assert!(out.status.success());
    assert_eq!(
        entities(&json_lines(&out)[0]),
        [("Lima".into(), "PLACE".into())]
    );
}

// ---------------------------------------------------------------------------------------
// Inputs

#[test]
fn standard_input_with_no_path_or_a_dash() {
    for args in [vec!["tag"], vec!["tag", "-"]] {
        let out = run(
            &[&args[..], &G].concat(),
            Some("Hola desde Cuzco".as_bytes()),
        );
        assert!(out.status.success());
        let docs = json_lines(&out);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0]["path"], "-");
        assert_eq!(entities(&docs[0]), [("Cuzco".into(), "PLACE".into())]);
    }
}

#[test]
fn folders_are_walked_in_sorted_order_with_globs() {
    let paths = |extra: &[&str]| -> Vec<String> {
        let out = run(&[&["tag", "docs"][..], extra, &G].concat(), None);
        json_lines(&out)
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paths(&[]),
        [
            "docs/accents.txt",
            "docs/bom.txt",
            "docs/caps.txt",
            "docs/notes.md",
            "docs/sub/crlf.txt"
        ]
    );
    assert_eq!(paths(&["--include", "*.md"]), ["docs/notes.md"]);
    assert_eq!(
        paths(&[
            "--include",
            "*.txt",
            "--exclude",
            "sub/**",
            "--exclude",
            "c*"
        ]),
        ["docs/accents.txt", "docs/bom.txt"]
    );
    assert_eq!(paths(&["--exclude", "sub"]).len(), 4);
}

#[test]
fn binary_files_are_skipped_with_a_warning() {
    let args = [
        "tag",
        "docs/binary.bin",
        "--no-default-gazetteer",
        "-g",
        "names.gaz",
    ];
    quipu()
        .args(args)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("docs/binary.bin: looks binary"));
    quipu()
        .args(args)
        .arg("--quiet")
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_missing_input_fails_alone() {
    quipu()
        .args(["tag", "nope.txt", "docs/caps.txt"])
        .args(G)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nope.txt: no such file or folder: check the path",
        ))
        .stdout(predicate::str::contains("docs/caps.txt"));
}

#[test]
fn a_long_single_line_is_tagged() {
    let line = "Lima y Cusco. ".repeat(40_000);
    let out = run(&[&["tag"][..], &G].concat(), Some(line.as_bytes()));
    assert!(out.status.success());
    assert_eq!(
        json_lines(&out)[0]["entities"].as_array().unwrap().len(),
        80_000
    );
}

#[test]
fn garbage_never_panics() {
    let mut junk: Vec<u8> = (1..=255u8).cycle().take(20_000).collect();
    junk.extend_from_slice("Lima \u{301}\u{feff}\u{200d}".as_bytes());
    for format in ["jsonl", "tsv", "conll", "brat", "spacy", "html", "json"] {
        let out = run(
            &[&["tag", "--lossy", "-f", format][..], &G].concat(),
            Some(&junk),
        );
        assert!(
            out.status.success(),
            "--format {format}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains("panicked"));
    }
}

// ---------------------------------------------------------------------------------------
// Gazetteers and types

#[test]
fn default_gazetteer_finds_lima() {
    let out = run(&["tag"], Some("THE EMBASSY IN LIMA REPORTED.".as_bytes()));
    assert!(out.status.success());
    let docs = json_lines(&out);
    assert!(entities(&docs[0]).contains(&("LIMA".into(), "PLACE".into())));
    let out = run(
        &["tag", "--no-default-gazetteer", "--no-rules"],
        Some("THE EMBASSY IN LIMA REPORTED.".as_bytes()),
    );
    assert!(out.status.success());
    assert!(entities(&json_lines(&out)[0]).is_empty());
}

#[test]
fn json_gazetteers_add_and_remove() {
    let out = run(
        &[&["tag"][..], &G, &["--gazetteer", "extra.json"]].concat(),
        Some("De Lima a Huancayo.".as_bytes()),
    );
    assert!(out.status.success());
    // extra.json removes lima and adds Huancayo.
    assert_eq!(
        entities(&json_lines(&out)[0]),
        [("Huancayo".into(), "PLACE".into())]
    );
}

#[test]
fn types_filter_the_output() {
    let input = "Vargas Llosa en Lima, San Marcos.";
    let out = run(
        &[&["tag", "--types", "place,INSTITUTION"][..], &G].concat(),
        Some(input.as_bytes()),
    );
    assert!(out.status.success());
    assert_eq!(
        entities(&json_lines(&out)[0]),
        [
            ("Lima".into(), "PLACE".into()),
            ("San Marcos".into(), "INSTITUTION".into())
        ]
    );
    quipu()
        .args([
            "tag",
            "--no-default-gazetteer",
            "-g",
            "names.gaz",
            "--types",
            "PLACES",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no gazetteer has entities of type PLACES",
        ));
    quipu()
        .args(["tag", "--types", "PLACE,,PERSON"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--types has an empty type"));
    quipu()
        .args(["tag", "--types", "PER SON"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a type name"));
}

#[test]
fn rules_and_linking_can_be_turned_off() {
    let input = "Gen. Pedro Ruiz Castañeda arrived.";
    let found = |extra: &[&str]| {
        let out = run(
            &[
                &["tag", "--no-default-gazetteer", "-g", "names.gaz"][..],
                extra,
            ]
            .concat(),
            Some(input.as_bytes()),
        );
        assert!(out.status.success());
        json_lines(&out)[0]["entities"].as_array().unwrap().clone()
    };
    let with_rules = found(&[]);
    assert!(
        with_rules
            .iter()
            .any(|e| e["text"].as_str().unwrap().contains("Ruiz")
                && e["source"].as_str().unwrap().starts_with("rule:")),
        "{with_rules:?}"
    );
    assert!(found(&["--no-rules", "--no-linking"]).is_empty());
}

#[test]
fn gazetteer_errors_exit_2_and_name_the_line() {
    quipu()
        .args(["tag", "-g", "bad.gaz", "docs/caps.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("bad.gaz:2: missing column"))
        .stderr(predicate::str::contains("docs/gazetteer-format.md"));
    quipu()
        .args(["tag", "-g", "missing.gaz", "docs/caps.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read gazetteer missing.gaz: check the path given to --gazetteer",
        ));
}

// ---------------------------------------------------------------------------------------
// Usage errors and the output folder

#[test]
fn usage_errors_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["tag", "--format", "xml"], "invalid value 'xml'"),
        (
            &["tag", "docs", "--format", "brat", "--no-default-gazetteer"],
            "add --output DIR",
        ),
        (
            &["tag", "docs", "--format", "html", "--no-default-gazetteer"],
            "add --output DIR",
        ),
        (
            &["tag", "--input", "jsonl", "--format", "tsv"],
            "drop --format tsv",
        ),
        (
            &["tag", "--input", "jsonl", "docs"],
            "reads standard input only",
        ),
        (&["tag", "--input", "jsonl", "-o", "x"], "drop --output"),
        (
            &["tag", "docs", "--include", "a[b"],
            "--include 'a[b' is not a valid glob",
        ),
        (&["tag", "--jobs", "0"], "--jobs must be at least 1"),
        (&["tag", "--no-such-flag"], "unexpected argument"),
        (&["frobnicate"], "unrecognized subcommand"),
        (&[], "Usage"),
    ];
    for (args, message) in cases {
        quipu()
            .args(*args)
            .write_stdin("")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*message));
    }
}

#[test]
fn the_output_folder_is_never_beside_or_over_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input_dir = tmp.path().join("in");
    std::fs::create_dir_all(input_dir.join("a")).unwrap();
    std::fs::create_dir_all(input_dir.join("b")).unwrap();
    std::fs::write(input_dir.join("a/doc.txt"), "Lima").unwrap();
    std::fs::write(input_dir.join("b/doc.txt"), "Cusco").unwrap();
    std::fs::write(input_dir.join("b/doc.md"), "Cusco").unwrap();
    let t = |p: &str| tmp.path().join(p).to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![t("in"), "-o".into(), t("in/out")],
            "is inside the input folder",
        ),
        (
            vec![t("in/a/doc.txt"), "-o".into(), t("in")],
            "contains the input",
        ),
        (
            vec![t("in/a/doc.txt"), "-o".into(), t("in/a")],
            "contains the input",
        ),
        (
            vec![t("in/a/doc.txt"), t("in/b/doc.txt"), "-o".into(), t("out")],
            "would both be written to",
        ),
        (
            vec![t("in/b"), "-o".into(), t("out")],
            "would both be written to",
        ),
        (vec![t("in/a"), "-o".into(), t("in/a/doc.txt")], "is a file"),
    ];
    for (args, message) in cases {
        quipu()
            .arg("tag")
            .args(&args)
            .args(G)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    assert!(!tmp.path().join("out").exists());
    assert!(!tmp.path().join("in/out").exists());
    // Folders mirror below --output, with the format's extension.
    quipu()
        .args(["tag", &t("in"), "-o", &t("tagged"), "-f", "spacy"])
        .args(G)
        .args(["--exclude", "*.md"])
        .assert()
        .success();
    assert_eq!(
        tree(&tmp.path().join("tagged")),
        [
            PathBuf::from("a/doc.spacy.json"),
            PathBuf::from("b/doc.spacy.json")
        ]
    );
    // Standard input goes to stdin.<ext>.
    quipu()
        .args(["tag", "-", "-o", &t("tagged")])
        .args(G)
        .write_stdin("Lima")
        .assert()
        .success();
    let written = std::fs::read_to_string(tmp.path().join("tagged/stdin.jsonl")).unwrap();
    assert!(written.starts_with("{\"path\":\"-\""));
}

// ---------------------------------------------------------------------------------------
// Help

#[test]
fn help_shows_examples() {
    for args in [
        vec!["--help"],
        vec!["tag", "--help"],
        vec!["gazetteer", "check", "--help"],
        vec!["gazetteer", "stats", "--help"],
        vec!["eval", "--help"],
    ] {
        quipu()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains("quipu "));
    }
    quipu()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("quipu "));
}

// ---------------------------------------------------------------------------------------
// quipu gazetteer

#[test]
fn gazetteer_check() {
    quipu()
        .args([
            "gazetteer",
            "check",
            "--no-default-gazetteer",
            "names.gaz",
            "extra.json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ok: names.gaz: 11 defined, 0 added to, 0 removed",
        ))
        .stdout(predicate::str::contains(
            "ok: extra.json: 1 defined, 0 added to, 1 removed",
        ))
        .stdout(predicate::str::contains(
            "11 entities after merging; 0 warnings",
        ));
    quipu()
        .args([
            "gazetteer",
            "check",
            "--no-default-gazetteer",
            "names.gaz",
            "adds.gaz",
        ])
        .assert()
        .success();
    quipu()
        .args(["gazetteer", "check", "--no-default-gazetteer", "adds.gaz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "adds.gaz:1: '+lima' adds to an entity",
        ));
    quipu()
        .args(["gazetteer", "check", "bad.gaz", "missing.gaz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.gaz:2:"))
        .stderr(predicate::str::contains("missing.gaz"));
    // Lint: the warnings concern the file checked, and do not fail the check.
    quipu()
        .args(["gazetteer", "check", "lint.gaz"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: alias 'may' is shared by 2 entities",
        ));
    let out = run(
        &[
            "gazetteer",
            "check",
            "--json",
            "--no-default-gazetteer",
            "lint.gaz",
        ],
        None,
    );
    assert!(out.status.success());
    let kinds: Vec<String> = json_lines(&out)
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"shared-alias".to_string()), "{kinds:?}");
}

#[test]
fn gazetteer_stats() {
    let out = run(
        &[
            "gazetteer",
            "stats",
            "--no-default-gazetteer",
            "--json",
            "names.gaz",
        ],
        None,
    );
    assert!(out.status.success());
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["entities"], 11);
    assert_eq!(stats["by_type"]["PLACE"], 5);
    assert_eq!(stats["by_type"]["PERSON"], 3);
    assert_eq!(stats["by_type"]["INSTITUTION"], 2);
    assert_eq!(stats["by_type"]["EVENT"], 1);
    assert_eq!(stats["gazetteers"], serde_json::json!(["names.gaz"]));
    assert!(stats["aliases"].as_u64().unwrap() >= 17);
    quipu()
        .args(["gazetteer", "stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains("gazetteers: (default)"))
        .stdout(predicate::str::contains("PLACE"))
        .stdout(predicate::str::contains("patterns"));
}

// ---------------------------------------------------------------------------------------
// quipu eval

fn eval_json(args: &[&str]) -> (Value, Output) {
    let out = run(&[&["eval"][..], args, &["--json"]].concat(), None);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (report, out)
}

fn counts(report: &Value, row: &str) -> (u64, u64, u64) {
    let r = if row == "overall" {
        &report["overall"]
    } else {
        report["types"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["type"] == row)
            .unwrap()
    };
    let s = &r["strict"];
    (
        s["tp"].as_u64().unwrap(),
        s["fp"].as_u64().unwrap(),
        s["fn"].as_u64().unwrap(),
    )
}

#[test]
fn eval_tags_a_gold_folder() {
    let (report, out) = eval_json(&[
        "eval",
        "--no-default-gazetteer",
        "-g",
        "names.gaz",
        "--no-rules",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(report["documents"], 2);
    // Huancayo is not in names.gaz; LIMA in the ignored header is not counted.
    assert_eq!(counts(&report, "overall"), (5, 0, 1));
    assert_eq!(report["misses"][0]["text"], "Huancayo");
    assert_eq!(report["ignored_predictions"], 1);
    // With extra.json, Huancayo is found and Lima (which it removes) is missed.
    let (report, _) = eval_json(&[
        "eval",
        "--no-default-gazetteer",
        "-g",
        "names.gaz",
        "-g",
        "extra.json",
        "--no-rules",
    ]);
    assert_eq!(counts(&report, "PLACE"), (2, 0, 1));
    assert_eq!(report["misses"][0]["text"], "Lima");
    // The text report: the table, then the mistakes in context.
    quipu()
        .args([
            "eval",
            "eval/two.txt.json",
            "--no-default-gazetteer",
            "-g",
            "names.gaz",
            "--no-rules",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("overall"))
        .stdout(predicate::str::contains("misses (1):"))
        .stdout(predicate::str::contains("[Huancayo]"));
}

#[test]
fn eval_scores_earlier_predictions() {
    let out = run(
        &["eval", "eval", "--pred", "eval-preds.jsonl", "--json"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts(&report, "PERSON"), (1, 0, 1));
    assert_eq!(report["confusions"][0]["text"], "Huancayo");
    assert!(text(&out.stderr).contains("predictions for three.txt have no gold file"));
    quipu()
        .args([
            "eval",
            "eval",
            "--pred",
            "eval-preds.jsonl",
            "--types",
            "PERSON",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("do not apply"));
    quipu()
        .args(["eval", "eval", "--pred", "bad.gaz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("predictions bad.gaz"));
}

#[test]
fn eval_reports_missing_gold() {
    quipu()
        .args([
            "eval",
            "nope/",
            "eval/one.txt.json",
            "--no-default-gazetteer",
            "-g",
            "names.gaz",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope/: no such file or folder"))
        .stdout(predicate::str::contains("1 docs"));
}

#[test]
fn a_snapshot_tags_as_its_gazetteers_do() {
    let tmp = tempfile::tempdir().unwrap();
    let snap = tmp.path().join("names.snapshot");
    let snap_arg = snap.to_str().unwrap();
    quipu()
        .args([
            "gazetteer",
            "snapshot",
            "-o",
            snap_arg,
            "--no-default-gazetteer",
            "-g",
            "names.gaz",
            "-g",
            "extra.json",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote").and(predicate::str::contains("entities")));
    let input = "De Lima a Huancayo. Vargas Llosa en San Marcos; HUANCAYO.";
    let options = ["--no-rules", "--no-linking", "--quiet"];
    let built = run(
        &[
            &[
                "tag",
                "--no-default-gazetteer",
                "-g",
                "names.gaz",
                "-g",
                "extra.json",
            ][..],
            &options,
        ]
        .concat(),
        Some(input.as_bytes()),
    );
    let read = run(
        &[&["tag", "--snapshot", snap_arg][..], &options].concat(),
        Some(input.as_bytes()),
    );
    assert!(built.status.success() && read.status.success());
    assert!(!entities(&json_lines(&built)[0]).is_empty());
    assert_eq!(text(&read.stdout), text(&built.stdout));
    // --types applies on top of the snapshot.
    let people = run(
        &[
            &["tag", "--snapshot", snap_arg, "--types", "PERSON"][..],
            &options,
        ]
        .concat(),
        Some(input.as_bytes()),
    );
    let found = entities(&json_lines(&people)[0]);
    assert!(
        !found.is_empty() && found.iter().all(|(_, t)| t == "PERSON"),
        "{found:?}"
    );
}

#[test]
fn a_bad_snapshot_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    // Not a snapshot; a snapshot cut short: named, never a panic.
    let snap = tmp.path().join("cut.snapshot");
    quipu()
        .args([
            "gazetteer",
            "snapshot",
            "-o",
            snap.to_str().unwrap(),
            "--no-default-gazetteer",
            "-g",
            "names.gaz",
        ])
        .assert()
        .success();
    let bytes = std::fs::read(&snap).unwrap();
    std::fs::write(&snap, &bytes[..bytes.len() - 10]).unwrap();
    for (path, says) in [
        ("names.gaz", "not a Quipu snapshot"),
        (snap.to_str().unwrap(), "cut short"),
    ] {
        quipu()
            .args(["tag", "--snapshot", path])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(path).and(predicate::str::contains(says)));
    }
    // With gazetteers it conflicts; over one of its own gazetteers it is not written.
    quipu()
        .args(["tag", "--snapshot", "x", "-g", "names.gaz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    let gaz = tmp.path().join("mine.gaz");
    std::fs::write(&gaz, "kenna | PERSON | Lisa Kenna | Kenna\n").unwrap();
    let g = gaz.to_str().unwrap();
    quipu()
        .args(["gazetteer", "snapshot", "-o", g, "-g", g])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would replace it"));
    assert_eq!(
        std::fs::read_to_string(&gaz).unwrap(),
        "kenna | PERSON | Lisa Kenna | Kenna\n"
    );
}
