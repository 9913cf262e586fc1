//! The commands through Tauri's real IPC layer (mock runtime, no webview): what the UI sends,
//! what it gets back, and the error shape it shows as a toast.

use akashone_console::{AppState, register};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
    _keys: tempfile::TempDir,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    app_in(dir)
}

fn app_in(dir: tempfile::TempDir) -> App {
    let keys = tempfile::tempdir().unwrap();
    let options = akashone_app::Options {
        vault_file_only: true,
        vault_key_file: Some(keys.path().join("vault.key")),
        ..Default::default()
    };
    let state = AppState::open_with(dir.path().to_owned(), options).unwrap();
    let app = register(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _app: app,
        window,
        dir,
        _keys: keys,
    }
}

fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn settings_start_dark_and_the_theme_persists() {
    let app = app();
    assert_eq!(
        invoke(&app, "get_settings", json!({})).unwrap(),
        json!({"theme": "dark"})
    );
    assert_eq!(
        invoke(&app, "set_theme", json!({"theme": "light"})).unwrap(),
        json!({"theme": "light"})
    );
    // A fresh start on the same folder sees the saved theme.
    let App {
        _app, window, dir, ..
    } = app;
    drop(window);
    drop(_app);
    let again = app_in(dir);
    assert_eq!(
        invoke(&again, "get_settings", json!({})).unwrap(),
        json!({"theme": "light"})
    );
}

#[test]
fn a_bad_theme_is_refused_with_the_stable_error_shape_and_changes_nothing() {
    let app = app();
    let err = invoke(&app, "set_theme", json!({"theme": "purple"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("\"purple\""),
        "{err}"
    );
    assert_eq!(
        invoke(&app, "get_settings", json!({})).unwrap(),
        json!({"theme": "dark"})
    );
}

#[test]
fn a_missing_argument_is_refused() {
    let app = app();
    let err = invoke(&app, "set_theme", json!({})).unwrap_err();
    // Tauri rejects before our code runs; the UI bridge maps such plain strings to `internal`.
    assert!(err.to_string().contains("theme"), "{err}");
}

#[test]
fn app_info_names_the_product_and_company() {
    let app = app();
    let info = invoke(&app, "app_info", json!({})).unwrap();
    assert_eq!(info["product"], "AkashOne Console");
    assert_eq!(info["company"], "Mieux Technologies Pvt Ltd");
    assert_eq!(info["website"], "AkashOne.com");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        info["data_dir"].as_str().unwrap(),
        app.dir.path().display().to_string()
    );
}

#[test]
fn unknown_commands_are_refused() {
    let app = app();
    assert!(invoke(&app, "drop_all_tables", json!({})).is_err());
}

#[test]
fn without_a_profile_the_app_says_so_and_lists_nothing() {
    let app = app();
    let status = invoke(&app, "connection_status", json!({})).unwrap();
    assert_eq!(status["reachability"], "not_connected");
    assert_eq!(invoke(&app, "dashboard", json!({})).unwrap(), Value::Null);
    let err = invoke(&app, "vm_page", json!({"query": {"limit": 50}})).unwrap_err();
    assert_eq!(err["code"], "not_configured", "{err}");
    let profiles = invoke(&app, "list_profiles", json!({})).unwrap();
    assert_eq!(profiles["profiles"], json!([]));
    assert_eq!(profiles["secret_storage"], "encrypted_file");
}

#[test]
fn bad_profile_input_is_refused_and_nothing_is_saved() {
    let app = app();
    for (form, needle) in [
        (
            json!({"name": "", "url": "https://cloud.example.com/client/api", "api_key": "k", "secret_key": "s"}),
            "name",
        ),
        (
            json!({"name": "x", "url": "cloud.example.com", "api_key": "k", "secret_key": "s"}),
            "http",
        ),
        (
            json!({"name": "x", "url": "https://cloud.example.com/client/api", "api_key": "k", "secret_key": ""}),
            "secret key",
        ),
    ] {
        let err = invoke(&app, "add_cloudstack_profile", json!({ "form": form })).unwrap_err();
        assert_eq!(err["code"], "invalid_input", "{err}");
        assert!(err["message"].as_str().unwrap().contains(needle), "{err}");
    }
    let err = invoke(&app, "activate_profile", json!({"id": "nope"})).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    let err = invoke(&app, "remove_profile", json!({"id": "nope"})).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    // A malformed query never reaches the console.
    assert!(
        invoke(
            &app,
            "vm_page",
            json!({"query": {"sort": "colour", "limit": 5}})
        )
        .is_err()
    );
    assert!(invoke(&app, "vm_action", json!({"id": "x", "action": "explode"})).is_err());
    let profiles = invoke(&app, "list_profiles", json!({})).unwrap();
    assert_eq!(profiles["profiles"], json!([]));
    assert!(!app.dir.path().join("profiles.json").exists());
}

#[test]
fn every_declared_command_is_registered_once_and_nothing_else_is() {
    use akashone_types::commands::ALL;
    use std::collections::BTreeSet;
    let declared: BTreeSet<&str> = ALL.iter().copied().collect();
    let registered: BTreeSet<&str> = akashone_console::REGISTERED.iter().copied().collect();
    assert_eq!(
        registered.len(),
        akashone_console::REGISTERED.len(),
        "a command is registered twice"
    );
    let missing: Vec<_> = declared.difference(&registered).collect();
    let undeclared: Vec<_> = registered.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "declared but not registered: {missing:?}"
    );
    assert!(
        undeclared.is_empty(),
        "registered but not declared: {undeclared:?}"
    );
}

#[test]
fn every_declared_command_answers_through_the_ipc_layer() {
    let app = app();
    // Arguments that are not an object are refused by the command's own decoder, before any
    // handler runs: each name reaches its entry of the table instead of Tauri's "not found".
    for name in akashone_types::commands::ALL {
        let err = invoke(&app, name, Value::Null).unwrap_err();
        let text = err.as_str().unwrap_or_default();
        assert!(
            text.starts_with(&format!("invalid args for command `{name}`")),
            "{name}: {err}"
        );
    }
    let err = invoke(&app, "drop_all_tables", Value::Null).unwrap_err();
    assert!(!err.to_string().contains("invalid args"), "{err}");
}

#[test]
fn arguments_decode_as_the_ui_encodes_them() {
    use akashone_types::NewCloudStackProfile;
    use akashone_types::commands::{AddCloudStackProfile, CentralVerify2fa, Command, SetTheme};
    let app = app();
    // The UI sends the declared struct itself: camelCase keys, a field per argument.
    let args = serde_json::to_value(SetTheme {
        theme: "light".into(),
    })
    .unwrap();
    assert_eq!(
        invoke(&app, SetTheme::NAME, args).unwrap(),
        json!({"theme": "light"})
    );
    // A two-word argument arrives under its camelCase key and is decoded (the console then
    // refuses the step as there is no sign-in under way, which is the console's own answer).
    let args = serde_json::to_value(CentralVerify2fa {
        code: None,
        recovery_code: Some("abcd-efgh".into()),
    })
    .unwrap();
    assert_eq!(args, json!({"code": null, "recoveryCode": "abcd-efgh"}));
    let err = invoke(&app, CentralVerify2fa::NAME, args).unwrap_err();
    assert!(err.get("code").is_some(), "{err}");
    // A form travels whole under its one field, its own keys as the form type spells them; the
    // console's own check answers (not the decoder), so it arrived intact.
    let args = serde_json::to_value(AddCloudStackProfile {
        form: NewCloudStackProfile {
            name: "Lab".into(),
            url: "https://cloud.example.com/client/api".into(),
            api_key: "k".into(),
            secret_key: String::new(),
        },
    })
    .unwrap();
    assert_eq!(args["form"]["api_key"], "k", "{args}");
    let err = invoke(&app, AddCloudStackProfile::NAME, args).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("secret key"),
        "{err}"
    );
}
