//! Customers' billing details: validated against the GST library's rules, and shown back.

use akashone_gst::{Buyer, Gstin, StateCode};
use akashone_types::central::{CustomerBillingIn, CustomerBillingOut, SupplyKindOut};

use super::{address, address_out, email, invalid, opt_text, phone, probe, probe_seller, text};
use crate::db::{CustomerProfile, CustomerRecord};
use crate::error::Result;

/// Validates a customer's billing details.
pub(crate) fn customer_in(req: &CustomerBillingIn) -> Result<CustomerProfile> {
    if req.export && req.sez {
        return Err(invalid(
            "sez",
            "a customer is either abroad (export) or a SEZ unit in India, not both.",
        ));
    }
    let gstin = req
        .gstin
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(|g| Gstin::parse(g).map_err(|e| invalid("gstin", e)))
        .transpose()?;
    if req.export && gstin.is_some() {
        return Err(invalid(
            "gstin",
            "a customer abroad (export) has no GSTIN; leave it out.",
        ));
    }
    if req.sez && gstin.is_none() {
        return Err(invalid("gstin", "a SEZ unit or developer needs its GSTIN."));
    }
    let country = req
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_ascii_uppercase);
    match (&country, req.export) {
        (None, true) => {
            return Err(invalid(
                "country",
                "a customer abroad needs its country (ISO code such as \"US\").",
            ));
        }
        (Some(c), true)
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) || c == "IN" =>
        {
            return Err(invalid(
                "country",
                format!("{c:?} is not the two-letter code of a country outside India."),
            ));
        }
        (Some(c), false) if c != "IN" => {
            return Err(invalid(
                "country",
                "is only for customers abroad; set \"export\": true, or leave it out.",
            ));
        }
        _ => {}
    }
    let mut state = req
        .state_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| StateCode::parse(c).map_err(|e| invalid("stateCode", e)))
        .transpose()?;
    if let Some(reg) = gstin.as_ref().and_then(Gstin::state_code) {
        match state {
            Some(s) if s != reg => {
                return Err(invalid(
                    "stateCode",
                    format!(
                        "{s} does not match the GSTIN's State {reg} ({}).",
                        reg.name()
                    ),
                ));
            }
            _ => state = Some(reg),
        }
    }
    if !req.export && state.is_none() {
        return Err(invalid(
            "stateCode",
            "an unregistered customer in India needs the State of its address: it is the place of supply.",
        ));
    }
    if req.export && state.is_some() {
        return Err(invalid(
            "stateCode",
            "is for customers in India; the place of supply of an export is outside India.",
        ));
    }
    let buyer = Buyer {
        legal_name: text("legalName", &req.legal_name, 100)?,
        trade_name: opt_text("tradeName", req.trade_name.as_deref(), 100)?,
        address: address("address", &req.address, !req.export)?,
        gstin,
        state,
        country: if req.export { country } else { None },
        delivery_address: req
            .delivery_address
            .as_ref()
            .map(|a| address("deliveryAddress", a, !req.export))
            .transpose()?,
        phone: phone("phone", req.phone.as_deref())?,
        email: email("email", req.email.as_deref())?,
    };
    probe(&probe_seller()?, &buyer, req.export, req.sez, None)?;
    Ok(CustomerProfile {
        buyer,
        export: req.export,
        sez: req.sez,
    })
}

/// How a customer is supplied.
pub(crate) fn customer_kind(p: &CustomerProfile) -> SupplyKindOut {
    if p.export {
        SupplyKindOut::Export
    } else if p.sez {
        SupplyKindOut::Sez
    } else if p.buyer.gstin.is_some() {
        SupplyKindOut::B2b
    } else {
        SupplyKindOut::B2c
    }
}

/// A stored customer record as the API shows it.
pub(crate) fn customer_out(r: &CustomerRecord) -> CustomerBillingOut {
    let b = &r.profile.buyer;
    CustomerBillingOut {
        tenant_id: r.tenant_id.clone(),
        legal_name: b.legal_name.clone(),
        trade_name: b.trade_name.clone(),
        gstin: b.gstin.as_ref().map(ToString::to_string),
        address: address_out(&b.address),
        state_code: b.state.map(|s| s.to_string()),
        state_name: b.state.map(|s| s.name().to_owned()),
        country: b.country.clone(),
        export: r.profile.export,
        sez: r.profile.sez,
        supply_kind: customer_kind(&r.profile),
        delivery_address: b.delivery_address.as_ref().map(address_out),
        phone: b.phone.clone(),
        email: b.email.clone(),
        updated_at: r.updated_at,
        updated_by: r.updated_by.clone(),
    }
}
