use super::support::*;
use akashone_gst::{GstError, StateCode, SupplyKind, TaxHead, TaxRegime, classify};

fn regime_of(
    f: impl FnOnce(&mut akashone_gst::InvoiceDraft),
) -> Result<akashone_gst::Supply, GstError> {
    let mut d = example_draft();
    f(&mut d);
    classify(&d)
}

fn draft_err(f: impl FnOnce(&mut akashone_gst::InvoiceDraft)) -> String {
    regime_of(f).unwrap_err().to_string()
}

#[test]
fn same_state_is_cgst_sgst() {
    let s = regime_of(|_| {}).unwrap();
    assert_eq!(s.kind, SupplyKind::B2b);
    assert_eq!(s.regime, TaxRegime::CgstSgst);
    assert_eq!(s.place_of_supply.code(), 29);
    assert!(!s.is_inter_state());
    assert_eq!(s.regime.heads(), &[TaxHead::Cgst, TaxHead::Sgst]);
    assert_eq!(s.endorsement(), None);
}

#[test]
fn different_states_are_igst() {
    let s = regime_of(|d| registered_buyer_in(d, "27")).unwrap();
    assert_eq!(s.regime, TaxRegime::Igst);
    assert_eq!(s.place_of_supply.code(), 27);
    assert!(s.is_inter_state());
}

#[test]
fn ut_without_legislature_is_cgst_utgst() {
    for ut in ["04", "26", "31", "35", "38", "97"] {
        let s = regime_of(|d| {
            seller_in(d, ut);
            registered_buyer_in(d, ut);
        })
        .unwrap();
        assert_eq!(s.regime, TaxRegime::CgstUtgst, "{ut}");
        assert_eq!(s.regime.heads(), &[TaxHead::Cgst, TaxHead::Utgst]);
    }
}

#[test]
fn ut_with_legislature_is_cgst_sgst() {
    for ut in ["07", "34", "01"] {
        let s = regime_of(|d| {
            seller_in(d, ut);
            registered_buyer_in(d, ut);
        })
        .unwrap();
        assert_eq!(s.regime, TaxRegime::CgstSgst, "{ut}");
    }
}

#[test]
fn karnataka_to_chandigarh_is_igst_not_utgst() {
    let s = regime_of(|d| registered_buyer_in(d, "04")).unwrap();
    assert_eq!(s.regime, TaxRegime::Igst);
}

#[test]
fn exports_are_zero_rated() {
    let lut = regime_of(|d| export_buyer(d, true)).unwrap();
    assert_eq!(lut.kind, SupplyKind::Export);
    assert_eq!(lut.regime, TaxRegime::ZeroRatedLut);
    assert_eq!(lut.place_of_supply, StateCode::FOREIGN);
    assert!(lut.zero_rated);
    assert!(
        lut.endorsement()
            .unwrap()
            .contains("LETTER OF UNDERTAKING WITHOUT PAYMENT")
    );
    assert_eq!(lut.einvoice_supply_type(), Some("EXPWOP"));
    let paid = regime_of(|d| export_buyer(d, false)).unwrap();
    assert_eq!(paid.regime, TaxRegime::Igst);
    assert!(
        paid.endorsement()
            .unwrap()
            .contains("ON PAYMENT OF INTEGRATED TAX")
    );
    assert_eq!(paid.einvoice_supply_type(), Some("EXPWP"));
}

#[test]
fn sez_in_the_same_state_is_still_igst() {
    let s = regime_of(|d| d.sez = true).unwrap();
    assert_eq!(s.kind, SupplyKind::Sez);
    assert_eq!(s.regime, TaxRegime::Igst);
    assert_eq!(s.einvoice_supply_type(), Some("SEZWP"));
    let s = regime_of(|d| {
        d.sez = true;
        d.lut = true;
    })
    .unwrap();
    assert_eq!(s.regime, TaxRegime::ZeroRatedLut);
    assert_eq!(s.einvoice_supply_type(), Some("SEZWOP"));
}

#[test]
fn unregistered_buyers() {
    let s = regime_of(|d| unregistered_buyer_in(d, Some("27"))).unwrap();
    assert_eq!(s.kind, SupplyKind::B2c);
    assert_eq!(s.regime, TaxRegime::Igst);
    assert_eq!(s.place_of_supply.code(), 27);
    assert_eq!(s.einvoice_supply_type(), None);
    // No address on record: the supplier's location.
    let s = regime_of(|d| unregistered_buyer_in(d, None)).unwrap();
    assert_eq!(s.place_of_supply.code(), 29);
    assert_eq!(s.regime, TaxRegime::CgstSgst);
    // An explicit place of supply is used when the buyer's State is unknown.
    let s = regime_of(|d| {
        unregistered_buyer_in(d, None);
        d.place_of_supply = Some(StateCode::parse("33").unwrap());
    })
    .unwrap();
    assert_eq!(s.regime, TaxRegime::Igst);
}

#[test]
fn inconsistent_parties_are_rejected() {
    assert!(
        draft_err(|d| d.seller.state = StateCode::parse("27").unwrap())
            .contains("does not match GSTIN 29AAFCN1234C1ZU")
    );
    assert!(
        draft_err(|d| d.buyer.state = Some(StateCode::parse("27").unwrap()))
            .contains("buyer state 27 (Maharashtra) does not match GSTIN")
    );
    assert!(
        draft_err(|d| d.place_of_supply = Some(StateCode::parse("27").unwrap()))
            .contains("s.12(2)(a)")
    );
    assert!(
        draft_err(|d| {
            unregistered_buyer_in(d, Some("27"));
            d.place_of_supply = Some(StateCode::parse("29").unwrap());
        })
        .contains("s.12(2)(b)")
    );
}

#[test]
fn bad_flag_combinations_are_rejected() {
    assert!(draft_err(|d| d.lut = true).contains("\"lut\" applies only to exports and SEZ"));
    assert!(
        draft_err(|d| {
            d.export = true;
            d.sez = true;
        })
        .contains("cannot both be true")
    );
    assert!(draft_err(|d| d.export = true).contains("has no GSTIN"));
    assert!(
        draft_err(|d| {
            export_buyer(d, true);
            d.buyer.country = None;
        })
        .contains("country of destination")
    );
    assert!(
        draft_err(|d| {
            export_buyer(d, true);
            d.buyer.country = Some("IN".into());
        })
        .contains("outside India")
    );
    assert!(
        draft_err(|d| {
            unregistered_buyer_in(d, None);
            d.sez = true;
        })
        .contains("SEZ unit or developer is registered")
    );
    assert!(
        draft_err(|d| {
            unregistered_buyer_in(d, None);
            d.buyer.country = Some("US".into());
        })
        .contains("set \"export\": true")
    );
}

#[test]
fn legacy_and_foreign_codes_cannot_be_domestic_places_of_supply() {
    let e = regime_of(|d| unregistered_buyer_in(d, Some("28"))).unwrap_err();
    assert!(matches!(e, GstError::StateNotAllowed { .. }), "{e}");
    let e = regime_of(|d| unregistered_buyer_in(d, Some("96"))).unwrap_err();
    assert!(e.to_string().contains("export"), "{e}");
}

#[test]
fn non_regular_registrations() {
    let e =
        draft_err(|d| d.buyer.gstin = Some(akashone_gst::Gstin::parse("9917NLD29003OSV").unwrap()));
    assert!(e.contains("non-resident"), "{e}");
    let tcs = {
        let first14 = "29AAFCN1234C1C";
        let c = akashone_gst::check_character(first14).unwrap();
        akashone_gst::Gstin::parse(&format!("{first14}{c}")).unwrap()
    };
    let e = draft_err(|d| d.seller.gstin = tcs);
    assert!(e.contains("regular GSTIN"), "{e}");
}
