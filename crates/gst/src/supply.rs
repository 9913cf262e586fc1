//! Place of supply (s.12(2), s.13(2) IGST Act) and the one tax regime of a document.
//!
//! | case | regime |
//! |---|---|
//! | supplier State = place of supply, a State or UT with legislature | CGST + SGST |
//! | same, a UT without legislature or Other Territory | CGST + UTGST |
//! | different State/UT | IGST |
//! | export or SEZ, with payment of tax | IGST (zero-rated, refundable) |
//! | export or SEZ under bond/LUT | no tax (zero-rated) |

use crate::draft::InvoiceDraft;
use crate::{GstError, GstinKind, StateCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who is supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyKind {
    /// A registered recipient in India (GSTIN or UIN).
    B2b,
    /// An unregistered recipient in India.
    B2c,
    /// A recipient outside India (export of services).
    Export,
    /// A SEZ unit or developer.
    Sez,
}

/// The tax heads a line can bear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TaxHead {
    /// Central tax.
    Cgst,
    /// State tax.
    Sgst,
    /// Union territory tax.
    Utgst,
    /// Integrated tax.
    Igst,
}

impl TaxHead {
    /// `CGST`, `SGST`, `UTGST`, `IGST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cgst => "CGST",
            Self::Sgst => "SGST",
            Self::Utgst => "UTGST",
            Self::Igst => "IGST",
        }
    }
}

impl fmt::Display for TaxHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The single tax regime of a document; every line bears exactly its heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxRegime {
    /// Intra-State (or UT with legislature): half the rate as CGST, half as SGST.
    CgstSgst,
    /// Inside a UT without legislature: half as CGST, half as UTGST.
    CgstUtgst,
    /// Inter-State, or zero-rated with payment of IGST.
    Igst,
    /// Zero-rated under bond or Letter of Undertaking: IGST head at nil.
    ZeroRatedLut,
}

impl TaxRegime {
    /// The heads every line bears, in print order.
    pub fn heads(self) -> &'static [TaxHead] {
        match self {
            Self::CgstSgst => &[TaxHead::Cgst, TaxHead::Sgst],
            Self::CgstUtgst => &[TaxHead::Cgst, TaxHead::Utgst],
            Self::Igst | Self::ZeroRatedLut => &[TaxHead::Igst],
        }
    }

    /// Whether the rate is split in halves between two heads.
    pub fn is_split(self) -> bool {
        matches!(self, Self::CgstSgst | Self::CgstUtgst)
    }
}

/// The classification of a document's supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supply {
    /// Who is supplied.
    pub kind: SupplyKind,
    /// The supplier's State/UT.
    pub supplier_state: StateCode,
    /// Where the supply takes place (96 for exports).
    pub place_of_supply: StateCode,
    /// The tax regime.
    pub regime: TaxRegime,
    /// Export or SEZ supply (zero-rated, s.16 IGST Act).
    pub zero_rated: bool,
    /// Tax payable on reverse charge.
    pub reverse_charge: bool,
}

impl Supply {
    /// Whether this is an inter-State supply (always for exports and SEZ, s.7(5)).
    pub fn is_inter_state(&self) -> bool {
        !matches!(self.regime, TaxRegime::CgstSgst | TaxRegime::CgstUtgst)
    }

    /// The endorsement rule 46 requires on export/SEZ invoices.
    pub fn endorsement(&self) -> Option<&'static str> {
        match (self.zero_rated, self.regime) {
            (false, _) => None,
            (true, TaxRegime::ZeroRatedLut) => Some(
                "SUPPLY MEANT FOR EXPORT/SUPPLY TO SEZ UNIT OR SEZ DEVELOPER FOR AUTHORISED OPERATIONS UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX",
            ),
            (true, _) => Some(
                "SUPPLY MEANT FOR EXPORT/SUPPLY TO SEZ UNIT OR SEZ DEVELOPER FOR AUTHORISED OPERATIONS ON PAYMENT OF INTEGRATED TAX",
            ),
        }
    }

    /// The e-invoice `TranDtls.SupTyp`; `None` for B2C (no e-invoice).
    pub fn einvoice_supply_type(&self) -> Option<&'static str> {
        let lut = self.regime == TaxRegime::ZeroRatedLut;
        match self.kind {
            SupplyKind::B2b => Some("B2B"),
            SupplyKind::B2c => None,
            SupplyKind::Export => Some(if lut { "EXPWOP" } else { "EXPWP" }),
            SupplyKind::Sez => Some(if lut { "SEZWOP" } else { "SEZWP" }),
        }
    }
}

fn draft_error(msg: impl Into<String>) -> GstError {
    GstError::Draft(msg.into())
}

/// Classifies the supply of a draft: kind, place of supply and tax regime.
pub fn classify(draft: &InvoiceDraft) -> Result<Supply, GstError> {
    let seller = &draft.seller;
    if seller.gstin.kind() != GstinKind::Regular {
        return Err(draft_error(format!(
            "seller GSTIN {} is a {:?} registration; a tax invoice is issued under a regular GSTIN",
            seller.gstin,
            seller.gstin.kind()
        )));
    }
    let supplier_state = seller
        .gstin
        .state_code()
        .ok_or_else(|| draft_error("seller GSTIN has no State code"))?
        .for_new_domestic_invoice("seller")?;
    if seller.state != supplier_state {
        return Err(draft_error(format!(
            "seller state {} ({}) does not match GSTIN {}, registered in {} ({})",
            seller.state,
            seller.state.name(),
            seller.gstin,
            supplier_state,
            supplier_state.name()
        )));
    }
    let buyer = &draft.buyer;
    if draft.export && draft.sez {
        return Err(draft_error(
            "\"export\" and \"sez\" cannot both be true: a SEZ unit is in India",
        ));
    }
    if draft.lut && !(draft.export || draft.sez) {
        return Err(draft_error(
            "\"lut\" applies only to exports and SEZ supplies; set \"export\" or \"sez\"",
        ));
    }
    let pos_must_be = |pos: StateCode, why: &str| -> Result<StateCode, GstError> {
        match draft.place_of_supply {
            Some(given) if given != pos => Err(draft_error(format!(
                "place of supply {given} ({}) is wrong: {why}, so it is {pos} ({})",
                given.name(),
                pos.name()
            ))),
            _ => Ok(pos),
        }
    };

    let (kind, place_of_supply) = if draft.export {
        if let Some(g) = &buyer.gstin {
            return Err(draft_error(format!(
                "an export recipient is outside India and has no GSTIN, but buyer GSTIN {g} was given"
            )));
        }
        let country = buyer.country.as_deref().map(str::trim).unwrap_or("");
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(draft_error(
                "an export needs the buyer's country of destination as an ISO code, e.g. \"country\": \"US\"",
            ));
        }
        if country == "IN" {
            return Err(draft_error(
                "an export recipient must be outside India (country is \"IN\")",
            ));
        }
        if let Some(s) = buyer.state.filter(|s| *s != StateCode::FOREIGN) {
            return Err(draft_error(format!(
                "an export buyer has no Indian State, but state {s} ({}) was given",
                s.name()
            )));
        }
        let pos = pos_must_be(
            StateCode::FOREIGN,
            "the recipient of an export is outside India (s.13(2) IGST Act)",
        )?;
        (SupplyKind::Export, pos)
    } else if let Some(gstin) = &buyer.gstin {
        match gstin.kind() {
            GstinKind::Oidar | GstinKind::NonResident => {
                return Err(draft_error(format!(
                    "buyer {gstin} is a non-resident registration; bill it as an export (\"export\": true) or as an unregistered buyer"
                )));
            }
            GstinKind::TaxCollector => {
                return Err(draft_error(format!(
                    "buyer {gstin} is a TCS registration of an e-commerce operator; use the buyer's regular GSTIN"
                )));
            }
            _ => {}
        }
        let registered = gstin
            .state_code()
            .ok_or_else(|| draft_error(format!("buyer GSTIN {gstin} has no State code")))?
            .for_new_domestic_invoice("buyer")?;
        if let Some(s) = buyer.state.filter(|s| *s != registered) {
            return Err(draft_error(format!(
                "buyer state {s} ({}) does not match GSTIN {gstin}, registered in {registered} ({})",
                s.name(),
                registered.name()
            )));
        }
        let pos = pos_must_be(
            registered,
            "a registered recipient's location is the State of its GSTIN (s.12(2)(a) IGST Act)",
        )?;
        if draft.sez {
            (SupplyKind::Sez, pos)
        } else {
            (SupplyKind::B2b, pos)
        }
    } else {
        if draft.sez {
            return Err(draft_error(
                "a SEZ unit or developer is registered: give the buyer's GSTIN",
            ));
        }
        if buyer.country.as_deref().is_some_and(|c| c.trim() != "IN") {
            return Err(draft_error(
                "the buyer is abroad (country given); set \"export\": true for an export",
            ));
        }
        let pos = match (buyer.state, draft.place_of_supply) {
            (Some(s), Some(p)) if s != p => {
                return Err(draft_error(format!(
                    "place of supply {p} ({}) is wrong: an unregistered recipient's location on record is its State {s} ({}) (s.12(2)(b) IGST Act)",
                    p.name(),
                    s.name()
                )));
            }
            (Some(s), _) => s,
            (None, Some(p)) => p,
            (None, None) => supplier_state,
        };
        (
            SupplyKind::B2c,
            pos.for_new_domestic_invoice("place of supply")?,
        )
    };

    let regime = match kind {
        SupplyKind::Export | SupplyKind::Sez if draft.lut => TaxRegime::ZeroRatedLut,
        SupplyKind::Export | SupplyKind::Sez => TaxRegime::Igst,
        SupplyKind::B2b | SupplyKind::B2c if place_of_supply == supplier_state => {
            if supplier_state.uses_utgst() {
                TaxRegime::CgstUtgst
            } else {
                TaxRegime::CgstSgst
            }
        }
        SupplyKind::B2b | SupplyKind::B2c => TaxRegime::Igst,
    };
    Ok(Supply {
        kind,
        supplier_state,
        place_of_supply,
        regime,
        zero_rated: matches!(kind, SupplyKind::Export | SupplyKind::Sez),
        reverse_charge: draft.reverse_charge,
    })
}
