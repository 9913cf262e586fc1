//! Turning CloudStack answers (HTTP status + JSON body) into values or typed errors.
//!
//! Every answer is `{"<command>response": {...}}`; errors put `errorcode`/`errortext` inside
//! (with the HTTP status usually equal to `errorcode`, sometimes 200 on old servers).

use crate::error::{Error, Result};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// One page of a list answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The total number of rows across all pages, when the server says so.
    pub count: Option<u64>,
    /// The rows of this page.
    pub items: Vec<T>,
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let t = text.trim();
    let mut s: String = t.chars().take(200).collect();
    if t.chars().count() > 200 {
        s.push('…');
    }
    s
}

fn u16_of(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The typed error carried by an unwrapped inner object, if it is an error object.
pub fn error_in(command: &str, http_status: u16, inner: &Value) -> Option<Error> {
    let obj = inner.as_object()?;
    let errorcode = obj.get("errorcode").and_then(u16_of)?;
    let message = obj
        .get("errortext")
        .and_then(Value::as_str)
        .unwrap_or("no error text")
        .to_owned();
    let cserrorcode = obj
        .get("cserrorcode")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok());
    Some(Error::from_api(
        command,
        http_status,
        errorcode,
        cserrorcode,
        message,
    ))
}

/// The error for a non-success answer whose body is not a CloudStack error object.
fn error_without_body(
    command: &str,
    status: u16,
    x_description: Option<&str>,
    body: &[u8],
) -> Error {
    let message = match x_description {
        Some(d) if !d.is_empty() => d.to_owned(),
        _ => {
            let s = snippet(body);
            if s.is_empty() {
                format!("HTTP {status} with an empty body")
            } else {
                format!("HTTP {status}: {s}")
            }
        }
    };
    if status == 404 {
        return Error::NotFound {
            command: command.to_owned(),
            message: format!("{message} (is the API URL right? it usually ends in /client/api)"),
        };
    }
    Error::from_api(command, status, status, None, message)
}

/// Removes the `{"<command>response": ...}` envelope.
fn unwrap_envelope(command: &str, top: Value) -> Result<Value> {
    match top {
        Value::Object(map) => {
            if map.len() == 1 {
                return Ok(map
                    .into_iter()
                    .next()
                    .map(|(_, v)| v)
                    .unwrap_or(Value::Null));
            }
            let mut found = None;
            for (k, v) in map {
                if k.ends_with("response") {
                    found = Some(v);
                    break;
                }
            }
            found.ok_or_else(|| Error::MalformedResponse {
                command: command.to_owned(),
                message: "expected a single top-level \"<command>response\" key".into(),
            })
        }
        _ => Err(Error::MalformedResponse {
            command: command.to_owned(),
            message: "the answer is not a JSON object".into(),
        }),
    }
}

/// Parses any answer: returns the object inside the envelope, or the typed error.
pub fn parse_value(
    command: &str,
    status: u16,
    x_description: Option<&str>,
    body: &[u8],
) -> Result<Value> {
    let top: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            if status != 200 {
                return Err(error_without_body(command, status, x_description, body));
            }
            return Err(Error::MalformedResponse {
                command: command.to_owned(),
                message: format!("not JSON ({e}): {}", snippet(body)),
            });
        }
    };
    let inner = match unwrap_envelope(command, top) {
        Ok(v) => v,
        Err(e) if status == 200 => return Err(e),
        Err(_) => return Err(error_without_body(command, status, x_description, body)),
    };
    if let Some(err) = error_in(command, status, &inner) {
        return Err(err);
    }
    if status != 200 {
        return Err(error_without_body(command, status, x_description, body));
    }
    Ok(inner)
}

/// Parses a list answer straight into typed rows (no intermediate JSON tree).
///
/// `item_key` names the array (`"virtualmachine"`); with `None` the first array found is used.
pub fn parse_list<T: DeserializeOwned>(
    command: &str,
    status: u16,
    x_description: Option<&str>,
    body: &[u8],
    item_key: Option<&str>,
) -> Result<Page<T>> {
    if status != 200 {
        // Reuse the general path to build the right error.
        parse_value(command, status, x_description, body)?;
        return Err(error_without_body(command, status, x_description, body));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed = EnvelopeSeed::<T> {
        item_key,
        _t: PhantomData,
    }
    .deserialize(&mut de)
    .and_then(|b| de.end().map(|()| b));
    match parsed {
        Ok(body_) => {
            if let Some(code) = body_.errorcode {
                return Err(Error::from_api(
                    command,
                    status,
                    code,
                    body_.cserrorcode,
                    body_.errortext.unwrap_or_else(|| "no error text".into()),
                ));
            }
            Ok(Page {
                count: body_.count,
                items: body_.items,
            })
        }
        Err(e) => {
            // A clearer error when the answer is an error object or not JSON at all.
            parse_value(command, status, x_description, body)?;
            Err(Error::MalformedResponse {
                command: command.to_owned(),
                message: e.to_string(),
            })
        }
    }
}

struct ListBody<T> {
    count: Option<u64>,
    items: Vec<T>,
    errorcode: Option<u16>,
    cserrorcode: Option<u32>,
    errortext: Option<String>,
}

struct EnvelopeSeed<'k, T> {
    item_key: Option<&'k str>,
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    type Value = ListBody<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = ListBody<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a {\"<command>response\": {...}} object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = None;
        while let Some(_key) = map.next_key::<IgnoredAny>()? {
            if out.is_some() {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            out = Some(map.next_value_seed(InnerSeed::<T> {
                item_key: self.item_key,
                _t: PhantomData,
            })?);
        }
        out.ok_or_else(|| de::Error::custom("empty answer object"))
    }
}

struct InnerSeed<'k, T> {
    item_key: Option<&'k str>,
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for InnerSeed<'_, T> {
    type Value = ListBody<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for InnerSeed<'_, T> {
    type Value = ListBody<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list answer object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut body = ListBody {
            count: None,
            items: Vec::new(),
            errorcode: None,
            cserrorcode: None,
            errortext: None,
        };
        let mut have_items = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "count" => body.count = map.next_value::<LenientU64>()?.0,
                "errorcode" => {
                    body.errorcode = map
                        .next_value::<LenientU64>()?
                        .0
                        .and_then(|n| u16::try_from(n).ok());
                }
                "cserrorcode" => {
                    body.cserrorcode = map
                        .next_value::<LenientU64>()?
                        .0
                        .and_then(|n| u32::try_from(n).ok());
                }
                "errortext" => {
                    body.errortext = map.next_value::<LenientString>()?.0;
                }
                k if !have_items && self.item_key.is_none_or(|want| want == k) => {
                    match self.item_key {
                        Some(_) => {
                            body.items = map.next_value::<Vec<T>>()?;
                            have_items = true;
                        }
                        None => {
                            let v: Value = map.next_value()?;
                            if let Value::Array(a) = v {
                                body.items = a
                                    .into_iter()
                                    .map(serde_json::from_value)
                                    .collect::<Result<_, _>>()
                                    .map_err(de::Error::custom)?;
                                have_items = true;
                            }
                        }
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(body)
    }
}

struct LenientU64(Option<u64>);
impl<'de> serde::Deserialize<'de> for LenientU64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <u64 as crate::de::Lenient>::deserialize_lenient(d).map(LenientU64)
    }
}
struct LenientString(Option<String>);
impl<'de> serde::Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <String as crate::de::Lenient>::deserialize_lenient(d).map(LenientString)
    }
}

/// Reads `inner[key]` as `T`; when `key` is absent but the object holds exactly one object
/// value, that value is used (servers differ in naming some result objects).
pub fn object_at<T: DeserializeOwned>(command: &str, inner: &Value, key: &str) -> Result<T> {
    let obj = inner.as_object().ok_or_else(|| Error::MalformedResponse {
        command: command.to_owned(),
        message: "expected an object".into(),
    })?;
    let v = match obj.get(key) {
        Some(v) => v,
        None => {
            let mut objects = obj.values().filter(|v| v.is_object());
            match (objects.next(), objects.next()) {
                (Some(v), None) => v,
                _ => {
                    return Err(Error::MalformedResponse {
                        command: command.to_owned(),
                        message: format!("no \"{key}\" object in the answer"),
                    });
                }
            }
        }
    };
    T::deserialize(v).map_err(|e| Error::MalformedResponse {
        command: command.to_owned(),
        message: format!("\"{key}\": {e}"),
    })
}

/// Reads the whole inner object as `T`.
pub fn object<T: DeserializeOwned>(command: &str, inner: &Value) -> Result<T> {
    T::deserialize(inner).map_err(|e| Error::MalformedResponse {
        command: command.to_owned(),
        message: e.to_string(),
    })
}

/// A string or number id from an object, as a string.
pub fn id_field(inner: &Value, key: &str) -> Option<String> {
    match inner.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Zone;

    #[test]
    fn list_with_and_without_rows() {
        let p: Page<Zone> = parse_list(
            "listZones",
            200,
            None,
            br#"{"listzonesresponse":{"count":2,"zone":[{"id":"a"},{"id":1}]}}"#,
            Some("zone"),
        )
        .unwrap();
        assert_eq!(p.count, Some(2));
        assert_eq!(p.items[1].id.as_deref(), Some("1"));
        let p: Page<Zone> = parse_list(
            "listZones",
            200,
            None,
            br#"{"listzonesresponse":{}}"#,
            Some("zone"),
        )
        .unwrap();
        assert!(p.items.is_empty());
        let p: Page<Value> = parse_list(
            "listZones",
            200,
            None,
            br#"{"x":{"count":"1","zone":[{"id":"a"}]}}"#,
            None,
        )
        .unwrap();
        assert_eq!(p.items.len(), 1);
    }

    #[test]
    fn errors_inside_200_and_non_200() {
        let e = parse_list::<Zone>(
            "listZones",
            200,
            None,
            br#"{"listzonesresponse":{"errorcode":431,"errortext":"bad"}}"#,
            Some("zone"),
        )
        .unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { errorcode: 431, .. }));
        let e = parse_value("x", 502, None, b"<html>Bad gateway</html>").unwrap_err();
        assert!(e.is_transient());
        let e = parse_value("x", 200, None, b"<html>").unwrap_err();
        assert!(matches!(e, Error::MalformedResponse { .. }));
        let e = parse_value(
            "listZones",
            401,
            None,
            br#"{"listzonesresponse":{"uuidList":[],"errorcode":401,"errortext":"unable to verify user credentials and/or request signature"}}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Unauthorized { .. }));
    }
}
