//! `quipu-bench native DIR --gazetteer G`: Quipu and the bare aho-corasick ceiling, natively,
//! one thread, on the generated text. One process per gazetteer, so the peak memory figures
//! are that gazetteer's alone.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
use anyhow::{bail, Context, Result};
use quipu::{Gazetteer, Tagger, TaggerBuilder};

use crate::alloc;
use crate::gen::LARGE_CITIES;
use crate::rows::{mb, mb_per_s, median, ms, read_text, round, write_rows, Row};

/// The gazetteers of the suite.
pub const GAZETTEERS: &[&str] = &["small", "default", "large"];

/// Up to this many patterns Quipu's matcher builds a DFA (whose unanchored search finds the
/// places its trie is walked from): a copy of `DFA_MAX_PATTERNS` in
/// `crates/quipu/src/matcher.rs`.
const DFA_MAX_PATTERNS: usize = 5_000;

/// The automaton kind of the ceiling for `patterns` patterns. Up to `DFA_MAX_PATTERNS`, the
/// DFA Quipu's matcher searches with, so that the ceiling is the same search without any of
/// Quipu's work: a ceiling of a slower kind would flatter the ratio (with 500 patterns the
/// DFA searches about twice as fast as the NFA). Above, where Quipu walks its own trie,
/// aho-corasick's fastest automaton that builds at that size: the contiguous NFA. If the
/// matcher's threshold changes, change it here, and only here.
pub fn ceiling_kind(patterns: usize) -> AhoCorasickKind {
    if patterns <= DFA_MAX_PATTERNS {
        AhoCorasickKind::DFA
    } else {
        AhoCorasickKind::ContiguousNFA
    }
}

/// The other kind, measured for information where it can be built at reasonable cost: the
/// NFA where the ceiling is a DFA (a DFA over tens of thousands of patterns takes hundreds
/// of megabytes, which is why the matcher does not build one).
fn other_kind(patterns: usize) -> Option<AhoCorasickKind> {
    (ceiling_kind(patterns) == AhoCorasickKind::DFA).then_some(AhoCorasickKind::ContiguousNFA)
}

/// The ceiling automaton: Quipu's match semantics (leftmost-longest) over the folded
/// patterns, of `kind`, searched unanchored (and built for that only: anchored states would
/// double a DFA's size and slow its search).
pub fn ceiling(patterns: &[&str], kind: AhoCorasickKind) -> Result<AhoCorasick> {
    Ok(AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Unanchored)
        .kind(Some(kind))
        .build(patterns)?)
}

/// The builder of gazetteer `name`, gazetteer matching only, and how long parsing its file
/// took (not part of the build time).
fn builder(dir: &Path, name: &str) -> Result<(TaggerBuilder, Option<Duration>)> {
    let base = Tagger::builder().rules(false).linking(false);
    let parse = |file: &str, hint: &str| -> Result<(Gazetteer, Duration)> {
        let path = dir.join(file);
        let text = read_text(&path, hint)?;
        let t = Instant::now();
        let g = Gazetteer::parse_text(&path.display().to_string(), &text)
            .with_context(|| format!("{} is not a valid gazetteer", path.display()))?;
        Ok((g, t.elapsed()))
    };
    Ok(match name {
        "small" => {
            let (g, t) = parse("small.gaz", "run quipu-bench gen first")?;
            (base.default_gazetteer(false).gazetteer(g), Some(t))
        }
        "default" => (base, None),
        "large" => {
            let (g, t) = parse(LARGE_CITIES, "run node bench/js/gen-large.mjs first")?;
            (base.gazetteer(g), Some(t))
        }
        _ => bail!("unknown gazetteer '{name}' (known: small, default, large)"),
    })
}

/// Runs `f` `n` times and returns the median time and the last result.
fn timed<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = black_box(f());
        times.push(t.elapsed());
        // Dropping the previous result is not timed.
        last = Some(r);
    }
    (median(times), last.expect("n > 0"))
}

/// Builds a tagger from a fresh clone of `b` `n` times (the clone not timed: `build`
/// consumes its builder) and returns the median time and the last tagger.
fn timed_build(n: usize, b: &TaggerBuilder) -> (Duration, Tagger) {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let fresh = b.clone();
        let t = Instant::now();
        let r = black_box(fresh.build().expect("built once already"));
        times.push(t.elapsed());
        last = Some(r);
    }
    (median(times), last.expect("n > 0"))
}

/// Measures gazetteer `name` and writes `results/native-<name>.json`; returns the rows.
pub fn run(dir: &Path, name: &str, repeat: usize) -> Result<Vec<Row>> {
    let repeat = repeat.max(1);
    let (b, parse_time) = builder(dir, name)?;
    let text_path = dir.join("text.txt");
    let text = read_text(&text_path, "run quipu-bench gen first")?;
    let bytes = text.len();
    let say = |what: &str| eprintln!("quipu-bench native {name}: {what}");

    // Memory first, with nothing else alive but the text and the parsed gazetteer: the peak
    // of live heap bytes above that baseline.
    say("memory");
    // Kept for the timed builds; alive and untouched during this one, so not in its peak.
    let spare = b.clone();
    let base = alloc::reset_peak();
    let tagger = b.build()?;
    let build_peak = alloc::peak() - base;
    let tagger_bytes = alloc::current().saturating_sub(base);
    let spans = tagger.tag(&text);
    let tag_peak = alloc::peak() - base;
    drop(spans);
    let stats = tagger.stats();
    let patterns = stats.patterns;

    say("build");
    let (build, _) = timed_build(repeat, &spare);

    say("ceiling build");
    let patterns_path = dir.join(format!("{name}.patterns.txt"));
    let patterns_text = read_text(&patterns_path, "run quipu-bench gen first")?;
    let keys: Vec<&str> = patterns_text.lines().filter(|l| !l.is_empty()).collect();
    let folded_path = dir.join("text.folded.txt");
    let folded = read_text(&folded_path, "run quipu-bench gen first")?;
    let kind = ceiling_kind(keys.len());
    let base = alloc::reset_peak();
    let ac = ceiling(&keys, kind)?;
    let ac_peak = alloc::peak() - base;
    let (ac_build, _) = timed(repeat, || ceiling(&keys, kind).expect("built once already"));

    // Tag and ceiling alternate, so drift on this shared machine hits both alike.
    say("tag and ceiling");
    let (mut tag_times, mut ac_times) = (Vec::new(), Vec::new());
    let (mut spans_n, mut raw_n) = (0, 0);
    for _ in 0..repeat {
        let t = Instant::now();
        let spans = black_box(tagger.tag(&text));
        tag_times.push(t.elapsed());
        spans_n = spans.len();
        drop(spans);
        let t = Instant::now();
        raw_n = black_box(ac.find_iter(&folded).count());
        ac_times.push(t.elapsed());
    }
    let (tag, ac_tag) = (median(tag_times), median(ac_times));

    say("rules and linking");
    let full_builder = spare.rules(true).linking(true);
    let (full_build, full) = timed_build(repeat, &full_builder);
    let (full_tag, full_spans) = timed(repeat, || full.tag(&text));
    let full_spans = full_spans.len();
    drop(full);

    let other = match other_kind(keys.len()) {
        Some(k) => {
            say(&format!("{k:?} ceiling (informational)"));
            let (o_build, o) = timed(repeat, || ceiling(&keys, k).expect("built once already"));
            let (o_tag, o_n) = timed(repeat, || o.find_iter(&folded).count());
            Some((k, o_build, o_tag, o_n, o.memory_usage()))
        }
        None => None,
    };
    let rss = alloc::max_rss();

    let parse_note = parse_time
        .map(|t| format!("; parsing the gazetteer file ({} ms) not included", ms(t)))
        .unwrap_or_default();
    let mut quipu = Row {
        gazetteer: Some(name.into()),
        patterns: Some(patterns as u64),
        build_ms: Some(ms(build)),
        bytes: Some(bytes as u64),
        tag_ms: Some(ms(tag)),
        mb_per_s: Some(mb_per_s(bytes, tag)),
        matches: Some(spans_n as u64),
        peak_mb: Some(mb(build_peak)),
        note: Some(format!(
            "gazetteer only; build = TaggerBuilder::build{parse_note}; peak_mb = peak heap during \
             build (tagger alone: {} MB once built); peak_tag_mb = peak heap during build + tag of \
             the whole text, the text itself excluded (the spans included)",
            mb(tagger_bytes)
        )),
        ..Row::new("quipu", "native")
    }
    .with("aliases", stats.aliases)
    .with("entities", stats.entities)
    .with("peak_tag_mb", mb(tag_peak))
    .with("tagger_mb", mb(tagger_bytes));
    if let Some(rss) = rss {
        quipu = quipu.with("max_rss_mb", mb(rss as usize));
    }
    let mut note = format!(
        "the same text; informational (the targets are about gazetteer tagging); {full_spans} spans"
    );
    if full_spans < spans_n {
        note.push_str(" (fewer than gazetteer only: linking and rules merge mentions)");
    }
    let rules_row = Row {
        gazetteer: Some(name.into()),
        patterns: Some(patterns as u64),
        build_ms: Some(ms(full_build)),
        bytes: Some(bytes as u64),
        tag_ms: Some(ms(full_tag)),
        mb_per_s: Some(mb_per_s(bytes, full_tag)),
        matches: Some(full_spans as u64),
        peak_mb: None,
        note: Some(note),
        ..Row::new("quipu (rules+linking)", "native")
    };
    let mut ac_note = format!(
        "find_iter(text.folded.txt).count(), {:?}, LeftmostLongest, StartKind::Unanchored; MB/s in \
         bytes of the original text ({} folded bytes searched); raw matches, no checks",
        ac.kind(),
        folded.len()
    );
    if keys.len() != patterns {
        ac_note.push_str(&format!(
            "; WARNING: {} patterns in {} but the tagger has {patterns}",
            keys.len(),
            patterns_path.display()
        ));
    }
    let ac_row = Row {
        gazetteer: Some(name.into()),
        patterns: Some(keys.len() as u64),
        build_ms: Some(ms(ac_build)),
        bytes: Some(bytes as u64),
        tag_ms: Some(ms(ac_tag)),
        mb_per_s: Some(mb_per_s(bytes, ac_tag)),
        matches: Some(raw_n as u64),
        peak_mb: Some(mb(ac_peak)),
        note: Some(ac_note),
        ..Row::new("aho-corasick (bare)", "native")
    }
    .with("automaton", format!("{:?}", ac.kind()))
    .with("automaton_mb", mb(ac.memory_usage()));
    let mut rows = vec![quipu, ac_row, rules_row];
    if let Some((k, build, tag, n, mem)) = other {
        rows.push(
            Row {
                gazetteer: Some(name.into()),
                patterns: Some(keys.len() as u64),
                build_ms: Some(ms(build)),
                bytes: Some(bytes as u64),
                tag_ms: Some(ms(tag)),
                mb_per_s: Some(mb_per_s(bytes, tag)),
                matches: Some(n as u64),
                peak_mb: None,
                note: Some(format!(
                    "informational: the same search with {k:?} ({} MB automaton); not the \
                     ceiling of the 40% target, since Quipu's matcher builds a {:?} here",
                    mb(mem),
                    ac.kind()
                )),
                ..Row::new(&format!("aho-corasick {k:?} (bare)"), "native")
            }
            .with("automaton", format!("{k:?}")),
        );
    }
    let out = dir.join("results").join(format!("native-{name}.json"));
    write_rows(&out, &rows)?;
    say(&format!(
        "tag {:.1} MB/s, ceiling {:.1} MB/s ({:.0}%), build {} ms, peak {} MB; wrote {}",
        mb_per_s(bytes, tag),
        mb_per_s(bytes, ac_tag),
        round(100.0 * ac_tag.as_secs_f64() / tag.as_secs_f64(), 1),
        ms(build),
        mb(build_peak),
        out.display()
    ));
    Ok(rows)
}
