# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""migration_manager: the pure checks and plans, the answers read, and the admin-mode sequence of a deployment."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.manage import migration_manager as mm
from ansible_collections.mas.dedicated.tests.unit.fake_clock import FakeClock


def params(action, **given):
    found = dict((name, None) for names in mm.ACTION_OPTIONS.values() for name in names)
    found.update(mm.DEFAULTS)
    found.update(action=action, filename=None)
    found.update(given)
    return found


def test_each_action_needs_its_options_and_refuses_the_others():
    assert mm.input_problems(params('create', package_definition='TESTDD')) == []
    assert mm.input_problems(params('create')) == ['package_definition is required with action=create']
    problems = mm.input_problems(params('deploy', package_definition='TESTDD', dmpackageid=31, dest='/tmp/x.zip'))
    assert problems == ['dest does not apply to action=deploy (it takes: package_definition, dmpackageid, admin_mode, '
                        'admin_sessions, logout_minutes, wait_timeout, poll_interval)']
    # admin_mode true is not ignored on another action
    assert any('admin_mode does not apply' in p for p in mm.input_problems(
        params('create', package_definition='TESTDD', admin_mode=True)))
    assert mm.input_problems(params('download', package_definition='TESTDD')) == [
        'dmpackageid is required with action=download', 'dest is required with action=download']


@pytest.mark.parametrize('name', ['../x', 'a/b', 'a\nb', '', ' TESTDD', 'x' * 101, 'n\u00e4me'])
def test_names_that_are_not_maximo_names_are_refused(name):
    assert mm.name_problem('package_definition', name)


@pytest.mark.parametrize('name', ['..', '.', '', 'a/b.zip', '../pkg.zip', 'a\\b.zip', 'pkg.zip\n', 'p\x00.zip',
                                  'p\x07.zip', 'x..zip', 'x' * 201])
def test_upload_file_names_with_a_path_or_a_line_break_are_refused(name):
    assert mm.filename_problem(name)


def test_plain_file_names_are_taken():
    assert mm.filename_problem('TESTDD_31.zip') is None
    assert mm.input_problems(params('upload', src='/tmp/TESTDD_31.zip', filename='TESTDD_31.zip')) == []


def test_the_plan_of_create_and_of_deploy_with_admin_mode():
    calls = [c.as_dict() for c in mm.plan(params('create', package_definition='TESTDD', readme='moving scripts'))]
    assert calls == [{'method': 'POST', 'path': '/maximo/api/dm/create',
                      'body': {'pkgdefname': 'TESTDD', 'readme': 'moving scripts'}},
                     {'method': 'POST', 'path': '/maximo/api/dm/distribute',
                      'body': {'pkgdefname': 'TESTDD', 'dmpackageid': '<dmpackageid from create>'}}]
    targeted = mm.plan(params('create', package_definition='TESTDD', readme='r', target='mytarget'))
    assert targeted[1].body['targetname'] == 'mytarget'
    deploy = mm.plan(params('deploy', package_definition='TESTDD', dmpackageid=31, admin_mode=True))
    assert [c.path for c in deploy] == ['/maximo/api/dm/deploy', '/maximo/api/adminmode/on',
                                        '/maximo/api/adminmode/state', '/maximo/api/dm/completedeploy',
                                        '/maximo/api/adminmode/off']
    assert deploy[1].body == {'numsessions': 5, 'logoutmin': 1}
    assert [c.path for c in mm.plan(params('deploy', package_definition='T', dmpackageid=1))] == ['/maximo/api/dm/deploy']


def test_the_admin_mode_error_of_the_guide_is_recognised_with_its_package():
    # The sample of IBM's guide: the code only in moreInfo.href, the package in errattrvalue.
    sample = {'Error': {'errorattrname': 'dmpackageid', 'errattrvalue': '31', 'extendedError': {
        'moreInfo': {'href': 'http://localhost:7001/maximo/oslc/error/messages/BMXAA0578E'}}}}
    assert mm.admin_mode_error(sample) == (True, 31)
    assert mm.admin_mode_error({'Error': {'reasonCode': 'BMXAA0578E', 'message': 'BMXAA0578E - x'}}) == (True, None)
    assert mm.admin_mode_error({'Error': {'reasonCode': 'BMXAA4195E', 'message': 'BMXAA4195E - x'}}) == (False, None)
    other = {'Error': {'extendedError': {'moreInfo': {'href': 'http://h/maximo/oslc/error/messages/BMXAA0578EX'}}}}
    assert mm.admin_mode_error(other) == (False, None)
    assert mm.admin_mode_error(None) == (False, None) and mm.admin_mode_error([1]) == (False, None)


@pytest.mark.parametrize('body,state', [({'state': 1}, 1), (2, 2), ('0', 0), ({'adminmode': '1'}, 1),
                                        ({'state': 7}, None), ({'x': 1}, None), ({'state': True}, None), (None, None)])
def test_the_admin_mode_state_is_read_from_the_plausible_shapes(body, state):
    assert mm.admin_state(body) == state


def test_the_package_view_keeps_the_documented_attributes_first_and_no_structure():
    view = mm.package_view({'status': 'CREATED', 'dmpackageid': 3, 'zzz': 1, 'distributionmessage': 'm', 'x': {}})
    assert list(view) == ['dmpackageid', 'status', 'zzz']


class FakeManager:
    """Records the calls; ``fail`` maps a call name to the error it raises (once or always)."""

    def __init__(self, needs_admin=False, states=(1,), fail=None):
        self.calls = []
        self.needs_admin = needs_admin
        self.states = list(states)
        self.fail = dict(fail or {})

    def _maybe_fail(self, name):
        self.calls.append(name)
        if name in self.fail:
            raise self.fail[name]

    def deploy(self, name, package):
        self._maybe_fail('deploy')
        if self.needs_admin:
            raise mm.AdminModeNeeded('BMXAA0578E', 31)
        return {'warningmsg': 'done'}

    def admin_mode_on(self, sessions, minutes):
        self._maybe_fail('on')

    def admin_mode_state(self):
        self._maybe_fail('state')
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]

    def complete_deploy(self, name, package):
        self._maybe_fail('completedeploy')
        assert package == 31
        return {'warningmsg': 'completed'}

    def admin_mode_off(self):
        self._maybe_fail('off')


def deploy(manager, admin_mode=True, **kwargs):
    clock = FakeClock()
    return mm.deploy_package(manager, 'TESTDD', 7, admin_mode=admin_mode, wait_timeout=30, poll_interval=1,
                             sleep=clock.sleep, clock=clock, **kwargs)


def test_a_deployment_without_admin_mode_needs_no_admin_calls():
    manager = FakeManager()
    result = deploy(manager)
    assert result['deployed'] and result['warning_message'] == 'done' and not result['admin_mode_used']
    assert manager.calls == ['deploy']


def test_admin_mode_needed_but_not_allowed_fails_with_nothing_deployed_and_no_admin_call():
    manager = FakeManager(needs_admin=True)
    with pytest.raises(ServiceError) as caught:
        deploy(manager, admin_mode=False)
    assert manager.calls == ['deploy']
    text = caught.value.message()
    assert 'Nothing was deployed' in text and 'admin_mode: true' in text and 'logout_minutes' in text
    assert caught.value.result()['deployed'] is False and caught.value.result()['dmpackageid'] == 31


def test_admin_mode_on_waits_for_state_1_completes_and_turns_it_off():
    manager = FakeManager(needs_admin=True, states=(2, 2, 1))
    result = deploy(manager)
    assert manager.calls == ['deploy', 'on', 'state', 'state', 'state', 'completedeploy', 'off']
    assert result == {'deployed': True, 'warning_message': 'completed', 'admin_mode_used': True, 'dmpackageid': 31,
                      'steps': ['deploy', 'adminmode/on', 'adminmode/state', 'completedeploy', 'adminmode/off']}


def test_admin_mode_goes_off_when_completedeploy_fails():
    failure = MasApiError('POST /maximo/api/dm/completedeploy', status=400, detail='BMXAA4195E - bad data')
    manager = FakeManager(needs_admin=True, fail={'completedeploy': failure})
    with pytest.raises(ServiceError) as caught:
        deploy(manager)
    assert manager.calls[-2:] == ['completedeploy', 'off']
    result = caught.value.result()
    assert result['deployed'] is False and result['admin_mode_off'] is True
    assert 'The deployment was not completed. Admin mode was turned off again.' in caught.value.message()


def test_admin_mode_goes_off_when_it_never_comes_on():
    manager = FakeManager(needs_admin=True, states=(2,))
    with pytest.raises(ServiceError) as caught:
        deploy(manager)
    assert 'completedeploy' not in manager.calls and manager.calls[-1] == 'off'
    assert 'timed out' in caught.value.message() and caught.value.result()['deployed'] is False


def test_a_failed_admin_mode_off_after_a_deployment_says_it_was_deployed():
    off = MasApiError('POST /maximo/api/adminmode/off', status=503)
    manager = FakeManager(needs_admin=True, fail={'off': off})
    with pytest.raises(ServiceError) as caught:
        deploy(manager)
    result = caught.value.result()
    assert result['deployed'] is True and result['admin_mode_off'] is False
    assert 'was deployed, but turning admin mode off failed' in caught.value.message()


def test_a_lost_answer_to_deploy_is_not_reported_as_deployed_nor_as_not_deployed():
    lost = MasApiError('POST /maximo/api/dm/deploy', detail='connection reset', kind='connection')
    manager = FakeManager(fail={'deploy': lost})
    with pytest.raises(ServiceError) as caught:
        deploy(manager)
    assert caught.value.result()['deployed'] is None and 'is not known' in caught.value.message()
    refused = MasApiError('POST /maximo/api/dm/deploy', status=400, detail='bad data')
    with pytest.raises(ServiceError) as caught:
        deploy(FakeManager(fail={'deploy': refused}))
    assert caught.value.result()['deployed'] is False and 'Nothing was deployed' in caught.value.message()
    gateway = MasApiError('POST /maximo/api/dm/deploy', status=504)
    with pytest.raises(ServiceError) as caught:
        deploy(FakeManager(fail={'deploy': gateway}))
    assert caught.value.result()['deployed'] is None
