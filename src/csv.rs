//! Reading CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF): the
//! one reader of the library, the npm package (`parseCsv`) and the demo
//! page, so that every path reads a file the same way.
//!
//! - The delimiter (`,`, `;` or a tab) is detected from the first lines.
//! - A byte-order mark is dropped; bytes that are not UTF-8 are read as
//!   Windows-1252 (every byte is a character there) and `encoding` says so;
//!   a file with NUL bytes is not text (`not_text`).
//! - Rows whose fields are all blank are skipped and counted; a short row is
//!   padded and its line listed in `short_rows`; a long one is an error.
//! - In a `;` file, a column written with decimal commas (`1,5`, and
//!   thousands dots with them: `4.000,50`) is read as numbers with a point
//!   (`1.5`, `4000.50`) when every filled cell of it is such a number.
//! - Errors carry the line: `invalid_csv` at `line N`.

use crate::error::{Error, Errors};

/// A CSV file: its header, its rows of fields, and what was skipped.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Csv {
    /// The delimiter found: `,`, `;` or `\t`.
    pub delimiter: char,
    /// Column names (trimmed).
    pub header: Vec<String>,
    /// Rows of fields (as written, not trimmed; decimal commas read as
    /// points); rows that are short are padded with empty fields.
    pub rows: Vec<Vec<String>>,
    /// Per kept row, its line number in the file (1 is the header).
    pub lines: Vec<usize>,
    /// Rows whose fields were all blank, left out.
    pub blank_rows: usize,
    /// The lines of rows with fewer fields than the header (padded).
    pub short_rows: Vec<usize>,
    /// Cells whose decimal comma (and thousands dots) were read as a
    /// number with a point.
    pub decimal_commas: usize,
    /// `windows-1252` when the bytes were not UTF-8 and were read so.
    pub encoding: Option<String>,
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

/// Reads a CSV file's bytes: UTF-8, or Windows-1252 when they are not UTF-8
/// (`encoding` says so); bytes with a NUL are not text (`not_text`).
pub fn read_bytes(bytes: &[u8]) -> Result<Csv, Errors> {
    if bytes.contains(&0) {
        return Err(Error::new(
            "not_text",
            "",
            "the file holds NUL bytes: it is not a text file (a spreadsheet, a zip, an image?)",
            "export the data as CSV (comma- or semicolon-separated text) and choose that file",
        )
        .into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => read(text),
        Err(_) => {
            let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            let mut csv = read(&text)?;
            csv.encoding = Some("windows-1252".into());
            Ok(csv)
        }
    }
}

/// A Windows-1252 byte as a character (0x80–0x9F hold the typographic
/// characters; the five bytes it leaves undefined map to the C1 controls,
/// as browsers do).
fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// In a `;` file, reads the columns written with decimal commas as numbers
/// with a point: a column is converted when every filled cell is a whole
/// number or a number with a decimal comma (thousands dots allowed before
/// it: `4.000,50`) and one has a comma. Returns the cells converted.
fn decimal_commas(csv: &mut Csv) -> usize {
    if csv.delimiter != ';' {
        return 0;
    }
    let mut converted = 0;
    for c in 0..csv.header.len() {
        let mut commas = 0;
        let numeric = csv.rows.iter().all(|r| {
            let cell = r[c].trim();
            match european(cell) {
                Some(true) => {
                    commas += 1;
                    true
                }
                Some(false) => true,
                None => cell.is_empty(),
            }
        });
        if !numeric || commas == 0 {
            continue;
        }
        for r in &mut csv.rows {
            let cell = r[c].trim();
            if european(cell) == Some(true) {
                r[c] = cell.replace('.', "").replace(',', ".");
                converted += 1;
            }
        }
    }
    converted
}

/// Whether a cell is a number written the European way: `Some(true)` with
/// a decimal comma (`1,5`, `4.000,50`), `Some(false)` a whole number
/// without separators (`12`), None otherwise (text, `1.5`, `4.000`).
fn european(cell: &str) -> Option<bool> {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, frac) = match digits.split_once(',') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(f) = frac {
        if !all_digits(f) {
            return None;
        }
    }
    let grouped = whole.contains('.');
    let whole_ok = if grouped {
        // Thousands dots: 1 to 3 digits, then groups of exactly 3.
        let mut groups = whole.split('.');
        let first = groups.next().unwrap_or("");
        all_digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && all_digits(g))
    } else {
        all_digits(whole)
    };
    match (whole_ok, frac, grouped) {
        (true, Some(_), _) => Some(true),
        (true, None, false) => Some(false),
        _ => None,
    }
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
            format!("a quote opened on line {row_line} is never closed, so the rest of the file would be read as one cell"),
            "close the quote (\"), remove the stray quote, or double a quote inside a quoted field (\"\")",
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
        if r.len() < width {
            out.short_rows.push(out.lines[k]);
            r.resize(width, String::new());
        }
    }
    out.decimal_commas = decimal_commas(&mut out);
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
        // (a `;` file's decimal commas are read as points: the score column)
        assert_eq!(csv.rows, [["1", "A; B", "3.5"], ["2", "say \"hi\"", "4"]]);
        assert_eq!(csv.decimal_commas, 1);
        assert_eq!(csv.lines, [2, 5]);
        assert_eq!(csv.blank_rows, 2);
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3"), '\t');
        assert_eq!(detect_delimiter("a,b\n1,2"), ',');
        assert_eq!(read("a,b\n1,2,3\n").unwrap_err()[0].code, "invalid_csv");
        assert_eq!(read("a,b\n\"1,2\n").unwrap_err()[0].code, "invalid_csv");
        // A short row is padded, and its line listed.
        let short = read("a,b,c\n1,2,3\n1\n").unwrap();
        assert_eq!(short.rows[1], ["1", "", ""]);
        assert_eq!(short.short_rows, [3]);
    }

    #[test]
    fn the_delimiter_comes_from_several_lines() {
        // A header whose names hold commas: the lines below decide.
        let csv = read("Kunde;Umsatz, netto, EUR;Churn\nA;100,5;0\nB;4.000,25;1\n").unwrap();
        assert_eq!(csv.delimiter, ';');
        assert_eq!(csv.header, ["Kunde", "Umsatz, netto, EUR", "Churn"]);
        assert_eq!(csv.rows, [["A", "100.5", "0"], ["B", "4000.25", "1"]]);
        assert_eq!(csv.decimal_commas, 2);
        // A column with text, or dots without a comma, is left as written.
        let kept = read("id;code;x\n1;12,5;1.234\n2;abc;2.000\n").unwrap();
        assert_eq!(kept.rows, [["1", "12,5", "1.234"], ["2", "abc", "2.000"]]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_windows_1252_and_nul_is_not_text() {
        let csv = read_bytes(b"id;name\n1;Soci\xe9t\xe9 \x80\n").unwrap();
        assert_eq!(csv.rows, [["1", "Soci\u{e9}t\u{e9} \u{20ac}"]]);
        assert_eq!(csv.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(read_bytes(b"id\n1\n").unwrap().encoding, None);
        assert_eq!(
            read_bytes(b"PK\x03\x04\x00\x00").unwrap_err()[0].code,
            "not_text"
        );
    }
}
