mod cloudtrail_log_validation;
mod cloudtrail_not_encrypted;
mod cloudtrail_single_region;
mod gcp_subnet_flow_logs;
mod guardduty_disabled;
mod vpc_flow_logs;

pub(crate) use cloudtrail_log_validation::*;
pub(crate) use cloudtrail_not_encrypted::*;
pub(crate) use cloudtrail_single_region::*;
pub(crate) use gcp_subnet_flow_logs::*;
pub(crate) use guardduty_disabled::*;
pub(crate) use vpc_flow_logs::*;
