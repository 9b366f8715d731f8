locals {
  account = "111122223333"
  services = ["ec2.amazonaws.com", "lambda.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Services"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = local.services
    }
  }
  statement {
    sid     = "Ops"
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account}:role/ops", "arn:aws:iam::${local.account}:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["one", "two"]
    }
  }
}

data "aws_iam_policy_document" "read" {
  statement {
    actions       = ["s3:ListBucket", "s3:GetObject", "s3:GetObjectVersion"]
    resources     = ["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"]
    not_principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    effect        = "Deny"
    not_actions   = ["s3:Get*"]
    not_resources = ["arn:aws:s3:::acme-data/public/*"]
  }
}

resource "aws_iam_role" "app" {
  name               = "app"
  path               = "/services/"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "read"
    policy = data.aws_iam_policy_document.read.json
  }
}

resource "aws_iam_policy" "heredoc" {
  name   = "heredoc"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "logs:*",
          "Resource": "arn:aws:logs:*:${local.account}:*"
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy_attachment" "heredoc" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::${local.account}:policy/heredoc"
}
