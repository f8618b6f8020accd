# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""support_case never shows a secret: its options' secrets and any value the details hold under a secret-looking
key, in what Ansible prints (the result, its ``invocation``), on success and on failure."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.cases import case_kinds
from ansible_collections.mas.dedicated.plugins.modules import support_case

SMTP_PASSWORD = 'unit-smtp-password-51d0'
BIND_PASSWORD = 'unit-bind-password-2e77'
IBM_KEY = 'unit-ibmcloud-key-8c4f19'
DETAIL_SECRET = 'unit-detail-secret-a93b'
NESTED_SECRET = 'unit-nested-secret-0f6e'
SECRETS = (SMTP_PASSWORD, BIND_PASSWORD, IBM_KEY, DETAIL_SECRET, NESTED_SECRET)


def smtp(tmp_path, **details):
    args = {'kind': 'smtp_custom', 'dest': str(tmp_path / 'case'), 'instance': 'acme', 'environments': ['dev'],
            'production': False, 'smtp_password': SMTP_PASSWORD, 'ibmcloud_api_key': IBM_KEY,
            'details': dict({'host': 'smtp.acme.example', 'port': 587, 'user': 'mailer',
                             'sender': 'maximo@acme.example'}, **details)}
    return args


def ldap(tmp_path, **details):
    args = {'kind': 'ldap_sync', 'dest': str(tmp_path / 'case'), 'instance': 'acme', 'environments': ['dev'],
            'production': False, 'ldap_bind_password': BIND_PASSWORD, 'ibmcloud_api_key': IBM_KEY,
            'details': dict({
                'url': 'ldaps://ldap.acme.example:636', 'bind_dn': 'cn=bind,ou=svc,dc=acme,dc=example',
                'base_dn': 'dc=acme,dc=example', 'user_id_map': 'uid',
                'user': {'base_dn': 'ou=people,dc=acme,dc=example', 'id_map': 'uid', 'filter': '(objectClass=person)'},
                'group': {'base_dn': 'ou=groups,dc=acme,dc=example', 'filter': '(objectClass=groupOfNames)',
                          'id_map': 'cn', 'member_id_map': 'member'},
                'schedule': 'every 6 hours', 'identity_provider': 'acme-ldap',
                'default_permissions': ['MAXEVERYONE']}, **details)}
    return args


def assert_no_secret(printed):
    for secret in SECRETS:
        assert secret not in printed


@pytest.mark.parametrize('build', [smtp, ldap])
def test_a_rendered_case_shows_no_secret(run_module_output, tmp_path, build):
    result, printed = run_module_output(support_case, dict(build(tmp_path), _ansible_diff=True))
    assert not result.get('failed') and result['changed'] and result['files']
    assert 'password:** not included in this case' in result['diff']['after']
    assert_no_secret(printed)


@pytest.mark.parametrize('build', [smtp, ldap])
def test_a_secret_in_the_details_is_refused_and_never_shown(run_module_output, tmp_path, build):
    # The details are echoed back as the task's module arguments: before, a refused secret showed there.
    result, printed = run_module_output(support_case, build(tmp_path, password=DETAIL_SECRET))
    assert result['failed'] and 'password looks like a secret' in result['msg']
    assert 'details' in result['invocation']['module_args']
    assert_no_secret(printed)


def test_a_nested_secret_in_the_details_is_never_shown(run_module_output, tmp_path):
    args = ldap(tmp_path)
    args['details']['user']['api_token'] = NESTED_SECRET
    result, printed = run_module_output(support_case, args)
    assert result['failed'] and 'user.api_token looks like a secret' in result['msg']
    assert_no_secret(printed)


def test_a_secret_pasted_into_a_field_fails_and_is_never_shown(run_module_output, tmp_path):
    result, printed = run_module_output(support_case, smtp(tmp_path, user='mailer ' + SMTP_PASSWORD))
    assert result['failed'] and 'a secret value appears in the case content' in result['msg']
    assert_no_secret(printed)


def test_secret_values_finds_what_secret_looking_keys_hold():
    details = {'host': 'h', 'password': 'a1', 'user': {'id_map': 'uid', 'bind_token': ['b2', 'c3']},
               'api_key': {'inner': 'd4'}, 'secret': True, 'token': None}
    assert sorted(case_kinds.secret_values(details)) == ['a1', 'b2', 'c3', 'd4']
    assert case_kinds.secret_values({'host': 'h', 'list': [{'x': 'y'}]}) == []
