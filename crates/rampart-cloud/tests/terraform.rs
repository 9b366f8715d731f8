//! Terraform configurations evaluated as a whole: modules, expansion, data sources, limits.

use rampart_cloud::terraform::{self, Limits, NoModuleFiles, TerraformFile, parse_file};
use rampart_cloud::{CloudModel, Resource, Value};
use rampart_source::Limits as FileLimits;

fn file(folder: &str, name: &str, text: &str) -> TerraformFile {
    parse_file(
        &format!("{}/{name}", folder.trim_start_matches('/')),
        folder,
        name,
        text,
        &FileLimits::default(),
    )
    .unwrap()
}

fn evaluate(files: &[TerraformFile]) -> (Vec<Resource>, Vec<String>) {
    let evaluated = terraform::evaluate(
        files,
        &[],
        &NoModuleFiles,
        &|folder: &str| folder.trim_start_matches('/').to_owned(),
        &Limits::default(),
    );
    let errors = evaluated
        .errors
        .iter()
        .map(|e| format!("{}:{}: {}", e.path, e.line.unwrap_or(0), e.message))
        .collect();
    (evaluated.resources, errors)
}

fn named<'r>(resources: &'r [Resource], address: &str) -> &'r Resource {
    resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            let all: Vec<_> = resources.iter().map(|r| &r.address).collect();
            panic!("no {address} among {all:?}")
        })
}

#[test]
fn variables_locals_count_for_each_and_dynamic_blocks() {
    let main = file(
        "/infra",
        "main.tf",
        r#"
variable "env" { default = "dev" }
variable "ports" {
  type    = list(number)
  default = [22, 443]
}
variable "secret" {}

locals {
  name   = "${local.prefix}-data"
  prefix = "shop-${var.env}"
  zones  = toset(["a", "b"])
}

resource "aws_s3_bucket" "data" {
  bucket = local.name
}

resource "aws_subnet" "zone" {
  for_each   = local.zones
  cidr_block = cidrsubnet("10.0.0.0/16", 8, index(["a", "b"], each.key))
}

resource "aws_instance" "web" {
  count = 2
  tags  = { Name = "web-${count.index}" }
}

resource "aws_security_group" "sg" {
  name = var.secret
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port = ingress.value
      to_port   = ingress.value
    }
  }
}
"#,
    );
    let vars = file("/infra", "terraform.tfvars", "env = \"prod\"\n");
    let (resources, errors) = evaluate(&[main, vars]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        named(&resources, "aws_s3_bucket.data").str("bucket"),
        Some("shop-prod-data")
    );
    assert_eq!(
        named(&resources, "aws_subnet.zone[\"b\"]").str("cidr_block"),
        Some("10.0.1.0/24")
    );
    assert_eq!(
        named(&resources, "aws_instance.web[1]").str("tags/Name"),
        Some("web-1")
    );
    let sg = named(&resources, "aws_security_group.sg");
    assert!(sg.get("name").unwrap().is_unknown());
    assert_eq!(sg.get("ingress/1/from_port"), Some(&Value::Number(443.0)));
    assert_eq!(sg.position_of("/ingress/1/from_port"), (34, 7));
    assert_eq!(sg.at.line, 29);
    assert_eq!(sg.scope, "infra");
}

#[test]
fn local_modules_are_expanded_with_their_inputs() {
    let root = file(
        "/live",
        "main.tf",
        r#"
module "logs" {
  source = "../modules/bucket"
  name   = "logs"
}
module "many" {
  source   = "../modules/bucket"
  for_each = toset(["x", "y"])
  name     = each.key
}
module "remote" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
resource "aws_s3_bucket_versioning" "logs" {
  bucket = module.logs.id
  versioning_configuration { status = "Enabled" }
}
"#,
    );
    let module = file(
        "/modules/bucket",
        "main.tf",
        r#"
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = "acme-${var.name}" }
output "id" { value = aws_s3_bucket.this.id }
"#,
    );
    let (resources, errors) = evaluate(&[root, module]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("live/main.tf:11:"), "{errors:?}");
    assert!(errors[0].contains("terraform-aws-modules/vpc/aws"));
    let logs = named(&resources, "module.logs.aws_s3_bucket.this");
    assert_eq!(logs.str("bucket"), Some("acme-logs"));
    assert_eq!(logs.scope, "live:module.logs");
    assert_eq!(logs.name, "aws_s3_bucket.this");
    assert_eq!(
        named(&resources, "module.many[\"y\"].aws_s3_bucket.this").str("bucket"),
        Some("acme-y")
    );
    // The output is the bucket's name, known from its argument.
    let versioning = named(&resources, "aws_s3_bucket_versioning.logs");
    assert_eq!(versioning.str("bucket"), Some("acme-logs"));
    assert!(versioning.refers_to("bucket", "module.logs"));
    // One model: the separate versioning resource belongs to the bucket.
    let model = CloudModel::new(resources, Vec::new());
    let bucket = model
        .buckets
        .iter()
        .find(|b| model.resources[b.resource].address == "module.logs.aws_s3_bucket.this")
        .unwrap();
    assert_eq!(
        bucket.versioning.as_ref().map(|s| &s.value),
        Some(&Value::Bool(true))
    );
}

#[test]
fn limits_and_cycles_are_errors_with_locations() {
    let main = file(
        "/bad",
        "main.tf",
        r#"
locals {
  a = local.b
  b = local.a
}
resource "aws_instance" "many" { count = 100000000 }
resource "aws_s3_bucket" "b" { bucket = local.a }
module "self" { source = "./" }
"#,
    );
    let (resources, errors) = evaluate(&[main]);
    assert!(resources.iter().all(|r| r.kind != "aws_instance"));
    assert!(
        named(&resources, "aws_s3_bucket.b")
            .get("bucket")
            .unwrap()
            .is_unknown()
    );
    let joined = errors.join("\n");
    assert!(
        joined.contains("bad/main.tf:3: local `a` is part of a cycle")
            || joined.contains("bad/main.tf:4: local `b` is part of a cycle"),
        "{joined}"
    );
    assert!(
        joined.contains("bad/main.tf:6: `count` is 100000000"),
        "{joined}"
    );
    assert!(joined.contains("bad/main.tf:8: module `self`"), "{joined}");
}

#[test]
fn policy_document_data_sources_render_policy_json() {
    let main = file(
        "/iam",
        "main.tf",
        r#"
provider "aws" { allowed_account_ids = ["111122223333"] }
data "aws_caller_identity" "me" {}
resource "aws_s3_bucket" "b" { bucket = "acme" }
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.me.account_id}:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.read.json
}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"#,
    );
    let (resources, errors) = evaluate(&[main]);
    assert!(errors.is_empty(), "{errors:?}");
    let model = CloudModel::new(resources, Vec::new());
    let role = &model.iam.principals[0];
    assert_eq!(role.name.as_deref(), Some("app"));
    assert_eq!(
        role.trust.as_ref().unwrap().json,
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "Read",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],
                "Resource": ["arn:aws:s3:::acme/*", "arn:aws:s3:::acme"],
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Condition": {"Bool": {"aws:SecureTransport": "true"}}
            }]
        })
    );
    assert_eq!(
        role.attached[0].policy,
        rampart_cloud::model::iam::PolicyRef::Arn(
            "arn:aws:iam::aws:policy/AdministratorAccess".to_owned()
        )
    );
}
