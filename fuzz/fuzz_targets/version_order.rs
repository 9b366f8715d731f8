//! Arbitrary strings parsed as versions of every order, and the parsed ones compared with
//! each other: nothing may panic, and each comparison must agree with its reverse.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_version::Order;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, "1.0"));
    for order in Order::ALL {
        if let (Ok(x), Ok(y)) = (order.parse(a), order.parse(b)) {
            assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
            assert!(x.cmp(&x).is_eq());
        }
    }
});
