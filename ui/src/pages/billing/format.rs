//! How the billing page writes what the server gives it. Amounts arrive as exact rupee strings
//! (`613017.82`, `-0.18`) and are only regrouped here, never turned into floats: what is shown is
//! what was issued, digit for digit.

use akashone_types::central::{DocumentKind, TaxRegimeOut};

/// Indian digit grouping of a run of digits: the last three, then twos (`613017` → `6,13,017`).
fn group_indian(digits: &str) -> String {
    let n = digits.len();
    if n <= 3 {
        return digits.to_owned();
    }
    let (head, tail) = digits.split_at(n - 3);
    let mut out = String::with_capacity(n + n / 2);
    let lead = head.len() % 2;
    for (i, c) in head.chars().enumerate() {
        if i > 0 && (i + 2 - lead) % 2 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push(',');
    out.push_str(tail);
    out
}

/// The sign and the unsigned part of a decimal string, when it is one (`-12.50` →
/// (`-`, `12`, `.50`)). `None` for anything else, which is then shown as given.
fn split_amount(s: &str) -> Option<(&'static str, &str, &str)> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'-') => ("-", &s[1..]),
        Some(b'+') => ("+", &s[1..]),
        _ => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().skip(1).all(|b| b.is_ascii_digit());
    ok.then_some((sign, int, frac))
}

/// Whether an amount string is zero (`0.00`, `-0.00`, `0`).
pub fn is_zero(s: &str) -> bool {
    split_amount(s).is_some_and(|(_, int, frac)| {
        int.bytes().all(|b| b == b'0') && frac.bytes().skip(1).all(|b| b == b'0')
    })
}

/// Rupees as written in India: `613017.82` → `₹6,13,017.82`, `-0.18` → `−₹0.18`. Text that is
/// not a plain decimal number is returned unchanged.
pub fn rupees(s: &str) -> String {
    match split_amount(s) {
        Some((sign, int, frac)) => {
            let sign = match sign {
                "-" if !is_zero(s) => "\u{2212}",
                "+" if !is_zero(s) => "+",
                _ => "",
            };
            format!("{sign}₹{}{frac}", group_indian(int))
        }
        None => s.trim().to_owned(),
    }
}

/// An amount of a document as it counts against its invoice: a credit note's reduces it
/// (`−₹1,180.00`), a debit note's adds to it (`+₹590.00`), an invoice's is as issued.
pub fn signed_rupees(kind: DocumentKind, s: &str) -> String {
    let plain = rupees(s);
    if is_zero(s) || split_amount(s).is_none_or(|(sign, ..)| !sign.is_empty()) {
        return plain;
    }
    match kind {
        DocumentKind::Invoice => plain,
        DocumentKind::CreditNote => format!("\u{2212}{plain}"),
        DocumentKind::DebitNote => format!("+{plain}"),
    }
}

/// A quantity without trailing zeros after the point: `720.000` → `720`, `1.500` → `1.5`.
pub fn quantity(s: &str) -> String {
    let s = s.trim();
    match split_amount(s) {
        Some(_) if s.contains('.') => s.trim_end_matches('0').trim_end_matches('.').to_owned(),
        _ => s.to_owned(),
    }
}

/// A GST rate as a percentage: `18` → `18%`, `2.50` → `2.5%`.
pub fn percent(s: &str) -> String {
    format!("{}%", quantity(s))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(m: &str) -> Option<&'static str> {
    let m: usize = m.parse().ok()?;
    MONTHS.get(m.checked_sub(1)?).copied()
}

/// A date of issue: `2026-11-01` → `1 Nov 2026`. Anything else is shown as given.
pub fn date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) => {
            match month_name(m) {
                Some(name) => format!("{} {name} {y}", d.trim_start_matches('0')),
                None => s.to_owned(),
            }
        }
        _ => s.to_owned(),
    }
}

/// A billing period: `2026-10` → `Oct 2026`. Anything else is shown as given.
pub fn period(s: &str) -> String {
    match s.trim().split_once('-') {
        Some((y, m)) if y.len() == 4 && m.len() == 2 => match month_name(m) {
            Some(name) => format!("{name} {y}"),
            None => s.to_owned(),
        },
        _ => s.to_owned(),
    }
}

/// The short badge of a note, none for an invoice.
pub fn kind_badge(kind: DocumentKind) -> Option<&'static str> {
    match kind {
        DocumentKind::Invoice => None,
        DocumentKind::CreditNote => Some("CN"),
        DocumentKind::DebitNote => Some("DN"),
    }
}

/// The kind in words.
pub fn kind_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Invoice => "Tax invoice",
        DocumentKind::CreditNote => "Credit note",
        DocumentKind::DebitNote => "Debit note",
    }
}

/// The tax regime in words.
pub fn regime(r: TaxRegimeOut) -> &'static str {
    match r {
        TaxRegimeOut::CgstSgst => "CGST + SGST (intra-State)",
        TaxRegimeOut::CgstUtgst => "CGST + UTGST (within a Union Territory)",
        TaxRegimeOut::Igst => "IGST (inter-State)",
        TaxRegimeOut::ZeroRatedLut => "Zero-rated under LUT (IGST nil)",
    }
}

/// The tax heads a regime charges, in printed order.
pub fn regime_heads(r: TaxRegimeOut) -> &'static [&'static str] {
    match r {
        TaxRegimeOut::CgstSgst => &["CGST", "SGST"],
        TaxRegimeOut::CgstUtgst => &["CGST", "UTGST"],
        TaxRegimeOut::Igst | TaxRegimeOut::ZeroRatedLut => &["IGST"],
    }
}

/// A `#RRGGBB` colour safe to put in a style attribute, or `None`.
pub fn brand_colour(c: Option<&str>) -> Option<String> {
    let c = c?.trim();
    (c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| c.to_owned())
}

/// A base64 PNG as a `data:` URL, when it only holds base64 characters.
pub fn logo_url(png: Option<&str>) -> Option<String> {
    let png = png?.trim();
    let ok = !png.is_empty()
        && png
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\n' | b'\r'));
    ok.then(|| format!("data:image/png;base64,{}", png.replace(['\n', '\r'], "")))
}

/// "1 invoice", "2 invoices".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_rupees_the_indian_way_without_touching_the_digits() {
        assert_eq!(rupees("613017.82"), "₹6,13,017.82");
        assert_eq!(rupees("0.00"), "₹0.00");
        assert_eq!(rupees("999.99"), "₹999.99");
        assert_eq!(rupees("1000.00"), "₹1,000.00");
        assert_eq!(rupees("100000.00"), "₹1,00,000.00");
        assert_eq!(rupees("12345678901.05"), "₹12,34,56,78,901.05");
        assert_eq!(rupees("1180"), "₹1,180");
        assert_eq!(rupees("0.900"), "₹0.900");
        assert_eq!(rupees("-0.18"), "\u{2212}₹0.18");
        assert_eq!(rupees("-0.00"), "₹0.00");
        assert_eq!(rupees("+0.32"), "+₹0.32");
        assert_eq!(rupees("12 paise"), "12 paise");
        assert_eq!(rupees(""), "");
    }

    #[test]
    fn notes_count_against_their_invoice() {
        assert_eq!(
            signed_rupees(DocumentKind::CreditNote, "1180.00"),
            "\u{2212}₹1,180.00"
        );
        assert_eq!(signed_rupees(DocumentKind::DebitNote, "590.00"), "+₹590.00");
        assert_eq!(signed_rupees(DocumentKind::Invoice, "590.00"), "₹590.00");
        assert_eq!(signed_rupees(DocumentKind::CreditNote, "0.00"), "₹0.00");
        assert_eq!(
            signed_rupees(DocumentKind::CreditNote, "-5.00"),
            "\u{2212}₹5.00"
        );
    }

    #[test]
    fn zero_is_recognised_from_the_text() {
        assert!(is_zero("0.00"));
        assert!(is_zero("-0.00"));
        assert!(is_zero("0"));
        assert!(!is_zero("0.01"));
        assert!(!is_zero("abc"));
    }

    #[test]
    fn quantities_dates_and_periods_read_naturally() {
        assert_eq!(quantity("720.000"), "720");
        assert_eq!(quantity("1.500"), "1.5");
        assert_eq!(quantity("30"), "30");
        assert_eq!(percent("18"), "18%");
        assert_eq!(percent("2.50"), "2.5%");
        assert_eq!(date("2026-11-01"), "1 Nov 2026");
        assert_eq!(date("2026-13-01"), "2026-13-01");
        assert_eq!(date("soon"), "soon");
        assert_eq!(period("2026-10"), "Oct 2026");
        assert_eq!(period("2026-00"), "2026-00");
    }

    #[test]
    fn only_safe_colours_and_logos_reach_the_page() {
        assert_eq!(brand_colour(Some("#1F4E8C")).as_deref(), Some("#1F4E8C"));
        assert_eq!(brand_colour(Some("red;x:y")), None);
        assert_eq!(brand_colour(None), None);
        assert_eq!(
            logo_url(Some("iVBORw0KGgo=")).as_deref(),
            Some("data:image/png;base64,iVBORw0KGgo=")
        );
        assert_eq!(logo_url(Some("\" onerror=")), None);
    }
}
