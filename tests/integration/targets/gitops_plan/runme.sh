#!/usr/bin/env bash
# The GitOps pattern of docs/gitops on the docs' sample inventory: the change proposal's plan (--check --diff)
# shows the changes and no secret; the merge applies them; a second plan is empty.
set -eu
# ansible-test runs a copy of this target; the collection itself (with docs/) is on ANSIBLE_COLLECTIONS_PATH.
top=""
IFS=: read -ra collection_paths <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${collection_paths[@]}"; do
  if [ -d "$path/ansible_collections/mas/dedicated/docs" ]; then top="$path/ansible_collections/mas/dedicated"; break; fi
done
[ -n "$top" ] || { echo "mas.dedicated with its docs/ not found on ANSIBLE_COLLECTIONS_PATH"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo/inventory" "$repo/group_vars/all"
cp "$top/docs/gitops/site.yml" "$top/docs/gitops/check_plan.py" "$repo/"
cp "$top/docs/gitops/group_vars/"*.yml "$repo/group_vars/"
cp "$top/docs/examples/inventory/acme.mas.yml" "$repo/inventory/"

# What the vault holds in a real repository (plain here); planted values the plan must never show.
python - "$repo/group_vars/all/vault.yml" <<'PY'
import sys, yaml
secrets = {}
for role in ('custfile', 'logs'):
    secrets['mas_%s_access_key_id' % role] = 'plantedkeyid%s0a1b2c' % role
    secrets['mas_%s_secret_access_key' % role] = 'planted-secret-%s-9f8e7d6c5b4a' % role
yaml.safe_dump(secrets, open(sys.argv[1], 'w'))
PY
printf -- '---\nansible_python_interpreter: %s\n' "$(command -v python)" > "$repo/group_vars/all/interpreter.yml"
export MAS_SMTP_PASSWORD=planted-smtp-password-77c1
export RCLONE_CONFIG="$repo/rclone.conf"
export ANSIBLE_NOCOLOR=1

plan() { (cd "$repo" && ansible-playbook -i inventory/ site.yml --check --diff); }
plan >"$work/plan.txt" 2>&1 || { cat "$work/plan.txt"; echo "the plan failed"; exit 1; }
grep -q 'changed=' "$work/plan.txt"
grep -q '^+\[acme-prod-logs\]' "$work/plan.txt" || { cat "$work/plan.txt"; echo "the plan shows no rclone remote"; exit 1; }
grep -q 'SMTP password:\*\* not included' "$work/plan.txt" || { cat "$work/plan.txt"; echo "the plan shows no case"; exit 1; }
if [ -e "$RCLONE_CONFIG" ] || [ -e "$repo/cases" ]; then echo "check mode wrote files"; exit 1; fi
(cd "$repo" && python check_plan.py "$work/plan.txt" --secrets-from group_vars/all/vault.yml) || {
  echo "a secret appeared in the plan"; exit 1; }

# The checker itself can fail: a plan with a leaked value is refused, naming the variable only.
cp "$work/plan.txt" "$work/leaky.txt"
echo "secret_access_key = planted-secret-logs-9f8e7d6c5b4a" >>"$work/leaky.txt"
if (cd "$repo" && python check_plan.py "$work/leaky.txt" --secrets-from group_vars/all/vault.yml) >"$work/leak.out"; then
  echo "the checker missed a leaked secret"; exit 1
fi
grep -q 'vault.yml:mas_logs_secret_access_key' "$work/leak.out" && ! grep -q planted "$work/leak.out"

# The merge applies the plan; the next plan has nothing to change.
(cd "$repo" && ansible-playbook -i inventory/ site.yml) >"$work/apply.txt" 2>&1 || { cat "$work/apply.txt"; exit 1; }
grep -q 'acme-prod-logs' "$RCLONE_CONFIG" && [ -f "$repo/cases/acme-dev/smtp/case.md" ]
plan >"$work/plan2.txt" 2>&1 || { cat "$work/plan2.txt"; exit 1; }
if grep -E 'changed=[1-9]' "$work/plan2.txt"; then cat "$work/plan2.txt"; echo "the plan after apply is not empty"; exit 1; fi
echo "plan shows the changes without secrets; apply then an empty plan"
