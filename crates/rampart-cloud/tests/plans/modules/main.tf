module "team" {
  source   = "./modules/bucket"
  for_each = { payments = 30, search = 7 }
  name     = each.key
  days     = each.value
}

module "shared" {
  source = "./modules/bucket"
  name   = "shared"
}

resource "aws_s3_bucket_versioning" "shared" {
  bucket = module.shared.name
  versioning_configuration {
    status = "Enabled"
  }
}
