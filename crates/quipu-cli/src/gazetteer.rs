//! Loading gazetteers and building the tagger; `quipu gazetteer check|stats|snapshot`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{anyhow, bail, Context};
use quipu::gazetteer::{lint, merge, Action};
use quipu::{Gazetteer, Tagger};
use serde::Serialize;

use crate::cli::{CheckArgs, SnapshotArgs, StatsArgs, TaggerArgs};
use crate::report::Reporter;
use crate::{Fatal, Status};

const FORMAT_HINT: &str = "the format is described in docs/gazetteer-format.md";

/// Reads a gazetteer file: `.json` as JSON, anything else as the text format.
pub fn load(path: &Path) -> Result<Gazetteer, Fatal> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| {
        format!("cannot read gazetteer {name}: check the path given to --gazetteer")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "gazetteer {name}: invalid UTF-8 at byte {}: save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if is_json {
        Gazetteer::parse_json(&name, text)
    } else {
        Gazetteer::parse_text(&name, text)
    };
    parsed.map_err(|e| anyhow!("{e}\n  ({FORMAT_HINT})"))
}

/// A merge error in words that say what to do: the user's files can be fixed; the default
/// gazetteer cannot (it is compiled in), but it can be left out.
fn build_error(e: quipu::Error) -> Fatal {
    if e.source_name().starts_with("seeds/") {
        anyhow!("{e}\n  (an error in the default gazetteer compiled into quipu: please report it; --no-default-gazetteer works around it)")
    } else {
        anyhow!("{e}\n  ({FORMAT_HINT})")
    }
}

/// Checks `--types`: letters, digits, `_` and `-`, upper-cased.
pub fn parse_types(types: &[String]) -> Result<Vec<String>, Fatal> {
    let mut out = Vec::new();
    for t in types {
        let t = t.trim();
        if t.is_empty() {
            bail!("--types has an empty type: give types separated by commas, e.g. --types PERSON,PLACE");
        }
        if !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            bail!("--types: '{t}' is not a type name (letters, digits, '_' and '-'), e.g. --types PERSON,PLACE");
        }
        out.push(t.to_ascii_uppercase());
    }
    Ok(out)
}

/// Builds the tagger the options describe; warns about requested types no gazetteer has.
pub fn build_tagger(args: &TaggerArgs, reporter: &Reporter) -> Result<Tagger, Fatal> {
    let g = &args.gazetteer;
    let mut builder = Tagger::builder()
        .default_gazetteer(!g.no_default_gazetteer)
        .rules(!args.no_rules)
        .linking(!args.no_linking);
    let types = match &g.types {
        Some(t) => Some(parse_types(t)?),
        None => None,
    };
    if let Some(types) = &types {
        builder = builder.types(types);
    }
    let tagger = match &args.snapshot {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| {
                format!(
                    "cannot read snapshot {}: check the path given to --snapshot",
                    path.display()
                )
            })?;
            builder.build_from_snapshot(&bytes).map_err(|e| {
                anyhow!(
                    "{}: {e}\n  (make it with `quipu gazetteer snapshot`)",
                    path.display()
                )
            })?
        }
        None => {
            for path in &g.gazetteers {
                builder = builder.gazetteer(load(path)?);
            }
            builder.build().map_err(build_error)?
        }
    };
    if let Some(types) = &types {
        let known = tagger.stats().by_type;
        for t in types {
            let from_rules = !args.no_rules && quipu::eval::MAIN_TYPES.contains(&t.as_str());
            if !known.contains_key(t) && !from_rules {
                reporter.warn(&format!(
                    "no gazetteer has entities of type {t}: check the spelling of --types"
                ));
            }
        }
    }
    if g.no_default_gazetteer && g.gazetteers.is_empty() && args.snapshot.is_none() && args.no_rules
    {
        reporter.warn("no gazetteer and no rules: nothing will be found (add --gazetteer PATH)");
    }
    Ok(tagger)
}

fn parse_all(files: &[std::path::PathBuf]) -> Result<Vec<Gazetteer>, Fatal> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load(f) {
            Ok(g) => parsed.push(g),
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    if !errors.is_empty() {
        bail!("{}", errors.join("\nquipu: error: "));
    }
    Ok(parsed)
}

/// `quipu gazetteer check`
pub fn check(args: CheckArgs) -> Result<Status, Fatal> {
    let mine = parse_all(&args.files)?;
    let mut all = if args.no_default_gazetteer {
        Vec::new()
    } else {
        quipu::default_gazetteers().map_err(|e| anyhow!("the default gazetteer: {e}"))?
    };
    let defaults = all.len();
    all.extend(mine.iter().cloned());
    let entities = merge(&all).map_err(build_error)?;
    let origins: BTreeSet<&str> = all[defaults..].iter().map(|g| g.source_name()).collect();
    let touches_mine: BTreeSet<&str> = entities
        .iter()
        .filter(|e| origins.contains(e.origin.as_str()))
        .map(|e| e.id.as_str())
        .collect();
    let words = quipu::common_words();
    let warnings: Vec<_> = lint(&entities, &words)
        .into_iter()
        .filter(|w| w.ids.iter().any(|id| touches_mine.contains(id.as_str())))
        .collect();
    let mut out = String::new();
    for w in &warnings {
        if args.json {
            out.push_str(&serde_json::to_string(w).expect("warnings serialise"));
        } else {
            out.push_str(&format!("warning: {}", w.message));
        }
        out.push('\n');
    }
    if !args.json {
        for g in &mine {
            let mut counts = [0usize; 3];
            for r in g.records() {
                counts[match r.action {
                    Action::Define => 0,
                    Action::Add => 1,
                    Action::Remove => 2,
                }] += 1;
            }
            out.push_str(&format!(
                "ok: {}: {} defined, {} added to, {} removed\n",
                g.source_name(),
                counts[0],
                counts[1],
                counts[2]
            ));
        }
        out.push_str(&format!(
            "{} entities after merging{}; {} warning{}\n",
            entities.len(),
            if args.no_default_gazetteer {
                ""
            } else {
                " with the default gazetteer"
            },
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
    }
    crate::output::print_stdout(&out)?;
    Ok(Status::Ok)
}

#[derive(Serialize)]
struct StatsOut<'a> {
    gazetteers: Vec<String>,
    entities: usize,
    by_type: &'a BTreeMap<String, usize>,
    aliases: usize,
    patterns: usize,
}

/// `quipu gazetteer stats`
pub fn stats(args: StatsArgs) -> Result<Status, Fatal> {
    let mine = parse_all(&args.files)?;
    let mut builder = Tagger::builder().default_gazetteer(!args.no_default_gazetteer);
    let mut names = Vec::new();
    if !args.no_default_gazetteer {
        names.push("(default)".to_string());
    }
    for g in mine {
        names.push(g.source_name().to_string());
        builder = builder.gazetteer(g);
    }
    let tagger = builder.build().map_err(build_error)?;
    let s = tagger.stats();
    let out = if args.json {
        let o = StatsOut {
            gazetteers: names,
            entities: s.entities,
            by_type: &s.by_type,
            aliases: s.aliases,
            patterns: s.patterns,
        };
        serde_json::to_string_pretty(&o).expect("stats serialise") + "\n"
    } else {
        let mut out = format!("gazetteers: {}\n", names.join(", "));
        let width = s.by_type.keys().map(|t| t.len()).max().unwrap_or(0).max(8);
        for (t, n) in &s.by_type {
            out.push_str(&format!("{t:width$}  {n:>8}\n"));
        }
        out.push_str(&format!("{:width$}  {:>8}\n", "entities", s.entities));
        out.push_str(&format!("{:width$}  {:>8}\n", "aliases", s.aliases));
        out.push_str(&format!("{:width$}  {:>8}\n", "patterns", s.patterns));
        out
    };
    crate::output::print_stdout(&out)?;
    Ok(Status::Ok)
}

/// `quipu gazetteer snapshot`
pub fn snapshot(args: SnapshotArgs) -> Result<Status, Fatal> {
    let out = crate::output::resolve(&args.output);
    let g = &args.gazetteer;
    if let Some(input) = g
        .gazetteers
        .iter()
        .find(|input| crate::output::resolve(input) == out)
    {
        bail!(
            "-o {} is the gazetteer {}: the snapshot would replace it; write it elsewhere",
            args.output.display(),
            input.display()
        );
    }
    let mut builder = Tagger::builder().default_gazetteer(!g.no_default_gazetteer);
    for parsed in parse_all(&g.gazetteers)? {
        builder = builder.gazetteer(parsed);
    }
    if let Some(types) = &g.types {
        builder = builder.types(parse_types(types)?);
    }
    let tagger = builder.build().map_err(build_error)?;
    let bytes = tagger.snapshot();
    crate::output::write_atomic(&args.output, &bytes)
        .with_context(|| format!("cannot write snapshot {}", args.output.display()))?;
    let s = tagger.stats();
    eprintln!(
        "quipu: wrote {} ({} bytes): {} entities, {} patterns",
        args.output.display(),
        bytes.len(),
        s.entities,
        s.patterns
    );
    Ok(Status::Ok)
}
