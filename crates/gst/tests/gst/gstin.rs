use super::support::{csv_fields, fixture};
use akashone_gst::{Gstin, GstinError, GstinKind, check_character};

/// Every vector: valid ones parse, invalid ones fail for the reason given in brackets.
#[test]
fn vectors_fixture() {
    let csv = fixture("gstin_vectors.csv");
    let mut count = 0;
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f = csv_fields(line);
        let (gstin, valid, source) = (&f[0], &f[1], &f[2]);
        let result = Gstin::parse(gstin);
        count += 1;
        if valid == "true" {
            let g = result.unwrap_or_else(|e| panic!("{gstin} should be valid: {e}"));
            assert_eq!(g.as_str(), gstin);
            continue;
        }
        let err = result.expect_err(gstin);
        let reason = source
            .rsplit_once('[')
            .and_then(|(_, r)| r.strip_suffix(']'))
            .unwrap_or_else(|| panic!("no [reason] in {source}"));
        match &err {
            GstinError::CheckCharacter {
                found, expected, ..
            } => {
                assert_eq!(
                    reason,
                    format!("check character '{found}' != expected '{expected}'"),
                    "{gstin}"
                );
            }
            GstinError::Length { len, .. } => {
                assert_eq!(reason, format!("length {len} != 15"), "{gstin}")
            }
            GstinError::UnknownStateCode { code, .. } => {
                assert_eq!(reason, format!("unknown state code {code}"), "{gstin}")
            }
            GstinError::Format { .. } => {
                assert_eq!(reason, "does not match any GSTIN/UIN pattern", "{gstin}")
            }
        }
        // The message says what is wrong in words a person can act on.
        assert!(err.to_string().contains(gstin.as_str()), "{err}");
    }
    assert_eq!(count, 19);
}

#[test]
fn kinds_and_parts() {
    let g = Gstin::parse("29AAACB2894G1ZJ").unwrap();
    assert_eq!(g.kind(), GstinKind::Regular);
    assert_eq!(g.pan(), Some("AAACB2894G"));
    assert_eq!(g.state_code().unwrap().code(), 29);
    let oidar = Gstin::parse("9917NLD29003OSV").unwrap();
    assert_eq!(oidar.kind(), GstinKind::Oidar);
    assert_eq!(oidar.state_code(), None);
    assert_eq!(oidar.pan(), None);
}

#[test]
fn normalises_case_and_spaces() {
    let g = Gstin::parse("  27aaacr5055k1z7 ").unwrap();
    assert_eq!(g.as_str(), "27AAACR5055K1Z7");
    assert_eq!(g.to_string(), "27AAACR5055K1Z7");
}

#[test]
fn check_character_examples() {
    assert_eq!(check_character("29AAFCN1234C1Z"), Some('U'));
    assert_eq!(check_character("29AAHCA5678D1Z"), Some('F'));
    assert_eq!(check_character("27AAKCS2345E1Z"), Some('E'));
    assert_eq!(check_character("27aa"), None);
}

#[test]
fn every_single_character_change_of_a_valid_gstin_is_caught() {
    // Luhn mod 36 detects every single-character substitution.
    let valid = "27AAACR5055K1Z7";
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for i in 0..15 {
        for c in alphabet.chars() {
            let mut s: Vec<char> = valid.chars().collect();
            if s[i] == c {
                continue;
            }
            s[i] = c;
            let s: String = s.into_iter().collect();
            assert!(Gstin::parse(&s).is_err(), "{s} accepted");
        }
    }
}

#[test]
fn non_ascii_is_a_format_error_not_a_panic() {
    let e = Gstin::parse("27AAACR5055K1Z₹").unwrap_err();
    assert!(matches!(e, GstinError::Format { .. }), "{e}");
    let e = Gstin::parse("").unwrap_err();
    assert!(matches!(e, GstinError::Length { len: 0, .. }), "{e}");
}

#[test]
fn serde_validates() {
    let e = serde_json::from_str::<Gstin>("\"29AAHCA5678D1ZX\"").unwrap_err();
    assert!(
        e.to_string()
            .contains("check character 'X' != expected 'F'"),
        "{e}"
    );
}
