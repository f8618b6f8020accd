# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""db2_query through main(): statements run on a real DB-API database (sqlite3, qmark like ibm_db_dbi) in place of
DB2, the connection string it is given, exports, commit / rollback.

The refusals before connecting are in test_db2_modules.py; the real ibm_db driver on the wire (its GSKit needs
the library path the integration target sets) in tests/integration/targets/db2_query.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import sqlite3

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection
from ansible_collections.mas.dedicated.plugins.modules import db2_query

PASSWORD = 'unit-db-password-7e21'


@pytest.fixture
def database(tmp_path, monkeypatch):
    """A sqlite3 file standing in for DB2; ``connections`` records the connection strings db2_connection.connect got."""
    path = str(tmp_path / 'maximo.db')
    with sqlite3.connect(path) as setup:
        setup.execute('CREATE TABLE asset (assetnum TEXT, status TEXT)')
        setup.executemany('INSERT INTO asset VALUES (?, ?)', [('A1', 'OPERATING'), ('A2', 'BROKEN'), ('A3', 'BROKEN')])
    connections = []

    def connect(conn_string, target='the database', secrets=()):
        connections.append(conn_string)
        return sqlite3.connect(path)
    monkeypatch.setattr(db2_connection, 'connect', connect)
    return path, connections


@pytest.fixture
def cert(tmp_path):
    path = tmp_path / 'db.arm'
    path.write_text('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n')
    return str(path)


def args(cert, **extra):
    result = dict(hostname='db.example.com', port=50001, database='BLUDB', username='maxadmin', password=PASSWORD,
                  ssl_server_certificate=cert, production=False)
    result.update(extra)
    return result


def rows(path, sql):
    with sqlite3.connect(path) as check:
        return check.execute(sql).fetchall()


def test_sql_and_statements_are_exclusive(run_module, no_network, cert):
    outcome = run_module(db2_query, args(cert, sql='SELECT 1', statements=[{'sql': 'SELECT 2'}]))
    assert outcome.failed and 'mutually exclusive: sql|statements' in outcome.result['msg']


def test_negative_max_rows_fail(run_module, cert):
    outcome = run_module(db2_query, args(cert, sql='SELECT 1', max_rows=-1))
    assert outcome.failed and outcome.result['msg'].startswith('max_rows must be between 0 and ')


def test_a_read_returns_rows_over_ssl_and_changes_nothing(run_module, database, cert):
    path, connections = database
    outcome = run_module(db2_query, args(cert, sql='SELECT assetnum FROM asset WHERE status = ? ORDER BY assetnum',
                                         parameters=['BROKEN']))
    assert not outcome.failed and not outcome.result['changed'] and outcome.result['writes'] == 0
    statement = outcome.result['statements'][0]
    assert [list(row.values()) if isinstance(row, dict) else list(row) for row in statement['rows']] == [['A2'], ['A3']]
    assert 'SECURITY=SSL' in connections[0] and 'SSLServerCertificate=%s' % cert in connections[0]
    assert PASSWORD not in repr(outcome.result)


def test_max_rows_truncates(run_module, database, cert):
    outcome = run_module(db2_query, args(cert, sql='SELECT * FROM asset', max_rows=1))
    assert len(outcome.result['statements'][0]['rows']) == 1 and outcome.result['statements'][0]['truncated']


def test_a_write_needs_allow_write_then_commits(run_module, database, cert):
    path, dummy = database
    refused = run_module(db2_query, args(cert, sql="UPDATE asset SET status = 'FIXED' WHERE status = 'BROKEN'"))
    fixed = "SELECT COUNT(*) FROM asset WHERE status = 'FIXED'"
    assert refused.failed and refused.result['refused'] and rows(path, fixed) == [(0,)]
    done = run_module(db2_query, args(cert, sql="UPDATE asset SET status = 'FIXED' WHERE status = 'BROKEN'",
                                      allow_write=True))
    assert not done.failed and done.result['changed'] and done.result['rows_affected'] == 2
    assert rows(path, "SELECT COUNT(*) FROM asset WHERE status = 'FIXED'") == [(2,)]
    again = run_module(db2_query, args(cert, sql="UPDATE asset SET status = 'FIXED' WHERE status = 'BROKEN'",
                                       allow_write=True))
    assert not again.result['changed'] and again.result['rows_affected'] == 0


def test_a_failing_statement_rolls_back_the_earlier_ones(run_module, database, cert):
    path, dummy = database
    outcome = run_module(db2_query, args(cert, allow_write=True, statements=[
        {'sql': "UPDATE asset SET status = 'GONE'"}, {'sql': 'UPDATE nosuchtable SET a = 1'}]))
    assert outcome.failed and 'nosuchtable' in outcome.result['msg']
    assert rows(path, "SELECT COUNT(*) FROM asset WHERE status = 'GONE'") == [(0,)]


def test_output_writes_a_csv_once(run_module, database, cert, tmp_path):
    dest = tmp_path / 'assets.csv'
    params = args(cert, sql='SELECT assetnum, status FROM asset ORDER BY assetnum', output=str(dest))
    check = run_module(db2_query, dict(params, _ansible_check_mode=True))
    assert not check.failed and check.result['changed'] and not dest.exists()
    first = run_module(db2_query, params)
    assert first.result['changed'] and dest.read_text().splitlines()[:2] == ['assetnum,status', 'A1,OPERATING']
    assert oct(dest.stat().st_mode & 0o777) == '0o600'
    again = run_module(db2_query, params)
    assert not again.result['changed']


def test_a_bad_output_mode_fails(run_module, cert, tmp_path):
    outcome = run_module(db2_query, args(cert, sql='SELECT 1 FROM asset', output=str(tmp_path / 'x.csv'),
                                         output_mode='rw'))
    assert outcome.failed and "output_mode 'rw' is not an octal mode" in outcome.result['msg']
