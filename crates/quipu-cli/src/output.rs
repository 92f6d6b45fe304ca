//! Rendering documents in the output formats, and writing them out.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use quipu::format::{self, Format};
use quipu::Span;
use serde::Serialize;

use crate::Fatal;

/// One line of the JSON Lines output for a file.
#[derive(Serialize)]
pub struct PathDoc<'a> {
    /// The document's path.
    pub path: &'a str,
    /// Its entities.
    pub entities: &'a [Span],
}

/// One line of the JSON Lines output for a line of `--input jsonl`.
#[derive(Serialize)]
pub struct IdDoc<'a> {
    /// The line's id, as given (`null` when it had none).
    pub id: &'a serde_json::Value,
    /// Its entities.
    pub entities: &'a [Span],
    /// What was wrong with the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

/// The document in `format`, as a file of its own holds it.
pub fn render_file(format: Format, name: &str, text: &str, spans: &[Span]) -> String {
    match format {
        Format::Tsv => format!("{}{}", format::TSV_HEADER, format::tsv(name, spans)),
        _ => render_piece(format, name, text, spans),
    }
}

/// The document in `format`, as one piece of standard output holds it: no TSV header, JSON
/// pretty-printed but not yet indented into the array.
pub fn render_piece(format: Format, name: &str, text: &str, spans: &[Span]) -> String {
    let doc = PathDoc {
        path: name,
        entities: spans,
    };
    match format {
        Format::Jsonl => serde_json::to_string(&doc).expect("spans serialise") + "\n",
        Format::Json => serde_json::to_string_pretty(&doc).expect("spans serialise") + "\n",
        Format::Tsv => format::tsv(name, spans),
        Format::Conll => format::conll(text, spans),
        Format::Brat => format::brat(text, spans),
        Format::Spacy => format::spacy(text, spans) + "\n",
        Format::Html => format::html(name, text, spans),
    }
}

/// Where the output of the document at `rel` goes below `dir`.
pub fn output_path(dir: &Path, rel: &Path, format: Format) -> PathBuf {
    dir.join(rel).with_extension(format.extension())
}

/// Writes `content` to `path` whole or not at all: into a temporary file in the same folder,
/// then renamed over `path`.
pub fn write_atomic(path: &Path, content: impl AsRef<[u8]>) -> std::io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.quipu-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(content.as_ref())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An absolute path without `.` and `..`, resolving symbolic links in the part that exists.
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Canonicalise the longest part that exists, then append the rest.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    out
}

/// Writes to standard output. A closed pipe (`quipu tag ... | head`) ends the program
/// quietly, as other command-line tools do.
pub fn write_stdout(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    match out.write_all(s.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r,
    }
}

/// Flushes standard output (see [`write_stdout`]).
pub fn flush_stdout(out: &mut impl Write) -> std::io::Result<()> {
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r,
    }
}

/// Prints `s` on standard output, whole.
pub fn print_stdout(s: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    if let Err(e) = write_stdout(&mut out, s).and_then(|_| flush_stdout(&mut out)) {
        bail!("cannot write to standard output: {e}");
    }
    Ok(())
}
