//! `quipu-bench`: the native half of the benchmark suite of issue 8 (`scripts/bench` runs it
//! all). See the "Benchmark suite" section of BENCHMARKS.md.

mod alloc;
mod clibench;
mod gen;
mod native;
mod report;
mod rows;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

// Counts live heap bytes, for the peak memory of `native`.
#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

#[derive(Parser)]
#[command(
    name = "quipu-bench",
    about = "The benchmark suite of issue 8: inputs, native measurements, CLI timing, report",
    after_help = "Usually run through scripts/bench, which runs every step in order:\n  \
                  quipu-bench gen target/bench\n  \
                  quipu-bench native target/bench --gazetteer default\n  \
                  quipu-bench cli target/bench\n  \
                  quipu-bench report target/bench"
)]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Writes the shared inputs into DIR: text.txt, text.folded.txt, small.gaz,
    /// {small,default,large}.patterns.txt, files/, meta.json (large only when DIR has
    /// large-cities.gaz).
    Gen {
        dir: PathBuf,
        /// Size of text.txt in megabytes (10^6 bytes).
        #[arg(long, default_value_t = 50.0)]
        mb: f64,
        #[arg(long, default_value_t = 8)]
        seed: u64,
        /// Target size of each file of files/, in bytes.
        #[arg(long, default_value_t = 25_000)]
        file_bytes: usize,
    },
    /// Measures Quipu and the bare aho-corasick ceiling natively on one gazetteer; writes
    /// `DIR/results/native-<gazetteer>.json`.
    Native {
        dir: PathBuf,
        #[arg(long, value_parser = ["small", "default", "large"])]
        gazetteer: String,
        /// Runs of each measurement (the median is reported).
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Times `quipu tag --jobs 1` and `--jobs 2` over DIR/files/; writes DIR/results/cli.json.
    Cli {
        dir: PathBuf,
        /// The quipu binary (default: the one beside quipu-bench).
        #[arg(long)]
        quipu: Option<PathBuf>,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Reads DIR/results/*.json, writes DIR/RESULTS.md and prints it.
    Report { dir: PathBuf },
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("quipu-bench: error: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<()> {
    match args.command {
        Cmd::Gen {
            dir,
            mb,
            seed,
            file_bytes,
        } => {
            anyhow::ensure!(mb > 0.0, "--mb must be positive");
            anyhow::ensure!(file_bytes > 0, "--file-bytes must be positive");
            let meta = gen::generate(
                &dir,
                &gen::Options {
                    mb,
                    seed,
                    file_bytes,
                    ..gen::Options::default()
                },
            )?;
            eprintln!(
                "quipu-bench gen: {} bytes of text ({} folded), {} files, patterns {:?}, in {}",
                meta.text_bytes,
                meta.folded_bytes,
                meta.files,
                meta.patterns,
                dir.display()
            );
        }
        Cmd::Native {
            dir,
            gazetteer,
            repeat,
        } => {
            native::run(&dir, &gazetteer, repeat)?;
        }
        Cmd::Cli { dir, quipu, repeat } => {
            let quipu = quipu.unwrap_or_else(clibench::default_quipu);
            clibench::run(&dir, &quipu, repeat)?;
        }
        Cmd::Report { dir } => {
            print!("{}", report::run(&dir)?);
        }
    }
    Ok(())
}
