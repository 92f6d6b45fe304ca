//! Snapshots: a built tagger's entities and automaton as bytes, read back without parsing
//! gazetteers or building anything (see [`crate::Tagger::snapshot`]).
//!
//! Why: the browser page builds the default gazetteer on every visit, and in wasm that is
//! the slowest part of its start (parsing and building take about 80 ms natively but
//! 300-470 ms in chromium's baseline-compiled wasm). Reading a snapshot takes a quarter of
//! the instructions.
//!
//! Layout, little-endian throughout:
//!
//! ```text
//! "QUIPUSNP"  format (u32)  the crate's version (string)  body length (u64)  checksum (u64)
//! body: entities (see `write`), then the matcher (see `Matcher::write`)
//! ```
//!
//! A string is its length (u32) and its UTF-8 bytes; a list is its length (u32) and its
//! items; most numbers are LEB128 ([`Writer::varint`]), records are stored a column at a time
//! with each number as its difference from the one above ([`Writer::deltas`]), and sorted
//! strings are front-coded ([`Writer::front_coded`]). A snapshot is tied to the crate's
//! version, since folding and matching may change between versions. What is read is checked: the checksum first (a damaged file), then
//! every index the tagger follows, so that a bad snapshot is an [`Error`] naming the byte
//! offset where reading stopped, never a panic.

use crate::gazetteer::{Alias, Entity};
use crate::Error;

const MAGIC: &[u8; 8] = b"QUIPUSNP";
/// Changes whenever the layout does.
const FORMAT: u32 = 3;
/// The source name of a snapshot's errors.
const SOURCE: &str = "snapshot";

/// Appends the parts of a snapshot.
#[derive(Default)]
pub(crate) struct Writer {
    out: Vec<u8>,
}

impl Writer {
    pub(crate) fn bool(&mut self, x: bool) {
        self.out.push(u8::from(x));
    }

    pub(crate) fn u32(&mut self, x: u32) {
        self.out.extend_from_slice(&x.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, x: u64) {
        self.out.extend_from_slice(&x.to_le_bytes());
    }

    /// A length or an index: they fit `u32` in any tagger (the matcher refuses more).
    pub(crate) fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("a tagger's lengths fit u32"));
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.raw(b);
    }

    /// Bytes of a length known to the reader.
    pub(crate) fn raw(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        self.bool(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }

    /// `x` in LEB128: seven bits a byte, low first, the high bit set on all but the last.
    /// Most numbers in a snapshot are small: this halves its size.
    pub(crate) fn varint(&mut self, mut x: u32) {
        while x >= 0x80 {
            self.out.push(x as u8 | 0x80);
            x >>= 7;
        }
        self.out.push(x as u8);
    }

    pub(crate) fn varints(&mut self, xs: &[u32]) {
        self.len(xs.len());
        for &x in xs {
            self.varint(x);
        }
    }

    /// Numbers, each as its difference from the one before (the first from 0), wrapping,
    /// zigzag-coded (0, -1, 1, -2 ... as 0, 1, 2, 3 ...) in LEB128: a column of string
    /// numbers that mostly climb, or of values that mostly repeat, takes a byte per number.
    /// The count is the reader's to know.
    pub(crate) fn deltas(&mut self, xs: impl IntoIterator<Item = u32>) {
        let mut prev = 0u32;
        for x in xs {
            let d = x.wrapping_sub(prev) as i32;
            self.varint(((d << 1) ^ (d >> 31)) as u32);
            prev = x;
        }
    }

    /// Sorted, distinct strings, each as the length of the prefix it shares with the one
    /// before and the rest: sorted names, ids and references share most of their bytes.
    /// The strings' total length comes first, so that the reader allocates once.
    pub(crate) fn front_coded<S: AsRef<[u8]>>(&mut self, sorted: &[S]) {
        self.len(sorted.len());
        self.len(sorted.iter().map(|s| s.as_ref().len()).sum());
        let mut prev: &[u8] = &[];
        for s in sorted {
            let s = s.as_ref();
            let common = prev.iter().zip(s).take_while(|(a, b)| a == b).count();
            self.varint(common as u32);
            self.varint((s.len() - common) as u32);
            self.raw(&s[common..]);
            prev = s;
        }
    }
}

/// Reads the parts of a snapshot, each read checked against the bytes left.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// An error at the current offset.
    pub(crate) fn error(&self, what: impl std::fmt::Display) -> Error {
        Reader::error_at(self.at, what)
    }

    /// The offset of the next byte to read.
    pub(crate) fn offset(&self) -> usize {
        self.at
    }

    /// An error at byte `at`.
    pub(crate) fn error_at(at: usize, what: impl std::fmt::Display) -> Error {
        Error::new(SOURCE, None, format!("byte {at}: {what}"))
    }

    /// Passes over every byte left.
    pub(crate) fn skip_rest(&mut self) {
        self.at = self.bytes.len();
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        match self.bytes.get(self.at..).and_then(|rest| rest.get(..n)) {
            Some(b) => {
                self.at += n;
                Ok(b)
            }
            None => Err(self.error(format!(
                "cut short: {n} more bytes expected, {} left",
                self.bytes.len().saturating_sub(self.at)
            ))),
        }
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, Error> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(std::array::from_fn(|i| b[i])))
    }

    /// A count of items of at least `min_size` bytes each, checked against the bytes left
    /// so that a damaged count cannot ask for a huge allocation.
    pub(crate) fn count(&mut self, min_size: usize) -> Result<usize, Error> {
        let n = self.u32()? as usize;
        let left = self.bytes.len() - self.at;
        if n.saturating_mul(min_size.max(1)) > left {
            return Err(self.error(format!("{n} items announced, {left} bytes left")));
        }
        Ok(n)
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.count(1)?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, Error> {
        let at = self.at;
        let b = self.bytes()?;
        std::str::from_utf8(b)
            .map_err(|e| Reader::error_at(at + 4 + e.valid_up_to(), format!("not UTF-8 ({e})")))
    }

    /// A flag: 0 or 1.
    pub(crate) fn bool(&mut self) -> Result<bool, Error> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            x => Err(Reader::error_at(
                self.at - 1,
                format!("{x} is neither 0 nor 1"),
            )),
        }
    }

    pub(crate) fn opt_str(&mut self) -> Result<Option<&'a str>, Error> {
        if self.bool()? {
            self.str().map(Some)
        } else {
            Ok(None)
        }
    }

    #[inline]
    pub(crate) fn varint(&mut self) -> Result<u32, Error> {
        // Most numbers take one byte, nearly all of the rest two or three: those without
        // a loop, away from the end.
        let at = self.at;
        if let Some(&[b0, b1, b2]) = self.bytes.get(at..at + 3) {
            let (b0, b1, b2) = (u32::from(b0), u32::from(b1), u32::from(b2));
            if b0 < 0x80 {
                self.at = at + 1;
                return Ok(b0);
            }
            if b1 < 0x80 {
                self.at = at + 2;
                return Ok(b0 & 0x7f | b1 << 7);
            }
            if b2 < 0x80 {
                self.at = at + 3;
                return Ok(b0 & 0x7f | (b1 & 0x7f) << 7 | b2 << 14);
            }
        }
        self.long_varint()
    }

    /// `n` numbers that [`Writer::deltas`] wrote, each given to `each` with its position.
    pub(crate) fn deltas(
        &mut self,
        n: usize,
        mut each: impl FnMut(usize, u32),
    ) -> Result<(), Error> {
        let mut x = 0u32;
        for i in 0..n {
            let z = self.varint()?;
            x = x.wrapping_add((z >> 1) ^ (z & 1).wrapping_neg());
            each(i, x);
        }
        Ok(())
    }

    #[inline(never)]
    fn long_varint(&mut self) -> Result<u32, Error> {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let mut x = 0u32;
        for (i, &b) in rest.iter().take(5).enumerate() {
            let bits = u32::from(b & 0x7f);
            if i == 4 && bits > 0x0f {
                break;
            }
            x |= bits << (7 * i);
            if b & 0x80 == 0 {
                self.at += i + 1;
                return Ok(x);
            }
        }
        Err(self.error("a number cut short or past 32 bits"))
    }

    /// What [`Writer::front_coded`] wrote: the strings one after the other in one text,
    /// and where each ends (`ends[0]` is 0, string `k` is `text[ends[k]..ends[k + 1]]`).
    /// Checked: each string sorts after the one before, the text is UTF-8 and no string cuts
    /// a character. `what` names them in errors.
    pub(crate) fn front_coded(&mut self, what: &str) -> Result<(String, Vec<u32>), Error> {
        let table_at = self.at;
        let n = self.count(2)?;
        let total = self.u32()? as usize;
        // Front-coding shrinks names to a fraction, not to nothing: a damaged total cannot
        // ask for much more than what is left.
        let mut text = Vec::with_capacity(total.min(self.bytes.len().saturating_mul(16)));
        let mut ends = Vec::with_capacity(n + 1);
        ends.push(0u32);
        // Where the string before starts.
        let mut prev = 0;
        for k in 0..n {
            let at = self.at;
            let common = self.varint()? as usize;
            let len = self.varint()? as usize;
            let rest = self.take(len)?;
            let start = text.len();
            let before = &text[prev..start];
            // A prefix of the string before, then bytes that sort after its own.
            let sorted = common <= before.len()
                && (k == 0
                    || match (rest.first(), before.get(common)) {
                        (Some(&b), Some(&p)) => b > p,
                        (Some(_), None) => true,
                        (None, _) => false,
                    });
            if !sorted {
                return Err(Reader::error_at(at, format!("the {what} are out of order")));
            }
            text.extend_from_within(prev..prev + common);
            text.extend_from_slice(rest);
            ends.push(
                u32::try_from(text.len())
                    .map_err(|_| Reader::error_at(at, format!("the {what} pass 4 GiB")))?,
            );
            prev = start;
        }
        if text.len() != total {
            return Err(Reader::error_at(
                table_at,
                format!("the {what} do not add up to their length"),
            ));
        }
        // One check of the whole, then of each string's ends: every string is UTF-8.
        let text = String::from_utf8(text).map_err(|e| {
            Reader::error_at(
                table_at,
                format!("the {what} are not UTF-8 ({})", e.utf8_error()),
            )
        })?;
        if ends.iter().any(|&e| !text.is_char_boundary(e as usize)) {
            return Err(Reader::error_at(
                table_at,
                format!("one of the {what} cuts a character"),
            ));
        }
        Ok((text, ends))
    }

    pub(crate) fn varints(&mut self) -> Result<Vec<u32>, Error> {
        let n = self.count(1)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.varint()?);
        }
        Ok(out)
    }
}

/// A 64-bit checksum of `bytes`, eight at a time: it catches a damaged or cut file before
/// anything is read, at a few milliseconds for the default gazetteer's snapshot in wasm.
/// Not a cryptographic hash: a snapshot is trusted like the wasm it comes with, and checked
/// for what could make the tagger fail.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(std::array::from_fn(|i| w[i]));
        h = (h.rotate_left(23) ^ x).wrapping_mul(K);
    }
    for &b in words.remainder() {
        h = (h.rotate_left(23) ^ u64::from(b)).wrapping_mul(K);
    }
    h ^ h >> 29
}

/// Marks an optional string that is absent, in an entity's record.
const NONE: u32 = u32::MAX;
/// Marks an exact-case alias, in the alias list.
const EXACT: u32 = 1 << 31;
/// The words of an entity's record: its strings (id, type, name, origin, qid, xref,
/// description), its aliases' range, its priority and its rank.
const RECORD: usize = 12;

/// A snapshot's entities as they are stored: every string once in one UTF-8 text (sorted,
/// front-coded in the file), and a record of string numbers per entity. A tagger read from a snapshot keeps this and makes
/// an [`Entity`] only when one is asked for: making all 35,000 of the default gazetteer was
/// three quarters of reading its snapshot.
#[derive(Debug)]
pub(crate) struct EntityTable {
    text: Box<str>,
    /// String `k` is `text[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    records: Vec<[u32; RECORD]>,
    /// The aliases' string numbers, [`EXACT`] set for exact-case ones.
    aliases: Vec<u32>,
}

impl EntityTable {
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    fn str(&self, k: u32) -> &str {
        let k = k as usize;
        &self.text[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    fn opt(&self, k: u32) -> Option<String> {
        (k != NONE).then(|| self.str(k).to_owned())
    }

    pub(crate) fn id(&self, i: usize) -> &str {
        self.str(self.records[i][0])
    }

    pub(crate) fn entity_type(&self, i: usize) -> &str {
        self.str(self.records[i][1])
    }

    pub(crate) fn name(&self, i: usize) -> &str {
        self.str(self.records[i][2])
    }

    pub(crate) fn alias_count(&self, i: usize) -> usize {
        let r = &self.records[i];
        (r[8] - r[7]) as usize
    }

    /// Entity `i`, made.
    pub(crate) fn entity(&self, i: usize) -> Entity {
        let r = &self.records[i];
        Entity {
            id: self.id(i).to_owned(),
            entity_type: self.entity_type(i).to_owned(),
            name: self.name(i).to_owned(),
            origin: self.str(r[3]).to_owned(),
            qid: self.opt(r[4]),
            xref: self.opt(r[5]),
            description: self.opt(r[6]),
            aliases: self.aliases[r[7] as usize..r[8] as usize]
                .iter()
                .map(|&a| Alias {
                    text: self.str(a & !EXACT).to_owned(),
                    exact_case: a & EXACT != 0,
                })
                .collect(),
            priority: r[9] as i32,
            rank: (r[10] as usize, r[11] as usize),
        }
    }
}

/// The snapshot of `entities` and the rest that `body` writes (the matcher).
pub(crate) fn write(entities: &[Entity], body: impl FnOnce(&mut Writer)) -> Vec<u8> {
    // Each distinct string once (types, origins and names repeated as aliases), sorted, so
    // that each is written as what it shares with the one before and the rest: ids and
    // references such as "geo-3936456" and "geonames:3936456" share most of their bytes.
    let mut strings: Vec<&str> = Vec::new();
    for e in entities {
        strings.extend([&e.id, &e.entity_type, &e.name, &e.origin].map(String::as_str));
        strings.extend(
            [&e.qid, &e.xref, &e.description]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        strings.extend(e.aliases.iter().map(|a| a.text.as_str()));
    }
    strings.sort_unstable();
    strings.dedup();
    assert!(strings.len() < EXACT as usize, "fewer than 2^31 strings");
    let number: rustc_hash::FxHashMap<&str, u32> =
        (0..).zip(&strings).map(|(n, &s)| (s, n)).collect();
    let string = |s: &str| number[s];
    let opt = |s: &Option<String>| s.as_deref().map_or(NONE, string);
    let mut records = Vec::with_capacity(entities.len());
    let mut aliases = Vec::new();
    for e in entities {
        for a in &e.aliases {
            aliases.push(string(&a.text) | if a.exact_case { EXACT } else { 0 });
        }
        records.push([
            string(&e.id),
            string(&e.entity_type),
            string(&e.name),
            string(&e.origin),
            opt(&e.qid),
            opt(&e.xref),
            opt(&e.description),
            // The aliases' count: they follow those of the entity before.
            e.aliases.len() as u32,
            e.priority as u32,
            u32::try_from(e.rank.0).unwrap_or(u32::MAX),
            u32::try_from(e.rank.1).unwrap_or(u32::MAX),
        ]);
    }
    let mut w = Writer::default();
    w.front_coded(&strings);
    // A column at a time, each number from the one above it: ids and references climb
    // through the sorted strings, types and origins repeat, lines climb by one or two.
    w.len(records.len());
    for c in 0..RECORD - 1 {
        w.deltas(records.iter().map(|r| r[c]));
    }
    w.varints(&aliases);
    body(&mut w);
    let mut out = Writer::default();
    out.raw(MAGIC);
    out.u32(FORMAT);
    out.str(env!("CARGO_PKG_VERSION"));
    out.u64(w.out.len() as u64);
    out.u64(checksum(&w.out));
    out.raw(&w.out);
    out.out
}

/// Reads a snapshot's header and entities, then the rest with `body` (given the number of
/// entities), which must read every byte left.
pub(crate) fn read<T>(
    bytes: &[u8],
    body: impl FnOnce(&mut Reader, usize) -> Result<T, Error>,
) -> Result<(EntityTable, T), Error> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len()).ok() != Some(MAGIC) {
        return Err(Error::new(
            SOURCE,
            None,
            "not a Quipu snapshot (it does not start with QUIPUSNP)",
        ));
    }
    let format = r.u32()?;
    let version = r.str()?;
    if format != FORMAT || version != env!("CARGO_PKG_VERSION") {
        return Err(Error::new(
            SOURCE,
            None,
            format!(
                "made by quipu {version} (format {format}); this is quipu {} (format {FORMAT}): \
                 make the snapshot again from its gazetteers",
                env!("CARGO_PKG_VERSION")
            ),
        ));
    }
    let len = r.u64()?;
    let sum = r.u64()?;
    let start = r.at;
    if len != (bytes.len() - start) as u64 {
        let what = if len > (bytes.len() - start) as u64 {
            "cut short"
        } else {
            "too long"
        };
        return Err(r.error(format!(
            "{what}: the body should be {len} bytes; {} follow",
            bytes.len() - start
        )));
    }
    if checksum(&bytes[start..]) != sum {
        return Err(r.error("the checksum does not match: the snapshot is damaged"));
    }
    let entities = read_entities(&mut r)?;
    let rest = body(&mut r, entities.len())?;
    if r.at != bytes.len() {
        return Err(r.error("more bytes than the snapshot holds"));
    }
    Ok((entities, rest))
}

/// The entity table, checked: its text is UTF-8 and every string of it starts and ends on
/// a character, every string number and alias range is in bounds.
fn read_entities(r: &mut Reader) -> Result<EntityTable, Error> {
    let (text, starts) = r.front_coded("strings")?;
    let strings = (starts.len() - 1) as u32;
    let records_at = r.offset();
    let n = r.count(RECORD - 1)?;
    // As written: the alias count in place of the range (columns 7 and 8), from which the
    // ranges are made below.
    let mut records = vec![[0u32; RECORD]; n];
    for c in 0..RECORD - 1 {
        let c = if c < 8 { c } else { c + 1 };
        r.deltas(n, |i, x| records[i][c] = x)?;
    }
    let mut aliases_end = 0u32;
    for (i, record) in records.iter_mut().enumerate() {
        let strings_ok = record[..4].iter().all(|&k| k < strings)
            && record[4..7].iter().all(|&k| k < strings || k == NONE);
        record[8] = aliases_end
            .checked_add(record[7])
            .filter(|_| strings_ok)
            .ok_or_else(|| {
                Reader::error_at(
                    records_at,
                    format!("entity {i}: strings or aliases out of range"),
                )
            })?;
        record[7] = aliases_end;
        aliases_end = record[8];
    }
    let aliases_at = r.offset();
    let aliases = r.varints()?;
    if aliases.iter().any(|&a| a & !EXACT >= strings) || aliases_end as usize != aliases.len() {
        return Err(Reader::error_at(aliases_at, "an alias out of range"));
    }
    Ok(EntityTable {
        text: text.into_boxed_str(),
        starts,
        records,
        aliases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Gazetteer, Tagger};

    /// A small tagger with exact-case aliases, capitals, accents and shared aliases.
    fn small() -> Tagger {
        Tagger::builder()
            .default_gazetteer(false)
            .gazetteer(small_gazetteer())
            .build()
            .unwrap()
    }

    fn small_gazetteer() -> Gazetteer {
        Gazetteer::parse_text(
            "small.gaz",
            "lima | PLACE | Lima | Lima; Ciudad de los Reyes\n\
             sin | INSTITUTION | Servicio de Inteligencia Nacional | =SIN; El Servicio\n\
             peru | PLACE | Perú | Peru; República del Perú\n\
             garcia | PERSON | Alan García | García; Alan Garcia | priority=2\n\
             garcia2 | PERSON | Marta García | García\n",
        )
        .unwrap()
    }

    const TEXT: &str = "ALAN GARCÍA flew from Lima to the Ciudad de los Reyes; the SIN \
                        (El Servicio) said sin. García's República del Perú. PERU, lima.";

    /// Where the header ends and the checksum is.
    fn body_start(bytes: &[u8]) -> usize {
        let version = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        16 + version + 16
    }

    /// `bytes` with its checksum made to match again, as a damaged file that passes it.
    fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
        let start = body_start(&bytes);
        let sum = checksum(&bytes[start..]);
        bytes[start - 8..start].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    #[test]
    fn numbers_read_back_at_every_length_and_at_the_end() {
        // Each length of LEB128 (1 to 5 bytes) and its edges, alone (the last bytes of the
        // input, where the reader takes its slow path) and with bytes after them.
        let xs = [
            0,
            1,
            0x7f,
            0x80,
            0x3fff,
            0x4000,
            0x1f_ffff,
            0x20_0000,
            0x0fff_ffff,
            0x1000_0000,
            u32::MAX,
        ];
        for &x in &xs {
            for tail in [&[][..], &[0, 0, 0, 0]] {
                let mut w = Writer::default();
                w.varint(x);
                let len = w.out.len();
                w.raw(tail);
                let mut r = Reader {
                    bytes: &w.out,
                    at: 0,
                };
                assert_eq!(r.varint().unwrap(), x, "{x:#x}");
                assert_eq!(r.offset(), len, "{x:#x}");
            }
        }
        // Past 32 bits, and cut short.
        for bad in [&[0xff, 0xff, 0xff, 0xff, 0x1f][..], &[0x80, 0x80], &[0xff]] {
            let mut r = Reader { bytes: bad, at: 0 };
            assert!(r.varint().is_err(), "{bad:?}");
        }
        // Deltas: climbing, falling, repeating and wrapping around, as written.
        let column = [5, 6, 6, 2, u32::MAX, 0, NONE, 7, 0x8000_0000, 1];
        let mut w = Writer::default();
        w.deltas(column);
        let mut r = Reader {
            bytes: &w.out,
            at: 0,
        };
        let mut back = vec![0; column.len()];
        r.deltas(column.len(), |i, x| back[i] = x).unwrap();
        assert_eq!(back, column);
        assert_eq!(r.offset(), w.out.len());
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let tagger = small();
        let bytes = tagger.snapshot();
        let read = Tagger::builder().build_from_snapshot(&bytes).unwrap();
        // One entity at a time (made on demand), the counts, then all of them.
        for e in tagger.entities() {
            assert_eq!(read.entity(&e.id), Some(e));
        }
        assert_eq!(read.entity("nobody"), None);
        assert_eq!(read.stats(), tagger.stats());
        assert_eq!(read.entities(), tagger.entities());
        // Made once all are: the entity is one of them, not another copy.
        let lima = read.entity("lima").unwrap();
        assert!(read.entities().iter().any(|e| std::ptr::eq(e, lima)));
        let spans = tagger.tag(TEXT);
        assert!(spans.len() >= 8, "{spans:?}");
        assert_eq!(read.tag(TEXT), spans);
        // The same bytes again: nothing in a snapshot depends on the run that made it.
        assert_eq!(read.snapshot(), bytes);
        // The builder's options apply: a type filter, rules and linking off.
        let people = Tagger::builder()
            .types(["PERSON"])
            .rules(false)
            .linking(false)
            .build_from_snapshot(&bytes)
            .unwrap();
        let spans = people.tag(TEXT);
        assert!(!spans.is_empty() && spans.iter().all(|s| &*s.entity_type == "PERSON"));
        // As if built from the gazetteers with that filter.
        let built = Tagger::builder()
            .default_gazetteer(false)
            .gazetteer(small_gazetteer())
            .types(["PERSON"])
            .rules(false)
            .linking(false)
            .build()
            .unwrap();
        assert_eq!(spans, built.tag(TEXT));
        assert_eq!(people.stats(), built.stats());
        assert_eq!(people.entities(), built.entities());
    }

    #[cfg(feature = "default-gazetteer")]
    #[test]
    fn the_default_gazetteer_reads_back() {
        let tagger = Tagger::new().unwrap();
        let read = Tagger::builder()
            .build_from_snapshot(&tagger.snapshot())
            .unwrap();
        assert_eq!(read.entities(), tagger.entities());
        assert_eq!(read.stats(), tagger.stats());
        let text = "THE AMBASSADOR MET PRESIDENT FUJIMORI IN LIMA. Vladimiro Montesinos, \
                    of the SIN, left for Caracas; Montesinos later said the Congreso \
                    had not called him. Ollanta Humala's party won in Cusco and Arequipa.";
        let spans = tagger.tag(text);
        assert!(spans.len() >= 6, "{spans:?}");
        assert_eq!(read.tag(text), spans);
    }

    #[test]
    fn refuses_what_it_did_not_write() {
        let bytes = small().snapshot();
        let build = |b: &[u8]| Tagger::builder().build_from_snapshot(b);
        // Cut anywhere.
        for n in 0..bytes.len() {
            let err = build(&bytes[..n]).unwrap_err();
            assert_eq!(err.source_name(), "snapshot");
        }
        // One bit off: the checksum.
        let start = body_start(&bytes);
        for i in [start, start + 100, bytes.len() - 1] {
            let mut b = bytes.clone();
            b[i] ^= 4;
            let err = build(&b).unwrap_err().to_string();
            assert!(err.contains("checksum"), "{err}");
        }
        // Not a snapshot; another version.
        let err = build(b"lima | PLACE | Lima |").unwrap_err().to_string();
        assert!(err.contains("not a Quipu snapshot"), "{err}");
        let mut b = bytes.clone();
        b[16] = b'9';
        let err = build(&b).unwrap_err().to_string();
        assert!(err.contains("make the snapshot again"), "{err}");
        // With gazetteers of its own, the builder refuses.
        let g = Gazetteer::parse_text("mine.gaz", "x | PLACE | Xanadu |").unwrap();
        let err = Tagger::builder()
            .gazetteer(g)
            .build_from_snapshot(&bytes)
            .unwrap_err();
        assert_eq!(err.source_name(), "mine.gaz");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Two to five bytes of the body changed at once, the checksum made to match: what a
        /// single byte cannot reach (a count and the numbers it counts, a string's length and
        /// its bytes, two columns that must agree) is refused or harmless too.
        #[test]
        fn damage_in_several_places_is_refused_or_harmless(
            damage in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()),
                2..6,
            ),
        ) {
            let mut bytes = small().snapshot();
            let start = body_start(&bytes);
            for (at, v) in damage {
                let i = start + at.index(bytes.len() - start);
                bytes[i] = v;
            }
            read_damaged(bytes);
        }
    }

    /// Reads a damaged snapshot after making its checksum match: it must be refused with an
    /// error naming a byte, or tag, look up and list entities without a panic. True if read.
    fn read_damaged(bytes: Vec<u8>) -> bool {
        match Tagger::builder().build_from_snapshot(&reseal(bytes)) {
            Ok(t) => {
                t.tag(TEXT);
                t.entity("garcia");
                t.stats();
                t.entities();
                true
            }
            Err(e) => {
                assert_eq!(e.source_name(), "snapshot");
                assert!(e.message().starts_with("byte "), "{e}");
                false
            }
        }
    }

    #[test]
    fn damage_past_the_checksum_is_refused_or_harmless() {
        // Every byte of the body set to values that break lengths, indices, flags and UTF-8,
        // the checksum made to match: each snapshot is refused with an error, or tags
        // without a panic.
        let bytes = small().snapshot();
        let start = body_start(&bytes);
        let mut refused = 0;
        let mut read = 0;
        for i in start..bytes.len() {
            for v in [
                0,
                1,
                2,
                0x7f,
                0x80,
                0xff,
                bytes[i] ^ 1,
                bytes[i].wrapping_add(1),
            ] {
                let mut b = bytes.clone();
                b[i] = v;
                if read_damaged(b) {
                    read += 1;
                } else {
                    refused += 1;
                }
            }
        }
        assert!(
            refused > 1000 && read > 100,
            "{refused} refused, {read} read"
        );
    }
}
