# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sql_script_request through main(): the package for IBM SRE, the script file, and the rolled-back test run on a real
DB-API database (sqlite3 in place of DB2). The refusals are in test_db2_modules.py."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import json
import sqlite3

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection
from ansible_collections.mas.dedicated.plugins.modules import sql_script_request

PASSWORD = 'unit-test-db-password-5a'
SCRIPT = "UPDATE asset SET status = 'CLOSE' WHERE siteid = 'A';\n"


def args(tmp_path, **extra):
    result = dict(environment='prod', instance='acme', production=True, dest=str(tmp_path / 'pkg'),
                  script_content=SCRIPT, description='close the old assets', business_justification='audit',
                  technical_justification='3,000 rows; no bulk change in the UI', offline_backup=True,
                  tested_environment='test', tested_date='2026-11-03')
    result.update(extra)
    if result.get('script'):
        del result['script_content']
    return result


@pytest.fixture
def test_database(tmp_path, monkeypatch):
    path = str(tmp_path / 'test.db')
    with sqlite3.connect(path) as setup:
        setup.execute('CREATE TABLE asset (assetnum TEXT, siteid TEXT, status TEXT)')
        setup.executemany('INSERT INTO asset VALUES (?, ?, ?)', [('A1', 'A', 'OPERATING'), ('A2', 'A', 'OPERATING'),
                                                                 ('B1', 'B', 'OPERATING')])
    cert = tmp_path / 'db.arm'
    cert.write_text('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    calls = []

    def connect(conn_string, target='the database', secrets=()):
        calls.append(conn_string)
        return sqlite3.connect(path)
    monkeypatch.setattr(db2_connection, 'connect', connect)
    options = {'hostname': 'testdb.example.com', 'port': 50001, 'database': 'BLUDB', 'username': 'maxadmin',
               'password': PASSWORD, 'ssl_server_certificate': str(cert)}
    return path, calls, options


def test_test_run_needs_the_test_database(run_module, tmp_path):
    outcome = run_module(sql_script_request, args(tmp_path, test_run=True))
    assert outcome.failed and 'test_run is True but all of the following are missing: test_database' \
        in outcome.result['msg']


def test_script_and_script_content_are_exclusive(run_module, tmp_path):
    script = tmp_path / 'fix.sql'
    script.write_text(SCRIPT)
    params = dict(args(tmp_path), script=str(script))
    outcome = run_module(sql_script_request, params)
    assert outcome.failed and 'mutually exclusive: script|script_content' in outcome.result['msg']


def test_a_script_that_is_not_utf8_fails(run_module, tmp_path):
    script = tmp_path / 'fix.sql'
    script.write_bytes(b'UPDATE asset SET d = \'\xff\';')
    outcome = run_module(sql_script_request, args(tmp_path, script=str(script)))
    assert outcome.failed and outcome.result['msg'] == 'the script is not UTF-8 text'


def test_the_package_holds_the_script_and_its_checksum(run_module, tmp_path):
    script = tmp_path / 'close-assets.sql'
    script.write_text(SCRIPT)
    outcome = run_module(sql_script_request, args(tmp_path, script=str(script)))
    assert not outcome.failed and outcome.result['changed']
    pkg = tmp_path / 'pkg'
    digest = hashlib.sha256(SCRIPT.encode()).hexdigest()
    assert (pkg / 'close-assets.sql').read_text() == SCRIPT and outcome.result['sha256'] == digest
    assert digest in (pkg / 'close-assets.sql.sha256').read_text()
    request = json.loads((pkg / 'request.json').read_text())
    assert request == outcome.result['request'] and 'offline backup' in (pkg / 'case.md').read_text().lower()


def test_the_test_run_is_rolled_back_and_recorded(run_module, tmp_path, test_database):
    path, calls, options = test_database
    outcome = run_module(sql_script_request, args(tmp_path, test_run=True, test_database=options, tested_date=None))
    assert not outcome.failed, outcome.result['msg'] if outcome.failed else ''
    assert len(calls) == 1 and 'HOSTNAME=testdb.example.com' in calls[0]
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT COUNT(*) FROM asset WHERE status = 'CLOSE'").fetchone() == (0,)
    text = repr(outcome.result) + (tmp_path / 'pkg' / 'case.md').read_text()
    assert PASSWORD not in text and outcome.result['request']['test_run'] == {'rolled_back': True, 'rows_affected': 2}


def test_the_test_run_is_not_made_in_check_mode(run_module, tmp_path, test_database):
    path, calls, options = test_database
    outcome = run_module(sql_script_request, args(tmp_path, test_run=True, test_database=options,
                                                  _ansible_check_mode=True))
    assert not outcome.failed and outcome.result['changed'] and calls == []
    assert not (tmp_path / 'pkg').exists()


def test_a_failing_test_run_says_so_and_writes_no_package(run_module, tmp_path, test_database):
    dummy, dummy2, options = test_database
    outcome = run_module(sql_script_request, args(tmp_path, test_run=True, test_database=options,
                                                  script_content='UPDATE nosuchtable SET a = 1;'))
    assert outcome.failed and outcome.result['msg'].startswith('the test run on test failed and was rolled back')
    assert not (tmp_path / 'pkg').exists() and PASSWORD not in repr(outcome.result)
