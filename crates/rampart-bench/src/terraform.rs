//! Terraform configurations at scale: root stacks that call three local modules (storage,
//! network, service) with `for_each` and `count`, so that an evaluator expands modules,
//! instances, dynamic blocks, policy documents and functions, the way real repositories do.
//! Settings range from hardened to careless, so every cloud rule has work.

use std::fmt::Write as _;

use crate::{ManifestFile, Rng};

/// Resource instances one stack makes (see [`STACK`]).
const PER_STACK: usize = STORAGE_CALLS * 5 + NETWORK_CALLS * 7 + SERVICE_CALLS * 7;
const STORAGE_CALLS: usize = 24;
const NETWORK_CALLS: usize = 4;
const SERVICE_CALLS: usize = 36;

/// About `resources` resource instances, in stacks of [`PER_STACK`], with the modules they
/// share; the same for the same seed.
pub fn generate_terraform(resources: usize, seed: u64) -> Vec<ManifestFile> {
    let mut rng = Rng::new(seed);
    let stacks = resources.div_ceil(PER_STACK).max(1);
    let mut files = vec![
        file("modules/storage/main.tf", STORAGE_MODULE),
        file("modules/network/main.tf", NETWORK_MODULE),
        file("modules/service/main.tf", SERVICE_MODULE),
    ];
    for index in 0..stacks {
        files.push(stack(&mut rng, index));
    }
    files
}

fn file(path: &str, text: &str) -> ManifestFile {
    ManifestFile {
        path: path.to_owned(),
        text: text.to_owned(),
    }
}

/// One root module: a provider, variables, and the module calls.
fn stack(rng: &mut Rng, index: usize) -> ManifestFile {
    let mut text = String::new();
    let environment = rng.pick(&["dev", "staging", "prod"]);
    let _ = writeln!(
        text,
        "provider \"aws\" {{\n  region              = \"eu-west-1\"\n  allowed_account_ids = [\"{:012}\"]\n}}\n",
        100_000_000_000u64 + index as u64
    );
    let _ = writeln!(
        text,
        "variable \"environment\" {{\n  default = \"{environment}\"\n}}\n\nlocals {{\n  prefix = \"stack{index}-${{var.environment}}\"\n  tags   = {{ Stack = \"{index}\", Environment = var.environment }}\n}}\n"
    );
    let buckets: Vec<String> = (0..STORAGE_CALLS).map(|b| format!("\"data{b}\"")).collect();
    let careless = rng.percent(30);
    let _ = writeln!(
        text,
        "module \"storage\" {{\n  source     = \"../../modules/storage\"\n  for_each   = toset([{}])\n  name       = \"${{local.prefix}}-${{each.key}}\"\n  versioned  = {}\n  public     = {}\n  tags       = local.tags\n}}\n",
        buckets.join(", "),
        !careless,
        careless && rng.percent(20),
    );
    let _ = writeln!(
        text,
        "module \"network\" {{\n  source     = \"../../modules/network\"\n  count      = {NETWORK_CALLS}\n  cidr       = cidrsubnet(\"10.0.0.0/8\", 8, count.index + {})\n  ssh_open   = {}\n  tags       = local.tags\n}}\n",
        (index * NETWORK_CALLS) % 200,
        rng.percent(25),
    );
    let mut services = String::new();
    for service in 0..SERVICE_CALLS {
        let _ = writeln!(
            services,
            "    svc{service} = {{ admin = {}, encrypted = {}, public_db = {} }}",
            rng.percent(10),
            rng.percent(80),
            rng.percent(5)
        );
    }
    let _ = writeln!(
        text,
        "module \"service\" {{\n  source   = \"../../modules/service\"\n  for_each = {{\n{services}  }}\n  name      = \"${{local.prefix}}-${{each.key}}\"\n  admin     = each.value.admin\n  encrypted = each.value.encrypted\n  public_db = each.value.public_db\n  vpc_id    = module.network[0].vpc_id\n  tags      = merge(local.tags, {{ Service = each.key }})\n}}"
    );
    ManifestFile {
        path: format!("stacks/stack{index:03}/main.tf"),
        text,
    }
}

const STORAGE_MODULE: &str = r#"variable "name" { type = string }
variable "versioned" { default = true }
variable "public" { default = false }
variable "tags" { default = {} }

resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioned ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = !var.public
  block_public_policy     = !var.public
  ignore_public_acls      = true
  restrict_public_buckets = !var.public
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.versioned ? "aws:kms" : "AES256"
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyPlainHttp"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

output "id" { value = aws_s3_bucket.this.id }
"#;

const NETWORK_MODULE: &str = r#"variable "cidr" { type = string }
variable "ssh_open" { default = false }
variable "tags" { default = {} }

locals {
  zones = ["a", "b", "c"]
  ports = var.ssh_open ? [22, 443] : [443]
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = var.tags
}

resource "aws_subnet" "zone" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  availability_zone = "eu-west-1${local.zones[count.index]}"
}

resource "aws_security_group" "edge" {
  name   = "edge-${replace(var.cidr, "/", "-")}"
  vpc_id = aws_vpc.this.id
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group_rule" "internal" {
  count             = 2
  type              = "ingress"
  from_port         = 8080 + count.index
  to_port           = 8080 + count.index
  protocol          = "tcp"
  cidr_blocks       = [var.cidr]
  security_group_id = aws_security_group.edge.id
}

output "vpc_id" { value = aws_vpc.this.id }
"#;

const SERVICE_MODULE: &str = r#"variable "name" { type = string }
variable "admin" { default = false }
variable "encrypted" { default = true }
variable "public_db" { default = false }
variable "vpc_id" { default = null }
variable "tags" { default = {} }

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "access" {
  statement {
    actions   = var.admin ? ["*"] : ["sqs:SendMessage", "sns:Publish", "logs:PutLogEvents"]
    resources = var.admin ? ["*"] : [aws_sqs_queue.this.arn, aws_sns_topic.this.arn]
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-access"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.access.json
}

resource "aws_kms_key" "this" {
  description         = "${var.name} data"
  enable_key_rotation = var.encrypted
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/services/${var.name}"
  retention_in_days = 30
  kms_key_id        = var.encrypted ? aws_kms_key.this.arn : null
}

resource "aws_sqs_queue" "this" {
  name              = "${var.name}-jobs"
  kms_master_key_id = var.encrypted ? aws_kms_key.this.id : null
}

resource "aws_sns_topic" "this" {
  name              = "${var.name}-events"
  kms_master_key_id = var.encrypted ? aws_kms_key.this.id : null
}

resource "aws_db_instance" "this" {
  identifier          = substr(replace(var.name, "_", "-"), 0, 60)
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  storage_encrypted   = var.encrypted
  kms_key_id          = var.encrypted ? aws_kms_key.this.arn : null
  publicly_accessible = var.public_db
  deletion_protection = true
  tags                = var.tags
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_has_the_resources_asked_for() {
        let files = generate_terraform(10_000, 1);
        assert_eq!(files.len(), 3 + 10_000usize.div_ceil(PER_STACK));
        assert_eq!(files, generate_terraform(10_000, 1));
        assert!(files[3].text.contains("module \"service\""));
    }
}
