# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SQL script request package: refusals, the five required parts, determinism, and a rolled-back test run."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import datetime
import json
import sqlite3

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import dbapi
from ansible_collections.mas.dedicated.plugins.module_utils.cases import sql_script_request

SCRIPT = "SET SCHEMA main;\nUPDATE asset SET status = 'CLOSE' WHERE siteid = 'A';\nDELETE FROM asset WHERE siteid = 'B';\nCOMMIT;\n"
PARTS = {'description': 'Closes site A assets.', 'business_justification': 'Audit.',
         'technical_justification': 'Thousands of rows; the UI closes them one by one.'}
TARGET = {'name': 'prod', 'instance': 'acme', 'production': True}


def build(script=SCRIPT, test_results=None, **overrides):
    statements = sql_script_request.check_script(script, 'fix.sql')
    args = dict(tested=sql_script_request.tested_record('test', '2024-06-03'), requested_date=None)
    args.update(overrides)
    data = sql_script_request.summary(TARGET, 'fix.sql', sql_script_request.sha256_text(script.encode()), statements, PARTS,
                                      args['tested'], requested_date=args['requested_date'], test_results=test_results)
    return statements, data, sql_script_request.package_files('fix.sql', script.encode(), data)


@pytest.mark.parametrize('script,words', [
    ('<?xml version="1.0"?><!DOCTYPE script SYSTEM "script.dtd"><script author="a" scriptname="b">', 'DBC script'),
    ("UPDATE t SET a = 1; CREATE INDEX i ON t (a)", 'Database Configuration application'),
    ("UPDATE t SET a = 1; ALTER TABLE t ADD COLUMN b INT", 'changes the schema'),
    ("UPDATE t SET a = 1; CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW DELETE FROM u", 'trigger'),
    ("UPDATE t SET a = 1; CREATE PROCEDURE p() BEGIN END", 'procedure'),
    ("UPDATE t SET a = 1; EXPLAIN PLAN FOR SELECT 1 FROM t", 'explain'),
    ("UPDATE t SET a = 1; CALL fix()", 'not accepted'),
    ("UPDATE t SET a = 1; ROLLBACK", 'not accepted'),
    ("SELECT * FROM t", 'only reads'),
    ("-- nothing", 'no SQL statement'),
    ("UPDATE t SET a = 'x", 'cannot be split'),
])
def test_refused_scripts(script, words):
    with pytest.raises(sql_script_request.RequestError, match=words):
        sql_script_request.check_script(script)


def test_every_problem_is_listed_at_once():
    with pytest.raises(sql_script_request.RequestError) as caught:
        sql_script_request.check_script('UPDATE t SET a = 1;\nDROP TABLE t;\nCALL p()')
    assert 'statement 2 (line 2' in str(caught.value) and 'statement 3 (line 3' in str(caught.value)


def test_dbc_file_name_is_refused():
    with pytest.raises(sql_script_request.RequestError, match='DBC'):
        sql_script_request.check_script('UPDATE t SET a = 1', 'V7118_01.dbc')
    with pytest.raises(sql_script_request.RequestError, match='DBC'):
        sql_script_request.check_script_name('fix.dbc')
    with pytest.raises(sql_script_request.RequestError, match='plain file name'):
        sql_script_request.check_script_name('../fix.sql')


def test_required_parts():
    with pytest.raises(sql_script_request.RequestError) as caught:
        sql_script_request.check_parts(' ', 'b', None, False)
    message = str(caught.value)
    assert 'description' in message and 'technical_justification' in message and 'offline_backup' in message
    assert 'business_justification' not in message
    sql_script_request.check_parts('a', 'b', 'c', True)


def test_tested_record_and_lead_time():
    assert sql_script_request.tested_record('test', '2024-06-03') == {'environment': 'test', 'date': '2024-06-03'}
    for args, words in ((('', '2024-06-03'), 'tested_environment'), (('test', None), 'tested_date'),
                        (('test', '03/06/2024'), 'YYYY-MM-DD')):
        with pytest.raises(sql_script_request.RequestError, match=words):
            sql_script_request.tested_record(*args)
    today = datetime.date(2024, 6, 3)
    assert sql_script_request.check_requested_date('2024-06-06', today) == '2024-06-06'
    with pytest.raises(sql_script_request.RequestError, match='2024-06-06 or later'):
        sql_script_request.check_requested_date('2024-06-05', today)
    assert sql_script_request.check_requested_date(None, today) is None


def test_package_holds_the_five_parts_and_is_deterministic():
    statements, data, files = build()
    assert sorted(files) == ['case.md', 'fix.sql', 'fix.sql.sha256', 'request.json']
    assert files['fix.sql'] == SCRIPT.encode()
    digest = sql_script_request.sha256_text(SCRIPT.encode())
    assert files['fix.sql.sha256'] == ('%s  fix.sql\n' % digest).encode()
    case = files['case.md'].decode()
    for heading in ('## 1. SQL script (attached)', '## 2. What the script does to the data', '## 3. Business justification',
                    '## 4. Technical justification', '## 5. Offline backup'):
        assert heading in case
    assert digest in case and 'full offline backup' in case and 'Tested on: test, 2024-06-03' in case
    summary = json.loads(files['request.json'])
    assert summary['script']['kinds'] == {'other': 2, 'write': 2}
    assert summary['offline_backup_requested'] is True and summary['target'] == TARGET
    assert build()[2] == files


def test_rolled_back_test_run_on_a_real_database_records_counts():
    conn = sqlite3.connect(':memory:')
    conn.execute('CREATE TABLE asset (siteid TEXT, status TEXT)')
    conn.executemany('INSERT INTO asset VALUES (?, ?)', [('A', 'OK')] * 3 + [('B', 'OK')] * 2)
    conn.commit()
    script = "UPDATE asset SET status = 'CLOSE' WHERE siteid = 'A';\nDELETE FROM asset WHERE siteid = 'B';\nCOMMIT;\n"
    statements = sql_script_request.check_script(script)
    results = dbapi.run(conn, [(s, None) for s in statements], max_rows=0, finish='rollback',
                        skip=lambda statement: statement.transaction_control)
    assert conn.execute("SELECT COUNT(*) FROM asset WHERE status = 'OK'").fetchone()[0] == 5
    dummy, data, files = build(script, test_results=results)
    assert [row.get('rows_affected') for row in data['statements']] == [3, 2, None]
    assert data['statements'][2]['test'] == 'not run (transaction control)'
    assert data['test_run'] == {'rolled_back': True, 'rows_affected': 5}
    case = files['case.md'].decode()
    assert '| 1 | 1 | UPDATE | write | 3 rows affected |' in case and '5 rows affected in total' in case
