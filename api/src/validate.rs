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
