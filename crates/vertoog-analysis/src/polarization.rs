//! DNA polarisation score (dna-networks.md). Owned by the DNA work.
