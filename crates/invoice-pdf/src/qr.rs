//! QR codes as rows of dark runs, and the UPI payment link.

use crate::PdfError;
use qrcode::{Color, EcLevel, QrCode};

/// Light modules left around the symbol (the standard asks for 4).
pub(crate) const QUIET_ZONE: usize = 4;

/// A QR symbol: `width` × `width` modules; per row, the dark runs as (start, length).
pub(crate) struct QrModules {
    pub(crate) width: usize,
    pub(crate) runs: Vec<Vec<(usize, usize)>>,
}

impl QrModules {
    /// Encodes `data`: error correction level M for short data (payment links), L for long
    /// data (the IRP's signed JWT, ~1 KB) so its modules stay large enough to scan from paper.
    pub(crate) fn encode(data: &str) -> Result<Self, PdfError> {
        let level = if data.len() > 300 {
            EcLevel::L
        } else {
            EcLevel::M
        };
        let code = QrCode::with_error_correction_level(data.as_bytes(), level)
            .map_err(|e| PdfError::Qr(format!("{e} ({} bytes)", data.len())))?;
        let width = code.width();
        let colors = code.to_colors();
        let runs = colors
            .chunks(width)
            .map(|row| {
                let mut runs = Vec::new();
                let mut start = None;
                for (i, c) in row.iter().enumerate() {
                    match (c, start) {
                        (Color::Dark, None) => start = Some(i),
                        (Color::Light, Some(s)) => {
                            runs.push((s, i - s));
                            start = None;
                        }
                        _ => {}
                    }
                }
                if let Some(s) = start {
                    runs.push((s, width - s));
                }
                runs
            })
            .collect();
        Ok(QrModules { width, runs })
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `upi://pay?pa=…&pn=…&am=…&cu=INR&tn=…` (NPCI's UPI linking specification).
pub fn upi_link(upi_id: &str, payee: &str, amount_rupees: &str, note: &str) -> String {
    format!(
        "upi://pay?pa={}&pn={}&am={}&cu=INR&tn={}",
        encode_component(upi_id).replace("%40", "@"),
        encode_component(payee),
        amount_rupees,
        encode_component(note)
    )
}
