use super::support::*;
use akashone_gst::{
    Discount, GstError, GstRate, InvoiceDraft, LineDraft, Paise, Percent, Quantity, TaxHead,
    UnitPrice, compute,
};

fn money(s: &str) -> Paise {
    // "8,691.40", "**1,236.46**", "662.90 (662.904)", "−0.26", "₹16,211.00"
    let s = s.split(" (").next().unwrap();
    let cleaned: String = s
        .replace('−', "-")
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    Paise::parse_rupees(&cleaned).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn cells(row: &str) -> Vec<String> {
    row.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let rest = &md[start + heading.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    &rest[..end]
}

fn numbered_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with("| ") && l[2..].starts_with(|c: char| c.is_ascii_digit()))
        .map(cells)
        .collect()
}

/// The lines of the worked example, read from its markdown table.
fn worked_example_lines(md: &str) -> Vec<(LineDraft, [Paise; 3])> {
    numbered_rows(section(md, "## Common line items"))
        .into_iter()
        .map(|c| {
            let pct = Percent::parse(&c[7]).unwrap();
            let line = LineDraft {
                description: c[1].replace('×', "x"),
                sac: akashone_gst::HsnSac::parse(&c[2]).unwrap(),
                quantity: Some(Quantity::parse(&c[3].replace(',', "")).unwrap()),
                quantity_milli: None,
                unit: Some(c[4].clone()),
                unit_price: Some(UnitPrice::parse_rupees(&c[5]).unwrap()),
                unit_price_paise: None,
                discount: (pct != Percent::ZERO).then_some(Discount::Percent(pct)),
                gst_rate: GstRate::STANDARD,
            };
            (line, [money(&c[6]), money(&c[8]), money(&c[9])])
        })
        .collect()
}

#[test]
fn worked_example_a_reproduces_exactly() {
    let md = fixture("worked_example_a.md");
    let lines = worked_example_lines(&md);
    assert_eq!(lines.len(), 4);
    let mut draft = example_draft();
    // The example draft carries the same lines as the markdown.
    for (drafted, (from_md, _)) in draft.lines.iter().zip(&lines) {
        assert_eq!(drafted.description, from_md.description);
        assert_eq!(drafted.quantity, from_md.quantity);
        assert_eq!(drafted.unit_price, from_md.unit_price);
        assert_eq!(drafted.discount, from_md.discount);
    }
    draft.lines = lines.iter().map(|(l, _)| l.clone()).collect();
    // Parties as stated in the example.
    assert!(md.contains(&format!("GSTIN **{}**", draft.seller.gstin)));
    assert!(md.contains(&format!("GSTIN {}", draft.buyer.gstin.as_ref().unwrap())));

    let inv = compute(&draft).unwrap();
    for (l, (_, [gross, discount, taxable])) in inv.lines().iter().zip(&lines) {
        assert_eq!(l.gross, *gross, "line {}", l.sl_no);
        assert_eq!(l.discount, *discount, "line {}", l.sl_no);
        assert_eq!(l.taxable_value, *taxable, "line {}", l.sl_no);
    }
    let common_total = section(&md, "## Common line items")
        .lines()
        .find(|l| l.contains("**Total**"))
        .map(cells)
        .unwrap();
    assert_eq!(inv.totals().gross, money(&common_total[6]));
    assert_eq!(inv.totals().discount, money(&common_total[8]));
    assert_eq!(inv.totals().taxable_value, money(&common_total[9]));

    let case_a = section(&md, "## (a)");
    assert!(case_a.contains("**CGST 9 % + SGST 9 %**"));
    for (l, row) in inv.lines().iter().zip(numbered_rows(case_a)) {
        assert_eq!(l.taxable_value, money(&row[1]));
        assert_eq!(
            l.tax(TaxHead::Cgst),
            money(&row[2]),
            "CGST line {}",
            l.sl_no
        );
        assert_eq!(
            l.tax(TaxHead::Sgst),
            money(&row[3]),
            "SGST line {}",
            l.sl_no
        );
        assert_eq!(l.tax(TaxHead::Igst), Paise::ZERO);
        assert_eq!(l.total, money(&row[4]), "total line {}", l.sl_no);
    }
    let sigma = case_a
        .lines()
        .find(|l| l.contains("**Σ**"))
        .map(cells)
        .unwrap();
    let t = inv.totals();
    assert_eq!(t.taxable_value, money(&sigma[1]));
    assert_eq!(t.cgst, money(&sigma[2]));
    assert_eq!(t.sgst, money(&sigma[3]));
    assert_eq!(t.total_before_round_off, money(&sigma[4]));

    let bullet = |label: &str| -> Paise {
        let i = case_a.find(label).unwrap_or_else(|| panic!("no {label}")) + label.len();
        let rest = &case_a[i..];
        let end = rest.find([';', '*', '\n']).unwrap();
        money(rest[..end].trim())
    };
    assert_eq!(t.total_tax, bullet("Total tax "));
    assert_eq!(t.total_before_round_off, bullet("total before rounding "));
    assert_eq!(t.round_off, bullet("Round off "));
    assert_eq!(t.total, bullet("Invoice total "));
    let words = case_a.split('"').nth(1).unwrap();
    assert_eq!(inv.amount_in_words(), words);

    // Literal figures too, so a broken parser cannot hide a regression.
    assert_eq!(t.total.to_rupee_string(), "16211.00");
    assert_eq!(t.round_off.to_rupee_string(), "-0.26");
    assert_eq!(t.cgst.to_rupee_string(), "1236.46");
    assert_eq!(t.total_tax.to_rupee_string(), "2472.92");

    // Summary by rate: one rate, equal to the totals.
    assert_eq!(inv.tax_summary().len(), 1);
    let s = &inv.tax_summary()[0];
    assert_eq!(s.taxable_value, t.taxable_value);
    assert_eq!(s.total_tax, t.total_tax);
}

#[test]
fn rounding_edge_cases_e1_e2_e3() {
    let inv = compute(&example_draft()).unwrap();
    // E1: 9 % of 1,936.50 = 174.285 → 174.29 (half-up, not banker's 174.28).
    assert_eq!(
        inv.lines()[2].tax(TaxHead::Cgst).to_rupee_string(),
        "174.29"
    );
    // E2: per line 1,236.46, not 1,236.45 on the total.
    assert_eq!(inv.totals().cgst.to_rupee_string(), "1236.46");
    // E3: heads rounded independently: CGST+SGST 1,325.80 vs IGST 1,325.81.
    let l = &inv.lines()[0];
    assert_eq!(
        (l.tax(TaxHead::Cgst) + l.tax(TaxHead::Sgst)).to_rupee_string(),
        "1325.80"
    );
    let mut inter = example_draft();
    registered_buyer_in(&mut inter, "27");
    let inv = compute(&inter).unwrap();
    assert_eq!(
        inv.lines()[0].tax(TaxHead::Igst).to_rupee_string(),
        "1325.81"
    );
    assert_eq!(inv.totals().igst.to_rupee_string(), "2472.90");
    assert_eq!(inv.totals().round_off.to_rupee_string(), "-0.24");
}

#[test]
fn utgst_and_lut_lines() {
    let mut d = example_draft();
    seller_in(&mut d, "04");
    registered_buyer_in(&mut d, "04");
    let inv = compute(&d).unwrap();
    assert_eq!(inv.totals().utgst.to_rupee_string(), "1236.46");
    assert_eq!(inv.totals().sgst, Paise::ZERO);
    assert_eq!(inv.lines()[0].taxes[1].rate.to_string(), "9");

    let mut d = example_draft();
    export_buyer(&mut d, true);
    d.lut_reference = Some("AD290325012345X".into());
    let inv = compute(&d).unwrap();
    assert_eq!(inv.totals().total_tax, Paise::ZERO);
    assert_eq!(inv.totals().total.to_rupee_string(), "13738.00");
    assert_eq!(inv.totals().round_off.to_rupee_string(), "-0.34");
    assert!(inv.endorsement().unwrap().contains("WITHOUT PAYMENT"));
}

#[test]
fn quantities_and_prices_in_either_form() {
    let mut d = example_draft();
    d.lines[0].quantity = None;
    d.lines[0].quantity_milli = Some(744_000);
    d.lines[0].unit_price = None;
    d.lines[0].unit_price_paise = Some(1125);
    let a = compute(&d).unwrap();
    let b = compute(&example_draft()).unwrap();
    assert_eq!(a.totals(), b.totals());
}

fn compute_err(f: impl FnOnce(&mut InvoiceDraft)) -> GstError {
    let mut d = example_draft();
    f(&mut d);
    compute(&d).unwrap_err()
}

#[test]
fn bad_lines_are_rejected_with_the_line_named() {
    let e = compute_err(|d| d.lines.clear());
    assert_eq!(e.to_string(), "the draft has no lines");
    let e = compute_err(|d| d.lines[1].quantity_milli = Some(1));
    assert!(e.to_string().contains("lines[2].quantity"), "{e}");
    assert!(e.to_string().contains("not both"), "{e}");
    let e = compute_err(|d| d.lines[2].unit_price = None);
    assert!(e.to_string().contains("lines[3].unit_price"), "{e}");
    let e = compute_err(|d| {
        d.lines[3].discount = Some(Discount::Amount(Paise::parse_rupees("931").unwrap()))
    });
    assert!(e.to_string().contains("lines[4].discount.amount"), "{e}");
    assert!(
        e.to_string().contains("exceeds the line's value 930.74"),
        "{e}"
    );
    let e = compute_err(|d| d.lines[0].description = "  ".into());
    assert!(
        e.to_string().contains("lines[1].description is empty"),
        "{e}"
    );
    let e = compute_err(|d| {
        d.lines[0].quantity = Some(Quantity::parse("1000000000000").unwrap());
        d.lines[0].unit_price = Some(UnitPrice::parse_rupees("1000000000000").unwrap());
    });
    assert!(matches!(e, GstError::Overflow(_)), "{e}");
}

#[test]
fn document_rules() {
    let e = compute_err(|d| d.seller.legal_name.clear());
    assert!(e.to_string().contains("seller.legal_name"), "{e}");
    let e = compute_err(|d| d.lut_reference = Some("X".into()));
    assert!(e.to_string().contains("\"lut\" is false"), "{e}");
    let e = compute_err(|d| {
        d.billing_period.as_mut().unwrap().from = time::macros::date!(2025 - 12 - 01)
    });
    assert!(e.to_string().contains("billing period"), "{e}");
    let e = compute_err(|d| d.document_type = akashone_gst::DocumentType::CreditNote);
    assert!(e.to_string().contains("original_invoice"), "{e}");
}

#[test]
fn b2c_at_or_above_50000_needs_the_state() {
    let mut d = example_draft();
    unregistered_buyer_in(&mut d, None);
    d.lines[0].quantity = Some(Quantity::parse("7440").unwrap()); // ₹73,656 taxable on line 1
    let e = compute(&d).unwrap_err();
    assert!(e.to_string().contains("rule 46(e)"), "{e}");
    d.buyer.state = Some(akashone_gst::StateCode::parse("29").unwrap());
    assert!(compute(&d).is_ok());
    // Below ₹50,000 the State may be left out.
    let mut d = example_draft();
    unregistered_buyer_in(&mut d, None);
    assert!(compute(&d).is_ok());
}

#[test]
fn draft_json_errors_are_clear() {
    let e = InvoiceDraft::from_json("{").unwrap_err();
    assert!(e.to_string().starts_with("invalid draft JSON"), "{e}");
    let json =
        include_str!("../../examples/draft.json").replace("29AAHCA5678D1ZF", "29AAHCA5678D1ZX");
    let e = InvoiceDraft::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("check character 'X' != expected 'F'"), "{e}");
    assert!(e.contains("line"), "{e}");
    let json = include_str!("../../examples/draft.json")
        .replace("\"reverse_charge\"", "\"reverse_charges\"");
    let e = InvoiceDraft::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("unknown field `reverse_charges`"), "{e}");
    let json = include_str!("../../examples/draft.json")
        .replace("\"gst_rate\": \"18\"", "\"gst_rate\": \"17\"");
    let e = InvoiceDraft::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("not a GST rate"), "{e}");
}

#[test]
fn computed_json_shape() {
    let inv = compute(&example_draft()).unwrap();
    let v = serde_json::to_value(&inv).unwrap();
    assert_eq!(v["totals"]["total"], "16211.00");
    assert_eq!(v["totals"]["round_off"], "-0.26");
    assert_eq!(v["supply"]["regime"], "cgst_sgst");
    assert_eq!(v["lines"][0]["taxes"][0]["head"], "CGST");
    assert_eq!(v["lines"][0]["taxes"][0]["rate"], "9");
    assert_eq!(v["lines"][0]["taxes"][0]["amount"], "662.90");
    assert_eq!(v["lines"][3]["unit_price"], "0.417");
    assert_eq!(v["financial_year"], "2025-26");
    assert_eq!(
        v["amount_in_words"],
        "Rupees Sixteen Thousand Two Hundred Eleven Only"
    );
}
