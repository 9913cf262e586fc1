//! How the UI writes what the shell gives it: money, dates and times, sizes, counts, and the
//! labels of invoices and VM states. Amounts arrive as exact rupee strings (`613017.82`, `-0.18`)
//! and are only regrouped here, never turned into floats: what is shown is what was issued,
//! digit for digit.

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

// ---- Sizes --------------------------------------------------------------------------------------

/// Memory given in MB: `2048` → `2 GB`, `1536` → `1.5 GB`, `512` → `512 MB`.
pub fn memory_text(mb: i64) -> String {
    if mb >= 1024 && mb % 1024 == 0 {
        format!("{} GB", mb / 1024)
    } else if mb >= 1024 {
        format!("{:.1} GB", mb as f64 / 1024.0)
    } else {
        format!("{mb} MB")
    }
}

/// A figure given in KiB, in the largest unit that keeps it readable; `—` when unknown.
pub fn kib(v: Option<i64>) -> String {
    match v {
        None => "—".into(),
        Some(k) if k >= 1024 * 1024 => format!("{:.1} GB", k as f64 / (1024.0 * 1024.0)),
        Some(k) if k >= 1024 => format!("{:.1} MB", k as f64 / 1024.0),
        Some(k) => format!("{k} KB"),
    }
}

/// A volume's or snapshot's size in binary units, exactly (integer math): `20 GiB`, `1.5 TiB`.
pub fn disk_size(bytes: u64) -> String {
    akashone_types::storage::format_bytes(bytes)
}

/// `204800` → `200 KB`.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!(
            "{}.{} MB",
            bytes / (1024 * 1024),
            bytes % (1024 * 1024) * 10 / (1024 * 1024)
        )
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

// ---- Times --------------------------------------------------------------------------------------

/// A JavaScript date, or `None` when it is not a time.
fn valid(d: js_sys::Date) -> Option<js_sys::Date> {
    (!d.get_time().is_nan()).then_some(d)
}

/// `2026-03-04`, in the computer's time zone.
fn ymd(d: &js_sys::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// `2026-03-04 10:15`, in the computer's time zone.
fn ymd_hm(d: &js_sys::Date) -> String {
    format!("{} {:02}:{:02}", ymd(d), d.get_hours(), d.get_minutes())
}

/// A date from Unix seconds.
fn from_unix(secs: i64) -> Option<js_sys::Date> {
    valid(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        secs as f64 * 1000.0,
    )))
}

/// An RFC 3339 time (the cache keeps UTC) shown in the computer's time zone, to the minute:
/// `2026-11-25T04:45:00Z` → `2026-11-25 10:15` in India. Text that is not a time is shown as is.
pub fn short_time(t: &str) -> String {
    valid(js_sys::Date::new(&wasm_bindgen::JsValue::from_str(t)))
        .map(|d| ymd_hm(&d))
        .unwrap_or_else(|| t.to_owned())
}

/// Unix seconds as a local date: `2026-03-04`.
pub fn unix_date(secs: i64) -> String {
    from_unix(secs).map(|d| ymd(&d)).unwrap_or_default()
}

/// Unix seconds as a local time to the minute: `2026-03-04 10:15`.
pub fn unix_time(secs: i64) -> String {
    from_unix(secs).map(|d| ymd_hm(&d)).unwrap_or_default()
}

// ---- Counts and words ---------------------------------------------------------------------------

/// A count, or `—` when unknown.
pub fn num(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_else(|| "—".into())
}

/// "1 VM", "2 VMs".
pub fn vm_count(n: u64) -> String {
    if n == 1 {
        "1 VM".into()
    } else {
        format!("{n} VMs")
    }
}

/// "stop" → "Stop".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An operation's name as a heading: `volume.attach` → "Volume attach",
/// `ip.static_nat.enable` → "IP static NAT enable".
pub fn op_title(name: &str) -> String {
    let words: Vec<String> = name
        .split(['.', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "ip" => "IP".to_owned(),
            "nat" => "NAT".to_owned(),
            "lb" => "load balancer".to_owned(),
            "vm" => "VM".to_owned(),
            "vpc" => "VPC".to_owned(),
            "acl" => "ACL".to_owned(),
            "portforward" => "port forward".to_owned(),
            "to" => "to".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    capitalise(&words.join(" "))
}

// ---- Virtual machines ---------------------------------------------------------------------------

/// The badge class of a VM state (running, stopped, busy, error, anything else).
pub fn state_class(state: &str) -> &'static str {
    match state {
        "Running" => "state state-running",
        "Stopped" => "state state-stopped",
        "Starting" | "Stopping" | "Migrating" => "state state-busy",
        "Error" => "state state-error",
        _ => "state state-other",
    }
}

/// The badge class of a network, address, volume or snapshot state: green when it is in use or
/// ready, busy while CloudStack works on it, red when it failed or is going away.
pub fn resource_state_class(state: &str) -> &'static str {
    match state {
        "Implemented" | "Setup" | "Allocated" | "Ready" | "BackedUp" | "Active" | "Enabled"
        | "Running" => "state state-running",
        "Allocating" | "Implementing" | "Creating" | "BackingUp" | "Uploading" | "Migrating"
        | "Resizing" | "Reverting" | "Add" | "Releasing" | "Snapshotting" | "Starting"
        | "Stopping" => "state state-busy",
        "Error" | "Destroy" | "Destroying" | "Expunging" | "Revoke" | "Failed" | "Shutdown" => {
            "state state-error"
        }
        "Stopped" => "state state-stopped",
        _ => "state state-other",
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

    #[test]
    fn sizes_use_the_largest_readable_unit() {
        assert_eq!(memory_text(512), "512 MB");
        assert_eq!(memory_text(2048), "2 GB");
        assert_eq!(memory_text(1536), "1.5 GB");
        assert_eq!(kib(None), "—");
        assert_eq!(kib(Some(512)), "512 KB");
        assert_eq!(kib(Some(1536)), "1.5 MB");
        assert_eq!(kib(Some(3 * 1024 * 1024)), "3.0 GB");
        assert_eq!(size_text(204_800), "200 KB");
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(1024 * 1024 * 5 / 2), "2.5 MB");
    }

    #[test]
    fn counts_and_words() {
        assert_eq!(num(None), "—");
        assert_eq!(num(Some(42)), "42");
        assert_eq!(vm_count(1), "1 VM");
        assert_eq!(vm_count(10_000), "10000 VMs");
        assert_eq!(plural(1, "tenant", "tenants"), "1 tenant");
        assert_eq!(plural(0, "tenant", "tenants"), "0 tenants");
        assert_eq!(capitalise("stop"), "Stop");
        assert_eq!(capitalise(""), "");
        assert_eq!(state_class("Running"), "state state-running");
        assert_eq!(state_class("Migrating"), "state state-busy");
        assert_eq!(state_class("Expunging"), "state state-other");
    }

    #[test]
    fn operation_names_read_as_headings() {
        assert_eq!(op_title("volume.attach"), "Volume attach");
        assert_eq!(op_title("ip.static_nat.enable"), "IP static NAT enable");
        assert_eq!(op_title("lb.members"), "Load balancer members");
        assert_eq!(op_title("snapshot.to_volume"), "Snapshot to volume");
        assert_eq!(op_title("vm_snapshot.create"), "VM snapshot create");
        assert_eq!(op_title(""), "");
    }

    #[test]
    fn resource_states_are_coloured_by_meaning() {
        assert_eq!(resource_state_class("Implemented"), "state state-running");
        assert_eq!(resource_state_class("BackedUp"), "state state-running");
        assert_eq!(resource_state_class("Creating"), "state state-busy");
        assert_eq!(resource_state_class("Destroy"), "state state-error");
        assert_eq!(resource_state_class("Something"), "state state-other");
        assert_eq!(disk_size(20 * (1 << 30)), "20 GiB");
    }
}
