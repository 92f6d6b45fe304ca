//! What the oracle and the property tests share, written out independently of the library.

/// Every spelling of an apostrophe a possessive may start with, mis-decoded ones included.
pub const APOSTROPHES: &[&str] = &[
    "'",
    "\u{2019}",
    "\u{2018}",
    "`",
    "\u{B4}",
    "\u{2BC}",
    "\u{2032}",
    "\u{FF07}",
    "?",
    "\u{FFFD}",
    "â€™",
    "â€˜",
    "Ã¢â‚¬â„¢",
    "â\u{80}\u{99}",
];
