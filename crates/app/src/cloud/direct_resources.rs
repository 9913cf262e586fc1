//! Networks and storage on a CloudStack API signed with the user's keys: the operation runs
//! through `akashone_resources`, as the central server runs it.

use super::direct::{DirectCloud, options};
use super::{Job, Outcome};
use crate::error::Result;
use akashone_cache::ListKind;
use akashone_cloudstack::api::ListNetworkOfferings;
use akashone_resources::Scope;
use akashone_types::Choice;
use akashone_types::network::LbMemberRow;
use akashone_types::ops::Operation;

/// The cache's lists an operation may change.
pub(crate) fn lists_of(op: &Operation) -> Vec<ListKind> {
    op.touches()
        .iter()
        .filter_map(|k| k.parse::<ListKind>().ok())
        .collect()
}

impl DirectCloud {
    pub(super) async fn operate_of(&self, op: &Operation) -> Result<Job> {
        let client = self.client().clone();
        let op = op.clone();
        Ok(Job {
            job_id: None,
            vm_id: None,
            wait: Box::new(move |watch| {
                Box::pin(async move {
                    let done =
                        akashone_resources::run(&client, &op, &Scope::default(), &options(watch))
                            .await?;
                    Ok(Outcome::Changed {
                        lists: lists_of(&op),
                        message: done.message,
                        id: done.id,
                    })
                })
            }),
        })
    }

    pub(super) async fn lb_members_of(&self, id: &str) -> Result<Vec<LbMemberRow>> {
        Ok(self
            .client()
            .list_load_balancer_members(id)
            .await?
            .iter()
            .filter_map(akashone_resources::rows::lb_member)
            .collect())
    }

    pub(super) async fn network_offerings_of(
        &self,
        zone_id: &str,
        for_vpc: bool,
    ) -> Result<Vec<Choice>> {
        let offerings = self
            .client()
            .list_network_offerings(&ListNetworkOfferings {
                zoneid: Some(zone_id.to_owned()),
                guestiptype: Some("Isolated".into()),
                forvpc: Some(for_vpc),
                state: Some("Enabled".into()),
                ..Default::default()
            })
            .await?;
        Ok(offerings
            .into_iter()
            .filter_map(|o| {
                Some(Choice {
                    id: o.id?,
                    name: o.name.unwrap_or_default(),
                    detail: o.displaytext.unwrap_or_default(),
                })
            })
            .collect())
    }
}
