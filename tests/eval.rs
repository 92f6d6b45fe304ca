//! Accuracy of the default gazetteer on the annotated fixtures in `fixtures/eval/`, with floors
//! recorded in `fixtures/eval/floors.json`, and a report on the sample corpus in
//! `../shared/corpus` when it is there.
//!
//! Run with `cargo test -p quipu-tests --test eval -- --nocapture` to see the tables.

use std::fs;
use std::path::{Path, PathBuf};

use quipu::eval::{parse_gold, Evaluation, Report};
use quipu::Tagger;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eval")
}

/// Tags every `NAME.txt` of `dir` that has a `NAME.txt.json` beside it and scores it.
fn evaluate(dir: &Path) -> (Report, usize) {
    let tagger = Tagger::new().expect("the default tagger builds");
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| p.with_extension("txt.json").exists())
        .collect();
    paths.sort();
    let mut eval = Evaluation::new();
    for path in &paths {
        let text = fs::read_to_string(path).unwrap();
        let gold_path = path.with_extension("txt.json");
        let gold = parse_gold(
            &gold_path.display().to_string(),
            &fs::read_to_string(&gold_path).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            gold.doc,
            path.file_name().unwrap().to_str().unwrap(),
            "the gold file names its document"
        );
        eval.add_spans(&text, &gold, &tagger.tag(&text))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    (eval.report(), paths.len())
}

fn assert_in_unit_range(report: &Report) {
    for row in report.types.iter().chain([&report.overall]) {
        for score in [row.strict, row.overlap] {
            for v in [score.precision, score.recall, score.f1] {
                assert!((0.0..=1.0).contains(&v), "{}: {v}", row.entity_type);
            }
        }
        assert!(row.overlap.tp >= row.strict.tp, "{}", row.entity_type);
    }
}

#[test]
fn fixtures_do_not_regress() {
    let (report, documents) = evaluate(&fixtures());
    assert!(
        documents >= 6,
        "expected at least 6 fixtures, found {documents}"
    );
    println!("{}", report.table());
    println!("{}", report.mistakes(None));
    assert_in_unit_range(&report);

    let floors: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(fixtures().join("floors.json")).unwrap()).unwrap();
    let floors = floors["strict_f1"]
        .as_object()
        .expect("floors.json has a strict_f1 object");
    let mut failures = Vec::new();
    for (entity_type, floor) in floors {
        let floor = floor.as_f64().expect("floors are numbers");
        match report.row(entity_type) {
            Some(row) if row.strict.f1 >= floor => {}
            Some(row) => failures.push(format!(
                "{entity_type}: strict F1 {:.3} < floor {floor:.3}",
                row.strict.f1
            )),
            None => failures.push(format!("{entity_type}: no row in the report")),
        }
    }
    assert!(
        failures.is_empty(),
        "accuracy regressed on tests/fixtures/eval:\n{}",
        failures.join("\n")
    );
}

#[test]
fn fixture_gold_files_are_consistent() {
    // Every gold file parses and its offsets and texts agree with its document.
    let dir = fixtures();
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_str().unwrap();
        if let Some(doc) = name.strip_suffix(".txt.json").map(|d| format!("{d}.txt")) {
            let gold = parse_gold(name, &fs::read_to_string(&path).unwrap()).unwrap();
            quipu::eval::check_text(&fs::read_to_string(doc).unwrap(), &gold)
                .unwrap_or_else(|e| panic!("{e}"));
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

#[test]
fn sample_corpus_report() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !corpus.is_dir() {
        // CI always has the corpus beside the clone; elsewhere it may be missing.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} not found",
            corpus.display()
        );
        println!("{} not found: nothing to report", corpus.display());
        return;
    }
    let (report, documents) = evaluate(&corpus);
    println!("{}", report.table());
    println!("{}", report.mistakes(None));
    assert!(documents > 0);
    assert_eq!(report.documents, documents);
    assert_in_unit_range(&report);
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["overall"]["strict"]["f1"].is_number());
    // The target of the default gazetteer issue: strict F1 at least 0.90 overall and 0.85 for
    // each type.
    assert!(
        report.overall.strict.f1 >= 0.90,
        "overall strict F1 {:.3}",
        report.overall.strict.f1
    );
    for t in ["PERSON", "PLACE", "INSTITUTION"] {
        let f1 = report.row(t).map(|r| r.strict.f1).unwrap_or(0.0);
        assert!(f1 >= 0.85, "{t} strict F1 {f1:.3}");
    }
}
