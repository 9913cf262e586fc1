//! The business rules of storage, as pure functions: both backends lock, read, call these and
//! write what they answer, so that a rule is written (and fixed) once.

use akashone_gst::{FinancialYear, SeriesFormat};

use super::Throttle;
use super::billing::{AddRateCard, CreditLimit, IssueOutcome};

/// What is stored of the failures of one subject (an account name or a client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Failures in the window.
    pub failures: i64,
    /// When the window began.
    pub window_start: i64,
    /// Locked until, if ever locked.
    pub locked_until: Option<i64>,
}

/// A failure of a subject whose record is `prev` (zero failures for a new one): failures within
/// `window_secs` of the window's start (or while locked) add up, otherwise a new window starts
/// now; reaching `max` locks the subject until `now + lock_secs`; a lock still running is kept.
pub fn failure(prev: Failures, now: i64, window_secs: i64, max: i64, lock_secs: i64) -> Failures {
    let (failures, window_start, locked_until) = match prev {
        p if p.window_start + window_secs > now || p.locked_until.is_some_and(|l| l > now) => (
            p.failures + 1,
            p.window_start,
            p.locked_until.filter(|&l| l > now),
        ),
        _ => (1, now, None),
    };
    Failures {
        failures,
        window_start,
        locked_until: locked_until.or((failures >= max).then_some(now + lock_secs)),
    }
}

/// What a failure that turned `prev` into `next` means for the caller: the count, the lock, and
/// whether this failure started the lock (which is audited once).
pub fn throttle(prev: Failures, next: Failures) -> Throttle {
    Throttle {
        failures: next.failures,
        locked_until: next.locked_until,
        newly_locked: next.locked_until.is_some() && prev.locked_until != next.locked_until,
    }
}

/// Sums of an invoice's notes of one kind: taxable value and total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteSums {
    /// Taxable value.
    pub taxable_paise: i64,
    /// Total.
    pub total_paise: i64,
}

/// The credit-note limit: a credit note of `taxable` and `total` may take what is left of the
/// invoice (`limit`) after its credit notes, plus its debit notes; else what is left.
pub fn credit_allowed(
    limit: CreditLimit,
    credited: NoteSums,
    debited: NoteSums,
    taxable: i64,
    total: i64,
) -> Result<(), IssueOutcome> {
    let taxable_left = limit.taxable_paise + debited.taxable_paise - credited.taxable_paise;
    let total_left = limit.total_paise + debited.total_paise - credited.total_paise;
    if taxable > taxable_left || total > total_left {
        return Err(IssueOutcome::ExceedsInvoice {
            taxable_left,
            total_left,
        });
    }
    Ok(())
}

/// A series' documents are dated in order: `date` may not precede `last_date` (both
/// `YYYY-MM-DD`, which compare as text).
pub fn date_allowed(date: &str, last_date: &str) -> Result<(), IssueOutcome> {
    if date < last_date {
        return Err(IssueOutcome::DateBeforeSeries {
            last_date: last_date.to_owned(),
        });
    }
    Ok(())
}

/// The number of the `sequence`-th document of a series in a financial year, or
/// [`IssueOutcome::SeriesExhausted`] when the series has no such number.
pub fn number(
    series: &SeriesFormat,
    fy: FinancialYear,
    sequence: u64,
) -> Result<String, IssueOutcome> {
    series
        .format(fy, sequence)
        .map(|n| n.to_string())
        .map_err(|e| IssueOutcome::SeriesExhausted(e.to_string()))
}

/// A rate-card version from `effective_from` (`YYYY-MM-DD`) may not change a month already
/// invoiced: refused when the seller's latest invoiced period (`YYYY-MM`) is that month or
/// later.
pub fn rate_card_allowed(effective_from: &str, last_invoiced: Option<String>) -> AddRateCard {
    let month = effective_from.get(..7).unwrap_or_default();
    match last_invoiced {
        Some(period) if period.as_str() >= month => AddRateCard::AlreadyInvoiced(period),
        _ => AddRateCard::Added,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEW: Failures = Failures {
        failures: 0,
        window_start: 1000,
        locked_until: None,
    };

    #[test]
    fn failures_add_up_within_the_window_only() {
        let first = failure(NEW, 1000, 900, 3, 60);
        assert_eq!(
            first,
            Failures {
                failures: 1,
                window_start: 1000,
                locked_until: None
            }
        );
        let second = failure(first, 1899, 900, 3, 60);
        assert_eq!((second.failures, second.window_start), (2, 1000));
        // The window is over at start + window: a new one starts.
        let later = failure(second, 1900, 900, 3, 60);
        assert_eq!((later.failures, later.window_start), (1, 1900));
        let third = failure(second, 1899, 900, 3, 60);
        assert_eq!(third.locked_until, Some(1959));
        assert!(throttle(second, third).newly_locked);
        assert!(!throttle(first, second).newly_locked);
        // max of 1: the first failure locks.
        assert_eq!(failure(NEW, 1000, 900, 1, 5).locked_until, Some(1005));
    }

    #[test]
    fn a_running_lock_is_kept_beyond_the_window_and_a_spent_one_starts_over() {
        let locked = Failures {
            failures: 3,
            window_start: 0,
            locked_until: Some(2000),
        };
        // Outside the window but inside the lock: counted on, lock unchanged, not a new lock.
        let t = failure(locked, 1500, 900, 3, 60);
        assert_eq!(
            (t.failures, t.window_start, t.locked_until),
            (4, 0, Some(2000))
        );
        assert!(!throttle(locked, t).newly_locked);
        // At the very second the lock ends, it has run out: a fresh start.
        let t = failure(locked, 2000, 900, 3, 60);
        assert_eq!(
            (t.failures, t.window_start, t.locked_until),
            (1, 2000, None)
        );
    }

    const LIMIT: CreditLimit = CreditLimit {
        taxable_paise: 10_000,
        total_paise: 11_800,
    };

    fn sums(taxable_paise: i64, total_paise: i64) -> NoteSums {
        NoteSums {
            taxable_paise,
            total_paise,
        }
    }

    #[test]
    fn credit_notes_may_take_exactly_what_is_left() {
        assert_eq!(
            credit_allowed(
                LIMIT,
                NoteSums::default(),
                NoteSums::default(),
                10_000,
                11_800
            ),
            Ok(())
        );
        assert_eq!(
            credit_allowed(LIMIT, sums(4_000, 4_720), NoteSums::default(), 6_001, 7_080),
            Err(IssueOutcome::ExceedsInvoice {
                taxable_left: 6_000,
                total_left: 7_080
            })
        );
        // The total alone can exceed what is left.
        assert_eq!(
            credit_allowed(LIMIT, sums(4_000, 4_720), NoteSums::default(), 6_000, 7_081),
            Err(IssueOutcome::ExceedsInvoice {
                taxable_left: 6_000,
                total_left: 7_080
            })
        );
    }

    #[test]
    fn debit_notes_raise_what_may_be_credited() {
        assert_eq!(
            credit_allowed(LIMIT, sums(10_000, 11_800), sums(500, 590), 500, 590),
            Ok(())
        );
        assert_eq!(
            credit_allowed(LIMIT, sums(10_000, 11_800), NoteSums::default(), 1, 1),
            Err(IssueOutcome::ExceedsInvoice {
                taxable_left: 0,
                total_left: 0
            })
        );
    }

    #[test]
    fn a_series_is_dated_in_order() {
        assert_eq!(date_allowed("2025-05-01", "2025-05-01"), Ok(()));
        assert_eq!(date_allowed("2025-05-02", "2025-05-01"), Ok(()));
        assert_eq!(
            date_allowed("2025-04-30", "2025-05-01"),
            Err(IssueOutcome::DateBeforeSeries {
                last_date: "2025-05-01".into()
            })
        );
    }

    #[test]
    fn a_series_runs_out_of_numbers() {
        let series = SeriesFormat::new("INV", 2).unwrap();
        let fy = FinancialYear::of(time::macros::date!(2025 - 06 - 01));
        assert_eq!(number(&series, fy, 99).as_deref(), Ok("INV/25-26/99"));
        assert!(matches!(
            number(&series, fy, 100),
            Err(IssueOutcome::SeriesExhausted(_))
        ));
    }

    #[test]
    fn rate_cards_may_not_change_an_invoiced_month() {
        assert_eq!(rate_card_allowed("2025-06-01", None), AddRateCard::Added);
        assert_eq!(
            rate_card_allowed("2025-06-01", Some("2025-05".into())),
            AddRateCard::Added
        );
        assert_eq!(
            rate_card_allowed("2025-06-15", Some("2025-06".into())),
            AddRateCard::AlreadyInvoiced("2025-06".into())
        );
        assert_eq!(
            rate_card_allowed("2025-06-01", Some("2025-08".into())),
            AddRateCard::AlreadyInvoiced("2025-08".into())
        );
    }
}
