//! Normalised mutual information between two partitions (used by the coalition tests and by
//! the benchmarks that compare detected coalitions with planted ones, docs/interfaces.md §9).

use std::collections::BTreeMap;

/// Normalised mutual information of two labellings of the same items, with the arithmetic-mean
/// normalisation (Danon et al. 2005; scikit-learn's `normalized_mutual_info_score` default):
///
/// `NMI(A, B) = 2 I(A; B) / (H(A) + H(B))`, with
/// `I(A; B) = Σ_ij (n_ij / n) ln( n·n_ij / (a_i b_j) )` and `H(A) = -Σ_i (a_i / n) ln(a_i / n)`,
///
/// where `n_ij` counts items labelled i in A and j in B, `a_i` and `b_j` are the marginals.
/// In [0, 1]; 1 when the partitions are equal up to renaming. When both partitions have a
/// single block (both entropies 0) the result is 1, as in scikit-learn.
/// `None` when the lengths differ or there are no items.
pub fn nmi<A: Ord, B: Ord>(a: &[A], b: &[B]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let n = a.len() as f64;
    let mut ca: BTreeMap<&A, f64> = BTreeMap::new();
    let mut cb: BTreeMap<&B, f64> = BTreeMap::new();
    let mut cab: BTreeMap<(&A, &B), f64> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *ca.entry(x).or_default() += 1.0;
        *cb.entry(y).or_default() += 1.0;
        *cab.entry((x, y)).or_default() += 1.0;
    }
    let entropy = |counts: &mut dyn Iterator<Item = f64>| -> f64 {
        counts.map(|c| -(c / n) * (c / n).ln()).sum::<f64>()
    };
    let ha = entropy(&mut ca.values().copied());
    let hb = entropy(&mut cb.values().copied());
    if ha == 0.0 && hb == 0.0 {
        return Some(1.0);
    }
    let mut mi = 0.0;
    for ((x, y), nij) in &cab {
        mi += (nij / n) * (n * nij / (ca[x] * cb[y])).ln();
    }
    Some((2.0 * mi / (ha + hb)).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_up_to_renaming() {
        assert_eq!(nmi(&[0, 0, 1, 1], &["x", "x", "y", "y"]), Some(1.0));
    }

    #[test]
    fn independent_partitions() {
        // Every cell n_ij = 1, a_i = b_j = 2, n = 4: I = Σ (1/4) ln(4·1/(2·2)) = 0.
        assert_eq!(nmi(&[0, 0, 1, 1], &[0, 1, 0, 1]), Some(0.0));
    }

    #[test]
    fn hand_computed_value() {
        // A = [0,0,0,1], B = [0,0,1,1]; n = 4.
        // H(A) = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.5623351446; H(B) = ln 2 = 0.6931471806.
        // cells: (0,0)=2, (0,1)=1, (1,1)=1.
        // I = 2/4 ln(4·2/(3·2)) + 1/4 ln(4·1/(3·2)) + 1/4 ln(4·1/(1·2))
        //   = 0.5 ln(4/3) + 0.25 ln(2/3) + 0.25 ln 2 = 0.2157615543.
        // NMI = 2·0.2157615543 / (0.5623351446 + 0.6931471806) = 0.3437110184.
        let v = nmi(&[0, 0, 0, 1], &[0, 0, 1, 1]).unwrap();
        assert!((v - 0.343_711_018_4).abs() < 1e-9, "{v}");
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(nmi::<i32, i32>(&[], &[]), None);
        assert_eq!(nmi(&[1], &[1, 2]), None);
        assert_eq!(nmi(&[5, 5], &[1, 1]), Some(1.0));
        // One side a single block, the other not: I = 0, NMI = 0.
        assert_eq!(nmi(&[5, 5], &[1, 2]), Some(0.0));
    }
}
