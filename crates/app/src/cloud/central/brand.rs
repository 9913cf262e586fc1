//! The white-label brand the signed-in user sees: asked of the server on each sync and kept in
//! the offline cache, so a profile opened offline is branded at once.

use akashone_central::Central;
use akashone_types::ConsoleBrand;

use super::{CentralCloud, lock};
use crate::error::Result;
use crate::store::Store;

/// The key of the brand among the profile's facts.
const BRAND_FACT: &str = "brand";

impl CentralCloud {
    /// The brand shown, without its logo.
    pub(crate) fn brand_summary(&self) -> Option<ConsoleBrand> {
        lock(&self.brand).as_ref().map(|b| ConsoleBrand {
            tenant_id: b.tenant_id.clone(),
            display_name: b.display_name.clone(),
            brand_colour: b.brand_colour.clone(),
            logo_sha256: b.logo_sha256.clone(),
        })
    }

    /// The logo of the brand shown (PNG, base64), if it has one.
    pub(crate) fn brand_logo(&self) -> Option<String> {
        lock(&self.brand).as_ref().and_then(|b| b.logo_png.clone())
    }

    /// Shows the brand kept in the cache.
    pub(super) fn load_brand(&self, store: &Store) {
        let kept = match store.fact(BRAND_FACT) {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the kept brand");
                return;
            }
        };
        match kept.map(|json| serde_json::from_str(&json)) {
            Some(Ok(b)) => *lock(&self.brand) = Some(b),
            Some(Err(e)) => tracing::warn!(error = %e, "the kept brand is unreadable; ignored"),
            None => {}
        }
    }

    /// Asks the server which brand the user sees and keeps it (or forgets the one kept).
    pub(crate) async fn sync_brand(&self, client: &Central, store: &Store) -> Result<()> {
        let brand = client.branding().await?;
        if *lock(&self.brand) == brand {
            return Ok(());
        }
        let json = brand.as_ref().map(serde_json::to_string).transpose()?;
        store.put_fact(BRAND_FACT, json.as_deref())?;
        *lock(&self.brand) = brand;
        Ok(())
    }
}
