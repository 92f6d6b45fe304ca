//! The rows every step writes to `results/*.json` (the JS side writes the same schema), and
//! small helpers shared by the steps.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// One measured line. Fields a step does not measure stay `None`; the core fields are written
/// as `null` then, so every file has the same shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// "quipu", "quipu (rules+linking)", "aho-corasick (bare)", "quipu CLI", "quipu page", or
    /// a peer's name ("ahocorasick (npm)", ...).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub engine: String,
    /// "native", or where the wasm or JavaScript ran ("node", "chromium").
    #[serde(default, deserialize_with = "null_as_empty")]
    pub runtime: String,
    #[serde(default)]
    pub gazetteer: Option<String>,
    #[serde(default)]
    pub patterns: Option<u64>,
    #[serde(default)]
    pub build_ms: Option<f64>,
    #[serde(default)]
    pub bytes: Option<u64>,
    #[serde(default)]
    pub tag_ms: Option<f64>,
    #[serde(default)]
    pub mb_per_s: Option<f64>,
    #[serde(default)]
    pub matches: Option<u64>,
    #[serde(default)]
    pub peak_mb: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
    /// The CLI rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<u64>,
    /// The page rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_to_ready_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_render_1mb_ms: Option<f64>,
    /// Anything else a step adds (peak_tag_mb, max_rss_mb, ...), kept as written.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The JS side fills absent fields with `null`.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

impl Row {
    /// A row of `engine` on `runtime`.
    pub fn new(engine: &str, runtime: &str) -> Row {
        Row {
            engine: engine.to_string(),
            runtime: runtime.to_string(),
            ..Row::default()
        }
    }

    /// Sets an extra field.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Row {
        self.extra.insert(key.to_string(), value.into());
        self
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
}

/// Writes rows as a pretty JSON array, atomically.
pub fn write_rows(path: &Path, rows: &[Row]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut json = serde_json::to_string_pretty(rows)?;
    json.push('\n');
    write_atomic(path, json.as_bytes())
}

/// Reads rows: a JSON array of rows, or an object with a `rows` array.
pub fn parse_rows(json: &str) -> Result<Vec<Row>> {
    let value: serde_json::Value = serde_json::from_str(json)?;
    let list = match value {
        serde_json::Value::Object(mut o) => o
            .remove("rows")
            .context("an object without a \"rows\" array")?,
        v => v,
    };
    Ok(serde_json::from_value(list)?)
}

/// Reads a whole file as UTF-8, naming it in the error.
pub fn read_text(path: &Path, hint: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} ({hint})", path.display()))
}

/// The median of the durations (the upper middle one for an even count).
pub fn median(mut xs: Vec<Duration>) -> Duration {
    assert!(!xs.is_empty(), "median of nothing");
    xs.sort();
    xs[xs.len() / 2]
}

/// Milliseconds, rounded to 0.01 ms.
pub fn ms(d: Duration) -> f64 {
    round(d.as_secs_f64() * 1e3, 2)
}

/// Megabytes (10^6 bytes) per second, rounded to 0.01.
pub fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    round(bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9), 2)
}

/// Bytes as megabytes (10^6), rounded to 0.01.
pub fn mb(bytes: usize) -> f64 {
    round(bytes as f64 / 1e6, 2)
}

/// `x` rounded to `digits` decimals.
pub fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}
