//! Arbitrary bytes as each package database (dpkg status, apk installed, rpm's SQLite
//! database and its Berkeley DB one, with their header blobs), the first byte choosing which. Nothing may panic or loop.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_deps::{Database, Distro, read_database};

fuzz_target!(|data: &[u8]| {
    let Some((choice, rest)) = data.split_first() else {
        return;
    };
    let kind = match choice % 4 {
        0 => Database::Dpkg,
        1 => Database::Apk,
        2 => Database::RpmSqlite,
        _ => Database::RpmBerkeley,
    };
    let distro = Distro::parse("ID=debian\nVERSION_ID=12\n");
    read_database(kind, "/var/lib/db", rest, Some(&distro));
});
