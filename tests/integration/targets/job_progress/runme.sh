#!/usr/bin/env bash
# A 1,000-file cos_sync run with async and waited for with job_progress: progress lines appear while it runs.
set -eu
config=$(cd ../.. && pwd)/integration_config.yml
work=$(mktemp -d)
log="$work/play.log"
trap 'rm -rf "$work"' EXIT
unset AWS_CA_BUNDLE

ANSIBLE_NOCOLOR=1 ansible-playbook -i ../../inventory play.yml -e "@$config" -e work="$work" "$@" >"$log" 2>&1 || {
  cat "$log"
  echo "the playbook failed"
  exit 1
}
# Lines such as "testhost: cos_sync upload: 412 of 1,000 files, 6 MiB of 15 MiB, 1.2 MiB/s, 3s", counts rising.
counts=$(grep -oE 'cos_sync upload: [0-9,]+ of 1,000 files' "$log" | grep -oE '[0-9,]+ of' | tr -d ', of' | uniq)
echo "progress lines while uploading: $(echo "$counts" | tr '\n' ' ')"
n=$(echo "$counts" | grep -c . || true)
[ "$n" -ge 2 ] || { cat "$log"; echo "expected at least two different progress lines, got $n"; exit 1; }
sorted=$(echo "$counts" | sort -n)
[ "$counts" = "$sorted" ] || { echo "progress went backwards: $counts"; exit 1; }
grep -qE 'cos_sync download: [0-9,]+ of 1,000 files' "$log" || { cat "$log"; echo "no download progress line"; exit 1; }
if grep -n 'wrong-secret-for-the-test' "$log"; then echo "the secret appeared in the output"; exit 1; fi
echo "job_progress: ok"
