#!/usr/bin/env bash
# Every module, succeeding and failing, at -vvv: neither the real nor a wrong API key may appear in the output.
set -eu
# Role targets get tests/integration/integration_config.yml as vars; a script target reads it itself.
config=$(cd ../.. && pwd)/integration_config.yml
key=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sandbox_api_key"])' "$config")
mas_key=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sandbox_mas"]["api_key"])' "$config")
url=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sandbox_url"])' "$config")
wrong_key="wrong-key-7d1e0c5a9b3f"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

ANSIBLE_NOCOLOR=1 ansible-playbook -i ../../inventory -vvv play.yml -e "@$config" -e wrong_key="$wrong_key" "$@" >"$log" 2>&1 || {
  cat "$log"
  echo "the playbook failed"
  exit 1
}
lines=$(wc -l <"$log")
[ "$lines" -gt 200 ] || { cat "$log"; echo "expected a verbose log, got $lines lines"; exit 1; }
# The access tokens the MAS user API handed out during the run (the sandbox lists them for this check).
tokens=$(python -c 'import json, sys, urllib.request; print(" ".join(json.load(urllib.request.urlopen(sys.argv[1] + "/_sandbox/state"))["mas_tokens_issued"]))' "$url")
[ -n "$tokens" ] || { echo "expected the run to have used MAS access tokens"; exit 1; }
# shellcheck disable=SC2086  # one word per token
for secret in "$key" "$wrong_key" "$mas_key" prop-secret-4c8e2a6f1d $tokens; do
  if grep -n -F "$secret" "$log"; then
    echo "a secret appeared in the -vvv output above"
    exit 1
  fi
done
grep -q 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' "$log" || { echo "expected masked module arguments"; exit 1; }
echo "no secret in $lines lines of -vvv output"
