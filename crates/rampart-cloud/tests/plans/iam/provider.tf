# Planned offline: fake credentials, no call to AWS (see ../make-plans.sh).
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "planned-offline"
  secret_key                  = "planned-offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
