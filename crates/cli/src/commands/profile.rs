//! `akashone profile list` and `akashone profile import [NAME...]`.
//!
//! `import` moves `profiles.toml` profiles into the app's saved profiles: each is checked with
//! `listZones` and saved as the app saves a direct CloudStack profile (its secret key into the
//! vault, the rest into the app's profile file); the imported tables are then removed from
//! `profiles.toml` (the other tables and the comments stay as written; the file is deleted when
//! no profile is left), so no secret stays in plain text. A profile that cannot be imported
//! (a saved profile of that name exists, or the cloud refuses it) stays in the file.

use crate::output::{self, Format};
use crate::target::{self, App};
use crate::{CliError, Context, config};
use akashone_types::{NewCloudStackProfile, ProfileKind};
use serde_json::{Value, json};

/// Arguments of `profile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `profile` actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// The app's saved profiles, then those of profiles.toml.
    List,
    /// Move profiles.toml profiles (all, or those named) into the app's vault.
    Import {
        /// Only these profiles.
        names: Vec<String>,
    },
}

/// Columns of the profile table.
pub const COLUMNS: &[&str] = &["name", "id", "kind", "url", "user", "secret"];

fn secret_name(s: akashone_types::SecretStorage) -> &'static str {
    match s {
        akashone_types::SecretStorage::Keyring => "keyring",
        akashone_types::SecretStorage::EncryptedFile => "encrypted file",
        akashone_types::SecretStorage::None => "none",
    }
}

/// Runs `profile`.
pub async fn run(ctx: &Context, args: Args) -> Result<(), CliError> {
    let file = config::profile_file(ctx.config.as_deref(), &config::ProcessEnv);
    match args.action {
        Action::List => {
            let mut rows: Vec<Value> = Vec::new();
            let app_dir = target::data_dir()?;
            if app_dir.join(akashone_app::profiles::FILE_NAME).is_file() {
                let app = App::open(ctx)?;
                for p in app.console.list_profiles().profiles {
                    let (url, user) = match &p.kind {
                        ProfileKind::CloudStack { url, api_key } => (url.clone(), api_key.clone()),
                        ProfileKind::Demo => (String::new(), String::new()),
                        ProfileKind::Central { url, username } => (url.clone(), username.clone()),
                    };
                    rows.push(json!({
                        "name": p.name,
                        "id": p.id,
                        "kind": target::kind_name(&p.kind),
                        "url": url,
                        "user": user,
                        "secret": secret_name(p.secret_storage),
                    }));
                }
            }
            for (name, p) in config::load_all(file.as_deref())? {
                rows.push(json!({
                    "name": name,
                    "id": "",
                    "kind": "profiles.toml",
                    "url": p.url,
                    "user": p.api_key,
                    "secret": "plain text (run `akashone profile import`)",
                }));
            }
            ctx.print(&output::render_rows(
                &rows,
                COLUMNS,
                ctx.format_or(Format::Table),
            ));
            Ok(())
        }
        Action::Import { names } => import(ctx, file.as_deref(), &names).await,
    }
}

async fn import(
    ctx: &Context,
    file: Option<&std::path::Path>,
    names: &[String],
) -> Result<(), CliError> {
    let Some(path) = file else {
        return Err(CliError::Usage(
            "no profiles.toml on this system; use --config PATH".into(),
        ));
    };
    let all = config::load_all(Some(path))?;
    if all.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no profile to import",
            path.display()
        )));
    }
    if let Some(missing) = names.iter().find(|n| !all.contains_key(*n)) {
        return Err(CliError::Usage(format!(
            "no profile [{missing}] in {} (profiles there: {})",
            path.display(),
            all.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let app = App::open(ctx)?;
    let mut imported = Vec::new();
    let mut rows = Vec::new();
    let mut failed = 0;
    for (name, p) in &all {
        if !names.is_empty() && !names.contains(name) {
            continue;
        }
        let outcome = if app.find(name)?.is_some() {
            failed += 1;
            format!("not imported: a saved profile is already named {name:?}")
        } else {
            if p.verify_tls == Some(false) || p.post == Some(true) || p.timeout_secs.is_some() {
                eprintln!(
                    "warning: [{name}]: verify_tls, post and timeout_secs are not kept by saved profiles"
                );
            }
            let form = NewCloudStackProfile {
                name: name.clone(),
                url: p.url.clone(),
                api_key: p.api_key.clone(),
                secret_key: p.secret_key.clone(),
            };
            match app.console.add_cloudstack_profile(&form).await {
                Ok(_) => {
                    imported.push(name.clone());
                    "imported: secret key in the vault".to_owned()
                }
                Err(e) => {
                    failed += 1;
                    format!("not imported: {e}")
                }
            }
        };
        rows.push(json!({"name": name, "result": outcome}));
    }
    let left = if imported.is_empty() {
        all.keys().cloned().collect()
    } else {
        config::remove_profiles(path, &imported)?
    };
    ctx.print(&output::render_rows(
        &rows,
        &["name", "result"],
        ctx.format_or(Format::Table),
    ));
    if !imported.is_empty() {
        if left.is_empty() {
            eprintln!("{} held no other profile and was deleted", path.display());
        } else {
            eprintln!(
                "removed {} from {}; it still holds {}",
                imported.join(", "),
                path.display(),
                left.join(", ")
            );
        }
    }
    if failed > 0 {
        return Err(CliError::Usage(format!(
            "{failed} profile(s) were not imported and stay in {}",
            path.display()
        )));
    }
    Ok(())
}
