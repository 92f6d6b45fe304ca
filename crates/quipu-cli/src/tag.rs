//! `quipu tag`: documents in parallel, output in order; JSON Lines streams.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use anyhow::{bail, Context};
use quipu::format::Format;
use quipu::{Span, Tagger};
use rayon::prelude::*;

use crate::cli::{InputKind, TagArgs};
use crate::input::{decode, discover, io_reason, Decoded, Filters, Input, Origin};
use crate::output::{
    flush_stdout, output_path, render_file, render_piece, resolve, write_atomic, write_stdout,
    IdDoc,
};
use crate::report::Reporter;
use crate::{Fatal, Status};

/// At most this many bytes of input are held at once (unless one document is larger).
const CHUNK_BYTES: u64 = 64 << 20;

/// `quipu tag`
pub fn run(args: TagArgs) -> Result<Status, Fatal> {
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            bail!("--jobs must be at least 1");
        }
        // Fails only if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    let mut reporter = Reporter::new(args.quiet);
    if args.input == InputKind::Jsonl {
        if args.format != Format::Jsonl {
            bail!(
                "--input jsonl writes JSON Lines only: drop --format {}",
                args.format
            );
        }
        if args.output.is_some() {
            bail!("--input jsonl writes to standard output: drop --output");
        }
        if args.paths.iter().any(|p| p.as_os_str() != "-") {
            bail!("--input jsonl reads standard input only: drop the paths, e.g. quipu tag --input jsonl < docs.jsonl");
        }
        let tagger = crate::gazetteer::build_tagger(&args.tagger, &reporter)?;
        return stream(&tagger, args.lossy, &reporter);
    }
    let filters = Filters::new(&args.include, &args.exclude)?;
    let tagger = crate::gazetteer::build_tagger(&args.tagger, &reporter)?;
    let found = discover(&args.paths, &filters, &reporter);
    let inputs = found.inputs;

    let mut targets: Vec<Option<std::path::PathBuf>> = vec![None; inputs.len()];
    if let Some(dir) = &args.output {
        check_output_dir(dir, &inputs, &found.folders)?;
        let mut seen: HashMap<std::path::PathBuf, &Input> = HashMap::new();
        for (i, input) in inputs.iter().enumerate() {
            let target = output_path(dir, &input.rel, args.format);
            if let Some(other) = seen.insert(target.clone(), input) {
                bail!(
                    "{} and {} would both be written to {}: tag them in separate runs, or give their folder instead of the files",
                    other.display,
                    input.display,
                    target.display()
                );
            }
            targets[i] = Some(target);
        }
    } else if matches!(args.format, Format::Brat | Format::Html) && inputs.len() > 1 {
        bail!(
            "--format {} writes one file per document: add --output DIR to tag {} documents",
            args.format,
            inputs.len()
        );
    }
    if inputs.iter().any(|i| i.origin == Origin::Stdin)
        && std::io::stdin().is_terminal()
        && !args.quiet
    {
        eprintln!("quipu: reading standard input (end with Ctrl-D; quipu tag --help for files)");
    }

    reporter.progress(inputs.len() as u64);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_err = |e: std::io::Error| anyhow::anyhow!("cannot write to standard output: {e}");
    let several = inputs.len() > 1;
    let mut written = 0usize;
    if args.output.is_none() {
        match args.format {
            Format::Tsv => write_stdout(&mut out, quipu::format::TSV_HEADER).map_err(write_err)?,
            Format::Json => write_stdout(&mut out, "[").map_err(write_err)?,
            _ => {}
        }
    }
    let work: Vec<(&Input, Option<std::path::PathBuf>)> = inputs.iter().zip(targets).collect();
    let mut start = 0;
    while start < work.len() {
        // A chunk: enough documents to keep every thread busy, within CHUNK_BYTES.
        let mut end = start;
        let mut bytes = 0;
        let max_docs = rayon::current_num_threads() * 8;
        while end < work.len()
            && (end == start || (bytes + work[end].0.size <= CHUNK_BYTES && end - start < max_docs))
        {
            bytes += work[end].0.size;
            end += 1;
        }
        let results: Vec<Outcome> = work[start..end]
            .par_iter()
            .map(|(input, target)| {
                let r = catch_unwind(AssertUnwindSafe(|| {
                    process(&tagger, input, target.as_deref(), args.format, args.lossy)
                }));
                reporter.step();
                r.unwrap_or_else(|_| {
                    Outcome::Failed(format!(
                        "{}: internal error while tagging (please report it with the file)",
                        input.display
                    ))
                })
            })
            .collect();
        for r in results {
            match r {
                Outcome::Done(piece) => {
                    if args.output.is_none() {
                        let piece = match args.format {
                            Format::Json => {
                                let sep = if written == 0 { "\n" } else { ",\n" };
                                format!("{sep}{}", indent(piece.trim_end()))
                            }
                            Format::Conll if several => format!("-DOCSTART-\tO\n\n{piece}"),
                            _ => piece,
                        };
                        write_stdout(&mut out, &piece).map_err(write_err)?;
                    }
                    written += 1;
                }
                Outcome::Skipped(w) => reporter.warn(&w),
                Outcome::Failed(e) => reporter.error(&e),
            }
        }
        flush_stdout(&mut out).map_err(write_err)?;
        start = end;
    }
    if args.output.is_none() && args.format == Format::Json {
        let end = if written == 0 { "]\n" } else { "\n]\n" };
        write_stdout(&mut out, end).map_err(write_err)?;
    }
    flush_stdout(&mut out).map_err(write_err)?;
    reporter.finish();
    Ok(reporter.status())
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refuses an output folder that contains an input, or lies inside an input folder.
fn check_output_dir(
    dir: &std::path::Path,
    inputs: &[Input],
    folders: &[std::path::PathBuf],
) -> Result<(), Fatal> {
    if dir.is_file() {
        bail!(
            "--output {} is a file: give a folder (it is created if missing)",
            dir.display()
        );
    }
    let out = resolve(dir);
    for folder in folders {
        if out.starts_with(resolve(folder)) {
            bail!(
                "--output {} is inside the input folder {}: choose a folder outside the inputs (quipu never writes beside its inputs)",
                dir.display(),
                folder.display()
            );
        }
    }
    for input in inputs {
        if let Origin::File(path) = &input.origin {
            if resolve(path).starts_with(&out) {
                bail!(
                    "--output {} contains the input {}: choose a folder outside the inputs (quipu never writes beside or over its inputs)",
                    dir.display(),
                    input.display
                );
            }
        }
    }
    Ok(())
}

/// What became of one document.
enum Outcome {
    /// Tagged: the rendered piece for standard output (empty when written to a file).
    Done(String),
    /// Skipped, with a warning.
    Skipped(String),
    /// Failed, with an error.
    Failed(String),
}

fn process(
    tagger: &Tagger,
    input: &Input,
    target: Option<&std::path::Path>,
    format: Format,
    lossy: bool,
) -> Outcome {
    let bytes = match &input.origin {
        Origin::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
        Origin::File(path) => std::fs::read(path),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("{}: {}", input.display, io_reason(&e))),
    };
    let text = match decode(&input.display, bytes, lossy) {
        Decoded::Text(t) => t,
        Decoded::Binary(w) => return Outcome::Skipped(w),
        Decoded::Invalid(e) => return Outcome::Failed(e),
    };
    let spans = tagger.tag(&text);
    match target {
        None => Outcome::Done(render_piece(format, &input.display, &text, &spans)),
        Some(path) => {
            let content = render_file(format, &input.display, &text, &spans);
            match write_atomic(path, &content) {
                Ok(()) => Outcome::Done(String::new()),
                Err(e) => Outcome::Failed(format!(
                    "{}: cannot write {}: {}",
                    input.display,
                    path.display(),
                    io_reason(&e)
                )),
            }
        }
    }
}

/// Lines read from standard input at most before they are tagged and written.
const BATCH_LINES: usize = 256;
/// Bytes read from standard input at most before they are tagged and written.
const BATCH_BYTES: usize = 16 << 20;

/// `--input jsonl`: one output line per input line, in order, flushed after each batch; a
/// batch is whatever lines are already waiting (at most [`BATCH_LINES`]), so a pipeline that
/// sends one line and waits for its answer gets it at once.
fn stream(tagger: &Tagger, lossy: bool, reporter: &Reporter) -> Result<Status, Fatal> {
    let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(BATCH_LINES);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let mut line = Vec::new();
            match stdin.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {
                    if tx.send(Ok(line)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        }
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut line_no = 0usize;
    'batches: while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        let mut bytes = 0;
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            match rx.try_recv() {
                Ok(line) => {
                    bytes += line.as_ref().map(Vec::len).unwrap_or(0);
                    batch.push(line);
                }
                Err(_) => break,
            }
        }
        let mut lines = Vec::with_capacity(batch.len());
        let mut read_error = None;
        for item in batch {
            match item {
                Ok(line) => {
                    line_no += 1;
                    lines.push((line_no, line));
                }
                Err(e) => read_error = Some(e),
            }
        }
        let results: Vec<(String, Option<String>)> = lines
            .into_par_iter()
            .map(|(n, line)| {
                catch_unwind(AssertUnwindSafe(|| stream_line(tagger, n, line, lossy)))
                    .unwrap_or_else(|_| {
                        let msg =
                            format!("line {n}: internal error while tagging (please report it)");
                        (error_line(&serde_json::Value::Null, &msg), Some(msg))
                    })
            })
            .collect();
        for (json, error) in results {
            if let Some(e) = error {
                reporter.error(&format!("standard input: {e}"));
            }
            write_stdout(&mut out, &json).context("cannot write to standard output")?;
        }
        flush_stdout(&mut out).context("cannot write to standard output")?;
        if let Some(e) = read_error {
            reporter.error(&format!(
                "standard input: cannot read after line {line_no}: {}",
                io_reason(&e)
            ));
            break 'batches;
        }
    }
    Ok(reporter.status())
}

fn error_line(id: &serde_json::Value, message: &str) -> String {
    let doc = IdDoc {
        id,
        entities: &[],
        error: Some(message),
    };
    serde_json::to_string(&doc).expect("serialises") + "\n"
}

/// What a line of `--input jsonl` must be, for error messages.
const EXPECTED: &str = r#"each line must be an object like {"id": "1", "text": "..."}"#;

/// Tags one line of `--input jsonl`: the output line, and the error if the line was bad.
fn stream_line(
    tagger: &Tagger,
    n: usize,
    mut line: Vec<u8>,
    lossy: bool,
) -> (String, Option<String>) {
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    if n == 1 && line.starts_with("\u{feff}".as_bytes()) {
        line.drain(..3);
    }
    let null = serde_json::Value::Null;
    let fail = |id: &serde_json::Value, msg: String| {
        let msg = format!("line {n}: {msg}");
        (error_line(id, &msg), Some(msg))
    };
    let parsed = if lossy {
        serde_json::from_str(&String::from_utf8_lossy(&line))
    } else {
        match std::str::from_utf8(&line) {
            Ok(s) => serde_json::from_str(s),
            Err(e) => {
                return fail(
                    &null,
                    format!(
                        "invalid UTF-8 at byte {} of the line: pass --lossy to replace invalid bytes with U+FFFD",
                        e.valid_up_to()
                    ),
                )
            }
        }
    };
    let value: serde_json::Value = match parsed {
        Ok(v) => v,
        Err(_) if line.iter().all(u8::is_ascii_whitespace) => {
            return fail(&null, format!("empty line: {EXPECTED}"));
        }
        Err(e) => return fail(&null, format!("not JSON ({e}): {EXPECTED}")),
    };
    let serde_json::Value::Object(map) = &value else {
        return fail(&null, format!("not a JSON object: {EXPECTED}"));
    };
    let id = map.get("id").unwrap_or(&null);
    let text = match map.get("text") {
        Some(serde_json::Value::String(t)) => t,
        Some(_) => return fail(id, "\"text\" is not a string".into()),
        None => return fail(id, format!("no \"text\" field: {EXPECTED}")),
    };
    let spans: Vec<Span> = tagger.tag(text);
    let doc = IdDoc {
        id,
        entities: &spans,
        error: None,
    };
    (
        serde_json::to_string(&doc).expect("serialises") + "\n",
        None,
    )
}
