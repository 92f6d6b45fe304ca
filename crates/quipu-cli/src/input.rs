//! Finding the inputs (files, folders, standard input) and decoding them.

use std::path::{Path, PathBuf};

use anyhow::Context;
use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::report::Reporter;
use crate::Fatal;

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// One document to tag.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where to read it.
    pub origin: Origin,
    /// Its name in output and messages: the path as found, or `-`.
    pub display: String,
    /// Its path below the folder it was found in (its file name when given as a file;
    /// `stdin` for standard input): where its output goes below `--output`.
    pub rel: PathBuf,
    /// Its size in bytes, when known.
    pub size: u64,
}

/// The inputs found, and the folders they were found in.
pub struct Found {
    /// Documents, in the order of the arguments, each folder's files sorted by path.
    pub inputs: Vec<Input>,
    /// The folders given as arguments.
    pub folders: Vec<PathBuf>,
}

/// The `--include` and `--exclude` globs, compiled.
pub struct Filters {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filters {
    /// Compiles the globs; a bad one is a usage error.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filters, Fatal> {
        Ok(Filters {
            include: globs(include, "--include")?,
            exclude: globs(exclude, "--exclude")?,
        })
    }
}

fn globs(patterns: &[String], flag: &str) -> Result<Option<GlobSet>, Fatal> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).with_context(|| {
            format!("{flag} '{p}' is not a valid glob (e.g. '*.txt', 'drafts/**')")
        })?;
        b.add(glob);
    }
    Ok(Some(
        b.build().with_context(|| format!("{flag}: bad globs"))?,
    ))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Finds the documents the paths name. A path that does not exist or cannot be read is
/// reported as a failed input.
pub fn discover(paths: &[PathBuf], filters: &Filters, reporter: &Reporter) -> Found {
    let (include, exclude) = (&filters.include, &filters.exclude);
    let mut found = Found {
        inputs: Vec::new(),
        folders: Vec::new(),
    };
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    };
    let mut seen_stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if !seen_stdin {
                seen_stdin = true;
                found.inputs.push(Input {
                    origin: Origin::Stdin,
                    display: "-".into(),
                    rel: PathBuf::from("stdin"),
                    size: 0,
                });
            }
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                reporter.error(&format!(
                    "{}: {}: check the path",
                    path.display(),
                    io_reason(&e)
                ));
                continue;
            }
        };
        if meta.is_dir() {
            found.folders.push(path.clone());
            walk(
                path,
                include.as_ref(),
                exclude.as_ref(),
                reporter,
                &mut found.inputs,
            );
        } else {
            let rel = path
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| path.clone());
            found.inputs.push(Input {
                origin: Origin::File(path.clone()),
                display: path.display().to_string(),
                rel,
                size: meta.len(),
            });
        }
    }
    found
}

fn walk(
    dir: &Path,
    include: Option<&GlobSet>,
    exclude: Option<&GlobSet>,
    reporter: &Reporter,
    out: &mut Vec<Input>,
) {
    let below = |p: &Path| p.strip_prefix(dir).unwrap_or(p).to_path_buf();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if is_hidden(e.file_name()) {
                return false;
            }
            !exclude.is_some_and(|x| x.is_match(below(e.path())))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                reporter.error(&format!("{path}: {reason}: skipped"));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = below(entry.path());
        if include.is_some_and(|i| !i.is_match(&rel)) {
            continue;
        }
        out.push(Input {
            origin: Origin::File(entry.path().to_path_buf()),
            display: entry.path().display().to_string(),
            rel,
            size: entry.metadata().map(|m| m.len()).unwrap_or(0),
        });
    }
}

/// An I/O error in words, without the "(os error N)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// What reading a document gave.
pub enum Decoded {
    /// Its text.
    Text(String),
    /// Not text: skip it, with this warning.
    Binary(String),
    /// Invalid: fail it, with this error.
    Invalid(String),
}

/// How many bytes are looked at for NUL bytes to tell binary files.
const SNIFF: usize = 8192;

/// Decodes a document's bytes as UTF-8, kept exactly as stored (BOM and CRLF included).
pub fn decode(name: &str, bytes: Vec<u8>, lossy: bool) -> Decoded {
    if bytes[..bytes.len().min(SNIFF)].contains(&0) {
        return Decoded::Binary(format!(
            "{name}: looks binary (a NUL byte in the first 8 KiB): skipped; if it is UTF-16 text, convert it to UTF-8"
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded::Text(text),
        Err(e) => {
            if lossy {
                return Decoded::Text(String::from_utf8_lossy(e.as_bytes()).into_owned());
            }
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Decoded::Invalid(format!(
                "{name}: invalid UTF-8 at byte {at} (line {line}): convert the file to UTF-8 \
                 (e.g. iconv -f windows-1252 -t utf-8), or pass --lossy to replace invalid bytes with U+FFFD"
            ))
        }
    }
}
