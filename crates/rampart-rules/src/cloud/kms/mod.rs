mod key_rotation_disabled;
mod s3_not_encrypted_with_cmk;

pub(crate) use key_rotation_disabled::*;
pub(crate) use s3_not_encrypted_with_cmk::*;
