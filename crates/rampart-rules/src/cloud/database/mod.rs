mod rds_publicly_accessible;
mod rds_storage_unencrypted;

pub(crate) use rds_publicly_accessible::*;
pub(crate) use rds_storage_unencrypted::*;
