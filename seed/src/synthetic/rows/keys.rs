//! The natural keys of synthetic nodes: kommunenummer, organisation numbers and slugs.

/// Municipalities per synthetic county; county codes run from 60, so numbers are `6001`–`6025`, `6101`–….
pub const PER_COUNTY: usize = 25;
/// The first synthetic county code (no real county uses 60–99).
pub const FIRST_COUNTY: usize = 60;

/// The kommunenummer of the `index`th synthetic municipality (0-based).
pub fn municipality_number(index: usize) -> String {
    format!(
        "{:02}{:02}",
        FIRST_COUNTY + index / PER_COUNTY,
        1 + index % PER_COUNTY
    )
}

/// Slug of plan `plan` (0-based) of municipality `number`.
pub fn plan_slug(number: &str, plan: usize) -> String {
    format!("{number}-plan-{:02}", plan + 1)
}

/// Slug of measure `measure` (0-based) of plan `plan` of municipality `number`.
pub fn measure_slug(number: &str, plan: usize, measure: usize) -> String {
    format!("{}-tiltak-{:02}", plan_slug(number, plan), measure + 1)
}

/// Slug of unit `unit` (0-based) of municipality `number`.
pub fn unit_slug(number: &str, unit: usize) -> String {
    format!("{number}-enhet-{:02}", unit + 1)
}

/// A valid 9-digit organisation number (mod-11 check digit) for the `index`th synthetic municipality: the
/// first of ten consecutive bases whose check digit exists (remainder 1 has none).
pub fn organization_number(index: usize) -> String {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
    let base = 97_000_000 + index * 10;
    for candidate in base..base + 10 {
        let digits = format!("{candidate:08}");
        let sum: u32 = digits
            .chars()
            .filter_map(|c| c.to_digit(10))
            .zip(WEIGHTS)
            .map(|(d, w)| d * w)
            .sum();
        let check = match sum % 11 {
            0 => 0,
            1 => continue,
            r => 11 - r,
        };
        return format!("{digits}{check}");
    }
    // A step of one changes the weighted sum by 2 (or by a carry's amount): ten never all leave 1
    // (the tests check every index).
    unreachable!("no valid organisation number among ten consecutive bases")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::MAX_MUNICIPALITIES;

    #[test]
    fn organisation_numbers_are_valid_and_distinct() {
        let mut all = std::collections::HashSet::new();
        for i in 0..MAX_MUNICIPALITIES {
            let number = organization_number(i);
            oppvekstgraf_api::validate::check_organization_number("n", &number)
                .unwrap_or_else(|_| panic!("{number} of {i} is invalid"));
            assert!(all.insert(number));
        }
    }

    #[test]
    fn municipality_numbers_are_synthetic_and_distinct() {
        assert_eq!(municipality_number(0), "6001");
        assert_eq!(municipality_number(24), "6025");
        assert_eq!(municipality_number(25), "6101");
        assert_eq!(municipality_number(MAX_MUNICIPALITIES - 1), "9925");
    }
}
