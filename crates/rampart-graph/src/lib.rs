//! Links between the layers: which Dockerfile builds and which image holds what a workload
//! runs. The cross-layer attack-path graph will grow here.
