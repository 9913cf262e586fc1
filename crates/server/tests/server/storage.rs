//! The `Database` trait on SQLite: migrations, the tenant tree, one-time steps and codes, and
//! failure counting. Written against `dyn Database` so another backend can run the same story.

use std::sync::Arc;

use akashone_server::db::{Database, NewAudit, Sqlite, Tenant, User};

async fn sqlite(dir: &tempfile::TempDir) -> Arc<dyn Database> {
    Arc::new(Sqlite::open(&dir.path().join("s.db"), 3).await.unwrap())
}

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
        failed_logins: 0,
        locked_until: None,
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

#[tokio::test]
async fn migrations_apply_once_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(&dir).await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    drop(db);
    let db = sqlite(&dir).await;
    assert_eq!(db.root_tenant().await.unwrap().unwrap().id, "root");
    let conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let versions: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 1);
}

#[tokio::test]
async fn subtrees_moves_and_suspension_follow_paths() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(&dir).await;
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

#[tokio::test]
async fn totp_steps_and_recovery_codes_are_used_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(&dir).await;
    seed_roles(db.as_ref()).await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    db.insert_user(&user("u", "root")).await.unwrap();
    let dup = db.insert_user(&user("u", "root")).await;
    assert!(matches!(
        dup,
        Err(akashone_server::db::DbError::Duplicate(_))
    ));

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

#[tokio::test]
async fn failures_lock_and_locks_run_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(&dir).await;
    seed_roles(db.as_ref()).await;
    db.insert_tenant(&tenant("root", None)).await.unwrap();
    db.insert_user(&user("u", "root")).await.unwrap();
    for n in 1..3 {
        let t = db.record_user_failure("u", 1000, 3, 60).await.unwrap();
        assert_eq!((t.failures, t.locked_until), (n, None));
    }
    let t = db.record_user_failure("u", 1000, 3, 60).await.unwrap();
    assert_eq!(t.locked_until, Some(1060));
    // After the lock, counting starts again.
    let t = db.record_user_failure("u", 1061, 3, 60).await.unwrap();
    assert_eq!((t.failures, t.locked_until), (1, None));

    for _ in 0..2 {
        db.record_ip_failure("10.0.0.1", 1000, 300, 2, 60)
            .await
            .unwrap();
    }
    assert_eq!(
        db.ip_locked_until("10.0.0.1", 1001).await.unwrap(),
        Some(1060)
    );
    assert_eq!(db.ip_locked_until("10.0.0.1", 1060).await.unwrap(), None);
    assert_eq!(db.ip_locked_until("10.0.0.2", 1001).await.unwrap(), None);
    // Outside the window the count restarts.
    let t = db
        .record_ip_failure("10.0.0.1", 2000, 300, 2, 60)
        .await
        .unwrap();
    assert_eq!((t.failures, t.locked_until), (1, None));
}

#[tokio::test]
async fn sessions_expire_and_audit_rows_follow_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(&dir).await;
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
