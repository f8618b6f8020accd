# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MasModule.run is the one place where the collection's errors become a failed task.

Each error class gives the failed result it gave before the refactor (the text, and the keys ``error``,
``timed_out``, ``refused`` ...), the keys a module passes when it raises are kept, and every secret (an option's
or one found at run time) is masked in the text and in every key.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import types

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import MasError, RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import (
    CONNECTION_SPEC, ENVIRONMENT_SPEC, argument_spec)
from ansible_collections.mas.dedicated.plugins.module_utils.common.policy import PolicyError, guard
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import MASK
from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import WaitTimeout
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_bucket import CosError
from ansible_collections.mas.dedicated.plugins.module_utils.db2.dbapi import StatementError
from ansible_collections.mas.dedicated.tests.unit.plugins.modules.conftest import (  # noqa: F401 pylint: disable=unused-import
    run_module)

KEY = 'unit-runner-key-0123456789'
FOUND = 'found-at-run-time-9f8e7d6c'
ARGS = {'instance': 'acme', 'production': False, 'api_key': KEY}


def run_work(run_module, work, args=None):
    """Run ``work(mas)`` inside MasModule.run as a module's main() does, and return what the task would print."""
    def main():
        mas = MasModule(argument_spec(CONNECTION_SPEC, ENVIRONMENT_SPEC))
        mas.run(lambda: work(mas))
    return run_module(types.SimpleNamespace(main=main), dict(ARGS, **(args or {})))


def raising(exc):
    def work(mas):
        raise exc
    return work


def production_refusal():
    try:
        guard('manage_restart', Environment(instance='acme', production=True))
    except PolicyError as exc:
        return exc
    raise AssertionError('a Manage restart in production was not refused')


CASES = [
    ('refused', RefusedError('dest must not contain ..'), {'msg': 'dest must not contain ..'}),
    ('refused with keys', RefusedError('groups break the limits of Manage', violations=[{'field': 'name'}]),
     {'msg': 'groups break the limits of Manage', 'violations': [{'field': 'name'}]}),
    ('http', MasApiError('GET /maximo/api/os/mxapiasset', status=500, detail='boom'),
     {'msg': 'GET /maximo/api/os/mxapiasset failed: HTTP 500 (boom). Hint: the service is unavailable or failing; '
             'try again later, and open a support case if it persists.',
      'error': {'call': 'GET /maximo/api/os/mxapiasset', 'status': 500, 'attempts': 1, 'kind': 'http'}}),
    ('cos', CosError('get', 'acme-custfile', 'a.txt', code='AccessDenied'),
     {'msg': CosError('get', 'acme-custfile', 'a.txt', code='AccessDenied').message(),
      'error': {'operation': 'get', 'code': 'AccessDenied', 'access_denied': True}}),
    # StatementError keeps its own ``details`` attribute: the keys given when raising are named apart from it.
    ('statement', StatementError('statement 2 failed', line=7, details={'sqlstate': '42704'}),
     {'msg': 'statement 2 failed', 'error': {'sqlstate': '42704', 'line': 7}}),
    ('service with keys', ServiceError('user ACME: PATCH failed', error={'call': 'PATCH', 'status': 409},
                                       changed=True, users=[{'userid': 'X'}]),
     {'msg': 'user ACME: PATCH failed', 'error': {'call': 'PATCH', 'status': 409}, 'changed': True,
      'users': [{'userid': 'X'}]}),
    ('service without a call', ServiceError('Manage accepted the new API key but does not give it back',
                                            changed=True),
     {'msg': 'Manage accepted the new API key but does not give it back', 'changed': True}),
    ('timeout', WaitTimeout('the integrity checker report', 5, 3),
     {'msg': 'timed out after 5s (3 checks) waiting for the integrity checker report; raise wait_timeout if the '
             'service is just slow', 'timed_out': True}),
    ('policy', production_refusal(),
     {'msg': str(production_refusal()), 'refused': True, 'operation': 'manage_restart'}),
    ('local file', IOError(13, 'Permission denied'), {'msg': 'local file error: [Errno 13] Permission denied'}),
]


@pytest.mark.parametrize('name,exc,expected', CASES, ids=[case[0] for case in CASES])
def test_each_error_gives_its_failed_result(run_module, name, exc, expected):
    outcome = run_work(run_module, raising(exc))
    assert outcome.failed
    assert outcome.result == expected


def test_the_policy_text_says_nothing_was_sent(run_module):
    outcome = run_work(run_module, raising(production_refusal()))
    assert outcome.result['msg'].startswith('Refused before sending anything: ')


def test_a_refusal_is_a_value_error_and_a_service_error_is_not():
    # Pure code keeps working without the runner (callers that catch ValueError).
    assert isinstance(RefusedError('x'), ValueError) and isinstance(production_refusal(), ValueError)
    assert not isinstance(ServiceError('x'), ValueError)
    assert isinstance(WaitTimeout('x', 1, 1), ServiceError)
    assert RefusedError('x', refused=True).result() == {'refused': True}
    assert MasError('x').result() == {}


def test_secrets_are_masked_in_the_text_and_in_every_key(run_module):
    def work(mas):
        mas.add_secret(FOUND)
        raise ServiceError('login with %s and %s failed' % (KEY, FOUND),
                           error={'call': 'POST /login?k=%s' % FOUND}, users=[{'note': 'key %s' % KEY}],
                           password=FOUND)
    outcome = run_work(run_module, work)
    assert outcome.failed
    assert KEY not in repr(outcome.result) and FOUND not in repr(outcome.result)
    assert outcome.result['msg'] == 'login with %s and %s failed' % (MASK, MASK)
    assert outcome.result['error'] == {'call': 'POST /login?k=%s' % MASK}
    assert outcome.result['users'] == [{'note': 'key %s' % MASK}]
    assert outcome.result['password'] == MASK


def test_a_secret_found_at_run_time_is_masked_everywhere_ansible_prints(run_module):
    seen = {}

    def work(mas):
        mas.add_secret(FOUND)
        seen['module'] = mas.module
        raise RefusedError('refused %s' % FOUND)
    run_work(run_module, work)
    # AnsibleModule removes its no_log_values from the arguments and from any key it prints.
    assert FOUND in seen['module'].no_log_values and KEY in seen['module'].no_log_values


def test_a_success_is_masked_too(run_module):
    def work(mas):
        mas.add_secret(FOUND)
        return {'changed': False, 'note': FOUND}
    outcome = run_work(run_module, work)
    assert not outcome.failed and outcome.result == {'changed': False, 'note': MASK}


def test_an_unknown_error_is_not_turned_into_a_tidy_failure(run_module):
    # A bug must show its traceback, not pass for a refusal.
    with pytest.raises(KeyError):
        run_work(run_module, raising(KeyError('bug')))
