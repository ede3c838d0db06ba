//! ISO 8601 dates without a clock: `2026-09-30`, `2026-09-30T14:05:00Z`,
//! `2026-09-30T14:05:00.250+02:00`. Parsed to seconds since 1970-01-01 UTC;
//! nothing here reads the current time.

/// Seconds since the Unix epoch (UTC) of an ISO 8601 date or date-time, or
/// `None` when `s` is not one. A date without a time is midnight UTC; a
/// date-time without an offset is taken as UTC.
pub fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) as f64 * 86_400.0;
    if b.len() == 10 {
        return Some(secs);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let mut rest = &b[16..];
    let mut second = 0.0;
    if rest.first() == Some(&b':') {
        if rest.len() < 3 {
            return None;
        }
        second = digits(&rest[1..3])? as f64;
        rest = &rest[3..];
        if rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let frac: f64 = std::str::from_utf8(&rest[..=n]).ok()?.parse().ok()?;
            second += frac;
            rest = &rest[n + 1..];
        }
    }
    if hour > 23 || minute > 59 || second >= 61.0 {
        return None;
    }
    secs += (hour * 3600 + minute * 60) as f64 + second;
    match rest {
        [] | [b'Z'] | [b'z'] => Some(secs),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            // RFC 3339 offsets: -23:59 to +23:59.
            let (oh, om) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = (oh * 60 + om) as f64 * 60.0;
            Some(if *sign == b'+' {
                secs - off
            } else {
                secs + off
            })
        }
        _ => None,
    }
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_iso;

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_iso("1970-01-01"), Some(0.0));
        assert_eq!(parse_iso("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_iso("2000-03-01"), Some(951_868_800.0));
        assert_eq!(parse_iso("2026-09-30T00:00:00Z"), parse_iso("2026-09-30"));
        assert_eq!(
            parse_iso("2026-09-30T02:00:00+02:00"),
            parse_iso("2026-09-30")
        );
        assert_eq!(parse_iso("1970-01-01T00:00:01.5Z"), Some(1.5));
        assert_eq!(parse_iso("2024-02-29"), Some(1_709_164_800.0));
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "",
            "2026-13-01",
            "2023-02-29",
            "2026-9-30",
            "yesterday",
            "2026-09-30T25:00",
            "2026-09-30T10:00+2",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
