# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: split a DB2 SQL script into statements and classify each one.

The splitter understands ``--`` and ``/* */`` comments, string literals (``'it''s'``, ``X'..'``), quoted
identifiers, a chosen statement terminator, the CLP directive ``--#SET TERMINATOR x``, and ``BEGIN ... END``
bodies of compound statements (triggers, procedures, functions, anonymous blocks), which contain ``;``.

Each statement gets a kind (read, write, ddl, procedure, trigger, explain, other) and the operation of the
access-rules table (``policy.RULES``) that decides whether it may run. Anything the classifier cannot prove to
be a read is never treated as one: unknown statements count as writes.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.policy import PolicyError, guard

READ = 'read'
WRITE = 'write'
DDL = 'ddl'
PROCEDURE = 'procedure'
TRIGGER = 'trigger'
EXPLAIN = 'explain'
OTHER = 'other'
KINDS = (READ, WRITE, DDL, PROCEDURE, TRIGGER, EXPLAIN, OTHER)

# The operation of policy.RULES each kind needs. OTHER is a write unless proven to be a session setting.
OPERATIONS = {
    READ: 'db_read', WRITE: 'db_write', DDL: 'db_ddl', PROCEDURE: 'db_procedure', TRIGGER: 'db_trigger',
    EXPLAIN: 'db_explain', OTHER: 'db_write',
}

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<line_comment>--[^\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^']|'')*(?:'|\Z))
  | (?P<ident>"(?:[^"]|"")*(?:"|\Z))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)
  | (?P<other>.)
""", re.X | re.S)
_SET_TERMINATOR = re.compile(r'^--#SET\s+TERMINATOR\s+(\S+)', re.I)

_WRITE_VERBS = frozenset(('INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'IMPORT', 'LOAD', 'REFRESH'))
_DDL_VERBS = frozenset(('CREATE', 'ALTER', 'DROP', 'RENAME', 'COMMENT', 'GRANT', 'REVOKE', 'DECLARE', 'LABEL',
                        'TRANSFER', 'REORG', 'RUNSTATS'))
_ROUTINES = frozenset(('PROCEDURE', 'FUNCTION', 'METHOD', 'MODULE'))
_TRANSACTION = frozenset(('COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'))
# SET statements that only change how names are resolved in this session: harmless on a read-only replica.
_SESSION_SETTINGS = (('SCHEMA',), ('CURRENT', 'SCHEMA'), ('CURRENT', 'SQLID'), ('PATH',), ('CURRENT', 'PATH'),
                     ('CURRENT', 'ISOLATION'), ('CURRENT', 'DEGREE'), ('CURRENT', 'QUERY'), ('CURRENT', 'LOCALE'))
_BLOCK_END_FOLLOWERS = frozenset(('IF', 'LOOP', 'WHILE', 'FOR', 'REPEAT'))


class SqlSplitError(RefusedError):
    """The script cannot be split safely (an unterminated literal or comment could hide statements)."""


class Token:
    __slots__ = ('kind', 'text', 'start')

    def __init__(self, kind, text, start):
        self.kind = kind
        self.text = text
        self.start = start


class Statement:
    """One statement of a script: its text (without terminator), first line, kind, verb and policy operation."""

    def __init__(self, text, line, tokens):
        self.text = text
        self.line = line
        self.kind, self.verb, self.reason = classify_tokens(tokens)
        self.operation = OPERATIONS[self.kind]
        if self.kind == OTHER and _is_session_setting(tokens):
            self.operation = 'db_read'

    @property
    def transaction_control(self):
        return self.kind == OTHER and self.verb in _TRANSACTION

    def as_dict(self):
        return {'line': self.line, 'kind': self.kind, 'verb': self.verb, 'operation': self.operation,
                'reason': self.reason, 'sql': self.text}

    def __repr__(self):
        return 'Statement(line=%d, kind=%s, verb=%s)' % (self.line, self.kind, self.verb)


def _tokens(text):
    pos = 0
    length = len(text)
    while pos < length:
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup
        value = match.group(kind)
        if kind in ('string', 'ident', 'block_comment'):
            closed = value.endswith('*/') if kind == 'block_comment' else (len(value) > 1 and value.endswith(value[0]))
            if kind == 'block_comment' and len(value) < 4:
                closed = False
            if kind != 'block_comment' and _odd_quote_run(value):
                closed = False
            if not closed:
                what = {'string': 'string literal', 'ident': 'quoted identifier', 'block_comment': '/* comment'}[kind]
                raise SqlSplitError('unterminated %s starting at line %d' % (what, text.count('\n', 0, pos) + 1))
        yield Token(kind, value, pos)
        pos = match.end()


def _odd_quote_run(value):
    """True when a quoted token ends in an escaped quote rather than a closing one ('abc'' is unterminated)."""
    quote = value[0]
    inner = value[1:]
    run = len(inner) - len(inner.rstrip(quote))
    return run % 2 == 0


def _significant(tokens):
    return [t for t in tokens if t.kind not in ('ws', 'line_comment', 'block_comment')]


def _words(tokens):
    return [t.text.upper() for t in tokens if t.kind == 'word']


def _is_compound_start(words):
    if not words:
        return False
    if words[0] == 'BEGIN':
        return True
    if words[0] != 'CREATE':
        return False
    rest = words[1:]
    if rest[:2] == ['OR', 'REPLACE']:
        rest = rest[2:]
    return bool(rest) and (rest[0] == 'TRIGGER' or rest[0] in _ROUTINES)


def _depth_change(words, index):
    word = words[index]
    if word in ('BEGIN', 'CASE'):
        return 1
    if word == 'END':
        following = words[index + 1] if index + 1 < len(words) else None
        return 0 if following in _BLOCK_END_FOLLOWERS else -1
    return 0


def split(text, terminator=';'):
    """The statements of ``text`` as a list of Statement, in order; empty statements are dropped."""
    if not terminator or any(c.isspace() for c in terminator) or terminator in ('-', "'", '"', '/', '*'):
        raise SqlSplitError("terminator %r cannot end a statement: use one character such as ';' or '@'" % terminator)
    statements = []
    current = []
    depth = 0
    compound = None
    closing_word = False
    tokens = list(_tokens(text))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == 'line_comment':
            directive = _SET_TERMINATOR.match(token.text)
            if directive:
                _flush(statements, current, text)
                current = []
                depth, compound, closing_word = 0, None, False
                terminator = directive.group(1)
                index += 1
                continue
        # The terminator may be several tokens long (e.g. '@@') or glued to a word; compare on the text.
        if token.kind in ('other', 'word', 'number') and text.startswith(terminator, token.start) and depth <= 0:
            end = token.start + len(terminator)
            _flush(statements, current, text)
            current = []
            depth, compound, closing_word = 0, None, False
            while index < len(tokens) and tokens[index].start < end:
                index += 1
            continue
        current.append(token)
        if token.kind == 'word':
            if compound is None:
                words = _words(current)
                if words[0] != 'CREATE' or (len(words) >= 2 and words[1] != 'OR') or len(words) >= 4:
                    compound = _is_compound_start(words)
                    if compound:
                        # Count the BEGIN/CASE/END words seen so far.
                        depth = sum(_depth_change(words, i) for i in range(len(words)))
            elif compound:
                upper = token.text.upper()
                if closing_word:
                    # The CASE of 'END CASE' (or IF of 'END IF' ...) closes; it opens nothing.
                    closing_word = False
                elif upper in ('BEGIN', 'CASE'):
                    depth += 1
                elif upper == 'END':
                    following = _next_word(tokens, index)
                    if following not in _BLOCK_END_FOLLOWERS:
                        depth -= 1
                    closing_word = following in _BLOCK_END_FOLLOWERS or following == 'CASE'
        index += 1
    _flush(statements, current, text)
    return statements


def _next_word(tokens, index):
    for token in tokens[index + 1:]:
        if token.kind == 'word':
            return token.text.upper()
        if token.kind not in ('ws', 'line_comment', 'block_comment'):
            return None
    return None


def _flush(statements, tokens, text):
    significant = _significant(tokens)
    if not significant:
        return
    first, last = significant[0], significant[-1]
    body = text[first.start:last.start + len(last.text)]
    statements.append(Statement(body, text.count('\n', 0, first.start) + 1, tokens))


def _data_change_reference(significant):
    """A SELECT that changes data: ``FROM FINAL|NEW|OLD TABLE (INSERT|UPDATE|DELETE|MERGE ...)``."""
    for i, token in enumerate(significant):
        if token.kind == 'word' and token.text.upper() in ('FINAL', 'NEW', 'OLD') and i + 3 < len(significant):
            nxt, paren, verb = significant[i + 1], significant[i + 2], significant[i + 3]
            if (nxt.kind == 'word' and nxt.text.upper() == 'TABLE' and paren.text == '('
                    and verb.kind == 'word' and verb.text.upper() in ('INSERT', 'UPDATE', 'DELETE', 'MERGE')):
                return verb.text.upper()
    return None


def _main_verb_after_with(significant):
    """The verb of a ``WITH cte AS (...) <verb>`` statement: the first verb at parenthesis depth 0."""
    depth = 0
    for token in significant[1:]:
        if token.text == '(':
            depth += 1
        elif token.text == ')':
            depth -= 1
        elif depth == 0 and token.kind == 'word' and token.text.upper() in (
                'SELECT', 'VALUES', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'):
            return token.text.upper()
    return None


def classify_tokens(tokens):
    """(kind, verb, reason) of one statement's tokens."""
    significant = _significant(tokens)
    leading = [t for t in significant if t.text != '(']
    words = _words(significant)
    if not leading or leading[0].kind != 'word':
        return OTHER, (leading[0].text if leading else ''), 'does not start with an SQL keyword'
    verb = leading[0].text.upper()
    following = words[1:]
    if verb == 'WITH':
        main = _main_verb_after_with(significant)
        if main is None:
            return OTHER, verb, 'WITH without a SELECT, VALUES, INSERT, UPDATE, DELETE or MERGE'
        verb = main
    if verb in ('SELECT', 'VALUES'):
        changer = _data_change_reference(significant)
        if changer:
            return WRITE, changer, 'a data-change table reference (FINAL/NEW/OLD TABLE (%s ...)) changes data' % changer
        return READ, verb, ''
    if verb in _WRITE_VERBS:
        return WRITE, verb, 'changes data'
    if verb == 'EXPLAIN':
        return EXPLAIN, verb, 'runs an explain plan'
    if verb == 'SET':
        if following[:3] in (['CURRENT', 'EXPLAIN', 'MODE'], ['CURRENT', 'EXPLAIN', 'SNAPSHOT']):
            return EXPLAIN, verb, 'turns explain on'
        return OTHER, verb, 'a SET statement'
    if verb == 'CALL':
        name = ''.join(t.text for t in significant[1:4]).upper()
        if 'EXPLAIN' in name:
            return EXPLAIN, verb, 'calls an explain procedure'
        return OTHER, verb, 'calls a procedure, which may change data'
    if verb in _DDL_VERBS:
        objects = following
        if objects[:2] == ['OR', 'REPLACE']:
            objects = objects[2:]
        if objects[:1] == ['SPECIFIC']:
            objects = objects[1:]
        if objects[:1] == ['TRIGGER']:
            return TRIGGER, verb, '%s TRIGGER' % verb
        if objects[:1] and objects[0] in _ROUTINES:
            return PROCEDURE, verb, '%s %s' % (verb, objects[0])
        return DDL, verb, 'changes the schema or privileges'
    if verb == 'BEGIN':
        return OTHER, verb, 'a compound SQL block, which may change data'
    if verb in _TRANSACTION:
        return OTHER, verb, 'transaction control'
    return OTHER, verb, 'not a statement the classifier knows to be a read'


def _is_session_setting(tokens):
    words = _words(_significant(tokens))
    if not words or words[0] != 'SET':
        return False
    return any(tuple(words[1:1 + len(prefix)]) == prefix for prefix in _SESSION_SETTINGS)


def classify(sql):
    """The kind of a single statement's text (the first statement when it holds several)."""
    statements = split(sql)
    if not statements:
        raise SqlSplitError('no SQL statement found')
    return statements[0].kind


def summary(statements):
    """{kind: count} for every kind, in KINDS order."""
    counts = dict((kind, 0) for kind in KINDS)
    for statement in statements:
        counts[statement.kind] += 1
    return counts


_DBC_MARKERS = re.compile(r'<!DOCTYPE\s+script|<script\b[^>]*>\s*(?:<description>|<statements>)|<statements>\s*<'
                          r'(?:define_table|modify_table|freeform|add_attributes|create_relationship|specify_index)',
                          re.I)


def is_dbc(text, filename=None):
    """Whether a script is a Maximo DBC script (XML ``<script>`` with ``<statements>``, or a ``.dbc`` file)."""
    if filename and filename.lower().endswith(('.dbc', '.mxs')):
        return True
    return bool(_DBC_MARKERS.search(text or ''))


class StatementRefused(RefusedError):
    """A statement the access rules or the module's settings do not allow; raised before connecting."""

    def __init__(self, message, statement):
        super(StatementRefused, self).__init__(message)
        self.statement = statement


def check_statements(statements, environment, allow_write=False, replica=False):
    """Refuse, before connecting, every statement the access rules (policy.py) forbid in ``environment``.

    Writes (and statements not known to be reads) also need ``allow_write``. Returns how many change data.
    """
    writes = 0
    for number, statement in enumerate(statements, 1):
        where = 'statement %d (line %d, %s)' % (number, statement.line, statement.verb or statement.kind)
        try:
            guard(statement.operation, environment, replica=replica)
        except PolicyError as exc:
            reason = str(exc).replace('Refused before sending anything: ', '', 1)
            raise StatementRefused('%s: %s' % (where, reason), statement)
        if statement.operation == 'db_write':
            writes += 1
            if not allow_write:
                raise StatementRefused(
                    '%s is not a read (%s); set allow_write: true to run statements that change data in '
                    'non-production' % (where, statement.reason or statement.kind), statement)
    return writes
