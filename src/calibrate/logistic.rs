//! L2-regularised logistic regression by Newton's method: deterministic (no
//! randomness, a fixed iteration budget) and exact enough for the few dozen
//! features calibration uses.

/// A fitted logistic model: `P(y) = σ(intercept + Σ coef·x)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Logistic {
    /// The intercept (not penalised).
    pub intercept: f64,
    /// One coefficient per feature.
    pub coef: Vec<f64>,
    /// Newton steps taken.
    pub iterations: usize,
    /// Whether the largest step fell below 1e-9 within the budget.
    pub converged: bool,
}

/// Fits `y ~ x`, where `x` holds `rows` rows of `p` features, row-major,
/// with the penalty `lambda · Σ coef²/2` (scikit-learn's `C = 1/lambda`).
pub fn fit(x: &[f64], p: usize, y: &[bool], lambda: f64, max_iter: usize) -> Logistic {
    debug_assert_eq!(x.len(), y.len() * p);
    let mut newton = Newton::new(p, y, lambda, max_iter);
    while newton.step(x, y) {}
    newton.result()
}

/// [`fit`] one Newton step at a time, so a caller can report progress
/// between steps: `new`, `step` (with the same `x` and `y`) until it says
/// done, `result`.
pub struct Newton {
    p: usize,
    k: usize,
    w: Vec<f64>,
    g: Vec<f64>,
    h: Vec<f64>,
    row: Vec<f64>,
    lambda: f64,
    max_iter: usize,
    /// Newton steps taken.
    pub iterations: usize,
    converged: bool,
    done: bool,
}

impl Newton {
    /// Starts at the intercept of the churn rate, every coefficient 0.
    pub fn new(p: usize, y: &[bool], lambda: f64, max_iter: usize) -> Newton {
        let n = y.len();
        let k = p + 1; // the intercept first
        let mut w = vec![0.0; k];
        let n_pos = y.iter().filter(|v| **v).count() as f64;
        if n_pos > 0.0 && n_pos < n as f64 {
            w[0] = (n_pos / (n as f64 - n_pos)).ln();
        }
        Newton {
            p,
            k,
            w,
            g: vec![0.0; k],
            h: vec![0.0; k * k],
            row: vec![0.0; k],
            lambda,
            max_iter,
            iterations: 0,
            converged: false,
            done: max_iter == 0,
        }
    }

    /// One Newton step; false once done (converged, singular, or out of
    /// steps).
    pub fn step(&mut self, x: &[f64], y: &[bool]) -> bool {
        if self.done {
            return false;
        }
        let Newton {
            p,
            k,
            w,
            g,
            h,
            row,
            lambda,
            ..
        } = self;
        let (p, k, lambda) = (*p, *k, *lambda);
        self.iterations += 1;
        g.fill(0.0);
        h.fill(0.0);
        for (i, &yi) in y.iter().enumerate() {
            row[0] = 1.0;
            row[1..].copy_from_slice(&x[i * p..(i + 1) * p]);
            let z: f64 = row.iter().zip(w.iter()).map(|(a, b)| a * b).sum();
            let pr = 1.0 / (1.0 + (-z).exp());
            let r = pr - f64::from(u8::from(yi));
            let s = pr * (1.0 - pr);
            for a in 0..k {
                let xa = row[a];
                g[a] += r * xa;
                let sa = s * xa;
                let line = &mut h[a * k..(a + 1) * k];
                for b in a..k {
                    line[b] += sa * row[b];
                }
            }
        }
        for a in 1..k {
            g[a] += lambda * w[a];
            h[a * k + a] += lambda;
        }
        for a in 0..k {
            for b in 0..a {
                h[a * k + b] = h[b * k + a];
            }
            h[a * k + a] += 1e-12; // keeps a constant feature solvable
        }
        let Some(step) = solve_in_place(h, g, k) else {
            self.done = true;
            return false;
        };
        let mut largest: f64 = 0.0;
        for a in 0..k {
            w[a] -= step[a];
            largest = largest.max(step[a].abs());
        }
        if largest < 1e-9 {
            self.converged = true;
            self.done = true;
        } else if self.iterations >= self.max_iter {
            self.done = true;
        }
        !self.done
    }

    /// The fitted model.
    pub fn result(self) -> Logistic {
        Logistic {
            intercept: self.w[0],
            coef: self.w[1..].to_vec(),
            iterations: self.iterations,
            converged: self.converged,
        }
    }
}

/// Solves `H · s = g` by Cholesky (H symmetric positive definite; H is
/// overwritten).
pub(crate) fn solve_in_place(h: &mut [f64], g: &[f64], k: usize) -> Option<Vec<f64>> {
    for j in 0..k {
        let mut d = h[j * k + j];
        for m in 0..j {
            d -= h[j * k + m] * h[j * k + m];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        h[j * k + j] = d;
        for i in j + 1..k {
            let mut v = h[i * k + j];
            for m in 0..j {
                v -= h[i * k + m] * h[j * k + m];
            }
            h[i * k + j] = v / d;
        }
    }
    let mut z = vec![0.0; k];
    for i in 0..k {
        let mut v = g[i];
        for m in 0..i {
            v -= h[i * k + m] * z[m];
        }
        z[i] = v / h[i * k + i];
    }
    let mut s = vec![0.0; k];
    for i in (0..k).rev() {
        let mut v = z[i];
        for m in i + 1..k {
            v -= h[m * k + i] * s[m];
        }
        s[i] = v / h[i * k + i];
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_model() {
        // y = 1 with probability σ(4a − 2) for a uniform a: the slope is 4,
        // the intercept −2.
        let mut state = 7u64;
        let mut rnd = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut x = Vec::new();
        let mut y = Vec::new();
        for _ in 0..4000 {
            let a = rnd();
            let p = 1.0 / (1.0 + (-(4.0 * a - 2.0)).exp());
            x.push(a);
            y.push(rnd() < p);
        }
        let m = fit(&x, 1, &y, 0.0, 50);
        assert!(m.converged);
        assert!((m.coef[0] - 4.0).abs() < 0.5, "{:?}", m);
        assert!((m.intercept + 2.0).abs() < 0.3, "{:?}", m);
    }
}
