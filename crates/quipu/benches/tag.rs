//! Placeholder; the real benchmark comes with the core issue.
fn main() {}
