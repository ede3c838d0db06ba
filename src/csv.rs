//! Reading CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF):
//! the delimiter (`,`, `;` or a tab) is detected from the first lines, a
//! byte-order mark is dropped, rows whose fields are all blank are skipped
//! (and counted). Used by calibration and by imports, so that every path
//! reads a file the same way.

use crate::error::{Error, Errors};

/// A CSV file: its header, its rows of fields, and what was skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Csv {
    /// The delimiter found: `,`, `;` or `\t`.
    pub delimiter: char,
    /// Column names (trimmed).
    pub header: Vec<String>,
    /// Rows of fields (as written, not trimmed); rows that are short are
    /// padded with empty fields.
    pub rows: Vec<Vec<String>>,
    /// Per kept row, its line number in the file (1 is the header).
    pub lines: Vec<usize>,
    /// Rows whose fields were all blank, left out.
    pub blank_rows: usize,
}

/// The delimiter of a CSV text: the one of `,` `;` tab that splits the first
/// lines into the most fields, the same number on each line (ties: comma).
pub fn detect_delimiter(text: &str) -> char {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    let mut best = (',', 0usize, false);
    for d in [',', ';', '\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| fields_in_line(l, d)).collect();
        let first = counts.first().copied().unwrap_or(1);
        let steady = counts.iter().all(|c| *c == first);
        // A steady count beats a larger unsteady one.
        let better = (steady && !best.2) || (steady == best.2 && first > best.1);
        if first > 1 && better {
            best = (d, first, steady);
        }
    }
    best.0
}

fn fields_in_line(line: &str, d: char) -> usize {
    let mut quoted = false;
    let mut n = 1;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == d && !quoted {
            n += 1;
        }
    }
    n
}

/// Reads CSV text with a header row. Fails on text with no header, and on a
/// quote left open at the end of the file.
pub fn read(text: &str) -> Result<Csv, Errors> {
    Ok(read_inner(text)?)
}

pub(crate) fn read_inner(text: &str) -> Result<Csv, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let mut out = Csv {
        delimiter,
        ..Csv::default()
    };
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut first = true;
    let mut end_row = |row: &mut Vec<String>, row_line: usize, out: &mut Csv| {
        let fields = std::mem::take(row);
        if first {
            first = false;
            out.header = fields.into_iter().map(|f| f.trim().to_string()).collect();
            return;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            out.blank_rows += 1;
            return;
        }
        out.rows.push(fields);
        out.lines.push(row_line);
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == delimiter {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            end_row(&mut row, row_line, &mut out);
            line += 1;
            row_line = line;
        } else {
            field.push(c);
        }
    }
    if quoted {
        return Err(Error::new(
            "invalid_csv",
            format!("line {row_line}"),
            format!("a quoted field that starts on line {row_line} is never closed"),
            "close the quote (\"), or double a quote inside a quoted field (\"\")",
        ));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        end_row(&mut row, row_line, &mut out);
    }
    if out.header.is_empty() || out.header.iter().all(|h| h.is_empty()) {
        return Err(Error::new(
            "invalid_csv",
            "line 1",
            "the file has no header row",
            "put the column names on the first line",
        ));
    }
    let width = out.header.len();
    for (k, r) in out.rows.iter_mut().enumerate() {
        if r.len() > width {
            return Err(Error::new(
                "invalid_csv",
                format!("line {}", out.lines[k]),
                format!(
                    "line {} has {} fields but the header has {width}",
                    out.lines[k],
                    r.len()
                ),
                format!(
                    "the delimiter found is {}; check the quoting of that line",
                    describe(delimiter)
                ),
            ));
        }
        r.resize(width, String::new());
    }
    Ok(out)
}

/// A delimiter in words, for messages.
pub fn describe(d: char) -> &'static str {
    match d {
        ';' => "a semicolon",
        '\t' => "a tab",
        _ => "a comma",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_delimiters_and_blank_rows() {
        let csv =
            read("\u{feff}id;name;score\r\n1;\"A; B\";3,5\n\n ; ; \n2;\"say \"\"hi\"\"\";4\n")
                .unwrap();
        assert_eq!(csv.delimiter, ';');
        assert_eq!(csv.header, ["id", "name", "score"]);
        assert_eq!(csv.rows, [["1", "A; B", "3,5"], ["2", "say \"hi\"", "4"]]);
        assert_eq!(csv.lines, [2, 5]);
        assert_eq!(csv.blank_rows, 2);
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3"), '\t');
        assert_eq!(detect_delimiter("a,b\n1,2"), ',');
        assert_eq!(read("a,b\n1,2,3\n").unwrap_err()[0].code, "invalid_csv");
        assert_eq!(read("a,b\n\"1,2\n").unwrap_err()[0].code, "invalid_csv");
        // A short row is padded.
        assert_eq!(read("a,b,c\n1\n").unwrap().rows, [["1", "", ""]]);
    }
}
