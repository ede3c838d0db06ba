//! Outcome metrics: ROC AUC with exact ties, top-decile lift, ROC points.
//! A low score means risk: the predictor of churn is the score, reversed.

/// Average ranks (1-based) of `xs` in ascending order; ties share the mean rank.
fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

/// ROC AUC of "a lower score means churn": the probability that a retained
/// account scores higher than a churned one, ties counting one half
/// (Mann–Whitney with average ranks). None without both outcomes.
pub fn auc(scores: &[f64], churned: &[bool]) -> Option<f64> {
    let n_c = churned.iter().filter(|c| **c).count();
    let n_r = churned.len() - n_c;
    if n_c == 0 || n_r == 0 {
        return None;
    }
    let r = ranks(scores);
    let sum_r: f64 = r
        .iter()
        .zip(churned)
        .filter(|(_, c)| !**c)
        .map(|(x, _)| x)
        .sum();
    Some((sum_r - (n_r * (n_r + 1)) as f64 / 2.0) / (n_r as f64 * n_c as f64))
}

/// Churn rate among the lowest-scoring `share` of accounts divided by the
/// overall churn rate. Ties at the cut are counted fractionally (each tied
/// account contributes the tie group's churn rate), so the result does not
/// depend on the order of equal scores.
pub fn lift(scores: &[f64], churned: &[bool], share: f64) -> Option<f64> {
    let n = scores.len();
    let total: usize = churned.iter().filter(|c| **c).count();
    if n == 0 || total == 0 {
        return None;
    }
    let k = ((n as f64 * share).ceil() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let cut = scores[order[k - 1]];
    let below: Vec<usize> = order.iter().copied().filter(|&i| scores[i] < cut).collect();
    let tied: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| scores[i] == cut)
        .collect();
    let churn_below = below.iter().filter(|&&i| churned[i]).count() as f64;
    let churn_tied = tied.iter().filter(|&&i| churned[i]).count() as f64;
    let take = (k - below.len()) as f64;
    let expected = churn_below + take * churn_tied / tied.len() as f64;
    Some((expected / k as f64) / (total as f64 / n as f64))
}

/// ROC curve points `[false positive rate, true positive rate]` for "score
/// below a threshold means churn", one point per distinct score (at most
/// `max_points`, evenly thinned), from (0, 0) to (1, 1).
pub fn roc(scores: &[f64], churned: &[bool], max_points: usize) -> Vec<[f64; 2]> {
    let n_c = churned.iter().filter(|c| **c).count() as f64;
    let n_r = churned.len() as f64 - n_c;
    if n_c == 0.0 || n_r == 0.0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut pts = vec![[0.0, 0.0]];
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        let s = scores[order[i]];
        while i < order.len() && scores[order[i]] == s {
            if churned[order[i]] {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            i += 1;
        }
        pts.push([fp / n_r, tp / n_c]);
    }
    if pts.len() > max_points.max(2) {
        let step = (pts.len() - 1) as f64 / (max_points.max(2) - 1) as f64;
        pts = (0..max_points.max(2))
            .map(|k| pts[((k as f64 * step).round() as usize).min(pts.len() - 1)])
            .collect();
    }
    pts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_with_ties_by_hand() {
        // Churned score 10, 20, 20; retained 20, 30.
        // Pairs (retained, churned): 20>10 1, 20=20 ½, 20=20 ½, 30>10 1, 30>20 1, 30>20 1 → 5/6.
        let s = [10.0, 20.0, 20.0, 20.0, 30.0];
        let c = [true, true, true, false, false];
        assert!((auc(&s, &c).unwrap() - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(auc(&[1.0, 2.0], &[true, true]), None);
        // All tied: ½.
        assert_eq!(auc(&[5.0; 4], &[true, false, true, false]), Some(0.5));
    }

    #[test]
    fn lift_by_hand() {
        // 10 accounts, 2 churned (rate 0.2); the lowest 10 % is one account.
        let s: Vec<f64> = (0..10).map(f64::from).collect();
        let mut c = [false; 10];
        c[0] = true;
        c[5] = true;
        assert_eq!(lift(&s, &c, 0.1), Some(5.0)); // 1.0 / 0.2
                                                  // The lowest two tie (one churned): the cut takes half a churner.
        let s2 = [0.0, 0.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        let c2 = [
            true, false, false, false, false, true, false, false, false, false,
        ];
        assert_eq!(lift(&s2, &c2, 0.1), Some(2.5)); // 0.5 / 0.2
    }

    #[test]
    fn roc_runs_from_origin_to_one() {
        let pts = roc(&[1.0, 2.0, 3.0, 4.0], &[true, false, true, false], 100);
        assert_eq!(pts.first(), Some(&[0.0, 0.0]));
        assert_eq!(pts.last(), Some(&[1.0, 1.0]));
        assert_eq!(pts[1], [0.0, 0.5]);
    }
}
