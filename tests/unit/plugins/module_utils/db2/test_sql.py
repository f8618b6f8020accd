# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The statement splitter and classifier: literals, comments, terminators, compound bodies, and every kind."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import sql
from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment

PROD = Environment(name='prod', production=True)
DEV = Environment(name='dev', production=False)


def kinds(text, terminator=';'):
    return [(s.kind, s.verb) for s in sql.split(text, terminator)]


@pytest.mark.parametrize('text,expected', [
    ('SELECT * FROM asset', (sql.READ, 'SELECT')),
    ('  (SELECT 1 FROM sysibm.sysdummy1)', (sql.READ, 'SELECT')),
    ('VALUES CURRENT DATE', (sql.READ, 'VALUES')),
    ('with a as (select 1 x from t) select * from a', (sql.READ, 'SELECT')),
    ('WITH a AS (SELECT 1 FROM t), b (c) AS (SELECT 2 FROM u) SELECT * FROM a, b', (sql.READ, 'SELECT')),
    ('SELECT * FROM FINAL TABLE (INSERT INTO t (a) VALUES (1))', (sql.WRITE, 'INSERT')),
    ('select id from old table (delete from t where a = 1)', (sql.WRITE, 'DELETE')),
    ('SELECT * FROM NEW TABLE (UPDATE t SET a = 2)', (sql.WRITE, 'UPDATE')),
    ("SELECT 'FINAL TABLE (INSERT' FROM t", (sql.READ, 'SELECT')),
    ('INSERT INTO t VALUES (1)', (sql.WRITE, 'INSERT')),
    ('update asset set status = ?', (sql.WRITE, 'UPDATE')),
    ('DELETE FROM t', (sql.WRITE, 'DELETE')),
    ('MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b', (sql.WRITE, 'MERGE')),
    ('TRUNCATE TABLE t IMMEDIATE', (sql.WRITE, 'TRUNCATE')),
    ('WITH x AS (SELECT 1 FROM t) INSERT INTO u SELECT * FROM x', (sql.WRITE, 'INSERT')),
    ('CREATE TABLE t (a INT)', (sql.DDL, 'CREATE')),
    ('ALTER TABLE t ADD COLUMN b INT', (sql.DDL, 'ALTER')),
    ('DROP INDEX i1', (sql.DDL, 'DROP')),
    ('CREATE SEQUENCE s', (sql.DDL, 'CREATE')),
    ('GRANT SELECT ON t TO USER bob', (sql.DDL, 'GRANT')),
    ('COMMENT ON TABLE t IS \'x\'', (sql.DDL, 'COMMENT')),
    ('CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW UPDATE u SET a = 1', (sql.TRIGGER, 'CREATE')),
    ('create or replace trigger trg before update on t for each row set n.a = 1', (sql.TRIGGER, 'CREATE')),
    ('DROP TRIGGER trg', (sql.TRIGGER, 'DROP')),
    ('CREATE PROCEDURE p() LANGUAGE SQL BEGIN END', (sql.PROCEDURE, 'CREATE')),
    ('CREATE OR REPLACE FUNCTION f() RETURNS INT RETURN 1', (sql.PROCEDURE, 'CREATE')),
    ('DROP SPECIFIC PROCEDURE p1', (sql.PROCEDURE, 'DROP')),
    ('ALTER PROCEDURE p EXTERNAL NAME x', (sql.PROCEDURE, 'ALTER')),
    ('EXPLAIN PLAN FOR SELECT * FROM t', (sql.EXPLAIN, 'EXPLAIN')),
    ('EXPLAIN ALL WITH SNAPSHOT FOR SELECT 1 FROM t', (sql.EXPLAIN, 'EXPLAIN')),
    ('SET CURRENT EXPLAIN MODE YES', (sql.EXPLAIN, 'SET')),
    ("CALL SYSPROC.EXPLAIN_FROM_SQL('x')", (sql.EXPLAIN, 'CALL')),
    ('CALL maximo.fix_it(1)', (sql.OTHER, 'CALL')),
    ("CALL SYSPROC.ADMIN_CMD('REORG TABLE t')", (sql.OTHER, 'CALL')),
    ('COMMIT', (sql.OTHER, 'COMMIT')),
    ('LOCK TABLE t IN EXCLUSIVE MODE', (sql.OTHER, 'LOCK')),
    ('SET SCHEMA maximo', (sql.OTHER, 'SET')),
    ('frobnicate everything', (sql.OTHER, 'FROBNICATE')),
    ('42', (sql.OTHER, '42')),
])
def test_each_kind(text, expected):
    statements = sql.split(text)
    assert len(statements) == 1
    assert (statements[0].kind, statements[0].verb) == expected


@pytest.mark.parametrize('text,operation', [
    ('SELECT 1 FROM t', 'db_read'),
    ('SET SCHEMA maximo', 'db_read'),
    ('SET CURRENT SCHEMA = maximo', 'db_read'),
    ('SET CURRENT ISOLATION = UR', 'db_read'),
    ('SET CURRENT PACKAGESET = x', 'db_write'),
    ('CALL p()', 'db_write'),
    ('BEGIN DECLARE x INT; SET x = 1; END', 'db_write'),
    ('frobnicate', 'db_write'),
    ('UPDATE t SET a = 1', 'db_write'),
    ('CREATE VIEW v AS SELECT 1 FROM t', 'db_ddl'),
    ('CREATE TRIGGER t1 AFTER INSERT ON t FOR EACH ROW UPDATE u SET a = 1', 'db_trigger'),
    ('CREATE PROCEDURE p() BEGIN END', 'db_procedure'),
    ('EXPLAIN PLAN FOR SELECT 1 FROM t', 'db_explain'),
])
def test_unknown_statements_are_never_reads(text, operation):
    assert sql.split(text)[0].operation == operation


def test_terminators_inside_literals_comments_and_identifiers_do_not_split():
    script = """-- a comment; with a terminator
    SELECT 'a;b', "col;x", X'3B' FROM t /* ; */ WHERE c = 'it''s; here';
    UPDATE t SET a = ';' -- trailing; comment
    WHERE b = 1;"""
    statements = sql.split(script)
    assert [(s.kind, s.line) for s in statements] == [(sql.READ, 2), (sql.WRITE, 3)]
    assert statements[0].text.endswith("c = 'it''s; here'")
    assert statements[1].text.startswith("UPDATE t SET a = ';'")
    assert statements[1].text.endswith('WHERE b = 1')


def test_empty_statements_and_trailing_comments_are_dropped():
    assert kinds(';;\n  ; -- only a comment\n/* and another */') == []
    assert kinds('SELECT 1 FROM t;;; -- end') == [(sql.READ, 'SELECT')]
    assert kinds('SELECT 1 FROM t') == [(sql.READ, 'SELECT')]


def test_compound_trigger_body_stays_one_statement():
    script = """CREATE TRIGGER trg AFTER INSERT ON t REFERENCING NEW AS n FOR EACH ROW
    BEGIN ATOMIC
      IF n.a > 1 THEN
        UPDATE u SET x = CASE WHEN n.a = 2 THEN 1 ELSE 2 END;
      END IF;
      INSERT INTO log VALUES (n.a);
    END;
    SELECT * FROM t;"""
    statements = sql.split(script)
    assert [s.kind for s in statements] == [sql.TRIGGER, sql.READ]
    assert statements[0].text.rstrip().endswith('END')
    assert 'INSERT INTO log' in statements[0].text
    assert statements[1].line == 8


def test_nested_blocks_in_a_procedure():
    script = ("CREATE OR REPLACE PROCEDURE p() BEGIN DECLARE c INT; "
              "BEGIN SET c = 1; END; WHILE c < 3 DO SET c = c + 1; END WHILE; "
              "CASE c WHEN 1 THEN SET c = 2; ELSE SET c = 3; END CASE; END; VALUES 1")
    assert kinds(script) == [(sql.PROCEDURE, 'CREATE'), (sql.READ, 'VALUES')]


def test_anonymous_block_is_one_statement():
    assert kinds('BEGIN UPDATE t SET a = 1; DELETE FROM u; END; SELECT 1 FROM t') == [
        (sql.OTHER, 'BEGIN'), (sql.READ, 'SELECT')]


def test_case_expressions_outside_blocks_do_not_hold_the_terminator():
    assert kinds("SELECT CASE WHEN a = 1 THEN 'x' END FROM t; DELETE FROM t") == [
        (sql.READ, 'SELECT'), (sql.WRITE, 'DELETE')]


def test_chosen_terminator_and_clp_directive():
    assert kinds('SELECT 1 FROM t; SELECT 2 FROM t@UPDATE t SET a = 1@', '@') == [
        (sql.READ, 'SELECT'), (sql.WRITE, 'UPDATE')]
    script = """SELECT 1 FROM t;
--#SET TERMINATOR @
CREATE PROCEDURE p() BEGIN UPDATE t SET a = 1; END@
--#SET TERMINATOR ;
DELETE FROM t;"""
    statements = sql.split(script)
    assert [(s.kind, s.line) for s in statements] == [(sql.READ, 1), (sql.PROCEDURE, 3), (sql.WRITE, 5)]
    assert statements[1].text == 'CREATE PROCEDURE p() BEGIN UPDATE t SET a = 1; END'


@pytest.mark.parametrize('text,what', [
    ("SELECT 'abc FROM t; DELETE FROM t", 'string literal'),
    ("SELECT 'it''", 'string literal'),
    ('SELECT "abc FROM t', 'quoted identifier'),
    ('SELECT 1 /* never closed; DELETE FROM t', '/* comment'),
    ('SELECT 1 FROM t;\n/*/', '/* comment'),
])
def test_unterminated_literals_refuse_to_split(text, what):
    with pytest.raises(sql.SqlSplitError, match=what):
        sql.split(text)


def test_closed_edge_literals():
    assert kinds("SELECT '' FROM t; SELECT '''' FROM t; SELECT /**/ 1 FROM t") == [(sql.READ, 'SELECT')] * 3


@pytest.mark.parametrize('terminator', ['', ' ', '-', "'", '/'])
def test_bad_terminators(terminator):
    with pytest.raises(sql.SqlSplitError):
        sql.split('SELECT 1', terminator)


def test_lines_count_from_the_script_start():
    statements = sql.split('\n\n-- x\nSELECT 1\nFROM t;\n\n  DELETE FROM t;')
    assert [s.line for s in statements] == [4, 7]


def test_summary_and_dict():
    statements = sql.split('SELECT 1 FROM t; UPDATE t SET a = 1; UPDATE t SET b = 2')
    assert sql.summary(statements)[sql.WRITE] == 2 and sql.summary(statements)[sql.READ] == 1
    assert statements[1].as_dict()['operation'] == 'db_write'


@pytest.mark.parametrize('text,name,expected', [
    ('<?xml version="1.0"?>\n<!DOCTYPE script SYSTEM "script.dtd">\n<script author="x" scriptname="V1">', None, True),
    ('<script author="a" scriptname="b">\n  <description>d</description>\n  <statements>', None, True),
    ('SELECT 1 FROM t', 'fix.dbc', True),
    ('SELECT 1 FROM t', 'V7_01.MXS', True),
    ("SELECT '<script>' FROM t", 'fix.sql', False),
    ('UPDATE t SET a = 1', None, False),
])
def test_dbc_detection(text, name, expected):
    assert sql.is_dbc(text, name) is expected


def test_production_reads_need_the_replica():
    reads = sql.split('SELECT 1 FROM t; SET SCHEMA maximo')
    with pytest.raises(sql.StatementRefused, match='replica'):
        sql.check_statements(reads, PROD)
    assert sql.check_statements(reads, PROD, replica=True) == 0


@pytest.mark.parametrize('text', ['UPDATE t SET a = 1', 'CALL p()', 'SELECT * FROM FINAL TABLE (DELETE FROM t)'])
def test_production_refuses_writes_even_with_allow_write(text):
    with pytest.raises(sql.StatementRefused, match='not allowed') as caught:
        sql.check_statements(sql.split('SELECT 1 FROM t;' + text), PROD, allow_write=True, replica=True)
    assert 'statement 2 (line 1' in str(caught.value)


def test_non_production_writes_need_allow_write():
    statements = sql.split('SELECT 1 FROM t; UPDATE t SET a = 1; DELETE FROM t')
    with pytest.raises(sql.StatementRefused, match='allow_write'):
        sql.check_statements(statements, DEV)
    assert sql.check_statements(statements, DEV, allow_write=True) == 2


@pytest.mark.parametrize('text', ['CREATE TABLE t (a INT)', 'EXPLAIN PLAN FOR SELECT 1 FROM t',
                                  'CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW DELETE FROM u',
                                  'CREATE PROCEDURE p() BEGIN END'])
@pytest.mark.parametrize('environment', [DEV, PROD])
def test_never_allowed_anywhere(text, environment):
    with pytest.raises(sql.StatementRefused, match='not allowed'):
        sql.check_statements(sql.split(text), environment, allow_write=True, replica=True)
