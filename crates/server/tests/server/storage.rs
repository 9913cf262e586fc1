//! The `Database` trait on SQLite and on PostgreSQL, the same story on each: migrations, the
//! tenant tree, one-time steps and codes (also under concurrent claims), failure counting,
//! sessions, roles, the audit log and the VM cache. Then what only PostgreSQL has: a schema newer
//! than the build, instances migrating at once, and connection failures.

use std::sync::Arc;

use akashone_server::config::DatabaseUrl;
use akashone_server::db::{
    CachedVm, Database, DbError, NewAudit, POSTGRES_SCHEMA_VERSION, Role, SQLITE_SCHEMA_VERSION,
    Tenant, User,
};
use akashone_server::rbac::Permission;

use crate::support::{Backend, TestStore, on_both};

fn tenant(id: &str, parent: Option<&Tenant>) -> Tenant {
    Tenant {
        id: id.into(),
        parent_id: parent.map(|p| p.id.clone()),
        name: id.to_uppercase(),
        path: Tenant::child_path(parent.map_or("/", |p| &p.path), id),
        cs_domain_id: None,
        cs_account: None,
        suspended: false,
        created_at: 1,
    }
}

fn user(id: &str, tenant: &str) -> User {
    User {
        id: id.into(),
        tenant_id: tenant.into(),
        username: format!("user-{id}"),
        password_hash: "$argon2id$x".into(),
        role_id: "viewer".into(),
        totp_secret: None,
        totp_pending: None,
        totp_enabled: false,
        totp_last_step: None,
        created_at: 1,
    }
}

async fn seed_roles(db: &dyn Database) {
    for (id, perms) in akashone_server::rbac::builtin_roles() {
        db.upsert_builtin_role(&akashone_server::db::Role {
            id: id.into(),
            tenant_id: None,
            name: id.into(),
            permissions: perms,
            builtin: true,
        })
        .await
        .unwrap();
    }
}

async fn migrations_apply_once_and_survive_reopening(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    drop(db);
    let db = store.open().await;
    assert_eq!(db.root_tenant().await.unwrap().unwrap().id, "root");
    if backend == Backend::Sqlite {
        let mode = store.texts("PRAGMA journal_mode").await;
        assert_eq!(mode[0].as_deref(), Some("wal"));
    }
    assert_eq!(
        store.count("SELECT COUNT(*) FROM schema_migrations").await,
        i64::from(match backend {
            Backend::Sqlite => SQLITE_SCHEMA_VERSION,
            Backend::Postgres => POSTGRES_SCHEMA_VERSION,
        }),
        "every migration once"
    );
}

async fn subtrees_moves_and_suspension_follow_paths(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    let root = tenant("root", None);
    let a = tenant("a", Some(&root));
    let b = tenant("b", Some(&root));
    let a1 = tenant("a1", Some(&a));
    let a11 = tenant("a11", Some(&a1));
    // `a1` is a prefix of `a11` as text, never as a path.
    for t in [&root, &a, &b, &a1, &a11] {
        db.insert_tenant(t).await.unwrap();
    }
    let ids = |ts: Vec<Tenant>| ts.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(ids(db.subtree(&a.path).await.unwrap()), ["a", "a1", "a11"]);
    assert_eq!(ids(db.subtree(&a1.path).await.unwrap()), ["a1", "a11"]);

    db.move_tenant("a1", "b", &a1.path, &Tenant::child_path(&b.path, "a1"))
        .await
        .unwrap();
    assert_eq!(ids(db.subtree(&a.path).await.unwrap()), ["a"]);
    assert_eq!(ids(db.subtree(&b.path).await.unwrap()), ["b", "a1", "a11"]);
    let moved = db.tenant("a11").await.unwrap().unwrap();
    assert_eq!(moved.path, "/root/b/a1/a11/");
    assert_eq!(moved.depth(), 3);

    assert!(!db.suspended_in_path(&moved.path).await.unwrap());
    db.set_tenant_suspended("b", true).await.unwrap();
    assert!(db.suspended_in_path(&moved.path).await.unwrap());
    assert!(!db.suspended_in_path(&a.path).await.unwrap());
}

async fn totp_steps_and_recovery_codes_are_used_once(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    seed_roles(db.as_ref()).await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    db.insert_user(&user("u", "root")).await.unwrap();
    let dup = db.insert_user(&user("u", "root")).await;
    assert!(matches!(dup, Err(DbError::Duplicate(_))), "{dup:?}");
    let mut same_name = user("u2", "root");
    same_name.username = "user-u".into();
    let dup = db.insert_user(&same_name).await;
    assert!(matches!(dup, Err(DbError::Duplicate(_))), "{dup:?}");
    let dup = db.insert_tenant(&tenant("root", None)).await;
    assert!(matches!(dup, Err(DbError::Duplicate(_))), "{dup:?}");

    db.enable_totp("u", b"sealed", 100, &["h1".into(), "h2".into()])
        .await
        .unwrap();
    assert!(
        !db.claim_totp_step("u", 100).await.unwrap(),
        "the enabling step"
    );
    assert!(!db.claim_totp_step("u", 99).await.unwrap(), "an older step");
    assert!(db.claim_totp_step("u", 101).await.unwrap());
    assert!(!db.claim_totp_step("u", 101).await.unwrap());
    assert!(db.use_recovery_code("u", "h1", 5).await.unwrap());
    assert!(!db.use_recovery_code("u", "h1", 6).await.unwrap());
    assert!(!db.use_recovery_code("u", "nope", 6).await.unwrap());
    assert_eq!(db.recovery_codes_left("u").await.unwrap(), 1);
    db.disable_totp("u").await.unwrap();
    assert_eq!(db.recovery_codes_left("u").await.unwrap(), 0);
    assert!(!db.user("u").await.unwrap().unwrap().totp_enabled);
}

async fn failures_lock_and_locks_run_out(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    seed_roles(db.as_ref()).await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    let account = "account:abc".to_owned();
    for n in 1..3 {
        let t = db.record_failure(&account, 1000, 300, 3, 60).await.unwrap();
        assert_eq!(
            (t.failures, t.locked_until, t.newly_locked),
            (n, None, false)
        );
    }
    let t = db.record_failure(&account, 1000, 300, 3, 60).await.unwrap();
    assert_eq!((t.locked_until, t.newly_locked), (Some(1060), true));
    // Failing on while locked keeps the lock; it is not a new one.
    let t = db.record_failure(&account, 1010, 300, 3, 60).await.unwrap();
    assert_eq!((t.locked_until, t.newly_locked), (Some(1060), false));

    let ip = "ip:10.0.0.1".to_owned();
    for _ in 0..2 {
        db.record_failure(&ip, 1000, 300, 2, 60).await.unwrap();
    }
    let both = [account.clone(), ip.clone(), "ip:10.0.0.2".to_owned()];
    assert_eq!(
        db.locks(&both, 1001).await.unwrap(),
        vec![(account.clone(), 1060), (ip.clone(), 1060)]
    );
    assert_eq!(db.locks(&both, 1060).await.unwrap(), vec![]);
    // After the lock and outside the window the count restarts.
    let t = db.record_failure(&ip, 2000, 300, 2, 60).await.unwrap();
    assert_eq!((t.failures, t.locked_until), (1, None));
    // A success forgets an account's failures.
    db.clear_failures(&account).await.unwrap();
    let t = db.record_failure(&account, 2000, 300, 3, 60).await.unwrap();
    assert_eq!(t.failures, 1);
}

async fn sessions_expire_and_audit_rows_follow_the_tree(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    seed_roles(db.as_ref()).await;
    let root = tenant("root", None);
    let a = tenant("a", Some(&root));
    db.insert_tenant(&root).await.unwrap();
    db.insert_tenant(&a).await.unwrap();
    db.insert_user(&user("u", "a")).await.unwrap();
    db.insert_session("h", "u", 10, 20).await.unwrap();
    assert!(db.session_user("h", 19).await.unwrap().is_some());
    let ctx = db.session_context("h", 19).await.unwrap().unwrap();
    assert_eq!((ctx.user.id.as_str(), ctx.tenant.id.as_str()), ("u", "a"));
    assert_eq!(ctx.role.id, "viewer");
    assert!(!ctx.role.permissions.is_empty());
    assert!(!ctx.suspended);
    db.set_tenant_suspended("root", true).await.unwrap();
    assert!(
        db.session_context("h", 19)
            .await
            .unwrap()
            .unwrap()
            .suspended
    );
    db.set_tenant_suspended("root", false).await.unwrap();
    assert!(db.session_context("h", 20).await.unwrap().is_none());
    assert!(db.session_user("h", 20).await.unwrap().is_none());
    db.revoke_session("h").await.unwrap();
    assert!(db.session_user("h", 15).await.unwrap().is_none());

    for (t, action) in [("root", "x.root"), ("a", "x.a")] {
        db.insert_audit(&NewAudit {
            at: 1,
            actor_id: Some("u".into()),
            actor: "user-u".into(),
            tenant_id: Some(t.into()),
            action: action.into(),
            target: "t".into(),
            result: "ok".into(),
            ip: None,
        })
        .await
        .unwrap();
    }
    let under_a = db.audit_under(&a.path, 10, None).await.unwrap();
    assert_eq!(under_a.len(), 1);
    assert_eq!(under_a[0].entry.action, "x.a");
    let all = db.audit_under(&root.path, 10, None).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].entry.action, "x.a", "newest first");
    let older = db
        .audit_under(&root.path, 10, Some(all[0].id))
        .await
        .unwrap();
    assert_eq!(older.len(), 1);
}

fn vm(id: &str, tenant: &str, name: &str) -> CachedVm {
    CachedVm {
        id: id.into(),
        tenant_id: tenant.into(),
        name: name.into(),
        display_name: name.to_uppercase(),
        state: "Running".into(),
        zone_id: "z".into(),
        zone_name: "Zone".into(),
        template_id: "t".into(),
        template_name: "Template".into(),
        service_offering_id: "o".into(),
        service_offering_name: "Small".into(),
        cpu_number: 2,
        memory_mb: 2048,
        ip_address: "10.1.1.1".into(),
        created: "2025-01-01T00:00:00+0000".into(),
        synced_at: 7,
    }
}

async fn roles_are_unique_per_tenant_and_listed_in_scope(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    seed_roles(db.as_ref()).await;
    let root = tenant("root", None);
    let a = tenant("a", Some(&root));
    let b = tenant("b", Some(&root));
    for t in [&root, &a, &b] {
        db.insert_tenant(t).await.unwrap();
    }
    let custom = |id: &str, tenant: &str, name: &str| Role {
        id: id.into(),
        tenant_id: Some(tenant.into()),
        name: name.into(),
        permissions: vec![Permission::VmsRead, Permission::TenantsRead],
        builtin: false,
    };
    db.insert_role(&custom("r1", "a", "Ops")).await.unwrap();
    db.insert_role(&custom("r2", "b", "Ops")).await.unwrap();
    let dup = db.insert_role(&custom("r3", "a", "Ops")).await;
    assert!(matches!(dup, Err(DbError::Duplicate(_))), "{dup:?}");
    let r1 = db.role("r1").await.unwrap().unwrap();
    let mut perms = r1.permissions.clone();
    perms.sort();
    let mut want = vec![Permission::VmsRead, Permission::TenantsRead];
    want.sort();
    assert_eq!(perms, want);
    let in_a = db.roles_of(&["a".into()]).await.unwrap();
    assert!(in_a.iter().any(|r| r.id == "r1"));
    assert!(!in_a.iter().any(|r| r.id == "r2"));
    let builtin = in_a.iter().filter(|r| r.builtin).count();
    assert_eq!(builtin, akashone_server::rbac::builtin_roles().len());
    assert!(in_a[..builtin].iter().all(|r| r.builtin), "built-in first");
    assert!(db.role("nope").await.unwrap().is_none());
}

async fn the_vm_cache_is_replaced_per_tenant_and_read_by_subtree(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    let root = tenant("root", None);
    let a = tenant("a", Some(&root));
    let b = tenant("b", Some(&root));
    for t in [&root, &a, &b] {
        db.insert_tenant(t).await.unwrap();
    }
    assert_eq!(db.vms_synced_at("a").await.unwrap(), None);
    // Names sort by bytes ("Zeta" before "alpha"); an id listed twice keeps its last row.
    let mut twice = vm("v3", "a", "beta");
    db.replace_tenant_vms(
        "a",
        &[vm("v1", "a", "alpha"), twice.clone(), vm("v2", "a", "Zeta")],
        100,
    )
    .await
    .unwrap();
    twice.state = "Stopped".into();
    db.replace_tenant_vms(
        "a",
        &[
            vm("v1", "a", "alpha"),
            vm("v3", "a", "beta"),
            twice.clone(),
            vm("v2", "a", "Zeta"),
        ],
        101,
    )
    .await
    .unwrap();
    db.replace_tenant_vms("b", &[vm("w1", "b", "web")], 102)
        .await
        .unwrap();
    assert_eq!(db.vms_synced_at("a").await.unwrap(), Some(101));
    let names = |vms: Vec<CachedVm>| vms.into_iter().map(|v| v.name).collect::<Vec<_>>();
    assert_eq!(
        names(db.vms_under(&a.path).await.unwrap()),
        ["Zeta", "alpha", "beta"]
    );
    assert_eq!(db.vm("v3").await.unwrap().unwrap(), twice);
    assert_eq!(db.vms_under(&root.path).await.unwrap().len(), 4);
    let mut moved = vm("w1", "a", "web");
    moved.cpu_number = 8;
    db.upsert_vm(&moved).await.unwrap();
    assert_eq!(db.vm("w1").await.unwrap().unwrap(), moved);
    assert!(db.vms_under(&b.path).await.unwrap().is_empty());
    db.delete_vm("v1").await.unwrap();
    assert!(db.vm("v1").await.unwrap().is_none());
    db.replace_tenant_vms("a", &[], 103).await.unwrap();
    assert!(db.vms_under(&root.path).await.unwrap().is_empty());
    assert_eq!(db.vms_synced_at("a").await.unwrap(), Some(103));
}

/// 20 claims of one TOTP step at once, then 20 uses of one recovery code at once: one winner
/// each. Failures counted at once are all counted.
async fn concurrent_claims_have_one_winner(backend: Backend) {
    let store = TestStore::new(backend).await;
    let db = store.open().await;
    seed_roles(db.as_ref()).await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    db.insert_user(&user("u", "root")).await.unwrap();
    db.enable_totp("u", b"sealed", 100, &["h1".into()])
        .await
        .unwrap();
    for step in [101, 102] {
        let claims = (0..20).map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.claim_totp_step("u", step).await.unwrap() })
        });
        let won = futures::future::join_all(claims)
            .await
            .into_iter()
            .filter(|r| *r.as_ref().unwrap())
            .count();
        assert_eq!(won, 1, "step {step}");
    }
    let uses = (0..20).map(|i| {
        let db = db.clone();
        tokio::spawn(async move { db.use_recovery_code("u", "h1", i).await.unwrap() })
    });
    let used = futures::future::join_all(uses)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(used, 1);
    let failures = (0..20).map(|_| {
        let db = db.clone();
        tokio::spawn(async move {
            db.record_failure("account:u", 1000, 300, 100, 60)
                .await
                .unwrap();
            db.record_failure("ip:10.9.9.9", 1000, 300, 100, 60)
                .await
                .unwrap();
        })
    });
    for f in futures::future::join_all(failures).await {
        f.unwrap();
    }
    let t = db
        .record_failure("account:u", 1000, 300, 100, 60)
        .await
        .unwrap();
    assert_eq!(t.failures, 21);
    let t = db
        .record_failure("ip:10.9.9.9", 1000, 300, 100, 60)
        .await
        .unwrap();
    assert_eq!(t.failures, 21);
}

on_both!(
    migrations_apply_once_and_survive_reopening,
    subtrees_moves_and_suspension_follow_paths,
    totp_steps_and_recovery_codes_are_used_once,
    failures_lock_and_locks_run_out,
    sessions_expire_and_audit_rows_follow_the_tree,
    roles_are_unique_per_tenant_and_listed_in_scope,
    the_vm_cache_is_replaced_per_tenant_and_read_by_subtree,
);

/// A database migrated by a newer build is refused, not used half-understood.
async fn a_schema_newer_than_the_build_is_refused(backend: Backend) {
    let store = TestStore::new(backend).await;
    drop(store.open().await);
    let known = match backend {
        Backend::Sqlite => SQLITE_SCHEMA_VERSION,
        Backend::Postgres => POSTGRES_SCHEMA_VERSION,
    };
    let newer = known + 1;
    store
        .execute(&format!(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ({newer}, 0)"
        ))
        .await;
    let err = akashone_server::db::open(&store.url(), 2)
        .await
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(err, DbError::SchemaTooNew { found, known: k } if found == i64::from(newer) && k == known),
        "{err}"
    );
    assert!(err.to_string().contains("newer than this build"), "{err}");
}

on_both!(a_schema_newer_than_the_build_is_refused);

on_both!(multi_thread: concurrent_claims_have_one_winner);

// What only PostgreSQL has.

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_starting_together_migrate_once() {
    let store = Arc::new(TestStore::new(Backend::Postgres).await);
    let opens = (0..6).map(|_| {
        let url = store.url();
        tokio::spawn(async move { akashone_server::db::open(&url, 2).await.map(|_| ()) })
    });
    for r in futures::future::join_all(opens).await {
        r.unwrap().unwrap();
    }
    assert_eq!(
        store.count("SELECT COUNT(*) FROM schema_migrations").await,
        i64::from(POSTGRES_SCHEMA_VERSION)
    );
}

#[tokio::test]
async fn postgres_connection_failures_are_clear_and_keep_the_password() {
    let store = TestStore::new(Backend::Postgres).await;
    let TestStore::Postgres(db) = &store else {
        unreachable!()
    };
    let cluster = db.cluster();
    let password = cluster.password().to_owned();
    let wrong_password = cluster
        .url(db.name())
        .replace(&password, "not-the-password");
    // Nothing listens on this socket directory.
    let nowhere = format!(
        "postgres://postgres:{password}@/{}?host=/nonexistent-akashone",
        db.name()
    );
    let no_database = cluster.url("no_such_database");
    for (url, expect) in [
        (wrong_password, "password authentication failed"),
        (nowhere, "cannot connect"),
        (no_database, "does not exist"),
    ] {
        let err = akashone_server::db::open(&DatabaseUrl::parse(&url).unwrap(), 1)
            .await
            .map(|_| ())
            .unwrap_err();
        let shown = err.to_string();
        assert!(matches!(err, DbError::Open { .. }), "{shown}");
        assert!(shown.contains(expect), "{shown}");
        assert!(shown.contains("postgres:***@"), "{shown}");
        assert!(!shown.contains(&password), "{shown}");
    }
}
