//! Typed commands. Each request struct has one optional field per parameter (named as on the
//! wire) plus `extra` for anything else; the matching `Client` method sends it and returns typed
//! rows, a typed object or an [`AsyncJob`](crate::AsyncJob) handle.

use crate::client::Client;
use crate::error::Result;
use crate::model::*;
use crate::params::Params;
use crate::response;

/// A typed CloudStack command.
pub trait Command {
    /// The API command name, e.g. `listZones`.
    const NAME: &'static str;
    /// The parameters to send.
    fn to_params(&self) -> Params;
}

macro_rules! request {
    (
        $(#[$meta:meta])*
        $name:ident => $cmd:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Further parameters, sent as given (names lower-cased).
            pub extra: Params,
        }

        impl Command for $name {
            const NAME: &'static str = $cmd;
            fn to_params(&self) -> Params {
                #[allow(unused_mut)]
                let mut p = Params::new();
                $( if let Some(v) = &self.$field {
                    p.set(stringify!($field).trim_start_matches("r#"), v);
                } )*
                p.extend(&self.extra);
                p
            }
        }
    };
}

/// `listall`/`domainid`/`account`/`projectid` filters shared by most list commands are plain
/// fields of each request.
macro_rules! list_request {
    ($(#[$meta:meta])* $name:ident => $cmd:literal { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        request! {
            $(#[$meta])*
            $name => $cmd {
                $( $(#[$fmeta])* $field: $ty, )*
                /// Free-text filter.
                keyword: String,
            }
        }
    };
}

mod accounts;
mod balancer;
mod catalog;
mod kubernetes;
mod network;
mod storage;
mod usage;
mod vms;

pub use accounts::*;
pub use balancer::*;
pub use catalog::*;
pub use kubernetes::*;
pub use network::*;
pub use storage::*;
pub use usage::*;
pub use vms::*;

fn id_params(id: &str) -> Params {
    Params::new().with("id", id)
}

impl Client {
    async fn sync_object<T: serde::de::DeserializeOwned>(
        &self,
        command: &str,
        params: &Params,
        key: &str,
    ) -> Result<T> {
        let inner = self.call(command, params).await?;
        response::object_at(command, &inner, key)
    }

    async fn sync_success(&self, command: &str, params: &Params) -> Result<Success> {
        let inner = self.call(command, params).await?;
        response::object(command, &inner)
    }

    async fn list_typed<C: Command, T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        req: &C,
        key: &str,
    ) -> Result<Vec<T>> {
        self.list_all(C::NAME, &req.to_params(), key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_params() {
        let mut d = DeployVirtualMachine::new("z", "o", "t");
        d.networkids = Some(vec!["n1".into(), "n2".into()]);
        d.startvm = Some(false);
        d.extra.set("details[0].cpuNumber", "2");
        let p = d.to_params();
        assert_eq!(p.get("zoneid"), Some("z"));
        assert_eq!(p.get("networkids"), Some("n1,n2"));
        assert_eq!(p.get("startvm"), Some("false"));
        assert_eq!(p.get("details[0].cpunumber"), Some("2"));
        let l = ListVolumes {
            r#type: Some("ROOT".into()),
            ..Default::default()
        };
        assert_eq!(l.to_params().get("type"), Some("ROOT"));
        let s = ScaleKubernetesCluster::autoscale("c", 1, 3).to_params();
        assert_eq!(s.get("autoscalingenabled"), Some("true"));
        assert_eq!(s.get("maxsize"), Some("3"));
        assert!(!s.contains("size"));
    }
}
