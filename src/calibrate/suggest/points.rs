//! The end of `suggest`: points per bin from the fitted coefficients (the
//! rules of the model), band edges by shares of the training rows, checked
//! on the held-out rows (fewer bands when churn does not fall band by band).

use super::*;

/// The model before its bands, and the scores it gives the training and
/// held-out rows (sorted), for the bands.
pub(super) struct Draft {
    spec: ModelSpec,
    n_bands: usize,
    train: Vec<(f64, bool)>,
    test: Vec<(f64, bool)>,
}

impl Suggester {
    /// The rules of the model from the points per bin, and every row
    /// scored by it (the first of the last two steps).
    pub(super) fn draft_model(&mut self) -> Result<Draft, Error> {
        let factor = POINTS_TO_DOUBLE / std::f64::consts::LN_2;
        let weighted = self.opts.aggregation == Aggregation::Weighted;
        let mut measures = Vec::new();
        for (f, theta) in self.features.iter().zip(&self.theta) {
            let name = self.train.columns[f.column].name.clone();
            let raw = |t: f64| -t * factor;
            let otherwise = matches!(f.bins, Bins::Categorical { .. }).then(|| raw(0.0));
            let lowest = theta
                .iter()
                .map(|t| raw(*t))
                .chain(otherwise)
                .fold(f64::INFINITY, f64::min);
            let points = |t: f64| (raw(t) - lowest).round() + 0.0;
            let bins = f.counts.len();
            let scores: Vec<f64> = theta[..bins].iter().map(|t| points(*t)).collect();
            let missing_score = points(theta[bins]);
            if scores.iter().all(|s| *s == scores[0]) {
                if let Some(u) = self.uses.iter_mut().find(|u| u.column == name) {
                    u.used = false;
                    u.note = "left out: every bin rounds to the same points".into();
                }
                continue;
            }
            let rule = match &f.bins {
                Bins::Numeric { thresholds } => Rule::Steps {
                    thresholds: thresholds.clone(),
                    scores: scores.clone(),
                },
                Bins::Boolean => Rule::Flag {
                    if_true: scores[1],
                    if_false: scores[0],
                },
                Bins::Categorical { values } => {
                    // The pooled rare values score as `otherwise`, like any
                    // value not seen; without them, an unseen value is neutral.
                    let other = values
                        .iter()
                        .position(|vs| vs.iter().any(|v| v == profile::OTHER));
                    Rule::Match {
                        scores: values
                            .iter()
                            .zip(&scores)
                            .flat_map(|(vs, s)| {
                                vs.iter()
                                    .filter(|v| *v != profile::OTHER)
                                    .map(move |v| (v.clone(), *s))
                            })
                            .collect::<BTreeMap<_, _>>(),
                        otherwise: Some(other.map_or_else(|| points(0.0), |g| scores[g])),
                    }
                }
            };
            let (lo, hi) = crate::model::rules::bounds(&rule).unwrap_or((0.0, 1.0));
            let span = hi.max(missing_score) - lo.min(missing_score);
            measures.push(MeasureSpec {
                id: name.clone(),
                label: name.clone(),
                description: Some(format!(
                    "Suggested from {} rows: {}.",
                    self.train.len(),
                    self.uses
                        .iter()
                        .find(|u| u.column == name)
                        .map_or("", |u| u.note.as_str())
                )),
                weight: weighted.then_some(span),
                source: crate::model::Source::Data,
                actionable: self.opts.not_actionable.contains(&name).then_some(false),
                missing: MissingPolicy::Impute,
                rule,
                series: None,
                per: None,
                half_life_days: None,
                missing_score: Some(missing_score),
                stale_after_days: None,
                missing_values: f.missing_values.clone(),
            });
        }
        if measures.is_empty() {
            return Err(Error::new(
                "no_columns",
                "",
                "no column separates churned from retained accounts well enough to become a measure",
                "give columns that vary with the outcome; see each column's note in the options' skip list",
            ));
        }
        let n_bands = self.opts.band_shares.len();
        let spec = ModelSpec {
            low_coverage_below: crate::model::spec::defaults::low_coverage_below(),
            coverage_penalty: 0.0,
            stale_after_days: None,
            overrides: Vec::new(),
            version: 1,
            id: self.opts.model_id.clone(),
            name: "Suggested from data".into(),
            description: Some(format!(
                "Built by suggest() from {} labelled rows ({} held out): each column binned; points per bin from a regularised logistic regression (weight of evidence, then per bin); {} points double the odds of staying.",
                self.table.len(),
                self.test.len(),
                POINTS_TO_DOUBLE
            )),
            aggregation: self.opts.aggregation,
            missing: MissingPolicy::Skip,
            min_coverage: 0.5,
            range: None,
            bands: default_bands(n_bands),
            categories: vec![CategorySpec {
                id: "signals".into(),
                label: "Signals".into(),
                weight: weighted.then_some(100.0),
                combine: crate::model::Combine::Average,
                measures,
            }],
            caps: Vec::new(),
            alerts: Default::default(),
            playbooks: Vec::new(),
        };
        let draft = Model::from_spec(&spec).map_err(|e| e.0[0].clone())?;
        let pairs = |m: &Model, t: &Table| {
            let s = m.score_table(t, false);
            let mut p: Vec<(f64, bool)> = (0..t.len())
                .filter(|&r| !s.scores[r].is_nan())
                .map(|r| (s.scores[r], t.churned[r]))
                .collect();
            p.sort_by(|a, b| a.0.total_cmp(&b.0));
            p
        };
        let train = pairs(&draft, &self.train);
        let test = pairs(&draft, &self.test);
        Ok(Draft {
            spec,
            n_bands,
            train,
            test,
        })
    }

    /// The bands (by shares of the training rows, fewer when churn does not
    /// fall band by band on the held-out rows), the playbooks, and the
    /// model judged on the held-out rows (the last step).
    pub(super) fn finish_model(&mut self, draft: Draft) -> Result<Suggestion, Error> {
        let Draft {
            mut spec,
            n_bands,
            train,
            test,
        } = draft;
        // Bands by shares of the training rows; fewer bands when churn does
        // not fall from band to band on the held-out rows.
        let mut note = None;
        let mut shares = self.opts.band_shares.clone();
        loop {
            let mut bands = default_bands(shares.len());
            let edges = edges_by_shares(&train, &shares);
            set_edges(&mut bands, &edges);
            let held = outcomes(&bands, &edges, &test);
            if falling(&held) || shares.len() <= 2 {
                if !falling(&held) {
                    note = Some(format!(
                        "the held-out rows do not show churn falling from band to band even with two bands ({}): the columns carry little signal",
                        rates(&held)
                    ));
                } else if shares.len() < n_bands {
                    note = note.or(Some(format!(
                        "the held-out rows support {} bands, not {n_bands}",
                        shares.len()
                    )));
                }
                spec.bands = bands;
                spec.playbooks = playbooks::default_playbooks(&spec.bands);
                break;
            }
            note = Some(format!(
                "with {} bands churn would not fall from band to band on the held-out rows ({}), so there are fewer",
                shares.len(),
                rates(&held)
            ));
            shares = merge_lowest(&shares);
        }
        let model = Model::from_spec(&spec).map_err(|e| e.0[0].clone())?;
        let backtest = model.backtest(&self.test);
        let held = backtest.bands[..model.bands().len()].to_vec();
        let mut errors = self.table.errors.clone();
        errors.sort_by_key(|e| e.index);
        Ok(Suggestion {
            model: spec,
            columns: std::mem::take(&mut self.uses),
            bands: BandCheck {
                falling: falling(&held),
                outcomes: held,
                note,
            },
            backtest,
            outcome: self.table.outcome.clone(),
            train_rows: self.train.len(),
            test_rows: self.test.len(),
            converged: self.converged,
            errors,
            warnings: std::mem::take(&mut self.warnings),
        })
    }
}

/// Two bands, at risk and healthy, split where the lowest band was.
fn merge_lowest(shares: &[f64]) -> Vec<f64> {
    vec![shares[0], 1.0 - shares[0]]
}

fn rates(o: &[BandOutcome]) -> String {
    o.iter()
        .map(|b| {
            b.churn_rate
                .map_or("–".into(), |r| format!("{:.1} %", 100.0 * r))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// At risk, watch, healthy (two bands: at risk and healthy; more: numbered).
fn default_bands(n: usize) -> Vec<BandSpec> {
    let palette = [
        ("at_risk", "At risk", "#d55e00"),
        ("watch", "Watch", "#e69f00"),
        ("healthy", "Healthy", "#009e73"),
    ];
    (0..n.max(1))
        .map(|i| {
            let (id, label, color) = match n {
                2 => [palette[0], palette[2]][i],
                3 => palette[i],
                _ if i == 0 => palette[0],
                _ if i == n - 1 => palette[2],
                _ => ("", "", "#e69f00"),
            };
            let (id, label) = if id.is_empty() {
                (format!("band_{}", i + 1), format!("Band {}", i + 1))
            } else {
                (id.to_string(), label.to_string())
            };
            BandSpec {
                id,
                label,
                color: color.into(),
                from: Some((100 * i / n.max(1)) as f64),
                above: None,
            }
        })
        .collect()
}
