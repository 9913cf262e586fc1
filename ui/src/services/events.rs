//! Events pushed by the shell (`window.__TAURI__.event.listen`), typed. Their names are the
//! constants of [`akashone_types::events`], shared with the shell.

use serde::de::DeserializeOwned;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &js_sys::Function) -> Result<JsValue, JsValue>;
}

/// Calls `on` with each payload of `event` while the component is mounted. Payloads that do not
/// decode as `T` are dropped (and logged to the console).
#[hook]
pub fn use_shell_event<T>(event: &'static str, on: Callback<T>)
where
    T: DeserializeOwned + 'static,
{
    use_effect_with(event, move |event| {
        let event = *event;
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            let payload =
                js_sys::Reflect::get(&ev, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
            match serde_wasm_bindgen::from_value::<T>(payload) {
                Ok(value) => on.emit(value),
                Err(e) => web_sys::console::warn_1(&format!("event {event}: {e}").into()),
            }
        });
        let handler = Rc::new(handler);
        let alive = Rc::new(Cell::new(true));
        let unlisten: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
        {
            let handler = handler.clone();
            let alive = alive.clone();
            let unlisten = unlisten.clone();
            spawn_local(async move {
                let function: &js_sys::Function = (*handler).as_ref().unchecked_ref();
                if let Ok(f) = tauri_listen(event, function).await {
                    let f: js_sys::Function = f.unchecked_into();
                    if alive.get() {
                        *unlisten.borrow_mut() = Some(f);
                    } else {
                        let _ = f.call0(&JsValue::NULL);
                    }
                }
                // The closure must outlive the subscription: this task holds it until here.
                drop(handler);
            });
        }
        move || {
            alive.set(false);
            if let Some(f) = unlisten.borrow_mut().take() {
                let _ = f.call0(&JsValue::NULL);
            }
            drop(handler);
        }
    });
}
