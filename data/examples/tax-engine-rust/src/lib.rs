//! tax-engine: computes local tax lines from a TOML rate table (example estate component).
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Rate {
    pub name: String,
    pub per_mille: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum TaxError {
    #[error("bad rate table: {0}")]
    Table(#[from] toml::de::Error),
}

pub fn amount(base: u64, rate: &Rate) -> String {
    log::debug!("rate {}", rate.name);
    let mut buffer = itoa::Buffer::new();
    buffer.format(base * u64::from(rate.per_mille) / 1000).to_owned()
}

pub fn to_json(rate: &Rate) -> serde_json::Result<String> {
    serde_json::to_string(rate)
}
