# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential types under docs/awx inject exactly the environment variables the collection reads."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
TYPES = sorted(glob.glob(os.path.join(ROOT, 'docs', 'awx', 'credential_types', '*.yml')))
SECRET_ID = re.compile(r'(key|secret|password)')


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def env_vars_read():
    """Every name in an env_fallback list of the collection's Python code."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, 'plugins', '**', '*.py'), recursive=True):
        for group in re.findall(r'env_fallback,\s*\[([^\]]*)\]', read(path)):
            names.update(re.findall(r"'([A-Z0-9_]+)'", group))
    return names


def documented_env_vars():
    """Every E(NAME) of the module docs and doc fragments."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, 'plugins', '**', '*.py'), recursive=True):
        names.update(re.findall(r'E\(([A-Z0-9_]+)\)', read(path)))
    return names


def test_there_are_credential_types():
    assert len(TYPES) >= 3


def test_the_scan_finds_the_known_fallbacks():
    # Guards the scan itself: if it found nothing, every injector check below would be vacuous.
    assert {'MAS_API_KEY', 'MAS_COS_SECRET_ACCESS_KEY', 'MAS_SMTP_PASSWORD', 'IBMCLOUD_API_KEY'} <= env_vars_read()


@pytest.mark.parametrize('path', TYPES, ids=os.path.basename)
def test_every_injected_variable_is_read_and_documented(path):
    definition = yaml.safe_load(read(path))
    injected = set(definition['injectors']['env'])
    assert injected, 'no injectors'
    unknown = injected - env_vars_read()
    assert not unknown, '%s injects variables no module reads: %s' % (os.path.basename(path), sorted(unknown))
    undocumented = injected - documented_env_vars()
    assert not undocumented, 'not documented with E(...): %s' % sorted(undocumented)


@pytest.mark.parametrize('path', TYPES, ids=os.path.basename)
def test_injectors_use_declared_fields_and_secrets_are_marked(path):
    definition = yaml.safe_load(read(path))
    assert definition['name'] and definition['kind'] == 'cloud'
    fields = dict((field['id'], field) for field in definition['inputs']['fields'])
    for name, template in definition['injectors']['env'].items():
        used = re.findall(r'{{\s*(\w+)\s*}}', template)
        assert used and all(field in fields for field in used), '%s: %s' % (name, template)
    for field_id, field in fields.items():
        if SECRET_ID.search(field_id):
            assert field.get('secret') is True, '%s must be secret: true' % field_id
    assert set(definition['inputs'].get('required', [])) <= set(fields)
