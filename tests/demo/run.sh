#!/usr/bin/env bash
# make demo: the main playbooks against the local sandbox, with a summary at the end.
#   run.sh PYTHON STATE_DIR
set -euo pipefail
python=${1:?python}
state=${2:?state dir}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(dirname "$python")
ctl="$top/tests/sandbox/ctl.sh"
out="$state/demo"
# Every run starts from nothing, so that what it prints is what this run did.
rm -rf "$out" && mkdir -p "$out"

"$ctl" start "$python" "$state"
trap '"$ctl" stop "$python" "$state" >/dev/null' EXIT
url=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$state/ready.json")
# Credentials come from the environment, as an AWX credential would inject them.
MAS_API_KEY=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["api_key"])' "$state/ready.json")
export MAS_API_KEY
# The MAS API key (id and key) of the user API, as an AWX credential would inject it.
MAS_CORE_API_KEY_ID=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["mas"]["api_key_id"])' "$state/ready.json")
MAS_CORE_API_KEY=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["mas"]["api_key"])' "$state/ready.json")
export MAS_CORE_API_KEY_ID MAS_CORE_API_KEY
# Start from the sandbox's initial state, even when it was already running (make sandbox, an earlier test).
curl -fsS -X POST "$url/_sandbox/reset" >/dev/null
curl -fsS -X POST "$url/_sandbox/config" -d '{"report_delay": 1, "stop_delay": 2, "start_delay": 3, "log_upload_delay": 2, "sync_delay": 1}' >/dev/null
s3() { "$python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["s3"]; print(eval(sys.argv[2], {}, r))' "$state/ready.json" "$1"; }

cat >"$out/inventory.yml" <<YAML
# One host per environment of the instance "demo"; URLs point at the sandbox instead of *.suite.maximo.com.
all:
  vars:
    # The modules run on the controller, in the virtualenv that has requests.
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    mas_instance: demo
    mas_tools_url: $url/toolsapi
    mas_manage_url: $url
    integrity_check_poll_interval: 0.5
    manage_poll_interval: 0.5
    integrity_check_report_dir: $out/reports
    mas_cos_endpoint_url: $(s3 endpoint_url)
    mas_logs_bucket: $(s3 'buckets["logs"]["bucket"]')
    mas_logs_access_key_id: $(s3 'buckets["logs"]["access_key_id"]')
    mas_logs_secret_access_key: "$(s3 'buckets["logs"]["secret_access_key"]')"
    collect_logs_dest: $out/logs/{{ inventory_hostname }}
    collect_logs_expected_bundles: 2
    collect_logs_poll_interval: 0.5
    mas_core_api_url: $url
    user_sync_entitlement: PREMIUM
    user_sync_manage_role: MANAGEUSER
    user_sync_poll_interval: 0.5
    user_sync_report_dir: $out/reports
  hosts:
    dev:
      mas_production: false
    prod:
      mas_production: true
YAML

playbook() { "$bin/ansible-playbook" -i "$out/inventory.yml" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Integrity check of dev: report, then repair only because errors were found"
playbook mas.dedicated.integrity_check -e target=dev -e integrity_check_mode=repair | tee "$out/1-integrity.txt"

step "2. The same run again: nothing to repair, nothing changes"
playbook mas.dedicated.integrity_check -e target=dev -e integrity_check_mode=repair | tee "$out/2-integrity-again.txt"

step "3. Restart Manage in dev through the Tools API, waiting until it answers again"
playbook mas.dedicated.restart_manage -e target=dev -e manage_state=restarted | tee "$out/3-restart.txt"

step "4. The same integrity check on prod: refused before any request is sent"
curl -fsS -X DELETE "$url/_sandbox/requests" >/dev/null
set +e
playbook mas.dedicated.integrity_check -e target=prod >"$out/4-prod.txt" 2>&1
prod_status=$?
set -e
grep -o 'Refused before sending anything[^"]*' "$out/4-prod.txt" | head -1 | sed 's/\\n/ /g'
sent_to_prod=$(curl -fsS "$url/_sandbox/requests" | "$python" -c 'import json,sys; print(len(json.load(sys.stdin)))')

step "5. Collect the Manage server logs of prod (allowed in production) into $out/logs"
playbook mas.dedicated.collect_logs -e target=prod | tee "$out/5-logs.txt"

step "6. Sync users from an HR export (CSV) to dev: the invalid user is caught before anything is sent"
playbook mas.dedicated.sync_users -e target=dev -e user_sync_source="$top/tests/demo/hr-users.csv" | tee "$out/6-users.txt"
grep -F '| tlong |' "$out/reports/dev-user-sync.md" || true
mas_users=$(curl -fsS "$url/_sandbox/state" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["mas_users"])')

step "7. The same sync again: nothing is written"
playbook mas.dedicated.sync_users -e target=dev -e user_sync_source="$top/tests/demo/hr-users.csv" | tee "$out/7-users-again.txt"

step "9. Onboard dev and prod of the instance from its Welcome Letter file (inventory plugin), then again"
# The Welcome Letter as an inventory source: no secret in it (keys come from the environment or a vault).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$out/replica.key" -out "$out/replica.arm" \
  -subj /CN=replica.demo.example.com 2>/dev/null
cat >"$out/demo.mas.yml" <<YAML
plugin: mas.dedicated.environments
instance: demo
cos:
  region: $(s3 region)
  endpoint: $(s3 endpoint_url)
environments:
  dev:
    production: false
    manage_url: $url
    tools_url: $url/toolsapi
    cos:
      buckets:
        custfile: {name: $(s3 'buckets["custfile"]["bucket"]')}
        logs: {name: $(s3 'buckets["logs"]["bucket"]'), read_only: true}
  prod:
    production: true
    manage_url: $url
    cos:
      buckets:
        custfile: {name: $(s3 'buckets["custfile"]["bucket"]')}
        logs: {name: $(s3 'buckets["logs"]["bucket"]'), read_only: true}
    db:
      host: replica.demo.example.com
      port: 50001
      database: BLUDB
      certificate: $out/replica.arm
      replica: true
YAML
cat >"$out/onboard-vars.yml" <<YAML
ansible_python_interpreter: $python
mas_custfile_access_key_id: $(s3 'buckets["custfile"]["access_key_id"]')
mas_custfile_secret_access_key: "$(s3 'buckets["custfile"]["secret_access_key"]')"
mas_logs_access_key_id: $(s3 'buckets["logs"]["access_key_id"]')
mas_logs_secret_access_key: "$(s3 'buckets["logs"]["secret_access_key"]')"
vault_kafka_password: demo-kafka-password
onboard_rclone_config: $out/rclone.conf
onboard_rclone_verify: true
onboard_db2_dsdriver_cfg: $out/db2dsdriver.cfg
onboard_case_dir: $out/cases
onboard_summary_dir: $out/onboarding
onboard_cases:
  - {kind: saml_sso, details: {name_id_format: email}}
onboard_kafka_endpoints:
  - {name: "KAFKA_{{ mas_environment | upper }}", topic: "demo-{{ mas_environment }}-cqin", bootstrap_servers: "broker-0:9093", password_var: vault_kafka_password}
# The Kafka cron task IBM provisions: its SRE-provisioned instance activated, and one outbound instance per environment
# (both environments reach the one sandbox Manage, so the names differ).
onboard_kafka_cron_instances:
  - {instancename: kafkacqin, active: true}
  - {instancename: "demo{{ mas_environment }}sqout", active: true, topic: "demo-{{ mas_environment }}-sqout", direction: outbound}
YAML
onboard() { ANSIBLE_INVENTORY_ENABLED=mas.dedicated.environments AWS_CA_BUNDLE="" \
  "$bin/ansible-playbook" -i "$out/demo.mas.yml" mas.dedicated.onboard -e "@$out/onboard-vars.yml"; }
onboard | tee "$out/9-onboard.txt"
onboard >"$out/9-onboard-again.txt"

recap() { grep -o 'changed=[0-9]*' "$1" | tail -1; }
counts() { grep -o 'errors=[0-9]* *warnings=[0-9]* *repaired=[0-9]*' "$1" | tail -1 | tr -s ' '; }
# ---- SQL script request (DB2) -------------------------------------------------------------------------------
step "8. Package a tested SQL script for IBM to run in prod (no DB2 server needed: the test date is recorded)"
cat >"$out/close_stuck_wo.sql" <<'SQL'
-- Close work orders the 2024-05 migration left waiting for approval.
SET SCHEMA maximo;
UPDATE workorder SET status = 'CLOSE' WHERE status = 'WAPPR' AND description LIKE 'MIGR;%';
COMMIT;
SQL
cat >"$out/sql_request.yml" <<YAML
request_sql_script_script: $out/close_stuck_wo.sql
request_sql_script_dest: $out/sql-request
request_sql_script_description: Closes the work orders the 2024-05 migration left waiting for approval.
request_sql_script_business_justification: They count as open backlog in the month-end report.
request_sql_script_technical_justification: Their parent records were removed, so the status change action refuses them.
request_sql_script_offline_backup: true
request_sql_script_tested_environment: dev
request_sql_script_tested_date: "2024-06-03"
YAML
playbook mas.dedicated.request_sql_script -e target=prod -e "@$out/sql_request.yml" | tee "$out/8-sql-request.txt"
playbook mas.dedicated.request_sql_script -e target=prod -e "@$out/sql_request.yml" >"$out/8-sql-request-again.txt"
sql_package="$(find "$out/sql-request" -type f -printf '%f ') ($(recap "$out/8-sql-request-again.txt") on re-run)"
if ! grep -q 'changed=0' "$out/8-sql-request-again.txt" || [ ! -s "$out/sql-request/case.md" ]; then
  echo "DEMO FAILED: the SQL script request package was not built once and only once" >&2
  exit 1
fi
# ---- end SQL script request ---------------------------------------------------------------------------------
# ---- promotion (configuration as code) ----------------------------------------------------------------------
step "10. Promote a script and a property from dev to prod: prod asked first is refused, then dev, then prod"
# prod is a Manage of its own (its own data and API key), so what it receives is what the promotion sends it.
prod_env=$(curl -fsS -X POST "$url/_sandbox/environments" -d '{"name": "prod"}')
prod_url=$(echo "$prod_env" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["url"])')
prod_key=$(echo "$prod_env" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
# prod's own Manage URL and key over the main inventory (a second inventory source, as an AWX credential would).
(umask 077 && cat >"$out/prod-manage.yml" <<YAML
all:
  hosts:
    prod: {mas_manage_url: "$prod_url", mas_api_key: "$prod_key", promote_mm_target: PROD}
YAML
)
mkdir -p "$out/config/scripts"
printf '# Upper-cases the asset description\ndesc = desc.upper()\n' >"$out/config/scripts/demo_asset_desc.py"
cat >"$out/promote.yml" <<YAML
promote_scripts:
  - {name: DEMO_ASSET_DESC, source_file: $out/config/scripts/demo_asset_desc.py, language: jython,
     launch_points: [{name: DEMO_ASSET_DESC, type: ATTRIBUTE, object: ASSET, attribute: DESCRIPTION, active: true}]}
promote_properties:
  - {name: mxe.cosbucketname, value: demo-attachments}
YAML
promote() { playbook -i "$out/prod-manage.yml" mas.dedicated.promote -e "@$out/promote.yml" "$@"; }
writes() { curl -fsS "$url/_sandbox/requests" | "$python" -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["method"] != "GET"))'; }
requests() { curl -fsS "$1/_sandbox/requests" | "$python" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
curl -fsS -X DELETE "$url/_sandbox/requests" >/dev/null
set +e
promote -e target=prod >"$out/10-promote-prod-first.txt" 2>&1
promote_prod_first=$?
set -e
grep -o 'Nothing was sent to production[^"]*' "$out/10-promote-prod-first.txt" | head -1
promote_prod_writes=$(( $(writes) + $(requests "$prod_url") ))
promote >"$out/10-promote.txt" 2>&1 || { cat "$out/10-promote.txt"; exit 1; }
grep -o '"[a-z]* ([a-z-]*production): [^"]*"' "$out/10-promote.txt"
held_on_prod() {  # what prod's own Manage REST holds: the script's first line and the property's value
  script=$(curl -fsS -H "apikey: $prod_key" "$prod_url/maximo/api/os/mxapiautoscript?lean=1&oslc.select=source&oslc.where=autoscript=%22DEMO_ASSET_DESC%22" \
    | "$python" -c 'import json,sys; m=json.load(sys.stdin)["member"]; print(m[0]["source"].splitlines()[0] if m else "(none)")')
  value=$(curl -fsS "$prod_url/_sandbox/state" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["manage_properties"]["mxe.cosbucketname"])')
  echo "prod's Manage holds DEMO_ASSET_DESC '$script', mxe.cosbucketname=$value"
}
prod_state=$(held_on_prod)
echo "$prod_state"
promote >"$out/10-promote-again.txt" 2>&1
if [ "$promote_prod_first" -eq 0 ] || [ "$promote_prod_writes" -ne 0 ] || grep -q 'changed=[1-9]' "$out/10-promote-again.txt" \
   || ! grep -q '"prod (production): 2 change(s) applied' "$out/10-promote.txt"; then
  echo "DEMO FAILED: prod was not refused before dev, did not receive both changes, or the re-run changed something" >&2
  exit 1
fi

step "11. The next change of the script, carried to prod by a Migration Manager package of dev (REST for the rest)"
# The package definition is the customer's, made in the Migration Manager application (the API cannot define one).
curl -fsS -X POST "$url/_sandbox/dm/packagedefs" -d '{"pkgdefname": "DEMOPROMO", "objects": {"mxapiautoscript": ["DEMO_ASSET_DESC"]}, "targets": [{"targetname": "PROD", "type": "database", "environment": "prod"}]}' >/dev/null
printf '# Title-cases the asset description\ndesc = desc.title()\n' >"$out/config/scripts/demo_asset_desc.py"
promote -e '{"promote_transport": "migration_manager", "promote_mm_package_definition": "DEMOPROMO"}' >"$out/11-promote-mm.txt" 2>&1 \
  || { cat "$out/11-promote-mm.txt"; exit 1; }
grep -o '"[a-z]* ([a-z-]*production): [^"]*"' "$out/11-promote-mm.txt"
held_on_prod
if ! grep -q 'by Migration Manager (package 1 of DEMOPROMO from dev): script DEMO_ASSET_DESC' "$out/11-promote-mm.txt"; then
  echo "DEMO FAILED: the Migration Manager package did not carry the script to prod" >&2
  exit 1
fi
# ---- end promotion ------------------------------------------------------------------------------------------
step "Summary"
echo "dev  integrity repair : $(counts "$out/1-integrity.txt") after the repair, $(recap "$out/1-integrity.txt")"
echo "dev  repair again     : $(counts "$out/2-integrity-again.txt"), nothing to repair, $(recap "$out/2-integrity-again.txt")"
echo "dev  Manage restart   : $(grep -o 'Manage [a-z]* -> [a-z]* (actions.*s)' "$out/3-restart.txt" | tail -1)"
echo "prod log collection   : $(grep -o 'request [0-9-]*, [0-9]* bundles, [0-9]* bytes in [0-9.]*s' "$out/5-logs.txt" | tail -1)"
echo "prod integrity check  : playbook exit $prod_status (refused), requests sent to the sandbox: $sent_to_prod"
echo "dev  user sync        : $(grep -o 'dev: [0-9][^;]*; Manage sync [^;]*' "$out/6-users.txt" | tail -1); users in MAS: $mas_users"
echo "dev  user sync again  : $(grep -o 'dev: [0-9][^;]*' "$out/7-users-again.txt" | tail -1) (only the report is rewritten)"
echo "prod SQL request pkg  : ${sql_package}"
echo "onboarding            : $(grep -o 'demo-[a-z]* ([a-z-]*production): [^;]*' "$out/9-onboard.txt" | sed 's/; summary.*//' | paste -sd '|' | sed 's/|/\n                        /g')"
echo "onboarding again      : $(grep -o 'demo-[a-z]* *: ok=[0-9]* *changed=[0-9]*' "$out/9-onboard-again.txt" | tr -s ' ' | paste -sd ',' )"
echo "promotion prod first  : playbook exit $promote_prod_first (refused, dev must go first), writes sent: $promote_prod_writes"
echo "promotion dev -> prod : $(grep -o '"prod (production): [^"]*' "$out/10-promote.txt" | tr -d '"'); re-run (the role runs on dev, the play's first host): $(grep -o 'dev *: ok=[0-9]* *changed=[0-9]*' "$out/10-promote-again.txt" | tr -s ' ')"
echo "promotion by package  : $(grep -o '"prod (production): [^"]*' "$out/11-promote-mm.txt" | tr -d '"')"
echo "reports written       : $(find "$out/reports" -type f -printf '%f ')"
echo "full output           : $out"
if [ "$prod_status" -eq 0 ] || [ "$sent_to_prod" -ne 0 ]; then
  echo "DEMO FAILED: production was not refused up front" >&2
  exit 1
fi
if ! grep -q 'repaired=3' "$out/1-integrity.txt" || ! grep -q 'changed=0' "$out/2-integrity-again.txt"; then
  echo "DEMO FAILED: the repair did not run once and only once" >&2
  exit 1
fi
if [ "$mas_users" -ne 3 ] || ! grep -q 'dev: 3 unchanged, 1 invalid' "$out/7-users-again.txt"; then
  echo "DEMO FAILED: the invalid user was sent, or the re-run wrote something" >&2
  exit 1
fi
if grep -q 'changed=[1-9]' "$out/9-onboard-again.txt"; then
  echo "DEMO FAILED: the second onboarding run changed something" >&2
  exit 1
fi
echo "demo finished: OK"
