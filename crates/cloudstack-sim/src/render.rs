//! Turning results into HTTP responses: JSON by default with `response=json`, XML otherwise,
//! as the management server does.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::error::ApiError;

/// The wire format asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
}

impl Format {
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some(v) if v.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Xml,
        }
    }
}

/// A success body `{"<name>": inner}`.
pub(crate) fn success(format: Format, response_name: &str, inner: Value) -> Response {
    let body = match format {
        Format::Json => {
            let mut out = String::with_capacity(256);
            out.push_str("{\"");
            out.push_str(response_name);
            out.push_str("\":");
            out.push_str(&serde_json::to_string(&inner).unwrap_or_else(|_| "{}".into()));
            out.push('}');
            out
        }
        Format::Xml => xml_document(response_name, &inner),
    };
    respond(format, StatusCode::OK, body, None)
}

/// An error body under `<name>` (a command's response name or `errorresponse`).
pub(crate) fn error(format: Format, response_name: &str, e: &ApiError) -> Response {
    let text_json = serde_json::to_string(&e.text).unwrap_or_else(|_| "\"\"".into());
    let body = match format {
        Format::Json => {
            let cs = e
                .cs_code
                .map(|c| format!(",\"cserrorcode\":{c}"))
                .unwrap_or_default();
            format!(
                "{{\"{response_name}\":{{\"uuidList\":[],\"errorcode\":{}{cs},\"errortext\":{text_json}}}}}",
                e.code
            )
        }
        Format::Xml => {
            let mut inner = serde_json::Map::new();
            inner.insert("errorcode".into(), e.code.into());
            if let Some(c) = e.cs_code {
                inner.insert("cserrorcode".into(), c.into());
            }
            inner.insert("errortext".into(), e.text.clone().into());
            xml_document(response_name, &Value::Object(inner))
        }
    };
    let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    respond(format, status, body, Some(&e.text))
}

fn respond(
    format: Format,
    status: StatusCode,
    body: String,
    description: Option<&str>,
) -> Response {
    let content_type = match format {
        Format::Json => "application/json; charset=UTF-8",
        Format::Xml => "text/xml; charset=UTF-8",
    };
    let mut resp = (status, body).into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(d) = description {
        let ascii: String = d
            .chars()
            .filter(|c| c.is_ascii() && !c.is_control())
            .collect();
        if let Ok(v) = HeaderValue::from_str(&ascii) {
            headers.insert("X-Description", v);
        }
    }
    resp
}

fn xml_document(name: &str, inner: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.push_str(&format!("<{name} cloud-stack-version=\"4.22.0.0\">"));
    if let Value::Object(map) = inner {
        for (k, v) in map {
            xml_value(&mut out, k, v);
        }
    }
    out.push_str(&format!("</{name}>"));
    out
}

fn xml_value(out: &mut String, name: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                xml_value(out, name, item);
            }
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in map {
                xml_value(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xml_lists_repeat_elements() {
        let doc = xml_document(
            "listzonesresponse",
            &json!({"count": 2, "zone": [{"name": "a&b"}, {"name": "c"}]}),
        );
        assert!(doc.contains("<count>2</count>"));
        assert!(doc.contains("<zone><name>a&amp;b</name></zone><zone><name>c</name></zone>"));
    }
}
