#!/usr/bin/env bash
# manage_api_key against the sandbox at -vvv: four-step idempotency, rotation, absent, 0600 files, and no key
# (new, rotated or the task's own) anywhere in the output.
set -eu
config=$(cd ../.. && pwd)/integration_config.yml
key=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sandbox_api_key"])' "$config")
work=$(mktemp -d)
log="$work/run.log"
trap 'rm -rf "$work"' EXIT

ANSIBLE_NOCOLOR=1 ansible-playbook -i ../../inventory -vvv play.yml -e "@$config" -e workdir="$work" "$@" >"$log" 2>&1 || {
  cat "$log"
  echo "the playbook failed"
  exit 1
}
grep -q 'censored' "$log" || { cat "$log"; echo "expected the results that carry a new key to be censored"; exit 1; }
for file in key1.txt key2.txt; do
  [ -s "$work/$file" ] || { echo "$file was not written"; exit 1; }
done
secrets="$key $(cat "$work/key1.txt") $(cat "$work/key2.txt")"
for secret in $secrets; do
  if grep -n -F "$secret" "$log"; then
    echo "a key appeared in the -vvv output above"
    exit 1
  fi
done
echo "no key in $(wc -l <"$log") lines of -vvv output"
