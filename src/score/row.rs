//! A table row (a CSV line, a calibration row) as an account: each cell
//! named after a measure read by the typing policy for table cells (numeric
//! text is a number, yes/no a flag, `NA`-like text missing), the other
//! columns listed, not dropped silently.

use super::account::{AccountDoc, Input, RawValue};
use super::typing::{self, CellRef};
use crate::error::{field, Error, Errors};
use crate::model::Model;
use crate::model::Scalar;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which columns of a row are the account's id, name, segment and value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RowOptions {
    /// The id column (required).
    pub id_column: Option<String>,
    /// A name column.
    pub name_column: Option<String>,
    /// A segment column.
    pub segment_column: Option<String>,
    /// A value column (ARR or similar; a number ≥ 0, numeric text accepted).
    pub value_column: Option<String>,
}

/// An account read from a row, and the columns that are not measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RowAccount {
    /// The account, ready to score.
    pub account: AccountDoc,
    /// Columns of the row that are neither measures nor named in the options.
    pub ignored: Vec<String>,
}

impl Model {
    /// Reads a row (JSON text: `{ column: cell }`) as an account of this model.
    pub fn row_to_account(&self, row: &str, opts: &RowOptions) -> Result<RowAccount, Errors> {
        let doc = crate::error::parse_json(row, "the row")?;
        Ok(self.row_doc(&doc, opts)?)
    }

    /// Reads a row of cells (`None` for an empty cell) as an account of
    /// this model.
    pub fn row_to_account_of(
        &self,
        row: &BTreeMap<String, Option<Scalar>>,
        opts: &RowOptions,
    ) -> Result<RowAccount, Errors> {
        let doc = serde_json::to_value(row)
            .map_err(|e| Error::new("not_finite", "", e.to_string(), "give finite numbers"))?;
        Ok(self.row_doc(&doc, opts)?)
    }

    pub(crate) fn row_doc(&self, row: &Value, opts: &RowOptions) -> Result<RowAccount, Vec<Error>> {
        let Value::Object(cells) = row else {
            return Err(vec![Error::new(
                "wrong_type",
                "",
                format!("a row must be an object, not {}", crate::read::kind(row)),
                "pass { column: value, … }",
            )]);
        };
        let Some(id_column) = &opts.id_column else {
            return Err(vec![Error::new(
                "missing_field",
                "idColumn",
                "the options do not name the id column",
                "name the column that identifies accounts, e.g. { idColumn: \"customerID\" }",
            )]);
        };
        let text = |key: &str| -> Option<String> {
            match cells.get(key).map(CellRef::of) {
                Some(CellRef::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_string()),
                Some(CellRef::Number(x)) => Some(typing::number_text(x)),
                Some(CellRef::Bool(b)) => Some(b.to_string()),
                _ => None,
            }
        };
        let mut errors = Vec::new();
        let id = text(id_column).unwrap_or_else(|| {
            errors.push(Error::new(
                "missing_field",
                field("", id_column),
                format!("the row has no `{id_column}`"),
                "give every row an id",
            ));
            String::new()
        });
        let mut account = AccountDoc {
            id,
            name: opts.name_column.as_deref().and_then(text),
            segment: opts.segment_column.as_deref().and_then(text),
            value: None,
            values: Default::default(),
            observed_at: Default::default(),
            fields: Default::default(),
            notes: Default::default(),
        };
        if let Some(col) = &opts.value_column {
            match cells.get(col).map(CellRef::of) {
                None | Some(CellRef::Missing) => {}
                Some(CellRef::Text(t)) if typing::is_missing_text(t) => {}
                Some(CellRef::Number(x)) => account.value = Some(x),
                Some(CellRef::Text(t)) if typing::number_of_text(t).is_some() => {
                    account.value = typing::number_of_text(t);
                }
                Some(_) => errors.push(Error::new(
                    "not_a_number",
                    field("", col),
                    format!("the value column `{col}` does not hold a number"),
                    "give the account's value as a number, or leave the cell blank",
                )),
            }
        }
        let named: Vec<&str> = [
            &opts.id_column,
            &opts.name_column,
            &opts.segment_column,
            &opts.value_column,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
        let mut ignored = Vec::new();
        for (key, cell) in cells {
            match self.measure_index(key) {
                Some(i) => {
                    let m = &self.measures[i];
                    let input = typing::cell_input(&m.rule, CellRef::of(cell));
                    let typed = typing::strict(&m.rule, &m.missing_values, &input);
                    let v = match &*typed {
                        Input::Missing => None,
                        Input::Number(x) => Some(RawValue::Number(*x)),
                        Input::Bool(b) => Some(RawValue::Bool(*b)),
                        Input::Text(t) => Some(RawValue::Text(t.clone())),
                        Input::Other(kind) => {
                            errors.push(Error::new(
                                "wrong_type",
                                field("", key),
                                format!("the cell holds {kind}"),
                                "a cell holds a number, true/false or text",
                            ));
                            None
                        }
                    };
                    account.values.insert(key.clone(), v);
                }
                None if named.contains(&key.as_str()) => {}
                None => ignored.push(key.clone()),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RowAccount { account, ignored })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_csv_row_becomes_an_account() {
        let model = Model::from_json(&json!({
            "version": 1, "id": "m", "bands": [{ "id": "b", "color": "#000", "from": 0 }],
            "categories": [{ "id": "c", "weight": 1, "measures": [
                { "id": "tenure", "weight": 1, "rule": { "type": "linear", "points": [[0, 0], [72, 100]] } },
                { "id": "senior", "weight": 1, "rule": { "type": "flag", "ifTrue": 0, "ifFalse": 1 } },
                { "id": "price", "weight": 1, "rule": { "type": "match", "scores": { "10": 1, "30": 0 } } }
            ] }]
        }).to_string())
        .unwrap();
        let opts = RowOptions {
            id_column: Some("customerID".into()),
            value_column: Some("arr".into()),
            ..Default::default()
        };
        let row = json!({ "customerID": "7590-VHVEG", "tenure": " 12 ", "senior": "No", "price": 10, "Churn": "Yes", "arr": "1200" });
        let r = model.row_to_account(&row.to_string(), &opts).unwrap();
        assert_eq!(
            serde_json::to_value(&r.account).unwrap(),
            json!({ "id": "7590-VHVEG", "value": 1200.0, "values": { "price": "10", "senior": false, "tenure": 12.0 } })
        );
        assert_eq!(r.ignored, ["Churn"]);
        let card = model.score(&r.account.clone().into()).unwrap();
        assert!(card.score.is_some());
        // Missing texts are missing; an id is required.
        let r = model
            .row_to_account(
                &json!({ "customerID": 7, "tenure": "NA" }).to_string(),
                &opts,
            )
            .unwrap();
        assert_eq!(
            serde_json::to_value(&r.account).unwrap(),
            json!({ "id": "7", "values": { "tenure": null } })
        );
        let e = model
            .row_to_account(&json!({ "tenure": 3 }).to_string(), &opts)
            .unwrap_err();
        assert_eq!(
            (e[0].code.as_str(), e[0].path.as_str()),
            ("missing_field", "customerID")
        );
    }
}
