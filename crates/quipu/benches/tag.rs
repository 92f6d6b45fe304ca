//! Build and tag benchmarks, with a bare aho-corasick search as the ceiling.
//!
//! A gazetteer of 120,000 aliases (and one of 500) is generated from syllables with a seeded
//! generator, and a text of about 12 MB mixing lower case, Title Case, ALL CAPS paragraphs,
//! accents and emoji, with names at roughly one mention every 25 words. Measured:
//!
//! - `build`: `TaggerBuilder::build` (merge, folding the aliases, the automaton);
//! - `tag`: `Tagger::tag`, gazetteer matching only (rules and linking off);
//! - `tag_rules_linking`: `Tagger::tag` with the default options (rules and linking on);
//! - `fold`: `quipu::normalize::fold_str` over the text, a part of `tag`;
//! - `ceiling`: a bare `AhoCorasick::find_iter` over the folded aliases and the folded text
//!   (folded beforehand), with the options `matcher.rs` uses for a gazetteer of that size.
//!
//! Throughput is counted in bytes of the original text for all of them.
//!
//! Run with `cargo bench -p quipu --bench tag`.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use quipu::gazetteer::{Alias, Record};
use quipu::normalize::fold_str;
use quipu::{Gazetteer, Tagger, TaggerBuilder};

/// SplitMix64: small, seeded, good enough to generate test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "ru", "mi", "to", "ve", "lan", "dor", "qui", "pu", "sa", "be", "ne", "rí", "zá", "ño",
    "al", "ber", "fu", "ji", "mo", "ri", "ta", "cha", "vez", "gar", "cí", "a", "hu", "ma", "ya",
    "pé", "rez", "lo", "pez", "so", "tel", "mon", "tes", "in", "ca", "ül", "ber", "gua", "tzi",
    "o", "con", "nor", "wil", "liams",
];

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "was",
    "for",
    "on",
    "with",
    "by",
    "said",
    "government",
    "minister",
    "embassy",
    "report",
    "meeting",
    "army",
    "president",
    "city",
    "region",
    "from",
    "which",
    "also",
    "would",
    "after",
    "before",
    "about",
    "de",
    "la",
    "el",
    "en",
    "los",
    "que",
    "del",
    "por",
    "con",
    "una",
    "para",
    "está",
    "región",
    "niño",
    "según",
    "también",
    "política",
    "economía",
    "cable",
    "secret",
    "department",
    "informed",
    "sources",
    "week",
    "officials",
    "visit",
    "talks",
    "agreement",
    "election",
    "vote",
    "police",
    "press",
];

const EMOJI: &[&str] = &["😀", "👍", "🇵🇪", "📄", "✅", "🔥"];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    let mut w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
    // Title Case.
    let first = w.chars().next().expect("syllables are not empty");
    w.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    w
}

/// `entities` entities with two names each (canonical name and one alias), all distinct.
fn entities(rng: &mut Rng, entities: usize) -> Vec<Record> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(entities);
    let types = ["PERSON", "PLACE", "INSTITUTION"];
    while out.len() < entities {
        let i = out.len();
        let words = 1 + rng.below(3);
        let name: Vec<String> = (0..words).map(|_| word(rng)).collect();
        let name = name.join(" ");
        let alias = match i % 3 {
            0 => format!("{} {}", word(rng), name),
            1 => format!("{name} {}", word(rng)),
            _ => format!("San {name}"),
        };
        if !seen.insert(fold_str(&name)) || !seen.insert(fold_str(&alias)) {
            continue;
        }
        out.push(Record {
            id: format!("e{i}"),
            entity_type: types[i % 3].to_string(),
            name,
            aliases: vec![Alias::new(alias)],
            ..Record::default()
        });
    }
    out
}

/// About `bytes` of text: paragraphs of sentences, a fifth of them in ALL CAPS, with names of
/// `records` about once every 25 words, accents and some emoji.
fn text(rng: &mut Rng, records: &[Record], bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 1024);
    while out.len() < bytes {
        let caps = rng.chance(20);
        let mut para = String::new();
        for _ in 0..3 + rng.below(5) {
            let words = 8 + rng.below(20);
            for w in 0..words {
                let token = if rng.chance(4) {
                    let r = rng.pick(records);
                    let name = if rng.chance(50) {
                        &r.name
                    } else {
                        &r.aliases[0].text
                    };
                    let mut name = name.clone();
                    if rng.chance(10) {
                        name.push_str("’s");
                    }
                    name
                } else if rng.chance(1) {
                    rng.pick(EMOJI).to_string()
                } else if w == 0 {
                    let mut word = rng.pick(WORDS).to_string();
                    let first = word.chars().next().expect("words are not empty");
                    word.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
                    word
                } else {
                    rng.pick(WORDS).to_string()
                };
                if w > 0 {
                    para.push(if rng.chance(8) { '\n' } else { ' ' });
                }
                para.push_str(&token);
                if rng.chance(6) && w + 1 < words {
                    para.push(',');
                }
            }
            para.push_str(". ");
        }
        if caps {
            para = para.to_uppercase();
        }
        out.push_str(para.trim_end());
        out.push_str("\n\n");
    }
    out
}

/// The automaton `matcher.rs` builds for these folded aliases.
fn ceiling_automaton(records: &[Record]) -> AhoCorasick {
    let mut keys: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for r in records {
        for a in std::iter::once(r.name.as_str()).chain(r.aliases.iter().map(|a| a.text.as_str())) {
            let k = fold_str(a.trim());
            if !k.is_empty() && seen.insert(k.clone()) {
                keys.push(k);
            }
        }
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Unanchored)
        // The DFA `matcher.rs` searches with up to 5,000 patterns; above, where it walks its
        // own trie, aho-corasick's fastest automaton at that size.
        .kind(Some(if keys.len() <= 5_000 {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        }))
        .build(&keys)
        .expect("patterns build")
}

fn builder(records: &[Record]) -> TaggerBuilder {
    let g = Gazetteer::from_records("generated", records.to_vec()).expect("valid records");
    Tagger::builder()
        .default_gazetteer(false)
        .rules(false)
        .linking(false)
        .gazetteer(g)
}

fn bench_size(c: &mut Criterion, label: &str, entity_count: usize, seed: u64) {
    let mut rng = Rng(seed);
    let records = entities(&mut rng, entity_count);
    let text = text(&mut rng, &records, 12 << 20);
    let folded = fold_str(&text);
    let b = builder(&records);
    let tagger = b.clone().build().expect("builds");
    let full = b.clone().rules(true).linking(true).build().expect("builds");
    let ac = ceiling_automaton(&records);
    let stats = tagger.stats();
    let spans = tagger.tag(&text).len();
    let raw = ac.find_iter(&folded).count();
    eprintln!(
        "{label}: {} aliases, {} patterns, automaton {:?}, text {} bytes ({} folded), {} spans, {} raw matches",
        stats.aliases,
        stats.patterns,
        ac.kind(),
        text.len(),
        folded.len(),
        spans,
        raw
    );

    let mut g = c.benchmark_group(label);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    g.bench_function("build", |bench| {
        bench.iter_batched(|| b.clone(), |b| b.build(), BatchSize::LargeInput)
    });
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("tag", |bench| bench.iter(|| black_box(tagger.tag(&text))));
    g.bench_function("tag_rules_linking", |bench| {
        bench.iter(|| black_box(full.tag(&text)))
    });
    g.bench_function("fold", |bench| bench.iter(|| black_box(fold_str(&text))));
    g.bench_function("ceiling", |bench| {
        bench.iter(|| black_box(ac.find_iter(&folded).count()))
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_size(c, "aliases_120k", 60_000, 7);
    bench_size(c, "aliases_500", 250, 11);
}

criterion_group!(tag, benches);
criterion_main!(tag);
