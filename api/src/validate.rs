//! Validation rules shared by the API and the seed loader.

use crate::error::{ApiError, ApiResult};

/// Checks a Norwegian organisation number (Enhetsregisteret): 9 digits, weights 3,2,7,6,5,4,3,2 on the
/// first eight, check digit 11 − (sum mod 11), where a remainder of 0 gives 0 and a remainder of 1 is invalid.
pub fn check_organization_number(field: &str, number: &str) -> ApiResult<()> {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
    let invalid = || {
        ApiError::validation(
            field,
            format!(
                "{number:?} is not a valid organisation number: give the 9 digits from Enhetsregisteret, e.g. \"864980902\""
            ),
        )
    };
    let digits: Vec<u32> = number
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .ok_or_else(invalid)?;
    if digits.len() != 9 {
        return Err(invalid());
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    let check = match sum % 11 {
        0 => 0,
        1 => return Err(invalid()),
        r => 11 - r,
    };
    if digits[8] == check {
        Ok(())
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_numbers() {
        for valid in [
            "920817521",
            "940802652",
            "959272581",
            "864980902",
            "921221967",
            "983544622",
            "986128433",
        ] {
            assert!(check_organization_number("n", valid).is_ok(), "{valid}");
        }
        for invalid in ["920817522", "12345678", "9208175211", "92081752a", ""] {
            assert!(
                check_organization_number("n", invalid).is_err(),
                "{invalid}"
            );
        }
    }
}

/// Longest single-line text (titles, names).
pub const MAX_TITLE: usize = 500;
/// Longest long text (summaries, bodies, definitions).
pub const MAX_TEXT: usize = 50_000;

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Required text: trimmed, not blank, at most `max` characters, no control characters.
pub fn text(field: &str, value: &str, max: usize) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::validation(field, "must not be blank"));
    }
    if value.chars().count() > max {
        return Err(ApiError::validation(
            field,
            format!("is too long: at most {max} characters"),
        ));
    }
    if has_control(value) {
        return Err(ApiError::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(value.to_string())
}

/// Optional text: `None` stays `None`; blank text is refused (send null to clear).
pub fn opt_text(field: &str, value: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    value.map(|v| text(field, v, max)).transpose()
}

/// An absolute http(s) URL of at most 2000 characters.
pub fn url(field: &str, value: &str) -> ApiResult<String> {
    let value = value.trim();
    let parsed = url::Url::parse(value)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if parsed.is_none() || value.len() > 2000 {
        return Err(ApiError::validation(
            field,
            format!(
                "{value:?} is not a web address: give an absolute http(s) URL of at most 2000 characters"
            ),
        ));
    }
    Ok(value.to_string())
}

/// A slug: 1 to 200 characters of `a-z`, `0-9` and inner hyphens.
pub fn slug(field: &str, value: &str) -> ApiResult<String> {
    let ok = !value.is_empty()
        && value.len() <= 200
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if ok {
        Ok(value.to_string())
    } else {
        Err(ApiError::validation(
            field,
            format!(
                "{value:?} is not a slug: use a-z, 0-9 and single inner hyphens, e.g. \"rauma-oppvekstforum\""
            ),
        ))
    }
}

/// A slug made from a title: "Årshjul for oppvekst" → "arshjul-for-oppvekst".
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let mapped = match c {
            'æ' => "ae",
            'ø' | 'ö' => "o",
            'å' | 'ä' | 'á' | 'à' => "a",
            'é' | 'è' | 'ê' => "e",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(mapped);
    }
    let mut slug = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(part);
    }
    slug.truncate(180);
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "node".into() } else { slug }
}

/// A year of a plan period.
pub fn year(field: &str, value: i32) -> ApiResult<i32> {
    if (1800..=2200).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::validation(
            field,
            format!("{value} is not a plausible year: give 1800 to 2200"),
        ))
    }
}

/// A period: the start not after the end.
pub fn period(start: Option<i32>, end: Option<i32>) -> ApiResult<()> {
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(ApiError::validation(
            "input.periodEnd",
            format!("the period ends ({e}) before it starts ({s})"),
        ));
    }
    Ok(())
}

/// A political case number: `PS-50/23` or `PS 50/23` (body, sequence, two-digit year).
pub fn case_number(field: &str, value: &str) -> ApiResult<String> {
    let value = value.trim();
    let valid = value.split_once(['-', ' ']).is_some_and(|(body, rest)| {
        let body_ok = (1..=6).contains(&body.chars().count())
            && body.chars().all(|c| c.is_alphabetic() && c.is_uppercase());
        let rest_ok = rest.split_once('/').is_some_and(|(seq, yy)| {
            (1..=5).contains(&seq.len())
                && seq.chars().all(|c| c.is_ascii_digit())
                && yy.len() == 2
                && yy.chars().all(|c| c.is_ascii_digit())
        });
        body_ok && rest_ok
    });
    if valid {
        Ok(value.to_string())
    } else {
        Err(ApiError::validation(
            field,
            format!(
                "{value:?} is not a political case number: write it like \"PS-50/23\" or \"PS 50/23\""
            ),
        ))
    }
}

/// An archive (Noark 5) case number: `2015/545`.
pub fn archive_case_number(field: &str, value: &str) -> ApiResult<String> {
    let value = value.trim();
    let valid = value.split_once('/').is_some_and(|(year, seq)| {
        year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && (1..=7).contains(&seq.len())
            && seq.chars().all(|c| c.is_ascii_digit())
    });
    if valid {
        Ok(value.to_string())
    } else {
        Err(ApiError::validation(
            field,
            format!("{value:?} is not an archive case number: write it like \"2015/545\""),
        ))
    }
}

/// An age in a target group's range.
pub fn age(field: &str, value: i32) -> ApiResult<i32> {
    if (0..=120).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::validation(field, "give an age from 0 to 120"))
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(text("t", "  ", 10).is_err());
        assert!(text("t", "abc\u{0}", 10).is_err());
        assert!(text("t", "x".repeat(11).as_str(), 10).is_err());
        assert_eq!(text("t", " Årshjul ", 10).ok().as_deref(), Some("Årshjul"));
        assert!(url("u", "ftp://x.no").is_err());
        assert!(url("u", "https://lovdata.no/lov/2021-06-18-97").is_ok());
        assert!(slug("s", "Rauma").is_err());
        assert!(slug("s", "rauma-tiltak-1").is_ok());
        assert_eq!(slugify("Årshjul – for Ørsta/Æ"), "arshjul-for-orsta-ae");
        assert!(case_number("c", "PS-50/23").is_ok());
        assert!(case_number("c", "PS 50/23").is_ok());
        assert!(case_number("c", "50/23").is_err());
        assert!(archive_case_number("c", "2015/545").is_ok());
        assert!(archive_case_number("c", "15/545").is_err());
        assert!(period(Some(2033), Some(2023)).is_err());
        assert!(year("y", 99).is_err());
    }
}
