//! The checks `suggest` runs on each column before and after binning it,
//! and the warnings they give: a likely leak, a column of ids, an effect
//! that reverses among the others.

use super::super::table::{Cell, Column};
use super::SuggestWarning;

/// A column whose AUC alone is above this is a likely leak.
pub const LEAK_AUC: f64 = 0.95;

/// A column whose information value is above this is a likely leak. (The
/// scorecard literature's "suspicious" is 0.5, but real predictors pass it:
/// the Telco table's contract type holds about 1.2 and tenure 0.8; a
/// column that separates the outcomes almost perfectly holds 3 and more.)
pub const LEAK_INFORMATION_VALUE: f64 = 2.0;

/// A column with a different value in at least this share of its rows
/// looks like an id.
pub const ID_SHARE: f64 = 0.95;

/// A column left out as an id: `distinct` values in `present` training rows.
pub(super) fn id_left_out(name: &str, distinct: usize, present: usize) -> SuggestWarning {
    SuggestWarning {
        code: "id_like".into(),
        column: name.into(),
        message: format!(
            "`{name}` has a different value in {distinct} of its {present} training rows: an id, left out"
        ),
        help: "give it as idColumn; to use it as a measure anyway, list it in keep".into(),
        auc: None,
        information_value: None,
    }
}

/// A column that looks like an id, used because `keep` names it.
pub(super) fn id_kept(
    name: &str,
    (distinct, present): (usize, usize),
    auc: Option<f64>,
    iv: f64,
) -> SuggestWarning {
    SuggestWarning {
        code: "id_like".into(),
        column: name.into(),
        message: format!(
            "`{name}` has a different value in {distinct} of its {present} training rows; it is used as a measure"
        ),
        help: "it is in keep; take it out of keep if it is an id".into(),
        auc,
        information_value: Some(iv),
    }
}

/// A likely leak, when the column alone separates churned from retained
/// almost perfectly: its `auc` above [`LEAK_AUC`] or its information
/// value above [`LEAK_INFORMATION_VALUE`].
pub(super) fn leak(name: &str, auc: Option<f64>, iv: f64) -> Option<SuggestWarning> {
    (auc.is_some_and(|a| a > LEAK_AUC) || iv > LEAK_INFORMATION_VALUE).then(|| SuggestWarning {
        code: "leak".into(),
        column: name.into(),
        message: format!(
            "`{name}` alone separates churned from retained accounts almost perfectly (AUC {}, information value {iv:.2})",
            auc.map_or("—".into(), |a| format!("{a:.3}")),
        ),
        help: "a column recorded after the outcome (a cancellation date, a previous model's output, a closing status) makes the model look perfect and fail on new accounts: leave it out with skip unless it is known before churn".into(),
        auc,
        information_value: Some(iv),
    })
}

/// A column whose own effect reverses among the others.
pub(super) fn reversed(name: &str, iv: Option<f64>) -> SuggestWarning {
    SuggestWarning {
        code: "reversed".into(),
        column: name.into(),
        message: format!("with the other columns in the model, `{name}`'s own effect reverses: its points follow what it adds to them, not its own churn rates"),
        help: "it is likely carried by a related column (a total and its parts, two counts of one thing); leave one of them out with skip for points that read as its churn rates".into(),
        auc: None,
        information_value: iv,
    }
}

/// How many different values a column's training rows hold, and in how
/// many rows, when nearly every row holds its own ([`ID_SHARE`]) and the
/// values are whole numbers or texts (measured quantities with decimals
/// are often all different without being ids).
pub(super) fn near_unique(col: &Column) -> Option<(usize, usize)> {
    use Cell;
    let mut seen = std::collections::HashSet::new();
    let mut present = 0;
    for c in &col.cells {
        let key = match *c {
            Cell::Number(x) if x.fract() == 0.0 => x.to_bits(),
            Cell::Text(k) => {
                let t = &col.texts[k as usize];
                if crate::score::typing::is_missing_text(t) {
                    continue;
                }
                match crate::score::typing::number_of_text(t) {
                    Some(x) if x.fract() == 0.0 => x.to_bits(),
                    Some(_) => return None,
                    // (texts apart from numbers: their index, tagged)
                    None => u64::MAX - u64::from(k),
                }
            }
            Cell::Missing => continue,
            _ => return None,
        };
        present += 1;
        seen.insert(key);
    }
    let distinct = seen.len();
    (present >= 10 && distinct as f64 >= ID_SHARE * present as f64).then_some((distinct, present))
}

/// A name that says id: its last word (words split at spaces, `_`, `-`,
/// `.` and a lower-case letter followed by a capital) is `id`, `num`,
/// `number`, `key` or `code` (`customerID`, `account_id`, `ClientNum`), or
/// a single capitalised word ends in `NUM`, `NUMBER`, `KEY` or `CODE`
/// (`CLIENTNUM`), or the name is `customer`, `account` or `client`.
/// (`AmountPaid` and `PAID` are not ids. ASCII letters only: the
/// Unicode case tables would weigh 3 KB in the module.)
pub(super) fn looks_like_id(name: &str) -> bool {
    const LAST: [&str; 5] = ["id", "num", "number", "key", "code"];
    let mut words: Vec<String> = vec![String::new()];
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, ' ' | '_' | '-' | '.') {
            words.push(String::new());
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            words.push(String::new());
        }
        prev_lower = c.is_ascii_lowercase();
        if let Some(w) = words.last_mut() {
            w.push(c.to_ascii_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    let Some(last) = words.last() else {
        return false;
    };
    let shouting = name.bytes().any(|b| b.is_ascii_alphabetic())
        && !name.bytes().any(|b| b.is_ascii_lowercase());
    LAST.contains(&last.as_str())
        || (shouting && words.len() == 1 && LAST[1..].iter().any(|e| last.ends_with(e)))
        || (words.len() == 1 && ["customer", "account", "client"].contains(&last.as_str()))
}

/// Most of a near-unique column's present values are texts that are not
/// numbers (`7590-VHVEG`): a key, whatever its name. (Missing texts are
/// not counted: a sparse numeric column with "NA" is no key.)
pub(super) fn id_text(col: &Column) -> bool {
    use Cell;
    let (mut texts, mut present) = (0usize, 0usize);
    for c in &col.cells {
        match c {
            Cell::Missing => {}
            Cell::Text(k) => {
                let t = &col.texts[*k as usize];
                if crate::score::typing::is_missing_text(t) {
                    continue;
                }
                present += 1;
                texts += usize::from(crate::score::typing::number_of_text(t).is_none());
            }
            _ => present += 1,
        }
    }
    texts * 2 > present
}

#[cfg(test)]
mod tests {
    use super::looks_like_id;

    #[test]
    fn names_that_say_id_and_names_that_only_end_so() {
        for id in [
            "customerID",
            "account_id",
            "ClientNum",
            "CLIENTNUM",
            "Customer Number",
            "id",
            "client",
            "order-key",
            "ZIP.code",
        ] {
            assert!(looks_like_id(id), "{id}");
        }
        for not in [
            "AmountPaid",
            "PAID",
            "Prepaid",
            "TotalCharges",
            "tenure",
            "Valid",
            "fluid",
            "Unpaid_balance",
            "Numbers",
        ] {
            assert!(!looks_like_id(not), "{not}");
        }
    }
}
