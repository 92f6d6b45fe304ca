//! `quipu-bench report DIR`: every `DIR/results/*.json` into `DIR/RESULTS.md`: a table per
//! gazetteer, the CLI and page tables, and the targets of issue 8, met or missed, computed
//! from the rows.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::gen::Meta;
use crate::native::GAZETTEERS;
use crate::rows::{parse_rows, write_atomic, Row};

/// The results files the suite writes, in table order, and the step that writes each.
pub const EXPECTED: &[(&str, &str)] = &[
    (
        "native-small.json",
        "quipu-bench native DIR --gazetteer small",
    ),
    (
        "native-default.json",
        "quipu-bench native DIR --gazetteer default",
    ),
    (
        "native-large.json",
        "quipu-bench native DIR --gazetteer large (needs large-cities.gaz from node bench/js/gen-large.mjs)",
    ),
    ("cli.json", "quipu-bench cli DIR"),
    ("node.json", "node bench/js/node-bench.mjs DIR"),
    ("browser.json", "node bench/js/browser-bench.mjs DIR"),
];

/// The rows found, and what is missing or unreadable.
#[derive(Debug, Default)]
pub struct Loaded {
    pub rows: Vec<Row>,
    pub problems: Vec<String>,
}

/// Reads `DIR/results/*.json`: the expected files first, in order, then any other.
pub fn load(dir: &Path) -> Loaded {
    let results = dir.join("results");
    let mut loaded = Loaded::default();
    let mut names: Vec<String> = EXPECTED.iter().map(|(f, _)| f.to_string()).collect();
    let mut others: Vec<String> = std::fs::read_dir(&results)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !names.contains(n))
        .collect();
    others.sort();
    names.extend(others);
    for name in names {
        let path = results.join(&name);
        let step = EXPECTED.iter().find(|(f, _)| *f == name).map(|(_, s)| *s);
        match std::fs::read_to_string(&path) {
            Ok(json) => match parse_rows(&json) {
                Ok(rows) => loaded.rows.extend(rows),
                Err(e) => loaded.problems.push(format!(
                    "`{}` is not a JSON array of rows ({e:#}): its rows are left out",
                    path.display()
                )),
            },
            Err(_) => loaded.problems.push(format!(
                "no `{}`: the step `{}` did not run (or failed)",
                path.display(),
                step.unwrap_or("?")
            )),
        }
    }
    loaded
}

/// Whether a target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Met,
    Missed,
    NotMeasured,
}

impl Status {
    fn of(ok: bool) -> Status {
        if ok {
            Status::Met
        } else {
            Status::Missed
        }
    }

    fn label(self) -> &'static str {
        match self {
            Status::Met => "**met**",
            Status::Missed => "**missed**",
            Status::NotMeasured => "not measured",
        }
    }
}

/// One target, for one gazetteer or runtime.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub what: String,
    pub measured: String,
    pub status: Status,
}

fn target(what: impl Into<String>, measured: impl Into<String>, status: Status) -> Target {
    Target {
        what: what.into(),
        measured: measured.into(),
        status,
    }
}

fn is_native(r: &Row) -> bool {
    r.runtime == "native"
}

fn find<'a>(rows: &'a [Row], engine: &str, native: bool, gazetteer: &str) -> Option<&'a Row> {
    rows.iter().find(|r| {
        r.engine == engine && is_native(r) == native && r.gazetteer.as_deref() == Some(gazetteer)
    })
}

/// The npm package `ahocorasick` (not `modern-ahocorasick`, not the Rust crate
/// `aho-corasick`): its engine name starts with the package name.
fn is_npm_ahocorasick(r: &Row) -> bool {
    r.engine
        .trim()
        .to_ascii_lowercase()
        .starts_with("ahocorasick")
}

/// Where a row ran, without the kind of code: "node" for "node wasm" and "node js".
fn host(runtime: &str) -> &str {
    runtime.split_whitespace().next().unwrap_or("")
}

/// The gazetteers of the rows, the suite's three first.
fn gazetteers(rows: &[Row]) -> Vec<String> {
    let mut out: Vec<String> = GAZETTEERS.iter().map(|g| g.to_string()).collect();
    for g in rows.iter().filter_map(|r| r.gazetteer.clone()) {
        if !out.contains(&g)
            && rows
                .iter()
                .any(|r| is_table_row(r) && r.gazetteer.as_ref() == Some(&g))
        {
            out.push(g);
        }
    }
    out
}

/// Rows of the per-gazetteer tables (not the CLI nor the page).
fn is_table_row(r: &Row) -> bool {
    r.engine != "quipu CLI" && r.engine != "quipu page"
}

/// The quipu rows of wasm runtimes, in the suite's gazetteer order.
fn wasm_rows(rows: &[Row]) -> Vec<&Row> {
    let order = gazetteers(rows);
    let mut out: Vec<&Row> = rows
        .iter()
        .filter(|r| r.engine == "quipu" && !is_native(r))
        .collect();
    out.sort_by_key(|r| {
        order
            .iter()
            .position(|g| Some(g.as_str()) == r.gazetteer.as_deref())
            .unwrap_or(usize::MAX)
    });
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The targets of issue 8, computed from the rows.
pub fn targets(rows: &[Row]) -> Vec<Target> {
    let mut out = Vec::new();
    let gz = |r: &Row| r.gazetteer.clone().unwrap_or_else(|| "?".into());

    // Native tag >= 40% of the native ceiling, per gazetteer.
    for g in GAZETTEERS {
        let what = format!("native tag ≥ 40% of the native ceiling ({g})");
        let q = find(rows, "quipu", true, g).and_then(|r| r.mb_per_s);
        let c = find(rows, "aho-corasick (bare)", true, g).and_then(|r| r.mb_per_s);
        out.push(match (q, c) {
            (Some(q), Some(c)) if c > 0.0 => target(
                what,
                format!("{} ({q:.1} / {c:.1} MB/s)", pct(q / c)),
                Status::of(q / c >= 0.40),
            ),
            _ => target(
                what,
                "no native rows for this gazetteer",
                Status::NotMeasured,
            ),
        });
    }

    // wasm >= 50% of native, per runtime and gazetteer.
    let wasm = wasm_rows(rows);
    for r in &wasm {
        let g = gz(r);
        let what = format!("wasm ≥ 50% of native ({}, {g})", r.runtime);
        let native = find(rows, "quipu", true, &g).and_then(|n| n.mb_per_s);
        out.push(match (r.mb_per_s, native) {
            (Some(w), Some(n)) if n > 0.0 => target(
                what,
                format!("{} ({w:.1} / {n:.1} MB/s)", pct(w / n)),
                Status::of(w / n >= 0.50),
            ),
            (None, _) => target(what, "no MB/s in the row", Status::NotMeasured),
            _ => target(what, "no native row to compare with", Status::NotMeasured),
        });
    }
    if wasm.is_empty() {
        out.push(target(
            "wasm (node, chromium) ≥ 50% of native",
            "no wasm rows (node.json, browser.json)",
            Status::NotMeasured,
        ));
    }

    // wasm >= 10x the npm ahocorasick package, same host ("node wasm" vs "node js") and
    // gazetteer.
    let mut compared = false;
    for r in &wasm {
        let g = gz(r);
        let Some(peer) = rows.iter().find(|p| {
            is_npm_ahocorasick(p)
                && host(&p.runtime) == host(&r.runtime)
                && p.gazetteer.as_deref() == Some(&g)
        }) else {
            continue;
        };
        compared = true;
        let what = format!("wasm ≥ 10× npm ahocorasick ({}, {g})", r.runtime);
        out.push(match (r.mb_per_s, peer.mb_per_s) {
            (Some(w), Some(p)) if p > 0.0 => target(
                what,
                format!("{:.1}× ({w:.1} / {p:.2} MB/s)", w / p),
                Status::of(w / p >= 10.0),
            ),
            _ => target(what, "no MB/s in one of the rows", Status::NotMeasured),
        });
    }
    if !compared {
        out.push(target(
            "wasm ≥ 10× npm ahocorasick",
            "no pair of quipu wasm and ahocorasick rows on the same host and gazetteer",
            Status::NotMeasured,
        ));
    }

    // Large gazetteer: build and peak.
    let native_large = find(rows, "quipu", true, "large");
    out.push(match native_large.and_then(|r| r.build_ms) {
        Some(b) => target(
            "large build < 0.5 s (native)",
            format!("{:.3} s", b / 1e3),
            Status::of(b < 500.0),
        ),
        None => target(
            "large build < 0.5 s (native)",
            "no native large row",
            Status::NotMeasured,
        ),
    });
    let wasm_large: Vec<&&Row> = wasm
        .iter()
        .filter(|r| r.gazetteer.as_deref() == Some("large"))
        .collect();
    for r in &wasm_large {
        let what = format!("large build < 1.5 s (wasm, {})", r.runtime);
        out.push(match r.build_ms {
            Some(b) => target(what, format!("{:.3} s", b / 1e3), Status::of(b < 1500.0)),
            None => target(what, "no build_ms in the row", Status::NotMeasured),
        });
    }
    if wasm_large.is_empty() {
        out.push(target(
            "large build < 1.5 s (wasm)",
            "no wasm large rows",
            Status::NotMeasured,
        ));
    }
    let peaks: Vec<&Row> = native_large
        .into_iter()
        .chain(wasm_large.iter().map(|r| **r))
        .collect();
    for r in &peaks {
        let what = format!("large peak memory < 150 MB ({})", r.runtime);
        out.push(match r.peak_mb {
            Some(p) => target(what, format!("{p:.1} MB"), Status::of(p < 150.0)),
            None => target(what, "no peak_mb in the row", Status::NotMeasured),
        });
    }
    if native_large.is_none() {
        out.push(target(
            "large peak memory < 150 MB (native)",
            "no native large row",
            Status::NotMeasured,
        ));
    }

    // CLI.
    let cli = |threads: u64| {
        rows.iter()
            .find(|r| r.engine == "quipu CLI" && r.threads == Some(threads))
            .and_then(|r| r.wall_ms)
    };
    out.push(match (cli(1), cli(2)) {
        (Some(one), Some(two)) if two > 0.0 => target(
            "CLI 2 threads ≥ 1.7× 1 thread",
            format!(
                "{:.2}× ({:.2} s → {:.2} s)",
                one / two,
                one / 1e3,
                two / 1e3
            ),
            Status::of(one / two >= 1.7),
        ),
        _ => target(
            "CLI 2 threads ≥ 1.7× 1 thread",
            "no CLI rows",
            Status::NotMeasured,
        ),
    });

    // The page.
    let pages: Vec<&Row> = rows.iter().filter(|r| r.engine == "quipu page").collect();
    let page_target = |what: &str, field: &str, limit: f64, get: fn(&Row) -> Option<f64>| {
        let mut t: Vec<Target> = pages
            .iter()
            .map(|r| {
                let what = format!("{what} ({})", r.runtime);
                match get(r) {
                    Some(v) => target(what, format!("{v:.0} ms"), Status::of(v < limit)),
                    None => target(what, format!("no {field} in the row"), Status::NotMeasured),
                }
            })
            .collect();
        if t.is_empty() {
            t.push(target(
                what,
                "no page rows (browser.json)",
                Status::NotMeasured,
            ));
        }
        t
    };
    out.extend(page_target(
        "page load to ready < 500 ms",
        "load_to_ready_ms",
        500.0,
        |r| r.load_to_ready_ms,
    ));
    out.extend(page_target(
        "page tag + render of 1 MB < 1 s",
        "tag_render_1mb_ms",
        1000.0,
        |r| r.tag_render_1mb_ms,
    ));
    out
}

/// What the report says about the machine.
#[derive(Debug, Clone, Default)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory: String,
    pub rustc: String,
    pub node: String,
    pub date: String,
    pub commit: String,
    pub load: String,
}

fn command(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl Machine {
    /// This machine, now.
    pub fn here() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let cores = cpuinfo
            .lines()
            .filter(|l| l.starts_with("processor"))
            .count();
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                let line = m.lines().find(|l| l.starts_with("MemTotal:"))?.to_string();
                let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(format!("{:.1} GiB", kb / (1024.0 * 1024.0)))
            })
            .unwrap_or_else(|| "unknown".into());
        let unknown = |s: Option<String>| s.unwrap_or_else(|| "unknown".into());
        let commit = match command("git", &["rev-parse", "--short", "HEAD"]) {
            Some(c) => {
                let dirty = command("git", &["status", "--porcelain", "--untracked-files=no"])
                    .is_some_and(|s| !s.is_empty());
                if dirty {
                    format!("{c} + uncommitted changes")
                } else {
                    c
                }
            }
            None => "unknown".into(),
        };
        Machine {
            cpu,
            cores,
            memory,
            rustc: unknown(command("rustc", &["-V"])),
            node: unknown(command("node", &["-v"])),
            date: unknown(command("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
            commit,
            load: std::fs::read_to_string("/proc/loadavg")
                .ok()
                .and_then(|l| l.split_whitespace().next().map(str::to_string))
                .unwrap_or_else(|| "unknown".into()),
        }
    }
}

fn fmt_ms(x: Option<f64>) -> String {
    match x {
        None => "–".into(),
        Some(x) if x < 10.0 => format!("{x:.2} ms"),
        Some(x) if x < 1000.0 => format!("{x:.1} ms"),
        Some(x) => format!("{:.2} s", x / 1e3),
    }
}

fn fmt_num(x: Option<u64>) -> String {
    let Some(x) = x else { return "–".into() };
    let s = x.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn fmt_f(x: Option<f64>, unit: &str) -> String {
    x.map_or("–".into(), |x| format!("{x:.1}{unit}"))
}

/// Table cells may not hold `|` or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Each row's note and extra fields, one line per row, under its table.
fn notes(w: &mut String, rows: &[&Row]) {
    for r in rows {
        let mut extra: Vec<String> = r.extra.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        if let Some(n) = r.note.as_deref().filter(|n| !n.trim().is_empty()) {
            extra.insert(0, n.to_string());
        }
        if !extra.is_empty() {
            let _ = writeln!(w, "- {} ({}): {}", r.engine, r.runtime, extra.join("; "));
        }
    }
}

/// The whole of RESULTS.md.
pub fn render(rows: &[Row], problems: &[String], machine: &Machine, meta: Option<&Meta>) -> String {
    let mut md = String::new();
    let w = &mut md;
    let _ = writeln!(w, "# Benchmark results (issue 8)\n");
    let _ = writeln!(
        w,
        "Written by `quipu-bench report` from `results/*.json`. MB = 10^6 bytes; MB/s counts \
         bytes of the original text for every engine; one thread unless said. Ratios are \
         meaningful within one run only.\n"
    );
    let _ = writeln!(w, "## Machine\n");
    let _ = writeln!(
        w,
        "- CPU: {} ({} cores); memory: {}\n- {}; node {}\n- {}; commit {}; load average at report time {}",
        machine.cpu,
        machine.cores,
        machine.memory,
        machine.rustc,
        machine.node,
        machine.date,
        machine.commit,
        machine.load
    );
    if let Some(m) = meta {
        let _ = writeln!(
            w,
            "- text: {} bytes ({} folded), seed {}, {} files for the CLI; {}",
            fmt_num(Some(m.text_bytes as u64)),
            fmt_num(Some(m.folded_bytes as u64)),
            m.seed,
            m.files,
            if m.large_cities {
                "names from large-cities.gaz included"
            } else {
                "no large-cities.gaz at generation time"
            }
        );
    }
    if !problems.is_empty() {
        let _ = writeln!(w, "\n## Missing\n");
        for p in problems {
            let _ = writeln!(w, "- {p}");
        }
    }

    let _ = writeln!(w, "\n## Targets\n");
    let _ = writeln!(w, "| target | measured | |\n|---|---|---|");
    for t in targets(rows) {
        let _ = writeln!(
            w,
            "| {} | {} | {} |",
            cell(&t.what),
            cell(&t.measured),
            t.status.label()
        );
    }

    for g in gazetteers(rows) {
        let table: Vec<&Row> = rows
            .iter()
            .filter(|r| is_table_row(r) && r.gazetteer.as_deref() == Some(g.as_str()))
            .collect();
        let _ = writeln!(w, "\n## Gazetteer: {g}\n");
        if table.is_empty() {
            let _ = writeln!(w, "No rows.");
            continue;
        }
        let ceiling = find(rows, "aho-corasick (bare)", true, &g).and_then(|r| r.mb_per_s);
        let _ = writeln!(
            w,
            "| engine | runtime | patterns | build | tag | MB/s | of native ceiling | peak | matches |\n\
             |---|---|---|---|---|---|---|---|---|"
        );
        for r in &table {
            let of = match (r.mb_per_s, ceiling) {
                (Some(x), Some(c)) if c > 0.0 => pct(x / c),
                _ => "–".into(),
            };
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&r.engine),
                cell(&r.runtime),
                fmt_num(r.patterns),
                fmt_ms(r.build_ms),
                fmt_ms(r.tag_ms),
                fmt_f(r.mb_per_s, ""),
                of,
                fmt_f(r.peak_mb, " MB"),
                fmt_num(r.matches)
            );
        }
        let _ = writeln!(w);
        notes(w, &table);
    }

    let loose: Vec<&Row> = rows
        .iter()
        .filter(|r| is_table_row(r) && r.gazetteer.is_none())
        .collect();
    if !loose.is_empty() {
        let _ = writeln!(w, "\n## Without a gazetteer\n");
        let _ = writeln!(
            w,
            "| engine | runtime | build | tag | MB/s | bytes | peak | matches |\n\
             |---|---|---|---|---|---|---|---|"
        );
        for r in &loose {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&r.engine),
                cell(&r.runtime),
                fmt_ms(r.build_ms),
                fmt_ms(r.tag_ms),
                fmt_f(r.mb_per_s, ""),
                fmt_num(r.bytes),
                fmt_f(r.peak_mb, " MB"),
                fmt_num(r.matches)
            );
        }
        let _ = writeln!(w);
        notes(w, &loose);
    }

    let cli: Vec<&Row> = rows.iter().filter(|r| r.engine == "quipu CLI").collect();
    let _ = writeln!(w, "\n## Command line\n");
    if cli.is_empty() {
        let _ = writeln!(w, "No rows.");
    } else {
        let one = cli
            .iter()
            .find(|r| r.threads == Some(1))
            .and_then(|r| r.wall_ms);
        let _ = writeln!(
            w,
            "| threads | wall time | MB/s | files | bytes | speed-up |\n|---|---|---|---|---|---|"
        );
        for r in &cli {
            let speedup = match (one, r.wall_ms) {
                (Some(o), Some(x)) if x > 0.0 => format!("{:.2}×", o / x),
                _ => "–".into(),
            };
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                fmt_num(r.threads),
                fmt_ms(r.wall_ms),
                fmt_f(r.mb_per_s, ""),
                fmt_num(r.files),
                fmt_num(r.bytes),
                speedup
            );
        }
        if let Some(n) = cli.iter().find_map(|r| r.note.as_deref()) {
            let _ = writeln!(w, "\n{n}");
        }
    }

    let pages: Vec<&Row> = rows.iter().filter(|r| r.engine == "quipu page").collect();
    let _ = writeln!(w, "\n## The page\n");
    if pages.is_empty() {
        let _ = writeln!(w, "No rows.");
    } else {
        let _ = writeln!(
            w,
            "| runtime | load to ready | tag + render 1 MB | note |\n|---|---|---|---|"
        );
        for r in pages {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} |",
                cell(&r.runtime),
                fmt_ms(r.load_to_ready_ms),
                fmt_ms(r.tag_render_1mb_ms),
                cell(r.note.as_deref().unwrap_or(""))
            );
        }
    }
    md
}

/// Reads the results, writes `DIR/RESULTS.md` and returns its text.
pub fn run(dir: &Path) -> Result<String> {
    let loaded = load(dir);
    let meta = std::fs::read_to_string(dir.join("meta.json"))
        .ok()
        .and_then(|j| serde_json::from_str::<Meta>(&j).ok());
    let md = render(
        &loaded.rows,
        &loaded.problems,
        &Machine::here(),
        meta.as_ref(),
    );
    write_atomic(&dir.join("RESULTS.md"), md.as_bytes())?;
    Ok(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(engine: &str, runtime: &str, g: &str, mb_s: f64) -> Row {
        Row {
            gazetteer: Some(g.into()),
            mb_per_s: Some(mb_s),
            ..Row::new(engine, runtime)
        }
    }

    fn status(ts: &[Target], what: &str) -> (Status, String) {
        let t = ts
            .iter()
            .find(|t| t.what == what)
            .unwrap_or_else(|| panic!("no target {what:?} in {ts:#?}"));
        (t.status, t.measured.clone())
    }

    #[test]
    fn ratios_against_the_ceiling_and_native() {
        let rows = vec![
            row("quipu", "native", "small", 50.0),
            row("aho-corasick (bare)", "native", "small", 100.0),
            row("quipu", "native", "default", 30.0),
            row("aho-corasick (bare)", "native", "default", 80.0),
            row("aho-corasick DFA (bare)", "native", "default", 10.0),
            row("quipu", "node wasm", "default", 15.0),
            row("quipu", "chromium wasm", "default", 14.9),
            row("ahocorasick (npm)", "node js", "default", 1.5),
            row("modern-ahocorasick (npm)", "node js", "default", 0.1),
            row("aho-corasick (bare)", "node wasm", "default", 20.0),
        ];
        let ts = targets(&rows);
        // (target, status, measured)
        let cases = [
            (
                "native tag ≥ 40% of the native ceiling (small)",
                Status::Met,
                "50.0% (50.0 / 100.0 MB/s)",
            ),
            (
                "native tag ≥ 40% of the native ceiling (default)",
                Status::Missed,
                "37.5% (30.0 / 80.0 MB/s)",
            ),
            (
                "native tag ≥ 40% of the native ceiling (large)",
                Status::NotMeasured,
                "no native rows for this gazetteer",
            ),
            (
                "wasm ≥ 50% of native (node wasm, default)",
                Status::Met,
                "50.0% (15.0 / 30.0 MB/s)",
            ),
            (
                "wasm ≥ 50% of native (chromium wasm, default)",
                Status::Missed,
                "49.7% (14.9 / 30.0 MB/s)",
            ),
            (
                "wasm ≥ 10× npm ahocorasick (node wasm, default)",
                Status::Met,
                "10.0× (15.0 / 1.50 MB/s)",
            ),
            (
                "large build < 0.5 s (native)",
                Status::NotMeasured,
                "no native large row",
            ),
            (
                "CLI 2 threads ≥ 1.7× 1 thread",
                Status::NotMeasured,
                "no CLI rows",
            ),
            (
                "page load to ready < 500 ms",
                Status::NotMeasured,
                "no page rows (browser.json)",
            ),
        ];
        for (what, st, measured) in cases {
            assert_eq!(status(&ts, what), (st, measured.to_string()), "{what}");
        }
        // Chromium has no npm peer: no pair, no line.
        assert!(!ts
            .iter()
            .any(|t| t.what.contains("10× npm ahocorasick (chromium")));
    }

    #[test]
    fn large_cli_and_page() {
        let mut native = row("quipu", "native", "large", 20.0);
        native.build_ms = Some(499.0);
        native.peak_mb = Some(151.0);
        let mut wasm = row("quipu", "node wasm", "large", 10.0);
        wasm.build_ms = Some(1600.0);
        wasm.peak_mb = Some(90.0);
        let cli = |threads, wall| Row {
            threads: Some(threads),
            wall_ms: Some(wall),
            ..Row::new("quipu CLI", "native")
        };
        let page = Row {
            load_to_ready_ms: Some(420.0),
            tag_render_1mb_ms: Some(1000.0),
            ..Row::new("quipu page", "chromium")
        };
        let rows = vec![native, wasm, cli(1, 10_000.0), cli(2, 5_800.0), page];
        let ts = targets(&rows);
        let cases = [
            ("large build < 0.5 s (native)", Status::Met, "0.499 s"),
            (
                "large build < 1.5 s (wasm, node wasm)",
                Status::Missed,
                "1.600 s",
            ),
            (
                "large peak memory < 150 MB (native)",
                Status::Missed,
                "151.0 MB",
            ),
            (
                "large peak memory < 150 MB (node wasm)",
                Status::Met,
                "90.0 MB",
            ),
            (
                "CLI 2 threads ≥ 1.7× 1 thread",
                Status::Met,
                "1.72× (10.00 s → 5.80 s)",
            ),
            (
                "page load to ready < 500 ms (chromium)",
                Status::Met,
                "420 ms",
            ),
            (
                "page tag + render of 1 MB < 1 s (chromium)",
                Status::Missed,
                "1000 ms",
            ),
            (
                "wasm ≥ 10× npm ahocorasick",
                Status::NotMeasured,
                "no pair of quipu wasm and ahocorasick rows on the same host and gazetteer",
            ),
        ];
        for (what, st, measured) in cases {
            assert_eq!(status(&ts, what), (st, measured.to_string()), "{what}");
        }
    }

    #[test]
    fn render_has_every_section_and_names_what_is_missing() {
        let rows = vec![
            row("quipu", "native", "small", 50.0),
            row("aho-corasick (bare)", "native", "small", 100.0),
            row("quipu", "node wasm", "custom", 5.0),
            Row {
                note: Some("its own lexicon".into()),
                ..row("compromise (npm)", "node js", "x", 0.5)
            },
        ];
        let mut rows = rows;
        rows[3].gazetteer = None;
        let md = render(
            &rows,
            &["no `x/results/cli.json`: the step `quipu-bench cli DIR` did not run".into()],
            &Machine::default(),
            None,
        );
        for s in [
            "## Machine",
            "## Missing",
            "cli.json",
            "## Targets",
            "## Gazetteer: small",
            "## Gazetteer: large\n\nNo rows.",
            "## Gazetteer: custom",
            "| quipu | native | – | – | – | 50.0 | 50.0% | – | – |",
            "## Command line\n\nNo rows.",
            "## Without a gazetteer",
            "| compromise (npm) | node js | – | – | 0.5 | – | – | – |",
            "- compromise (npm) (node js): its own lexicon",
            "## The page",
        ] {
            assert!(md.contains(s), "{s:?} not in\n{md}");
        }
    }

    #[test]
    fn load_reports_missing_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let results = dir.path().join("results");
        std::fs::create_dir_all(&results).unwrap();
        std::fs::write(
            results.join("node.json"),
            r#"{"rows": [{"engine": "quipu", "runtime": "node", "gazetteer": "small",
                "mb_per_s": 12.5, "peak_mb": null, "heap": 3, "note": ""},
                {"engine": null, "runtime": null, "gazetteer": null, "note": "not measured"}]}"#,
        )
        .unwrap();
        std::fs::write(results.join("browser.json"), "not json").unwrap();
        std::fs::write(
            results.join("zz-extra.json"),
            r#"[{"engine": "x", "runtime": "native"}]"#,
        )
        .unwrap();
        let loaded = load(dir.path());
        assert_eq!(loaded.rows.len(), 3);
        assert_eq!(loaded.rows[0].mb_per_s, Some(12.5));
        assert_eq!(
            loaded.rows[0].extra.get("heap").and_then(|v| v.as_f64()),
            Some(3.0)
        );
        assert_eq!(loaded.rows[1].engine, "");
        assert_eq!(loaded.rows[2].engine, "x");
        let problems = loaded.problems.join("\n");
        for s in [
            "native-small.json",
            "native-large.json",
            "cli.json",
            "browser.json` is not a JSON array",
        ] {
            assert!(problems.contains(s), "{s:?} not in\n{problems}");
        }
        assert!(!problems.contains("node.json"));
    }

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(fmt_num(Some(1_234_567)), "1,234,567");
        assert_eq!(fmt_num(Some(999)), "999");
        assert_eq!(fmt_ms(Some(1.234)), "1.23 ms");
        assert_eq!(fmt_ms(Some(431.04)), "431.0 ms");
        assert_eq!(fmt_ms(Some(1980.0)), "1.98 s");
        assert_eq!(fmt_ms(None), "–");
    }
}
