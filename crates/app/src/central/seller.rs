//! The seller profile of the tenant acted as: the legal particulars its invoices carry and its
//! white-label brand (name, colour, logo), read and set through the server; and the brand the
//! signed-in user sees in the console, kept in the offline cache.

use akashone_central::CentralError;
use akashone_types::central::{SellerProfileIn, SellerProfileOut};

use crate::console::Console;
use crate::error::{AppError, Result};

/// The largest logo the server keeps (PNG).
const MAX_LOGO_BYTES: usize = 256 * 1024;

impl Console {
    /// The seller profile of the tenant acted as, or `None` while it has none.
    pub async fn seller_profile(&self) -> Result<Option<SellerProfileOut>> {
        let found = self
            .with_central(|c, tenant| async move {
                match c.seller(tenant.as_deref()).await {
                    Ok(p) => Ok(Some(p)),
                    Err(CentralError::NotFound(_)) => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .await?;
        Ok(found)
    }

    /// Sets the seller profile of the tenant acted as. Text is trimmed and empty optional
    /// fields are left out; a new logo must be a PNG of at most 256 KiB.
    pub async fn seller_profile_save(&self, form: &SellerProfileIn) -> Result<SellerProfileOut> {
        let form = tidy(form)?;
        let saved = self
            .with_central(|c, tenant| async move { c.put_seller(tenant.as_deref(), &form).await })
            .await?;
        // The profile may be the brand this user sees: show the change now.
        if let Ok((session, central)) = self.central_session() {
            let client = central.client()?;
            match central.sync_brand(&client, &session.store).await {
                Ok(()) => self.events.connection(&self.status()),
                Err(e) => tracing::warn!(error = %e, "white-label brand not refreshed"),
            }
        }
        Ok(saved)
    }

    /// The logo of the brand shown (PNG, base64), if it has one.
    pub fn brand_logo(&self) -> Result<Option<String>> {
        let (_, central) = self.central_session()?;
        Ok(central.brand_logo())
    }
}

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

fn optional(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The form as the server should get it, or what is wrong with it.
fn tidy(form: &SellerProfileIn) -> Result<SellerProfileIn> {
    let mut out = form.clone();
    out.legal_name = trimmed(&form.legal_name);
    out.gstin = trimmed(&form.gstin).to_ascii_uppercase();
    out.trade_name = optional(&form.trade_name);
    out.display_name = optional(&form.display_name);
    out.state_code = optional(&form.state_code);
    out.phone = optional(&form.phone);
    out.email = optional(&form.email);
    out.upi_id = optional(&form.upi_id);
    out.payment_terms = optional(&form.payment_terms);
    out.lut_number = optional(&form.lut_number);
    out.brand_colour = optional(&form.brand_colour);
    out.invoice_prefix = trimmed(&form.invoice_prefix);
    out.credit_note_prefix = trimmed(&form.credit_note_prefix);
    out.debit_note_prefix = trimmed(&form.debit_note_prefix);
    out.address.line1 = trimmed(&form.address.line1);
    out.address.line2 = optional(&form.address.line2);
    out.address.city = trimmed(&form.address.city);
    out.address.pin = optional(&form.address.pin);
    out.address.postal_code = optional(&form.address.postal_code);
    out.bank = form.bank.as_ref().and_then(|b| {
        let bank = akashone_types::central::BankDetails {
            account_name: trimmed(&b.account_name),
            account_number: trimmed(&b.account_number),
            ifsc: trimmed(&b.ifsc).to_ascii_uppercase(),
            bank_name: trimmed(&b.bank_name),
            branch: optional(&b.branch),
        };
        let empty = bank.account_name.is_empty()
            && bank.account_number.is_empty()
            && bank.ifsc.is_empty()
            && bank.bank_name.is_empty()
            && bank.branch.is_none();
        (!empty).then_some(bank)
    });

    let mut missing = Vec::new();
    for (value, what) in [
        (&out.legal_name, "the legal name"),
        (&out.gstin, "the GSTIN"),
        (&out.address.line1, "the address"),
        (&out.address.city, "the city"),
        (&out.invoice_prefix, "the invoice prefix"),
        (&out.credit_note_prefix, "the credit note prefix"),
        (&out.debit_note_prefix, "the debit note prefix"),
    ] {
        if value.is_empty() {
            missing.push(what);
        }
    }
    if !missing.is_empty() {
        return Err(AppError::Invalid(format!("Enter {}.", missing.join(", "))));
    }
    if let Some(c) = &out.brand_colour {
        let hex = c.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::Invalid(format!(
                "The brand colour {c:?} is not a colour like #1A73E8."
            )));
        }
    }
    if out.remove_logo && out.logo_png.is_some() {
        return Err(AppError::Invalid(
            "Either choose a new logo or remove the current one, not both.".into(),
        ));
    }
    if let Some(logo) = &out.logo_png {
        check_logo(logo)?;
    }
    Ok(out)
}

/// A logo must be base64 of a PNG of at most 256 KiB.
fn check_logo(b64: &str) -> Result<()> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| AppError::Invalid("The logo could not be read.".into()))?;
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(AppError::Invalid("The logo must be a PNG image.".into()));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(AppError::Invalid(format!(
            "The logo is {} KiB; at most 256 KiB fits on an invoice.",
            bytes.len().div_ceil(1024)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use akashone_types::central::{BankDetails, BillingAddress};

    fn form() -> SellerProfileIn {
        SellerProfileIn {
            legal_name: "  Mieux Technologies Pvt Ltd ".into(),
            trade_name: Some(" ".into()),
            display_name: Some("AkashOne".into()),
            gstin: "29aabcm1234a1z5".into(),
            address: BillingAddress {
                line1: "12 MG Road".into(),
                line2: None,
                city: "Bengaluru".into(),
                pin: Some("560001".into()),
                postal_code: None,
            },
            state_code: None,
            phone: None,
            email: Some("".into()),
            bank: Some(BankDetails {
                account_name: " ".into(),
                account_number: "".into(),
                ifsc: "".into(),
                bank_name: "".into(),
                branch: None,
            }),
            upi_id: None,
            payment_terms: None,
            payment_due_days: Some(15),
            brand_colour: Some("#1a73e8".into()),
            logo_png: None,
            remove_logo: false,
            invoice_prefix: "INV".into(),
            credit_note_prefix: "CN".into(),
            debit_note_prefix: "DN".into(),
            e_invoicing: false,
            lut_number: None,
        }
    }

    #[test]
    fn tidies_text_and_drops_empty_optional_parts() {
        let out = tidy(&form()).unwrap();
        assert_eq!(out.legal_name, "Mieux Technologies Pvt Ltd");
        assert_eq!(out.gstin, "29AABCM1234A1Z5");
        assert_eq!(out.trade_name, None);
        assert_eq!(out.email, None);
        assert!(out.bank.is_none(), "an empty bank block is no bank");
    }

    #[test]
    fn says_what_is_missing() {
        let mut f = form();
        f.legal_name = " ".into();
        f.address.city = String::new();
        let e = tidy(&f).unwrap_err().to_string();
        assert!(
            e.contains("the legal name") && e.contains("the city"),
            "{e}"
        );
    }

    #[test]
    fn refuses_a_bad_colour_and_a_logo_that_is_not_a_small_png() {
        use base64::Engine as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let mut f = form();
        f.brand_colour = Some("blue".into());
        assert!(tidy(&f).unwrap_err().to_string().contains("#1A73E8"));

        let mut f = form();
        f.logo_png = Some(b64(b"GIF89a...."));
        assert!(tidy(&f).unwrap_err().to_string().contains("PNG"));

        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        f.logo_png = Some(b64(&big));
        assert!(tidy(&f).unwrap_err().to_string().contains("257 KiB"));

        f.logo_png = Some("not base64!".into());
        assert!(
            tidy(&f)
                .unwrap_err()
                .to_string()
                .contains("could not be read")
        );

        let mut f = form();
        f.logo_png = Some(b64(b"\x89PNG\r\n\x1a\nrest"));
        f.remove_logo = true;
        assert!(tidy(&f).unwrap_err().to_string().contains("not both"));
    }
}
