//! The one bridge to the Rust side: `window.__TAURI__.core.invoke`, typed both ways by the
//! commands declared in [`akashone_types::commands`].

use akashone_types::commands::Command;
use akashone_types::{ApiError, ErrorCode};
use std::future::Future;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Calls the shell command `C` with `command`'s fields as its arguments (a JSON object keyed by
/// field name in camelCase, which the shell decodes into the same struct) and decodes the reply
/// as `C::Output`. Every failure becomes an [`ApiError`]: the shell's own errors keep their code;
/// anything else (Tauri refusing the call, a reply that does not decode, no shell at all) becomes
/// `internal` with the reason.
///
/// The arguments are encoded at once, so the future borrows nothing and can be handed on.
pub fn invoke<C: Command + 'static>(
    command: &C,
) -> impl Future<Output = Result<C::Output, ApiError>> + use<C> {
    let args = command
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            internal(format!(
                "could not encode the arguments of {}: {e}",
                C::NAME
            ))
        });
    async move {
        match tauri_invoke(C::NAME, args?).await {
            Ok(value) => serde_wasm_bindgen::from_value(value)
                .map_err(|e| internal(format!("unexpected reply from {}: {e}", C::NAME))),
            Err(err) => Err(to_api_error(C::NAME, err)),
        }
    }
}

fn to_api_error(cmd: &str, err: JsValue) -> ApiError {
    if let Ok(api) = serde_wasm_bindgen::from_value::<ApiError>(err.clone()) {
        return api;
    }
    if let Some(text) = err.as_string() {
        return internal(format!("{cmd}: {text}"));
    }
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return internal(format!("{cmd}: {}", String::from(e.message())));
    }
    internal(format!("{cmd} failed"))
}

fn internal(message: String) -> ApiError {
    ApiError::new(ErrorCode::Internal, message)
}
