use super::*;
use std::collections::HashMap;
use std::path::Path;

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

#[test]
fn defaults_and_generated_secret_persist() {
    let dir = tempfile::tempdir().unwrap();
    let a = Config::from_vars(vars(&[]), dir.path().into()).unwrap();
    assert_eq!(
        a.database,
        DatabaseUrl::Sqlite(dir.path().join("server.db"))
    );
    assert_eq!(a.bind.to_string(), DEFAULT_BIND);
    assert!(a.cloudstack.is_none());
    let b = Config::from_vars(vars(&[]), dir.path().into()).unwrap();
    assert_eq!(a.session_secret.expose(), b.session_secret.expose());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn debug_hides_every_secret() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::from_vars(
        vars(&[
            ("SESSION_SECRET", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"),
            ("DATABASE_URL", "postgres://akash:pa55w0rd@db.local/akash"),
            ("CLOUDSTACK_API_URL", "http://cs.local/client/api"),
            ("CLOUDSTACK_API_KEY", "the-api-key"),
            ("CLOUDSTACK_SECRET_KEY", "the-secret-key"),
            ("AKASHONE_ADMIN_PASSWORD", "admin-pa55"),
            ("AKASHONE_BIND", "0.0.0.0:9000"),
        ]),
        dir.path().into(),
    )
    .unwrap();
    let shown = format!("{c:?}");
    for secret in [
        "s3cr3t",
        "pa55w0rd",
        "the-api-key",
        "the-secret-key",
        "admin-pa55",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("postgres://akash:***@db.local/akash"));
    assert_eq!(c.bind.to_string(), "0.0.0.0:9000");
}

#[test]
fn database_urls() {
    assert_eq!(
        DatabaseUrl::parse("sqlite:///var/lib/a.db").unwrap(),
        DatabaseUrl::Sqlite("/var/lib/a.db".into())
    );
    assert!(DatabaseUrl::parse("/nonexistent/typo.db").is_err());
    assert!(DatabaseUrl::parse("mysql://x").is_err());
    assert!(matches!(
        DatabaseUrl::parse("postgresql://u@h/d").unwrap(),
        DatabaseUrl::Postgres(_)
    ));
    assert_eq!(redact_url_password("postgres://u@h/d"), "postgres://u@h/d");
}

#[test]
fn short_secret_and_partial_cloudstack_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Config::from_vars(vars(&[("SESSION_SECRET", "short")]), dir.path().into()).is_err());
    assert!(
        Config::from_vars(
            vars(&[("CLOUDSTACK_API_URL", "http://x/client/api")]),
            dir.path().into()
        )
        .is_err()
    );
}

fn file(text: &str, mode: u32) -> Result<ConfigFile, ConfigError> {
    ConfigFile::parse(Path::new("/etc/akashone/server.toml"), text, Some(mode))
}

#[test]
fn flags_beat_the_environment_which_beats_the_file_which_beats_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "f".repeat(40);
    let f = file(
        &format!(
            "bind = \"10.0.0.1:1000\"\nadmin_user = \"from-file\"\n\
                 admin_password = \"file-pass\"\nsession_secret = \"{secret}\"\n\
                 data_dir = \"{}\"\ndb_connections = 9\n",
            dir.path().join("from-file").display()
        ),
        0o600,
    )
    .unwrap();
    let env = vars(&[
        ("AKASHONE_BIND", "10.0.0.2:2000"),
        ("AKASHONE_ADMIN_USER", "from-env"),
        // Empty in the environment: unset, so the file's value holds.
        ("AKASHONE_ADMIN_PASSWORD", ""),
    ]);
    let none = Flags::default();
    let c = Config::from_sources(&none, &env, Some(&f), dir.path().join("platform")).unwrap();
    assert_eq!(c.bind.to_string(), "10.0.0.2:2000", "env over file");
    assert_eq!(c.admin_user, "from-env");
    assert_eq!(c.admin_password.unwrap().expose(), "file-pass");
    assert_eq!(c.session_secret.expose(), secret);
    assert_eq!(
        c.data_dir,
        dir.path().join("from-file"),
        "file over default"
    );
    assert_eq!(c.db_connections, 9);
    let flags = Flags {
        bind: Some("10.0.0.3:3000".parse().unwrap()),
        data_dir: Some(dir.path().join("from-flag")),
        simulator: true,
    };
    let c = Config::from_sources(&flags, &env, Some(&f), dir.path().join("platform")).unwrap();
    assert_eq!(c.bind.to_string(), "10.0.0.3:3000", "flag over env");
    assert_eq!(c.data_dir, dir.path().join("from-flag"), "flag over file");
    assert!(c.simulator);
    let c = Config::from_sources(&none, vars(&[]), None, dir.path().join("platform")).unwrap();
    assert_eq!(c.bind.to_string(), DEFAULT_BIND);
    assert_eq!(c.data_dir, dir.path().join("platform"));
    assert_eq!(c.admin_user, "admin");
    assert_eq!(c.db_connections, 4);
}

#[test]
fn postgres_gets_a_larger_pool_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let pg = ("DATABASE_URL", "postgres://u:p@db.local/akash");
    let c = Config::from_vars(vars(&[pg]), dir.path().into()).unwrap();
    assert_eq!(c.db_connections, 16);
    let c = Config::from_vars(
        vars(&[pg, ("AKASHONE_DB_CONNECTIONS", "40")]),
        dir.path().into(),
    )
    .unwrap();
    assert_eq!(c.db_connections, 40);
    for bad in ["0", "lots", "100000"] {
        let e = Config::from_vars(vars(&[("AKASHONE_DB_CONNECTIONS", bad)]), dir.path().into())
            .unwrap_err();
        assert!(e.to_string().contains("AKASHONE_DB_CONNECTIONS"), "{e}");
    }
}

#[test]
fn unknown_keys_wrong_types_and_bad_toml_are_named() {
    let e = file("bind = \"127.0.0.1:1\"\nsesion_secret = \"x\"\n", 0o600).unwrap_err();
    assert!(e.to_string().contains("unknown key `sesion_secret`"), "{e}");
    assert!(e.to_string().contains("/etc/akashone/server.toml"), "{e}");
    let e = file("[cloudstack]\napi_url = \"x\"\n", 0o600).unwrap_err();
    assert!(e.to_string().contains("unknown key `cloudstack`"), "{e}");
    let e = file("bind = 8787\n", 0o600).unwrap_err();
    assert!(e.to_string().contains("`bind` must be a string"), "{e}");
    let e = file("db_connections = \"many\"\n", 0o600).unwrap_err();
    assert!(
        e.to_string().contains("`db_connections` must be a number"),
        "{e}"
    );
    let e = file("bind = \"unterminated\n", 0o600).unwrap_err();
    assert!(e.to_string().contains("not valid TOML"), "{e}");
}

#[test]
fn a_file_with_secrets_must_be_private() {
    for (text, key) in [
        (
            "session_secret = \"s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t\"",
            "session_secret",
        ),
        ("admin_password = \"pa55\"", "admin_password"),
        ("cloudstack_secret_key = \"k\"", "cloudstack_secret_key"),
        ("cloudstack_api_key = \"k\"", "cloudstack_api_key"),
        (
            "database_url = \"postgres://u:pa55@db/akash\"",
            "database_url",
        ),
        (
            "database_url = \"postgres://u@db/akash?password=pa55\"",
            "database_url",
        ),
    ] {
        for mode in [0o640, 0o604, 0o660, 0o644, 0o602] {
            let e = file(text, mode).unwrap_err();
            assert!(
                matches!(e, ConfigError::InsecureFile { .. }),
                "{text} {mode:o}: {e}"
            );
            let shown = e.to_string();
            assert!(
                shown.contains(key) && shown.contains("chmod 600"),
                "{shown}"
            );
            assert!(
                !shown.contains("pa55") && !shown.contains("s3cr3t"),
                "{shown}"
            );
        }
        file(text, 0o600).unwrap();
        file(text, 0o400).unwrap();
    }
    // Without secrets any mode will do.
    file(
        "bind = \"127.0.0.1:9000\"\ndatabase_url = \"postgres://u@db/akash\"",
        0o644,
    )
    .unwrap();
    let f = file("admin_password = \"pa55\"", 0o600).unwrap();
    assert!(!format!("{f:?}").contains("pa55"));
}

#[test]
fn postgres_urls_are_checked_and_their_passwords_masked() {
    assert_eq!(
        redact_url_password("postgres://u:pw@h/d?sslmode=disable&password=pw2&user=x"),
        "postgres://u:***@h/d?sslmode=disable&password=***&user=x"
    );
    assert_eq!(
        redact_url_password("postgres://u@/d?host=/run/postgresql"),
        "postgres://u@/d?host=/run/postgresql"
    );
    for bad in [
        "postgres://u:pw@h:port/d",
        "postgres://u:pw@h/d?sslmode=require",
        "postgres://u:pw@h/d?nonsense=1",
        "postgres://u:pw@/d",
    ] {
        let e = DatabaseUrl::parse(bad).unwrap_err().to_string();
        assert!(e.starts_with("DATABASE_URL"), "{e}");
        assert!(!e.contains("pw"), "{bad}: {e}");
    }
    let ok = DatabaseUrl::parse("postgres://u:pw@/d?host=/run/postgresql").unwrap();
    assert_eq!(
        format!("{ok:?}"),
        "postgres://u:***@/d?host=/run/postgresql"
    );
}
