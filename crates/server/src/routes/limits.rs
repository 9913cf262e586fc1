//! How large a request body each route takes. An oversized body is answered 413 with the usual
//! error body and the limit in its message; the rest of the body is read and dropped first, so
//! that a client still sending reads the answer instead of a reset connection.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::billing::profile::MAX_LOGO_BYTES;
use crate::error::Error;

/// Every route but those below: JSON of a few fields.
pub(crate) const SMALL_BODY: usize = 64 * 1024;

/// Routes that carry a logo as base64 inside JSON: the logo's limit, grown by base64's 4/3, and
/// room for the rest of the form.
pub(crate) const LOGO_BODY: usize = MAX_LOGO_BYTES.div_ceil(3) * 4 + SMALL_BODY;

/// At most this much of an oversized body is read and dropped, for at most [`DRAIN_FOR`]; past
/// either the connection is closed after the answer.
const DRAIN_AT_MOST: usize = 64 * 1024 * 1024;
const DRAIN_FOR: Duration = Duration::from_secs(30);

/// The largest body `method` on `path` takes.
pub(crate) fn body_limit(method: &Method, path: &str) -> usize {
    match (method, path) {
        (&Method::PUT, "/api/billing/seller") => LOGO_BODY,
        _ => SMALL_BODY,
    }
}

/// A size for people: bytes, KiB or MiB.
fn size(n: usize) -> String {
    match n {
        n if n >= 1024 * 1024 => format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0)),
        n if n >= 1024 => format!("{} KiB", n.div_ceil(1024)),
        n => format!("{n} bytes"),
    }
}

fn too_large(method: &Method, path: &str, limit: usize, got: usize) -> Error {
    Error::TooLarge(format!(
        "The request body is {}; {method} {path} accepts at most {}.",
        size(got),
        size(limit)
    ))
}

/// Buffers each request body up to its route's limit, or answers 413.
pub(crate) async fn limit_bodies(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let limit = body_limit(&method, &path);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let (parts, body) = req.into_parts();
    let mut chunks = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    let mut over = declared.is_some_and(|n| n > limit);
    // A client that waits for "100 Continue" before sending is told at once and sends nothing.
    let waits = parts
        .headers
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if !over {
        while let Some(chunk) = chunks.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    return Error::Invalid(format!("The request body could not be read: {e}"))
                        .into_response();
                }
            };
            seen += chunk.len();
            if seen > limit {
                over = true;
                break;
            }
            kept.extend_from_slice(&chunk);
        }
    }
    if !over {
        return next.run(Request::from_parts(parts, Body::from(kept))).await;
    }
    drop(kept);
    let drained = !waits
        && tokio::time::timeout(DRAIN_FOR, async {
            while let Some(Ok(chunk)) = chunks.next().await {
                seen += chunk.len();
                if seen > DRAIN_AT_MOST {
                    return false;
                }
            }
            true
        })
        .await
        .unwrap_or(false);
    let mut answer = too_large(&method, &path, limit, declared.unwrap_or(seen)).into_response();
    if !drained {
        answer.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_get_room_and_everything_else_is_small() {
        assert_eq!(body_limit(&Method::PUT, "/api/billing/seller"), LOGO_BODY);
        const { assert!(LOGO_BODY > MAX_LOGO_BYTES * 4 / 3) };
        assert_eq!(body_limit(&Method::GET, "/api/billing/seller"), SMALL_BODY);
        assert_eq!(body_limit(&Method::POST, "/api/auth/login"), SMALL_BODY);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(20 * 1024 * 1024), "20.0 MiB");
        assert_eq!(size(64 * 1024), "64 KiB");
        assert_eq!(size(65 * 1024 + 1), "66 KiB");
        assert_eq!(size(12), "12 bytes");
        // As the OpenAPI document's description says.
        assert_eq!(size(LOGO_BODY), "406 KiB");
    }
}
