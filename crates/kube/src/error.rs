//! Why a kubeconfig cannot be used.

/// A kubeconfig that cannot be used to reach its cluster. The messages name the fields and
/// entries involved, never secret values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KubeError {
    /// The text is not YAML (nor JSON) at all.
    #[error("the kubeconfig is not valid YAML: {0}")]
    NotYaml(String),
    /// YAML, but not shaped like a kubeconfig (`kind: Config`, a mapping of lists).
    #[error("this is not a kubeconfig: {0}")]
    NotKubeconfig(String),
    /// `current-context` is absent or empty.
    #[error("the kubeconfig has no current context (current-context is not set)")]
    NoCurrentContext,
    /// `current-context` names a context the kubeconfig does not have.
    #[error("the current context \"{0}\" is not among the kubeconfig's contexts")]
    MissingContext(String),
    /// The current context names a cluster the kubeconfig does not have.
    #[error(
        "context \"{context}\" names cluster \"{cluster}\", which the kubeconfig does not have"
    )]
    MissingCluster {
        /// The context.
        context: String,
        /// The cluster it names.
        cluster: String,
    },
    /// The current context names a user the kubeconfig does not have.
    #[error("context \"{context}\" names user \"{user}\", which the kubeconfig does not have")]
    MissingUser {
        /// The context.
        context: String,
        /// The user it names.
        user: String,
    },
    /// A field the connection needs is absent (its path in the kubeconfig).
    #[error("the kubeconfig has no {0}")]
    MissingField(String),
    /// `server` is not an `https://` URL.
    #[error("the server address \"{server}\" cannot be used: {reason}")]
    BadServer {
        /// The address as written.
        server: String,
        /// Why not.
        reason: String,
    },
    /// `insecure-skip-tls-verify: true`: the server's certificate would not be checked, so
    /// anyone on the way could read the credentials. Refused, never silently accepted.
    #[error(
        "cluster \"{cluster}\" turns off the server certificate check (insecure-skip-tls-verify); \
         the console does not send credentials to a server it cannot verify"
    )]
    InsecureSkipTlsVerify {
        /// The cluster entry.
        cluster: String,
    },
    /// A `*-data` field is not valid base64.
    #[error("{field} is not valid base64{}", detail(.reason))]
    BadBase64 {
        /// The field (`certificate-authority-data`, `client-key-data`, ...).
        field: &'static str,
        /// The decoder's words (empty for secret fields).
        reason: String,
    },
    /// A decoded field is not the PEM it should be.
    #[error("{field} is not a PEM {expected}{}", detail(.reason))]
    BadPem {
        /// The field.
        field: &'static str,
        /// What it should hold (`certificate`, `private key`).
        expected: &'static str,
        /// Why not.
        reason: String,
    },
    /// A certificate's PEM holds no valid X.509 certificate.
    #[error("{field} is not a valid X.509 certificate: {reason}")]
    BadCertificate {
        /// The field.
        field: &'static str,
        /// The parser's words.
        reason: String,
    },
    /// A field names a file (`certificate-authority`, `client-key`, `tokenFile`, ...) instead of
    /// holding the data: kubeconfigs that CloudStack hands out embed everything.
    #[error(
        "{field} refers to a file ({path}); the console needs the data inside the kubeconfig \
         ({wanted})"
    )]
    FileReference {
        /// The field.
        field: &'static str,
        /// The path as written.
        path: String,
        /// The field that would hold the data.
        wanted: &'static str,
    },
    /// The user signs in with something other than a client certificate or a token.
    #[error(
        "user \"{user}\" signs in with {how}, which the console does not support; it needs a \
         client certificate or a token"
    )]
    UnsupportedAuth {
        /// The user entry.
        user: String,
        /// How (`an exec plugin`, `an auth provider`, `a user name and password`).
        how: &'static str,
    },
    /// The user has neither a client certificate nor a token.
    #[error("user \"{user}\" has no credentials (a client certificate and key, or a token)")]
    NoCredentials {
        /// The user entry.
        user: String,
    },
}

fn detail(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}
