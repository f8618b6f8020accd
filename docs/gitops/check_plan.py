#!/usr/bin/env python
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fail when a secret appears in a plan (the output of ansible-playbook --check --diff).

    check_plan.py plan.txt [--secrets-from FILE ...]

The secrets are the values of environment variables whose names look secret (MAS_API_KEY,
MAS_COS_SECRET_ACCESS_KEY, MAS_SMTP_PASSWORD, IBMCLOUD_API_KEY ...) and every text value of the YAML files
given with --secrets-from (vault-encrypted files are read through ``ansible-vault view``). Only the names of
leaked secrets are printed, never their values.
"""

from __future__ import (absolute_import, division, print_function)

import argparse
import os
import re
import subprocess
import sys

import yaml

SECRET_NAME = re.compile(r'(?i)(key|secret|passw|token|credential)')
MIN_LENGTH = 6  # shorter values (true, 443 ...) would match anywhere


def leaves(data, prefix=''):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, '%s%s.' % (prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, '%s%d.' % (prefix, index))
    elif isinstance(data, str):
        yield prefix.rstrip('.'), data


def secrets_from_file(path):
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    if text.startswith('$ANSIBLE_VAULT'):
        text = subprocess.run(['ansible-vault', 'view', path], check=True, capture_output=True, text=True).stdout
    return dict(('%s:%s' % (os.path.basename(path), name), value) for name, value in leaves(yaml.safe_load(text) or {}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('plan')
    parser.add_argument('--secrets-from', action='append', default=[], metavar='FILE')
    args = parser.parse_args(argv)
    secrets = dict(('$' + name, value) for name, value in os.environ.items() if SECRET_NAME.search(name))
    for path in args.secrets_from:
        secrets.update(secrets_from_file(path))
    with open(args.plan, encoding='utf-8', errors='replace') as handle:
        plan = handle.read()
    leaked = sorted(name for name, value in secrets.items() if len(value) >= MIN_LENGTH and value in plan)
    if leaked:
        print('secret values appear in %s: %s' % (args.plan, ', '.join(leaked)))
        return 1
    checked = sum(1 for value in secrets.values() if len(value) >= MIN_LENGTH)
    print('no secret in %s (%d secret values checked)' % (args.plan, checked))
    return 0


if __name__ == '__main__':
    sys.exit(main())
