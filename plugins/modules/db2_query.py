#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: db2_query
short_description: Run SQL on a MAS Dedicated DB2 database over SSL, within the access rules
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Runs one or more SQL statements with bound parameters on the DB2 database of a MAS Dedicated environment,
    always over SSL with the server certificate IBM provided.
  - Every statement is classified first (read, write, ddl, procedure, trigger, explain, other) and checked against
    the support guide's database access rules B(before any connection is made).
  - In production only reads are allowed, and only from the ordered read replica (O(replica=true)).
  - In non-production, statements that change data run only with O(allow_write=true); triggers, procedures,
    explain plans and schema changes (use the Maximo Database Configuration application) are refused everywhere.
  - All statements run in one transaction, committed when it holds writes and otherwise rolled back; on any error
    everything is rolled back.
  - Result sets are returned (at most O(max_rows) rows each) or streamed to a CSV or JSON Lines file with bounded
    memory (C(fetchmany) batches), written atomically.
options:
  sql:
    description:
      - One or more statements separated by O(terminator). Comments, string literals and C(BEGIN ... END) bodies
        are understood.
      - Exactly one of O(sql) and O(statements) is required.
    type: str
  parameters:
    description:
      - Values bound to the C(?) markers of O(sql), which must then hold a single statement.
    type: list
    elements: raw
  statements:
    description:
      - Statements with their own parameters, run in order in one transaction.
    type: list
    elements: dict
    suboptions:
      sql:
        description: One statement.
        type: str
        required: true
      parameters:
        description: Values bound to its C(?) markers.
        type: list
        elements: raw
  terminator:
    description:
      - The statement terminator of O(sql). A C(--#SET TERMINATOR x) line in the script changes it too.
    type: str
    default: ';'
  allow_write:
    description:
      - Allow statements that change data (and statements not known to be reads, such as C(CALL)) in a
        non-production environment. Production refuses them whatever this says.
    type: bool
    default: false
  max_rows:
    description:
      - The most rows returned for each result set; RV(statements[].truncated) tells when there were more.
      - From 0 to 10,000,000; a value outside is refused before anything is sent.
    type: int
    default: 1000
  fetch_size:
    description:
      - Rows fetched per C(fetchmany) batch; bounds the memory used by an export.
      - From 1 to 100,000; a value outside is refused before anything is sent.
    type: int
    default: 5000
  output:
    description:
      - Stream the result set of the one read statement to this file instead of returning its rows.
      - The file is written atomically (a temporary file beside it, moved into place with Ansible's atomic move,
        which keeps an existing file's SELinux context) and left untouched when the content is the same. Missing
        parent directories are created; its permissions are O(output_mode).
      - A directory, or a path under a file, is refused before connecting.
    type: path
  output_format:
    description:
      - V(csv) writes RFC 4180 CSV with a header row (binary values as hex); V(jsonl) writes one JSON object per
        row (decimals and binary as strings, dates in ISO 8601).
    type: str
    choices: [csv, jsonl]
    default: csv
  output_mode:
    description:
      - The permissions of the O(output) file.
    type: raw
    default: '0600'
extends_documentation_fragment:
  - mas.dedicated.environment
  - mas.dedicated.db2
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_db2
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - Statements that change data are not run (nothing connects); reads run and an export only predicts whether
        the file would change.
  diff_mode:
    support: none
notes:
  - V(changed) is true when a statement changed rows (or may have, such as a C(CALL)), or when the O(output) file
    changed. Reads alone never report a change.
  - The connection string always holds C(SECURITY=SSL) and C(SSLServerCertificate); connection errors are mapped
    to messages that say what to check (unreachable host, certificate, host name, credentials, expired password).
seealso:
  - module: mas.dedicated.db2_client_config
  - module: mas.dedicated.sql_script_request
'''

EXAMPLES = r'''
- name: Count open work orders on the production read replica
  mas.dedicated.db2_query:
    instance: acme
    environment: prod
    production: true
    replica: true
    hostname: acme-replica.db.example.com
    port: 50001
    database: BLUDB
    username: "{{ replica_user }}"
    password: "{{ replica_password }}"
    ssl_server_certificate: /etc/mas/acme-replica.arm
    sql: SELECT COUNT(*) AS n FROM maximo.workorder WHERE status = ?
    parameters: [WAPPR]
  register: open_wo

- name: Export all assets of a site to CSV
  mas.dedicated.db2_query:
    production: true
    replica: true
    sql: SELECT assetnum, description, status FROM maximo.asset WHERE siteid = 'BEDFORD'
    output: /tmp/assets.csv

- name: Fix a description in the test environment
  mas.dedicated.db2_query:
    environment: test
    production: false
    allow_write: true
    statements:
      - sql: UPDATE maximo.asset SET description = ? WHERE assetnum = ? AND siteid = ?
        parameters: [Pump 7, '11430', BEDFORD]
'''

RETURN = r'''
statements:
  description: One entry per statement, in order.
  returned: always
  type: list
  elements: dict
  contains:
    line:
      description: The line of O(sql) where the statement starts.
      type: int
    kind:
      description: read, write, ddl, procedure, trigger, explain or other.
      type: str
    verb:
      description: The statement's main keyword (SELECT, UPDATE ...).
      type: str
    columns:
      description: Column names of a result set.
      type: list
      elements: str
    rows:
      description: Rows of a result set as dicts (at most O(max_rows)).
      type: list
      elements: dict
    truncated:
      description: Whether the result set had more than O(max_rows) rows.
      type: bool
    rows_affected:
      description: Rows changed by a write, when the driver knows.
      type: int
    skipped:
      description: True in check mode for statements that were not run.
      type: bool
  sample: [{line: 1, kind: read, verb: SELECT, columns: [N], rows: [{N: 42}], row_count: 1, truncated: false}]
rows_affected:
  description: Rows changed by all writes.
  returned: always
  type: int
writes:
  description: How many statements change data.
  returned: always
  type: int
export:
  description: The O(output) file.
  returned: when O(output) is set
  type: dict
  contains:
    path:
      description: The file.
      type: str
    rows:
      description: Rows written.
      type: int
    bytes:
      description: Size of the file.
      type: int
    sha256:
      description: SHA-256 of the file.
      type: str
    changed:
      description: Whether the file changed (or would, in check mode).
      type: bool
target:
  description: The database, host and port used (no credentials).
  returned: always
  type: str
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec, db2_target
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import dbapi
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import sql


def parse_statements(params):
    try:
        if params['sql'] is not None:
            parsed = sql.split(params['sql'], params['terminator'])
            if not parsed:
                raise RefusedError('sql holds no statement')
            if params['parameters'] and len(parsed) != 1:
                raise RefusedError('parameters need sql to hold exactly one statement (it holds %d); use statements to '
                                   'give each statement its own parameters' % len(parsed))
            return [(statement, params['parameters']) for statement in parsed]
        items = []
        for number, item in enumerate(params['statements'], 1):
            parsed = sql.split(item['sql'] or '')
            if len(parsed) != 1:
                raise RefusedError('statements[%d] must hold exactly one statement (it holds %d)' % (number, len(parsed)))
            items.append((parsed[0], item.get('parameters')))
        return items
    except sql.SqlSplitError as exc:
        raise RefusedError('cannot split the SQL safely: %s' % exc)


def export_index(items):
    reads = [index for index, (statement, dummy) in enumerate(items) if statement.kind == sql.READ]
    if len(reads) != 1:
        raise RefusedError('output needs exactly one read statement to export (there are %d)' % len(reads))
    return reads[0]


def run(mas):
    params = mas.params
    target = db2_target(params)
    if params['max_rows'] < 0 or params['fetch_size'] < 1:
        raise RefusedError('max_rows must be 0 or more and fetch_size 1 or more')

    items = parse_statements(params)
    statements = [statement for statement, dummy in items]
    # The access rules first: nothing below runs for a refused statement.
    try:
        writes = sql.check_statements(statements, mas.environment, allow_write=params['allow_write'],
                                      replica=params['replica'])
    except sql.StatementRefused as exc:
        hint = ''
        if exc.statement.operation == 'db_read' and mas.environment.production and not params['replica']:
            hint = ' Set replica: true when hostname is the ordered read replica.'
        raise RefusedError('Refused before sending anything: %s%s' % (exc, hint), refused=True,
                           statement=exc.statement.as_dict(), environment=mas.environment.as_dict())
    export_to = None
    if params['output']:
        export_to = {'index': export_index(items), 'path': params['output'], 'format': params['output_format'],
                     'write': not mas.check_mode, 'mode': _mode(params['output_mode']), 'module': mas.module}

    connector = db2_connection.Connector(params, target, mas.secrets)
    if mas.check_mode and writes:
        return dict(changed=True, target=target, writes=writes, rows_affected=0, msg='check mode: statements not run',
                    statements=[dict(statement.as_dict(), skipped=True) for statement in statements])
    mas.require('ibm_db', *db2_connection.driver_available())

    outcome = connector.run(items, max_rows=params['max_rows'], fetch_size=params['fetch_size'], export_to=export_to,
                            finish='commit' if writes else 'rollback')
    changed = any(_changed_rows(entry) for entry, statement in zip(outcome['statements'], statements)
                  if statement.operation == 'db_write')
    result = dict(changed=changed, target=target, writes=writes, rows_affected=outcome['rows_affected'],
                  statements=outcome['statements'])
    if outcome['export'] is not None:
        result['export'] = outcome['export']
        result['changed'] = result['changed'] or outcome['export']['changed']
    return result


def main():
    spec = argument_spec(
        'environment', 'db2',
        sql=dict(type='str'),
        parameters=dict(type='list', elements='raw'),
        statements=dict(type='list', elements='dict', options=dict(
            sql=dict(type='str', required=True),
            parameters=dict(type='list', elements='raw'),
        )),
        terminator=dict(type='str', default=';'),
        allow_write=dict(type='bool', default=False),
        max_rows=dict(type='int', default=1000),
        fetch_size=dict(type='int', default=dbapi.DEFAULT_FETCH_SIZE),
        output=dict(type='path'),
        output_format=dict(type='str', choices=list(dbapi.FORMATS), default='csv'),
        output_mode=dict(type='raw', default='0600'),
    )
    mas = MasModule(spec, mutually_exclusive=[('sql', 'statements'), ('parameters', 'statements')],
                    required_one_of=[('sql', 'statements')])
    mas.run(lambda: run(mas))


def _changed_rows(entry):
    """Whether a write changed rows: its row count, or the rows a data-change SELECT returned; unknown = yes."""
    count = entry['rows_affected'] if 'rows_affected' in entry else entry.get('row_count', 0)
    return count is None or count > 0


def _mode(value):
    try:
        return int(str(value), 8) if isinstance(value, str) else int(value)
    except ValueError:
        raise RefusedError("output_mode '%s' is not an octal mode such as '0600'" % value)


if __name__ == '__main__':
    main()
