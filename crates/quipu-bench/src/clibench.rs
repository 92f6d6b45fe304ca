//! `quipu-bench cli DIR`: wall time of `quipu tag --jobs 1` and `--jobs 2` over `DIR/files/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::rows::{mb_per_s, median, ms, round, write_rows, Row};

/// The `quipu` binary beside this one (both are built into `target/release`).
pub fn default_quipu() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    exe.with_file_name(format!("quipu{}", std::env::consts::EXE_SUFFIX))
}

/// Files and bytes of the folder (flat: `gen` writes no subfolders).
fn count(files: &Path) -> Result<(u64, u64)> {
    let mut n = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(files).with_context(|| {
        format!(
            "cannot read {} (run quipu-bench gen first)",
            files.display()
        )
    })? {
        let meta = entry?.metadata()?;
        if meta.is_file() {
            n += 1;
            bytes += meta.len();
        }
    }
    if n == 0 {
        bail!(
            "{} has no files (run quipu-bench gen first)",
            files.display()
        );
    }
    Ok((n, bytes))
}

/// One run: the default gazetteer, rules and linking at their defaults, JSON Lines to
/// /dev/null (writing the output is part of the work, the disk is not).
fn once(quipu: &Path, files: &Path, jobs: usize) -> Result<Duration> {
    let t = Instant::now();
    let out = Command::new(quipu)
        .arg("tag")
        .arg(files)
        .args(["--jobs", &jobs.to_string(), "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| {
            format!(
                "cannot run {} (build it with cargo build --release -p quipu-cli)",
                quipu.display()
            )
        })?;
    let elapsed = t.elapsed();
    if !out.status.success() {
        bail!(
            "{} tag {} --jobs {jobs} failed ({}): {}",
            quipu.display(),
            files.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(elapsed)
}

/// Measures and writes `results/cli.json`.
pub fn run(dir: &Path, quipu: &Path, repeat: usize) -> Result<Vec<Row>> {
    let files = dir.join("files");
    let (n, bytes) = count(&files)?;
    if !quipu.is_file() {
        bail!(
            "no {} (build it with cargo build --release -p quipu-cli, or pass --quipu PATH)",
            quipu.display()
        );
    }
    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    // 1 and 2 threads alternate, so drift on this shared machine hits both alike.
    for i in 0..repeat.max(1) {
        for (slot, jobs) in [(0, 1), (1, 2)] {
            let t = once(quipu, &files, jobs)?;
            eprintln!("quipu-bench cli: run {} --jobs {jobs}: {} ms", i + 1, ms(t));
            times[slot].push(t);
        }
    }
    let [one, two] = times.map(median);
    let speedup = round(one.as_secs_f64() / two.as_secs_f64(), 2);
    let rows: Vec<Row> = [(1, one), (2, two)]
        .into_iter()
        .map(|(threads, t)| Row {
            gazetteer: Some("default".into()),
            bytes: Some(bytes),
            mb_per_s: Some(mb_per_s(bytes as usize, t)),
            threads: Some(threads),
            wall_ms: Some(ms(t)),
            files: Some(n),
            note: Some(format!(
                "quipu tag files/ --jobs {threads} --quiet > /dev/null (JSON Lines, default \
                 gazetteer, rules and linking on); wall time of the process, median of {}",
                repeat.max(1)
            )),
            ..Row::new("quipu CLI", "native")
        })
        .collect();
    let out = dir.join("results").join("cli.json");
    write_rows(&out, &rows)?;
    eprintln!(
        "quipu-bench cli: 1 thread {} ms, 2 threads {} ms, speed-up {speedup}x; wrote {}",
        ms(one),
        ms(two),
        out.display()
    );
    Ok(rows)
}
