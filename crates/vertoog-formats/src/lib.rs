//! Reading and writing maps: CSV and JSON bundles (domain.md), Discourse Network Analyzer
//! databases, and the graph formats for Graphviz and Gephi. Readers never stop at the first
//! error: they return every error of a file, each naming file, line and field.

pub mod dna;
