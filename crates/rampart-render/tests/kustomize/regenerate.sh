#!/bin/bash
# Regenerates the expected output of every case with the real Kustomize. How the references in
# this folder were made:
#
#   kubectl v1.32 with its embedded Kustomize v5.5.0 (`kubectl version --client` prints both),
#   run as `kubectl kustomize DIR` from the case's folder, where DIR is the `dir=` line of
#   `args` (the case's folder itself when there is none).
#   Its stdout is `expected.yaml`; when it fails, its message is `expected.error` (kept for
#   the record: rampart's own message differs, and `error-at=` in `args` says which file and
#   line rampart must name).
#
# Usage: KUBECTL=/path/to/kubectl tests/kustomize/regenerate.sh [CASE...]
set -u
cd "$(dirname "$0")"
KUBECTL=${KUBECTL:-kubectl}
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=($(ls -d */ | tr -d /))
for c in "${cases[@]}"; do
  dir=.
  if [ -f "$c/args" ]; then
    while IFS= read -r line; do
      case "$line" in
        dir=*) dir=${line#dir=} ;;
      esac
    done < "$c/args"
  fi
  rm -f "$c/expected.yaml" "$c/expected.error"
  if (cd "$c" && "$KUBECTL" kustomize "$dir" > expected.yaml 2> stderr.txt); then
    rm -f "$c/stderr.txt"
  else
    rm -f "$c/expected.yaml"
    sed -e 's/^.*err="//' -e 's/"$//' -e "s|$PWD/$c/||g" "$c/stderr.txt" > "$c/expected.error"
    rm -f "$c/stderr.txt"
  fi
  echo "$c: $(ls "$c" | grep expected)"
done
