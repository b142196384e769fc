use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest amount accepted anywhere: 2^53 − 1, the largest integer a JSON client written in
/// JavaScript reads exactly. A sum of amounts is not bounded by it (1,025 of them overflow
/// `i64`): sums are taken exactly and read saturated at it, see [`bounded`](crate::bounded).
pub const MAX_AMOUNT: i64 = (1 << 53) - 1;

/// A non-negative quantity of CPU cores, memory MB or storage GB.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Amount(i64);

/// Why a number is not an [`Amount`] or a [`CpuPercentage`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AmountError {
    #[error("must be an integer between 0 and {MAX_AMOUNT}")]
    OutOfRange,
    #[error("must be a number between 0 and 100")]
    PercentageOutOfRange,
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// Accepts 0..=[`MAX_AMOUNT`].
    pub fn new(value: i64) -> Result<Self, AmountError> {
        if (0..=MAX_AMOUNT).contains(&value) {
            Ok(Self(value))
        } else {
            Err(AmountError::OutOfRange)
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A share of a host group's total CPU, 0 to 100 inclusive.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CpuPercentage(f64);

impl CpuPercentage {
    pub fn new(value: f64) -> Result<Self, AmountError> {
        if value.is_finite() && (0.0..=100.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(AmountError::PercentageOutOfRange)
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_bounded_on_both_sides() {
        assert_eq!(Amount::new(0).map(Amount::get), Ok(0));
        assert_eq!(Amount::new(MAX_AMOUNT).map(Amount::get), Ok(MAX_AMOUNT));
        assert_eq!(Amount::new(-1), Err(AmountError::OutOfRange));
        assert_eq!(Amount::new(MAX_AMOUNT + 1), Err(AmountError::OutOfRange));
    }

    #[test]
    fn percentages_reject_out_of_range_and_non_finite() {
        assert!(CpuPercentage::new(0.0).is_ok());
        assert!(CpuPercentage::new(100.0).is_ok());
        assert!(CpuPercentage::new(100.5).is_err());
        assert!(CpuPercentage::new(-0.1).is_err());
        assert!(CpuPercentage::new(f64::NAN).is_err());
    }
}
