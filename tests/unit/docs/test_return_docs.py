# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every key a module puts into its result is documented in its RETURN block (what ansible-doc shows).

Static, so that it needs no service: the keys of the dicts a module names ``result`` (literals, ``dict(...)``,
``result['key'] = ...``, ``result.update(key=...)``) and of ``mas.exit(...)`` / ``exit_json(...)`` calls, against
RETURN's keys (top level and C(contains)). Results built in module_utils are checked where they are returned as one documented dict
(the integrity checker's ``summary``).
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ast
import glob
import os

import pytest
import yaml

from ansible_collections.mas.dedicated.plugins.module_utils.tools.integrity_checker import summarize

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py')))
# Keys every module may return without documenting them (Ansible's own).
COMMON = {'changed', 'msg', 'diff', 'failed', 'skipped', 'warnings', 'deprecations', 'invocation'}


def parse(path):
    with open(path, encoding='utf-8') as handle:
        return ast.parse(handle.read(), path)


def returns(path):
    for node in parse(path).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'RETURN':
            return yaml.safe_load(node.value.value) or {}
    return {}


def documented(docs):
    """RETURN's keys with those of every C(contains) (a per-item dict of a list may be named result too)."""
    keys = set()
    for key, value in (docs or {}).items():
        keys.add(key)
        if isinstance(value, dict):
            keys |= documented(value.get('contains'))
    return keys


def _keys_of(value):
    if isinstance(value, ast.Dict):
        return set(k.value for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))
    if isinstance(value, ast.Call) and getattr(value.func, 'id', None) == 'dict':
        return set(k.arg for k in value.keywords if k.arg)
    return set()


def result_keys(path):
    keys = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == 'result':
                    keys |= _keys_of(node.value)
                elif (isinstance(target, ast.Subscript) and getattr(target.value, 'id', None) == 'result'
                      and isinstance(target.slice, ast.Constant)):
                    keys.add(target.slice.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = getattr(node.func.value, 'id', None)
            if (node.func.attr == 'update' and owner == 'result') or node.func.attr in ('exit', 'exit_json'):
                keys |= set(k.arg for k in node.keywords if k.arg)
                for arg in node.args:
                    keys |= _keys_of(arg)
    return keys


def test_the_check_sees_result_keys():
    """The collector finds keys: it would not pass by seeing nothing."""
    found = dict((os.path.basename(p), result_keys(p)) for p in MODULES)
    assert {'mode', 'summary', 'environment'} <= found['integrity_checker.py']
    assert 'purge_days' in found['cos_object_info.py']


@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_result_keys_are_documented(path):
    missing = result_keys(path) - documented(returns(path)) - COMMON
    assert not missing, '%s returns %s without a RETURN entry' % (os.path.basename(path), ', '.join(sorted(missing)))


def test_integrity_checker_summary_keys_are_documented():
    documented = set(returns(os.path.join(ROOT, 'plugins', 'modules', 'integrity_checker.py'))['summary']['contains'])
    # The module adds how the end of the run was decided to what the log and listing say.
    assert set(summarize('BMXAA0001E error\nIntegrity checker completed with 1 errors')) | {'completion'} == documented
