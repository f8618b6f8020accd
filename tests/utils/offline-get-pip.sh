#!/usr/bin/env bash
# ansible-test bootstraps pip in its sanity/units virtualenvs with a get-pip script downloaded from a host that
# only the package registries can stand in for here. This writes a stand-in into ansible-test's cache: it
# bootstraps the pip bundled with Python (ensurepip) and then installs the requested pip from the package index.
#   offline-get-pip.sh PYTHON
set -euo pipefail
python=${1:?python of the virtualenv that has ansible-test}
version=$("$python" - <<'PY'
import re, ansible_test, os
path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
print(re.search(r"pip='([0-9.]+)'", open(path).read()).group(1))
PY
)
cache="$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
# ansible-test runs pip with a cleaned environment, so a CA bundle this machine needs for the package index
# (PIP_CERT and friends) is written into each new virtualenv's pip.conf by the stand-in.
cert=${PIP_CERT:-${REQUESTS_CA_BUNDLE:-${SSL_CERT_FILE:-}}}
mkdir -p "$(dirname "$cache")"
cat >"$cache.tmp" <<PY
"""Stand-in for get-pip.py written by mas.dedicated's tests/utils/offline-get-pip.sh."""
import os
import subprocess
import sys

CERT = "$cert"
if CERT and os.path.exists(CERT):
    with open(os.path.join(sys.prefix, 'pip.conf'), 'w') as conf:
        conf.write('[global]\ncert = %s\n' % CERT)
# In a child process: ensurepip points PIP_CONFIG_FILE at /dev/null in the process that calls it.
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade'])
args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))
PY
if cmp -s "$cache.tmp" "$cache"; then rm "$cache.tmp"; exit 0; fi
mv "$cache.tmp" "$cache"
echo "wrote the offline get-pip stand-in $cache"
