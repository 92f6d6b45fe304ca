//! Evaluation against gold annotations (filled in by the evaluation work).
