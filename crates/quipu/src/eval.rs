//! Evaluation against gold annotations: parsing, scoring, reports.
//!
//! Gold files follow the corpus format (`../shared/corpus/GUIDELINES.md`):
//! `{"doc": "...", "ignore": [[s, e], ...], "entities": [{"start", "end", "type", "text"}]}`,
//! with offsets in Unicode code points and an exclusive end. Predictions use the same shape
//! without `"ignore"`, or the command line's JSON Lines (`{"path": ..., "entities": [Span...]}`).
//!
//! Scoring is over several documents, in two modes:
//!
//! * **strict**: a prediction is right when start, end and type equal a gold entity's;
//! * **overlap**: when its type equals a gold entity's and the spans overlap; each gold entity
//!   and each prediction is matched at most once.
//!
//! Predictions that overlap an ignore range are not counted (neither true nor false
//! positives); gold entities that overlap one are not expected either.
//!
//! The library does no I/O: everything takes strings.
//!
//! ```
//! use quipu::eval::{parse_gold, Annotation, Evaluation};
//!
//! let text = "Fujimori flew to Lima.";
//! let gold = parse_gold("g.json", r#"{"doc": "a.txt", "ignore": [],
//!   "entities": [{"start": 0, "end": 8, "type": "PERSON", "text": "Fujimori"},
//!                {"start": 17, "end": 21, "type": "PLACE", "text": "Lima"}]}"#)?;
//! let predicted = [Annotation::new(0, 8, "PERSON")];
//! let mut eval = Evaluation::new();
//! eval.add(text, &gold, &predicted)?;
//! let report = eval.report();
//! assert_eq!(report.overall.strict.tp, 1);
//! assert_eq!(report.overall.strict.fn_, 1);
//! assert_eq!(report.overall.strict.precision, 1.0);
//! assert_eq!(report.overall.strict.recall, 0.5);
//! assert_eq!(report.misses[0].text, "Lima");
//! assert_eq!(report.misses[0].context, "Fujimori flew to [Lima].");
//! # Ok::<(), quipu::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Error, Span};

/// The types shown first in tables, in this order; other types follow alphabetically.
pub const MAIN_TYPES: [&str; 3] = ["PERSON", "PLACE", "INSTITUTION"];

/// How many code points of context each side of a mistake, by default.
pub const DEFAULT_CONTEXT: usize = 40;

/// One annotated (or predicted) mention: code point offsets, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Annotation {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The entity type, e.g. `PERSON`.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The text of the mention, when given; checked against the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// The annotations of one document: gold (with ignore ranges) or predictions (none).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Annotated {
    /// The document's name (its file name in the corpus).
    pub doc: String,
    /// Ranges `[start, end)` in code points that are not scored.
    #[serde(default)]
    pub ignore: Vec<[usize; 2]>,
    /// The mentions, sorted by start.
    pub entities: Vec<Annotation>,
}

/// Precision, recall and F1 with the counts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Score {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// `tp / (tp + fp)`.
    pub precision: f64,
    /// `tp / (tp + fn)`.
    pub recall: f64,
    /// The harmonic mean of precision and recall.
    pub f1: f64,
}

/// The scores of one type (or of all types together), in both modes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The entity type, or `overall`.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Same start, end and type.
    pub strict: Score,
    /// Same type and overlapping spans, one to one.
    pub overlap: Score,
}

/// A miss or a false alarm, in context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mistake {
    /// The document's name.
    pub doc: String,
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The type of the missed gold entity, or of the false alarm.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// The text of the mention.
    pub text: String,
    /// The text around it, the mention in `[...]`, newlines shown as `⏎`.
    pub context: String,
    /// A mention of the same type on the other side that overlaps this one (a boundary
    /// error: the prediction for a miss, the gold entity for a false alarm), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlapping: Option<Annotation>,
}

/// A right span with the wrong type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// The document's name.
    pub doc: String,
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The text of the mention.
    pub text: String,
    /// The gold type.
    pub gold: String,
    /// The predicted type.
    pub predicted: String,
    /// The text around it, the mention in `[...]`, newlines shown as `⏎`.
    pub context: String,
}

/// The result of an evaluation: scores, then the mistakes in context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// How many documents were scored.
    pub documents: usize,
    /// One row per type: `PERSON`, `PLACE`, `INSTITUTION`, then other types alphabetically.
    pub types: Vec<Row>,
    /// All types together.
    pub overall: Row,
    /// Predictions not counted because they overlap an ignore range.
    pub ignored_predictions: usize,
    /// Gold entities not found (strict), without those listed in `confusions`.
    pub misses: Vec<Mistake>,
    /// Predictions not in the gold (strict), without those listed in `confusions`.
    pub false_alarms: Vec<Mistake>,
    /// Right span, wrong type (each counts as a miss and a false alarm in the scores).
    pub confusions: Vec<Confusion>,
}

/// Counts of one type: true positives, false positives, false negatives.
type Counts = [usize; 3];

/// Scores documents one at a time, then reports on all of them.
#[derive(Debug, Clone)]
pub struct Evaluation {
    context: usize,
    documents: usize,
    strict: BTreeMap<String, Counts>,
    overlap: BTreeMap<String, Counts>,
    ignored_predictions: usize,
    misses: Vec<Mistake>,
    false_alarms: Vec<Mistake>,
    confusions: Vec<Confusion>,
}

impl Annotation {
    /// A mention without text.
    pub fn new(start: usize, end: usize, entity_type: &str) -> Annotation {
        Annotation {
            start,
            end,
            entity_type: entity_type.to_string(),
            text: None,
        }
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

impl From<&Span> for Annotation {
    fn from(span: &Span) -> Annotation {
        Annotation {
            start: span.start,
            end: span.end,
            entity_type: span.entity_type.to_string(),
            text: Some(span.text.clone()),
        }
    }
}

impl Annotated {
    /// Predictions for a document from the tagger's spans.
    ///
    /// ```
    /// use quipu::{eval::Annotated, Gazetteer, Tagger};
    /// let g = Gazetteer::parse_text("g.gaz", "lima | PLACE | Lima")?;
    /// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
    /// let predicted = Annotated::from_spans("a.txt", &tagger.tag("Ñoño in Lima"));
    /// assert_eq!((predicted.entities[0].start, predicted.entities[0].end), (8, 12));
    /// # Ok::<(), quipu::Error>(())
    /// ```
    pub fn from_spans(doc: &str, spans: &[Span]) -> Annotated {
        Annotated {
            doc: doc.to_string(),
            ignore: Vec::new(),
            entities: spans.iter().map(Annotation::from).collect(),
        }
    }
}

impl Score {
    /// The score of these counts. When nothing was predicted precision is 1 if nothing was to
    /// be found and 0 otherwise; likewise recall when nothing was to be found; F1 is 0 when
    /// precision and recall are both 0.
    ///
    /// ```
    /// let s = quipu::eval::Score::from_counts(3, 1, 2);
    /// assert_eq!((s.precision, s.recall), (0.75, 0.6));
    /// assert!((s.f1 - 2.0 / 3.0).abs() < 1e-12);
    /// ```
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Score {
        let ratio = |num: usize, den: usize, other: usize| {
            if den > 0 {
                num as f64 / den as f64
            } else if other == 0 {
                1.0
            } else {
                0.0
            }
        };
        let precision = ratio(tp, tp + fp, fn_);
        let recall = ratio(tp, tp + fn_, fp);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Score {
            tp,
            fp,
            fn_,
            precision,
            recall,
            f1,
        }
    }

    fn from_array(c: &Counts) -> Score {
        Score::from_counts(c[0], c[1], c[2])
    }
}

/// A text with its code point boundaries, to slice by code points.
struct Indexed<'t> {
    text: &'t str,
    /// Byte offset of each code point, then the text's length.
    bounds: Vec<usize>,
}

impl<'t> Indexed<'t> {
    fn new(text: &'t str) -> Indexed<'t> {
        let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bounds.push(text.len());
        Indexed { text, bounds }
    }

    fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    fn slice(&self, start: usize, end: usize) -> &'t str {
        &self.text[self.bounds[start]..self.bounds[end]]
    }

    fn context(&self, start: usize, end: usize, width: usize) -> String {
        let from = start.saturating_sub(width);
        let to = (end + width).min(self.len());
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        let show = |out: &mut String, s: &str| {
            for c in s.chars() {
                match c {
                    '\n' => out.push('⏎'),
                    '\r' => {}
                    '\t' => out.push(' '),
                    c => out.push(c),
                }
            }
        };
        show(&mut out, self.slice(from, start));
        out.push('[');
        show(&mut out, self.slice(start, end));
        out.push(']');
        show(&mut out, self.slice(end, to));
        if to < self.len() {
            out.push('…');
        }
        out
    }
}

fn check_entities(
    doc: &str,
    what: &str,
    text: &Indexed,
    entities: &[Annotation],
) -> Result<(), Error> {
    for (i, e) in entities.iter().enumerate() {
        let at = format!(
            "{what} {} at {}..{} ({})",
            i + 1,
            e.start,
            e.end,
            e.entity_type
        );
        if e.start >= e.end {
            return Err(Error::new(
                doc,
                None,
                format!("{at}: empty or reversed span"),
            ));
        }
        if e.end > text.len() {
            return Err(Error::new(
                doc,
                None,
                format!(
                    "{at}: past the end of the text ({} code points)",
                    text.len()
                ),
            ));
        }
        if e.entity_type.is_empty() {
            return Err(Error::new(doc, None, format!("{at}: empty type")));
        }
        if let Some(given) = &e.text {
            let actual = text.slice(e.start, e.end);
            if given != actual {
                return Err(Error::new(
                    doc,
                    None,
                    format!("{at}: text {given:?} but the document has {actual:?} there"),
                ));
            }
        }
    }
    Ok(())
}

fn check_indexed(text: &Indexed, annotated: &Annotated, what: &str) -> Result<(), Error> {
    for (i, [s, e]) in annotated.ignore.iter().enumerate() {
        if s > e || *e > text.len() {
            return Err(Error::new(
                &annotated.doc,
                None,
                format!(
                    "ignore range {} [{s}, {e}] is reversed or past the end of the text ({} code points)",
                    i + 1,
                    text.len()
                ),
            ));
        }
    }
    check_entities(&annotated.doc, what, text, &annotated.entities)
}

/// Checks annotations against their document's text: offsets inside the text, spans not
/// empty, ignore ranges well formed, and each `text` given equal to the text at its offsets.
///
/// ```
/// use quipu::eval::{check_text, parse_gold};
/// let gold = parse_gold("a.json", r#"{"doc": "a.txt", "ignore": [],
///   "entities": [{"start": 2, "end": 6, "type": "PLACE", "text": "Lima"}]}"#)?;
/// assert!(check_text("¡ Lima!", &gold).is_ok());
/// let err = check_text("¡¡ Lima!", &gold).unwrap_err();
/// assert_eq!(err.to_string(),
///     r#"a.txt: entity 1 at 2..6 (PLACE): text "Lima" but the document has " Lim" there"#);
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn check_text(text: &str, annotated: &Annotated) -> Result<(), Error> {
    check_indexed(&Indexed::new(text), annotated, "entity")
}

impl Evaluation {
    /// An empty evaluation with [`DEFAULT_CONTEXT`] code points of context.
    pub fn new() -> Evaluation {
        Evaluation {
            context: DEFAULT_CONTEXT,
            documents: 0,
            strict: BTreeMap::new(),
            overlap: BTreeMap::new(),
            ignored_predictions: 0,
            misses: Vec::new(),
            false_alarms: Vec::new(),
            confusions: Vec::new(),
        }
    }

    /// Sets how many code points of context to show each side of a mistake.
    pub fn context(mut self, chars: usize) -> Evaluation {
        self.context = chars;
        self
    }

    /// Scores one document: its text, its gold annotations and the predictions.
    ///
    /// Fails, naming the document and the offset, when an offset is out of the text, a span
    /// is empty or reversed, or a `text` given does not equal the text at its offsets. A
    /// document that fails is not counted.
    ///
    /// ```
    /// use quipu::eval::{Annotated, Annotation, Evaluation};
    /// let text = "CABLE 123\nThe SIN, sin dudas.";
    /// let gold = Annotated {
    ///     doc: "c.txt".into(),
    ///     ignore: vec![[0, 9]],
    ///     entities: vec![Annotation::new(14, 17, "INSTITUTION")],
    /// };
    /// let predicted = [
    ///     Annotation::new(0, 5, "INSTITUTION"),  // inside the ignore range: not counted
    ///     Annotation::new(14, 17, "INSTITUTION"),
    ///     Annotation::new(19, 22, "INSTITUTION"),  // "sin": a false alarm
    /// ];
    /// let mut eval = Evaluation::new().context(5);
    /// eval.add(text, &gold, &predicted)?;
    /// let report = eval.report();
    /// assert_eq!(report.ignored_predictions, 1);
    /// let s = &report.row("INSTITUTION").unwrap().strict;
    /// assert_eq!((s.tp, s.fp, s.fn_), (1, 1, 0));
    /// assert_eq!(report.false_alarms[0].context, "…SIN, [sin] duda…");
    /// # Ok::<(), quipu::Error>(())
    /// ```
    pub fn add(
        &mut self,
        text: &str,
        gold: &Annotated,
        predicted: &[Annotation],
    ) -> Result<(), Error> {
        let text = Indexed::new(text);
        check_indexed(&text, gold, "gold entity")?;
        check_entities(&gold.doc, "prediction", &text, predicted)?;
        let doc = gold.doc.as_str();

        let ignored = |a: &Annotation| gold.ignore.iter().any(|&[s, e]| a.overlaps(s, e));
        let gold_in: Vec<&Annotation> = gold.entities.iter().filter(|a| !ignored(a)).collect();
        let pred_in: Vec<&Annotation> = predicted.iter().filter(|a| !ignored(a)).collect();
        self.ignored_predictions += predicted.len() - pred_in.len();
        self.documents += 1;

        // Strict: same start, end and type, one to one.
        let mut by_key: HashMap<(usize, usize, &str), Vec<usize>> = HashMap::new();
        for (j, p) in pred_in.iter().enumerate().rev() {
            by_key
                .entry((p.start, p.end, p.entity_type.as_str()))
                .or_default()
                .push(j);
        }
        let mut gold_strict = vec![None; gold_in.len()];
        let mut pred_strict = vec![None; pred_in.len()];
        for (i, g) in gold_in.iter().enumerate() {
            if let Some(j) = by_key
                .get_mut(&(g.start, g.end, g.entity_type.as_str()))
                .and_then(Vec::pop)
            {
                gold_strict[i] = Some(j);
                pred_strict[j] = Some(i);
            }
        }
        tally(
            &mut self.strict,
            &gold_in,
            &pred_in,
            &gold_strict,
            &pred_strict,
        );

        // Overlap: the strict pairs, then the remaining pairs of the same type by decreasing
        // overlap, each side at most once.
        let mut gold_overlap = gold_strict.clone();
        let mut pred_overlap = pred_strict.clone();
        let mut candidates = Vec::new();
        for (i, g) in gold_in.iter().enumerate() {
            if gold_overlap[i].is_some() {
                continue;
            }
            for (j, p) in pred_in.iter().enumerate() {
                if pred_overlap[j].is_none()
                    && p.entity_type == g.entity_type
                    && p.overlaps(g.start, g.end)
                {
                    let shared = p.end.min(g.end) - p.start.max(g.start);
                    candidates.push((std::cmp::Reverse(shared), i, j));
                }
            }
        }
        candidates.sort();
        for (_, i, j) in candidates {
            if gold_overlap[i].is_none() && pred_overlap[j].is_none() {
                gold_overlap[i] = Some(j);
                pred_overlap[j] = Some(i);
            }
        }
        tally(
            &mut self.overlap,
            &gold_in,
            &pred_in,
            &gold_overlap,
            &pred_overlap,
        );

        // Confusions: same span, another type, among the strict leftovers.
        let mut gold_confused = vec![false; gold_in.len()];
        let mut pred_confused = vec![false; pred_in.len()];
        for (i, g) in gold_in.iter().enumerate() {
            if gold_strict[i].is_some() {
                continue;
            }
            let found = pred_in.iter().enumerate().find(|(j, p)| {
                pred_strict[*j].is_none()
                    && !pred_confused[*j]
                    && p.start == g.start
                    && p.end == g.end
            });
            if let Some((j, p)) = found {
                gold_confused[i] = true;
                pred_confused[j] = true;
                self.confusions.push(Confusion {
                    doc: doc.to_string(),
                    start: g.start,
                    end: g.end,
                    text: text.slice(g.start, g.end).to_string(),
                    gold: g.entity_type.clone(),
                    predicted: p.entity_type.clone(),
                    context: text.context(g.start, g.end, self.context),
                });
            }
        }

        let mistake = |a: &Annotation, others: &[&Annotation]| Mistake {
            doc: doc.to_string(),
            start: a.start,
            end: a.end,
            entity_type: a.entity_type.clone(),
            text: text.slice(a.start, a.end).to_string(),
            context: text.context(a.start, a.end, self.context),
            overlapping: others
                .iter()
                .find(|o| o.entity_type == a.entity_type && o.overlaps(a.start, a.end))
                .map(|o| Annotation {
                    text: Some(text.slice(o.start, o.end).to_string()),
                    ..(*o).clone()
                }),
        };
        let mut misses = Vec::new();
        for (i, g) in gold_in.iter().enumerate() {
            if gold_strict[i].is_none() && !gold_confused[i] {
                misses.push(mistake(g, &pred_in));
            }
        }
        let mut false_alarms = Vec::new();
        for (j, p) in pred_in.iter().enumerate() {
            if pred_strict[j].is_none() && !pred_confused[j] {
                false_alarms.push(mistake(p, &gold_in));
            }
        }
        self.misses.extend(misses);
        self.false_alarms.extend(false_alarms);
        Ok(())
    }

    /// Like [`Evaluation::add`] with the tagger's spans as predictions.
    pub fn add_spans(&mut self, text: &str, gold: &Annotated, spans: &[Span]) -> Result<(), Error> {
        let predicted: Vec<Annotation> = spans.iter().map(Annotation::from).collect();
        self.add(text, gold, &predicted)
    }

    /// The report on every document added so far.
    pub fn report(&self) -> Report {
        let mut names: Vec<&str> = self
            .strict
            .keys()
            .chain(self.overlap.keys())
            .map(String::as_str)
            .collect();
        names.sort_by_key(|t| {
            (
                MAIN_TYPES
                    .iter()
                    .position(|m| m == t)
                    .unwrap_or(MAIN_TYPES.len()),
                *t,
            )
        });
        names.dedup();
        let zero = [0; 3];
        let types: Vec<Row> = names
            .iter()
            .map(|t| Row {
                entity_type: t.to_string(),
                strict: Score::from_array(self.strict.get(*t).unwrap_or(&zero)),
                overlap: Score::from_array(self.overlap.get(*t).unwrap_or(&zero)),
            })
            .collect();
        let sum = |m: &BTreeMap<String, Counts>| {
            m.values()
                .fold([0; 3], |a, c| [a[0] + c[0], a[1] + c[1], a[2] + c[2]])
        };
        Report {
            documents: self.documents,
            types,
            overall: Row {
                entity_type: "overall".to_string(),
                strict: Score::from_array(&sum(&self.strict)),
                overlap: Score::from_array(&sum(&self.overlap)),
            },
            ignored_predictions: self.ignored_predictions,
            misses: self.misses.clone(),
            false_alarms: self.false_alarms.clone(),
            confusions: self.confusions.clone(),
        }
    }
}

/// Adds the true positives, false positives and false negatives of one matching.
fn tally(
    counts: &mut BTreeMap<String, Counts>,
    gold: &[&Annotation],
    predicted: &[&Annotation],
    gold_match: &[Option<usize>],
    pred_match: &[Option<usize>],
) {
    for (g, m) in gold.iter().zip(gold_match) {
        let c = counts.entry(g.entity_type.clone()).or_default();
        match m {
            Some(_) => c[0] += 1,
            None => c[2] += 1,
        }
    }
    for (p, m) in predicted.iter().zip(pred_match) {
        if m.is_none() {
            counts.entry(p.entity_type.clone()).or_default()[1] += 1;
        }
    }
}

impl Default for Evaluation {
    fn default() -> Evaluation {
        Evaluation::new()
    }
}

impl Report {
    /// The row of a type (or `overall`), if any.
    pub fn row(&self, entity_type: &str) -> Option<&Row> {
        if entity_type == "overall" {
            return Some(&self.overall);
        }
        self.types.iter().find(|r| r.entity_type == entity_type)
    }

    /// The table of scores as plain text: one line per type and one overall; columns P, R,
    /// F1, tp, fp, fn for strict, then for overlap.
    ///
    /// ```
    /// use quipu::eval::{Annotated, Annotation, Evaluation};
    /// let gold = Annotated { doc: "a".into(), ignore: vec![],
    ///     entities: vec![Annotation::new(0, 4, "PLACE")] };
    /// let mut eval = Evaluation::new();
    /// eval.add("Lima", &gold, &[Annotation::new(0, 4, "PLACE")])?;
    /// let table = eval.report().table();
    /// assert!(table.lines().any(|l| l.starts_with("PLACE") && l.contains("1.000")));
    /// assert!(table.lines().last().unwrap().starts_with("overall"));
    /// # Ok::<(), quipu::Error>(())
    /// ```
    pub fn table(&self) -> String {
        let width = self
            .types
            .iter()
            .map(|r| r.entity_type.chars().count())
            .max()
            .unwrap_or(0)
            .max(11);
        let mut out = String::new();
        let block = 6 * 3 + 6 * 3 + 5;
        out.push_str(&format!(
            "{:width$}  {:<block$}  overlap\n",
            format!("{} docs", self.documents),
            "strict"
        ));
        let head = format!(
            "{:>5} {:>5} {:>5} {:>5} {:>5} {:>5}",
            "P", "R", "F1", "tp", "fp", "fn"
        );
        out.push_str(&format!("{:width$}  {head}    {head}\n", "type"));
        let cells = |s: &Score| {
            format!(
                "{:>5.3} {:>5.3} {:>5.3} {:>5} {:>5} {:>5}",
                s.precision, s.recall, s.f1, s.tp, s.fp, s.fn_
            )
        };
        for row in self.types.iter().chain([&self.overall]) {
            out.push_str(&format!(
                "{:width$}  {}    {}\n",
                row.entity_type,
                cells(&row.strict),
                cells(&row.overlap)
            ));
        }
        out
    }

    /// The misses, false alarms and confusions as plain text, at most `limit` of each
    /// (all when `None`).
    pub fn mistakes(&self, limit: Option<usize>) -> String {
        let limit = limit.unwrap_or(usize::MAX);
        let mut out = String::new();
        let list = |out: &mut String, title: &str, items: &[Mistake], other: &str| {
            out.push_str(&format!("{title} ({}):\n", items.len()));
            for m in items.iter().take(limit) {
                out.push_str(&format!(
                    "  {} {}..{} {} {:?}: {}",
                    m.doc, m.start, m.end, m.entity_type, m.text, m.context
                ));
                if let Some(o) = &m.overlapping {
                    out.push_str(&format!(
                        " ({other} {:?} at {}..{})",
                        o.text.as_deref().unwrap_or(""),
                        o.start,
                        o.end
                    ));
                }
                out.push('\n');
            }
            if items.len() > limit {
                out.push_str(&format!("  ... and {} more\n", items.len() - limit));
            }
        };
        list(&mut out, "misses", &self.misses, "predicted");
        list(&mut out, "false alarms", &self.false_alarms, "gold");
        out.push_str(&format!("confusions ({}):\n", self.confusions.len()));
        for c in self.confusions.iter().take(limit) {
            out.push_str(&format!(
                "  {} {}..{} {:?} gold {} predicted {}: {}\n",
                c.doc, c.start, c.end, c.text, c.gold, c.predicted, c.context
            ));
        }
        if self.confusions.len() > limit {
            out.push_str(&format!(
                "  ... and {} more\n",
                self.confusions.len() - limit
            ));
        }
        out
    }
}

/// The table followed by every mistake.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}", self.table(), self.mistakes(None))
    }
}

fn json_error(source: &str, line: Option<usize>, e: &serde_json::Error) -> Error {
    // serde_json's message ends with " at line L column C"; keep only the column.
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &message[..i], e.column()),
        None => message,
    };
    Error::new(source, line.or(Some(e.line())), message)
}

/// Parses a gold file in the corpus format. `source` names it in errors (usually its path).
///
/// Offsets are checked against the text later, by [`Evaluation::add`]; use
/// [`check_text`] to check them alone.
///
/// ```
/// let err = quipu::eval::parse_gold("g.json", r#"{"doc": "a.txt",
///   "entities": [{"start": 0, "end": 4}]}"#).unwrap_err();
/// assert_eq!(err.to_string(), "g.json:2: missing field `type` (column 37)");
/// ```
pub fn parse_gold(source: &str, json: &str) -> Result<Annotated, Error> {
    serde_json::from_str(json).map_err(|e| json_error(source, None, &e))
}

fn annotated_from_value(
    source: &str,
    line: Option<usize>,
    value: Value,
) -> Result<Annotated, Error> {
    let Value::Object(mut map) = value else {
        return Err(Error::new(source, line, "expected a JSON object"));
    };
    let doc = ["doc", "path", "id"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .ok_or_else(|| {
            Error::new(
                source,
                line,
                "no \"doc\", \"path\" or \"id\" naming the document",
            )
        })?
        .to_string();
    let entities = match map.remove("entities") {
        Some(Value::Array(items)) => items,
        _ => {
            return Err(Error::new(
                source,
                line,
                format!("{doc}: no \"entities\" array"),
            ))
        }
    };
    let entities = entities
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value::<Annotation>(v)
                .map_err(|e| Error::new(source, line, format!("{doc}: entity {}: {e}", i + 1)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Annotated {
        doc,
        ignore: Vec::new(),
        entities,
    })
}

/// Parses predictions: one JSON object in the gold format (`"doc"`, `"entities"`, optional
/// `"ignore"`, which is dropped), a JSON array of them, or JSON Lines with one object per line
/// naming its document by `"doc"`, `"path"` or `"id"` (the command line's output). Entities
/// need `start`, `end` (code points) and `type`; `text` is optional and other fields are
/// ignored. `source` names the input in errors; JSON Lines errors give the line.
///
/// ```
/// let lines = concat!(
///     r#"{"path": "in/a.txt", "entities": [{"start": 0, "end": 4, "type": "PLACE", "#,
///     r#""text": "Lima", "id": "lima", "source": "gazetteer"}]}"#, "\n",
///     r#"{"path": "in/b.txt", "entities": []}"#, "\n");
/// let docs = quipu::eval::parse_predictions("out.jsonl", lines)?;
/// assert_eq!(docs.len(), 2);
/// assert_eq!(docs[0].entities[0].text.as_deref(), Some("Lima"));
/// assert_eq!(quipu::eval::document_key(&docs[1].doc), "b.txt");
/// let err = quipu::eval::parse_predictions("out.jsonl", "{\"id\": \"a\", \"entities\": []}\n{]")
///     .unwrap_err();
/// assert_eq!(err.line(), Some(2));
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn parse_predictions(source: &str, input: &str) -> Result<Vec<Annotated>, Error> {
    if input.trim().is_empty() {
        return Ok(Vec::new());
    }
    if let Ok(value) = serde_json::from_str::<Value>(input) {
        return match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| annotated_from_value(source, Some(i + 1), v))
                .collect(),
            v => Ok(vec![annotated_from_value(source, None, v)?]),
        };
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let value = serde_json::from_str::<Value>(l)
                .map_err(|e| json_error(source, Some(i + 1), &e))?;
            annotated_from_value(source, Some(i + 1), value)
        })
        .collect()
}

/// The key that pairs a gold file with predictions: the file name without directories and
/// without a trailing `.json`, so `"corpus/000_a.txt.json"`, `"000_a.txt"` and
/// `"/tmp/x/000_a.txt"` all give `"000_a.txt"`.
///
/// ```
/// use quipu::eval::document_key;
/// assert_eq!(document_key("corpus/000_a.txt.json"), "000_a.txt");
/// assert_eq!(document_key(r"C:\x\000_a.txt"), "000_a.txt");
/// ```
pub fn document_key(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".json").unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(start: usize, end: usize, t: &str) -> Annotation {
        Annotation::new(start, end, t)
    }

    fn gold(ignore: &[[usize; 2]], entities: &[Annotation]) -> Annotated {
        Annotated {
            doc: "d.txt".into(),
            ignore: ignore.to_vec(),
            entities: entities.to_vec(),
        }
    }

    /// (name, text, ignore, gold, predicted, strict tp/fp/fn, overlap tp/fp/fn,
    ///  misses, false alarms, confusions, ignored predictions)
    type Case = (
        &'static str,
        &'static str,
        Vec<[usize; 2]>,
        Vec<Annotation>,
        Vec<Annotation>,
        [usize; 3],
        [usize; 3],
        [usize; 4],
    );

    #[test]
    fn scoring_table() {
        let text = "Alberto Fujimori met Vladimiro Montesinos in Lima, Peru.";
        let fuji = a(0, 16, "PERSON");
        let vlad = a(21, 41, "PERSON");
        let lima = a(45, 49, "PLACE");
        let peru = a(51, 55, "PLACE");
        let all = vec![fuji.clone(), vlad.clone(), lima.clone(), peru.clone()];
        let cases: Vec<Case> = vec![
            (
                "perfect",
                text,
                vec![],
                all.clone(),
                all.clone(),
                [4, 0, 0],
                [4, 0, 0],
                [0, 0, 0, 0],
            ),
            (
                "nothing predicted",
                text,
                vec![],
                all.clone(),
                vec![],
                [0, 0, 4],
                [0, 0, 4],
                [4, 0, 0, 0],
            ),
            (
                "nothing to find",
                text,
                vec![],
                vec![],
                all.clone(),
                [0, 4, 0],
                [0, 4, 0],
                [0, 4, 0, 0],
            ),
            (
                "boundary error counts in overlap only",
                text,
                vec![],
                all.clone(),
                vec![a(8, 16, "PERSON"), vlad.clone(), lima.clone(), peru.clone()],
                [3, 1, 1],
                [4, 0, 0],
                [1, 1, 0, 0],
            ),
            (
                "wrong type is a confusion",
                text,
                vec![],
                all.clone(),
                vec![
                    fuji.clone(),
                    vlad.clone(),
                    a(45, 49, "INSTITUTION"),
                    peru.clone(),
                ],
                [3, 1, 1],
                [3, 1, 1],
                [0, 0, 1, 0],
            ),
            (
                "one prediction over two gold entities matches one in overlap",
                text,
                vec![],
                vec![lima.clone(), peru.clone()],
                vec![a(45, 55, "PLACE")],
                [0, 1, 2],
                [1, 0, 1],
                [2, 1, 0, 0],
            ),
            (
                "two predictions in one gold entity match once in overlap",
                text,
                vec![],
                vec![fuji.clone()],
                vec![a(0, 7, "PERSON"), a(8, 16, "PERSON")],
                [0, 2, 1],
                [1, 1, 0],
                [1, 2, 0, 0],
            ),
            (
                "predictions overlapping an ignore range are not counted",
                text,
                vec![[0, 20]],
                vec![vlad.clone(), lima.clone(), peru.clone()],
                vec![
                    fuji.clone(),
                    a(16, 25, "PERSON"),
                    vlad.clone(),
                    lima.clone(),
                    peru.clone(),
                ],
                [3, 0, 0],
                [3, 0, 0],
                [0, 0, 0, 2],
            ),
            (
                "gold inside an ignore range is not expected",
                text,
                vec![[0, 20]],
                all.clone(),
                vec![vlad.clone(), lima.clone(), peru.clone()],
                [3, 0, 0],
                [3, 0, 0],
                [0, 0, 0, 0],
            ),
            (
                "duplicate predictions: the second is a false alarm",
                text,
                vec![],
                vec![lima.clone()],
                vec![lima.clone(), lima.clone()],
                [1, 1, 0],
                [1, 1, 0],
                [0, 1, 0, 0],
            ),
            (
                "overlap needs the same type",
                text,
                vec![],
                vec![fuji.clone()],
                vec![a(0, 7, "PLACE")],
                [0, 1, 1],
                [0, 1, 1],
                [1, 1, 0, 0],
            ),
        ];
        for (name, text, ignore, g, p, strict, overlap, lists) in cases {
            let mut eval = Evaluation::new();
            eval.add(text, &gold(&ignore, &g), &p).unwrap();
            let r = eval.report();
            let s = r.overall.strict;
            let o = r.overall.overlap;
            assert_eq!([s.tp, s.fp, s.fn_], strict, "{name}: strict");
            assert_eq!([o.tp, o.fp, o.fn_], overlap, "{name}: overlap");
            assert_eq!(
                [
                    r.misses.len(),
                    r.false_alarms.len(),
                    r.confusions.len(),
                    r.ignored_predictions
                ],
                lists,
                "{name}: lists"
            );
            for row in r.types.iter().chain([&r.overall]) {
                for score in [row.strict, row.overlap] {
                    for v in [score.precision, score.recall, score.f1] {
                        assert!((0.0..=1.0).contains(&v), "{name}: {v}");
                    }
                }
            }
        }
    }

    #[test]
    fn per_type_rows_are_ordered_and_sum_to_overall() {
        let text = "The CIA and the DEA left Lima for Quito with Toledo.";
        let g = gold(
            &[],
            &[
                a(4, 7, "INSTITUTION"),
                a(16, 19, "INSTITUTION"),
                a(25, 29, "PLACE"),
                a(34, 39, "PLACE"),
                a(45, 51, "PERSON"),
            ],
        );
        let p = [
            a(4, 7, "INSTITUTION"),
            a(25, 29, "PLACE"),
            a(34, 39, "EVENT"),
            a(45, 51, "PERSON"),
        ];
        let mut eval = Evaluation::new();
        eval.add(text, &g, &p).unwrap();
        let r = eval.report();
        let names: Vec<&str> = r.types.iter().map(|r| r.entity_type.as_str()).collect();
        assert_eq!(names, ["PERSON", "PLACE", "INSTITUTION", "EVENT"]);
        let counts = |t: &str| {
            let s = r.row(t).unwrap().strict;
            [s.tp, s.fp, s.fn_]
        };
        assert_eq!(counts("PERSON"), [1, 0, 0]);
        assert_eq!(counts("PLACE"), [1, 0, 1]);
        assert_eq!(counts("INSTITUTION"), [1, 0, 1]);
        assert_eq!(counts("EVENT"), [0, 1, 0]);
        assert_eq!(counts("overall"), [3, 1, 2]);
        assert_eq!(r.confusions[0].gold, "PLACE");
        assert_eq!(r.confusions[0].predicted, "EVENT");
        assert_eq!(r.misses[0].text, "DEA");
        let table = r.table();
        assert_eq!(table.lines().count(), 2 + 5);
        assert!(table.contains("overall"));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["overall"]["strict"]["fn"], 2);
        assert_eq!(json["types"][0]["type"], "PERSON");
    }

    #[test]
    fn scores_over_several_documents_add_up() {
        let mut eval = Evaluation::new();
        let g = gold(&[], &[a(0, 4, "PLACE")]);
        eval.add("Lima", &g, &[a(0, 4, "PLACE")]).unwrap();
        eval.add("Lima", &g, &[]).unwrap();
        let r = eval.report();
        assert_eq!(r.documents, 2);
        assert_eq!(r.overall.strict.tp, 1);
        assert_eq!(r.overall.strict.fn_, 1);
        assert_eq!(r.overall.strict.recall, 0.5);
    }

    #[test]
    fn score_edge_cases() {
        let cases = [
            ((0, 0, 0), (1.0, 1.0, 1.0)),
            ((0, 2, 0), (0.0, 0.0, 0.0)),
            ((0, 0, 2), (0.0, 0.0, 0.0)),
            ((0, 1, 1), (0.0, 0.0, 0.0)),
            ((1, 1, 0), (0.5, 1.0, 2.0 / 3.0)),
        ];
        for ((tp, fp, fn_), (p, r, f)) in cases {
            let s = Score::from_counts(tp, fp, fn_);
            assert_eq!((s.precision, s.recall), (p, r), "{tp} {fp} {fn_}");
            assert!((s.f1 - f).abs() < 1e-12, "{tp} {fp} {fn_}");
        }
    }

    #[test]
    fn context_windows() {
        let text = "ab\ncdé😀Lima\r\nxyz";
        let t = Indexed::new(text);
        let cases = [
            (7, 11, 40, "ab⏎cdé😀[Lima]⏎xyz"),
            (7, 11, 2, "…é😀[Lima]⏎…"),
            (0, 2, 1, "[ab]⏎…"),
            (13, 16, 0, "…[xyz]"),
        ];
        for (s, e, w, want) in cases {
            assert_eq!(t.context(s, e, w), want);
            let _ = t.slice(s, e);
        }
        assert_eq!(t.slice(7, 11), "Lima");
    }

    #[test]
    fn bad_annotations_are_errors_naming_document_and_offset() {
        let text = "José Fujimori";
        let with_text = |s, e, t: &str, txt: &str| Annotation {
            text: Some(txt.to_string()),
            ..a(s, e, t)
        };
        let cases: Vec<(Annotated, Vec<Annotation>, &str)> = vec![
            (
                gold(&[], &[with_text(5, 13, "PERSON", "Fujimory")]),
                vec![],
                "d.txt: gold entity 1 at 5..13 (PERSON): text \"Fujimory\" but the document has \"Fujimori\" there",
            ),
            (
                gold(&[], &[a(5, 14, "PERSON")]),
                vec![],
                "d.txt: gold entity 1 at 5..14 (PERSON): past the end of the text (13 code points)",
            ),
            (
                gold(&[], &[a(5, 5, "PERSON")]),
                vec![],
                "d.txt: gold entity 1 at 5..5 (PERSON): empty or reversed span",
            ),
            (
                gold(&[[4, 2]], &[]),
                vec![],
                "d.txt: ignore range 1 [4, 2] is reversed or past the end of the text (13 code points)",
            ),
            (
                gold(&[], &[]),
                vec![a(0, 4, "PERSON"), with_text(5, 13, "PERSON", "FUJIMORI")],
                "d.txt: prediction 2 at 5..13 (PERSON): text \"FUJIMORI\" but the document has \"Fujimori\" there",
            ),
        ];
        for (g, p, want) in cases {
            let mut eval = Evaluation::new();
            let err = eval.add(text, &g, &p).unwrap_err();
            assert_eq!(err.to_string(), want);
            assert_eq!(eval.report().documents, 0);
        }
    }

    #[test]
    fn parsing_inputs() {
        let gold_json = r#"{"doc": "000.txt", "ignore": [[0, 3]],
 "entities": [{"start": 4, "end": 8, "type": "PLACE", "text": "Lima"}]}"#;
        let g = parse_gold("000.txt.json", gold_json).unwrap();
        assert_eq!(g.doc, "000.txt");
        assert_eq!(g.ignore, vec![[0, 3]]);
        assert_eq!(g.entities[0].text.as_deref(), Some("Lima"));
        check_text("ab\nLima", &gold(&[], &[a(3, 7, "PLACE")])).unwrap();

        // Predictions: a gold-shaped object, an array, JSON Lines.
        let preds = parse_predictions("p.json", gold_json).unwrap();
        assert_eq!(preds.len(), 1);
        assert!(preds[0].ignore.is_empty());
        let preds = parse_predictions(
            "p.json",
            r#"[{"id": "a", "entities": []}, {"doc": "b", "entities": []}]"#,
        )
        .unwrap();
        assert_eq!(
            preds.iter().map(|p| p.doc.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(parse_predictions("p", "  \n").unwrap().is_empty());

        let errors = [
            (
                parse_gold("g.json", "{\"doc\": \"a\", \"entities\": [}").err(),
                "g.json:1: expected value (column 27)",
            ),
            (
                parse_gold("g.json", r#"{"entities": []}"#).err(),
                "g.json:1: missing field `doc` (column 16)",
            ),
            (
                parse_predictions("p.jsonl", "{\"path\": \"x\", \"entities\": []}\n\n[1, 2\n")
                    .err(),
                "p.jsonl:3: EOF while parsing a list (column 5)",
            ),
            (
                parse_predictions("p.jsonl", "{\"entities\": []}\n{\"path\": \"x\"}").err(),
                "p.jsonl:1: no \"doc\", \"path\" or \"id\" naming the document",
            ),
            (
                parse_predictions(
                    "p.jsonl",
                    "{\"path\": \"x\", \"entities\": []}\n{\"path\": \"y\"}",
                )
                .err(),
                "p.jsonl:2: y: no \"entities\" array",
            ),
            (
                parse_predictions(
                    "p.json",
                    r#"{"doc": "x", "entities": [{"start": 1, "type": "PLACE"}]}"#,
                )
                .err(),
                "p.json: x: entity 1: missing field `end`",
            ),
            (
                parse_predictions("p.json", "[1]").err(),
                "p.json:1: expected a JSON object",
            ),
        ];
        for (result, want) in errors {
            assert_eq!(result.unwrap().to_string(), want);
        }
    }

    #[test]
    fn document_keys() {
        for (name, key) in [
            ("000_a.txt", "000_a.txt"),
            ("../shared/corpus/000_a.txt.json", "000_a.txt"),
            ("/tmp/000_a.txt", "000_a.txt"),
            ("-", "-"),
        ] {
            assert_eq!(document_key(name), key);
        }
    }
}
