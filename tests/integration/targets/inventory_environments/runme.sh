#!/usr/bin/env bash
# The Welcome Letter inventory through the real ansible-inventory: the docs' sample file, and a malformed one.
set -eu
# ansible-test runs a copy of this target; the collection itself (with docs/) is on ANSIBLE_COLLECTIONS_PATH.
top=""
IFS=: read -ra collection_paths <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${collection_paths[@]}"; do
  if [ -d "$path/ansible_collections/mas/dedicated/docs" ]; then top="$path/ansible_collections/mas/dedicated"; break; fi
done
[ -n "$top" ] || { echo "mas.dedicated with its docs/ not found on ANSIBLE_COLLECTIONS_PATH"; exit 1; }
sample="$top/docs/examples/inventory/acme.mas.yml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ANSIBLE_INVENTORY_UNPARSED_FAILED=true

ansible-inventory -i "$sample" --list >"$work/list.json"
python - "$work/list.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
hostvars = data['_meta']['hostvars']
def plain(value):
    return value.get('__ansible_unsafe', value) if isinstance(value, dict) else value
assert sorted(hostvars) == ['acme-dev', 'acme-prod', 'acme-test'], sorted(hostvars)
assert sorted(data['production']['hosts']) == ['acme-prod'], data['production']
assert sorted(data['non_production']['hosts']) == ['acme-dev', 'acme-test'], data['non_production']
assert sorted(data['acme']['hosts']) == ['acme-dev', 'acme-prod', 'acme-test'], data['acme']
prod = hostvars['acme-prod']
assert prod['mas_production'] is True and prod['mas_db_replica'] is True
assert plain(prod['mas_tools_url']) == 'https://maxinst.manage.acme.suite.maximo.com/toolsapi'
assert plain(prod['mas_logs_bucket']) == 'acme-prod-logs' and prod['mas_logs_bucket_read_only'] is True
print('inventory: 3 hosts, groups and variables as expected')
PY

# A playbook sees the same variables the roles read.
cat >"$work/play.yml" <<'YAML'
- name: Host variables from the Welcome Letter
  hosts: non_production
  gather_facts: false
  tasks:
    - name: The roles' variable names are set
      ansible.builtin.assert:
        that:
          - mas_instance == 'acme'
          - mas_production is false
          - mas_environment in ['dev', 'test']
          - mas_manage_url == 'https://main.manage.acme.suite.maximo.com'
YAML
ansible-playbook -i "$sample" -c local -e ansible_python_interpreter="$(command -v python)" "$work/play.yml"

# A malformed file fails with the file, the key and what to write.
cat >"$work/broken.mas.yml" <<'YAML'
plugin: mas.dedicated.environments
instance: acme
environments:
  dev:
    production: false
    cos:
      region: us-east
      buckets:
        logs: {name: acme-dev-logs, secret_access_key: oops}
YAML
if ansible-inventory -i "$work/broken.mas.yml" --list >"$work/out.txt" 2>&1; then
  cat "$work/out.txt"; echo "a malformed file was accepted"; exit 1
fi
grep -q 'environments.dev.cos.buckets.logs.secret_access_key: secrets stay out of the instance file' "$work/out.txt" || {
  cat "$work/out.txt"; echo "the error does not name the key"; exit 1; }
! grep -q oops "$work/out.txt" || { echo "the planted value was printed"; exit 1; }
echo "malformed file refused with a clear error"
