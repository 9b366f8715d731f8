#!/bin/sh
# Makes plan.json in each folder here with the real Terraform CLI and the AWS provider from
# a local filesystem mirror, without network or credentials:
#
#   TF_PLUGIN_MIRROR=/opt/tf-plugins crates/rampart-cloud/tests/plans/make-plans.sh
#
# plan.json is `terraform show -json` of the saved plan. The committed ones were made with
# Terraform v1.11.4 and hashicorp/aws v5.100.0.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mirror=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
for case in storage network modules iam; do
  rm -rf "$work/$case"
  cp -r "$here/$case" "$work/$case"
  rm -f "$work/$case/plan.json"
  (
    cd "$work/$case"
    terraform init -input=false -no-color >/dev/null
    terraform plan -input=false -no-color -refresh=false -out=plan.out >/dev/null
    terraform show -json plan.out | python3 -m json.tool --indent 1 > "$here/$case/plan.json"
  )
done
