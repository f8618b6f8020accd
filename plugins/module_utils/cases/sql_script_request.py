# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the support-case package for a SQL script IBM SRE runs in production.

The support guide ("Running SQL Scripts in Production") [doc]: the case carries the script as an attachment, a
description of what it does to the data, the business justification, the technical justification of why the
Maximo front end cannot do it, and a request for a full offline backup first. Scripts must have been tested on
non-production; there is a 3-day lead time; DBC scripts are refused everywhere, and so are triggers,
procedures, explain plans and schema changes (those go through the Database Configuration application).

Everything here is a function of its inputs: the same inputs give byte-identical files.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import datetime
import hashlib
import json
import re

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import sql

LEAD_TIME_DAYS = 3
REQUIRED_PARTS = ('script', 'description', 'business_justification', 'technical_justification', 'offline_backup')
_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$')
BACKUP_REQUEST = ('Please take a full offline backup of the target database before running the script. We understand '
                  'that the backup is taken offline, that the site is down and unavailable while it runs, and that it '
                  'can take several hours depending on the size of the database.')
ACKNOWLEDGEMENTS = (
    'IBM SRE is not responsible for the script not working, script corrections, or issues during or after its '
    'execution; if issues arise, IBM SRE can only restore from the backup.',
    'Outages caused by running the script, and the time to recover, are not counted as an SLA breach.',
    'SQL scripts have a %d-day lead time.' % LEAD_TIME_DAYS,
)


class RequestError(RefusedError):
    """The request cannot be packaged: a missing part, a forbidden statement, a DBC file."""


def _date(name, value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value), '%Y-%m-%d').date()
    except ValueError:
        raise RequestError("%s '%s' is not a date in the form YYYY-MM-DD" % (name, value))


def check_script(text, filename=None, terminator=';'):
    """The statements of an acceptable script; RequestError for DBC scripts and every statement the rules forbid."""
    if sql.is_dbc(text, filename):
        raise RequestError('%s is a DBC script; DBC scripts are not allowed in any MAS Dedicated environment. Make the '
                           'change with the Database Configuration application and move it with Migration Manager'
                           % (filename or 'the script'))
    try:
        statements = sql.split(text, terminator)
    except sql.SqlSplitError as exc:
        raise RequestError('the script cannot be split safely: %s' % exc)
    if not statements:
        raise RequestError('the script holds no SQL statement')
    problems = []
    for number, statement in enumerate(statements, 1):
        where = 'statement %d (line %d, %s)' % (number, statement.line, statement.verb or statement.kind)
        if statement.kind == sql.DDL:
            problems.append('%s changes the schema: tables, columns, indexes and sequences are changed with the Maximo '
                            'Database Configuration application, not a SQL script' % where)
        elif statement.kind == sql.TRIGGER:
            problems.append('%s creates or changes a trigger, which is not allowed in any environment' % where)
        elif statement.kind == sql.PROCEDURE:
            problems.append('%s creates or changes a procedure or function, which is not allowed in any environment'
                            % where)
        elif statement.kind == sql.EXPLAIN:
            problems.append('%s runs an explain plan, which is not allowed in any environment' % where)
        elif statement.kind == sql.OTHER and statement.operation != 'db_read' and statement.verb != 'COMMIT':
            problems.append('%s is not accepted in a script request (%s); keep to INSERT, UPDATE, DELETE, MERGE, '
                            'SELECT, SET SCHEMA and COMMIT' % (where, statement.reason))
    if problems:
        raise RequestError('the script cannot be requested: ' + '; '.join(problems))
    if not any(statement.kind == sql.WRITE for statement in statements):
        raise RequestError('the script only reads data: no support case is needed, read from the ordered read replica '
                           'with mas.dedicated.db2_query')
    return statements


def check_parts(description, business_justification, technical_justification, offline_backup):
    """RequestError naming every required part that is missing."""
    missing = []
    for name, value in (('description', description), ('business_justification', business_justification),
                        ('technical_justification', technical_justification)):
        if not value or not str(value).strip():
            missing.append(name)
    if offline_backup is not True:
        missing.append('offline_backup (must be true: IBM requires the request for a full offline backup)')
    if missing:
        raise RequestError('the support case needs: %s' % ', '.join(missing))


def check_script_name(name):
    if not _NAME.match(name or '') or name in ('case.md', 'request.json'):
        raise RequestError("script_name '%s' is not a plain file name (letters, digits, '.', '_', '-')" % name)
    if name.lower().endswith(('.dbc', '.mxs')):
        raise RequestError("script_name '%s' names a DBC script; DBC scripts are not allowed" % name)
    return name


def tested_record(environment, date, production=False):
    """The non-production test the guide requires, as {'environment', 'date'}."""
    if not environment or not str(environment).strip():
        raise RequestError('tested_environment is required: IBM SRE runs only scripts tested on non-production')
    if production:
        raise RequestError("tested_environment '%s' is production; the script must be tested on a non-production "
                           "environment" % environment)
    if not date:
        raise RequestError('tested_date is required (YYYY-MM-DD)')
    return {'environment': str(environment).strip(), 'date': _date('tested_date', date).isoformat()}


def check_requested_date(requested, today):
    """The requested run date, which must leave the 3-day lead time after ``today``."""
    if not requested:
        return None
    when = _date('requested_date', requested)
    if when < today + datetime.timedelta(days=LEAD_TIME_DAYS):
        raise RequestError('requested_date %s is less than the %d-day lead time after %s; ask for %s or later'
                           % (when, LEAD_TIME_DAYS, today, today + datetime.timedelta(days=LEAD_TIME_DAYS)))
    return when.isoformat()


def sha256_text(data):
    return hashlib.sha256(data).hexdigest()


def statement_rows(statements, test_results=None):
    """One dict per statement for the summary, with the test run's row counts when there was one."""
    results = dict((entry['index'], entry) for entry in (test_results or {}).get('statements', []))
    rows = []
    for index, statement in enumerate(statements):
        row = {'number': index + 1, 'line': statement.line, 'kind': statement.kind, 'verb': statement.verb}
        entry = results.get(index)
        if entry is not None:
            if entry.get('skipped'):
                row['test'] = 'not run (transaction control)'
            elif 'rows_affected' in entry:
                row['rows_affected'] = entry['rows_affected']
            elif 'row_count' in entry:
                row['rows_returned'] = entry['row_count']
        rows.append(row)
    return rows


def summary(target, script_name, script_sha256, statements, parts, tested, requested_date=None, test_results=None,
            severity=3, title=None):
    """The JSON summary (request.json) as a dict."""
    return {
        'kind': 'sql_script_request',
        'title': title or default_title(target, script_name),
        'severity': severity,
        'target': target,
        'script': {'name': script_name, 'sha256': script_sha256, 'statements': len(statements),
                   'kinds': dict((k, v) for k, v in sql.summary(statements).items() if v)},
        'statements': statement_rows(statements, test_results),
        'description': parts['description'].strip(),
        'business_justification': parts['business_justification'].strip(),
        'technical_justification': parts['technical_justification'].strip(),
        'offline_backup_requested': True,
        'tested': tested,
        'test_run': ({'rolled_back': True, 'rows_affected': test_results['rows_affected']}
                     if test_results is not None else None),
        'requested_date': requested_date,
        'lead_time_days': LEAD_TIME_DAYS,
        'required_parts': list(REQUIRED_PARTS),
    }


def default_title(target, script_name):
    return 'SQL script request for %s: %s' % (target.get('name') or target.get('instance') or 'production', script_name)


def render_json(data):
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + '\n').encode('utf-8')


def _block(text):
    return '\n'.join('> ' + line if line.strip() else '>' for line in text.strip().splitlines())


def render_case(data):
    """The case text (Markdown) to paste into the IBM Support portal, with the script attached."""
    target = data['target']
    script = data['script']
    lines = [
        '# %s' % data['title'],
        '',
        '- Environment: %s%s (production)' % (target.get('name') or '?',
                                              ' of instance %s' % target['instance'] if target.get('instance') else ''),
        '- Suggested severity: %s' % data['severity'],
        '- Requested run date: %s' % (data['requested_date'] or 'not before %d days after this case is opened'
                                      % data['lead_time_days']),
        '',
        '## 1. SQL script (attached)',
        '',
        '- File: `%s` (%d statements: %s)' % (script['name'], script['statements'],
                                              ', '.join('%d %s' % (n, k) for k, n in sorted(script['kinds'].items()))),
        '- SHA-256: `%s`' % script['sha256'],
        '',
        '## 2. What the script does to the data',
        '',
        _block(data['description']),
        '',
        '## 3. Business justification',
        '',
        _block(data['business_justification']),
        '',
        '## 4. Technical justification: why the Maximo front end cannot do this',
        '',
        _block(data['technical_justification']),
        '',
        '## 5. Offline backup',
        '',
        BACKUP_REQUEST,
        '',
        '## Testing on non-production',
        '',
        '- Tested on: %s, %s' % (data['tested']['environment'], data['tested']['date']),
    ]
    if data['test_run'] is not None:
        lines.append('- Test run: the whole script ran in one transaction that was rolled back; %d rows affected in '
                     'total.' % data['test_run']['rows_affected'])
    lines.extend(['', '| # | line | statement | kind | test result |', '| --- | --- | --- | --- | --- |'])
    for row in data['statements']:
        if 'rows_affected' in row:
            outcome = '%s rows affected' % ('?' if row['rows_affected'] is None else row['rows_affected'])
        elif 'rows_returned' in row:
            outcome = '%d rows returned' % row['rows_returned']
        else:
            outcome = row.get('test', '')
        lines.append('| %d | %d | %s | %s | %s |' % (row['number'], row['line'], row['verb'], row['kind'], outcome))
    lines.extend(['', '## Acknowledged', ''])
    lines.extend('- %s' % text for text in ACKNOWLEDGEMENTS)
    return ('\n'.join(lines) + '\n').encode('utf-8')


def package_files(script_name, script_bytes, data):
    """{file name: bytes} of the package directory."""
    digest = sha256_text(script_bytes)
    return {
        script_name: script_bytes,
        script_name + '.sha256': ('%s  %s\n' % (digest, script_name)).encode('ascii'),
        'case.md': render_case(data),
        'request.json': render_json(data),
    }
