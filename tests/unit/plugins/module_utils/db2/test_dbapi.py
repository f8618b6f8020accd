# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DB-API execution and export layer, run for real on sqlite3 (a DB-API 2.0 database with qmark params)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import csv
import datetime
import decimal
import json
import os
import sqlite3

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import dbapi
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import sql


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / 'maximo.db')
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE asset (assetnum TEXT, siteid TEXT, status TEXT, cost NUMERIC, photo BLOB)')
    conn.executemany('INSERT INTO asset VALUES (?, ?, ?, ?, ?)',
                     [('A%04d' % i, 'BEDFORD' if i % 2 else 'NASHUA', 'OPERATING', i * 1.5,
                       None if i % 3 else bytes([i % 256, 0, 255])) for i in range(1, 101)])
    conn.commit()
    yield conn, path
    conn.close()


def items(text, *parameters):
    statements = sql.split(text)
    return [(statement, list(parameters) if parameters else None) for statement in statements]


def count(path, where='1=1'):
    other = sqlite3.connect(path)
    try:
        return other.execute('SELECT COUNT(*) FROM asset WHERE %s' % where).fetchone()[0]
    finally:
        other.close()


def test_reads_return_limited_rows_with_bound_parameters(db):
    conn, dummy = db
    result = dbapi.run(conn, items("SELECT assetnum, cost FROM asset WHERE siteid = ? ORDER BY assetnum", 'BEDFORD'),
                       max_rows=10, fetch_size=3)
    entry = result['statements'][0]
    assert entry['columns'] == ['assetnum', 'cost']
    assert entry['row_count'] == 10 and entry['truncated'] is True
    assert entry['rows'][0] == {'assetnum': 'A0001', 'cost': 1.5}
    exact = dbapi.run(conn, items("SELECT * FROM asset WHERE siteid = ?", 'NASHUA'), max_rows=50)
    assert exact['statements'][0]['row_count'] == 50 and exact['statements'][0]['truncated'] is False
    assert dbapi.run(conn, items('SELECT * FROM asset'), max_rows=0)['statements'][0]['truncated'] is True


def test_writes_commit_and_report_row_counts(db):
    conn, path = db
    result = dbapi.run(conn, items("UPDATE asset SET status = 'BROKEN' WHERE siteid = 'NASHUA'; "
                                   "DELETE FROM asset WHERE assetnum = 'A0001'"))
    assert [e['rows_affected'] for e in result['statements']] == [50, 1]
    assert result['rows_affected'] == 51
    assert count(path, "status = 'BROKEN'") == 50 and count(path) == 99


def test_rollback_finish_leaves_the_data(db):
    conn, path = db
    result = dbapi.run(conn, items("DELETE FROM asset WHERE siteid = 'BEDFORD'; SELECT COUNT(*) AS n FROM asset"),
                       finish='rollback')
    assert result['statements'][0]['rows_affected'] == 50
    assert result['statements'][1]['rows'] == [{'n': 50}]
    assert count(path) == 100


def test_an_error_rolls_back_everything_and_names_the_statement(db):
    conn, path = db
    with pytest.raises(dbapi.StatementError, match=r'statement 2 \(line 2\)') as caught:
        dbapi.run(conn, items("DELETE FROM asset;\nUPDATE nosuchtable SET a = 1"))
    assert caught.value.line == 2
    assert count(path) == 100


def test_error_mapper_is_used(db):
    conn, dummy = db

    class Mapped(dbapi.ServiceError):
        pass
    with pytest.raises(Mapped, match=r'statement 1 \(line 1\): mapped: no such table'):
        dbapi.run(conn, items('SELECT * FROM nope'), error_mapper=lambda exc: Mapped('mapped: %s' % exc))


def test_skipped_statements_are_reported_not_run(db):
    conn, path = db
    result = dbapi.run(conn, items("DELETE FROM asset; COMMIT"), finish='rollback',
                       skip=lambda statement: statement.transaction_control)
    assert result['statements'][1] == {'index': 1, 'line': 1, 'kind': 'other', 'verb': 'COMMIT', 'skipped': True}
    assert count(path) == 100


def test_csv_export_streams_all_rows_atomically(db, tmp_path):
    conn, dummy = db
    dest = str(tmp_path / 'assets.csv')
    plan = items('SELECT assetnum, cost, photo FROM asset ORDER BY assetnum')
    result = dbapi.run(conn, plan, fetch_size=7, export_to={'index': 0, 'path': dest, 'format': 'csv'})
    assert result['export']['rows'] == 100 and result['export']['changed'] is True
    with open(dest, newline='') as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ['assetnum', 'cost', 'photo']
    assert len(rows) == 101
    assert rows[1] == ['A0001', '1.5', ''] and rows[3] == ['A0003', '4.5', '0300ff']
    assert oct(os.stat(dest).st_mode & 0o777) == '0o644'
    again = dbapi.run(conn, plan, fetch_size=50, export_to={'index': 0, 'path': dest, 'format': 'csv'})
    assert again['export']['changed'] is False and again['export']['sha256'] == result['export']['sha256']
    assert [name for name in os.listdir(str(tmp_path)) if name.endswith('.part')] == []


def test_binary_column_first_seen_after_nulls_is_still_hex(db, tmp_path):
    conn, dummy = db
    dest = str(tmp_path / 'late.csv')
    # Rows 1 and 2 have NULL photos; the first bytes value appears in the second batch.
    dbapi.run(conn, items('SELECT assetnum, photo FROM asset ORDER BY assetnum'), fetch_size=2,
              export_to={'index': 0, 'path': dest, 'format': 'csv'})
    with open(dest) as handle:
        text = handle.read()
    assert 'A0003,0300ff' in text and "b'" not in text


def test_check_mode_export_predicts_without_writing(db, tmp_path):
    conn, dummy = db
    dest = str(tmp_path / 'assets.jsonl')
    plan = items('SELECT assetnum FROM asset')
    predicted = dbapi.run(conn, plan, export_to={'index': 0, 'path': dest, 'format': 'jsonl', 'write': False})
    assert predicted['export']['changed'] is True and not os.path.exists(dest)
    dbapi.run(conn, plan, export_to={'index': 0, 'path': dest, 'format': 'jsonl'})
    again = dbapi.run(conn, plan, export_to={'index': 0, 'path': dest, 'format': 'jsonl', 'write': False})
    assert again['export']['changed'] is False


def test_jsonl_export_types(tmp_path):
    conn = sqlite3.connect(':memory:', detect_types=sqlite3.PARSE_DECLTYPES)
    conn.execute('CREATE TABLE t (d TIMESTAMP, n TEXT, b BLOB)')
    conn.execute('INSERT INTO t VALUES (?, ?, ?)', (datetime.datetime(2024, 6, 3, 12, 30), 'é', b'\x00\x01'))
    dest = str(tmp_path / 'x.jsonl')
    dbapi.run(conn, items('SELECT d, n, b, 1.25 AS f FROM t'), export_to={'index': 0, 'path': dest, 'format': 'jsonl'})
    with open(dest, encoding='utf-8') as handle:
        lines = handle.read().splitlines()
    assert [json.loads(line) for line in lines] == [{'d': '2024-06-03T12:30:00', 'n': 'é', 'b': 'AAE=', 'f': 1.25}]


def test_json_value():
    assert dbapi.json_value(decimal.Decimal('12345678901234567890.12')) == '12345678901234567890.12'
    assert dbapi.json_value(datetime.date(2024, 1, 2)) == '2024-01-02'
    assert dbapi.json_value(memoryview(b'\xff')) == '/w=='
    assert dbapi.json_value(None) is None


def test_export_of_a_write_fails_and_rolls_back(db, tmp_path):
    conn, path = db
    with pytest.raises(dbapi.StatementError, match='no result set'):
        dbapi.run(conn, items("DELETE FROM asset"), export_to={'index': 0, 'path': str(tmp_path / 'x.csv')})
    assert count(path) == 100
    assert not os.path.exists(str(tmp_path / 'x.csv'))


def test_export_to_a_missing_directory_creates_it(db, tmp_path):
    """Like every file the modules write: the parent directories of the export are created."""
    conn, dummy = db
    dest = tmp_path / 'no' / 'x.csv'
    outcome = dbapi.run(conn, items('SELECT * FROM asset'), export_to={'index': 0, 'path': str(dest)})
    assert outcome['export']['changed'] and outcome['export']['rows'] > 0 and dest.stat().st_size > 0
    assert sorted(os.listdir(str(dest.parent))) == ['x.csv']


class CountingCursor:
    """Wraps a real sqlite3 cursor and records the batch sizes asked of fetchmany."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.asked = []

    @property
    def description(self):
        return self.cursor.description

    def fetchmany(self, size):
        self.asked.append(size)
        return self.cursor.fetchmany(size)


def test_export_reads_in_bounded_batches(db, tmp_path):
    conn, dummy = db
    cursor = CountingCursor(conn.execute('SELECT * FROM asset'))
    result = dbapi.export(cursor, str(tmp_path / 'b.csv'), 'csv', fetch_size=16)
    assert result['rows'] == 100
    assert set(cursor.asked) == {16} and len(cursor.asked) == 8


def test_unknown_format(db, tmp_path):
    conn, dummy = db
    with pytest.raises(ValueError, match='output_format'):
        dbapi.export(conn.execute('SELECT 1'), str(tmp_path / 'x'), 'xml')
