//! `akashone invoice`: compute, PDF and e-invoice from a draft file, offline, and clear
//! refusals of bad input.

use assert_cmd::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../gst/examples/draft.json")
}

fn example_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap()
}

/// The binary with no CloudStack credentials at all.
fn akashone() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akashone"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir());
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write_draft(dir: &Path, v: &Value) -> PathBuf {
    let p = dir.join("draft.json");
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p
}

/// Runs and expects exit code 2 with `needle` in the message.
fn refused(args: &[&str], needle: &str) {
    let out = akashone().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn compute_prints_the_computed_invoice() {
    let ex = example();
    let out = akashone()
        .args(["invoice", "compute", "--input", ex.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["number"], "NCS/25-26/000101");
    assert_eq!(v["supply"]["regime"], "cgst_sgst");
    assert_eq!(v["lines"].as_array().unwrap().len(), 4);
    assert_eq!(v["lines"][0]["taxes"][0]["head"], "CGST");
    assert_eq!(v["lines"][0]["taxes"][0]["amount"], "662.90");
    assert_eq!(v["totals"]["taxable_value"], "13738.34");
    assert_eq!(v["totals"]["cgst"], "1236.46");
    assert_eq!(v["totals"]["round_off"], "-0.26");
    assert_eq!(v["totals"]["total"], "16211.00");
    assert_eq!(
        v["amount_in_words"],
        "Rupees Sixteen Thousand Two Hundred Eleven Only"
    );
    assert_eq!(v["tax_summary"][0]["gst_rate"], "18");
}

#[test]
fn einvoice_prints_inv01() {
    let ex = example();
    let out = akashone()
        .args(["invoice", "einvoice", "-i", ex.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = stdout(&out);
    assert!(text.contains("\"TotInvVal\": 16211.00"), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["Version"], "1.1");
    assert_eq!(v["TranDtls"]["SupTyp"], "B2B");
    assert_eq!(v["DocDtls"]["No"], "NCS/25-26/000101");
    assert_eq!(v["DocDtls"]["Dt"], "01/11/2025");
    assert_eq!(v["SellerDtls"]["Gstin"], "29AAFCN1234C1ZU");
    assert_eq!(v["BuyerDtls"]["Pos"], "29");
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; cargo xtask setup)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn pdf_writes_the_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("invoice.pdf");
    let ex = example();
    let out = akashone()
        .args(["invoice", "pdf", "--input", ex.to_str().unwrap()])
        .args(["--out", pdf.to_str().unwrap(), "--copy", "duplicate"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(stdout(&out).starts_with("wrote "), "{}", stdout(&out));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for needle in [
        "DUPLICATE FOR SUPPLIER",
        "29AAFCN1234C1ZU",
        "29AAHCA5678D1ZF",
        "NCS/25-26/000101",
        "₹16,211.00",
        "Rupees Sixteen Thousand Two Hundred Eleven Only",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
}

#[test]
fn pdf_with_a_logo_next_to_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../invoice-pdf/tests/fixtures/logo.png"),
        dir.path().join("logo.png"),
    )
    .unwrap();
    let mut v = example_json();
    v["seller"]["logo"] = "logo.png".into();
    let draft = write_draft(dir.path(), &v);
    let pdf = dir.path().join("out.pdf");
    akashone()
        .args([
            "invoice",
            "pdf",
            "-i",
            draft.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(std::fs::metadata(&pdf).unwrap().len() > 1000);

    v["seller"]["logo"] = "missing.png".into();
    let draft = write_draft(dir.path(), &v);
    refused(
        &[
            "invoice",
            "pdf",
            "-i",
            draft.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
        "cannot read the logo",
    );
}

#[test]
fn missing_file_is_a_clear_error() {
    refused(
        &["invoice", "compute", "--input", "/nonexistent/draft.json"],
        "cannot read the draft /nonexistent/draft.json",
    );
}

#[test]
fn malformed_json_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("draft.json");
    std::fs::write(&p, "{ \"seller\": ").unwrap();
    refused(
        &["invoice", "compute", "-i", p.to_str().unwrap()],
        "invalid draft JSON",
    );
}

#[test]
fn invalid_gstin_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = example_json();
    v["buyer"]["gstin"] = "29AAHCA5678D1ZX".into();
    let draft = write_draft(dir.path(), &v);
    refused(
        &["invoice", "compute", "-i", draft.to_str().unwrap()],
        "GSTIN \"29AAHCA5678D1ZX\" is mistyped: check character 'X' != expected 'F'",
    );
}

#[test]
fn inconsistent_draft_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = example_json();
    v["place_of_supply"] = "27".into();
    let draft = write_draft(dir.path(), &v);
    refused(
        &["invoice", "compute", "-i", draft.to_str().unwrap()],
        "place of supply 27",
    );
}

#[test]
fn e_invoicing_sellers_need_the_irn_before_printing() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = example_json();
    v["seller"]["e_invoicing"] = true.into();
    let draft = write_draft(dir.path(), &v);
    let pdf = dir.path().join("out.pdf");
    refused(
        &[
            "invoice",
            "pdf",
            "-i",
            draft.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
        "needs its IRN first",
    );
    assert!(!pdf.exists());
    // An IRP rejection passed with --irn is reported as such.
    let irp = dir.path().join("irp.json");
    std::fs::write(
        &irp,
        r#"{"Status": "0", "ErrorDetails": [{"ErrorCode": "2150", "ErrorMessage": "Duplicate IRN"}]}"#,
    )
    .unwrap();
    refused(
        &[
            "invoice",
            "pdf",
            "-i",
            draft.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
            "--irn",
            irp.to_str().unwrap(),
        ],
        "2150: Duplicate IRN",
    );
}

#[test]
fn unnumbered_drafts_print_only_as_previews() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = example_json();
    v.as_object_mut().unwrap().remove("number");
    let draft = write_draft(dir.path(), &v);
    let pdf = dir.path().join("out.pdf");
    refused(
        &[
            "invoice",
            "pdf",
            "-i",
            draft.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
        "has no \"number\"",
    );
    akashone()
        .args([
            "invoice",
            "pdf",
            "-i",
            draft.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ])
        .arg("--draft")
        .assert()
        .success();
    assert!(pdf_text(&pdf).contains("DRAFT — NOT A TAX INVOICE"));
}

#[test]
fn b2c_has_no_einvoice() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = example_json();
    v["buyer"].as_object_mut().unwrap().remove("gstin");
    let draft = write_draft(dir.path(), &v);
    refused(
        &["invoice", "einvoice", "-i", draft.to_str().unwrap()],
        "B2C",
    );
}

#[test]
fn bad_copy_name_is_a_usage_error() {
    let ex = example();
    let out = akashone()
        .args([
            "invoice",
            "pdf",
            "-i",
            ex.to_str().unwrap(),
            "--out",
            "/tmp/x.pdf",
        ])
        .args(["--copy", "quadruplicate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("quadruplicate"));
}
