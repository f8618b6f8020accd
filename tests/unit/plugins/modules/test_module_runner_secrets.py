# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MasModule (module_utils/common/module_runner.py): secrets found at run time, requirements, and modules that
target no MAS environment. Each test is a small module's main(), run as the collection's modules are."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule

SPEC = dict(path=dict(type='str'), production=dict(type='bool'))


class Module:
    """A module whose main() builds a MasModule and hands it to ``body``; exits with what ``body`` returns."""

    def __init__(self, body, **kwargs):
        self.body, self.kwargs = body, kwargs

    def main(self):
        mas = MasModule(dict(SPEC), **self.kwargs)
        mas.exit(**self.body(mas))


def test_without_environment_there_is_none(run_module):
    outcome = run_module(Module(lambda mas: {'none': mas.environment is None}, environment=False), {'path': 'x'})
    assert outcome.result == {'none': True}
    outcome = run_module(Module(lambda mas: {'production': mas.environment.production}), {'production': False})
    assert outcome.result == {'production': False}


def test_a_secret_found_at_run_time_is_masked_by_ansible_at_once(run_module):
    def body(mas):
        for value in ('found-at-run-time-77', 12345678, None, '', True, 'found-at-run-time-77'):
            mas.add_secret(value)
        # AnsibleModule masks its no_log_values in everything it prints, whoever built the text.
        return {'in_no_log_values': [value in mas.module.no_log_values for value in ('found-at-run-time-77', '12345678')],
                'times': mas.secrets.count('found-at-run-time-77'), 'blank': [v for v in mas.secrets if v in ('', 'True')],
                'shown': 'the value found-at-run-time-77'}
    result = run_module(Module(body, environment=False), {'path': 'x'}).result
    assert result == {'in_no_log_values': [True, True], 'times': 1, 'blank': [], 'shown': 'the value ********'}


def test_a_secret_source_is_redacted_as_it_grows(run_module):
    class Client:
        secrets = ()

    def body(mas):
        client = Client()
        mas.add_secret_source(client)
        client.secrets = ('token-issued-later-1',)
        mas.fail('got token-issued-later-1')
    outcome = run_module(Module(body, environment=False), {'path': 'x'})
    assert outcome.failed and outcome.result['msg'] == 'got ********'


def test_a_missing_program_is_named_with_what_needs_it_and_how_to_get_it(run_module):
    def body(mas):
        mas.require('db2cli', True, reason='validate=true', hint='never shown')
        mas.require('db2cli', False, reason='validate=true', hint='install the ibm_db Python package or set db2cli_path')
    outcome = run_module(Module(body, environment=False), {'path': 'x'})
    assert outcome.failed
    assert outcome.result['msg'] == 'validate=true needs db2cli: install the ibm_db Python package or set db2cli_path'


def test_a_missing_library_is_ansibles_own_message(run_module):
    outcome = run_module(Module(lambda mas: mas.require('ibm_db', False, 'Traceback: ImportError'), environment=False),
                         {'path': 'x'})
    assert outcome.failed and 'Failed to import the required Python library (ibm_db)' in outcome.result['msg']
    assert outcome.result['exception'] == 'Traceback: ImportError'
