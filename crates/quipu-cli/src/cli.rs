//! The command line's arguments.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use quipu::format::Format;

const MAIN_EXAMPLES: &str = "\
Examples:
  quipu tag report.txt                      entities of one file, as JSON Lines
  quipu tag cables/ --include '*.txt' -o out --format html
                                            one highlighted page per text, in out/
  cat memo.txt | quipu tag --format tsv     standard input, one row per entity
  quipu tag --input jsonl < docs.jsonl      stream {\"id\", \"text\"} lines (pipelines, Spark)
  quipu gazetteer check my-names.gaz        validate and lint a gazetteer
  quipu eval corpus/                        score against gold annotations

Exit codes: 0 success; 1 some inputs failed (the others were processed); 2 usage or
gazetteer error. Documentation: docs/cli.md.";

const TAG_EXAMPLES: &str = "\
Examples:
  quipu tag report.txt
  quipu tag cables/ --include '*.txt' --exclude 'drafts/**'
  quipu tag cables/ --output tagged/ --format brat      tagged/<same path>.ann per input
  quipu tag - --format conll < memo.txt
  quipu tag notes.txt --gazetteer my-names.gaz --types PERSON,INSTITUTION
  quipu tag notes.txt --no-default-gazetteer --gazetteer only-mine.json
  printf '{\"id\": \"1\", \"text\": \"Fujimori in Lima\"}\\n' | quipu tag --input jsonl

Offsets: start/end count Unicode code points of the text exactly as stored (a BOM counts
as one, CRLF as two), end exclusive; byte_* count UTF-8 bytes, utf16_* UTF-16 units.";

const CHECK_EXAMPLES: &str = "\
Examples:
  quipu gazetteer check my-names.gaz
  quipu gazetteer check --no-default-gazetteer people.gaz places.json

Errors (exit 2) name the file and line; lint warnings (aliases that are common words,
aliases shared by several entities) are printed and do not fail the check.";

const STATS_EXAMPLES: &str = "\
Examples:
  quipu gazetteer stats                     the default gazetteer
  quipu gazetteer stats my-names.gaz        the default gazetteer plus mine
  quipu gazetteer stats --no-default-gazetteer --json my-names.gaz";

const SNAPSHOT_EXAMPLES: &str = "\
Examples:
  quipu gazetteer snapshot -o quipu.snapshot -g cities.gaz
                                            the default gazetteer and cities.gaz, built once
  quipu tag --snapshot quipu.snapshot cables/
                                            tag with it: no gazetteer is parsed or built

A snapshot holds the entities and the automaton, not the options --no-rules and
--no-linking; --types given to `tag` applies on top of the snapshot's. It is tied to the
version of quipu that made it: make it again after upgrading.";

const EVAL_EXAMPLES: &str = "\
Examples:
  quipu eval corpus/                        tag every corpus/*.txt and score it against
                                            its corpus/*.txt.json
  quipu eval corpus/ --gazetteer my-names.gaz --types PERSON
  quipu eval corpus/ --pred predictions.jsonl   score predictions made earlier
                                                (quipu tag output or gold-like JSON)
  quipu eval corpus/000_a.txt.json --json

Gold files: {\"doc\", \"ignore\": [[s, e]], \"entities\": [{\"start\", \"end\", \"type\", \"text\"}]}
in code points, the text beside them (x.txt for x.txt.json).";

/// Tags people, places and institutions in text with gazetteers.
#[derive(Debug, Parser)]
#[command(name = "quipu", version, about, after_help = MAIN_EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tag files, folders or standard input.
    #[command(after_help = TAG_EXAMPLES)]
    Tag(TagArgs),
    /// Check or describe gazetteers.
    Gazetteer {
        /// What to do with them.
        #[command(subcommand)]
        command: GazetteerCommand,
    },
    /// Score the tagger (or earlier predictions) against gold annotations.
    #[command(after_help = EVAL_EXAMPLES)]
    Eval(EvalArgs),
}

/// `quipu gazetteer ...`
#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Parse, merge and lint gazetteers; exit 2 on errors.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Count entities per type, aliases and patterns.
    #[command(after_help = STATS_EXAMPLES)]
    Stats(StatsArgs),
    /// Build the tagger once and save it, for `--snapshot`: it then starts without parsing
    /// or building its gazetteers.
    #[command(after_help = SNAPSHOT_EXAMPLES)]
    Snapshot(SnapshotArgs),
}

/// Which gazetteers and types a tagger is built from.
#[derive(Debug, Args, Clone)]
pub struct GazetteerArgs {
    /// Add a gazetteer (repeatable; later ones override earlier ones). `.json` files are read
    /// as JSON, anything else as the text format (docs/gazetteer-format.md).
    #[arg(short, long = "gazetteer", value_name = "PATH")]
    pub gazetteers: Vec<PathBuf>,

    /// Do not load the default gazetteer compiled into quipu.
    #[arg(long)]
    pub no_default_gazetteer: bool,

    /// Only tag these types, comma-separated (e.g. PERSON,PLACE).
    #[arg(short, long, value_name = "TYPES", value_delimiter = ',')]
    pub types: Option<Vec<String>>,
}

/// Which gazetteers, types and rules the tagger uses.
#[derive(Debug, Args, Clone)]
pub struct TaggerArgs {
    /// The gazetteers and types.
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,

    /// Turn off the context rules (titles, first names, organisation keywords) that find names
    /// no gazetteer knows.
    #[arg(long)]
    pub no_rules: bool,

    /// Turn off linking of later mentions (a surname alone, an acronym) to names found earlier
    /// in the same document.
    #[arg(long)]
    pub no_linking: bool,

    /// Start from a snapshot (`quipu gazetteer snapshot`) instead of the gazetteers: it holds
    /// them already, built.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["gazetteers", "no_default_gazetteer"])]
    pub snapshot: Option<PathBuf>,
}

/// `quipu gazetteer snapshot`
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (written whole or not at all).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,

    /// The gazetteers and types it holds.
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,
}

/// How input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Each file (or standard input) is one document.
    Text,
    /// Standard input is JSON Lines, `{"id": ..., "text": ...}` per line, tagged as a stream.
    Jsonl,
}

/// `quipu tag`
#[derive(Debug, Args)]
pub struct TagArgs {
    /// Files or folders to tag (folders recursively); `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(
        short,
        long,
        default_value = "jsonl",
        value_name = "FORMAT",
        value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES)
            .map(|s| s.parse::<Format>().expect("a possible value")),
    )]
    pub format: Format,

    /// Write one file per input into DIR (mirroring paths below the folders given, with the
    /// format's extension) instead of standard output. DIR must not contain any input.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// In folders, tag only files whose path below the folder matches this glob (repeatable;
    /// `*` crosses folders: '*.txt' matches a/b.txt).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// In folders, skip files (and folders) whose path below the folder matches this glob
    /// (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// How to read input: `text` documents, or a `jsonl` stream on standard input.
    #[arg(long, value_enum, default_value = "text", value_name = "KIND")]
    pub input: InputKind,

    /// Replace invalid UTF-8 with U+FFFD instead of failing the input.
    #[arg(long)]
    pub lossy: bool,

    /// No progress bar and no warnings (errors are still reported).
    #[arg(short, long)]
    pub quiet: bool,

    /// Threads to tag with (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    #[command(flatten)]
    pub tagger: TaggerArgs,
}

/// `quipu gazetteer check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Gazetteer files (.json or the text format).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Check the files alone, without the default gazetteer they would be merged into.
    #[arg(long)]
    pub no_default_gazetteer: bool,

    /// Print the lint warnings as JSON Lines instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `quipu gazetteer stats`
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Gazetteer files, merged after the default gazetteer (none: the default alone).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Leave the default gazetteer out.
    #[arg(long)]
    pub no_default_gazetteer: bool,

    /// Print the counts as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `quipu eval`
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold files (`x.txt.json`, with `x.txt` beside) or folders holding such pairs.
    #[arg(value_name = "GOLD", required = true)]
    pub gold: Vec<PathBuf>,

    /// Score these predictions (repeatable: JSON Lines from `quipu tag`, or gold-like JSON
    /// files or folders of them) instead of tagging the texts. Documents pair by file name.
    #[arg(long, value_name = "PATH")]
    pub pred: Vec<PathBuf>,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,

    /// Show at most N misses, false alarms and confusions of each kind (default: all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Code points of context each side of a mistake.
    #[arg(long, value_name = "N", default_value_t = quipu::eval::DEFAULT_CONTEXT)]
    pub context: usize,

    /// No warnings.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub tagger: TaggerArgs,
}
