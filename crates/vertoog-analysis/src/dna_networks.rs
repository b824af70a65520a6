//! DNA-compatible discourse networks (dna-networks.md). Owned by the DNA work.
