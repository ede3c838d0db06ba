//! The deterministic generator the property tests share: random valid
//! models (every rule type, missing policies, caps, overrides, coverage
//! settings) and accounts for them, from a seed.

use customer_health::Model;
use serde_json::{json, Value};

pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Distinct sorted numbers (rounded to 2 decimals so they stay distinct).
    pub fn sorted(&mut self, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        let mut xs: Vec<f64> = Vec::new();
        while xs.len() < n {
            let x = (self.float(lo, hi) * 100.0).round() / 100.0;
            if !xs.contains(&x) {
                xs.push(x);
            }
        }
        xs.sort_by(f64::total_cmp);
        xs
    }
    pub fn scores(&mut self, n: usize, rising: bool) -> Vec<f64> {
        let mut ys = self.sorted(n, -50.0, 50.0);
        if !rising && self.below(2) == 0 {
            ys.reverse();
        }
        if !rising && self.below(3) == 0 {
            // Non-monotonic: swap two.
            let (a, b) = (self.below(n as u64) as usize, self.below(n as u64) as usize);
            ys.swap(a, b);
            if ys.iter().all(|y| *y == ys[0]) {
                ys[0] += 1.0;
            }
        }
        ys
    }

    /// A random rule; `rising` forces a non-decreasing rule.
    pub fn rule(&mut self, rising: bool, points_model: bool) -> Value {
        match self.below(7) {
            6 => {
                let n = 2 + self.below(5) as usize;
                let mut q = self.sorted(n, -10.0, 100.0);
                if n >= 3 && self.below(2) == 0 {
                    q[1] = q[0]; // a run of equal quantiles
                }
                json!({ "type": "percentile", "quantiles": q })
            }
            0 => {
                let n = 1 + self.below(3) as usize;
                json!({ "type": "steps", "thresholds": self.sorted(n, -10.0, 100.0), "scores": self.scores(n + 1, rising) })
            }
            1 => {
                let n = 2 + self.below(3) as usize;
                let xs = self.sorted(n, -10.0, 100.0);
                let ys = self.scores(n, rising);
                json!({ "type": "linear", "points": xs.iter().zip(&ys).map(|(x, y)| json!([x, y])).collect::<Vec<_>>() })
            }
            2 => {
                let p = (self.float(1.0, 20.0) * 10.0).round() / 10.0;
                let p = if rising || self.below(2) == 0 { p } else { -p };
                if points_model && self.below(4) == 0 {
                    json!({ "type": "perEvent", "points": p })
                } else {
                    json!({ "type": "perEvent", "points": p, "maxEvents": 1 + self.below(5) })
                }
            }
            3 if !rising => {
                let a = self.float(-10.0, 10.0).round();
                json!({ "type": "flag", "ifTrue": a + 1.0 + self.below(5) as f64, "ifFalse": a })
            }
            4 if !rising => {
                json!({ "type": "match", "scores": { "a": 0, "b": self.float(1.0, 10.0), "c": self.float(-5.0, 5.0) } })
            }
            _ => {
                let lo = self.float(-5.0, 5.0).round();
                json!({ "type": "scale", "min": lo, "max": lo + 1.0 + self.below(10) as f64 })
            }
        }
    }

    /// A random valid value for a rule (or null).
    pub fn value(&mut self, rule: &Value) -> Value {
        if self.below(5) == 0 {
            return Value::Null;
        }
        match rule["type"].as_str().unwrap() {
            "perEvent" => json!(self.below(8)),
            "flag" => json!(self.below(2) == 0),
            "match" => json!(["a", "b", "c"][self.below(3) as usize]),
            "scale" => {
                json!(self.float(rule["min"].as_f64().unwrap(), rule["max"].as_f64().unwrap()))
            }
            _ => json!(self.float(-20.0, 120.0)),
        }
    }

    /// A cap on a random measure, of a kind its rule allows.
    pub fn cap(&mut self, doc: &Value) -> Value {
        let measures: Vec<&Value> = doc["categories"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["measures"].as_array().unwrap())
            .collect();
        let m = measures[self.below(measures.len() as u64) as usize];
        let (op, value) = match m["rule"]["type"].as_str().unwrap() {
            "flag" => (
                ["==", "!="][self.below(2) as usize],
                json!(self.below(2) == 0),
            ),
            "match" => (
                ["==", "!="][self.below(2) as usize],
                json!(["a", "b", "c"][self.below(3) as usize]),
            ),
            _ => (
                ["<", "<=", ">", ">=", "==", "!="][self.below(6) as usize],
                json!(self.float(-10.0, 60.0).round()),
            ),
        };
        json!({ "when": { "measure": m["id"], "op": op, "value": value }, "max": self.float(0.0, 100.0).round(), "reason": "random" })
    }

    pub fn model(&mut self, rising: bool) -> Value {
        let points = self.below(3) == 0;
        let policies = ["skip", "neutral", "worst", "impute"];
        let mut n = 0;
        let cats: Vec<Value> = (0..1 + self.below(3))
            .map(|c| {
                let measures: Vec<Value> = (0..1 + self.below(3))
                    .map(|_| {
                        n += 1;
                        let mut m = json!({ "id": format!("m{n}"), "rule": self.rule(rising, points), "missing": policies[self.below(4) as usize] });
                        if m["missing"] == "impute" {
                            m["missingScore"] = json!((self.float(-60.0, 60.0) * 10.0).round() / 10.0);
                        }
                        if !points {
                            m["weight"] = json!(1 + self.below(9));
                        }
                        m
                    })
                    .collect();
                let mut cat = json!({ "id": format!("c{c}"), "measures": measures });
                if !points {
                    cat["weight"] = json!(self.below(10) + u64::from(c == 0));
                    cat["combine"] = json!(["average", "min", "max"][self.below(3) as usize]);
                }
                cat
            })
            .collect();
        let mut doc = json!({
            "version": 1, "id": "random", "aggregation": if points { "points" } else { "weighted" },
            "minCoverage": self.float(0.0, 1.0),
            "bands": [
                { "id": "low", "label": "Low", "color": "#d55e00", "from": 0 },
                { "id": "mid", "label": "Mid", "color": "#e69f00", "from": self.float(1.0, 50.0) },
                { "id": "high", "label": "High", "color": "#009e73", "above": self.float(51.0, 99.0) }
            ],
            "categories": cats
        });
        if !rising && self.below(3) == 0 {
            doc["caps"] = Value::Array((0..1 + self.below(2)).map(|_| self.cap(&doc)).collect());
        }
        if !rising && self.below(3) == 0 {
            let overrides: Vec<Value> = (0..1 + self.below(3))
                .map(|_| {
                    let tests = |s: &mut Self| -> Vec<Value> {
                        (0..1 + s.below(2)).map(|_| s.cap(&doc)["when"].clone()).collect()
                    };
                    let mut when = json!({});
                    if self.below(2) == 0 {
                        when["all"] = json!(tests(self));
                    }
                    if when.get("all").is_none() || self.below(2) == 0 {
                        when["any"] = json!(tests(self));
                    }
                    let kind = ["set", "floor", "cap"][self.below(3) as usize];
                    json!({ "when": when, kind: self.float(0.0, 100.0).round(), "reason": "random" })
                })
                .collect();
            doc["overrides"] = Value::Array(overrides);
        }
        if self.below(3) == 0 {
            doc["coveragePenalty"] = json!(self.float(0.0, 1.0));
            doc["lowCoverageBelow"] = json!(self.float(0.0, 1.0));
        }
        let unbounded = doc.to_string().contains("\"perEvent\"")
            && !doc.to_string().contains("maxEvents")
            || points;
        if points && (unbounded && self.below(2) == 0 || self.below(3) == 0) {
            let lo = -self.float(0.0, 100.0);
            doc["range"] = json!([lo, lo + self.float(1.0, 200.0)]);
        }
        doc
    }
}

pub fn build(doc: &Value) -> Option<Model> {
    // A generated points model with an unbounded rule and no range is not
    // valid; such cases are skipped, every other generated model must be.
    match Model::from_json(&doc.to_string()) {
        Ok(m) => Some(m),
        Err(e) if e.all().iter().all(|e| e.code == "range_not_derivable") => None,
        Err(e) => panic!("generated model invalid: {:?}\n{doc}", e.all()),
    }
}

pub fn account(g: &mut Gen, doc: &Value) -> Value {
    let mut values = serde_json::Map::new();
    for c in doc["categories"].as_array().unwrap() {
        for m in c["measures"].as_array().unwrap() {
            values.insert(m["id"].as_str().unwrap().into(), g.value(&m["rule"]));
        }
    }
    json!({ "id": "a", "values": values })
}
