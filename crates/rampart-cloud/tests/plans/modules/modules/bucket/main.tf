variable "name" {
  type = string
}

variable "days" {
  type    = number
  default = 90
}

resource "aws_s3_bucket" "this" {
  bucket = "acme-team-${var.name}"
  tags   = { Team = title(var.name), Retention = tostring(var.days) }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.bucket
  rule {
    id     = "expire"
    status = var.days < 10 ? "Disabled" : "Enabled"
    filter {}
    expiration {
      days = var.days
    }
  }
}

output "name" {
  value = aws_s3_bucket.this.bucket
}
