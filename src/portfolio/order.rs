//! The one sort of the portfolio calls (rollup's ids, prioritise's order):
//! items ordered by three numbers, then by an id, then by their place as
//! given. The numbers decide almost every comparison, so a million items
//! sort without comparing their ids byte by byte (which took 40–60 % of
//! those calls in WebAssembly), and one copy of the sort serves every call.

/// An item to sort: `key` first (the id's leading bytes among it where
/// the id orders the items), then `id`, then `at` (its place as given, so
/// the order is the one a stable sort would give).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Keyed<'a> {
    pub key: [u64; 3],
    pub id: &'a str,
    pub at: u32,
}

/// Sorts by key, then id, then place.
pub(crate) fn sort_keyed(items: &mut [Keyed]) {
    items.sort_unstable_by(|a, b| {
        a.key
            .cmp(&b.key)
            .then_with(|| a.id.cmp(b.id))
            .then(a.at.cmp(&b.at))
    });
}

/// The length of the prefix every id shares (their leading bytes say
/// nothing about their order).
pub(crate) fn shared_prefix<'a>(mut ids: impl Iterator<Item = &'a str>) -> usize {
    let Some(first) = ids.next() else { return 0 };
    let first = first.as_bytes();
    ids.fold(first.len(), |n, id| {
        first[..n]
            .iter()
            .zip(id.as_bytes())
            .take_while(|(a, b)| a == b)
            .count()
    })
}

/// Eight bytes of `id` after its first `skip` as a number that orders as
/// they do (missing bytes as 0: equal numbers leave the order to the
/// whole ids).
pub(crate) fn id_key(id: &str, skip: usize) -> u64 {
    let tail = id.as_bytes().get(skip..).unwrap_or_default();
    let mut bytes = [0u8; 8];
    let n = tail.len().min(8);
    bytes[..n].copy_from_slice(&tail[..n]);
    u64::from_be_bytes(bytes)
}

/// A number that orders as `x.total_cmp` does.
pub(crate) fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::prioritise::candidates;
    use crate::portfolio::{priority_order, Objective, PriorityRow};

    #[test]
    fn f64_key_orders_as_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            2.5,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for a in xs {
            for b in xs {
                assert_eq!(f64_key(a).cmp(&f64_key(b)), a.total_cmp(&b), "{a} {b}");
            }
        }
    }

    /// The order the comparator gave before the keyed sort: priority
    /// (highest first), score (retention: lowest first; growth: highest),
    /// id, place (a stable sort).
    fn reference(rows: &[PriorityRow], objective: Objective) -> Vec<(usize, f64)> {
        let mut out = candidates(rows, objective);
        out.sort_by(|&(a, pa), &(b, pb)| {
            let (sa, sb) = (rows[a].score.unwrap_or(0.0), rows[b].score.unwrap_or(0.0));
            let tie = match objective {
                Objective::Retention => sa.total_cmp(&sb),
                Objective::Growth => sb.total_cmp(&sa),
            };
            pb.total_cmp(&pa)
                .then(tie)
                .then_with(|| rows[a].id.cmp(rows[b].id))
        });
        out
    }

    #[test]
    fn priority_order_is_the_comparators() {
        // Many ties: few scores and values, ids that share long prefixes,
        // differ past eight bytes, repeat, or hold zero bytes.
        let ids: Vec<String> = (0..3000u32)
            .map(|i| match i % 5 {
                0 => format!("customer-0000{}", i % 97),
                1 => format!("customer-0000{}\0", i % 89),
                2 => format!("c{}", i % 7),
                3 => format!("customer-0000{}-eu-{}", i % 13, i % 3),
                _ => String::new(),
            })
            .collect();
        let rows: Vec<PriorityRow> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| PriorityRow {
                score: (i % 11 != 0).then_some(f64::from((i * 37 % 7) as u32) * 12.5),
                value: (i % 4 != 0).then_some(f64::from((i % 3) as u32) - 0.0),
                top_band: i % 3 == 0,
                rising: i % 5 == 0,
                id,
            })
            .collect();
        for objective in [Objective::Retention, Objective::Growth] {
            let got = priority_order(&rows, objective);
            let want = reference(&rows, objective);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.0, w.0);
                assert_eq!(g.1.to_bits(), w.1.to_bits());
            }
        }
    }
}
