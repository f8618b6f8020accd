# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""db2_query and sql_script_request refuse what the rules forbid before any connection, and never echo passwords."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection
from ansible_collections.mas.dedicated.plugins.modules import db2_query, sql_script_request

PASSWORD = 'unit-db-password-0123'


@pytest.fixture
def no_connect(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError('a connection was attempted')
    monkeypatch.setattr(db2_connection, 'connect', refuse)


@pytest.fixture
def cert(tmp_path):
    path = tmp_path / 'db.arm'
    path.write_text('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n')
    return str(path)


def query_args(cert, **extra):
    args = dict(hostname='db.example.com', port=50001, database='BLUDB', username='maxro', password=PASSWORD,
                ssl_server_certificate=cert)
    args.update(extra)
    return args


@pytest.mark.parametrize('extra,words', [
    ({'sql': 'SELECT 1 FROM t'}, 'Set replica: true'),
    ({'sql': 'SELECT 1 FROM t', 'production': None}, 'Set replica: true'),
    ({'sql': 'UPDATE t SET a = 1', 'replica': True, 'allow_write': True}, 'direct database write is not allowed'),
    ({'sql': 'SELECT 1 FROM t; DELETE FROM t', 'replica': True, 'allow_write': True}, 'statement 2 (line 1, DELETE)'),
    ({'sql': 'CALL p()', 'replica': True}, 'not allowed'),
    ({'sql': 'EXPLAIN PLAN FOR SELECT 1 FROM t', 'production': False}, 'explain plans may not be run'),
    ({'sql': 'CREATE TABLE x (a INT)', 'production': False, 'allow_write': True}, 'Database Configuration'),
    ({'sql': 'UPDATE t SET a = 1', 'production': False}, 'set allow_write: true'),
])
def test_refused_before_connecting(run_module, no_connect, cert, extra, words):
    args = query_args(cert, **extra)
    if args.get('production') is None:
        args.pop('production', None)
    outcome = run_module(db2_query, args)
    assert outcome.failed and outcome.result['refused']
    assert outcome.result['msg'].startswith('Refused before sending anything')
    assert words in outcome.result['msg']
    assert PASSWORD not in repr(outcome.result)


def test_refusal_does_not_need_credentials(run_module, no_connect):
    outcome = run_module(db2_query, {'sql': 'DELETE FROM t'})
    assert outcome.failed and outcome.result['refused']


@pytest.mark.parametrize('extra,words', [
    ({'connection_options': {'SSLClientHostnameValidation': 'OFF'}}, 'host name is always checked'),
    ({'connection_options': {'Security': 'NONE'}}, 'set by the module itself'),
    ({'ssl_server_certificate': '/nonexistent/db.arm'}, 'does not exist'),
    ({'password': None}, 'password is required'),
])
def test_unsafe_settings_fail_before_connecting(run_module, no_connect, monkeypatch, cert, extra, words):
    monkeypatch.delenv('MAS_DB2_PASSWORD', raising=False)
    args = query_args(cert, sql='SELECT 1 FROM t', production=False, **extra)
    outcome = run_module(db2_query, args)
    assert outcome.failed and words in outcome.result['msg'] and 'nothing was sent' in outcome.result['msg']
    assert PASSWORD not in repr(outcome.result)


def test_check_mode_writes_do_not_connect(run_module, no_connect, cert):
    args = query_args(cert, sql='UPDATE t SET a = ? WHERE b = 1', parameters=[2], production=False, allow_write=True,
                      _ansible_check_mode=True)
    outcome = run_module(db2_query, args)
    assert not outcome.failed and outcome.result['changed'] is True
    assert outcome.result['statements'][0]['skipped'] is True


def test_output_needs_one_read(run_module, no_connect, cert, tmp_path):
    args = query_args(cert, sql='SELECT 1 FROM t; SELECT 2 FROM t', production=False, output=str(tmp_path / 'x.csv'))
    outcome = run_module(db2_query, args)
    assert outcome.failed and 'exactly one read statement' in outcome.result['msg']


def test_parameters_need_a_single_statement(run_module, no_connect, cert):
    outcome = run_module(db2_query, query_args(cert, sql='SELECT ? FROM t; SELECT 1 FROM t', parameters=[1],
                                               production=False))
    assert outcome.failed and 'exactly one statement' in outcome.result['msg']


def request_args(tmp_path, **extra):
    args = dict(environment='prod', instance='acme', production=True, dest=str(tmp_path / 'pkg'),
                script_content="UPDATE asset SET status = 'CLOSE' WHERE siteid = 'A';", description='d',
                business_justification='b', technical_justification='t', offline_backup=True,
                tested_environment='test', tested_date='2024-06-03')
    args.update(extra)
    return args


def test_script_request_refused_for_non_production(run_module, no_connect, tmp_path):
    outcome = run_module(sql_script_request, request_args(tmp_path, production=False))
    assert outcome.failed and outcome.result['refused']
    assert 'does not run SQL scripts in non-production' in outcome.result['msg']
    assert not os.path.exists(str(tmp_path / 'pkg'))


@pytest.mark.parametrize('extra,words', [
    ({'offline_backup': False}, 'offline_backup'),
    ({'technical_justification': ' '}, 'technical_justification'),
    ({'script_content': 'DROP TABLE asset'}, 'schema'),
    ({'script_content': 'UPDATE t SET a = 1', 'script_name': 'fix.dbc'}, 'DBC'),
    ({'tested_environment': 'prod'}, 'production target itself'),
    ({'tested_date': None}, 'tested_date is required'),
])
def test_script_request_refusals(run_module, no_connect, tmp_path, extra, words):
    outcome = run_module(sql_script_request, request_args(tmp_path, **extra))
    assert outcome.failed and words in outcome.result['msg']
    assert not os.path.exists(str(tmp_path / 'pkg'))


def test_script_request_package_is_idempotent(run_module, no_connect, tmp_path):
    check = run_module(sql_script_request, request_args(tmp_path, _ansible_check_mode=True))
    assert check.result['changed'] is True and not os.path.exists(str(tmp_path / 'pkg'))
    first = run_module(sql_script_request, request_args(tmp_path))
    assert first.result['changed'] is True
    assert sorted(os.listdir(str(tmp_path / 'pkg'))) == ['case.md', 'request.json', 'script.sql', 'script.sql.sha256']
    again = run_module(sql_script_request, request_args(tmp_path))
    assert again.result['changed'] is False and set(again.result['files'].values()) == {False}
    check = run_module(sql_script_request, request_args(tmp_path, _ansible_check_mode=True))
    assert check.result['changed'] is False
    changed = run_module(sql_script_request, request_args(tmp_path, description='another'))
    assert changed.result['files'] == {'case.md': True, 'request.json': True, 'script.sql': False,
                                       'script.sql.sha256': False}
