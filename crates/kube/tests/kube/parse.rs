//! Reading kubeconfigs: the current context resolved, and each way one cannot be used.

use akashone_kube::{KubeError, Kubeconfig};
use base64::Engine as _;
use rcgen::{CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair};
use time::macros::datetime;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A CA (until 2035) and a client certificate it signed (until 2027-06-30), PEM.
struct Pki {
    ca: String,
    cert: String,
    key: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name = DistinguishedName::new();
    ca.distinguished_name.push(DnType::CommonName, "kubernetes");
    ca.not_after = datetime!(2035-01-01 00:00 UTC);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let ca_pem = ca_cert.pem();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut client = CertificateParams::default();
    client.distinguished_name = DistinguishedName::new();
    client
        .distinguished_name
        .push(DnType::CommonName, "kubernetes-admin");
    client.not_after = datetime!(2027-06-30 12:00 UTC);
    let cert = client.signed_by(&key, &issuer).unwrap();
    Pki {
        ca: ca_pem,
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

/// A kubeadm-style kubeconfig with two contexts; the current one uses the client certificate.
fn kubeconfig(p: &Pki) -> String {
    format!(
        r#"apiVersion: v1
kind: Config
preferences: {{}}
clusters:
- name: other
  cluster:
    server: https://10.1.1.1:6443
    insecure-skip-tls-verify: true
- name: prod
  cluster:
    certificate-authority-data: {ca}
    server: https://203.0.113.10:6443
contexts:
- name: other-ctx
  context:
    cluster: other
    user: robot
- name: kubernetes-admin@prod
  context:
    cluster: prod
    user: kubernetes-admin
    namespace: default
current-context: kubernetes-admin@prod
users:
- name: robot
  user:
    token: t0ken-secret
- name: kubernetes-admin
  user:
    client-certificate-data: {cert}
    client-key-data: {key}
"#,
        ca = b64(&p.ca),
        cert = b64(&p.cert),
        key = b64(&p.key),
    )
}

fn err(yaml: &str) -> KubeError {
    Kubeconfig::parse(yaml).expect_err("the kubeconfig is refused")
}

#[test]
fn resolves_the_current_context_with_a_client_certificate() {
    let p = pki();
    let kc = Kubeconfig::parse(&kubeconfig(&p)).unwrap();
    assert_eq!(kc.context(), "kubernetes-admin@prod");
    assert_eq!(kc.cluster_name(), "prod");
    assert_eq!(kc.user_name(), "kubernetes-admin");
    assert_eq!(kc.server(), "https://203.0.113.10:6443/");
    assert_eq!(kc.ca_pem(), p.ca.as_bytes());
    assert!(kc.has_client_certificate() && !kc.has_token());
    assert_eq!(
        kc.client_cert_not_after(),
        Some(datetime!(2027-06-30 12:00 UTC))
    );
    assert_eq!(kc.ca_not_after(), Some(datetime!(2035-01-01 00:00 UTC)));
}

#[test]
fn a_token_user_and_json_kubeconfigs_are_read() {
    let p = pki();
    let yaml = kubeconfig(&p)
        .replace(
            "current-context: kubernetes-admin@prod",
            "current-context: token-ctx",
        )
        .replace(
            "contexts:\n",
            "contexts:\n- name: token-ctx\n  context: {cluster: prod, user: robot}\n",
        );
    let kc = Kubeconfig::parse(&yaml).unwrap();
    assert_eq!(kc.user_name(), "robot");
    assert!(kc.has_token() && !kc.has_client_certificate());
    assert_eq!(kc.client_cert_not_after(), None);

    let json = format!(
        r#"{{"apiVersion":"v1","kind":"Config","current-context":"c",
        "clusters":[{{"name":"k","cluster":{{"server":"https://k.example:443/prefix","certificate-authority-data":"{}"}}}}],
        "contexts":[{{"name":"c","context":{{"cluster":"k","user":"u"}}}}],
        "users":[{{"name":"u","user":{{"token":"abc"}}}}]}}"#,
        b64(&p.ca)
    );
    let kc = Kubeconfig::parse(&json).unwrap();
    assert_eq!(kc.server(), "https://k.example/prefix");
}

#[test]
fn debug_output_shows_no_secret() {
    let p = pki();
    let kc = Kubeconfig::parse(&kubeconfig(&p)).unwrap();
    let shown = format!("{kc:?} {kc:#?}");
    let key_body = p.key.lines().nth(1).unwrap();
    assert!(!shown.contains(key_body), "{shown}");
    assert!(!shown.contains(&b64(&p.key)[..40]), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(shown.contains("kubernetes-admin@prod"), "{shown}");

    let token = kubeconfig(&p).replace(
        "current-context: kubernetes-admin@prod",
        "current-context: other-ctx",
    );
    // The token user's cluster skips TLS checks: refused, and the token is not in the error.
    let e = err(&token);
    assert!(!format!("{e} {e:?}").contains("t0ken-secret"));
}

#[test]
fn malformed_yaml_is_not_yaml() {
    let e = err("apiVersion: v1\nclusters: [\n  - {name: a\n");
    assert!(matches!(e, KubeError::NotYaml(_)), "{e:?}");
    assert!(e.to_string().contains("not valid YAML"), "{e}");
    let e = err("key: \"unterminated\n");
    assert!(matches!(e, KubeError::NotYaml(_)), "{e:?}");
}

#[test]
fn yaml_that_is_no_kubeconfig() {
    for text in [
        "",
        "- just\n- a list\n",
        "plain words",
        "apiVersion: v1\nkind: Pod\n",
        "apiVersion: v2\nkind: Config\n",
        "kind: Config\nclusters: 3\n",
    ] {
        let e = err(text);
        assert!(matches!(e, KubeError::NotKubeconfig(_)), "{text:?}: {e:?}");
    }
}

#[test]
fn no_current_context() {
    let p = pki();
    let yaml = kubeconfig(&p).replace("current-context: kubernetes-admin@prod\n", "");
    assert_eq!(err(&yaml), KubeError::NoCurrentContext);
    let yaml = kubeconfig(&p).replace(
        "current-context: kubernetes-admin@prod",
        "current-context: \"\"",
    );
    assert_eq!(err(&yaml), KubeError::NoCurrentContext);
    let yaml = kubeconfig(&p).replace(
        "current-context: kubernetes-admin@prod",
        "current-context: gone",
    );
    assert_eq!(err(&yaml), KubeError::MissingContext("gone".into()));
}

#[test]
fn a_context_naming_a_missing_cluster_or_user() {
    let p = pki();
    let yaml = kubeconfig(&p).replace("    cluster: prod\n", "    cluster: staging\n");
    assert_eq!(
        err(&yaml),
        KubeError::MissingCluster {
            context: "kubernetes-admin@prod".into(),
            cluster: "staging".into()
        }
    );
    let yaml = kubeconfig(&p).replace("    user: kubernetes-admin\n", "    user: nobody\n");
    let e = err(&yaml);
    assert_eq!(
        e,
        KubeError::MissingUser {
            context: "kubernetes-admin@prod".into(),
            user: "nobody".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "context \"kubernetes-admin@prod\" names user \"nobody\", which the kubeconfig does not have"
    );
}

#[test]
fn insecure_skip_tls_verify_is_refused() {
    let p = pki();
    for flag in ["true", "\"true\"", "yes"] {
        let yaml = kubeconfig(&p).replace(
            "    server: https://203.0.113.10:6443\n",
            &format!(
                "    server: https://203.0.113.10:6443\n    insecure-skip-tls-verify: {flag}\n"
            ),
        );
        let e = err(&yaml);
        assert_eq!(
            e,
            KubeError::InsecureSkipTlsVerify {
                cluster: "prod".into()
            }
        );
        assert!(e.to_string().contains("insecure-skip-tls-verify"));
    }
    let off = kubeconfig(&p).replace(
        "    server: https://203.0.113.10:6443\n",
        "    server: https://203.0.113.10:6443\n    insecure-skip-tls-verify: false\n",
    );
    assert!(Kubeconfig::parse(&off).is_ok());
}

#[test]
fn bad_base64_and_bad_pem() {
    let p = pki();
    let good = kubeconfig(&p);
    let yaml = good.replace(&b64(&p.ca), "not*base64!");
    assert!(matches!(
        err(&yaml),
        KubeError::BadBase64 {
            field: "certificate-authority-data",
            ..
        }
    ));
    let yaml = good.replace(&b64(&p.key), "s3cret-looking$$$");
    let e = err(&yaml);
    assert_eq!(
        e,
        KubeError::BadBase64 {
            field: "client-key-data",
            reason: String::new()
        }
    );
    assert!(!e.to_string().contains("secret-looking"));

    let yaml = good.replace(&b64(&p.ca), &b64("hello, not a certificate"));
    assert!(matches!(
        err(&yaml),
        KubeError::BadPem {
            field: "certificate-authority-data",
            expected: "certificate",
            ..
        }
    ));
    let yaml = good.replace(&b64(&p.key), &b64(&p.cert));
    assert!(matches!(
        err(&yaml),
        KubeError::BadPem {
            field: "client-key-data",
            expected: "private key",
            ..
        }
    ));
    let broken = "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n";
    let yaml = good.replace(&b64(&p.cert), &b64(broken));
    assert!(matches!(
        err(&yaml),
        KubeError::BadCertificate {
            field: "client-certificate-data",
            ..
        }
    ));
    let cut = &p.ca[..p.ca.len() - 30];
    let yaml = good.replace(&b64(&p.ca), &b64(cut));
    assert!(
        matches!(err(&yaml), KubeError::BadPem { .. }),
        "{:?}",
        err(&yaml)
    );
}

#[test]
fn what_the_console_cannot_use() {
    let p = pki();
    let good = kubeconfig(&p);
    let e = err(&good.replace("https://203.0.113.10:6443", "http://203.0.113.10:8080"));
    assert!(matches!(e, KubeError::BadServer { .. }), "{e:?}");
    assert!(e.to_string().contains("unencrypted"), "{e}");
    let e = err(&good.replace("    server: https://203.0.113.10:6443\n", ""));
    assert!(matches!(e, KubeError::MissingField(_)), "{e:?}");

    let e = err(&good.replace(
        &format!("certificate-authority-data: {}", b64(&p.ca)),
        "certificate-authority: /etc/kubernetes/pki/ca.crt",
    ));
    assert_eq!(
        e,
        KubeError::FileReference {
            field: "certificate-authority",
            path: "/etc/kubernetes/pki/ca.crt".into(),
            wanted: "certificate-authority-data"
        }
    );
    let e = err(&good.replace(
        &format!("    certificate-authority-data: {}\n", b64(&p.ca)),
        "",
    ));
    assert!(matches!(e, KubeError::MissingField(_)), "{e:?}");

    let user = format!(
        "    client-certificate-data: {}\n    client-key-data: {}\n",
        b64(&p.cert),
        b64(&p.key)
    );
    let e = err(&good.replace(
        &user,
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws\n",
    ));
    assert!(
        matches!(
            e,
            KubeError::UnsupportedAuth {
                how: "an exec plugin",
                ..
            }
        ),
        "{e:?}"
    );
    let e = err(&good.replace(
        &user,
        "    client-certificate: admin.crt\n    client-key: admin.key\n",
    ));
    assert!(
        matches!(
            e,
            KubeError::FileReference {
                field: "client-certificate",
                ..
            }
        ),
        "{e:?}"
    );
    let e = err(&good.replace(&user, "    {}\n"));
    assert_eq!(
        e,
        KubeError::NoCredentials {
            user: "kubernetes-admin".into()
        }
    );
    let e = err(&good.replace(&format!("    client-key-data: {}\n", b64(&p.key)), ""));
    assert!(matches!(e, KubeError::MissingField(_)), "{e:?}");
}
