//! `quipu-bench gen DIR`: the shared inputs of the suite, the same bytes for the same seed.
//!
//! - `text.txt`: paragraphs of English and Spanish filler with names of the real gazetteers
//!   (default, `small.gaz`, `large-cities.gaz` when present) at about one every 22 words;
//! - `text.folded.txt`: `fold_str(text)`, what the ceiling and the JS peers search;
//! - `small.gaz`: about 500 aliases, the first people and institutions of the default
//!   gazetteer, in the text format;
//! - `{small,default,large}.patterns.txt`: the distinct folded aliases of each gazetteer;
//! - `files/`: the text cut at paragraph breaks into files of about 25 KB, for the CLI;
//! - `meta.json`: sizes, seed and counts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use quipu::gazetteer::{merge, Action, Record};
use quipu::normalize::fold_str;
use quipu::{Entity, Gazetteer};
use serde::{Deserialize, Serialize};

use crate::rows::{read_text, write_atomic};

/// The file the JS side writes (`node bench/js/gen-large.mjs DIR`): GeoNames cities.
pub const LARGE_CITIES: &str = "large-cities.gaz";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Size of `text.txt` in megabytes (10^6 bytes); the text is at least this long.
    pub mb: f64,
    pub seed: u64,
    /// Target size of each file of `files/`, in bytes.
    pub file_bytes: usize,
    /// Aliases (canonical names included) in `small.gaz`, at least.
    pub small_aliases: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mb: 50.0,
            seed: 8,
            file_bytes: 25_000,
            small_aliases: 500,
        }
    }
}

/// `meta.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub seed: u64,
    pub text_bytes: usize,
    pub folded_bytes: usize,
    pub paragraphs: usize,
    pub words: usize,
    /// Names written into the text, per pool ("people", "small", "large-cities", ...).
    pub names: std::collections::BTreeMap<String, usize>,
    pub near_misses: usize,
    pub emoji: usize,
    pub files: usize,
    pub small_aliases: usize,
    /// Distinct folded aliases per gazetteer (absent: not generated).
    pub patterns: std::collections::BTreeMap<String, usize>,
    /// Whether `large-cities.gaz` was there (names drawn from it, large patterns written).
    pub large_cities: bool,
}

/// SplitMix64: small, seeded, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

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

    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }
}

// One line per kind of word rather than one word per line.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    // English, weighted towards function words as in real text.
    "the", "the", "the", "of", "of", "and", "and", "to", "in", "a", "that", "was", "for", "on",
    "with", "by", "said", "government", "minister", "embassy", "report", "meeting", "army",
    "president", "city", "region", "from", "which", "also", "would", "after", "before", "about",
    "cable", "secret", "department", "informed", "sources", "week", "officials", "visit",
    "talks", "agreement", "election", "vote", "police", "press", "its", "their", "has", "had",
    "were", "been", "who", "will", "not", "but", "an", "at", "this", "over", "under", "against",
    "military", "economic", "reform", "debt", "strike", "protest", "congress", "court", "party",
    "leader", "opposition", "campaign", "decree", "according",
    // Spanish, with accents.
    "de", "de", "la", "el", "en", "y", "los", "las", "que", "del", "por", "con", "una", "para",
    "está", "región", "niño", "según", "también", "política", "economía", "gobierno", "señor",
    "años", "después", "información", "público", "reunión", "ministro", "elección", "país",
    "más", "sólo", "aún", "había", "allí", "acción", "nación", "crisis", "huelga",
];

const EMOJI: &[&str] = &["😀", "👍", "🇵🇪", "📄", "✅", "🔥", "🙏", "⚠️"];

/// Glued after a name ("Fujimorista") or before it ("antifujimori"): the name is inside a
/// longer word, which the automaton finds and the boundary checks must reject.
const SUFFIXES: &[&str] = &["ista", "istas", "ismo", "ian", "ians", "ed", "ing", "eño"];
const PREFIXES: &[&str] = &["anti", "neo", "post", "pro", "ex", "super"];

/// An entity as the text may name it: `forms[0]` is the canonical name, then its aliases,
/// then, for a person, the surname alone.
#[derive(Debug, Clone)]
struct Named {
    forms: Vec<String>,
}

impl Named {
    fn new<'a>(names: impl Iterator<Item = &'a str>, person: bool) -> Option<Named> {
        let mut forms: Vec<String> = Vec::new();
        for n in names {
            let n = n.trim();
            if !n.is_empty() && !forms.iter().any(|f| f == n) {
                forms.push(n.to_string());
            }
        }
        let first = forms.first()?;
        if person {
            let words: Vec<&str> = first.split_whitespace().collect();
            if let Some(last) = words.last().filter(|w| words.len() > 1 && w.len() > 3) {
                let last = last.to_string();
                if !forms.contains(&last) {
                    forms.push(last);
                }
            }
        }
        Some(Named { forms })
    }

    fn of_entity(e: &Entity) -> Option<Named> {
        Named::new(
            e.aliases.iter().map(|a| a.text.as_str()),
            e.entity_type == "PERSON",
        )
    }

    fn of_record(r: &Record) -> Option<Named> {
        Named::new(
            std::iter::once(r.name.as_str()).chain(r.aliases.iter().map(|a| a.text.as_str())),
            r.entity_type == "PERSON",
        )
    }
}

/// Where names come from, with how often (weights out of their sum).
struct Pool {
    label: &'static str,
    weight: usize,
    names: Vec<Named>,
}

/// `small.gaz`: the first records of the default people, then institutions, until
/// `aliases` names (canonical ones included) are reached.
pub fn small_gazetteer(defaults: &[Gazetteer], aliases: usize) -> Result<Gazetteer> {
    let mut records = Vec::new();
    let mut count = 0;
    // People first, up to 70% of the names: both kinds then hit the small automaton.
    for (origin, share) in [
        ("people.gaz", aliases * 7 / 10),
        ("institutions.gaz", aliases),
    ] {
        let g = defaults
            .iter()
            .find(|g| g.source_name().ends_with(origin))
            .with_context(|| format!("the default gazetteer has no {origin}"))?;
        for r in g.records() {
            if count >= share {
                break;
            }
            if r.action != Action::Define {
                continue;
            }
            count += 1 + r.aliases.len();
            records.push(Record {
                line: 0,
                ..r.clone()
            });
        }
    }
    Ok(Gazetteer::from_records("small.gaz", records)?)
}

/// The distinct folded aliases of these entities, sorted: the patterns of the automaton a
/// tagger builds from them (`matcher.rs` folds each trimmed alias the same way).
pub fn patterns(entities: &[Entity]) -> Vec<String> {
    let set: BTreeSet<String> = entities
        .iter()
        .flat_map(|e| e.aliases.iter())
        .map(|a| fold_str(a.text.trim()))
        .filter(|k| !k.is_empty())
        .collect();
    set.into_iter().collect()
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What `text` wrote, for `meta.json`.
#[derive(Debug, Default)]
struct Counts {
    paragraphs: usize,
    words: usize,
    names: std::collections::BTreeMap<String, usize>,
    near_misses: usize,
    emoji: usize,
}

/// About `bytes` of text (at least that many): paragraphs of 3-7 sentences, a fifth of them
/// in ALL CAPS; a name about every 22 words, a near-miss every 100, an emoji every 100.
fn text(rng: &mut Rng, pools: &[Pool], bytes: usize) -> (String, Counts) {
    let total: usize = pools.iter().map(|p| p.weight).sum();
    let mut counts = Counts::default();
    let mut out = String::with_capacity(bytes + 4096);
    let mut para = String::new();
    while out.len() < bytes {
        para.clear();
        let caps = rng.chance(200);
        for _ in 0..3 + rng.below(5) {
            let words = 8 + rng.below(22);
            for w in 0..words {
                counts.words += 1;
                let roll = rng.below(1000);
                let token = if roll < 45 {
                    let mut k = rng.below(total);
                    let pool = pools
                        .iter()
                        .find(|p| {
                            let hit = k < p.weight;
                            k = k.saturating_sub(p.weight);
                            hit
                        })
                        .expect("k is below the total weight");
                    *counts.names.entry(pool.label.to_string()).or_default() += 1;
                    let named = rng.pick(&pool.names);
                    // The canonical name half the time, else an alias or the surname.
                    let mut name = if named.forms.len() == 1 || rng.chance(500) {
                        named.forms[0].clone()
                    } else {
                        named.forms[1 + rng.below(named.forms.len() - 1)].clone()
                    };
                    if rng.chance(30) {
                        // A name broken across two lines.
                        if let Some(i) = name.find(' ') {
                            name.replace_range(i..i + 1, "\n");
                        }
                    }
                    if rng.chance(100) {
                        name.push_str(if rng.chance(500) { "’s" } else { "'s" });
                    }
                    name
                } else if roll < 55 {
                    counts.near_misses += 1;
                    let pool = &pools[rng.below(pools.len())];
                    let named = rng.pick(&pool.names);
                    let name = rng.pick(&named.forms).clone();
                    let first = name.split_whitespace().next().unwrap_or_default();
                    let last = name.split_whitespace().last().unwrap_or_default();
                    match rng.below(3) {
                        0 => format!("{last}{}", rng.pick(SUFFIXES)),
                        1 => format!("{}{}", rng.pick(PREFIXES), first.to_lowercase()),
                        _ => {
                            // A prefix of the name, cut at a character boundary.
                            let chars: Vec<char> = name.chars().collect();
                            let keep = 3.max(chars.len() * 2 / 3).min(chars.len());
                            chars[..keep].iter().collect()
                        }
                    }
                } else if roll < 65 {
                    counts.emoji += 1;
                    rng.pick(EMOJI).to_string()
                } else if w == 0 {
                    capitalise(rng.pick::<&str>(WORDS))
                } else {
                    rng.pick(WORDS).to_string()
                };
                if w > 0 {
                    para.push(if rng.chance(80) { '\n' } else { ' ' });
                }
                para.push_str(&token);
                if rng.chance(60) && w + 1 < words {
                    para.push(',');
                }
            }
            para.push_str(". ");
        }
        counts.paragraphs += 1;
        let para = para.trim_end();
        if caps {
            out.push_str(&para.to_uppercase());
        } else {
            out.push_str(para);
        }
        out.push_str("\n\n");
    }
    (out, counts)
}

/// Cuts `text` after paragraph breaks into pieces of at least `size` bytes (the last may be
/// shorter); the pieces concatenate back to `text`.
pub fn cut(text: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let want = (start + size).min(text.len());
        // Bytes, since `want` may fall inside a character.
        let end = match text.as_bytes()[want..]
            .windows(2)
            .position(|w| w == b"\n\n")
        {
            Some(i) => want + i + 2,
            None => text.len(),
        };
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces
}

/// Generates every input into `dir`.
pub fn generate(dir: &Path, opts: &Options) -> Result<Meta> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let defaults = quipu::default_gazetteers()?;
    let default_entities = merge(&defaults)?;

    let small = small_gazetteer(&defaults, opts.small_aliases)?;
    let small_text = format!(
        "# Generated by quipu-bench gen: the first people and institutions of the default\n\
         # gazetteer (seeds/default), about {} aliases. Format: docs/gazetteer-format.md.\n{}",
        opts.small_aliases,
        small.to_text()
    );
    write_atomic(&dir.join("small.gaz"), small_text.as_bytes())?;
    let small_entities = merge(std::slice::from_ref(&small))?;

    let large_path = dir.join(LARGE_CITIES);
    let large = if large_path.exists() {
        let text = read_text(&large_path, "written by node bench/js/gen-large.mjs")?;
        Some(
            Gazetteer::parse_text(&large_path.display().to_string(), &text)
                .with_context(|| format!("{} is not a valid gazetteer", large_path.display()))?,
        )
    } else {
        eprintln!(
            "quipu-bench gen: no {}: the large gazetteer is skipped (run node bench/js/gen-large.mjs {} first)",
            large_path.display(),
            dir.display()
        );
        None
    };

    // Names of the text, by kind, from the gazetteers as they are.
    let by_origin = |suffixes: &[&str]| -> Vec<Named> {
        default_entities
            .iter()
            .filter(|e| suffixes.iter().any(|s| e.origin.ends_with(s)))
            .filter_map(Named::of_entity)
            .collect()
    };
    let mut pools = vec![
        Pool {
            label: "people",
            weight: 25,
            names: by_origin(&["people.gaz"]),
        },
        Pool {
            label: "institutions",
            weight: 12,
            names: by_origin(&["institutions.gaz"]),
        },
        Pool {
            label: "places",
            weight: 20,
            names: by_origin(&["countries.gaz", "places.gaz", "peru-ubigeo.gaz"]),
        },
        Pool {
            label: "cities",
            weight: 15,
            names: by_origin(&["cities.gaz"]),
        },
        Pool {
            label: "small",
            weight: 15,
            names: small
                .records()
                .iter()
                .filter_map(Named::of_record)
                .collect(),
        },
    ];
    if let Some(g) = &large {
        pools.push(Pool {
            label: "large-cities",
            weight: 13,
            names: g.records().iter().filter_map(Named::of_record).collect(),
        });
    }
    pools.retain(|p| !p.names.is_empty());
    if pools.is_empty() {
        bail!("no names to write: the gazetteers are empty");
    }

    let mut rng = Rng::new(opts.seed);
    let (text, counts) = text(&mut rng, &pools, (opts.mb * 1e6) as usize);
    let folded = fold_str(&text);
    write_atomic(&dir.join("text.txt"), text.as_bytes())?;
    write_atomic(&dir.join("text.folded.txt"), folded.as_bytes())?;

    let mut pattern_counts = std::collections::BTreeMap::new();
    let mut write_patterns = |name: &str, entities: &[Entity]| -> Result<()> {
        let p = patterns(entities);
        pattern_counts.insert(name.to_string(), p.len());
        let mut body = p.join("\n");
        body.push('\n');
        write_atomic(&dir.join(format!("{name}.patterns.txt")), body.as_bytes())
    };
    write_patterns("small", &small_entities)?;
    write_patterns("default", &default_entities)?;
    if let Some(g) = &large {
        let mut all = defaults.clone();
        all.push(g.clone());
        write_patterns("large", &merge(&all)?)?;
    } else {
        // A stale file from an earlier run would be measured against the wrong text.
        let _ = std::fs::remove_file(dir.join("large.patterns.txt"));
    }

    let files_dir: PathBuf = dir.join("files");
    if files_dir.exists() {
        std::fs::remove_dir_all(&files_dir)
            .with_context(|| format!("cannot clear {}", files_dir.display()))?;
    }
    std::fs::create_dir_all(&files_dir)
        .with_context(|| format!("cannot create {}", files_dir.display()))?;
    let pieces = cut(&text, opts.file_bytes);
    for (i, piece) in pieces.iter().enumerate() {
        let path = files_dir.join(format!("{i:05}.txt"));
        std::fs::write(&path, piece).with_context(|| format!("cannot write {}", path.display()))?;
    }

    let meta = Meta {
        seed: opts.seed,
        text_bytes: text.len(),
        folded_bytes: folded.len(),
        paragraphs: counts.paragraphs,
        words: counts.words,
        names: counts.names,
        near_misses: counts.near_misses,
        emoji: counts.emoji,
        files: pieces.len(),
        small_aliases: small_entities.iter().map(|e| e.aliases.len()).sum(),
        patterns: pattern_counts,
        large_cities: large.is_some(),
    };
    let mut json = serde_json::to_string_pretty(&meta)?;
    json.push('\n');
    write_atomic(&dir.join("meta.json"), json.as_bytes())?;
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Options {
        Options {
            mb: 0.2,
            file_bytes: 20_000,
            ..Options::default()
        }
    }

    #[test]
    fn same_seed_same_bytes_and_the_names_are_there() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let meta = generate(a.path(), &tiny()).unwrap();
        generate(b.path(), &tiny()).unwrap();
        for f in [
            "text.txt",
            "text.folded.txt",
            "small.gaz",
            "small.patterns.txt",
            "default.patterns.txt",
            "meta.json",
        ] {
            let x = std::fs::read(a.path().join(f)).unwrap();
            let y = std::fs::read(b.path().join(f)).unwrap();
            assert!(x == y, "{f} differs between two runs with the same seed");
        }
        let text = std::fs::read_to_string(a.path().join("text.txt")).unwrap();
        assert!(
            text.len() >= 200_000 && text.len() < 210_000,
            "{}",
            text.len()
        );
        assert_eq!(meta.text_bytes, text.len());
        assert!(!meta.large_cities);
        assert!(!a.path().join("large.patterns.txt").exists());

        // About one name every 22 words, from every pool.
        let names: usize = meta.names.values().sum();
        let per = meta.words as f64 / names as f64;
        assert!((18.0..27.0).contains(&per), "a name every {per} words");
        assert!(meta.names.len() >= 5, "{:?}", meta.names);

        // The small gazetteer has about 500 aliases, and the text names them.
        assert!(
            (500..560).contains(&meta.small_aliases),
            "{}",
            meta.small_aliases
        );
        let small = Gazetteer::parse_text(
            "small.gaz",
            &std::fs::read_to_string(a.path().join("small.gaz")).unwrap(),
        )
        .unwrap();
        let tagger = quipu::Tagger::builder()
            .default_gazetteer(false)
            .rules(false)
            .linking(false)
            .gazetteer(small)
            .build()
            .unwrap();
        assert!(tagger.tag(&text).len() > 50);
        assert_eq!(
            tagger.stats().patterns,
            meta.patterns["small"],
            "the patterns file counts what the matcher builds"
        );

        // The files are the text, cut at paragraph breaks.
        let mut files: Vec<_> = std::fs::read_dir(a.path().join("files"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert_eq!(files.len(), meta.files);
        assert!(meta.files >= 9 && meta.files <= 11, "{}", meta.files);
        let joined: String = files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert!(joined == text);

        let folded = std::fs::read_to_string(a.path().join("text.folded.txt")).unwrap();
        assert_eq!(folded, fold_str(&text));
        let patterns = std::fs::read_to_string(a.path().join("default.patterns.txt")).unwrap();
        let lines: Vec<&str> = patterns.lines().collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
        assert_eq!(lines.len(), meta.patterns["default"]);
    }

    #[test]
    fn other_seed_other_text_and_large_cities_when_present() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        std::fs::write(
            b.path().join(LARGE_CITIES),
            "gn-1 | PLACE | Quillabamba Alta | Quillabamba\ngn-2 | PLACE | Zzyzx Springs |\n",
        )
        .unwrap();
        let opts = |seed| Options {
            mb: 0.05,
            seed,
            ..tiny()
        };
        generate(a.path(), &opts(8)).unwrap();
        let meta = generate(b.path(), &opts(9)).unwrap();
        let x = std::fs::read(a.path().join("text.txt")).unwrap();
        let y = std::fs::read_to_string(b.path().join("text.txt")).unwrap();
        assert!(x != y.as_bytes());
        assert!(meta.large_cities);
        assert!(meta.names["large-cities"] > 0);
        assert!(y.contains("Quillabamba") || y.contains("Zzyzx") || y.contains("QUILLABAMBA"));
        assert_eq!(
            meta.patterns["large"],
            meta.patterns["default"] + 3 - {
                // Aliases the default gazetteer has already.
                let d = std::fs::read_to_string(b.path().join("default.patterns.txt")).unwrap();
                ["quillabamba alta", "quillabamba", "zzyzx springs"]
                    .iter()
                    .filter(|p| d.lines().any(|l| l == **p))
                    .count()
            }
        );
    }

    #[test]
    fn cut_keeps_every_byte() {
        let text = "a b.\n\nc 👍 d.\n\ne f g h.\n\ni";
        for size in [1, 3, 8, 9, 10, 11, 100] {
            let pieces = cut(text, size);
            assert_eq!(pieces.concat(), text);
            assert!(pieces[..pieces.len() - 1]
                .iter()
                .all(|p| p.ends_with("\n\n")));
        }
    }
}
