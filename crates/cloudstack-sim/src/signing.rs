//! CloudStack request signing, as the management server checks it.
//!
//! The server takes every parameter except `signature` (matched case-insensitively) with its name
//! as sent and its value URL-decoded, sorts the names with Java's `String.compareTo` (UTF-16 code
//! units, case-sensitive), encodes each value with `java.net.URLEncoder` rules (space becomes
//! `%20`, `~` becomes `%7E`), joins `name=value` pairs with `&`, lower-cases the whole string and
//! computes an HMAC-SHA1 keyed with the secret key, encoded as standard Base64 with padding.

use std::cmp::Ordering;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Decodes a URL component the way `java.net.URLDecoder.decode(s, "UTF-8")` does: `+` is a space,
/// `%XX` is a byte, the bytes are read as UTF-8. Returns `None` where Java would throw (a `%`
/// not followed by two hex digits).
pub fn java_url_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hi = (hex[0] as char).to_digit(16)?;
                let lo = (hex[1] as char).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Encodes a value as `URLEncoder.encode(value, "UTF-8").replaceAll("\\+", "%20")`: keeps
/// `A-Z a-z 0-9 . - * _`, turns a space into `%20` and percent-encodes every other UTF-8 byte
/// with upper-case hex digits.
pub fn java_url_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len() * 3);
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push_str("%20"),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out
}

/// Compares two strings as Java's `String.compareTo` does (UTF-16 code units).
pub fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Builds the string the server signs from decoded `(name, value)` pairs.
pub fn string_to_sign<'a, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut pairs: Vec<(&str, &str)> = params
        .into_iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("signature"))
        .collect();
    pairs.sort_by(|a, b| java_compare(a.0, b.0));
    let joined = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", java_url_encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    joined.to_lowercase()
}

/// Signs decoded `(name, value)` pairs with a secret key: the Base64 HMAC-SHA1 of
/// [`string_to_sign`].
pub fn sign<'a, I>(params: I, secret: &str) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let text = string_to_sign(params);
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Compares a received signature with the expected one in constant time.
pub fn signatures_match(expected: &str, received: &str) -> bool {
    let (a, b) = (expected.as_bytes(), received.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Parses an `expires` value the way the server's `DateUtil.parseTZDateString` accepts it:
/// `2025-06-01T12:00:00+0000`, ISO offset date-times (`+00:00`, `Z`), with or without fractions.
pub fn parse_expires(value: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
        return Some(t);
    }
    let compact = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
    );
    if let Ok(t) = OffsetDateTime::parse(value, &compact) {
        return Some(t);
    }
    let compact_frac = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond][offset_hour sign:mandatory][offset_minute]"
    );
    OffsetDateTime::parse(value, &compact_frac).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example() {
        let params = [
            (
                "apikey",
                "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg",
            ),
            ("command", "listUsers"),
            ("response", "json"),
        ];
        assert_eq!(
            string_to_sign(params),
            "apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json"
        );
        assert_eq!(
            sign(
                params,
                "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ"
            ),
            "TTpdDq/7j/J58XCRHomKoQXEQds="
        );
    }

    #[test]
    fn url_encoding_follows_java() {
        assert_eq!(java_url_encode("a b~c*d.e-f_g"), "a%20b%7Ec*d.e-f_g");
        assert_eq!(java_url_encode("[x]/'!()"), "%5Bx%5D%2F%27%21%28%29");
        assert_eq!(java_url_encode("é"), "%C3%A9");
        assert_eq!(java_url_encode("+"), "%2B");
        assert_eq!(java_url_decode("a+b%2Bc%7e").as_deref(), Some("a b+c~"));
        assert_eq!(java_url_decode("%zz"), None);
        assert_eq!(java_url_decode("%4"), None);
    }

    #[test]
    fn sorting_is_case_sensitive_utf16() {
        assert_eq!(java_compare("Z", "a"), Ordering::Less);
        assert_eq!(java_compare("templateId", "templatefilter"), Ordering::Less);
        // U+FF5E (BMP, above the surrogates) sorts after U+1F600 (a surrogate pair) in UTF-16.
        assert_eq!(java_compare("\u{FF5E}", "\u{1F600}"), Ordering::Greater);
    }

    #[test]
    fn expires_formats() {
        assert!(parse_expires("2025-06-01T12:00:00+0000").is_some());
        assert!(parse_expires("2025-06-01T12:00:00Z").is_some());
        assert!(parse_expires("2025-06-01T12:00:00+05:30").is_some());
        assert!(parse_expires("2025-06-01T12:00:00.123456Z").is_some());
        assert!(parse_expires("yesterday").is_none());
    }

    #[test]
    fn constant_time_compare() {
        assert!(signatures_match("abc=", "abc="));
        assert!(!signatures_match("abc=", "abd="));
        assert!(!signatures_match("abc=", "abc"));
    }
}
