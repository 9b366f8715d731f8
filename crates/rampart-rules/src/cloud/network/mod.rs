mod admin_port_open;

pub(crate) use admin_port_open::*;
