//! Zones, templates and offerings: what a VM is made from.

use super::Command;
use crate::client::Client;
use crate::error::Result;
use crate::model::*;
use crate::params::Params;

list_request! {
    /// `listZones`.
    ListZones => "listZones" {
        /// Zone id.
        id: String,
        /// Zone name.
        name: String,
        /// Only zones available to the caller.
        available: bool,
        /// Dedicated to this domain.
        domainid: String,
        /// Include capacity figures.
        showcapacities: bool,
    }
}

/// Which templates `listTemplates` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TemplateFilter {
    /// Featured templates.
    Featured,
    /// The caller's own templates.
    SelfOwned,
    /// The caller's own, ready templates.
    SelfExecutable,
    /// Templates shared with the caller, ready.
    SharedExecutable,
    /// Everything the caller can deploy (the default).
    #[default]
    Executable,
    /// Public templates of other accounts.
    Community,
    /// Everything (admins).
    All,
    /// System VM templates (admins).
    System,
}

impl TemplateFilter {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Featured => "featured",
            Self::SelfOwned => "self",
            Self::SelfExecutable => "selfexecutable",
            Self::SharedExecutable => "sharedexecutable",
            Self::Executable => "executable",
            Self::Community => "community",
            Self::All => "all",
            Self::System => "system",
        }
    }
}

impl std::str::FromStr for TemplateFilter {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s {
            "featured" => Self::Featured,
            "self" => Self::SelfOwned,
            "selfexecutable" => Self::SelfExecutable,
            "sharedexecutable" => Self::SharedExecutable,
            "executable" => Self::Executable,
            "community" => Self::Community,
            "all" => Self::All,
            "system" => Self::System,
            other => {
                return Err(format!(
                    "unknown template filter {other:?} (featured, self, selfexecutable, sharedexecutable, executable, community, all, system)"
                ));
            }
        })
    }
}

impl crate::params::ToParam for TemplateFilter {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }
}

list_request! {
    /// `listTemplates` (`templatefilter` is required; it defaults to `executable`).
    ListTemplates => "listTemplates" {
        /// Which templates.
        templatefilter: TemplateFilter,
        /// Template id.
        id: String,
        /// Template name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Hypervisor.
        hypervisor: String,
        /// List everything the caller may see.
        listall: bool,
        /// Domain id.
        domainid: String,
        /// Account (with domainid).
        account: String,
        /// Project id.
        projectid: String,
    }
}

list_request! {
    /// `listServiceOfferings`.
    ListServiceOfferings => "listServiceOfferings" {
        /// Offering id.
        id: String,
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Domain id.
        domainid: String,
        /// Offerings a VM can change to.
        virtualmachineid: String,
        /// System offerings.
        issystem: bool,
    }
}

list_request! {
    /// `listDiskOfferings`.
    ListDiskOfferings => "listDiskOfferings" {
        /// Offering id.
        id: String,
        /// Name.
        name: String,
        /// Zone id.
        zoneid: String,
        /// Domain id.
        domainid: String,
    }
}

impl Client {
    /// `listZones`, every page.
    pub async fn list_zones(&self, req: &ListZones) -> Result<Vec<Zone>> {
        self.list_typed(req, "zone").await
    }

    /// `listTemplates`, every page (`templatefilter` defaults to `executable`).
    pub async fn list_templates(&self, req: &ListTemplates) -> Result<Vec<Template>> {
        let mut p = req.to_params();
        if !p.contains("templatefilter") {
            p.set("templatefilter", TemplateFilter::default());
        }
        self.list_all(ListTemplates::NAME, &p, "template").await
    }

    /// `listServiceOfferings`, every page.
    pub async fn list_service_offerings(
        &self,
        req: &ListServiceOfferings,
    ) -> Result<Vec<ServiceOffering>> {
        self.list_typed(req, "serviceoffering").await
    }

    /// `listDiskOfferings`, every page.
    pub async fn list_disk_offerings(&self, req: &ListDiskOfferings) -> Result<Vec<DiskOffering>> {
        self.list_typed(req, "diskoffering").await
    }
}
