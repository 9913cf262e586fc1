use super::support::{csv_fields, fixture};
use akashone_gst::{Paise, amount_in_words, number_in_words};

#[test]
fn vectors_fixture() {
    let csv = fixture("amount_words_vectors.csv");
    let mut n = 0;
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f = csv_fields(line);
        let amount = Paise::parse_rupees(&f[0]).unwrap();
        assert_eq!(amount_in_words(amount), f[1], "{}", f[0]);
        n += 1;
    }
    assert_eq!(n, 7);
}

#[test]
fn indian_numbering() {
    assert_eq!(number_in_words(0), "Zero");
    assert_eq!(number_in_words(19), "Nineteen");
    assert_eq!(number_in_words(20), "Twenty");
    assert_eq!(number_in_words(99), "Ninety Nine");
    assert_eq!(number_in_words(100_000), "One Lakh");
    assert_eq!(
        number_in_words(1_234_567),
        "Twelve Lakh Thirty Four Thousand Five Hundred Sixty Seven"
    );
    assert_eq!(
        number_in_words(999_999_999),
        "Ninety Nine Crore Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine"
    );
    assert_eq!(number_in_words(1_000_000_000_000), "One Lakh Crore");
    // 1,23,456 crore + 78,90,123
    assert_eq!(
        number_in_words(1_234_567_890_123),
        "One Lakh Twenty Three Thousand Four Hundred Fifty Six Crore Seventy Eight Lakh Ninety Thousand One Hundred Twenty Three"
    );
}

#[test]
fn paise_and_signs() {
    let p = |s: &str| Paise::parse_rupees(s).unwrap();
    assert_eq!(amount_in_words(p("0")), "Rupees Zero Only");
    assert_eq!(amount_in_words(p("0.01")), "Rupees Zero and One Paisa Only");
    assert_eq!(amount_in_words(p("1")), "Rupees One Only");
    assert_eq!(
        amount_in_words(p("16211.26")),
        "Rupees Sixteen Thousand Two Hundred Eleven and Twenty Six Paise Only"
    );
    assert_eq!(
        amount_in_words(p("-0.26")),
        "Minus Rupees Zero and Twenty Six Paise Only"
    );
}

#[test]
fn words_never_have_hyphens_commas_or_inner_and() {
    for n in (0..2_000_000u64).step_by(7919) {
        let w = number_in_words(n);
        assert!(
            !w.contains('-') && !w.contains(',') && !w.contains(" and "),
            "{n}: {w}"
        );
        assert!(!w.contains("  "), "{n}: {w}");
    }
}
