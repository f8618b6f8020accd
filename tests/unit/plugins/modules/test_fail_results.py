# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failed results that no other test pinned, kept when the modules stopped calling fail themselves (issue 14).

Each failure now reaches the task through MasModule.run: the text and the extra keys (``error``, ``changed``,
the partial per-item lists) must be those the module gave when it failed by hand.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects
from ansible_collections.mas.dedicated.plugins.modules import manage_api_key, manage_log_level, manage_server, system_property

LOGGER = 'log4j.logger.maximo.script'


def manage(sandbox, **extra):
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url,
              'retries': 0}
    result.update(extra)
    return result


def loggers(sandbox):
    return sandbox.app.component('manage_objects').records['mxapilogger']


def fault(sandbox, **spec):
    sandbox.app.faults.add(dict(spec, count=-1))


def test_a_logger_manage_does_not_have_is_refused_before_any_write(run_module, sandbox):
    outcome = run_module(manage_log_level, manage(sandbox, api='object_structure',
                                                  loggers=[{'logger': LOGGER, 'level': 'DEBUG'},
                                                           {'logger': 'log4j.logger.none', 'level': 'INFO'}]))
    assert outcome.failed
    assert outcome.result == {'msg': 'logger log4j.logger.none does not exist in Manage (this module never creates '
                                     'loggers; check the key in the Logging application)'}
    assert sandbox.sent('POST') == []


def test_through_the_logging_service_an_unknown_logger_is_refused_before_any_level_is_set(run_module, sandbox):
    outcome = run_module(manage_log_level, manage(sandbox, loggers=[{'logger': LOGGER, 'level': 'DEBUG'},
                                                                    {'logger': 'log4j.logger.none', 'level': 'INFO'}]))
    assert outcome.failed and outcome.result['msg'].startswith('logger log4j.logger.none does not exist in Manage')
    # only the two level reads were sent (wsmethod:getLogLevel is a POST), no setLogLevel
    assert sandbox.sent('POST') == [('POST', '/maximo/api/service/logging')] * 2
    assert sandbox.app.component('manage_objects').logging_service_sets == 0


def test_a_refused_logger_write_names_the_logger_and_what_was_done(run_module, sandbox):
    fault(sandbox, method='POST', path='/maximo/api/os/mxapilogger/*', status=400)
    outcome = run_module(manage_log_level, manage(sandbox, api='object_structure', loggers=[{'logger': LOGGER, 'level': 'DEBUG'}]))
    assert outcome.failed and outcome.result['msg'].startswith('logger %s: POST /maximo/api/os/mxapilogger/' % LOGGER)
    assert outcome.result['error']['status'] == 400 and outcome.result['error']['kind'] == 'http'
    assert dict((k, v) for k, v in outcome.result.items() if k not in ('msg', 'error')) == {
        'changed': False, 'loggers': [], 'previous': []}


def test_a_failed_apply_says_the_loggers_were_written(run_module, sandbox, monkeypatch):
    def refuse(self, href, name, body=None):
        raise MasApiError('POST %s' % href, status=500, detail='apply refused')
    monkeypatch.setattr(ManageObjects, 'action', refuse)
    outcome = run_module(manage_log_level, manage(sandbox, api='object_structure', loggers=[{'logger': LOGGER, 'level': 'DEBUG'}]))
    assert outcome.failed
    assert outcome.result['msg'].startswith('the loggers were written but applying the logging settings failed: POST ')
    assert outcome.result['error']['status'] == 500
    assert outcome.result['changed'] is True and outcome.result['previous'] == [
        {'logger': LOGGER, 'level': 'ERROR', 'active': True}]
    assert [entry['logger'] for entry in outcome.result['loggers']] == [LOGGER]
    assert [r for r in loggers(sandbox).values() if r['logkey'] == LOGGER][0]['loglevel'] == 'DEBUG'


def test_a_refused_property_write_names_the_property(run_module, sandbox):
    fault(sandbox, method='POST', path='/maximo/api/os/mxapiproperty/*', status=400)
    outcome = run_module(system_property, manage(sandbox, properties=[
        {'name': 'mxe.doclink.securedAttachment', 'value': 'true'}]))
    assert outcome.failed
    assert outcome.result['msg'].startswith('property mxe.doclink.securedAttachment: POST /maximo/api/os/mxapiproperty/')
    assert outcome.result['error']['status'] == 400
    assert outcome.result['changed'] is False and outcome.result['properties'] == []


def test_a_new_key_manage_does_not_give_back_fails_as_a_change(run_module, sandbox):
    # The key is created, but every read of mxapiapikey answers no record.
    fault(sandbox, method='GET', path='/maximo/api/os/mxapiapikey', status=200, body={'member': []})
    outcome = run_module(manage_api_key, manage(sandbox, users=['MAXADMIN']))
    assert outcome.failed
    assert outcome.result == {'msg': 'user MAXADMIN: Manage accepted the new API key but does not give it back',
                              'changed': True}
    assert 'MAXADMIN' in [k['userid'] for k in sandbox.app.component('manage_people').keys.values()]


def tools(sandbox, **extra):
    result = {'instance': 'acme', 'production': False, 'api_key': sandbox.api_key, 'tools_url': sandbox.url + '/toolsapi',
              'manage_url': sandbox.url, 'poll_interval': 0.1, 'wait_timeout': 30, 'retries': 0}
    result.update(extra)
    return result


def test_a_refused_stop_says_nothing_was_done(run_module, sandbox):
    fault(sandbox, method='POST', path='/toolsapi/toolservice/managestop', status=400)
    outcome = run_module(manage_server, tools(sandbox, state='stopped'))
    assert outcome.failed and outcome.result['msg'].endswith('(Manage was running; actions done: none)')
    assert outcome.result['error']['status'] == 400
    assert dict((k, v) for k, v in outcome.result.items() if k not in ('msg', 'error')) == {
        'changed': False, 'before': 'running', 'actions': [], 'timed_out': False}


def test_a_start_that_outlasts_the_wait_says_it_was_sent(run_module, sandbox):
    assert not run_module(manage_server, tools(sandbox, state='stopped')).failed
    sandbox.app.update_config({'start_delay': 30.0})
    outcome = run_module(manage_server, tools(sandbox, state='started', wait_timeout=1))
    assert outcome.failed
    assert 'the last probe of Manage saw' in outcome.result['msg']
    assert outcome.result['msg'].endswith('(Manage was down; actions done: start)')
    assert dict((k, v) for k, v in outcome.result.items() if k != 'msg') == {
        'changed': True, 'before': 'down', 'actions': ['start'], 'timed_out': True, 'error': {}}
