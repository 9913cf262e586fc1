//! The INV-01 v1.1 request: its parts, and building it from a computed document.

use super::{MAX_EINVOICE_LINES, dmy_slash};
use crate::compute::ComputedInvoice;
use crate::draft::Address;
use crate::supply::{SupplyKind, TaxHead};
use crate::{GstError, Gstin, Paise};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// An exact decimal written as a JSON number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Num(String);

impl Num {
    fn paise(p: Paise) -> Self {
        Num(p.to_rupee_string())
    }
    fn int(i: u64) -> Self {
        Num(i.to_string())
    }
    fn text(s: String) -> Self {
        Num(s)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// INV-01 `TranDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct TranDtls {
    pub tax_sch: &'static str,
    pub sup_typ: &'static str,
    pub reg_rev: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecm_gstin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub igst_on_intra: Option<&'static str>,
}

/// INV-01 `DocDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DocDtls {
    pub typ: &'static str,
    pub no: String,
    pub dt: String,
}

/// INV-01 `SellerDtls` / `BuyerDtls` (the buyer adds `Pos`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PartyDtls {
    pub gstin: String,
    pub lgl_nm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    pub addr1: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    pub loc: String,
    pub pin: Num,
    pub stcd: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ph: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub em: Option<String>,
}

/// INV-01 `ItemList[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct Item {
    pub sl_no: String,
    pub prd_desc: String,
    pub is_servc: &'static str,
    pub hsn_cd: String,
    pub qty: Num,
    pub unit: String,
    pub unit_price: Num,
    pub tot_amt: Num,
    pub discount: Num,
    pub ass_amt: Num,
    pub gst_rt: Num,
    pub igst_amt: Num,
    pub cgst_amt: Num,
    pub sgst_amt: Num,
    pub ces_rt: Num,
    pub ces_amt: Num,
    pub ces_non_advl_amt: Num,
    pub oth_chrg: Num,
    pub tot_item_val: Num,
}

/// INV-01 `ValDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ValDtls {
    pub ass_val: Num,
    pub cgst_val: Num,
    pub sgst_val: Num,
    pub igst_val: Num,
    pub ces_val: Num,
    pub discount: Num,
    pub oth_chrg: Num,
    pub rnd_off_amt: Num,
    pub tot_inv_val: Num,
}

/// INV-01 `RefDtls` (billing period, and for notes the preceding invoice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct RefDtls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inv_rm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_perd_dtls: Option<DocPerdDtls>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prec_doc_dtls: Vec<PrecDocDtls>,
}

/// INV-01 `RefDtls.DocPerdDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct DocPerdDtls {
    pub inv_st_dt: String,
    pub inv_end_dt: String,
}

/// INV-01 `RefDtls.PrecDocDtls[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct PrecDocDtls {
    pub inv_no: String,
    pub inv_dt: String,
}

/// INV-01 `ExpDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ExpDtls {
    pub cnt_code: String,
}

/// An INV-01 v1.1 e-invoice request. Serialise with `serde_json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct EInvoice {
    pub version: &'static str,
    pub tran_dtls: TranDtls,
    pub doc_dtls: DocDtls,
    pub seller_dtls: PartyDtls,
    pub buyer_dtls: PartyDtls,
    pub item_list: Vec<Item>,
    pub val_dtls: ValDtls,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_dtls: Option<RefDtls>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp_dtls: Option<ExpDtls>,
}

fn addr2(a: &Address) -> Option<String> {
    a.line2.clone().filter(|s| !s.trim().is_empty())
}

/// Unit quantity codes the e-invoice knows that a cloud bill might use; anything else is `OTH`.
const UQC: [&str; 10] = [
    "NOS", "PCS", "UNT", "OTH", "GMS", "KGS", "MTR", "LTR", "DAY", "HRS",
];

fn uqc(unit: Option<&str>) -> String {
    let u = unit.unwrap_or("").trim().to_ascii_uppercase();
    if UQC.contains(&u.as_str()) {
        u
    } else {
        "OTH".to_string()
    }
}

fn einvoice_error(msg: impl Into<String>) -> GstError {
    GstError::EInvoice(msg.into())
}

/// Builds the INV-01 request for a computed document with a number.
///
/// Refused for B2C documents (not e-invoiced), numbers the IRP does not accept, more than
/// [`MAX_EINVOICE_LINES`] lines, and missing PIN codes.
pub fn to_einvoice(doc: &ComputedInvoice) -> Result<EInvoice, GstError> {
    let supply = doc.supply();
    let sup_typ = supply.einvoice_supply_type().ok_or_else(|| {
        einvoice_error("a supply to an unregistered buyer (B2C) is not reported to the IRP")
    })?;
    let number = doc
        .number()
        .ok_or_else(|| einvoice_error("the document has no number yet"))?;
    if !number.is_irp_compatible() {
        return Err(einvoice_error(format!(
            "the IRP refuses document number {number}: it may not start with '0', '/' or '-'"
        )));
    }
    if doc.lines().len() > MAX_EINVOICE_LINES {
        return Err(einvoice_error(format!(
            "{} lines; an e-invoice carries at most {MAX_EINVOICE_LINES}",
            doc.lines().len()
        )));
    }
    let seller = doc.seller();
    let seller_pin = seller
        .address
        .pin
        .ok_or_else(|| einvoice_error("seller.address.pin is required for an e-invoice"))?;
    let buyer = doc.buyer();
    let export = supply.kind == SupplyKind::Export;
    let buyer_pin = if export {
        999_999
    } else {
        buyer
            .address
            .pin
            .ok_or_else(|| einvoice_error("buyer.address.pin is required for an e-invoice"))?
            .value()
    };
    let buyer_state = if export {
        "96".to_string()
    } else {
        buyer
            .gstin
            .as_ref()
            .and_then(Gstin::state_code)
            .unwrap_or(supply.place_of_supply)
            .to_string()
    };

    let item_list = doc
        .lines()
        .iter()
        .map(|l| Item {
            sl_no: l.sl_no.to_string(),
            prd_desc: l.description.clone(),
            is_servc: if l.sac.is_service() { "Y" } else { "N" },
            hsn_cd: l.sac.as_str().to_string(),
            qty: Num::text(l.quantity.to_decimal_string()),
            unit: uqc(l.unit.as_deref()),
            unit_price: Num::text(l.unit_price.to_rupee_string()),
            tot_amt: Num::paise(l.gross),
            discount: Num::paise(l.discount),
            ass_amt: Num::paise(l.taxable_value),
            gst_rt: Num::text(l.gst_rate.percent().to_decimal_string()),
            igst_amt: Num::paise(l.tax(TaxHead::Igst)),
            cgst_amt: Num::paise(l.tax(TaxHead::Cgst)),
            // UTGST is reported in SgstAmt.
            sgst_amt: Num::paise(l.tax(TaxHead::Sgst) + l.tax(TaxHead::Utgst)),
            ces_rt: Num::int(0),
            ces_amt: Num::int(0),
            ces_non_advl_amt: Num::int(0),
            oth_chrg: Num::int(0),
            tot_item_val: Num::paise(l.total),
        })
        .collect();

    let t = doc.totals();
    let prec_doc_dtls = doc
        .original_invoice()
        .map(|o| PrecDocDtls {
            inv_no: o.number.to_string(),
            inv_dt: dmy_slash(o.date),
        })
        .into_iter()
        .collect::<Vec<_>>();
    let doc_perd_dtls = doc.billing_period().map(|p| DocPerdDtls {
        inv_st_dt: dmy_slash(p.from),
        inv_end_dt: dmy_slash(p.to),
    });
    let ref_dtls = (doc_perd_dtls.is_some() || !prec_doc_dtls.is_empty()).then(|| RefDtls {
        inv_rm: doc.reason().map(str::to_string),
        doc_perd_dtls,
        prec_doc_dtls,
    });

    Ok(EInvoice {
        version: "1.1",
        tran_dtls: TranDtls {
            tax_sch: "GST",
            sup_typ,
            reg_rev: if supply.reverse_charge { "Y" } else { "N" },
            ecm_gstin: None,
            igst_on_intra: None,
        },
        doc_dtls: DocDtls {
            typ: doc.document_type().einvoice_code(),
            no: number.to_string(),
            dt: dmy_slash(doc.date()),
        },
        seller_dtls: PartyDtls {
            gstin: seller.gstin.to_string(),
            lgl_nm: seller.legal_name.clone(),
            trd_nm: seller.trade_name.clone(),
            pos: None,
            addr1: seller.address.line1.clone(),
            addr2: addr2(&seller.address),
            loc: seller.address.city.clone(),
            pin: Num::int(u64::from(seller_pin.value())),
            stcd: supply.supplier_state.to_string(),
            ph: seller.phone.clone(),
            em: seller.email.clone(),
        },
        buyer_dtls: PartyDtls {
            gstin: buyer
                .gstin
                .as_ref()
                .map_or_else(|| "URP".to_string(), Gstin::to_string),
            lgl_nm: buyer.legal_name.clone(),
            trd_nm: buyer.trade_name.clone(),
            pos: Some(supply.place_of_supply.to_string()),
            addr1: buyer.address.line1.clone(),
            addr2: addr2(&buyer.address),
            loc: buyer.address.city.clone(),
            pin: Num::int(u64::from(buyer_pin)),
            stcd: buyer_state,
            ph: buyer.phone.clone(),
            em: buyer.email.clone(),
        },
        item_list,
        val_dtls: ValDtls {
            ass_val: Num::paise(t.taxable_value),
            cgst_val: Num::paise(t.cgst),
            sgst_val: Num::paise(t.sgst + t.utgst),
            igst_val: Num::paise(t.igst),
            ces_val: Num::int(0),
            // Line discounts are already inside AssAmt; this is the invoice-level discount.
            discount: Num::int(0),
            oth_chrg: Num::int(0),
            rnd_off_amt: Num::paise(t.round_off),
            tot_inv_val: Num::paise(t.total),
        },
        ref_dtls,
        exp_dtls: export.then(|| ExpDtls {
            cnt_code: buyer.country.clone().unwrap_or_default(),
        }),
    })
}

/// [`to_einvoice`] as pretty-printed JSON.
pub fn to_einvoice_json(doc: &ComputedInvoice) -> Result<String, GstError> {
    let e = to_einvoice(doc)?;
    serde_json::to_string_pretty(&e).map_err(|e| einvoice_error(e.to_string()))
}
