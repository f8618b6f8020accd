#!/usr/bin/env bash
# make test-real: the behaviour targets against a user's own non-production MAS Dedicated environment.
#   test-real.sh PYTHON COLLECTION_DIR REAL_ENV_FILE            (REAL_WRITES=1 adds the writes, with clean-up)
#   test-real.sh PYTHON COLLECTION_DIR --dry-run STATE_DIR      (the same against a sandbox, with sandbox_control off)
# REAL_ENV_FILE holds only URLs and keys (tests/integration/real-env.example.yml). It is copied into the
# collection's integration_config.yml with sandbox_control: false, and that copy is removed again at the end.
set -euo pipefail
python=${1:?python}
coll=${2:?collection directory}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(dirname "$python")
config="$coll/tests/integration/integration_config.yml"
targets=(real_readonly)
[ "${REAL_WRITES:-0}" = 1 ] && targets=(real_readonly real_writes)

write_config() {  # $1: the user's vars file; $2: writes allowed (true/false)
  "$python" - "$1" "$2" "$config" <<'PY'
import sys
import yaml
source, writes, dest = sys.argv[1:]
with open(source, encoding='utf-8') as handle:
    env = yaml.safe_load(handle) or {}
if not isinstance(env, dict):
    sys.exit('%s: expected a mapping of real_* variables' % source)
control = sorted(k for k in env if k.startswith('sandbox_'))
if control:
    sys.exit('%s: the behaviour targets take only URLs and keys; remove %s' % (source, ', '.join(control)))
if env.get('real_production', True) is not False:
    sys.exit('%s: set real_production: false (non-production environments only)' % source)
missing = [k for k in ('real_tools_url', 'real_manage_url', 'real_api_key') if not env.get(k)]
if missing:
    sys.exit('%s: missing %s' % (source, ', '.join(missing)))
env.setdefault('real_mas_api_url', '')
env.setdefault('real_cos', {})
env['sandbox_control'] = False
env['real_allow_writes'] = writes == 'true'
with open(dest, 'w', encoding='utf-8') as handle:
    yaml.safe_dump(env, handle)
PY
  chmod 600 "$config"
}

run_targets() {  # $@: targets
  (cd "$coll" && PATH="$bin:$PATH" ansible-test integration --python "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
     --color no "$@")
}

if [ "${1:-}" != --dry-run ]; then
  env_file=${1:?REAL_ENV file}
  [ -f "$env_file" ] || { echo "no such file: $env_file (copy tests/integration/real-env.example.yml)" >&2; exit 2; }
  trap 'rm -f "$config"' EXIT
  write_config "$env_file" "$([ "${REAL_WRITES:-0}" = 1 ] && echo true || echo false)"
  echo "== test-real: ${targets[*]} against $(grep -E '^real_manage_url' "$config" | cut -d' ' -f2-)"
  run_targets "${targets[@]}"
  exit 0
fi

# Dry run: a sandbox of its own, described to the targets with real_* variables only (no sandbox_url, so any
# control-plane call in a behaviour target fails as undefined). The control plane is then read from here.
state=${2:?state dir}
ctl="$top/tests/sandbox/ctl.sh"
"$ctl" stop "$python" "$state" >/dev/null 2>&1 || true
"$ctl" start "$python" "$state" >/dev/null
trap 'rm -f "$config"; "$ctl" stop "$python" "$state" >/dev/null' EXIT
ready="$state/ready.json"
url=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$ready")
"$python" - "$ready" "$state/real-env.yml" <<'PY'
import json
import sys
import yaml
ready = json.load(open(sys.argv[1]))
s3 = dict(ready['s3'])
s3.pop('direct_endpoint_url', None)
env = {'real_production': False, 'real_tools_url': ready['url'] + '/toolsapi', 'real_manage_url': ready['url'],
       'real_api_key': ready['api_key'], 'real_mas_api_url': ready['url'],
       'real_mas_api_key_id': ready['mas']['api_key_id'], 'real_mas_api_key': ready['mas']['api_key'],
       'real_cos': s3}
with open(sys.argv[2], 'w', encoding='utf-8') as handle:
    yaml.safe_dump(env, handle)
PY
chmod 600 "$state/real-env.yml"
methods() { curl -fsS "$url/_sandbox/requests" | "$python" -c 'import json,sys; print(" ".join(sorted(set(e["method"] for e in json.load(sys.stdin)))))'; }

echo "== test-real dry run (sandbox_control false): read-only targets"
write_config "$state/real-env.yml" false
curl -fsS -X DELETE "$url/_sandbox/requests" >/dev/null
run_targets real_readonly real_writes
seen=$(methods)
echo "   methods sent: $seen"
case " $seen " in *" PUT "*|*" POST "*|*" DELETE "*|*" PATCH "*) echo "read-only run sent a write: $seen" >&2; exit 1 ;; esac
[ -n "$seen" ] || { echo "read-only run sent nothing" >&2; exit 1; }

echo "== test-real dry run: with REAL_WRITES=1"
write_config "$state/real-env.yml" true
curl -fsS -X DELETE "$url/_sandbox/requests" >/dev/null
run_targets real_readonly real_writes
seen=$(methods)
echo "   methods sent: $seen"
case " $seen " in *" PUT "*) ;; *) echo "the writes run wrote nothing: $seen" >&2; exit 1 ;; esac
left=$("$python" - "$ready" <<'PY'
import json
import sys
import boto3
s3 = json.load(open(sys.argv[1]))['s3']
keys = s3['buckets']['custfile']
client = boto3.client('s3', endpoint_url=s3['endpoint_url'], aws_access_key_id=keys['access_key_id'],
                      aws_secret_access_key=keys['secret_access_key'], region_name='us-east-1')
print(client.list_objects_v2(Bucket=keys['bucket']).get('KeyCount', 0))
PY
)
[ "$left" = 0 ] || { echo "the writes run left $left object(s) behind" >&2; exit 1; }
echo "== test-real dry run passed: read-only by default, writes only when asked and cleaned up"
