//! Certificates of a cluster, as kubeadm lays them out: a cluster CA (`CN=kubernetes`), the API
//! server's certificate (SANs `kubernetes…`, `localhost`, 127.0.0.1 and the public address) and
//! the admin's client certificate (`CN=kubernetes-admin`, `O=system:masters`) that the kubeconfig
//! carries. Every cluster has its own CA, so one cluster's kubeconfig is refused by another.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

/// Why certificates or the TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PkiError {
    #[error("certificate generation failed: {0}")]
    Cert(#[from] rcgen::Error),
    #[error("TLS configuration failed: {0}")]
    Tls(#[from] rustls::Error),
    #[error("client certificate verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
}

/// kubeadm's lifetime of leaf certificates: one year.
const LEAF_DAYS: i64 = 365;
/// kubeadm's lifetime of the CA: ten years.
const CA_DAYS: i64 = 3650;

/// A cluster's certificates and the server's TLS configuration (client certificates required).
pub(crate) struct ClusterPki {
    pub ca_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
    pub client_not_after: OffsetDateTime,
    pub tls: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for ClusterPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterPki")
            .field("client_not_after", &self.client_not_after)
            .finish_non_exhaustive()
    }
}

fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

fn name(cn: &str, org: Option<&str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    if let Some(o) = org {
        dn.push(DnType::OrganizationName, o);
    }
    dn.push(DnType::CommonName, cn);
    dn
}

impl ClusterPki {
    /// New certificates for a cluster created at `created` whose public address is `public_ip`.
    /// The client certificate is valid from `created` for exactly 365 days (kubeadm's default),
    /// so its expiry is known to tests: `created + 365 days`, whole seconds.
    pub fn generate(created: OffsetDateTime, public_ip: &str) -> Result<Self, PkiError> {
        let created = whole_seconds(created);
        let not_before = created - time::Duration::minutes(5);

        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::default();
        ca.distinguished_name = name("kubernetes", None);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
        ];
        ca.not_before = not_before;
        ca.not_after = created + time::Duration::days(CA_DAYS);
        let ca_cert = ca.self_signed(&ca_key)?;
        let ca_der = ca_cert.der().clone();
        let ca_pem = ca_cert.pem();
        let issuer = Issuer::new(ca, ca_key);

        let mut sans: Vec<String> = [
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
            "localhost",
            "127.0.0.1",
            "10.96.0.1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if public_ip.parse::<std::net::IpAddr>().is_ok() {
            sans.push(public_ip.to_string());
        }
        let server_key = KeyPair::generate()?;
        let mut server = CertificateParams::new(sans)?;
        server.distinguished_name = name("kube-apiserver", None);
        server.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.not_before = not_before;
        server.not_after = created + time::Duration::days(LEAF_DAYS);
        let server_cert = server.signed_by(&server_key, &issuer)?;

        let client_key = KeyPair::generate()?;
        let mut client = CertificateParams::default();
        client.distinguished_name = name("kubernetes-admin", Some("system:masters"));
        client.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        client.not_before = created;
        let client_not_after = created + time::Duration::days(LEAF_DAYS);
        client.not_after = client_not_after;
        let client_cert = client.signed_by(&client_key, &issuer)?;

        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca_der.clone())?;
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone(), ca_der];
        let mut tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)?;
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(ClusterPki {
            ca_pem,
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
            client_not_after,
            tls: Arc::new(tls),
        })
    }
}
