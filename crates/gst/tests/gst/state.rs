use super::support::{csv_fields, fixture};
use akashone_gst::{GstError, STATES, StateCode, StateKind};

#[test]
fn embedded_table_matches_the_csv() {
    let csv = fixture("state_codes.csv");
    let mut rows = csv.lines();
    assert_eq!(rows.next(), Some("code,name,kind"));
    let rows: Vec<Vec<String>> = rows
        .filter(|l| !l.trim().is_empty())
        .map(csv_fields)
        .collect();
    assert_eq!(rows.len(), STATES.len());
    for (row, info) in rows.iter().zip(STATES.iter()) {
        assert_eq!(row[0], format!("{:02}", info.code));
        assert_eq!(row[1], info.name);
        assert_eq!(row[2], info.kind.as_str());
        let code = StateCode::parse(&row[0]).unwrap();
        assert_eq!(code.name(), info.name);
        assert_eq!(code.to_string(), row[0]);
    }
}

#[test]
fn utgst_applies_only_in_uts_without_legislature_and_other_territory() {
    let utgst: Vec<u8> = STATES
        .iter()
        .filter(|s| StateCode::new(s.code).unwrap().uses_utgst())
        .map(|s| s.code)
        .collect();
    assert_eq!(utgst, vec![4, 26, 31, 35, 38, 97]);
    // Delhi, Puducherry, J&K have legislatures: SGST.
    for c in [7, 34, 1] {
        assert_eq!(
            StateCode::new(c).unwrap().kind(),
            StateKind::UtWithLegislature
        );
        assert!(!StateCode::new(c).unwrap().uses_utgst());
    }
}

#[test]
fn unknown_and_restricted_codes() {
    assert!(matches!(
        StateCode::parse("00"),
        Err(GstError::UnknownStateCode(_))
    ));
    assert!(matches!(
        StateCode::parse("39"),
        Err(GstError::UnknownStateCode(_))
    ));
    assert!(matches!(
        StateCode::parse("2x"),
        Err(GstError::UnknownStateCode(_))
    ));
    assert!(matches!(
        StateCode::parse("123"),
        Err(GstError::UnknownStateCode(_))
    ));
    assert_eq!(StateCode::parse("7").unwrap().to_string(), "07");
    for legacy in ["25", "28", "96"] {
        let e = StateCode::parse(legacy)
            .unwrap()
            .for_new_domestic_invoice("seller")
            .unwrap_err();
        assert!(
            matches!(e, GstError::StateNotAllowed { .. }),
            "{legacy}: {e}"
        );
    }
    assert_eq!(
        StateCode::from_name("karnataka"),
        StateCode::parse("29").ok()
    );
}

#[test]
fn serde_accepts_strings_and_integers() {
    let a: StateCode = serde_json::from_str("\"29\"").unwrap();
    let b: StateCode = serde_json::from_str("29").unwrap();
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).unwrap(), "\"29\"");
    let err = serde_json::from_str::<StateCode>("\"00\"").unwrap_err();
    assert!(err.to_string().contains("unknown State/UT code"), "{err}");
}
