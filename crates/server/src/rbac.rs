//! Permissions and the built-in roles.
//!
//! A role is a set of permissions. Permissions say *what* a user may do; the tenant tree says
//! *where*: every target must lie in the caller's subtree.

pub use akashone_types::central::Permission;

/// The built-in roles: (id, permissions). Their ids double as names.
pub fn builtin_roles() -> Vec<(&'static str, Vec<Permission>)> {
    use Permission::*;
    let all = Permission::ALL.to_vec();
    vec![
        ("super-admin", all.clone()),
        ("reseller-admin", all.clone()),
        (
            "customer-admin",
            all.iter()
                .copied()
                .filter(|p| *p != BillingManage)
                .collect(),
        ),
        (
            "operator",
            vec![
                TenantsRead,
                VmsRead,
                VmsCreate,
                VmsOperate,
                VmsDelete,
                CatalogRead,
                KubernetesRead,
                KubernetesOperate,
                NetworkRead,
                NetworkOperate,
                StorageRead,
                StorageOperate,
            ],
        ),
        (
            "viewer",
            vec![
                TenantsRead,
                UsersRead,
                RolesRead,
                VmsRead,
                CatalogRead,
                KubernetesRead,
                NetworkRead,
                StorageRead,
            ],
        ),
        ("billing", vec![TenantsRead, BillingRead, BillingManage]),
    ]
}

/// The built-in role of the bootstrapped administrator.
pub const SUPER_ADMIN: &str = "super-admin";
