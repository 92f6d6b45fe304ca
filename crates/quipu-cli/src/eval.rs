//! `quipu eval`: finds gold files and their texts, tags them (or reads predictions), and
//! prints the library's report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use quipu::eval::{document_key, parse_gold, parse_predictions, Annotated, Evaluation};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::cli::EvalArgs;
use crate::input::{decode, io_reason, Decoded};
use crate::report::Reporter;
use crate::{Fatal, Status};

/// A gold file found, not yet read.
struct GoldFile {
    path: PathBuf,
}

/// JSON files below `dir`, sorted by path, skipping hidden ones.
fn json_files(dir: &Path, reporter: &Reporter) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && has_json_extension(e.path()) => {
                out.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => reporter.error(&format!("{}: {e}", dir.display())),
        }
    }
    out
}

fn has_json_extension(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The text a gold file annotates: `x.txt` for `x.txt.json`, else the `doc` it names,
/// beside it.
fn text_path(gold_path: &Path, gold: &Annotated) -> PathBuf {
    let beside = gold_path.with_extension("");
    if beside.is_file() {
        return beside;
    }
    gold_path.parent().unwrap_or(Path::new(".")).join(&gold.doc)
}

fn find_gold(args: &EvalArgs, reporter: &Reporter) -> Vec<GoldFile> {
    let mut out = Vec::new();
    for p in &args.gold {
        if p.is_dir() {
            // In a folder, a gold file is a JSON file with its text beside it.
            let found: Vec<GoldFile> = json_files(p, reporter)
                .into_iter()
                .filter(|j| j.with_extension("").is_file())
                .map(|path| GoldFile { path })
                .collect();
            if found.is_empty() {
                reporter.error(&format!(
                    "{}: no gold files (x.txt.json beside x.txt) in this folder",
                    p.display()
                ));
            }
            out.extend(found);
        } else if p.is_file() {
            out.push(GoldFile { path: p.clone() });
        } else {
            reporter.error(&format!(
                "{}: no such file or folder: check the path",
                p.display()
            ));
        }
    }
    out
}

fn read_text(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {}", io_reason(&e)))?;
    match decode(&name, bytes, false) {
        Decoded::Text(t) => Ok(t),
        Decoded::Binary(w) | Decoded::Invalid(w) => Err(w),
    }
}

/// Reads the predictions files, keyed by [`document_key`].
fn read_predictions(
    paths: &[PathBuf],
    reporter: &Reporter,
) -> Result<HashMap<String, Annotated>, Fatal> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(json_files(p, reporter));
        } else {
            files.push(p.clone());
        }
    }
    let mut out = HashMap::new();
    for f in files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(&f).map_err(|e| {
            anyhow!(
                "cannot read predictions {name}: {}: check the path given to --pred",
                io_reason(&e)
            )
        })?;
        let docs = parse_predictions(&name, text.strip_prefix('\u{feff}').unwrap_or(&text))
            .map_err(|e| {
                anyhow!(
                    "predictions {e}: fix the file (JSON Lines from quipu tag, or gold-like JSON)"
                )
            })?;
        for d in docs {
            let key = document_key(&d.doc).to_string();
            if out.insert(key.clone(), d).is_some() {
                reporter.warn(&format!(
                    "{name}: predictions for {key} given twice: the last ones count"
                ));
            }
        }
    }
    Ok(out)
}

/// `quipu eval`
pub fn run(args: EvalArgs) -> Result<Status, Fatal> {
    let reporter = Reporter::new(args.quiet);
    let tagger = if args.pred.is_empty() {
        Some(crate::gazetteer::build_tagger(&args.tagger, &reporter)?)
    } else {
        if !args.tagger.gazetteer.gazetteers.is_empty()
            || args.tagger.gazetteer.no_default_gazetteer
            || args.tagger.gazetteer.types.is_some()
            || args.tagger.no_rules
            || args.tagger.no_linking
            || args.tagger.snapshot.is_some()
        {
            bail!("--pred scores predictions made earlier: the tagger options (--gazetteer, --types, ...) do not apply; drop them or drop --pred");
        }
        None
    };
    let mut predictions = if args.pred.is_empty() {
        HashMap::new()
    } else {
        read_predictions(&args.pred, &reporter)?
    };
    let gold_files = find_gold(&args, &reporter);

    // Read (and tag) in parallel; score in order.
    type Loaded = Result<(String, Annotated, Option<Vec<quipu::Span>>), String>;
    let loaded: Vec<Loaded> = gold_files
        .par_iter()
        .map(|g| {
            let name = g.path.display().to_string();
            let json = std::fs::read_to_string(&g.path)
                .map_err(|e| format!("{name}: {}", io_reason(&e)))?;
            let gold = parse_gold(&name, json.strip_prefix('\u{feff}').unwrap_or(&json))
                .map_err(|e| format!("{e}: fix the gold file (see the corpus GUIDELINES.md)"))?;
            let text = read_text(&text_path(&g.path, &gold))?;
            let spans = tagger.as_ref().map(|t| t.tag(&text));
            Ok((text, gold, spans))
        })
        .collect();

    let mut evaluation = Evaluation::new().context(args.context);
    for item in loaded {
        let (text, gold, spans) = match item {
            Ok(x) => x,
            Err(e) => {
                reporter.error(&e);
                continue;
            }
        };
        let result = match spans {
            Some(spans) => evaluation.add_spans(&text, &gold, &spans),
            None => {
                let key = document_key(&gold.doc).to_string();
                let predicted = predictions.remove(&key).unwrap_or_else(|| {
                    reporter.warn(&format!(
                        "no predictions for {key}: scored as if nothing was found"
                    ));
                    Annotated::default()
                });
                evaluation.add(&text, &gold, &predicted.entities)
            }
        };
        if let Err(e) = result {
            reporter.error(&format!("{e}: document not scored"));
        }
    }
    let mut unused: Vec<&String> = predictions.keys().collect();
    unused.sort();
    for key in unused {
        reporter.warn(&format!("predictions for {key} have no gold file: ignored"));
    }

    let report = evaluation.report();
    let out = if args.json {
        let mut report = report;
        if let Some(limit) = args.limit {
            report.misses.truncate(limit);
            report.false_alarms.truncate(limit);
            report.confusions.truncate(limit);
        }
        serde_json::to_string_pretty(&report).expect("reports serialise") + "\n"
    } else {
        format!("{}\n{}", report.table(), report.mistakes(args.limit))
    };
    crate::output::print_stdout(&out)?;
    Ok(reporter.status())
}
