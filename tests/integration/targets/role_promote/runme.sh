#!/usr/bin/env bash
# The promote role against the sandbox: one Manage, reached as two environments of the instance "acme" (dev,
# non-production, and prod, production). Production first is refused with nothing sent; a --check --diff plan of dev
# and prod refuses prod too (dev does not hold the configuration yet) and writes nothing; the run applies dev then
# prod; the check and the run again change nothing; a script changed after dev's apply is refused for prod. No
# secret (the Kafka password, a secret property value, the API key) appears in any output.
set -eu
config=$(cd ../.. && pwd)/integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
setting() { python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$config" "$1"; }
url=$(setting sandbox_url)
key=$(setting sandbox_api_key)
sandbox() {  # METHOD PATH [JSON [URL]]: a sandbox control call, its JSON on stdout
  python - "${4:-$url}" "$1" "$2" "${3:-}" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + sys.argv[3], method=sys.argv[2],
                                 data=sys.argv[4].encode() if sys.argv[2] != 'GET' else None)
with urllib.request.urlopen(request) as response:
    body = response.read()
print(body.decode() if body else 'null')
PY
}
writes() {  # the number of requests since the last reset of the log that were not GET [of the sandbox at URL]
  sandbox GET /_sandbox/requests '' "${1:-$url}" | python -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["method"] != "GET"))'
}
sandbox POST /_sandbox/reset >/dev/null

kafka_password='kafka-Secret-4711'
prop_secret='prop-Secret-0815'
cat >"$work/inventory.yml" <<YAML
all:
  vars:
    mas_instance: acme
    mas_manage_url: "$url"
    mas_api_key: "$key"
    ansible_connection: local
    ansible_python_interpreter: "$(command -v python)"
    vault_kafka_password: "$kafka_password"
    vault_prop_secret: "$prop_secret"
  hosts:
    acme-prod: {mas_environment: prod, mas_production: true}
    acme-dev: {mas_environment: dev, mas_production: false}
YAML
mkdir -p "$work/scripts"
printf '# promoted by mas.dedicated.promote\ndesc = desc.upper()\n' >"$work/scripts/acme_promo.py"
cat >"$work/config.yml" <<YAML
promote_scripts:
  - name: acme_promo
    source_file: $work/scripts/acme_promo.py
    language: jython
    description: Promoted from dev to prod
    launch_points:
      - {name: acme_promo, type: ATTRIBUTE, object: asset, attribute: description, active: true}
promote_properties:
  - {name: mxe.cosbucketname, value: acme-promo}
  - {name: mxe.doclink.securedAttachment, value: "true", live_refresh: true}
  - {name: mxe.cossecretkey, secret_var: vault_prop_secret}
promote_kafka_endpoints:
  - {name: KAFKA_PROMO, topic: acme-promo, bootstrap_servers: "broker-0.example.com:9093", password_var: vault_kafka_password}
promote_kafka_cron_instances:
  - {instancename: kafkacqin, active: true, schedule: "30s,*,*,*,*,*,*,*,*,*"}
YAML
run() { ansible-playbook -i "$work/inventory.yml" mas.dedicated.promote -e "@$work/config.yml" "$@"; }
nosecret() {
  if grep -q -e "$kafka_password" -e "$prop_secret" -e "$key" "$1"; then echo "FAIL: a secret in $1"; exit 1; fi
}

echo '== production first (only prod in the play): refused, nothing sent'
sandbox DELETE /_sandbox/requests >/dev/null
if run -e target=acme-prod >"$work/1.txt" 2>&1; then cat "$work/1.txt"; echo 'FAIL: prod first was not refused'; exit 1; fi
grep -q 'Nothing was sent to production acme-prod: script ACME_PROMO, property mxe.cosbucketname, property mxe.doclink.securedAttachment, mxapiendpoint KAFKA_PROMO, mxapicrontaskdef Kafka not live' "$work/1.txt" || { cat "$work/1.txt"; echo FAIL: message; exit 1; }
grep -q 'apply this configuration to acme-dev first' "$work/1.txt" || { cat "$work/1.txt"; echo FAIL: names dev; exit 1; }
[ "$(writes)" = 0 ] || { echo "FAIL: prod first wrote"; exit 1; }
nosecret "$work/1.txt"

echo '== check mode of dev and prod: dev planned, prod refused (dev does not hold it yet), nothing written'
if run --check --diff >"$work/2.txt" 2>&1; then cat "$work/2.txt"; echo 'FAIL: check mode did not refuse prod'; exit 1; fi
grep -q 'Automation scripts: plan on acme-dev' "$work/2.txt"
grep -q '+desc = desc.upper()' "$work/2.txt" || { cat "$work/2.txt"; echo FAIL: no diff; exit 1; }
grep -q 'apply this configuration to acme-dev first' "$work/2.txt"
[ "$(writes)" = 0 ] || { echo "FAIL: check mode wrote"; exit 1; }
nosecret "$work/2.txt"

echo '== apply: dev, then prod from dev'
run --diff -v >"$work/3.txt" 2>&1 || { cat "$work/3.txt"; exit 1; }
grep -q 'acme-dev (non-production): [1-9][0-9]* change(s) applied' "$work/3.txt" || { cat "$work/3.txt"; echo FAIL: dev; exit 1; }
grep -q 'acme-dev holds the configuration: 1 script(s) live there by SHA-256' "$work/3.txt" || { cat "$work/3.txt"; echo FAIL: verify; exit 1; }
grep -q 'acme-prod (production): 0 change(s) applied, from acme-dev' "$work/3.txt" || { cat "$work/3.txt"; echo FAIL: prod; exit 1; }
grep -Eq 'acme-prod *: ok=[0-9]+ +changed=[1-9]' "$work/3.txt" || { cat "$work/3.txt"; echo FAIL: changed; exit 1; }
[ "$(writes)" -gt 0 ]
nosecret "$work/3.txt"

echo '== check and run again: nothing changes'
sandbox DELETE /_sandbox/requests >/dev/null
run --check --diff >"$work/4.txt" 2>&1 || { cat "$work/4.txt"; exit 1; }
run >"$work/5.txt" 2>&1 || { cat "$work/5.txt"; exit 1; }
for f in 4 5; do
  grep -Eq 'acme-prod *: ok=[0-9]+ +changed=0 ' "$work/$f.txt" || { cat "$work/$f.txt"; echo "FAIL: step $f changed"; exit 1; }
  grep -Eq 'acme-dev +: ok=[0-9]+ +changed=0 ' "$work/$f.txt" || { cat "$work/$f.txt"; echo "FAIL: step $f changed"; exit 1; }
  nosecret "$work/$f.txt"
done
[ "$(writes)" = 0 ] || { echo "FAIL: the re-runs wrote"; exit 1; }

echo '== the script changed in git after dev was applied: prod is refused, nothing sent'
printf '# promoted by mas.dedicated.promote\ndesc = desc.lower()\n' >"$work/scripts/acme_promo.py"
if run -e '{"promote_order": ["acme-prod"]}' >"$work/6.txt" 2>&1; then cat "$work/6.txt"; echo 'FAIL: not refused'; exit 1; fi
grep -q 'Nothing was sent to production acme-prod: script ACME_PROMO not live, identical, on acme-dev' "$work/6.txt" || { cat "$work/6.txt"; echo FAIL: message; exit 1; }
[ "$(writes)" = 0 ] || { echo "FAIL: the refused prod run wrote"; exit 1; }
nosecret "$work/6.txt"

echo '== an instance without non-production environment, and a property with both value and secret_var: refused'
cat >"$work/other.yml" <<YAML
all:
  vars: {mas_manage_url: "$url", mas_api_key: "$key", ansible_connection: local, ansible_python_interpreter: "$(command -v python)"}
  hosts:
    other-prod: {mas_instance: other, mas_environment: prod, mas_production: true}
YAML
if ansible-playbook -i "$work/other.yml" mas.dedicated.promote -e "@$work/config.yml" >"$work/7.txt" 2>&1; then cat "$work/7.txt"; echo 'FAIL: not refused'; exit 1; fi
grep -q 'Nothing was sent to production other-prod: instance other has no non-production environment' "$work/7.txt" || { cat "$work/7.txt"; echo FAIL: message; exit 1; }
if run -e '{"promote_properties": [{"name": "mxe.cosbucketname", "value": "x", "secret_var": "vault_prop_secret"}]}' >"$work/8.txt" 2>&1; then cat "$work/8.txt"; echo 'FAIL: not refused'; exit 1; fi
grep -q 'Nothing was sent: property mxe.cosbucketname needs a name and exactly one of value and secret_var' "$work/8.txt" || { cat "$work/8.txt"; echo FAIL: message; exit 1; }
[ "$(writes)" = 0 ] || { echo "FAIL: a refused run wrote"; exit 1; }
nosecret "$work/7.txt"; nosecret "$work/8.txt"

echo '== migration_manager: prod is its own Manage; a package of dev carries the script and a property, REST the rest'
sandbox POST /_sandbox/reset >/dev/null
prod=$(sandbox POST /_sandbox/environments '{"name": "prod"}')
prod_url=$(echo "$prod" | python -c 'import json,sys; print(json.load(sys.stdin)["url"])')
prod_key=$(echo "$prod" | python -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
sandbox POST /_sandbox/dm/packagedefs '{"pkgdefname": "ACMEPROMO", "objects": {"mxapiautoscript": ["ACME_PROMO"], "mxapiproperty": ["mxe.cosbucketname"]}, "targets": [{"targetname": "PROD", "type": "database", "environment": "prod"}]}' >/dev/null
printf '# promoted by mas.dedicated.promote\ndesc = desc.upper()\n' >"$work/scripts/acme_promo.py"
cat >"$work/mm.yml" <<YAML
all:
  vars:
    mas_instance: acme
    ansible_connection: local
    ansible_python_interpreter: "$(command -v python)"
    vault_kafka_password: "$kafka_password"
    vault_prop_secret: "$prop_secret"
  hosts:
    acme-dev: {mas_environment: dev, mas_production: false, mas_manage_url: "$url", mas_api_key: "$key"}
    acme-prod: {mas_environment: prod, mas_production: true, mas_manage_url: "$prod_url", mas_api_key: "$prod_key",
                promote_mm_target: PROD}
YAML
mm() { ansible-playbook -i "$work/mm.yml" mas.dedicated.promote -e "@$work/config.yml" \
         -e '{"promote_transport": "migration_manager", "promote_mm_package_definition": "ACMEPROMO"}' "$@"; }
nokey() { nosecret "$1"; if grep -q -e "$prod_key" "$1"; then echo "FAIL: prod's key in $1"; exit 1; fi; }
sandbox DELETE /_sandbox/requests >/dev/null
if mm -e target=acme-prod >"$work/9.txt" 2>&1; then cat "$work/9.txt"; echo 'FAIL: prod first was not refused'; exit 1; fi
grep -q 'Nothing was sent to production acme-prod' "$work/9.txt" || { cat "$work/9.txt"; echo FAIL: message; exit 1; }
[ "$(writes)" = 0 ] || { echo "FAIL: prod first sent a write (dm/create?) to dev"; exit 1; }
[ "$(sandbox GET /_sandbox/requests '' "$prod_url")" = '[]' ] || { echo "FAIL: prod first reached prod"; exit 1; }
nokey "$work/9.txt"
mm -e target=acme-dev >"$work/10.txt" 2>&1 || { cat "$work/10.txt"; exit 1; }
grep -q 'acme-dev (non-production): 5 change(s) applied; by REST: script ACME_PROMO, property mxe.cosbucketname, property mxe.doclink.securedAttachment, mxapiendpoint KAFKA_PROMO, mxapicrontaskdef Kafka' "$work/10.txt" || { cat "$work/10.txt"; echo FAIL: dev summary; exit 1; }
[ "$(sandbox GET /_sandbox/requests '' "$prod_url")" = '[]' ] || { echo "FAIL: dev's run reached prod"; exit 1; }
sandbox DELETE /_sandbox/requests >/dev/null
mm --check >"$work/10c.txt" 2>&1 || { cat "$work/10c.txt"; exit 1; }
grep -q 'acme-prod (production): 5 change(s) planned, from acme-dev (identical, read back first); planned for Migration Manager (a package of ACMEPROMO from acme-dev), what it does not carry then by REST: script ACME_PROMO, property mxe.cosbucketname, property mxe.doclink.securedAttachment' "$work/10c.txt" || { cat "$work/10c.txt"; echo FAIL: check summary; exit 1; }
if [ "$(writes)" != 0 ] || [ "$(writes "$prod_url")" != 0 ]; then echo "FAIL: check mode wrote (a package?)"; exit 1; fi
mm >"$work/10.txt" 2>&1 || { cat "$work/10.txt"; exit 1; }
grep -q 'acme-dev (non-production): 0 change(s) applied; by REST: nothing' "$work/10.txt" || { cat "$work/10.txt"; echo FAIL: dev summary; exit 1; }
grep -q 'acme-prod (production): 5 change(s) applied, from acme-dev (identical, read back first); by Migration Manager (package 1 of ACMEPROMO from acme-dev): script ACME_PROMO, property mxe.cosbucketname; by REST: property mxe.doclink.securedAttachment, mxapiendpoint KAFKA_PROMO, mxapicrontaskdef Kafka' "$work/10.txt" || { cat "$work/10.txt"; echo FAIL: prod summary; exit 1; }
sandbox GET /_sandbox/state '' "$prod_url" | python -c '
import json, sys
state = json.load(sys.stdin)
assert state["dm_deployments"] == [{"pkgdefname": "ACMEPROMO", "dmpackageid": 1, "records": [
    "mxapiautoscript ACME_PROMO", "mxapiproperty mxe.cosbucketname"]}], state["dm_deployments"]
assert state["manage_properties"]["mxe.cosbucketname"] == "acme-promo", state["manage_properties"]
assert state["admin_mode_history"] == [], state["admin_mode_history"]
' || { echo 'FAIL: prod state'; exit 1; }
nokey "$work/10.txt"
sandbox DELETE /_sandbox/requests >/dev/null
sandbox DELETE /_sandbox/requests '' "$prod_url" >/dev/null
mm >"$work/11.txt" 2>&1 || { cat "$work/11.txt"; exit 1; }
grep -Eq 'acme-prod *: ok=[0-9]+ +changed=0 ' "$work/11.txt" || { cat "$work/11.txt"; echo "FAIL: the re-run changed prod"; exit 1; }
if [ "$(writes)" != 0 ] || [ "$(writes "$prod_url")" != 0 ]; then echo "FAIL: the re-run wrote (a package?)"; exit 1; fi
nokey "$work/11.txt"
echo '== migration_manager: a package that needs admin mode, without promote_mm_admin_mode: refused, admin mode untouched'
sandbox POST /_sandbox/dm/packagedefs '{"pkgdefname": "ACMEADMIN", "objects": {"mxapiautoscript": ["ACME_PROMO"]}, "admin_mode": true, "targets": [{"targetname": "PROD", "type": "database", "environment": "prod"}]}' >/dev/null
printf '# promoted by mas.dedicated.promote\ndesc = desc.title()\n' >"$work/scripts/acme_promo.py"
if mm -e '{"promote_mm_package_definition": "ACMEADMIN"}' >"$work/12.txt" 2>&1; then cat "$work/12.txt"; echo 'FAIL: not refused'; exit 1; fi
grep -q 'acme-prod: Nothing was deployed: package 2 of ACMEADMIN needs Manage in admin mode (BMXAA0578E).' "$work/12.txt" || { cat "$work/12.txt"; echo FAIL: message; exit 1; }
grep -q 'For this role: set promote_mm_admin_mode: true' "$work/12.txt" || { cat "$work/12.txt"; echo FAIL: role hint; exit 1; }
sandbox GET /_sandbox/state '' "$prod_url" | python -c '
import json, sys
state = json.load(sys.stdin)
assert state["admin_mode"] == 0 and state["admin_mode_history"] == [], state
assert len(state["dm_deployments"]) == 1, state["dm_deployments"]
' || { echo 'FAIL: prod state after the refused deployment'; exit 1; }
nokey "$work/12.txt"
echo 'role_promote: all steps as expected'
