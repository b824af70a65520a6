//! Every computation of analysis.md, as pure functions of (map data, settings, time window):
//! no I/O, no clock, no unseeded randomness. Same input, same output.

pub mod dna_networks;
pub mod polarization;
