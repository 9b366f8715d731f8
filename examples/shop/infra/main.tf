# The cloud the shop runs on: an EKS cluster in its own VPC, the images' repositories, and a
# bucket for order exports. Deliberately flawed, like the rest of the shop (see ../README.md).

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type = string
}

locals {
  name  = "shop-${var.environment}"
  zones = ["a", "b", "c"]
  tags  = { Project = "shop", Environment = var.environment }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = ["111122223333"]
}

data "aws_caller_identity" "current" {}

resource "aws_vpc" "main" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = local.name })
}

resource "aws_subnet" "private" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)
  availability_zone = "${var.region}${local.zones[count.index]}"
  tags              = merge(local.tags, { Name = "${local.name}-private-${local.zones[count.index]}" })
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}

resource "aws_kms_key" "logs" {
  description         = "${local.name} logs"
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/${local.name}/flow"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}

data "aws_iam_policy_document" "flow_logs_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${local.name}-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_trust.json
}

# Flaws: the API endpoint is public to the whole internet (C601), Secrets are not encrypted
# with a KMS key (C603), and only the API log is kept (C604).
resource "aws_eks_cluster" "shop" {
  name                      = local.name
  role_arn                  = aws_iam_role.cluster.arn
  version                   = "1.31"
  enabled_cluster_log_types = ["api"]

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
  }
}

data "aws_iam_policy_document" "cluster_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${local.name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_trust.json
}

# Flaw: the nodes' metadata service accepts IMDSv1 and answers two hops away, so every pod can
# take the node role's credentials (C801, C802).
resource "aws_launch_template" "nodes" {
  name = "${local.name}-nodes"
  metadata_options {
    http_tokens                 = "optional"
    http_put_response_hop_limit = 2
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name    = aws_eks_cluster.shop.name
  node_group_name = "default"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = aws_subnet.private[*].id
  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }
  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 3
  }
}

data "aws_iam_policy_document" "nodes_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "nodes" {
  name               = "${local.name}-nodes"
  assume_role_policy = data.aws_iam_policy_document.nodes_trust.json
}

resource "aws_iam_role_policy_attachment" "nodes" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
  ])
  role       = aws_iam_role.nodes.name
  policy_arn = "arn:aws:iam::aws:policy/${each.value}"
}

# IRSA: the checkout service account becomes this role.
resource "aws_iam_openid_connect_provider" "eks" {
  url             = aws_eks_cluster.shop.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

data "aws_iam_policy_document" "checkout_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.${var.region}.amazonaws.com/id/EXAMPLE:sub"
      values   = ["system:serviceaccount:shop:checkout"]
    }
  }
}

resource "aws_iam_role" "checkout" {
  name               = "${local.name}-checkout"
  assume_role_policy = data.aws_iam_policy_document.checkout_trust.json
}

# Flaw: the order exports bucket has no Block Public Access and no versioning (C301, C303).
resource "aws_s3_bucket" "exports" {
  bucket = "${local.name}-order-exports"
  tags   = local.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.arn
    }
  }
}

# The hardened reference: immutable tags, scanned on push, encrypted with KMS.
resource "aws_ecr_repository" "services" {
  for_each             = toset(["storefront", "catalog", "checkout", "payments"])
  name                 = "shop/${each.key}"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
  }
}
