#!/usr/bin/env bash
# The onboarding through ansible-runner, the engine AWX and Automation Platform use, against the sandbox:
# an inventory from a Welcome Letter file, credentials as environment variables (what an AWX credential injects),
# a --check --diff plan that writes nothing, a first run that changes both environments, a second run that changes
# nothing, and no secret in any artifact (the plan's diff included); environments that would share a DSN, or a bad
# case request, stop the play before anything is written.
set -eu
config=$(cd ../.. && pwd)/integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python onboard_runner.py "$config" "$work"
