//! The planted problems of bridgecrewio/terragoat and bridgecrewio/cfngoat, as their READMEs
//! list them ("Existing vulnerabilities"), are found by rampart with file and resource; and a
//! hardened counterpart of their resources has no finding at high or critical severity.
//!
//! The goats are other projects' files and are not committed here: the first two tests read
//! them from the folder `RAMPART_GOATS` names (holding `terragoat/` and `cfngoat/`
//! checkouts) and skip, saying so, without it.
//!
//! The tables list each planted problem whose check rampart has (Checkov's id in the README
//! mapped to the rampart rule meaning the same), by file, resource and rule. Left out, where
//! rampart judges differently on purpose: settings left to a default that is safe in the
//! provider versions the goats resolve to (`auto_minor_version_upgrade` true; azurerm's
//! `enable_https_traffic_only` true and `min_tls_version` `TLS1_2` since 3.0; GKE's client
//! certificates and basic authentication off since 1.12); a GCE instance without a
//! `service_account` block, which has no service account at all; and cfngoat's `LogsBucket`,
//! the target of the other buckets' access logs, which is not asked to log itself. A
//! security group open on every port is reported as such (C404), not as SSH open (C401), and
//! an EKS endpoint open to every address as C601 rather than C602.

use std::path::{Path, PathBuf};

use rampart_core::Severity;
use rampart_scan::{Config, ScanOptions, Scanner};
use rampart_source::Target;

const TERRAGOAT: &[(&str, &str, &str)] = &[
    ("terraform/aws/db-app.tf", "aws_db_instance.default", "C501"),
    ("terraform/aws/db-app.tf", "aws_db_instance.default", "C502"),
    ("terraform/aws/db-app.tf", "aws_db_instance.default", "C504"),
    ("terraform/aws/db-app.tf", "aws_instance.db_app", "C210"),
    ("terraform/aws/db-app.tf", "aws_instance.db_app", "C801"),
    (
        "terraform/aws/ec2.tf",
        "aws_ebs_volume.web_host_storage",
        "C210",
    ),
    ("terraform/aws/ec2.tf", "aws_instance.web_host", "C210"),
    ("terraform/aws/ec2.tf", "aws_instance.web_host", "C801"),
    ("terraform/aws/ec2.tf", "aws_s3_bucket.flowbucket", "C202"),
    ("terraform/aws/ec2.tf", "aws_s3_bucket.flowbucket", "C301"),
    ("terraform/aws/ec2.tf", "aws_s3_bucket.flowbucket", "C303"),
    ("terraform/aws/ec2.tf", "aws_s3_bucket.flowbucket", "C304"),
    (
        "terraform/aws/ec2.tf",
        "aws_security_group.web-node",
        "C401",
    ),
    ("terraform/aws/ec2.tf", "aws_subnet.web_subnet", "C402"),
    ("terraform/aws/ec2.tf", "aws_subnet.web_subnet2", "C402"),
    ("terraform/aws/ec2.tf", "aws_vpc.web_vpc", "C405"),
    (
        "terraform/aws/ecr.tf",
        "aws_ecr_repository.repository",
        "C208",
    ),
    (
        "terraform/aws/ecr.tf",
        "aws_ecr_repository.repository",
        "C310",
    ),
    (
        "terraform/aws/ecr.tf",
        "aws_ecr_repository.repository",
        "C311",
    ),
    (
        "terraform/aws/eks.tf",
        "aws_eks_cluster.eks_cluster",
        "C601",
    ),
    (
        "terraform/aws/eks.tf",
        "aws_eks_cluster.eks_cluster",
        "C603",
    ),
    (
        "terraform/aws/eks.tf",
        "aws_eks_cluster.eks_cluster",
        "C604",
    ),
    ("terraform/aws/eks.tf", "aws_subnet.eks_subnet1", "C402"),
    ("terraform/aws/eks.tf", "aws_subnet.eks_subnet2", "C402"),
    ("terraform/aws/eks.tf", "aws_vpc.eks_vpc", "C405"),
    ("terraform/aws/eks.tf", "aws_vpc.eks_vpc", "C706"),
    ("terraform/aws/kms.tf", "aws_kms_key.logs_key", "C201"),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app1-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app1-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app2-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app2-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app3-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app3-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app4-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app4-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app5-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app5-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app6-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app6-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app7-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app7-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app8-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app8-rds-cluster",
        "C503",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app9-rds-cluster",
        "C502",
    ),
    (
        "terraform/aws/rds.tf",
        "aws_rds_cluster.app9-rds-cluster",
        "C503",
    ),
    ("terraform/aws/s3.tf", "aws_s3_bucket.data", "C202"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.data", "C301"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.data", "C303"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.data", "C304"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.data_science", "C202"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.data_science", "C301"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.financials", "C202"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.financials", "C301"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.financials", "C303"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.financials", "C304"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.logs", "C301"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.logs", "C304"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.operations", "C202"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.operations", "C301"),
    ("terraform/aws/s3.tf", "aws_s3_bucket.operations", "C304"),
    (
        "terraform/azure/aks.tf",
        "azurerm_kubernetes_cluster.k8s_cluster",
        "C651",
    ),
    (
        "terraform/azure/aks.tf",
        "azurerm_kubernetes_cluster.k8s_cluster",
        "C653",
    ),
    (
        "terraform/azure/aks.tf",
        "azurerm_kubernetes_cluster.k8s_cluster",
        "C654",
    ),
    (
        "terraform/azure/aks.tf",
        "azurerm_kubernetes_cluster.k8s_cluster",
        "C655",
    ),
    (
        "terraform/azure/key_vault.tf",
        "azurerm_key_vault.example",
        "C312",
    ),
    (
        "terraform/azure/networking.tf",
        "azurerm_network_security_group.bad_sg",
        "C401",
    ),
    (
        "terraform/gcp/big_data.tf",
        "google_sql_database_instance.master_instance",
        "C509",
    ),
    (
        "terraform/gcp/big_data.tf",
        "google_sql_database_instance.master_instance",
        "C510",
    ),
    (
        "terraform/gcp/gcs.tf",
        "google_storage_bucket.terragoat_website",
        "C306",
    ),
    (
        "terraform/gcp/gke.tf",
        "google_container_cluster.workload_cluster",
        "C620",
    ),
    (
        "terraform/gcp/gke.tf",
        "google_container_cluster.workload_cluster",
        "C623",
    ),
    (
        "terraform/gcp/gke.tf",
        "google_container_cluster.workload_cluster",
        "C625",
    ),
    (
        "terraform/gcp/instances.tf",
        "google_compute_instance.server",
        "C804",
    ),
    (
        "terraform/gcp/instances.tf",
        "google_compute_instance.server",
        "C805",
    ),
    (
        "terraform/gcp/instances.tf",
        "google_compute_instance.server",
        "C806",
    ),
    (
        "terraform/gcp/instances.tf",
        "google_compute_instance.server",
        "C807",
    ),
    (
        "terraform/gcp/networks.tf",
        "google_compute_firewall.allow_all",
        "C404",
    ),
    (
        "terraform/gcp/networks.tf",
        "google_compute_subnetwork.public-subnetwork",
        "C704",
    ),
];
const CFNGOAT: &[(&str, &str, &str)] = &[
    ("cfngoat.yaml", "DataBucket", "C301"),
    ("cfngoat.yaml", "DataBucket", "C302"),
    ("cfngoat.yaml", "DataBucket", "C303"),
    ("cfngoat.yaml", "DataBucket", "C304"),
    ("cfngoat.yaml", "DataScienceBucket", "C301"),
    ("cfngoat.yaml", "DefaultDB", "C501"),
    ("cfngoat.yaml", "DefaultDB", "C502"),
    ("cfngoat.yaml", "FinancialsBucket", "C301"),
    ("cfngoat.yaml", "FinancialsBucket", "C303"),
    ("cfngoat.yaml", "FinancialsBucket", "C304"),
    ("cfngoat.yaml", "FlowBucket", "C301"),
    ("cfngoat.yaml", "FlowBucket", "C303"),
    ("cfngoat.yaml", "FlowBucket", "C304"),
    ("cfngoat.yaml", "LogsBucket", "C301"),
    ("cfngoat.yaml", "LogsKey", "C201"),
    ("cfngoat.yaml", "OperationsBucket", "C301"),
    ("cfngoat.yaml", "OperationsBucket", "C304"),
    ("cfngoat.yaml", "WebHostStorage", "C210"),
    ("cfngoat.yaml", "WebNodeSG", "C401"),
    ("eks.yaml", "EKSCluster", "C603"),
];

/// The C findings of a scan of `path`, as (file relative to `root`, resource name, rule).
fn cloud_findings(path: &Path, root: &Path) -> Vec<(String, String, String, Severity)> {
    let options = ScanOptions {
        select: vec!["C".to_owned()],
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(Config::default(), options).unwrap();
    let inputs = scanner.read(&[Target::Path(path.to_owned())]).unwrap();
    let report = scanner.scan(&inputs).unwrap();
    report
        .findings
        .iter()
        .map(|finding| {
            let file = Path::new(&*finding.location.path);
            let file = file.strip_prefix(root).unwrap_or(file);
            (
                file.display().to_string(),
                finding.subject.name.clone(),
                finding.rule.code.to_owned(),
                finding.severity,
            )
        })
        .collect()
}

fn goats(name: &str) -> Option<PathBuf> {
    let Some(folder) = std::env::var_os("RAMPART_GOATS") else {
        eprintln!("skipped: set RAMPART_GOATS to a folder holding terragoat/ and cfngoat/");
        return None;
    };
    Some(PathBuf::from(folder).join(name))
}

fn check_planted(root: &Path, planted: &[(&str, &str, &str)]) {
    let found = cloud_findings(root, root);
    let missing: Vec<_> = planted
        .iter()
        .filter(|(file, resource, code)| {
            !found
                .iter()
                .any(|(f, r, c, _)| f == file && r == resource && c == code)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "planted problems not found: {missing:#?}"
    );
}

#[test]
fn terragoat_planted_problems_are_found() {
    if let Some(root) = goats("terragoat") {
        check_planted(&root, TERRAGOAT);
    }
}

#[test]
fn cfngoat_planted_problems_are_found() {
    if let Some(root) = goats("cfngoat") {
        check_planted(&root, CFNGOAT);
    }
}

#[test]
fn the_hardened_counterpart_has_nothing_severe() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goats/hardened");
    let severe: Vec<_> = cloud_findings(&root, &root)
        .into_iter()
        .filter(|(.., severity)| *severity >= Severity::High)
        .collect();
    assert!(severe.is_empty(), "{severe:#?}");
}
