//! Central server profiles against a real server on loopback: sign-in with the 2FA step, the
//! token kept in the vault, acting as a customer tenant, VMs through the server, sign-out and
//! an ended session.

use super::{Setup, all, setup, until, wait_job, walk};
use akashone_app::AppError;
use akashone_types::central::CreateTenant;
use akashone_types::{
    DeployRequest, JobPhase, NewCentralProfile, ProfileKind, Reachability, SignInStep, VmAction,
};

use super::central_fixture::{PASSWORD, start as central};

async fn add_profile(s: &Setup, url: &str) -> String {
    let profiles = s
        .console
        .add_central_profile(&NewCentralProfile {
            name: "Platform".into(),
            url: url.into(),
            username: "admin".into(),
        })
        .await
        .unwrap();
    let p = profiles.profiles.last().unwrap();
    assert!(matches!(&p.kind, ProfileKind::Central { username, .. } if username == "admin"));
    p.id.clone()
}

#[tokio::test]
async fn signs_in_with_2fa_acts_as_a_customer_and_runs_its_vms() {
    let c = central(4).await;
    let url = c.server.url();
    let s = setup();
    let id = add_profile(&s, &url).await;

    // Password only (2FA off): signed in, the platform's VMs are cached.
    let step = s.console.central_sign_in(&id, PASSWORD).await.unwrap();
    assert!(matches!(step, SignInStep::SignedIn { ref user } if user.username == "admin"));
    let st = s.console.status();
    assert_eq!(st.reachability, Reachability::Online);
    assert_eq!(st.user.as_ref().unwrap().role_id, "super-admin");
    assert!(st.acting_as.as_ref().unwrap().own);
    assert_eq!(s.console.vm_page(&all("")).unwrap().total, 4);

    // Turn 2FA on with an independent TOTP generator, then sign in again in two steps.
    let setup2fa = s.console.twofa_setup().await.unwrap();
    let totp = totp_rs::Totp::from_url(&setup2fa.otpauth_uri).unwrap();
    assert!(matches!(
        s.console.twofa_enable("12345").await,
        Err(AppError::Invalid(_))
    ));
    let codes = s
        .console
        .twofa_enable(&totp.generate_current().to_string())
        .await
        .unwrap();
    assert_eq!(codes.recovery_codes.len(), 10);
    assert!(s.console.status().user.unwrap().two_factor_enabled);
    let out = s.console.central_sign_out().await.unwrap();
    assert_eq!(out.reachability, Reachability::SignedOut);
    assert_eq!(
        s.console.vm_page(&all("")).unwrap().total,
        4,
        "the cache stays readable when signed out"
    );
    assert!(matches!(
        s.console.tenants_list().await,
        Err(AppError::SignedOut)
    ));
    assert!(matches!(
        s.console.central_sign_in(&id, "wrong-password").await,
        Err(AppError::Central(_))
    ));
    let step = s.console.central_sign_in(&id, PASSWORD).await.unwrap();
    assert_eq!(step, SignInStep::TwoFactorRequired);
    assert!(matches!(
        s.console.central_verify_2fa(Some("12ab56"), None).await,
        Err(AppError::Invalid(_))
    ));
    let wrong = s.console.central_verify_2fa(Some("000000"), None).await;
    assert!(wrong.is_err());
    let step = s
        .console
        .central_verify_2fa(None, Some(&codes.recovery_codes[0]))
        .await
        .unwrap();
    assert!(matches!(step, SignInStep::SignedIn { .. }));

    // A customer tenant: acting as it shows its VMs only.
    let customer = s
        .console
        .tenant_create(&CreateTenant {
            parent_id: None,
            name: "Customer A".into(),
        })
        .await
        .unwrap();
    let st = s.console.act_as(Some(&customer.id)).await.unwrap();
    assert_eq!(st.acting_as.as_ref().unwrap().name, "Customer A");
    assert_eq!(s.console.vm_page(&all("")).unwrap().total, 0);
    let zones = s.console.deploy_zones().await.unwrap();
    let templates = s.console.deploy_templates(&zones[0].id).await.unwrap();
    let offerings = s.console.deploy_offerings().await.unwrap();
    let task = s
        .console
        .deploy_vm(&DeployRequest {
            zone_id: zones[0].id.clone(),
            template_id: templates[0].id.clone(),
            offering_id: offerings[0].id.clone(),
            name: "customer-web".into(),
            keypair: None,
            network_id: None,
        })
        .await
        .unwrap();
    assert_eq!(wait_job(&s, task).await.phase, JobPhase::Succeeded);
    let page = s.console.vm_page(&all("")).unwrap();
    assert_eq!(page.total, 1);
    let vm = page.rows[0].clone();
    assert_eq!(vm.name, "customer-web");
    assert_eq!(vm.state, "Running");
    let task = s.console.vm_action(&vm.id, VmAction::Stop).await.unwrap();
    assert_eq!(wait_job(&s, task).await.phase, JobPhase::Succeeded);
    assert_eq!(s.console.vm_get(&vm.id).unwrap().state, "Stopped");
    assert!(matches!(
        s.console.vm_action(&vm.id, VmAction::DestroyExpunge).await,
        Err(AppError::Invalid(_))
    ));
    // Back to the platform: every VM, the customer's included.
    s.console.act_as(None).await.unwrap();
    assert_eq!(s.console.vm_page(&all("")).unwrap().total, 5);
    assert!(matches!(
        s.console.act_as(Some("no-such-tenant")).await,
        Err(AppError::NotFound(_))
    ));

    // The token is in the vault, never in clear on disk; a restart resumes the session.
    let token_free = walk(s.dir.path())
        .into_iter()
        .chain(walk(s.keys.path()))
        .all(|f| {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).to_string();
            !text.contains("aks_")
        });
    assert!(token_free, "no session token in clear");
    drop(s.console);
    let events = std::sync::Arc::new(super::Recorder::default());
    let again =
        akashone_app::Console::open(s.dir.path(), events, super::options(s.keys.path())).unwrap();
    let st = again.resume().await.unwrap();
    assert_eq!(st.profile.unwrap().id, id);
    until("the resumed session to sync", || {
        again.status().reachability == Reachability::Online
    })
    .await;
    assert_eq!(again.tenants_list().await.unwrap().len(), 2);
    c.server.shutdown().await;
}

#[tokio::test]
async fn bad_profiles_and_ended_sessions_are_handled() {
    let c = central(4).await;
    let url = c.server.url();
    let s = setup();
    for (name, url_, user) in [
        ("", url.as_str(), "admin"),
        ("P", "not a url", "admin"),
        ("P", url.as_str(), " "),
        ("P", "ftp://127.0.0.1:1", "admin"),
    ] {
        let r = s
            .console
            .add_central_profile(&NewCentralProfile {
                name: name.into(),
                url: url_.into(),
                username: user.into(),
            })
            .await;
        assert!(
            matches!(r, Err(AppError::Invalid(_))),
            "{name:?} {url_:?} {r:?}"
        );
    }
    let unreachable = s
        .console
        .add_central_profile(&NewCentralProfile {
            name: "Nobody".into(),
            url: "http://127.0.0.1:9".into(),
            username: "admin".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(unreachable.code(), akashone_types::ErrorCode::Unreachable);
    assert!(
        s.console.list_profiles().profiles.is_empty(),
        "nothing saved"
    );

    // A session revoked elsewhere (a password change) signs the profile out by itself.
    let id = add_profile(&s, &url).await;
    s.console.central_sign_in(&id, PASSWORD).await.unwrap();
    let (other, _) = super::central_fixture::admin(&url).await;
    other
        .change_password(&akashone_types::central::ChangePasswordRequest {
            current_password: PASSWORD.into(),
            new_password: "another-long-password".into(),
        })
        .await
        .unwrap();
    until("the heartbeat to notice", || {
        s.console.status().reachability == Reachability::SignedOut
    })
    .await;
    assert!(s.console.status().user.is_none());
    // Administration needs a central profile.
    s.console.add_demo_profile().await.unwrap();
    let demo = s.console.list_profiles().profiles[1].id.clone();
    s.console.activate_profile(&demo).await.unwrap();
    assert!(matches!(
        s.console.tenants_list().await,
        Err(AppError::WrongProfile(_))
    ));
    c.server.shutdown().await;
}

#[tokio::test]
async fn invoices_sync_into_the_cache_and_print_with_the_server_stopped() {
    let c = central(4).await;
    let url = c.server.url();
    // The platform issues an invoice to a customer that ran a VM last month.
    let (api, token) = super::central_fixture::admin(&url).await;
    let customer =
        super::central_fixture::customer_with_vm(&api, "Pune Analytics", "pune-web").await;
    let number = super::central_fixture::issue_invoice(&url, &token, &c.sim, &customer).await;

    // Signing in syncs it into the cache.
    let s = setup();
    let id = add_profile(&s, &url).await;
    s.console.central_sign_in(&id, PASSWORD).await.unwrap();
    let list = s.console.invoice_list().unwrap();
    assert!(
        list.last_synced.is_some() && list.last_error.is_none(),
        "{list:?}"
    );
    let summary = list
        .documents
        .iter()
        .find(|d| d.number == number)
        .expect("the invoice is cached");
    assert_eq!(summary.customer_name, "Pune Analytics LLP");
    let detail = s.console.invoice_get(&number).unwrap();
    assert!(detail.printable);
    assert_eq!(
        detail.document.supply.regime,
        akashone_types::central::TaxRegimeOut::Igst
    );

    // The server stops: the list stays, and the PDF renders from the cache.
    c.server.shutdown().await;
    let st = s.console.sync_now().await.unwrap();
    assert_eq!(st.reachability, Reachability::Offline);
    assert_eq!(
        s.console.invoice_list().unwrap().documents.len(),
        list.documents.len()
    );
    let saved = s
        .console
        .invoice_save_pdf(&number, akashone_types::InvoiceCopy::Original)
        .unwrap();
    let pdf = std::fs::read(&saved.path).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(saved.bytes, pdf.len() as u64);
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", &saved.path, "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by set-up");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("ORIGINAL FOR RECIPIENT"), "{text}");
    assert!(
        text.contains(billing_total(&summary.total).as_str()),
        "total {} in {text}",
        summary.total
    );
    assert!(text.contains(super::central_fixture::SELLER_GSTIN));
    let dup = s
        .console
        .invoice_save_pdf(&number, akashone_types::InvoiceCopy::Duplicate)
        .unwrap();
    assert_ne!(dup.path, saved.path);

    // Unknown numbers are refused; nothing is written.
    assert!(matches!(
        s.console
            .invoice_save_pdf("NO/SUCH/1", akashone_types::InvoiceCopy::Original),
        Err(AppError::NotFound(_))
    ));
}

/// `613017.82` as the PDF prints it: `6,13,017.82` (Indian grouping).
fn billing_total(total: &str) -> String {
    akashone_gst::Paise::parse_rupees(total)
        .unwrap()
        .to_indian_string()
}

#[tokio::test]
async fn the_seller_profile_of_the_tenant_acted_as_is_read_and_set() {
    use akashone_types::central::{BillingAddress, SellerProfileIn};
    use base64::Engine as _;

    let c = central(1).await;
    let url = c.server.url();
    let (api, _) = super::central_fixture::admin(&url).await;
    let reseller = api
        .create_tenant(&CreateTenant {
            parent_id: None,
            name: "Deccan Cloud".into(),
        })
        .await
        .unwrap();
    let s = setup();
    let id = add_profile(&s, &url).await;
    s.console.central_sign_in(&id, PASSWORD).await.unwrap();
    s.console.act_as(Some(&reseller.id)).await.unwrap();

    // A new reseller has no profile yet.
    assert!(s.console.seller_profile().await.unwrap().is_none());

    let logo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/icons/32x32.png"
    ))
    .unwrap();
    let form = SellerProfileIn {
        legal_name: " Deccan Cloud Services LLP ".into(),
        trade_name: None,
        display_name: Some("Deccan Cloud".into()),
        gstin: super::central_fixture::SELLER_GSTIN.to_ascii_lowercase(),
        address: BillingAddress {
            line1: "7 Residency Road".into(),
            line2: Some(" ".into()),
            city: "Bengaluru".into(),
            pin: Some("560025".into()),
            postal_code: None,
        },
        state_code: None,
        phone: None,
        email: Some("billing@deccan.example".into()),
        bank: None,
        upi_id: None,
        payment_terms: None,
        payment_due_days: Some(30),
        brand_colour: Some("#0F766E".into()),
        logo_png: Some(base64::engine::general_purpose::STANDARD.encode(&logo)),
        remove_logo: false,
        invoice_prefix: "DC".into(),
        credit_note_prefix: "DCC".into(),
        debit_note_prefix: "DCD".into(),
        e_invoicing: false,
        lut_number: None,
    };

    // Bad input is refused with the reason, and nothing is stored.
    let mut bad = form.clone();
    bad.gstin = "29AAFCN1234C1ZX".into();
    let e = s.console.seller_profile_save(&bad).await.unwrap_err();
    assert!(e.to_string().to_lowercase().contains("gstin"), "{e}");
    let mut bad = form.clone();
    bad.brand_colour = Some("teal".into());
    assert!(matches!(
        s.console.seller_profile_save(&bad).await,
        Err(AppError::Invalid(_))
    ));
    assert!(s.console.seller_profile().await.unwrap().is_none());

    // Saved for the reseller acted as, trimmed, with its logo.
    let saved = s.console.seller_profile_save(&form).await.unwrap();
    assert_eq!(saved.tenant_id, reseller.id);
    assert_eq!(saved.legal_name, "Deccan Cloud Services LLP");
    assert_eq!(saved.gstin, super::central_fixture::SELLER_GSTIN);
    assert_eq!(saved.address.line2, None);
    assert_eq!(saved.state_code, "29");
    assert_eq!(saved.brand_colour.as_deref(), Some("#0F766E"));
    let stored_logo = base64::engine::general_purpose::STANDARD
        .decode(saved.logo_png.as_deref().unwrap())
        .unwrap();
    assert_eq!(stored_logo, logo);
    assert!(saved.invoice_number_example.starts_with("DC/"));

    // Saving again without a logo keeps it; removing it removes it.
    let mut again = form.clone();
    again.logo_png = None;
    again.display_name = Some("Deccan".into());
    let kept = s.console.seller_profile_save(&again).await.unwrap();
    assert!(kept.logo_png.is_some());
    assert_eq!(kept.display_name, "Deccan");
    again.remove_logo = true;
    let removed = s.console.seller_profile_save(&again).await.unwrap();
    assert!(removed.logo_png.is_none());

    // The platform's own profile is another one: still none.
    s.console.act_as(None).await.unwrap();
    assert!(s.console.seller_profile().await.unwrap().is_none());
    let read = {
        s.console.act_as(Some(&reseller.id)).await.unwrap();
        s.console.seller_profile().await.unwrap().unwrap()
    };
    assert_eq!(read.display_name, "Deccan");

    // The administrator sits at the platform: no brand until the platform has a profile, then
    // its brand, logo included, shows at once.
    assert!(s.console.status().brand.is_none());
    s.console.act_as(None).await.unwrap();
    let mut platform = form.clone();
    platform.display_name = Some("AkashOne Cloud".into());
    platform.invoice_prefix = "AKP".into();
    platform.credit_note_prefix = "AKPC".into();
    platform.debit_note_prefix = "AKPD".into();
    s.console.seller_profile_save(&platform).await.unwrap();
    let brand = s.console.status().brand.expect("the platform's brand");
    assert_eq!(brand.display_name, "AkashOne Cloud");
    assert_eq!(brand.brand_colour.as_deref(), Some("#0F766E"));
    assert_eq!(brand.logo_sha256.as_deref().map(str::len), Some(64));
    assert_eq!(s.console.brand_logo().unwrap(), platform.logo_png);

    // Kept for offline use: the console opened again with the server stopped shows it.
    c.server.shutdown().await;
    let again = akashone_app::Console::open(
        s.dir.path(),
        std::sync::Arc::new(super::Recorder::default()),
        super::options(s.keys.path()),
    )
    .unwrap();
    let st = again.resume().await.unwrap();
    assert_eq!(
        st.brand.map(|b| b.display_name).as_deref(),
        Some("AkashOne Cloud")
    );
    assert_eq!(again.brand_logo().unwrap(), platform.logo_png);
}
