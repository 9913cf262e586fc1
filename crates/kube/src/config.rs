//! Reading a kubeconfig: the current context's server, certificate authority and credentials.

use std::fmt;

use base64::Engine as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use time::OffsetDateTime;
use yaml_rust2::{Yaml, YamlLoader};
use zeroize::{Zeroize as _, Zeroizing};

use crate::error::KubeError;

/// The current context of a kubeconfig, resolved and checked: where the cluster's API is, the
/// certificate authority that signs its server certificate, and how to sign in (a client
/// certificate and key, or a bearer token).
///
/// The key and the token are kept in memory that is wiped when the value is dropped, and
/// `Debug` shows neither.
#[derive(Clone)]
pub struct Kubeconfig {
    context: String,
    cluster: String,
    user: String,
    server: url::Url,
    ca_pem: Vec<u8>,
    ca_not_after: Option<OffsetDateTime>,
    client: Option<ClientCert>,
    token: Option<Zeroizing<String>>,
}

#[derive(Clone)]
struct ClientCert {
    cert_pem: Vec<u8>,
    key_pem: Zeroizing<Vec<u8>>,
    not_after: OffsetDateTime,
}

impl fmt::Debug for Kubeconfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kubeconfig")
            .field("context", &self.context)
            .field("cluster", &self.cluster)
            .field("user", &self.user)
            .field("server", &self.server.as_str())
            .field("ca_not_after", &self.ca_not_after)
            .field(
                "client_cert_not_after",
                &self.client.as_ref().map(|c| c.not_after),
            )
            .field("client_key", &self.client.as_ref().map(|_| "<redacted>"))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Kubeconfig {
    /// Parses a kubeconfig (YAML or JSON: `apiVersion: v1`, `kind: Config`, `clusters`,
    /// `users`, `contexts`, `current-context`) and resolves its current context.
    ///
    /// The cluster must embed its certificate authority (`certificate-authority-data`) and use
    /// an `https://` server; `insecure-skip-tls-verify: true` is refused. The user must embed a
    /// client certificate and key (`client-certificate-data`, `client-key-data`) or have a
    /// `token`. Every certificate is checked to be PEM holding X.509, the key to be a PEM
    /// private key.
    pub fn parse(yaml: &str) -> Result<Kubeconfig, KubeError> {
        let docs = Scrubbed(
            YamlLoader::load_from_str(yaml).map_err(|e| KubeError::NotYaml(e.to_string()))?,
        );
        let root = docs
            .0
            .first()
            .ok_or_else(|| KubeError::NotKubeconfig("the text is empty".into()))?;
        resolve(root)
    }

    /// The current context's name.
    pub fn context(&self) -> &str {
        &self.context
    }

    /// The name of the cluster entry the current context uses.
    pub fn cluster_name(&self) -> &str {
        &self.cluster
    }

    /// The name of the user entry the current context uses.
    pub fn user_name(&self) -> &str {
        &self.user
    }

    /// The API server's address (`https://host:port`, perhaps with a path).
    pub fn server(&self) -> &str {
        self.server.as_str()
    }

    /// The certificate authority (PEM, one or more certificates), the only roots trusted for
    /// the server's certificate.
    pub fn ca_pem(&self) -> &[u8] {
        &self.ca_pem
    }

    /// Whether the user signs in with a client certificate.
    pub fn has_client_certificate(&self) -> bool {
        self.client.is_some()
    }

    /// Whether the user sends a bearer token.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// When the client certificate expires (its X.509 notAfter); `None` without one.
    pub fn client_cert_not_after(&self) -> Option<OffsetDateTime> {
        self.client.as_ref().map(|c| c.not_after)
    }

    /// When the certificate authority expires (the earliest notAfter of its certificates).
    pub fn ca_not_after(&self) -> Option<OffsetDateTime> {
        self.ca_not_after
    }

    pub(crate) fn host(&self) -> &str {
        self.server.host_str().unwrap_or_default()
    }

    /// `server` joined with an absolute API path.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.as_str().trim_end_matches('/'))
    }

    /// Certificate chain and key in one PEM buffer, as `reqwest::Identity::from_pem` wants.
    pub(crate) fn identity_pem(&self) -> Option<Zeroizing<Vec<u8>>> {
        self.client.as_ref().map(|c| {
            let mut buf =
                Zeroizing::new(Vec::with_capacity(c.cert_pem.len() + c.key_pem.len() + 1));
            buf.extend_from_slice(&c.cert_pem);
            buf.push(b'\n');
            buf.extend_from_slice(&c.key_pem);
            buf
        })
    }

    pub(crate) fn token(&self) -> Option<&str> {
        self.token.as_deref().map(String::as_str)
    }
}

/// The parsed documents, every string wiped when dropped (they held the key and the token).
struct Scrubbed(Vec<Yaml>);

impl Drop for Scrubbed {
    fn drop(&mut self) {
        for doc in &mut self.0 {
            scrub(doc);
        }
    }
}

fn scrub(y: &mut Yaml) {
    match y {
        Yaml::String(s) | Yaml::Real(s) => s.zeroize(),
        Yaml::Array(items) => items.iter_mut().for_each(scrub),
        Yaml::Hash(map) => {
            for (mut k, mut v) in std::mem::take(map) {
                scrub(&mut k);
                scrub(&mut v);
            }
        }
        _ => {}
    }
}

/// A present, non-null value.
fn get<'a>(map: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    match &map[key] {
        Yaml::BadValue | Yaml::Null => None,
        v => Some(v),
    }
}

/// A scalar as text (names may look like numbers).
fn text(map: &Yaml, key: &str, path: &str) -> Result<Option<String>, KubeError> {
    Ok(match get(map, key) {
        None => None,
        Some(Yaml::String(s)) | Some(Yaml::Real(s)) => Some(s.clone()),
        Some(Yaml::Integer(i)) => Some(i.to_string()),
        Some(Yaml::Boolean(b)) => Some(b.to_string()),
        Some(_) => {
            return Err(KubeError::NotKubeconfig(format!(
                "{path}{key} should be text"
            )));
        }
    })
}

/// A string value, borrowed (for secret fields: no copy).
fn borrowed<'a>(map: &'a Yaml, key: &str, path: &str) -> Result<Option<&'a str>, KubeError> {
    match get(map, key) {
        None => Ok(None),
        Some(Yaml::String(s)) => Ok(Some(s)),
        Some(_) => Err(KubeError::NotKubeconfig(format!(
            "{path}{key} should be text"
        ))),
    }
}

fn list<'a>(root: &'a Yaml, key: &str) -> Result<&'a [Yaml], KubeError> {
    match get(root, key) {
        None => Ok(&[]),
        Some(Yaml::Array(items)) => Ok(items),
        Some(_) => Err(KubeError::NotKubeconfig(format!("{key} should be a list"))),
    }
}

/// The inner mapping (`cluster`, `user`, `context`) of the entry called `name` in `list`.
fn named<'a>(items: &'a [Yaml], name: &str, inner: &str) -> Option<&'a Yaml> {
    items
        .iter()
        .find(|item| text(item, "name", "").ok().flatten().as_deref() == Some(name))
        .map(|item| &item[inner])
}

fn truthy(v: Option<&Yaml>) -> bool {
    match v {
        Some(Yaml::Boolean(b)) => *b,
        Some(Yaml::String(s)) => ["true", "yes", "on", "y"]
            .iter()
            .any(|t| s.trim().eq_ignore_ascii_case(t)),
        Some(Yaml::Integer(i)) => *i != 0,
        _ => false,
    }
}

fn resolve(root: &Yaml) -> Result<Kubeconfig, KubeError> {
    if !matches!(root, Yaml::Hash(_)) {
        return Err(KubeError::NotKubeconfig(
            "it is not a mapping of clusters, users and contexts".into(),
        ));
    }
    if let Some(kind) = text(root, "kind", "")?
        && kind != "Config"
    {
        return Err(KubeError::NotKubeconfig(format!(
            "its kind is {kind}, not Config"
        )));
    }
    if let Some(v) = text(root, "apiVersion", "")?
        && v != "v1"
    {
        return Err(KubeError::NotKubeconfig(format!(
            "its apiVersion is {v}, not v1"
        )));
    }
    let clusters = list(root, "clusters")?;
    let users = list(root, "users")?;
    let contexts = list(root, "contexts")?;

    let context = text(root, "current-context", "")?
        .filter(|c| !c.is_empty())
        .ok_or(KubeError::NoCurrentContext)?;
    let ctx = named(contexts, &context, "context")
        .ok_or_else(|| KubeError::MissingContext(context.clone()))?;
    let ctx_path = format!("context \"{context}\": ");
    let cluster = text(ctx, "cluster", &ctx_path)?
        .ok_or_else(|| KubeError::MissingField(format!("cluster in context \"{context}\"")))?;
    let user = text(ctx, "user", &ctx_path)?
        .ok_or_else(|| KubeError::MissingField(format!("user in context \"{context}\"")))?;
    let c = named(clusters, &cluster, "cluster").ok_or_else(|| KubeError::MissingCluster {
        context: context.clone(),
        cluster: cluster.clone(),
    })?;
    let u = named(users, &user, "user").ok_or_else(|| KubeError::MissingUser {
        context: context.clone(),
        user: user.clone(),
    })?;

    // The cluster: an https server, verified against the embedded CA only.
    let c_path = format!("cluster \"{cluster}\": ");
    if truthy(get(c, "insecure-skip-tls-verify")) {
        return Err(KubeError::InsecureSkipTlsVerify { cluster });
    }
    let server_text = text(c, "server", &c_path)?
        .ok_or_else(|| KubeError::MissingField(format!("server for cluster \"{cluster}\"")))?;
    let server = parse_server(&server_text)?;
    let ca_pem = match borrowed(c, "certificate-authority-data", &c_path)? {
        Some(b64) => decode_public("certificate-authority-data", b64)?,
        None => {
            if let Some(path) = text(c, "certificate-authority", &c_path)? {
                return Err(KubeError::FileReference {
                    field: "certificate-authority",
                    path,
                    wanted: "certificate-authority-data",
                });
            }
            return Err(KubeError::MissingField(format!(
                "certificate-authority-data for cluster \"{cluster}\""
            )));
        }
    };
    let ca_not_after = certificates("certificate-authority-data", &ca_pem)?
        .into_iter()
        .min();

    // The user: a client certificate and key, and/or a token.
    let u_path = format!("user \"{user}\": ");
    for (key, how) in [
        ("exec", "an exec plugin"),
        ("auth-provider", "an auth provider"),
        ("username", "a user name and password"),
    ] {
        if get(u, key).is_some() {
            return Err(KubeError::UnsupportedAuth { user, how });
        }
    }
    for (field, wanted) in [
        ("client-certificate", "client-certificate-data"),
        ("client-key", "client-key-data"),
        ("tokenFile", "token"),
    ] {
        if get(u, wanted).is_none()
            && let Some(path) = text(u, field, &u_path)?
        {
            return Err(KubeError::FileReference {
                field,
                path,
                wanted,
            });
        }
    }
    let cert = borrowed(u, "client-certificate-data", &u_path)?;
    let key = borrowed(u, "client-key-data", &u_path)?;
    let client = match (cert, key) {
        (Some(cert), Some(key)) => {
            let cert_pem = decode_public("client-certificate-data", cert)?;
            let not_after = *certificates("client-certificate-data", &cert_pem)?
                .first()
                .expect("at least one certificate");
            let key_pem = decode_secret("client-key-data", key)?;
            if let Err(e) = PrivateKeyDer::from_pem_slice(&key_pem) {
                return Err(KubeError::BadPem {
                    field: "client-key-data",
                    expected: "private key",
                    reason: pem_reason(&e),
                });
            }
            Some(ClientCert {
                cert_pem,
                key_pem,
                not_after,
            })
        }
        (Some(_), None) => {
            return Err(KubeError::MissingField(format!(
                "client-key-data for user \"{user}\" (it has a client certificate)"
            )));
        }
        (None, Some(_)) => {
            return Err(KubeError::MissingField(format!(
                "client-certificate-data for user \"{user}\" (it has a client key)"
            )));
        }
        (None, None) => None,
    };
    let token = borrowed(u, "token", &u_path)?
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| Zeroizing::new(t.to_owned()));
    if client.is_none() && token.is_none() {
        return Err(KubeError::NoCredentials { user });
    }
    Ok(Kubeconfig {
        context,
        cluster,
        user,
        server,
        ca_pem,
        ca_not_after,
        client,
        token,
    })
}

fn parse_server(text: &str) -> Result<url::Url, KubeError> {
    let bad = |reason: &str| KubeError::BadServer {
        server: text.to_owned(),
        reason: reason.to_owned(),
    };
    let url = url::Url::parse(text.trim()).map_err(|e| bad(&e.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            return Err(bad(
                "it is plain http, so the credentials would travel unencrypted",
            ));
        }
        other => return Err(bad(&format!("{other} is not https"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it has a query or a fragment"));
    }
    Ok(url)
}

/// Base64 of public data (certificates); whitespace is ignored.
fn decode_public(field: &'static str, b64: &str) -> Result<Vec<u8>, KubeError> {
    let clean: Vec<u8> = b64.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&clean)
        .map_err(|e| KubeError::BadBase64 {
            field,
            reason: e.to_string(),
        })
}

/// Base64 of a secret, decoded into wiped memory without intermediate copies; the decoder's
/// words are left out of the error (they quote the offending byte).
fn decode_secret(field: &'static str, b64: &str) -> Result<Zeroizing<Vec<u8>>, KubeError> {
    let clean: Zeroizing<Vec<u8>> =
        Zeroizing::new(b64.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
    let mut out = Zeroizing::new(Vec::with_capacity(base64::decoded_len_estimate(
        clean.len(),
    )));
    base64::engine::general_purpose::STANDARD
        .decode_vec(&*clean, &mut out)
        .map_err(|_| KubeError::BadBase64 {
            field,
            reason: String::new(),
        })?;
    Ok(out)
}

fn pem_reason(e: &rustls::pki_types::pem::Error) -> String {
    use rustls::pki_types::pem::Error;
    match e {
        Error::NoItemsFound => "no PEM block of that kind was found".into(),
        Error::MissingSectionEnd { .. } => "a PEM block has no END line".into(),
        Error::IllegalSectionStart { .. } => "a PEM BEGIN line is malformed".into(),
        Error::Base64Decode(_) => "a PEM block's base64 is damaged".into(),
        other => other.to_string(),
    }
}

/// The notAfter of every certificate in a PEM bundle (at least one).
fn certificates(field: &'static str, pem: &[u8]) -> Result<Vec<OffsetDateTime>, KubeError> {
    let bad_pem = |reason: String| KubeError::BadPem {
        field,
        expected: "certificate",
        reason,
    };
    let mut out = Vec::new();
    for der in CertificateDer::pem_slice_iter(pem) {
        let der = der.map_err(|e| bad_pem(pem_reason(&e)))?;
        let (_, cert) =
            x509_parser::parse_x509_certificate(&der).map_err(|e| KubeError::BadCertificate {
                field,
                reason: e.to_string(),
            })?;
        out.push(cert.validity().not_after.to_datetime());
    }
    if out.is_empty() {
        return Err(bad_pem("it has no CERTIFICATE block".into()));
    }
    Ok(out)
}
