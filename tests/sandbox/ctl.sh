#!/usr/bin/env bash
# Start, stop or describe the local MAS Dedicated sandbox.
#   ctl.sh start|stop|config|status PYTHON STATE_DIR
set -euo pipefail
action=${1:?start, stop, config or status}
python=${2:?python interpreter}
case "$python" in /*) ;; */*) python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")" ;; esac
state=${3:?state directory}
mkdir -p "$state" && state=$(cd "$state" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
ready="$state/ready.json"
pidfile="$state/sandbox.pid"
mkdir -p "$state"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
field() { "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$ready" "$1"; }

case "$action" in
  start)
    if running && [ -f "$ready" ]; then
      echo "sandbox already running at $(field url)"
      exit 0
    fi
    rm -f "$ready"
    (cd "$here/.." && exec "$python" -m sandbox --host 127.0.0.1 --port "${SANDBOX_PORT:-0}" --ready-file "$ready" \
       >"$state/sandbox.log" 2>&1) &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      [ -f "$ready" ] && break
      running || { echo "sandbox failed to start:"; cat "$state/sandbox.log"; exit 1; }
      sleep 0.1
    done
    [ -f "$ready" ] || { echo "sandbox did not become ready in 10s"; exit 1; }
    echo "sandbox running at $(field url) (test API key: $(field api_key); log: $state/sandbox.log)"
    ;;
  stop)
    if running; then
      kill "$(cat "$pidfile")"
      for _ in $(seq 1 50); do running || break; sleep 0.1; done
      running && kill -9 "$(cat "$pidfile")"
      echo "sandbox stopped"
    fi
    rm -f "$pidfile" "$ready"
    ;;
  config)
    # Variables for the integration targets (JSON is YAML): the URL, the API key and the S3 buckets with their keys.
    "$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps({"sandbox_url": r["url"], "sandbox_api_key": r["api_key"], "sandbox_s3": r.get("s3", {}), "sandbox_mas": r.get("mas", {})}, indent=2))' "$ready"
    ;;
  status)
    if running; then echo "running at $(field url)"; else echo "not running"; exit 1; fi
    ;;
  *)
    echo "unknown action: $action" >&2
    exit 2
    ;;
esac
