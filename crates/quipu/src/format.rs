//! Output formats (filled in by the command-line work).
