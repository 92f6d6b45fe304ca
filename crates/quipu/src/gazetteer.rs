//! Gazetteers: the names Quipu knows, read from the text format or from JSON, and combined.
//!
//! The formats are described in `docs/gazetteer-format.md`. In short, the text format has one
//! entity per line:
//!
//! ```text
//! # id | TYPE | canonical name | aliases; separated; by semicolons | options ...
//! fujimori-alberto | PERSON | Alberto Fujimori | Fujimori; Fujimoro | qid=Q188943
//! sin-peru | INSTITUTION | Servicio de Inteligencia Nacional | =SIN | desc=Peru's intelligence service
//! +fujimori-alberto | | | El Chino
//! -some-id
//! ```
//!
//! A [`Gazetteer`] is one parsed source (a file, a string). [`merge`] combines several, in
//! order, into the list of [`Entity`] values a tagger is built from.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The built-in type for people.
pub const PERSON: &str = "PERSON";
/// The built-in type for places.
pub const PLACE: &str = "PLACE";
/// The built-in type for institutions.
pub const INSTITUTION: &str = "INSTITUTION";

/// One name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// The name as written in the gazetteer.
    pub text: String,
    /// Matches only with exactly this case (for acronyms that are also words: "SIN", "US").
    pub exact_case: bool,
}

impl Alias {
    /// An alias that matches as written, in ALL CAPS and in Title Case.
    pub fn new(text: impl Into<String>) -> Alias {
        Alias {
            text: text.into(),
            exact_case: false,
        }
    }

    /// An alias that matches only with exactly this case.
    pub fn exact(text: impl Into<String>) -> Alias {
        Alias {
            text: text.into(),
            exact_case: true,
        }
    }
}

// In JSON an alias is a string, or `{"text": "SIN", "case": "exact"}`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AliasRepr {
    Plain(String),
    Full {
        text: String,
        #[serde(default)]
        case: Case,
    },
}

impl Serialize for Alias {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.exact_case {
            AliasRepr::Full {
                text: self.text.clone(),
                case: Case::Exact,
            }
            .serialize(s)
        } else {
            s.serialize_str(&self.text)
        }
    }
}

impl<'de> Deserialize<'de> for Alias {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Alias, D::Error> {
        Ok(match AliasRepr::deserialize(d)? {
            AliasRepr::Plain(text) => Alias::new(text),
            AliasRepr::Full { text, case } => Alias {
                text,
                exact_case: case == Case::Exact,
            },
        })
    }
}

/// How the names of a record match letter case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Case {
    /// As written, in ALL CAPS and in Title Case; not all in lower case.
    #[default]
    Default,
    /// Only exactly as written.
    Exact,
}

/// What a record does to the entities defined before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Defines an entity, or replaces one of an earlier gazetteer with the same id and type.
    #[default]
    Define,
    /// Adds aliases and options to an entity defined earlier (text format: `+id`).
    Add,
    /// Removes an entity defined earlier (text format: `-id`).
    Remove,
}

/// One line of a gazetteer (or one object of a JSON gazetteer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The entity's stable id.
    pub id: String,
    /// What the record does.
    #[serde(default, skip_serializing_if = "is_default")]
    pub action: Action,
    /// The entity's type: `PERSON`, `PLACE`, `INSTITUTION` or a label of the user's.
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub entity_type: String,
    /// The canonical name (matched too).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// `Case::Exact` makes every name of the record match only as written.
    #[serde(default, skip_serializing_if = "is_default")]
    pub case: Case,
    /// Wins over entities of lower priority that share an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Wikidata id (`Q` and digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qid: Option<String>,
    /// Another external id, `scheme:id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xref: Option<String>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the record is: the line of the text format, the position in a JSON list.
    #[serde(skip)]
    pub line: usize,
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// A parsed gazetteer: the records of one source, in order.
///
/// ```
/// use quipu::Gazetteer;
/// let g = Gazetteer::parse_text("mine.gaz", "\
/// kenna-lisa | PERSON | Lisa Kenna | Kenna | desc=US ambassador to Peru
/// ")?;
/// assert_eq!(g.records().len(), 1);
/// assert_eq!(g.records()[0].aliases[0].text, "Kenna");
/// # Ok::<(), quipu::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gazetteer {
    source: String,
    records: Vec<Record>,
}

const OPTIONS: &str = "case, priority, qid, xref, desc";

impl Gazetteer {
    /// A gazetteer from records built by a program. They are checked as parsed ones are.
    pub fn from_records(source: &str, records: Vec<Record>) -> Result<Gazetteer, Error> {
        let mut g = Gazetteer {
            source: source.to_string(),
            records,
        };
        for (i, r) in g.records.iter_mut().enumerate() {
            if r.line == 0 {
                r.line = i + 1;
            }
        }
        g.validate()?;
        Ok(g)
    }

    /// Parses the text format. `source` names the gazetteer in errors (a file path, say).
    pub fn parse_text(source: &str, text: &str) -> Result<Gazetteer, Error> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut records = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            records.push(parse_line(source, n, trimmed)?);
        }
        let g = Gazetteer {
            source: source.to_string(),
            records,
        };
        g.validate()?;
        Ok(g)
    }

    /// Parses the JSON format: `{"entities": [...]}` or a bare array of entity objects.
    ///
    /// ```
    /// let g = quipu::Gazetteer::parse_json("mine.json", r#"{"entities": [
    ///   {"id": "sin", "type": "INSTITUTION", "name": "Servicio de Inteligencia Nacional",
    ///    "aliases": [{"text": "SIN", "case": "exact"}]}]}"#)?;
    /// assert!(g.records()[0].aliases[0].exact_case);
    /// # Ok::<(), quipu::Error>(())
    /// ```
    pub fn parse_json(source: &str, json: &str) -> Result<Gazetteer, Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Doc {
            List(Vec<Record>),
            Object { entities: Vec<Record> },
        }
        let json = json.strip_prefix('\u{FEFF}').unwrap_or(json);
        let doc: Doc = serde_json::from_str(json).map_err(|e| {
            // Untagged enums hide the inner error; retry to report the real problem.
            let detail = serde_json::from_str::<ObjectDoc>(json)
                .err()
                .or_else(|| serde_json::from_str::<Vec<Record>>(json).err())
                .unwrap_or(e);
            Error::new(
                source,
                Some(detail.line()),
                format!("invalid JSON gazetteer: {detail}"),
            )
        })?;
        let mut records = match doc {
            Doc::List(r) | Doc::Object { entities: r } => r,
        };
        for (i, r) in records.iter_mut().enumerate() {
            r.line = i + 1;
        }
        let g = Gazetteer {
            source: source.to_string(),
            records,
        };
        g.validate().map_err(|e| {
            Error::new(
                source,
                e.line(),
                format!("entity #{}: {}", e.line().unwrap_or(0), e.message()),
            )
        })?;
        Ok(g)
    }

    /// The gazetteer's name in errors.
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// The records, in order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The records as JSON (`{"entities": [...]}`), the form [`Gazetteer::parse_json`] reads.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            entities: &'a [Record],
        }
        serde_json::to_string_pretty(&Out {
            entities: &self.records,
        })
        .expect("records serialise")
    }

    /// The records in the text format, the form [`Gazetteer::parse_text`] reads.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for r in &self.records {
            let prefix = match r.action {
                Action::Define => "",
                Action::Add => "+",
                Action::Remove => "-",
            };
            out.push_str(prefix);
            out.push_str(&escape(&r.id, false));
            if r.action != Action::Remove {
                let aliases: Vec<String> = r
                    .aliases
                    .iter()
                    .map(|a| {
                        let t = escape(&a.text, true);
                        if a.exact_case {
                            format!("={t}")
                        } else {
                            t
                        }
                    })
                    .collect();
                let mut fields = vec![
                    r.entity_type.clone(),
                    escape(&r.name, false),
                    aliases.join("; "),
                ];
                if r.case == Case::Exact {
                    fields.push("case=exact".into());
                }
                if let Some(p) = r.priority {
                    fields.push(format!("priority={p}"));
                }
                if let Some(q) = &r.qid {
                    fields.push(format!("qid={q}"));
                }
                if let Some(x) = &r.xref {
                    fields.push(format!("xref={}", escape(x, false)));
                }
                if let Some(d) = &r.description {
                    fields.push(format!("desc={}", escape(d, false)));
                }
                // An empty alias column at the end says nothing.
                while fields.len() > 2 && fields.last().is_some_and(String::is_empty) {
                    fields.pop();
                }
                for f in fields {
                    out.push_str(" | ");
                    out.push_str(&f);
                }
            }
            out.push('\n');
        }
        out
    }

    fn validate(&self) -> Result<(), Error> {
        let err = |r: &Record, msg: String| Error::new(&self.source, Some(r.line), msg);
        // Fx rather than SipHash: a gazetteer is its user's own file, not an adversary's.
        let mut seen: rustc_hash::FxHashMap<&str, usize> = Default::default();
        seen.reserve(self.records.len());
        for r in &self.records {
            check_id(&r.id).map_err(|m| err(r, m))?;
            if r.action == Action::Define {
                if r.entity_type.is_empty() {
                    return Err(err(r, format!("entity '{}' has no type: write PERSON, PLACE, INSTITUTION or a label of your own", r.id)));
                }
                if r.name.trim().is_empty() {
                    return Err(err(r, format!("entity '{}' has no canonical name", r.id)));
                }
                if let Some(first) = seen.insert(&r.id, r.line) {
                    return Err(err(
                        r,
                        format!(
                            "duplicate id '{}': first defined at {}; use '+{}' to add aliases",
                            r.id,
                            location(first),
                            r.id
                        ),
                    ));
                }
            }
            if !r.entity_type.is_empty() {
                check_type(&r.entity_type).map_err(|m| err(r, m))?;
            }
            if !r.name.is_empty() {
                check_name(&r.name).map_err(|m| err(r, format!("canonical name: {m}")))?;
            }
            for a in &r.aliases {
                check_name(&a.text).map_err(|m| err(r, format!("alias: {m}")))?;
            }
            if let Some(q) = &r.qid {
                if !is_qid(q) {
                    return Err(err(
                        r,
                        format!("qid '{q}' is not a Wikidata id (Q followed by digits)"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn location(line: usize) -> String {
    format!("line {line}")
}

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("missing id".into());
    }
    if id.chars().any(|c| c.is_whitespace() || c == '|') {
        return Err(format!("id '{id}' contains a space or '|'"));
    }
    if id.starts_with(['+', '-', '#', '=']) {
        return Err(format!("id '{id}' starts with '{}'", &id[..1]));
    }
    Ok(())
}

fn check_type(t: &str) -> Result<(), String> {
    let ok = t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "type '{t}' must be upper-case letters, digits, '_' or '-' (PERSON, PLACE, INSTITUTION, EVENT ...)"
        ))
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("empty alias".into());
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Err(format!("'{name}' has no letter or digit"));
    }
    Ok(())
}

fn is_qid(q: &str) -> bool {
    q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit())
}

fn escape(s: &str, alias: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if matches!(c, '|' | '\\') || (alias && (c == ';' || (i == 0 && c == '='))) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Splits `s` at unescaped `sep`, keeping escapes in the pieces.
fn split_escaped(s: &str, sep: u8) -> Vec<&str> {
    let bytes = s.as_bytes();
    // Room for a line's columns without growing: one allocation.
    let mut parts = Vec::with_capacity(8);
    let mut start = 0;
    let mut i = 0;
    // Jumps from one separator or backslash to the next (memchr), not byte by byte. Both
    // are ASCII, which never occurs inside a multi-byte UTF-8 sequence, so the pieces are
    // cut on character boundaries.
    while let Some(off) = memchr::memchr2(sep, b'\\', &bytes[i..]) {
        let j = i + off;
        if bytes[j] == b'\\' {
            // The escaped byte is skipped, whatever it is.
            i = (j + 2).min(bytes.len());
            continue;
        }
        parts.push(&s[start..j]);
        start = j + 1;
        i = j + 1;
    }
    parts.push(&s[start..]);
    parts
}

/// Unescapes a field and trims it: an escaped space at an edge means nothing, and trimming
/// after unescaping keeps `parse_text(to_text(g)) == g`.
fn field(s: &str) -> String {
    if !s.contains('\\') {
        return s.trim().to_string();
    }
    let mut out = unescape(s);
    let end = out.trim_end().len();
    out.truncate(end);
    let start = out.len() - out.trim_start().len();
    out.drain(..start);
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_line(source: &str, n: usize, line: &str) -> Result<Record, Error> {
    let err = |msg: String| Error::new(source, Some(n), msg);
    let fields: Vec<&str> = split_escaped(line, b'|')
        .into_iter()
        .map(str::trim)
        .collect();
    let (action, id) = match fields[0].as_bytes().first() {
        Some(b'+') => (Action::Add, fields[0][1..].trim()),
        Some(b'-') => (Action::Remove, fields[0][1..].trim()),
        _ => (Action::Define, fields[0]),
    };
    let mut r = Record {
        id: field(id),
        action,
        line: n,
        ..Record::default()
    };
    if action == Action::Remove {
        if fields.len() > 1 && fields[1..].iter().any(|f| !f.is_empty()) {
            return Err(err(format!(
                "a removal line ('-{}') takes only the id",
                r.id
            )));
        }
        return Ok(r);
    }
    if action == Action::Define && fields.len() < 3 {
        return Err(err(format!(
            "missing column: expected 'id | TYPE | canonical name' and optional '| aliases | options', found {} field{}",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        )));
    }
    r.entity_type = fields.get(1).map(|t| t.to_string()).unwrap_or_default();
    r.name = fields.get(2).map(|t| field(t)).unwrap_or_default();
    if let Some(aliases) = fields.get(3) {
        let parts = split_escaped(aliases, b';');
        let last = parts.len() - 1;
        for (i, part) in parts.into_iter().enumerate() {
            let part = part.trim();
            if part.is_empty() {
                // A trailing ';' is harmless; an empty alias between two is a mistake.
                if aliases.trim().is_empty() || i == last {
                    continue;
                }
                return Err(err(format!(
                    "empty alias (alias {} of '{}'): remove the extra ';'",
                    i + 1,
                    r.id
                )));
            }
            r.aliases.push(match part.strip_prefix('=') {
                Some(exact) => Alias::exact(field(exact)),
                None => Alias::new(field(part)),
            });
        }
    }
    for opt in fields.iter().skip(4) {
        if opt.is_empty() {
            continue;
        }
        let (key, value) = match opt.split_once('=') {
            Some((k, v)) => (k.trim(), field(v)),
            None => (opt.trim(), String::new()),
        };
        match key {
            "case" => {
                r.case = match value.as_str() {
                    "exact" => Case::Exact,
                    "default" => Case::Default,
                    _ => {
                        return Err(err(format!(
                            "option case={value}: expected case=exact or case=default"
                        )))
                    }
                }
            }
            "priority" => {
                r.priority = Some(value.parse().map_err(|_| {
                    err(format!(
                        "option priority={value}: expected an integer such as priority=5"
                    ))
                })?)
            }
            "qid" => r.qid = Some(value),
            "xref" => r.xref = Some(value),
            "desc" => r.description = Some(value),
            _ => {
                return Err(err(format!(
                    "unknown option '{key}' (known options: {OPTIONS}; aliases go in the fourth column, separated by ';')"
                )))
            }
        }
    }
    Ok(r)
}

/// An entity: what a mention links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id.
    pub id: String,
    /// `PERSON`, `PLACE`, `INSTITUTION` or a label of the user's.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Canonical name.
    pub name: String,
    /// Every name that matches, the canonical one first.
    pub aliases: Vec<Alias>,
    /// Wins over entities of lower priority sharing an alias.
    pub priority: i32,
    /// Wikidata id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qid: Option<String>,
    /// Another external id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xref: Option<String>,
    /// Short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The gazetteer that defined it.
    pub origin: String,
    /// Tie-break rank among entities sharing an alias: (gazetteer position, line).
    #[serde(skip)]
    pub(crate) rank: (usize, usize),
}

/// Combines gazetteers, in order, into entities.
///
/// A later gazetteer replaces an entity of an earlier one by defining the same id with the
/// same type, adds to it with `+id`, and removes it with `-id`. Entities come out in the
/// order they were defined; a replacement comes where it is defined.
///
/// When two entities share an alias, the one with the higher priority wins; at equal
/// priority, the one from the gazetteer given later (so a user's gazetteer beats the default
/// one), and within one gazetteer the one defined first.
///
/// ```
/// use quipu::{gazetteer::merge, Gazetteer};
/// let base = Gazetteer::parse_text("base.gaz", "lima | PLACE | Lima |")?;
/// let mine = Gazetteer::parse_text("mine.gaz", "+lima | | | Ciudad de los Reyes")?;
/// let entities = merge(&[base, mine])?;
/// assert_eq!(entities[0].aliases.len(), 2);
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn merge(gazetteers: &[Gazetteer]) -> Result<Vec<Entity>, Error> {
    merge_owned(gazetteers.to_vec())
}

/// [`merge`], taking the gazetteers: their records move into the entities instead of being
/// copied, which matters with a few hundred thousand aliases.
pub(crate) fn merge_owned(gazetteers: Vec<Gazetteer>) -> Result<Vec<Entity>, Error> {
    // Sized up front: with 170,000 entities, growing by doubling moved them all twice.
    let records: usize = gazetteers.iter().map(|g| g.records.len()).sum();
    let mut slots: Vec<Option<Entity>> = Vec::with_capacity(records);
    let mut index: rustc_hash::FxHashMap<String, usize> = Default::default();
    index.reserve(records);
    for (gi, g) in gazetteers.into_iter().enumerate() {
        let err = |r: &Record, msg: String| Error::new(&g.source, Some(r.line), msg);
        for mut r in g.records {
            match r.action {
                Action::Define => {
                    let aliases = record_aliases(&mut r, true);
                    let entity = Entity {
                        entity_type: r.entity_type,
                        name: r.name,
                        aliases,
                        priority: r.priority.unwrap_or(0),
                        qid: r.qid,
                        xref: r.xref,
                        description: r.description,
                        origin: g.source.clone(),
                        rank: (gi, r.line),
                        id: r.id,
                    };
                    let e = &entity;
                    if let Some(&slot) = index.get(&e.id) {
                        let old = slots[slot].as_ref().expect("indexed slots are filled");
                        if old.entity_type != e.entity_type {
                            return Err(Error::new(&g.source, Some(e.rank.1), format!(
                                "id '{}' is a {} in '{}'; here it is a {}: use another id, or remove it first with '-{}'",
                                e.id, old.entity_type, old.origin, e.entity_type, e.id
                            )));
                        }
                        slots[slot] = None;
                    }
                    index.insert(e.id.clone(), slots.len());
                    slots.push(Some(entity));
                }
                Action::Add => {
                    let Some(&slot) = index.get(&r.id) else {
                        return Err(err(
                            &r,
                            format!("'+{}' adds to an entity that no earlier line defines", r.id),
                        ));
                    };
                    let e = slots[slot].as_mut().expect("indexed slots are filled");
                    if !r.entity_type.is_empty() && r.entity_type != e.entity_type {
                        return Err(err(
                            &r,
                            format!(
                                "'+{}' says {} but the entity is a {}",
                                r.id, r.entity_type, e.entity_type
                            ),
                        ));
                    }
                    for a in record_aliases(&mut r, false) {
                        if !e.aliases.contains(&a) {
                            e.aliases.push(a);
                        }
                    }
                    if let Some(p) = r.priority {
                        e.priority = p;
                    }
                    if r.qid.is_some() {
                        e.qid = r.qid;
                    }
                    if r.xref.is_some() {
                        e.xref = r.xref;
                    }
                    if r.description.is_some() {
                        e.description = r.description;
                    }
                }
                Action::Remove => {
                    // Removing what is not there is not an error: a user's gazetteer may
                    // remove default entries and still be used without the default one.
                    if let Some(slot) = index.remove(&r.id) {
                        slots[slot] = None;
                    }
                }
            }
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

/// The record's aliases, its name first (when `with_name` or given), without repeats; the
/// aliases are taken out of the record, which the merge consumes.
fn record_aliases(r: &mut Record, with_name: bool) -> Vec<Alias> {
    let exact = r.case == Case::Exact;
    let mut out: Vec<Alias> = Vec::with_capacity(r.aliases.len() + 1);
    let name = (with_name || !r.name.is_empty()).then(|| Alias::new(r.name.clone()));
    for a in name.into_iter().chain(std::mem::take(&mut r.aliases)) {
        let a = Alias {
            exact_case: a.exact_case || exact,
            ..a
        };
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// A warning from [`lint`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintWarning {
    /// `shared-alias` or `common-word`.
    pub kind: &'static str,
    /// The alias concerned.
    pub alias: String,
    /// The ids of the entities concerned.
    pub ids: Vec<String>,
    /// The warning in words.
    pub message: String,
}

/// Lists aliases shared by several entities, and aliases that are common English words
/// (matched without exact case, they fire on ordinary text).
///
/// `common_words` is a list of lower-case words, such as [`crate::common_words`].
///
/// ```
/// use quipu::{gazetteer::{lint, merge}, Gazetteer};
/// let g = Gazetteer::parse_text("g.gaz", "\
/// a | PLACE | Union |
/// b | PERSON | Ana Union | Union
/// ")?;
/// let warnings = lint(&merge(&[g])?, &["union"]);
/// let kinds: Vec<&str> = warnings.iter().map(|w| w.kind).collect();
/// assert_eq!(kinds, ["common-word", "common-word", "shared-alias"]);
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn lint(entities: &[Entity], common_words: &[&str]) -> Vec<LintWarning> {
    use crate::normalize::fold_str;
    let words: std::collections::HashSet<String> =
        common_words.iter().map(|w| fold_str(w)).collect();
    let mut by_alias: std::collections::BTreeMap<String, Vec<&Entity>> = Default::default();
    let mut out = Vec::new();
    for e in entities {
        for a in &e.aliases {
            let folded = fold_str(&a.text);
            let list = by_alias.entry(folded.clone()).or_default();
            if !list.iter().any(|x| x.id == e.id) {
                list.push(e);
            }
            if !a.exact_case && words.contains(&folded) {
                out.push(LintWarning {
                    kind: "common-word",
                    alias: a.text.clone(),
                    ids: vec![e.id.clone()],
                    message: format!(
                        "alias '{}' of '{}' is a common English word: make it exact-case ('={}') or remove it",
                        a.text, e.id, a.text
                    ),
                });
            }
        }
    }
    for (alias, list) in by_alias {
        if list.len() > 1 {
            let ids: Vec<String> = list.iter().map(|e| e.id.clone()).collect();
            out.push(LintWarning {
                kind: "shared-alias",
                alias: alias.clone(),
                message: format!(
                    "alias '{}' is shared by {} entities ({}): the highest priority wins, then the latest gazetteer",
                    alias,
                    ids.len(),
                    ids.join(", ")
                ),
                ids,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte split `split_escaped` replaced: the oracle for its jumps.
    fn split_escaped_slowly(s: &str, sep: u8) -> Vec<&str> {
        let mut parts = Vec::new();
        let (mut start, mut escaped) = (0, false);
        for (i, &b) in s.as_bytes().iter().enumerate() {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == sep {
                parts.push(&s[start..i]);
                start = i + 1;
            }
        }
        parts.push(&s[start..]);
        parts
    }

    #[test]
    fn split_escaped_agrees_with_a_byte_by_byte_split() {
        // Every string of up to six pieces from an alphabet of separators, backslashes
        // (doubled, trailing, before a multi-byte letter) and letters.
        let alphabet = ["|", ";", "\\", "a", "é", " "];
        let strings = crate::test_support::strings_of(&alphabet, 6);
        assert!(strings.len() > 40_000);
        for s in &strings {
            for sep in [b'|', b';'] {
                assert_eq!(split_escaped(s, sep), split_escaped_slowly(s, sep), "{s:?}");
            }
        }
    }

    fn parse_err(text: &str) -> String {
        Gazetteer::parse_text("t.gaz", text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_fields_and_options() {
        let g = Gazetteer::parse_text(
            "t.gaz",
            "# comment\n\n sin | INSTITUTION | Servicio de Inteligencia Nacional | National Intelligence Service; =SIN; | priority=-2 | qid=Q1 | xref=x:1 | desc=a \\| b\n",
        )
        .unwrap();
        let r = &g.records()[0];
        assert_eq!(r.line, 3);
        assert_eq!(
            r.aliases,
            vec![
                Alias::new("National Intelligence Service"),
                Alias::exact("SIN")
            ]
        );
        assert_eq!(r.priority, Some(-2));
        assert_eq!(r.qid.as_deref(), Some("Q1"));
        assert_eq!(r.description.as_deref(), Some("a | b"));
    }

    #[test]
    fn errors_name_the_line_and_problem() {
        let table = [
            ("x | PERSON", "t.gaz:1: missing column"),
            ("x | PERSON | X | a;;b", "t.gaz:1: empty alias"),
            (
                "x | PERSON | X | a | colour=red",
                "t.gaz:1: unknown option 'colour'",
            ),
            (
                "x | PERSON | X | a | priority=high",
                "t.gaz:1: option priority=high",
            ),
            ("x | PERSON | X | a | qid=123", "t.gaz:1: qid '123'"),
            ("x | person | X", "t.gaz:1: type 'person'"),
            (
                "x | PERSON | X\n\nx | PERSON | Y",
                "t.gaz:3: duplicate id 'x': first defined at line 1",
            ),
            ("x | PERSON | X | ’", "t.gaz:1: alias: '’' has no letter"),
            ("| PERSON | X", "t.gaz:1: missing id"),
            ("-x | PERSON", "t.gaz:1: a removal line"),
        ];
        for (text, want) in table {
            let got = parse_err(text);
            assert!(
                got.starts_with(want),
                "{text:?}: got {got:?}, want {want:?}"
            );
        }
    }

    #[test]
    fn merge_adds_overrides_removes() {
        let a = Gazetteer::parse_text("a.gaz", "lima | PLACE | Lima\nperu | PLACE | Peru").unwrap();
        let b = Gazetteer::parse_text(
            "b.gaz",
            "+lima | | | Ciudad de los Reyes | qid=Q2868\nperu | PLACE | Republic of Peru | Peru\n-nothing",
        )
        .unwrap();
        let e = merge(&[a.clone(), b]).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].aliases.len(), 2);
        assert_eq!(e[0].qid.as_deref(), Some("Q2868"));
        assert_eq!(e[1].name, "Republic of Peru");
        assert_eq!(e[1].origin, "b.gaz");

        let c = Gazetteer::parse_text("c.gaz", "lima | PERSON | Lima").unwrap();
        let err = merge(&[a.clone(), c]).unwrap_err().to_string();
        assert!(
            err.starts_with("c.gaz:1: id 'lima' is a PLACE in 'a.gaz'"),
            "{err}"
        );

        let d = Gazetteer::parse_text("d.gaz", "+callao | | | Callao").unwrap();
        assert!(merge(&[a, d])
            .unwrap_err()
            .to_string()
            .contains("no earlier line defines"));
    }

    #[test]
    fn text_and_json_round_trip() {
        let text = "sin | INSTITUTION | Servicio de Inteligencia Nacional | National Intelligence Service; =SIN | case=exact | priority=3 | qid=Q5 | xref=a:b | desc=x; y\n+sin | | | S.I.N.\n-old\n";
        let g = Gazetteer::parse_text("t.gaz", text).unwrap();
        let again = Gazetteer::parse_text("t.gaz", &g.to_text()).unwrap();
        assert_eq!(g, again);
        let json = Gazetteer::parse_json("t.gaz", &g.to_json()).unwrap();
        assert_eq!(g.records(), json.records());
        let spaced =
            Gazetteer::parse_text("t.gaz", "x | PLACE | \\ Lima\\  | \\ Paniagua | desc=\\ a")
                .unwrap();
        assert_eq!(spaced.records()[0].name, "Lima");
        assert_eq!(spaced.records()[0].aliases[0].text, "Paniagua");
        assert_eq!(
            Gazetteer::parse_text("t.gaz", &spaced.to_text()).unwrap(),
            spaced
        );
        let plain = Gazetteer::parse_text("t.gaz", "lima | PLACE | Lima |").unwrap();
        assert_eq!(plain.to_text(), "lima | PLACE | Lima\n");
    }

    #[test]
    fn json_errors_name_the_entity() {
        let err = Gazetteer::parse_json(
            "g.json",
            r#"[{"id": "a", "type": "PLACE", "name": "A"}, {"id": "b", "name": "B"}]"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("g.json:2: entity #2: entity 'b' has no type"),
            "{err}"
        );
        let err = Gazetteer::parse_json(
            "g.json",
            "{\"entities\": [\n {\"id\": \"a\", \"colour\": 1}]}",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `colour`"), "{err}");
    }
}

#[derive(Deserialize)]
#[allow(dead_code)] // only parsed to report errors
struct ObjectDoc {
    entities: Vec<Record>,
}
