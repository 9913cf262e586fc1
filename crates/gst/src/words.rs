//! Amounts in words, Indian numbering (thousand, lakh = 1,00,000, crore = 1,00,00,000).
//!
//! Format: `Rupees <words> [and <n> Paise] Only`, Title Case, no hyphens, commas or "and"
//! inside numbers; one paisa is "One Paisa".

use crate::Paise;

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];

const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

fn below_hundred(n: u64, out: &mut Vec<&'static str>) {
    debug_assert!(n < 100);
    if n < 20 {
        out.push(ONES[n as usize]);
    } else {
        out.push(TENS[(n / 10) as usize]);
        if !n.is_multiple_of(10) {
            out.push(ONES[(n % 10) as usize]);
        }
    }
}

/// Appends the words for `n` > 0.
fn push_words(n: u64, out: &mut Vec<&'static str>) {
    let crore = n / 10_000_000;
    let rest = n % 10_000_000;
    if crore > 0 {
        // Crores of crores are counted in the same system: 100 crore, 1 lakh crore.
        push_words(crore, out);
        out.push("Crore");
    }
    let lakh = rest / 100_000;
    let thousand = rest / 1_000 % 100;
    let hundred = rest / 100 % 10;
    let units = rest % 100;
    if lakh > 0 {
        below_hundred(lakh, out);
        out.push("Lakh");
    }
    if thousand > 0 {
        below_hundred(thousand, out);
        out.push("Thousand");
    }
    if hundred > 0 {
        out.push(ONES[hundred as usize]);
        out.push("Hundred");
    }
    if units > 0 {
        below_hundred(units, out);
    }
}

/// A whole number in words, Indian system: `118000` → `One Lakh Eighteen Thousand`.
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut out = Vec::new();
    push_words(n, &mut out);
    out.join(" ")
}

/// An amount in words as printed on an invoice.
///
/// ```
/// use akashone_gst::{Paise, amount_in_words};
/// let a = Paise::new(1_621_100).unwrap();
/// assert_eq!(amount_in_words(a), "Rupees Sixteen Thousand Two Hundred Eleven Only");
/// let b = Paise::new(101).unwrap();
/// assert_eq!(amount_in_words(b), "Rupees One and One Paisa Only");
/// ```
///
/// A negative amount is prefixed with "Minus".
pub fn amount_in_words(amount: Paise) -> String {
    let abs = amount.as_i64().unsigned_abs();
    let rupees = abs / 100;
    let paise = abs % 100;
    let sign = if amount.is_negative() { "Minus " } else { "" };
    let mut s = format!("{sign}Rupees {}", number_in_words(rupees));
    if paise > 0 {
        s.push_str(" and ");
        s.push_str(&number_in_words(paise));
        s.push_str(if paise == 1 { " Paisa" } else { " Paise" });
    }
    s.push_str(" Only");
    s
}
