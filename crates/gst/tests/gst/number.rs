use akashone_gst::{
    FinancialYear, GstError, Gstin, InMemorySequence, InvoiceNumber, InvoiceNumberSequence,
    SeriesFormat, financial_year,
};
use std::collections::BTreeSet;
use std::sync::Arc;
use time::macros::date;

#[test]
fn invoice_number_rules() {
    for ok in ["NCS/25-26/000123", "1", "A-1/B", "abcdefghijklmnop"] {
        assert!(InvoiceNumber::parse(ok).is_ok(), "{ok}");
    }
    for bad in ["", "NCS/2025-26/000123", "NCS 25", "NCS_25", "NCS#1", "ü"] {
        let e = InvoiceNumber::parse(bad).unwrap_err();
        assert!(
            matches!(e, GstError::InvalidInvoiceNumber { .. }),
            "{bad}: {e}"
        );
    }
    assert!(!InvoiceNumber::parse("0001").unwrap().is_irp_compatible());
    assert!(!InvoiceNumber::parse("/1").unwrap().is_irp_compatible());
    assert!(InvoiceNumber::parse("1001").unwrap().is_irp_compatible());
    let e = InvoiceNumber::parse("NCS/2025-26/000123").unwrap_err();
    assert!(e.to_string().contains("16 characters"), "{e}");
}

#[test]
fn financial_years_run_april_to_march() {
    assert_eq!(
        financial_year(date!(2025 - 04 - 01)),
        FinancialYear::starting_in(2025)
    );
    assert_eq!(
        financial_year(date!(2025 - 03 - 31)),
        FinancialYear::starting_in(2024)
    );
    assert_eq!(financial_year(date!(2026 - 01 - 15)).to_string(), "2025-26");
    assert_eq!(FinancialYear::starting_in(2099).to_string(), "2099-00");
    assert_eq!(FinancialYear::starting_in(2025).short_label(), "25-26");
    let fy = FinancialYear::starting_in(2025);
    assert_eq!(fy.first_day(), date!(2025 - 04 - 01));
    assert_eq!(fy.last_day(), date!(2026 - 03 - 31));
    assert!(fy.contains(date!(2026 - 03 - 31)));
    assert!(!fy.contains(date!(2026 - 04 - 01)));
}

#[test]
fn series_format() {
    let s = SeriesFormat::new("NCS", 6).unwrap();
    let fy = FinancialYear::starting_in(2025);
    assert_eq!(s.format(fy, 123).unwrap().as_str(), "NCS/25-26/000123");
    assert_eq!(s.format(fy, 999_999).unwrap().as_str().len(), 16);
    assert!(matches!(
        s.format(fy, 1_000_000),
        Err(GstError::SeriesExhausted { .. })
    ));
    assert!(s.format(fy, 0).is_err());
    assert_eq!(
        SeriesFormat::new("", 6)
            .unwrap()
            .format(fy, 7)
            .unwrap()
            .as_str(),
        "25-26/000007"
    );
    assert!(SeriesFormat::new("NCSX", 6).is_err()); // 17 characters
    assert!(SeriesFormat::new("NC S", 4).is_err());
    assert!(SeriesFormat::new("0NC", 4).is_err()); // IRP refuses a leading 0
    assert!(SeriesFormat::new("NCS", 0).is_err());
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<SeriesFormat>(&json).unwrap(), s);
    assert!(
        serde_json::from_str::<SeriesFormat>(r#"{"prefix":"TOOLONGPREFIX","digits":6}"#).is_err()
    );
}

#[test]
fn sequences_are_per_seller_series_and_year() {
    let seq = InMemorySequence::new();
    let a = Gstin::parse("29AAFCN1234C1ZU").unwrap();
    let b = Gstin::parse("27AAKCS2345E1ZE").unwrap();
    let inv = SeriesFormat::new("NCS", 6).unwrap();
    let cn = SeriesFormat::new("NCC", 6).unwrap();
    let d = date!(2025 - 11 - 01);
    assert_eq!(
        seq.next_number(&a, &inv, d).unwrap().as_str(),
        "NCS/25-26/000001"
    );
    assert_eq!(
        seq.next_number(&a, &inv, d).unwrap().as_str(),
        "NCS/25-26/000002"
    );
    assert_eq!(
        seq.next_number(&a, &cn, d).unwrap().as_str(),
        "NCC/25-26/000001"
    );
    assert_eq!(
        seq.next_number(&b, &inv, d).unwrap().as_str(),
        "NCS/25-26/000001"
    );
    // A fresh series each 1 April.
    assert_eq!(
        seq.next_number(&a, &inv, date!(2026 - 04 - 01))
            .unwrap()
            .as_str(),
        "NCS/26-27/000001"
    );
    assert_eq!(
        seq.next_number(&a, &inv, date!(2026 - 03 - 31))
            .unwrap()
            .as_str(),
        "NCS/25-26/000003"
    );
}

#[test]
fn exhausted_series_does_not_advance() {
    let seq = InMemorySequence::new();
    let a = Gstin::parse("29AAFCN1234C1ZU").unwrap();
    let s = SeriesFormat::new("X", 1).unwrap();
    let fy = FinancialYear::starting_in(2025);
    seq.resume(&a, &s, fy, 8);
    let d = date!(2025 - 11 - 01);
    assert_eq!(seq.next_number(&a, &s, d).unwrap().as_str(), "X/25-26/9");
    assert!(matches!(
        seq.next_number(&a, &s, d),
        Err(GstError::SeriesExhausted { .. })
    ));
    assert_eq!(seq.last(&a, &s, fy), 9);
}

/// Many threads drawing from the same series get every number exactly once, with no gaps.
#[test]
fn concurrent_allocation_has_no_gaps_or_duplicates() {
    const THREADS: usize = 16;
    const EACH: usize = 500;
    let seq = Arc::new(InMemorySequence::new());
    let seller = Gstin::parse("29AAFCN1234C1ZU").unwrap();
    let series = SeriesFormat::new("NCS", 6).unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (seq, seller, series) = (seq.clone(), seller.clone(), series.clone());
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|_| {
                        seq.next_number(&seller, &series, date!(2025 - 11 - 01))
                            .unwrap()
                            .to_string()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        let mine = h.join().unwrap();
        // Each thread sees its own numbers in increasing order.
        assert!(mine.windows(2).all(|w| w[0] < w[1]));
        all.extend(mine);
    }
    let set: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(set.len(), THREADS * EACH, "duplicates handed out");
    let expected: BTreeSet<String> = (1..=(THREADS * EACH) as u64)
        .map(|i| format!("NCS/25-26/{i:06}"))
        .collect();
    assert_eq!(set, expected, "gaps in the series");
}
