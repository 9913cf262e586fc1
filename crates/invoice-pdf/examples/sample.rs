//! Renders sample PDFs into a folder: the worked example (original and duplicate, with a
//! logo), the same as a registered e-invoice, a 120-line invoice, an export under LUT, a
//! credit note and a draft preview.
//!
//! `cargo run -p akashone-invoice-pdf --example sample -- OUT_DIR`

#[path = "../tests/pdf/support.rs"]
mod support;

use akashone_invoice_pdf::{Branding, InvoiceCopy, render};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&out)?;
    let example = support::example_issued();
    let branding = Branding::for_seller(example.invoice().seller()).with_logo_png(support::logo());
    std::fs::write(
        out.join("example.pdf"),
        render(&example, &branding, InvoiceCopy::Original)?,
    )?;
    std::fs::write(
        out.join("example-duplicate.pdf"),
        render(
            &example,
            &Branding::for_seller(example.invoice().seller()),
            InvoiceCopy::Duplicate,
        )?,
    )?;
    let irn = support::example_with_irn();
    std::fs::write(
        out.join("einvoice.pdf"),
        render(&irn, &branding, InvoiceCopy::Original)?,
    )?;
    let long = support::long_issued(120);
    std::fs::write(
        out.join("long-120.pdf"),
        render(&long, &branding, InvoiceCopy::Original)?,
    )?;
    let export = support::export_issued();
    std::fs::write(
        out.join("export-lut.pdf"),
        render(&export, &branding, InvoiceCopy::Original)?,
    )?;
    let note = support::credit_note_issued();
    std::fs::write(
        out.join("credit-note.pdf"),
        render(&note, &branding, InvoiceCopy::Original)?,
    )?;
    let draft = akashone_gst::compute(&support::example_draft())?;
    std::fs::write(
        out.join("draft.pdf"),
        render(&draft, &branding, InvoiceCopy::Original)?,
    )?;
    println!("wrote 7 PDFs to {}", out.display());
    Ok(())
}
