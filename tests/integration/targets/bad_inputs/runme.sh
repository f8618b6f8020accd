#!/usr/bin/env bash
# The generated bad-input suite: every option of every module with the bad values of its kind, run as module
# processes against the sandbox (see bad_inputs.py). It prints its figures; any case that is not a clear
# fail_json, or that leaves a traceback, a request or a write behind, fails the target.
set -eu
config=$(cd ../.. && pwd)/integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The collection under test: this target lives in ansible_collections/mas/dedicated/tests/integration/targets.
root=$(cd ../../../../../../.. && pwd)
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" python bad_inputs.py "$config" "$work" --workers "${BAD_INPUTS_WORKERS:-2}" "$@"
