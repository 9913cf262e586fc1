//! The cluster's kubeconfig: saved by the shell to a file the user chooses (mode 0600, never
//! logged), or copied to the clipboard. The text never stays in the UI's state: it goes from the
//! answer straight to the clipboard.

use crate::components::icons::Icon;
use crate::components::toast::use_toaster;
use crate::format::size_text;
use crate::hooks::{use_live, use_submit};
use crate::services::invoke;
use akashone_types::commands as cmd;
use akashone_types::kubernetes::{ClusterRow, SavedFile};
use akashone_types::{ApiError, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn get(o: &JsValue, k: &str) -> Option<JsValue> {
    js_sys::Reflect::get(o, &JsValue::from_str(k))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Puts the kubeconfig on the system clipboard. The clipboard is claimed at once, inside the
/// click (WebKit accepts a `ClipboardItem` whose text is still a promise, and refuses a write
/// that comes only after the round trip to the shell); the text fills it when the shell answers.
/// Where `ClipboardItem` is missing, `writeText` after the answer is the fallback. The text lives
/// only in this call. Answers the clipboard's promise; call it inside the click itself.
fn copy_kubeconfig(id: String) -> Result<js_sys::Promise, String> {
    let global: JsValue = js_sys::global().into();
    let clipboard = get(&global, "navigator")
        .and_then(|n| get(&n, "clipboard"))
        .ok_or("this window has no clipboard access")?;
    let item_ctor =
        get(&global, "ClipboardItem").and_then(|c| c.dyn_into::<js_sys::Function>().ok());
    let write = get(&clipboard, "write").and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let promise: js_sys::Promise = match (item_ctor, write) {
        (Some(item_ctor), Some(write)) => {
            let blob = wasm_bindgen_futures::future_to_promise(async move {
                let text = invoke(&cmd::KubeConfigText { id })
                    .await
                    .map_err(|e| JsValue::from_str(&e.message))?;
                let blob_ctor: js_sys::Function = get(&js_sys::global().into(), "Blob")
                    .and_then(|c| c.dyn_into().ok())
                    .ok_or_else(|| JsValue::from_str("no Blob"))?;
                let options = js_sys::Object::new();
                js_sys::Reflect::set(&options, &"type".into(), &"text/plain".into())?;
                js_sys::Reflect::construct(
                    &blob_ctor,
                    &js_sys::Array::of2(&js_sys::Array::of1(&JsValue::from_str(&text)), &options),
                )
            });
            let record = js_sys::Object::new();
            js_sys::Reflect::set(&record, &"text/plain".into(), &blob)
                .map_err(|_| "the clipboard cannot take text")?;
            let item = js_sys::Reflect::construct(&item_ctor, &js_sys::Array::of1(&record))
                .map_err(|_| "the clipboard cannot take text")?;
            write
                .call1(&clipboard, &js_sys::Array::of1(&item))
                .map_err(|_| "the clipboard refused the text")?
                .dyn_into()
                .map_err(|_| "the clipboard did not answer")?
        }
        _ => wasm_bindgen_futures::future_to_promise(async move {
            let text = invoke(&cmd::KubeConfigText { id })
                .await
                .map_err(|e| JsValue::from_str(&e.message))?;
            let clipboard = get(&js_sys::global().into(), "navigator")
                .and_then(|n| get(&n, "clipboard"))
                .ok_or_else(|| JsValue::from_str("this window has no clipboard access"))?;
            let write_text: js_sys::Function = get(&clipboard, "writeText")
                .and_then(|f| f.dyn_into().ok())
                .ok_or_else(|| JsValue::from_str("the clipboard cannot take text"))?;
            let done: js_sys::Promise = write_text
                .call1(&clipboard, &JsValue::from_str(&text))?
                .dyn_into()?;
            JsFuture::from(done).await
        }),
    };
    Ok(promise)
}

/// Why a clipboard promise was rejected, in words.
fn rejection(e: JsValue) -> String {
    e.as_string()
        .or_else(|| get(&e, "message").and_then(|m| m.as_string()))
        .unwrap_or_else(|| "the clipboard refused the text".into())
}

#[derive(Properties, PartialEq)]
pub struct KubeconfigProps {
    pub cluster: ClusterRow,
    /// Called once a kubeconfig has been saved (the health check can now use it).
    pub on_saved: Callback<()>,
}

#[component]
pub fn Kubeconfig(props: &KubeconfigProps) -> Html {
    let live = use_live();
    let toaster = use_toaster();
    let save = use_submit();
    let path = use_state(String::new);
    let saved = use_state(|| None::<SavedFile>);
    let copying = use_state(|| false);
    let copied = use_state(|| false);
    let c = &props.cluster;
    let offline = live.can_act().err();

    let on_path = {
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            path.set(el.value());
        })
    };
    let do_save = {
        let (save, toaster, saved, path, on_saved) = (
            save.clone(),
            toaster.clone(),
            saved.clone(),
            path.clone(),
            props.on_saved.clone(),
        );
        let id = c.id.clone();
        Callback::from(move |_| {
            let p = path.trim().to_owned();
            let (toaster, saved, on_saved) = (toaster.clone(), saved.clone(), on_saved.clone());
            saved.set(None);
            save.send(
                cmd::KubeConfigSave {
                    id: id.clone(),
                    path: (!p.is_empty()).then_some(p),
                },
                move |r| match r {
                    Ok(f) => {
                        saved.set(Some(f));
                        on_saved.emit(());
                    }
                    Err(e) => toaster.error(e),
                },
            );
        })
    };
    let do_copy = {
        let (toaster, copying, copied) = (toaster.clone(), copying.clone(), copied.clone());
        let id = c.id.clone();
        Callback::from(move |_| {
            if *copying {
                return;
            }
            let (toaster, copying, copied, id) =
                (toaster.clone(), copying.clone(), copied.clone(), id.clone());
            copying.set(true);
            copied.set(false);
            let started = copy_kubeconfig(id);
            spawn_local(async move {
                let done = match started {
                    Ok(p) => JsFuture::from(p).await.map(|_| ()).map_err(rejection),
                    Err(e) => Err(e),
                };
                match done {
                    Ok(()) => copied.set(true),
                    Err(e) => toaster.error(ApiError::new(
                        ErrorCode::Internal,
                        format!("Could not copy the kubeconfig: {e}"),
                    )),
                }
                copying.set(false);
            });
        })
    };

    html! {
        <div class="card kube-card" id="kube-kubeconfig">
            <div class="card-head"><h2>{"kubeconfig"}</h2><span class="badge">{"admin credential"}</span></div>
            <label class="field"><span>{"Save to"}</span>
                <input id="kube-kubeconfig-path" class="mono" value={(*path).clone()} oninput={on_path}
                       placeholder={format!("~/.kube/{}.yaml", c.name)} />
            </label>
            <div class="kube-action-row">
                <button class="button button-small button-primary" id="kube-kubeconfig-save" onclick={do_save}
                        disabled={offline.is_some() || save.busy()} title={offline.clone().unwrap_or_else(|| "Write it to this file, readable only by you (mode 0600)".into())}>
                    { Icon::Download.render() }{ if save.busy() { "Saving…" } else { "Download" } }
                </button>
                <button class="button button-small" id="kube-copy" onclick={do_copy}
                        disabled={offline.is_some() || *copying} title={offline.clone().unwrap_or_else(|| "Copy the kubeconfig to the clipboard".into())}>
                    { Icon::Key.render() }{ if *copying { "Copying…" } else { "Copy" } }
                </button>
                if *copied { <span class="small kube-copied" id="kube-copied">{ Icon::Check.render() }{"Copied to the clipboard"}</span> }
            </div>
            if let Some(f) = &*saved {
                <div class="notice small pdf-saved" id="kube-kubeconfig-saved" role="status" data-path={f.path.clone()}>
                    { Icon::Check.render() }
                    <span>
                        {"Saved to "}<span class="mono pdf-path">{ &f.path }</span>
                        { format!(" ({}, mode 0600: only you can read it). Use it with kubectl --kubeconfig {}", size_text(f.bytes), f.path) }
                    </span>
                </div>
            }
            <span class="small muted">{"It grants full control of the cluster: it is never logged, and a central server records each download."}</span>
        </div>
    }
}
