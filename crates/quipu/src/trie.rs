//! A byte trie of the folded aliases, for anchored walks from the places where a name may
//! start.
//!
//! Why not aho-corasick's NFA here: the matcher only ever walks anchored (see `matcher`), so
//! the failure transitions an Aho-Corasick automaton is made of are never followed, and
//! aho-corasick always computes them. With 130,000 patterns that was 90% of the automaton's
//! build time (about 400 ms of a 1.4 s tagger build); this trie builds in about 30 ms from
//! the sorted keys and walks as fast (see DESIGN.md, "The trie"). aho-corasick's DFA is
//! still used for small gazetteers, where its unanchored search runs ahead of a scan.
//!
//! Layout: every node lives in one `Vec<u32>`, addressed by its offset, children right after
//! their parent's header so a walk touches one or two cache lines per byte:
//!
//! - dense node: `[DENSE, pattern, child per byte class...]`, for the first levels (where
//!   every walk passes) and for nodes with many children;
//! - sparse node: `[n, pattern, bytes packed four to a word..., child per byte...]`, with
//!   the bytes in increasing order.
//!
//! A child of 0 means no transition: 0 is the root, which is nobody's child.

/// The node every walk starts from.
const ROOT: u32 = 0;
/// No transition (see the module's doc).
const DEAD: u32 = 0;
/// The header of a dense node; a sparse node's header is its number of children (at most
/// 256).
const DENSE: u32 = u32::MAX;
/// The pattern word of a node where no key ends.
const NO_PATTERN: u32 = u32::MAX;
/// Nodes this close to the root are dense: almost every walk passes through them.
const DENSE_DEPTH: usize = 3;
/// Nodes with more children than this are dense: a sparse node's search is linear.
const DENSE_FANOUT: usize = 12;

/// A byte trie over a set of distinct, non-empty keys; key `i` is pattern `i`.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    nodes: Vec<u32>,
    /// Byte -> its slot in a dense node. Bytes in no key share class 0, which no child
    /// ever fills.
    class: [u8; 256],
    classes: usize,
}

/// The trie would need offsets beyond `u32`: keys of several gigabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl Trie {
    /// Builds the trie of `keys`; key `i` is pattern `i`. Keys must be distinct and
    /// non-empty.
    pub(crate) fn new(keys: &[&str]) -> Result<Trie, TooLarge> {
        let mut used = [false; 256];
        for k in keys {
            for &b in k.as_bytes() {
                used[usize::from(b)] = true;
            }
        }
        let mut class = [0u8; 256];
        // UTF-8 never uses some bytes (0xC0, 0xC1, 0xF5..), so class 0 is always to spare.
        let mut classes = 1;
        for (b, _) in used.iter().enumerate().filter(|(_, &u)| u) {
            class[b] = classes as u8;
            classes += 1;
        }
        // Sorted keys put every node's keys next to each other, grouped by their next byte.
        // The matcher's keys come sorted.
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        if !keys.is_sorted() {
            order.sort_unstable_by_key(|&i| keys[i as usize].as_bytes());
        }
        let sorted: Vec<(&[u8], u32)> = order
            .iter()
            .map(|&i| (keys[i as usize].as_bytes(), i))
            .collect();
        // Measured: 2.0 to 2.2 words per byte of key with 38,000 and 131,000 keys (most
        // nodes are in one-child chains, four words a byte), plus the first levels' dense
        // nodes. Growing by doubling would copy them all, and overshoot.
        let bytes: usize = keys.iter().map(|k| k.len()).sum();
        let mut trie = Trie {
            nodes: Vec::with_capacity(bytes / 4 * 9 + classes * 256),
            class,
            classes,
        };
        trie.fill(&sorted)?;
        Ok(trie)
    }

    /// Lays out the nodes depth first, with an explicit stack: a key may be long enough to
    /// overflow the call stack (the wasm one is small).
    fn fill(&mut self, sorted: &[(&[u8], u32)]) -> Result<(), TooLarge> {
        // (first key, end of keys, depth, where the parent keeps this node's offset).
        let mut stack: Vec<(usize, usize, usize, Option<usize>)> = vec![(0, sorted.len(), 0, None)];
        // A node's children: (byte, first key), reused from node to node.
        let mut groups: Vec<(u8, usize)> = Vec::new();
        while let Some((mut lo, hi, depth, slot)) = stack.pop() {
            let id = u32::try_from(self.nodes.len()).map_err(|_| TooLarge)?;
            if let Some(slot) = slot {
                self.nodes[slot] = id;
            }
            if hi - lo == 1 && depth >= DENSE_DEPTH {
                // One key below: the rest of it is a chain of one-child nodes, laid out
                // in one go (most nodes are in such chains: this halved the build).
                let (key, pattern) = sorted[lo];
                let rest = &key[depth..];
                u32::try_from(self.nodes.len() + 4 * rest.len() + 2).map_err(|_| TooLarge)?;
                self.nodes.reserve(4 * rest.len() + 2);
                for &b in rest {
                    let child = (self.nodes.len() + 4) as u32;
                    self.nodes.extend([1, NO_PATTERN, u32::from(b), child]);
                }
                self.nodes.extend([0, pattern]);
                continue;
            }
            let mut pattern = NO_PATTERN;
            // The one key that ends here sorts first among the node's keys.
            if lo < hi && sorted[lo].0.len() == depth {
                pattern = sorted[lo].1;
                lo += 1;
            }
            let keys = &sorted[lo..hi];
            // The children: each next byte and where its keys start. The keys are sorted,
            // so each run's end is found by a binary search, not a walk over every key
            // (the root's 38,000 keys have a few dozen children).
            groups.clear();
            let mut i = 0;
            while i < keys.len() {
                let b = keys[i].0[depth];
                groups.push((b, i));
                i += keys[i..].partition_point(|(k, _)| k[depth] == b);
            }
            let children = groups.len();
            let dense = depth < DENSE_DEPTH || children > DENSE_FANOUT;
            let first_child = if dense {
                self.nodes.extend([DENSE, pattern]);
                self.nodes.len()
            } else {
                self.nodes.extend([children as u32, pattern]);
                for four in groups.chunks(4) {
                    let packed = four
                        .iter()
                        .enumerate()
                        .fold(0, |w, (c, &(b, _))| w | u32::from(b) << (8 * c));
                    self.nodes.push(packed);
                }
                self.nodes.len()
            };
            self.nodes.resize(
                first_child + if dense { self.classes } else { children },
                DEAD,
            );
            // Children are pushed last first, so they are laid out in byte order.
            let mut end = keys.len();
            for (c, &(b, start)) in groups.iter().enumerate().rev() {
                let slot = first_child
                    + if dense {
                        usize::from(self.class[usize::from(b)])
                    } else {
                        c
                    };
                stack.push((lo + start, lo + end, depth + 1, Some(slot)));
                end = start;
            }
        }
        Ok(())
    }

    /// The node after `node` on byte `b`, or [`DEAD`].
    #[inline(always)]
    fn next(&self, node: u32, b: u8) -> u32 {
        let node = node as usize;
        let header = self.nodes[node];
        if header == DENSE {
            return self.nodes[node + 2 + usize::from(self.class[usize::from(b)])];
        }
        let n = header as usize;
        let words = n.div_ceil(4);
        // The packed bytes, then the children: one bounds check for both.
        let body = &self.nodes[node + 2..node + 2 + words + n];
        if n == 1 {
            // Most nodes deep in the trie have one child; its word holds its byte alone.
            return if body[0] == u32::from(b) {
                body[1]
            } else {
                DEAD
            };
        }
        // Four bytes at a time: the lowest zero byte of `x` is where `b` is.
        let repeated = u32::from(b) * 0x0101_0101;
        for (w, &packed) in body[..words].iter().enumerate() {
            let x = packed ^ repeated;
            let zero = x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080;
            if zero != 0 {
                let i = w * 4 + (zero.trailing_zeros() / 8) as usize;
                // Past the `n` bytes are zero paddings, which a zero byte `b` would match.
                return if i < n { body[words + i] } else { DEAD };
            }
        }
        DEAD
    }

    /// Every key, as `(pattern, key)`, in no particular order: what a snapshot stores
    /// (`Matcher::write`).
    pub(crate) fn keys(&self) -> Vec<(u32, Vec<u8>)> {
        let mut byte_of = [0u8; 256];
        for (b, &c) in self.class.iter().enumerate() {
            byte_of[usize::from(c)] = b as u8;
        }
        let mut out = Vec::new();
        let mut path = Vec::new();
        // (node, its depth, the byte that leads to it).
        let mut stack = vec![(ROOT, 0usize, 0u8)];
        while let Some((node, depth, byte)) = stack.pop() {
            if depth > 0 {
                path.truncate(depth - 1);
                path.push(byte);
            }
            let at = node as usize;
            let pattern = self.nodes[at + 1];
            if pattern != NO_PATTERN {
                out.push((pattern, path.clone()));
            }
            let header = self.nodes[at];
            if header == DENSE {
                let children = &self.nodes[at + 2..at + 2 + self.classes];
                for (c, &child) in children.iter().enumerate().filter(|(_, &c)| c != DEAD) {
                    stack.push((child, depth + 1, byte_of[c]));
                }
            } else {
                let n = header as usize;
                let words = n.div_ceil(4);
                let body = &self.nodes[at + 2..at + 2 + words + n];
                let bytes = body[..words].iter().flat_map(|w| w.to_le_bytes());
                for (b, &child) in bytes.zip(&body[words..]).filter(|(_, &c)| c != DEAD) {
                    stack.push((child, depth + 1, b));
                }
            }
        }
        out
    }

    /// Appends to `found`, shortest first, `(end, pattern)` for every key that `hay[p..]`
    /// starts with.
    #[inline(always)]
    pub(crate) fn prefixes(&self, hay: &[u8], p: usize, found: &mut Vec<(usize, usize)>) {
        let mut node = ROOT;
        for (q, &b) in hay.iter().enumerate().skip(p) {
            node = self.next(node, b);
            if node == DEAD {
                return;
            }
            let pattern = self.nodes[node as usize + 1];
            if pattern != NO_PATTERN {
                found.push((q + 1, pattern as usize));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every key that `hay[p..]` starts with, the simple way.
    fn oracle(keys: &[&str], hay: &[u8], p: usize) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| hay[p..].starts_with(k.as_bytes()))
            .map(|(i, k)| (p + k.len(), i))
            .collect();
        found.sort_unstable();
        found
    }

    fn check(keys: &[&str], hay: &[u8]) {
        let trie = Trie::new(keys).unwrap();
        // It lists every key (for a snapshot).
        let mut listed = trie.keys();
        listed.sort_unstable();
        let want: Vec<(u32, Vec<u8>)> = (0..)
            .zip(keys.iter().map(|k| k.as_bytes().to_vec()))
            .collect();
        assert_eq!(listed, want, "keys {keys:?}");
        let mut found = Vec::new();
        for p in 0..=hay.len() {
            found.clear();
            trie.prefixes(hay, p, &mut found);
            assert_eq!(
                found,
                oracle(keys, hay, p),
                "keys {keys:?}, hay {hay:?}, at {p}"
            );
        }
    }

    #[test]
    fn finds_every_prefix_table() {
        let cases: &[(&[&str], &str)] = &[
            (&["a"], "aaa"),
            (&["lima", "li", "l", "limar"], "limar lima"),
            (
                &["san", "san jose", "san josé", "santa"],
                "san josé, santa, san jose",
            ),
            // A zero byte in the text and in keys: sparse nodes pad with zeros.
            (&["a\0", "ab"], "a\0ab\0"),
            (&["\u{7f}", "ÿ", "ÿÿ"], "ÿÿÿ\u{7f}"),
        ];
        for (keys, hay) in cases {
            check(keys, hay.as_bytes());
        }
    }

    #[test]
    fn every_fanout_dense_and_sparse() {
        // A node with 1..=40 children below the dense depth, so both layouts and every
        // packing of the bytes into words are walked, including bytes absent from it.
        for n in 1..=40u8 {
            let keys: Vec<String> = (0..n)
                .map(|i| format!("xyz{}", char::from(b'0' + i)))
                .collect();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let hay: String = (0..=n + 2)
                .map(|i| format!("xyz{} ", char::from(b'0' + i)))
                .collect();
            check(&keys, hay.as_bytes());
        }
    }

    #[test]
    fn every_byte_of_utf8_in_use() {
        // As many classes as UTF-8 allows: every ASCII byte and lead and continuation bytes
        // of two, three and four-byte characters, as keys of one and two characters.
        let chars: Vec<char> = (0..128u32)
            .chain((0x80..0x800).step_by(7))
            .chain((0x800..0x10000).step_by(251))
            .chain((0x10000..0x110000).step_by(4093))
            .filter_map(char::from_u32)
            .collect();
        let keys: std::collections::BTreeSet<String> = chars
            .iter()
            .map(|c| c.to_string())
            .chain(chars.iter().step_by(3).map(|c| format!("k{c}")))
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let hay: String = chars.iter().step_by(5).flat_map(|&c| ['k', c]).collect();
        check(&keys, hay.as_bytes());
    }

    #[test]
    fn a_key_longer_than_any_call_stack() {
        let long = "a".repeat(200_000);
        let keys = [long.as_str(), "a", "aa"];
        let trie = Trie::new(&keys).unwrap();
        let mut found = Vec::new();
        trie.prefixes(long.as_bytes(), 0, &mut found);
        assert_eq!(found, vec![(1, 1), (2, 2), (200_000, 0)]);
    }

    #[test]
    fn no_keys() {
        let mut found = Vec::new();
        Trie::new(&[]).unwrap().prefixes(b"abc", 0, &mut found);
        assert!(found.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Against the oracle on keys with many shared prefixes (a small alphabet, with a
        /// two-byte letter and a space) and texts made of the same.
        #[test]
        fn agrees_with_oracle(
            keys in proptest::collection::btree_set("[abé ]{1,6}", 0..60),
            hay in "[abéc ]{0,40}",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            check(&keys, hay.as_bytes());
        }
    }
}
