# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""automation_script and system_property refuse bad input before any request, and never touch the source file."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib

import pytest

from ansible_collections.mas.dedicated.plugins.modules import automation_script, system_property

KEY = 'unit-secret-key-0123456789'
BASE = {'instance': 'acme', 'production': True, 'api_key': KEY}


@pytest.fixture
def source(tmp_path):
    path = tmp_path / 'acme.py'
    path.write_bytes(b'x = 1\r\n# keeps its CRLF\r\n')
    return path


@pytest.mark.parametrize('points,expected', [
    ([{'name': 'LP1', 'type': 'OBJECT'}], 'LP1 (OBJECT) must name its object'),
    ([{'name': 'LP1', 'type': 'ATTRIBUTE', 'object': 'ASSET'}], 'LP1 (ATTRIBUTE) must name its attribute'),
    ([{'name': 'LP1', 'type': 'ACTION'}], 'LP1 (ACTION) must name its action'),
    ([{'name': 'LP1', 'type': 'ACTION', 'action': 'A'}, {'name': 'lp1', 'type': 'ACTION', 'action': 'A'}],
     'LP1 is listed more than once'),
])
def test_bad_launch_points_are_refused_before_any_request(run_module, no_network, source, points, expected):
    before = source.read_bytes()
    outcome = run_module(automation_script, dict(BASE, name='acme', source_file=str(source), language='jython',
                                                 launch_points=points))
    assert outcome.failed and expected in outcome.result['msg']
    assert source.read_bytes() == before


def test_items_are_checked_too_and_a_missing_file_is_named(run_module, no_network, source, tmp_path):
    outcome = run_module(automation_script, dict(BASE, scripts=[
        {'name': 'ACME1', 'source_file': str(source), 'language': 'jython',
         'launch_points': [{'name': 'LP', 'type': 'CRON'}]},
        {'name': 'ACME2', 'source_file': str(source), 'language': 'jython', 'variables': [{'name': 'V', 'type': 'BOTH'}]},
        {'name': 'acme2', 'state': 'absent'}]))
    assert outcome.failed
    assert 'type must be one of' in outcome.result['msg']
    assert 'type must be one of IN, OUT, INOUT' in outcome.result['msg']
    assert 'script ACME2 is listed more than once' in outcome.result['msg']
    missing = run_module(automation_script, dict(BASE, name='acme', source_file=str(tmp_path / 'no.py'),
                                                 language='jython'))
    assert missing.failed and 'cannot read source_file' in missing.result['msg']


def test_a_non_utf8_source_is_refused(run_module, no_network, tmp_path):
    path = tmp_path / 'latin1.py'
    path.write_bytes(b'# caf\xe9\n')
    outcome = run_module(automation_script, dict(BASE, name='acme', source_file=str(path), language='jython'))
    assert outcome.failed and 'not UTF-8' in outcome.result['msg']


def test_bad_property_values_are_refused_before_any_request_and_secrets_not_shown(run_module, no_network):
    outcome = run_module(system_property, dict(BASE, properties=[
        {'name': 'mxe.a', 'value': 'one\ntwo'},
        {'name': 'mxe.b', 'value': 'x', 'secret_value': 'prop-secret-0a1b2c3d'},
        {'name': 'mxe.a', 'value': 'again'}]))
    assert outcome.failed
    assert 'must be one line' in outcome.result['msg'] and 'not both' in outcome.result['msg']
    assert 'property mxe.a is listed more than once' in outcome.result['msg']
    assert 'prop-secret-0a1b2c3d' not in repr(outcome.result)
    assert KEY not in repr(outcome.result)


def test_sha256_of_the_file_matches_hashlib(source):
    text = automation_script.read_source(str(source))
    assert text == 'x = 1\r\n# keeps its CRLF\r\n'
    assert hashlib.sha256(source.read_bytes()).hexdigest() == hashlib.sha256(text.encode('utf-8')).hexdigest()
