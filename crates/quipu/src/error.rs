//! The one error type of the library.

use std::fmt;

/// An error from reading a gazetteer or building a tagger.
///
/// It names where the problem is (the gazetteer's source name and, for the text format, the
/// line) and what it is, in words meant for the person who wrote the file.
///
/// ```
/// let err = quipu::Gazetteer::parse_text("my.gaz", "x | PERSON").unwrap_err();
/// assert_eq!(err.source_name(), "my.gaz");
/// assert_eq!(err.line(), Some(1));
/// assert!(err.to_string().starts_with("my.gaz:1: missing column"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    source: String,
    line: Option<usize>,
    message: String,
}

impl Error {
    pub(crate) fn new(source: &str, line: Option<usize>, message: impl Into<String>) -> Error {
        Error {
            source: source.to_string(),
            line,
            message: message.into(),
        }
    }

    /// The name of the gazetteer (usually a file path) the error is in.
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// The 1-based line of the text format, or the 1-based position of the entity in a JSON
    /// gazetteer, when the error is tied to one.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source, line, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for Error {}
