//! The one bridge to the Rust side: `window.__TAURI__.core.invoke`, typed both ways.

use akashone_types::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Calls the shell command `cmd` with `args` (a struct whose fields are the command's arguments)
/// and decodes the reply. Every failure becomes an [`ApiError`]: the shell's own errors keep their
/// code; anything else (Tauri refusing the call, a reply that does not decode, no shell at all)
/// becomes `internal` with the reason.
pub async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args
        .serialize(&serializer)
        .map_err(|e| internal(format!("could not encode the arguments of {cmd}: {e}")))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| internal(format!("unexpected reply from {cmd}: {e}"))),
        Err(err) => Err(to_api_error(cmd, err)),
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

/// Arguments for commands that take none.
#[derive(Serialize)]
pub struct NoArgs {}
