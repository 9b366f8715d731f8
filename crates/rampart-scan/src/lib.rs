//! The scan pipeline as a library: from targets to a [`Report`](rampart_core::Report). The
//! binary, and later the admission webhook and the live-cluster reader, call it.
