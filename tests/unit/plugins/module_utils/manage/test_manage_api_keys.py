# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import yaml

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api_keys import (
    default_vault_var, input_problems, plan_keys, vault_file_bytes)

HELD = {'INT1': {'userid': 'INT1', 'href': 'h/1', 'apikey': 'k1'}, 'INT2': None}


def _outcomes(state):
    return [(a.outcome, a.delete, a.create) for a in plan_keys(['INT1', 'INT2'], state, HELD)]


def test_present_creates_only_a_missing_key():
    assert _outcomes('present') == [('exists', False, False), ('created', False, True)]


def test_absent_deletes_only_a_held_key():
    assert _outcomes('absent') == [('deleted', True, False), ('absent', False, False)]


def test_rotated_deletes_then_creates_and_creates_a_missing_one():
    assert _outcomes('rotated') == [('rotated', True, True), ('created', False, True)]


def test_files_need_one_user_and_no_parent_components():
    problems = input_problems(['A', 'B'], key_file='/tmp/../etc/k', vault_file='/tmp/v\n.yml')
    assert "key_file must not contain a '..' component" in problems
    assert 'vault_file must not contain a line break' in problems
    assert 'key_file needs exactly one user in users (it holds one key)' in problems
    assert input_problems(['A'], key_file='/tmp/k', state='absent') == [
        'key_file cannot be used with state=absent (there is no key to write)']
    assert input_problems(['A', 'a']) == ['user A is listed more than once']
    assert input_problems(['A'], key_file='/tmp/k', vault_file='/tmp/v', vault_var='ok_name') == []
    assert input_problems(['A'], vault_var='1bad: x') != []


def test_vault_file_is_yaml_holding_the_key_under_the_variable():
    key = 'a"b\\c: d'
    data = yaml.safe_load(vault_file_bytes(default_vault_var('MX.INT-1'), key))
    assert data == {'manage_api_key_mx_int_1': key}
