//! A bare aho-corasick search compiled to WebAssembly: the wasm ceiling of the benchmark
//! suite (issue 8).
//!
//! It holds nothing of Quipu: an automaton built from newline-separated patterns with the
//! options Quipu's matcher and the native ceiling use ([`build`]), and a count of
//! `find_iter` matches. The text to search is copied into wasm memory once ([`Haystack`]) so
//! that JavaScript can time building, copying and searching separately:
//!
//! ```js
//! import init, { Searcher, Haystack } from "./ac_wasm.js";
//! await init();
//! const searcher = new Searcher(patternsText); // time this: the build
//! const haystack = new Haystack(foldedText);   // the copy into wasm memory, not timed
//! const matches = searcher.count(haystack);    // time this: the search
//! ```
//!
//! Built for `wasm32-unknown-unknown` by `bench/build-ac-wasm`; it also compiles natively
//! (it is a workspace member), where its tests run.

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind, StartKind};
use wasm_bindgen::prelude::*;

/// Up to this many patterns the automaton is a DFA, above a contiguous NFA (a DFA would take
/// too long to build and too much memory). The same threshold as `crates/quipu/src/matcher.rs`
/// (where the DFA finds the places the trie is walked from).
pub const DFA_MAX_PATTERNS: usize = 5_000;

/// Builds the automaton the way the native ceiling does (`ceiling_kind` in
/// `crates/quipu-bench/src/native.rs`): `MatchKind::LeftmostLongest`, unanchored searches only
/// (anchored states would double a DFA's size), a DFA up to [`DFA_MAX_PATTERNS`] patterns and
/// a contiguous NFA above, aho-corasick's fastest automaton that builds at that size.
pub fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick, BuildError> {
    let kind = if patterns.len() <= DFA_MAX_PATTERNS {
        AhoCorasickKind::DFA
    } else {
        AhoCorasickKind::ContiguousNFA
    };
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Unanchored)
        .kind(Some(kind))
        .build(patterns)
}

/// The patterns of a newline-separated list: one per line, `\r` and empty lines dropped (the
/// `*.patterns.txt` files of the benchmark data end with a newline).
pub fn split_patterns(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .collect()
}

/// An automaton over a list of patterns.
#[wasm_bindgen]
pub struct Searcher {
    ac: AhoCorasick,
    patterns: usize,
}

#[wasm_bindgen]
impl Searcher {
    /// Builds the automaton from newline-separated patterns (see [`build`]). Throws when
    /// aho-corasick refuses them (too many states for its identifiers).
    #[wasm_bindgen(constructor)]
    pub fn new(patterns: &str) -> Result<Searcher, JsError> {
        let list = split_patterns(patterns);
        let ac = build(&list).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Searcher {
            ac,
            patterns: list.len(),
        })
    }

    /// How many patterns the automaton holds.
    #[wasm_bindgen(getter)]
    pub fn patterns(&self) -> usize {
        self.patterns
    }

    /// The automaton's kind as aho-corasick reports it (`NoncontiguousNFA`, `ContiguousNFA`
    /// or `DFA`).
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        format!("{:?}", self.ac.kind())
    }

    /// The heap memory the automaton uses, in bytes.
    #[wasm_bindgen(getter, js_name = memoryUsage)]
    pub fn memory_usage(&self) -> usize {
        self.ac.memory_usage()
    }

    /// The number of non-overlapping leftmost-longest matches in `haystack` (what
    /// `find_iter(..).count()` returns). Only the search: the text is already in wasm memory.
    pub fn count(&self, haystack: &Haystack) -> usize {
        self.ac.find_iter(haystack.text.as_str()).count()
    }

    /// The same count over a JavaScript string: includes copying it into wasm memory (as
    /// UTF-8), which [`Searcher::count`] leaves out.
    #[wasm_bindgen(js_name = countStr)]
    pub fn count_str(&self, text: &str) -> usize {
        self.ac.find_iter(text).count()
    }
}

/// A text held in wasm memory, to search more than once without copying it again.
#[wasm_bindgen]
pub struct Haystack {
    text: String,
}

#[wasm_bindgen]
impl Haystack {
    /// Copies `text` into wasm memory (as UTF-8).
    #[wasm_bindgen(constructor)]
    pub fn new(text: String) -> Haystack {
        Haystack { text }
    }

    /// The text's length in UTF-8 bytes.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> usize {
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_leftmost_longest_matches() {
        let s = Searcher::new("lima\nlima peru\r\n\nperu\n").unwrap();
        assert_eq!(s.patterns(), 3);
        let h = Haystack::new("de lima peru a peru y lima".into());
        assert_eq!(h.bytes(), 26);
        // "lima peru" wins over "lima" (leftmost-longest): three matches, not four.
        assert_eq!(s.count(&h), 3);
        assert_eq!(s.count_str("lima peru, peru"), 2);
    }

    #[test]
    fn dfa_up_to_the_threshold_contiguous_nfa_above() {
        assert_eq!(build(&["a", "b"]).unwrap().kind(), AhoCorasickKind::DFA);
        let many: Vec<String> = (0..=DFA_MAX_PATTERNS).map(|i| format!("p{i}q")).collect();
        let ac = build(&many).unwrap();
        assert_eq!(ac.kind(), AhoCorasickKind::ContiguousNFA);
        assert_eq!(ac.find_iter("xx p17q p5000q").count(), 2);
    }
}
