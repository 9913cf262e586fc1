//! The client against a real central server on loopback (with the CloudStack simulator behind
//! it): every area of the API, and the errors a desktop user meets.

use std::time::Duration;

use akashone_central::{Central, CentralError, Token, VmOperation};
use akashone_cloudstack_sim::{SimConfig, SimHandle, Simulator};
use akashone_server::config::{CloudStackConfig, Secret};
use akashone_server::crypto::PasswordCost;
use akashone_server::{Config, Server};
use akashone_types::central::{
    ChangePasswordRequest, CreateTenant, DeployVm, DisableRequest, LoginResponse, RegisterRequest,
    UpdateTenant, Verify2faRequest,
};
use totp_rs::Totp;

const ADMIN_PASSWORD: &str = "platform-admin-pass";

struct Running {
    server: Server,
    _sim: SimHandle,
    _dir: tempfile::TempDir,
}

async fn start() -> Running {
    let sim = Simulator::start(SimConfig {
        vms: 3,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(dir.path(), Secret::new("c".repeat(40)));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.cloudstack = Some(CloudStackConfig {
        url: sim.url(),
        api_key: Secret::new(sim.api_key()),
        secret_key: Secret::new(sim.secret_key()),
    });
    config.admin_user = "admin".into();
    config.admin_password = Some(Secret::new(ADMIN_PASSWORD));
    config.password_cost = PasswordCost::fast_for_tests();
    let server = Server::start(config).await.expect("server");
    Running {
        server,
        _sim: sim,
        _dir: dir,
    }
}

fn client(url: &str) -> Central {
    Central::new(url, Duration::from_secs(30)).unwrap()
}

async fn sign_in(c: &Central, user: &str, password: &str) -> Central {
    match c.login(user, password).await.expect("login") {
        LoginResponse::Authenticated(s) => c.with_token(Token::new(s.token)),
        other => panic!("unexpected {other:?}"),
    }
}

fn totp_of(otpauth: &str) -> Totp {
    Totp::from_url(otpauth).expect("a valid otpauth URI")
}

#[tokio::test]
async fn signs_in_with_2fa_and_manages_the_tree_users_and_vms() {
    let app = start().await;
    let anon = client(&app.server.url());
    anon.probe().await.expect("an AkashOne server");
    let admin = sign_in(&anon, "admin", ADMIN_PASSWORD).await;
    let me = admin.me().await.unwrap();
    assert_eq!(me.username, "admin");
    assert_eq!(me.role_id, "super-admin");

    // A reseller with a customer, and the customer's admin.
    let reseller = admin
        .create_tenant(&CreateTenant {
            parent_id: None,
            name: "Reseller One".into(),
        })
        .await
        .unwrap();
    let customer = admin
        .create_tenant(&CreateTenant {
            parent_id: Some(reseller.id.clone()),
            name: "Customer A".into(),
        })
        .await
        .unwrap();
    assert_eq!(customer.depth, 2);
    assert!(customer.cloudstack_domain_id.is_some());
    let renamed = admin
        .update_tenant(
            &customer.id,
            &UpdateTenant {
                name: Some("Customer Alpha".into()),
                parent_id: None,
                suspended: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Customer Alpha");
    let tree = admin.tenants(None).await.unwrap();
    assert_eq!(tree.len(), 3);
    let user = admin
        .create_user(&RegisterRequest {
            tenant_id: Some(customer.id.clone()),
            username: "alpha-admin".into(),
            password: "alpha-admin-password".into(),
            role_id: "customer-admin".into(),
        })
        .await
        .unwrap();
    assert_eq!(user.tenant_name, "Customer Alpha");
    let users = admin.users(Some(&reseller.id)).await.unwrap();
    assert_eq!(users.len(), 1);
    let changed = admin.set_user_role(&user.id, "operator").await.unwrap();
    assert_eq!(changed.role_name, "operator");
    assert!(
        admin
            .roles(None)
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == "viewer")
    );
    assert!(!admin.audit(50, None).await.unwrap().is_empty());

    // The customer deploys; the platform admin sees it acting as the customer, and only it.
    let alpha = sign_in(&anon, "alpha-admin", "alpha-admin-password").await;
    let zones = alpha.zones(None).await.unwrap();
    let templates = alpha.templates(None, &zones[0].id).await.unwrap();
    let offerings = alpha.offerings(None).await.unwrap();
    let vm = alpha
        .deploy(&DeployVm {
            tenant_id: None,
            name: Some("alpha-web".into()),
            zone_id: zones[0].id.clone(),
            template_id: templates[0].id.clone(),
            service_offering_id: offerings[0].id.clone(),
        })
        .await
        .unwrap();
    assert_eq!(vm.state, "Running");
    let as_customer = admin.vms(Some(&customer.id), true).await.unwrap();
    assert_eq!(
        as_customer
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["alpha-web"]
    );
    let stopped = alpha.operate(&vm.id, VmOperation::Stop).await.unwrap();
    assert_eq!(stopped.state, "Stopped");
    alpha.destroy(&vm.id).await.unwrap();
    assert!(alpha.vms(None, true).await.unwrap().is_empty());

    // 2FA: set up with an independent generator, then the two-step sign-in.
    let setup = admin.twofa_setup().await.unwrap();
    assert!(setup.qr_png.starts_with("data:image/png;base64,"));
    let totp = totp_of(&setup.otpauth_uri);
    let codes = admin
        .twofa_enable(&totp.generate_current().to_string())
        .await
        .unwrap();
    assert_eq!(codes.recovery_codes.len(), 10);
    let LoginResponse::TwoFactorRequired { challenge, .. } =
        anon.login("admin", ADMIN_PASSWORD).await.unwrap()
    else {
        panic!("2FA is on");
    };
    let wrong = anon
        .verify_2fa(&Verify2faRequest {
            challenge: challenge.clone(),
            code: Some("000000".into()),
            recovery_code: None,
        })
        .await
        .unwrap_err();
    assert!(wrong.is_unauthorized(), "{wrong:?}");
    let session = anon
        .verify_2fa(&Verify2faRequest {
            challenge,
            code: None,
            recovery_code: Some(codes.recovery_codes[0].clone()),
        })
        .await
        .unwrap();
    let second = anon.with_token(Token::new(session.token));
    assert!(second.me().await.unwrap().two_factor_enabled);
    second
        .twofa_disable(&DisableRequest {
            password: ADMIN_PASSWORD.into(),
            code: codes.recovery_codes[1].clone(),
        })
        .await
        .unwrap();

    // A password change revokes every session and hands out a new one.
    let fresh = second
        .change_password(&ChangePasswordRequest {
            current_password: ADMIN_PASSWORD.into(),
            new_password: "a-brand-new-password".into(),
        })
        .await
        .unwrap();
    assert!(admin.me().await.unwrap_err().is_unauthorized());
    let third = anon.with_token(Token::new(fresh.token));
    third.logout().await.unwrap();
    assert!(third.me().await.unwrap_err().is_unauthorized());
    app.server.shutdown().await;
}

#[tokio::test]
async fn errors_say_what_went_wrong() {
    let app = start().await;
    let anon = client(&app.server.url());
    let wrong = anon.login("admin", "not-the-password").await.unwrap_err();
    assert!(matches!(wrong, CentralError::Unauthorized(_)), "{wrong:?}");
    let forged = anon.with_token(Token::new("aks_forged"));
    assert!(forged.me().await.unwrap_err().is_unauthorized());
    let admin = sign_in(&anon, "admin", ADMIN_PASSWORD).await;
    let bad = admin
        .create_tenant(&CreateTenant {
            parent_id: None,
            name: "  ".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(bad, CentralError::Invalid(ref m) if m.contains("name")),
        "{bad:?}"
    );
    let missing = admin.vms(Some("no-such-tenant"), false).await.unwrap_err();
    assert!(matches!(missing, CentralError::NotFound(_)), "{missing:?}");
    let url = app.server.url();
    app.server.shutdown().await;
    let gone = client(&url).me().await.unwrap_err();
    assert!(gone.is_unreachable(), "{gone:?}");
    assert!(gone.to_string().contains(&url), "{gone}");
    // Something that is not an AkashOne server.
    let not_ours = client("http://127.0.0.1:9").probe().await.unwrap_err();
    assert!(not_ours.is_unreachable());
}
