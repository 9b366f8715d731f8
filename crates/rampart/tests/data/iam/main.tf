provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

data "aws_caller_identity" "current" {}

# An account's IAM for `rampart iam can-i`: a deploy role bounded by a permissions boundary, a
# user in a group with AWS managed policies and a Deny of its own, a KMS key whose policy
# names the deploy role, a role trusted by the user's account.

resource "aws_iam_role" "deploy" {
  name                 = "deploy"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }]
  })
}

resource "aws_iam_policy" "boundary" {
  name = "boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = ["iam:*", "organizations:*"], Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  name = "deploy"
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Everything", Effect = "Allow", Action = "*", Resource = "*" },
      {
        Sid       = "OnlyFromEurope"
        Effect    = "Deny"
        Action    = "ec2:*"
        Resource  = "*"
        Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] } }
      }
    ]
  })
}

resource "aws_iam_user" "alice" {
  name = "alice"
  path = "/ops/"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.ops.name]
}

resource "aws_iam_group_policy_attachment" "ops_iam" {
  group      = aws_iam_group.ops.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}

resource "aws_iam_user_policy" "alice" {
  name = "no-users"
  user = aws_iam_user.alice.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "NoNewUsers", Effect = "Deny", Action = "iam:CreateUser", Resource = "*" }]
  })
}

resource "aws_kms_key" "app" {
  description         = "application data"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Deploy", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/deploy" }, Action = "kms:Decrypt", Resource = "*" }
    ]
  })
}
