//! Errors as data: every problem has a stable `code`, a `path` into the JSON
//! the caller gave, a `message` saying what is wrong and a `help` saying what
//! to do about it.
//!
//! Paths look like `categories[1].measures[0].rule.points[1]` (into a model),
//! `values.ops` (into an account) or `[3].values.ops` (into a batch). The root
//! is the empty string. Keys that are not plain identifiers are quoted:
//! `values["Two year"]`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem with a model, an account or a call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Error {
    /// Stable snake_case code (see [`codes`] for the list).
    pub code: String,
    /// Where the problem is, as a path into the caller's JSON document.
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Error {
    /// A new error at `path`.
    pub fn new(
        code: &str,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Error {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
            help: help.into(),
        }
    }

    /// The same error with `prefix` put in front of its path (used by batches:
    /// `values.ops` at index 3 becomes `[3].values.ops`).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.path = join(prefix, &self.path);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} at {}: {}", self.code, self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// A non-empty list of errors: model validation reports every mistake it
/// finds, not just the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// The first error (there is always one).
    pub fn first(&self) -> &Error {
        &self.0[0]
    }
    /// Every error, in document order.
    pub fn all(&self) -> &[Error] {
        &self.0
    }
    /// Whether some error has this code.
    pub fn has(&self, code: &str) -> bool {
        self.0.iter().any(|e| e.code == code)
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first())?;
        if self.0.len() > 1 {
            write!(f, " (and {} more)", self.0.len() - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// An `Errors` is read like the list it holds: `errors[0].code`,
/// `errors.len()`, `errors.iter()`.
impl std::ops::Deref for Errors {
    type Target = [Error];
    fn deref(&self) -> &[Error] {
        &self.0
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}

impl From<Vec<Error>> for Errors {
    fn from(list: Vec<Error>) -> Self {
        Errors(list)
    }
}

impl From<Errors> for Vec<Error> {
    fn from(e: Errors) -> Self {
        e.0
    }
}

impl IntoIterator for Errors {
    type Item = Error;
    type IntoIter = std::vec::IntoIter<Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Errors {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Reads JSON text into a document, or the `invalid_json` error with help
/// that fits what went wrong (`what` names the text: "the model").
pub(crate) fn parse_json(text: &str, what: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(text).map_err(|e| invalid_json(&e, what))
}

/// The `invalid_json` error for text that is not JSON (None when it is),
/// for callers that read JSON text themselves (the WebAssembly binding).
pub fn not_json(text: &str, what: &str) -> Option<Error> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .err()
        .map(|e| invalid_json(&e, what))
}

/// The `invalid_json` error for a JSON reading error.
pub(crate) fn invalid_json(e: &serde_json::Error, what: &str) -> Error {
    let text = e.to_string();
    let help = if text.contains("recursion limit") {
        "nesting deeper than 128 levels is refused: flatten the data".to_string()
    } else if text.contains("surrogate") {
        "the text holds half of a character (a lone UTF-16 surrogate, e.g. a cut emoji): remove it or complete it".to_string()
    } else if e.is_eof() {
        "the text ends too early: a closing bracket, brace or quote is missing".to_string()
    } else {
        format!(
            "look at line {} column {}: a trailing comma, a missing comma or quote, or a comment are the usual causes",
            e.line(),
            e.column()
        )
    };
    Error::new(
        "invalid_json",
        "",
        format!("{what} is not valid JSON: {text}"),
        help,
    )
}

/// Joins two paths: `join("[3]", "values.ops")` is `[3].values.ops`.
pub fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else if rest.is_empty() {
        prefix.to_string()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

/// The path of `key` inside the object at `base`: `field("values", "ops")` is
/// `values.ops`; a key that is not an identifier is quoted: `values["a b"]`.
pub fn field(base: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        if base.is_empty() {
            key.to_string()
        } else {
            format!("{base}.{key}")
        }
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        format!("{base}[{quoted}]")
    }
}

/// The path of element `i` of the array at `base`: `categories[1]`.
pub fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// Every error code, with what it means. Codes are stable: new ones may be
/// added, existing ones are never renamed.
pub mod codes {
    /// `(code, meaning)` for every code the library can return.
    pub const ALL: &[(&str, &str)] = &[
        // reading documents
        ("invalid_json", "the text is not valid JSON"),
        ("wrong_type", "a field has the wrong JSON type"),
        ("missing_field", "a required field is absent"),
        ("unknown_field", "a field the format does not define"),
        ("invalid_value", "a field's value is not allowed"),
        ("unsupported_version", "the model's version is not 1"),
        // model structure
        (
            "duplicate_id",
            "two categories, measures or bands share an id",
        ),
        ("empty_categories", "the model has no categories"),
        ("empty_measures", "a category has no measures"),
        (
            "missing_weight",
            "a weighted model's category or measure has no weight",
        ),
        ("negative_weight", "a weight below zero"),
        ("zero_weights", "every weight in a group is zero"),
        (
            "weight_in_points_model",
            "a points model's category or measure has a weight",
        ),
        ("range_in_weighted_model", "a weighted model has a range"),
        (
            "combine_in_points_model",
            "a points model's category combines by min or max",
        ),
        (
            "invalid_range",
            "a points model's range is not [lo, hi] with lo < hi",
        ),
        (
            "range_not_derivable",
            "a points model has an unbounded rule and no range",
        ),
        ("invalid_min_coverage", "minCoverage is not within 0..1"),
        // rules
        (
            "unknown_rule_type",
            "a rule's type is not one of the six rule types",
        ),
        (
            "thresholds_not_increasing",
            "steps thresholds unsorted or overlapping",
        ),
        (
            "steps_length_mismatch",
            "steps needs exactly one more score than thresholds",
        ),
        (
            "points_not_increasing",
            "linear points' values not strictly increasing",
        ),
        ("too_few_points", "linear needs at least two points"),
        ("empty_match", "a match rule has no scores"),
        (
            "invalid_max_events",
            "perEvent maxEvents is not a positive whole number",
        ),
        (
            "unbounded_rule",
            "perEvent without maxEvents in a weighted model",
        ),
        ("flat_rule", "a rule whose minimum equals its maximum"),
        ("not_finite", "a number is NaN or infinite"),
        // bands
        ("empty_bands", "the model has no bands"),
        (
            "bands_not_from_zero",
            "the first band does not start with from: 0",
        ),
        (
            "bands_out_of_order",
            "band edges are not strictly increasing",
        ),
        ("band_out_of_range", "a band edge is outside 0..100"),
        (
            "invalid_band_edge",
            "a band has both or neither of from and above",
        ),
        ("invalid_color", "a band colour is not #rgb or #rrggbb"),
        (
            "reserved_id",
            "a band uses the reserved id insufficient_data",
        ),
        // caps
        ("unknown_measure", "a measure id the model does not have"),
        (
            "invalid_cap",
            "a cap's operator or value does not fit its measure",
        ),
        (
            "invalid_override",
            "an override lacks a condition, does not give exactly one of set, floor and cap, has a score outside 0..100, or a condition does not fit its measure",
        ),
        // accounts
        ("not_a_number", "a numeric rule was given something else"),
        (
            "series_required",
            "update: a measure derived from a series needs its points again",
        ),
        (
            "not_a_boolean",
            "a flag was given something other than true or false",
        ),
        (
            "not_a_string",
            "a match rule was given something other than a string",
        ),
        ("negative_count", "an event count below zero"),
        (
            "fractional_count",
            "an event count that is not a whole number",
        ),
        ("out_of_range", "a scale value outside the scale's min..max"),
        (
            "unknown_value",
            "a match value the rule does not list, with no otherwise",
        ),
        (
            "missing_value",
            "a measure with missing policy error has no value",
        ),
        ("invalid_date", "a date that is not an ISO 8601 date"),
        ("negative_value", "an account's value below zero"),
        // history
        (
            "duplicate_date",
            "two snapshots of a history at the same time",
        ),
        (
            "no_score",
            "a scorecard without a score where one is needed",
        ),
        (
            "model_mismatch",
            "a scorecard from another model where this model's is needed",
        ),
        (
            "cycle",
            "an account hierarchy comes back to an account (rollup)",
        ),
        (
            "orphan",
            "a child in a hierarchy has neither a scorecard nor children (rollup)",
        ),
        (
            "unknown_model",
            "a model set names no model for the account, or a scorecard names a model the set does not have",
        ),
        ("missing_default", "a model set has no default model"),
        ("unreachable_model", "a model set entry can never be chosen"),
        (
            "unknown_band",
            "a playbook names a band the model does not have",
        ),
        // calibration
        (
            "invalid_outcome",
            "a row's outcome is not true/false, 1/0 or yes/no",
        ),
        ("missing_outcome", "a row has no outcome"),
        (
            "one_outcome",
            "the rows have only churned or only retained accounts",
        ),
        (
            "nothing_to_fit",
            "no measure goes with less churn in the rows",
        ),
        ("no_columns", "suggest found no usable column"),
        (
            "unknown_column",
            "an option names a column the table does not have",
        ),
        (
            "too_few_rows",
            "too few labelled rows (or of one outcome) to learn from",
        ),
        ("invalid_csv", "CSV text that cannot be read"),
        ("not_text", "a file that is not text (NUL bytes: a spreadsheet, a zip)"),
        (
            "cancelled",
            "a long call was stopped by its caller (onProgress or an AbortSignal)",
        ),
        (
            "too_large",
            "an input over a documented limit (the limit is in help)",
        ),
        // the JS boundary and columns
        (
            "cyclic_input",
            "an argument refers to itself and cannot be read",
        ),
        (
            "invalid_text",
            "text with half of a character (a lone UTF-16 surrogate)",
        ),
        (
            "match_in_columns",
            "a match measure was given as a number column",
        ),
        (
            "column_length",
            "a column's length differs from the row count",
        ),
        (
            "not_initialized",
            "the WebAssembly module was used before init() finished",
        ),
        (
            "stale_view",
            "a column view was used after another call ended it (take a new one)",
        ),
        (
            "freed",
            "an object was used after its free() (create it again)",
        ),
        ("internal_error", "a bug in the library; please report it"),
        // the edge service (customer-health/edge)
        (
            "invalid_event",
            "an event is not { id, at, values?, increments?, fields?, value?, notes?, name?, segment? }",
        ),
        (
            "in_future",
            "an event is dated further ahead of the service's clock than the skew allowed",
        ),
        (
            "too_old",
            "an event is older than the replay horizon: its id may be forgotten, so it is not applied",
        ),
        (
            "id_conflict",
            "an event id was applied with another content",
        ),
        (
            "duplicate_id",
            "an event id appears twice in one backfill",
        ),
        ("unauthenticated", "no credentials (a bearer key) were sent"),
        (
            "invalid_key",
            "the key is not a key of this tenant, or it was revoked",
        ),
        ("missing_scope", "the key lacks the scope the route needs"),
        ("no_key", "no key with this id"),
        ("too_many_keys", "the tenant has the most keys allowed"),
        (
            "not_configured",
            "the edge service has no operator secret (EDGE_OPERATOR_SECRET)",
        ),
        (
            "unsafe_url",
            "a webhook URL is not https or points at a loopback, private, link-local or metadata address",
        ),
        ("no_webhook", "the tenant has no webhook"),
        (
            "out_of_order",
            "an event is older than the account's last snapshot",
        ),
        ("no_model", "the tenant has no model yet"),
        ("no_account", "no event has reached this account yet"),
        ("not_found", "no such route"),
        ("method_not_allowed", "the route does not take this method"),
        // the browser store
        ("corrupt_storage", "a stored entry cannot be read"),
        (
            "unsupported_storage_format",
            "a stored entry has another format version",
        ),
        (
            "storage_unavailable",
            "the browser's storage (IndexedDB) cannot be opened or used",
        ),
        (
            "storage_full",
            "the browser's storage for the site is full; nothing saved was lost",
        ),
    ];
}
