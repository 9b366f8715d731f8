variable "environment" {
  type    = string
  default = "dev"
}

variable "buckets" {
  type    = list(string)
  default = ["logs", "data", "backups"]
}

locals {
  prefix = "acme-${var.environment}"
  tags = merge(
    { Owner = "platform", Environment = var.environment },
    { CostCentre = format("cc-%03d", 42) },
  )
  versioned = toset([for name in var.buckets : name if name != "logs"])
}

resource "aws_s3_bucket" "each" {
  count  = length(var.buckets)
  bucket = "${local.prefix}-${var.buckets[count.index]}"
  tags   = merge(local.tags, { Name = upper(var.buckets[count.index]) })
}

resource "aws_s3_bucket_versioning" "versioned" {
  for_each = local.versioned
  bucket   = "${local.prefix}-${each.key}"
  versioning_configuration {
    status = each.key == "backups" ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "all" {
  for_each                = toset(var.buckets)
  bucket                  = "${local.prefix}-${each.value}"
  block_public_acls       = true
  block_public_policy     = each.value != "logs"
  ignore_public_acls      = true
  restrict_public_buckets = contains(["data", "backups"], each.value)
}

resource "aws_s3_bucket_policy" "data" {
  bucket = "${local.prefix}-data"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyPlainHttp"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource = [
          "arn:aws:s3:::${local.prefix}-data",
          "arn:aws:s3:::${local.prefix}-data/*",
        ]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_kms_key" "data" {
  description             = join(" ", ["key", "for", local.prefix])
  deletion_window_in_days = max(7, 10)
  enable_key_rotation     = true
}
