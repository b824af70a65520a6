//! Import of Discourse Network Analyzer databases (domain.md). Owned by the DNA work.
