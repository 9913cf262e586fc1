//! Request signing exactly as the CloudStack server verifies it.
//!
//! The server (`ApiServer.verifyRequest`) rebuilds the string to sign from the decoded request
//! parameters:
//!
//! 1. every parameter except `signature`, names exactly as sent, values decoded;
//! 2. sorted by name with Java's `String.compareTo` (UTF-16 code unit order, case-sensitive);
//! 3. each rendered as `name=` + `URLEncoder.encode(value, "UTF-8")` with `+` replaced by `%20`;
//! 4. joined with `&` and lower-cased as a whole;
//! 5. HMAC-SHA1 keyed with the secret key, standard Base64 with padding.
//!
//! [`signature`] implements that rule; [`encode_value`] is the Java `URLEncoder` rule, which is
//! also what [`encode_query`] uses on the wire so that the server decodes the same values.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use std::cmp::Ordering;
use std::fmt::Write as _;

type HmacSha1 = Hmac<Sha1>;

/// Bytes Java's `URLEncoder` leaves alone: `A-Z a-z 0-9 . - * _`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'*' | b'_')
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `value` encoded like `URLEncoder.encode(value, "UTF-8").replaceAll("\\+", "%20")`.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0x0f)] as char);
        }
    }
}

/// Encodes a parameter value the way the server does before signing: Java `URLEncoder`
/// semantics (UTF-8, upper-case hex, `~` encoded) with spaces as `%20`.
///
/// ```
/// use akashone_cloudstack::sign::encode_value;
/// assert_eq!(encode_value("a b+c~*"), "a%20b%2Bc%7E*");
/// ```
pub fn encode_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    encode_into(&mut out, value);
    out
}

/// Java `String.compareTo`: lexicographic over UTF-16 code units.
pub fn java_compare(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.as_bytes().cmp(b.as_bytes());
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The string the server signs, before lower-casing, for these parameters (names as sent).
///
/// Any `signature` parameter (matched case-insensitively) is left out.
pub fn canonical_string<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| !k.eq_ignore_ascii_case("signature"))
        .collect();
    sorted.sort_by(|a, b| java_compare(a.0, b.0));
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        encode_into(&mut out, v);
    }
    out
}

/// The lower-cased string to sign (what the HMAC is computed over).
pub fn string_to_sign<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let s = canonical_string(params);
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// A secret key ready to sign: the HMAC state is keyed once and cloned per signature.
///
/// Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct Signer {
    mac: HmacSha1,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(<redacted>)")
    }
}

impl Signer {
    /// Keys a signer with the secret key.
    pub fn new(secret: &str) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        let mac = <HmacSha1 as KeyInit>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Self { mac }
    }

    /// The Base64 signature of an already lower-cased string to sign.
    pub fn sign_string(&self, string_to_sign: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        let digest = mac.finalize().into_bytes();
        base64::engine::general_purpose::STANDARD.encode(digest)
    }

    /// The signature of these parameters (names as sent, `signature` excluded).
    pub fn sign<K: AsRef<str>, V: AsRef<str>>(&self, params: &[(K, V)]) -> String {
        self.sign_string(&string_to_sign(params))
    }
}

/// Signs `params` with `secret`: the value to send as the `signature` parameter.
///
/// ```
/// use akashone_cloudstack::sign::signature;
/// let sig = signature(
///     &[("apiKey", "fnord"), ("command", "listVirtualMachines"), ("response", "json")],
///     "abracadabra",
/// );
/// assert_eq!(sig, "z/a9Y7J52u48VpqIgiwaGUMCso0=");
/// ```
pub fn signature<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)], secret: &str) -> String {
    Signer::new(secret).sign(params)
}

/// Encodes parameters as a query string or form body (`name=value&...`), names and values with
/// the same Java `URLEncoder` rule, so the server's `URLDecoder` gets the exact values back.
pub fn encode_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, k.as_ref());
        out.push('=');
        encode_into(&mut out, v.as_ref());
    }
    out
}

/// Formats an `expires` value as CloudStack documents it: `2025-06-01T12:00:00+0000` (UTC).
pub fn format_expires(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let mut s = String::with_capacity(24);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+0000",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_urlencoder_rules() {
        assert_eq!(encode_value("AZaz09.-*_"), "AZaz09.-*_");
        assert_eq!(encode_value(" "), "%20");
        assert_eq!(encode_value("~[]/'!()"), "%7E%5B%5D%2F%27%21%28%29");
        assert_eq!(encode_value("é"), "%C3%A9");
        assert_eq!(encode_value(""), "");
    }

    #[test]
    fn java_order_is_utf16_order() {
        assert_eq!(java_compare("Z", "a"), Ordering::Less);
        assert_eq!(java_compare("templateId", "templatefilter"), Ordering::Less);
        // U+FF61 sorts after U+1F600 in code points order but before it in UTF-16 order.
        assert_eq!(java_compare("\u{ff61}", "\u{1f600}"), Ordering::Greater);
        assert_eq!("\u{ff61}".cmp("\u{1f600}"), Ordering::Less);
    }

    #[test]
    fn signature_param_is_not_signed() {
        let a = string_to_sign(&[("command", "x"), ("Signature", "abc")]);
        assert_eq!(a, "command=x");
    }

    #[test]
    fn expires_format() {
        let t = time::macros::datetime!(2025-06-01 12:00:00 +05:30);
        assert_eq!(format_expires(t), "2025-06-01T06:30:00+0000");
    }

    #[test]
    fn debug_hides_the_key() {
        let s = Signer::new("very-secret");
        assert!(!format!("{s:?}").contains("very-secret"));
    }
}
