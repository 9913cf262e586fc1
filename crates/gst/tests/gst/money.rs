use akashone_gst::{Discount, GstError, GstRate, MAX_PAISE, Paise, Percent, Quantity, UnitPrice};

fn p(s: &str) -> Paise {
    Paise::parse_rupees(s).unwrap()
}

#[test]
fn paise_parse_and_format() {
    assert_eq!(p("16211.26").as_i64(), 1_621_126);
    assert_eq!(p("2000").as_i64(), 200_000);
    assert_eq!(p("0.5").as_i64(), 50);
    assert_eq!(p("-0.26").to_rupee_string(), "-0.26");
    assert_eq!(p("118000").to_indian_string(), "1,18,000.00");
    assert_eq!(p("10000000").to_indian_string(), "1,00,00,000.00");
    assert_eq!(p("16211.26").to_string(), "16211.26");
    for bad in ["", "1,000.00", "1e3", "12.345", "₹5", "--1", "1.2.3", "+1"] {
        let e = Paise::parse_rupees(bad).unwrap_err();
        assert!(matches!(e, GstError::InvalidValue { .. }), "{bad}: {e}");
    }
    assert!(Paise::new(MAX_PAISE).is_some());
    assert!(Paise::new(MAX_PAISE + 1).is_none());
}

#[test]
fn rupee_rounding_half_up() {
    assert_eq!(p("16211.26").round_to_rupee(), p("16211"));
    assert_eq!(p("16211.50").round_to_rupee(), p("16212"));
    assert_eq!(p("16211.49").round_to_rupee(), p("16211"));
    assert_eq!(p("-0.50").round_to_rupee(), p("-1"));
}

#[test]
fn quantity_times_price_rounds_half_up_to_paise() {
    let q = Quantity::parse("2232").unwrap();
    let u = UnitPrice::parse_rupees("0.417").unwrap();
    assert_eq!(q.times(u).unwrap(), p("930.74")); // 930.744
    let q = Quantity::parse("512.5").unwrap();
    let u = UnitPrice::parse_rupees("7.2").unwrap();
    assert_eq!(q.times(u).unwrap(), p("3690"));
    let q = Quantity::parse("0.005").unwrap();
    let u = UnitPrice::parse_rupees("1").unwrap();
    assert_eq!(q.times(u).unwrap(), p("0.01")); // 0.005 → 0.01, half-up
}

#[test]
fn unit_price_and_quantity_formats() {
    assert_eq!(
        UnitPrice::parse_rupees("11.250").unwrap().to_string(),
        "11.25"
    );
    assert_eq!(UnitPrice::parse_rupees("7.2").unwrap().to_string(), "7.20");
    assert_eq!(
        UnitPrice::parse_rupees("0.417").unwrap().to_string(),
        "0.417"
    );
    assert_eq!(
        UnitPrice::from_paise(1125).unwrap(),
        UnitPrice::parse_rupees("11.25").unwrap()
    );
    assert!(UnitPrice::parse_rupees("-1").is_err());
    assert!(UnitPrice::parse_rupees("0.0001").is_err());
    assert_eq!(Quantity::parse("744.000").unwrap().to_string(), "744");
    assert_eq!(Quantity::parse("2232").unwrap().to_indian_string(), "2,232");
    assert!(Quantity::parse("0").is_err());
    assert!(Quantity::parse("-1").is_err());
    assert!(Quantity::from_milli(0).is_err());
    let q: Quantity = serde_json::from_str("744").unwrap();
    assert_eq!(q.milli(), 744_000);
    let q: Quantity = serde_json::from_str("\"512.5\"").unwrap();
    assert_eq!(q.milli(), 512_500);
    let e = serde_json::from_str::<Quantity>("512.5").unwrap_err();
    assert!(e.to_string().contains("must be written as a string"), "{e}");
}

#[test]
fn rates_are_notified_slabs() {
    assert_eq!(GstRate::parse("18").unwrap(), GstRate::STANDARD);
    for ok in ["0", "0.1", "0.25", "5", "12", "28", "40"] {
        assert!(GstRate::parse(ok).is_ok(), "{ok}");
    }
    for bad in ["17", "1.8", "100", "-18", "18.001", "abc"] {
        assert!(GstRate::parse(bad).is_err(), "{bad}");
    }
    let r: GstRate = serde_json::from_str("18").unwrap();
    assert_eq!(r, GstRate::STANDARD);
    assert_eq!(Percent::parse("0.25").unwrap().half_string(), "0.125");
    assert_eq!(Percent::parse("18").unwrap().half_string(), "9");
}

#[test]
fn discounts() {
    let gross = p("8370");
    let pct = Discount::Percent(Percent::parse("12").unwrap());
    assert_eq!(pct.on(gross).unwrap(), p("1004.40"));
    assert_eq!(Discount::Amount(p("100")).on(gross).unwrap(), p("100"));
    assert!(Discount::Amount(p("8370.01")).on(gross).is_err());
    assert!(Discount::Amount(p("-1")).on(gross).is_err());
    let d: Discount = serde_json::from_str(r#"{"percent": "5"}"#).unwrap();
    assert_eq!(d, Discount::Percent(Percent::parse("5").unwrap()));
    assert!(serde_json::from_str::<Discount>(r#"{"pct": "5"}"#).is_err());
}
