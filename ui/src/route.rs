//! Every page of the console and its place in the sidebar (the page each route renders is
//! `app::switch`, so components can link to routes without reaching the pages).

use crate::components::icons::Icon;
use serde::Serialize;
use yew_router::prelude::*;

/// The app's routes. Hash-based routing keeps every page reachable after a reload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Dashboard,
    #[at("/vms")]
    VirtualMachines,
    #[at("/kubernetes")]
    Kubernetes,
    #[at("/databases")]
    Databases,
    #[at("/networks")]
    Networks,
    #[at("/storage")]
    Storage,
    #[at("/monitoring")]
    Monitoring,
    #[at("/billing")]
    Billing,
    #[at("/resellers")]
    Resellers,
    #[at("/white-label")]
    WhiteLabel,
    #[at("/reseller-customers")]
    ResellerCustomers,
    #[at("/super-admin")]
    SuperAdmin,
    #[at("/admin-rights")]
    AdminRights,
    #[at("/security")]
    Security,
    #[at("/connect")]
    Connect,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// A sidebar section and its pages, in display order.
pub struct NavSection {
    pub title: &'static str,
    pub routes: &'static [Route],
}

/// The sidebar, top to bottom.
pub const NAV: &[NavSection] = &[
    NavSection {
        title: "Overview",
        routes: &[Route::Dashboard, Route::Monitoring],
    },
    NavSection {
        title: "Compute",
        routes: &[Route::VirtualMachines, Route::Kubernetes, Route::Databases],
    },
    NavSection {
        title: "Infrastructure",
        routes: &[Route::Networks, Route::Storage],
    },
    NavSection {
        title: "Business",
        routes: &[
            Route::Billing,
            Route::Resellers,
            Route::WhiteLabel,
            Route::ResellerCustomers,
        ],
    },
    NavSection {
        title: "Administration",
        routes: &[Route::SuperAdmin, Route::AdminRights, Route::Security],
    },
];

impl Route {
    /// The page title: the sidebar label and the page's heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::Dashboard => "Dashboard",
            Self::VirtualMachines => "Virtual Machines",
            Self::Kubernetes => "Kubernetes",
            Self::Databases => "Databases",
            Self::Networks => "Networks",
            Self::Storage => "Storage",
            Self::Monitoring => "Monitoring",
            Self::Billing => "Billing",
            Self::Resellers => "Resellers",
            Self::WhiteLabel => "White-Label",
            Self::ResellerCustomers => "Reseller Customers",
            Self::SuperAdmin => "Super Admin",
            Self::AdminRights => "Admin Rights",
            Self::Security => "Security",
            Self::Connect => "Connect",
            Self::NotFound => "Page not found",
        }
    }

    /// The sidebar icon.
    pub fn icon(self) -> Icon {
        match self {
            Self::Dashboard => Icon::Dashboard,
            Self::VirtualMachines => Icon::Server,
            Self::Kubernetes => Icon::Kubernetes,
            Self::Databases => Icon::Database,
            Self::Networks => Icon::Network,
            Self::Storage => Icon::Storage,
            Self::Monitoring => Icon::Activity,
            Self::Billing => Icon::Receipt,
            Self::Resellers => Icon::Handshake,
            Self::WhiteLabel => Icon::Palette,
            Self::ResellerCustomers => Icon::Users,
            Self::SuperAdmin => Icon::Tree,
            Self::AdminRights => Icon::Key,
            Self::Security => Icon::Shield,
            Self::Connect => Icon::Plug,
            Self::NotFound => Icon::Alert,
        }
    }

    /// A stable identifier for tests and styling (`data-page` attribute, screenshot names).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Dashboard => "dashboard",
            Self::VirtualMachines => "virtual-machines",
            Self::Kubernetes => "kubernetes",
            Self::Databases => "databases",
            Self::Networks => "networks",
            Self::Storage => "storage",
            Self::Monitoring => "monitoring",
            Self::Billing => "billing",
            Self::Resellers => "resellers",
            Self::WhiteLabel => "white-label",
            Self::ResellerCustomers => "reseller-customers",
            Self::SuperAdmin => "super-admin",
            Self::AdminRights => "admin-rights",
            Self::Security => "security",
            Self::Connect => "connect",
            Self::NotFound => "not-found",
        }
    }
}

/// What a link to the Networks or Storage page opens there (`#/storage?volume=…`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Focus {
    /// A volume's id (Storage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// A public IP's id (Networks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// A network's id (Networks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
}

impl Focus {
    /// Reads a location's query string (`?volume=v-1`); unknown keys are ignored.
    pub fn parse(query: &str) -> Focus {
        let mut f = Focus::default();
        for pair in query.trim_start_matches('?').split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let v = Some(v.to_owned()).filter(|v| !v.is_empty());
            match k {
                "volume" => f.volume = v,
                "ip" => f.ip = v,
                "network" => f.network = v,
                _ => {}
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::Focus;

    #[test]
    fn a_link_query_names_what_to_open() {
        let f = Focus::parse("?volume=v-1&other=x");
        assert_eq!(f.volume.as_deref(), Some("v-1"));
        assert_eq!(f.ip, None);
        assert_eq!(Focus::parse("ip=ip-9").ip.as_deref(), Some("ip-9"));
        assert_eq!(Focus::parse("?network=").network, None);
        assert_eq!(Focus::parse(""), Focus::default());
    }
}
