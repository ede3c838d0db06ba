//! `suggest`'s fit on weights of evidence, one Newton step per call: a
//! logistic regression of churn on each kept column's weight of evidence
//! gives each column a coefficient; columns whose coefficient comes out
//! reversed (their signal carried by the others) are set aside at 0 and
//! the rest fitted again. Then the per-bin refinement ([`super::refine`])
//! starts from it: every bin, set-aside columns' included, carries what it
//! adds, and numeric bins are put back in order.

use super::*;

/// The fit in progress: the columns kept and set aside, the rows' weights
/// of evidence in the kept columns, and Newton's method on them.
pub(super) struct WoeFit {
    kept: Vec<Feature>,
    aside: Vec<Feature>,
    x: Vec<f64>,
    newton: logistic::Newton,
}

/// Newton steps one fit may take.
const MAX_STEPS: usize = 100;

impl Suggester {
    /// One Newton step of the fit (the first call also keeps the
    /// [`MAX_MEASURES`] columns with the most information); false once it
    /// is done and the refinement is set up.
    pub(super) fn fit_step(&mut self) -> bool {
        let mut fit = match self.woe_fit.take() {
            Some(fit) => fit,
            None => {
                self.keep_the_most_informative();
                let kept = std::mem::take(&mut self.features);
                if kept.is_empty() {
                    self.end_fit(kept, Vec::new(), Vec::new());
                    return false;
                }
                self.woe_fit_of(kept, Vec::new())
            }
        };
        if fit.newton.step(&fit.x, &self.train.churned) {
            self.woe_fit = Some(fit);
            return true;
        }
        let WoeFit {
            mut kept,
            mut aside,
            newton,
            ..
        } = fit;
        let lr = newton.result();
        self.converged = lr.converged;
        // A weight of evidence is evidence of staying: its coefficient on
        // churn must be negative.
        let wrong: Vec<usize> = (0..kept.len()).filter(|&j| lr.coef[j] >= 0.0).collect();
        if wrong.is_empty() {
            self.end_fit(kept, aside, lr.coef);
            return false;
        }
        for &j in wrong.iter().rev() {
            aside.push(kept.remove(j));
        }
        if kept.is_empty() {
            self.end_fit(kept, aside, Vec::new());
            return false;
        }
        self.woe_fit = Some(self.woe_fit_of(kept, aside));
        true
    }

    /// At most [`MAX_MEASURES`] columns, those with the most information.
    fn keep_the_most_informative(&mut self) {
        if self.features.len() <= MAX_MEASURES {
            return;
        }
        self.features.sort_by(|a, b| b.iv.total_cmp(&a.iv));
        for f in self.features.drain(MAX_MEASURES..) {
            let name = &self.train.columns[f.column].name;
            if let Some(u) = self.uses.iter_mut().find(|u| &u.column == name) {
                u.used = false;
                u.note = format!(
                    "left out: {MAX_MEASURES} columns with a higher information value are used"
                );
            }
        }
        self.features.sort_by_key(|f| f.column);
    }

    /// A fit of the `kept` columns, not started.
    fn woe_fit_of(&self, kept: Vec<Feature>, aside: Vec<Feature>) -> WoeFit {
        let y = &self.train.churned;
        let p = kept.len();
        let mut x = Vec::with_capacity(y.len() * p);
        for r in 0..y.len() {
            x.extend(kept.iter().map(|f| f.row_woe(r)));
        }
        WoeFit {
            newton: logistic::Newton::new(p, y, self.opts.lambda, MAX_STEPS),
            kept,
            aside,
            x,
        }
    }

    /// Each kept column's points per bin from its coefficient, the set-aside
    /// ones at 0 (and named as reversed), and the refinement set up.
    fn end_fit(&mut self, mut kept: Vec<Feature>, mut aside: Vec<Feature>, coef: Vec<f64>) {
        let mut theta: Vec<Vec<f64>> = kept
            .iter()
            .zip(&coef)
            .map(|(f, b)| {
                f.woe
                    .iter()
                    .chain([&f.missing_woe])
                    .map(|w| b * w)
                    .collect()
            })
            .collect();
        let reversed = kept.len();
        for f in &aside {
            theta.push(vec![0.0; f.counts.len() + 1]);
            let name = &self.train.columns[f.column].name;
            if let Some(u) = self.uses.iter_mut().find(|u| &u.column == name) {
                u.note.push_str("; with the other columns in the model its own effect reverses, so its points follow what it adds to them, not its own churn rates");
                self.warnings
                    .push(checks::reversed(name, u.information_value));
            }
        }
        kept.append(&mut aside);
        self.features = kept;
        self.reversed = reversed;
        let cols = bins(&self.features, reversed);
        self.refinement = Some(refine::Refinement::new(
            &cols,
            &theta,
            &self.train.churned,
            REFINE_PENALTY,
            REFINE_ITERATIONS,
        ));
        self.theta = theta;
    }
}
