#!/usr/bin/env bash
# The generated bad-input suite: every option of every module with the bad values of its kind, run as module
# processes against the sandbox (see bad_inputs.py). It prints its figures; any case that is not a clear
# fail_json, or that leaves a traceback, a request or a write behind, fails the target.
set -eu
config=$(cd ../.. && pwd)/integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The collection under test: the one ansible-test puts on ANSIBLE_COLLECTIONS_PATH, else the checkout this target is in.
root=
IFS=: read -ra paths <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${paths[@]}"; do
  if [ -d "$path/ansible_collections/mas/dedicated/plugins/modules" ]; then root=$path; break; fi
done
[ -n "$root" ] || root=$(cd ../../../../../../.. && pwd)
echo "collection under test: $root/ansible_collections/mas/dedicated"
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" python bad_inputs.py "$config" "$work" --workers "${BAD_INPUTS_WORKERS:-2}" "$@"
