#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: sql_script_request
short_description: Build the support-case package for a SQL script IBM runs in MAS Dedicated production
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - MAS Dedicated production data is changed by SQL only through a support case, in which IBM SRE runs a script
    the customer tested on non-production. This module checks the script and writes the case package into
    O(dest), a directory with the script, C(<script>.sha256), the case text C(case.md) (Markdown, to paste into
    the IBM Support portal) and the JSON summary C(request.json).
  - The case has the five parts the support guide requires; the module refuses to build it without them. The
    script as attachment; O(description); O(business_justification); O(technical_justification) (why the Maximo
    front end cannot do it); and O(offline_backup), the request for a full offline backup before the run.
  - Refused scripts. DBC scripts, and statements the rules forbid in any environment (triggers, procedures and
    functions, explain plans, schema changes, which go through the Database Configuration application), and
    statements whose effect is unknown (C(CALL), compound blocks, C(ROLLBACK)). A script that only reads needs
    no case.
  - Only production targets are accepted. IBM SRE does not run scripts in non-production environments.
  - Records where and when the script was tested (O(tested_environment), O(tested_date)). With O(test_run), runs
    the script on that non-production database in one transaction that is always rolled back, and records the
    rows each statement affected.
  - The same inputs give byte-identical files and V(changed=false).
options:
  dest:
    description:
      - The package directory; created when missing. Files of other names in it are left alone.
    type: path
    required: true
  script:
    description:
      - The SQL script file. Exactly one of O(script) and O(script_content) is required.
    type: path
  script_content:
    description:
      - The SQL script text.
    type: str
  script_name:
    description:
      - The file name of the script in the package. Defaults to the base name of O(script), or V(script.sql).
    type: str
  terminator:
    description:
      - The statement terminator of the script.
    type: str
    default: ';'
  title:
    description:
      - The case title. Defaults to C(SQL script request for ENVIRONMENT, SCRIPT).
    type: str
  severity:
    description:
      - The case severity to suggest. Severity 1 is for production outages and is not offered.
    type: int
    choices: [2, 3, 4]
    default: 3
  description:
    description:
      - What the script does to the data (the design or description the case needs).
    type: str
    required: true
  business_justification:
    description:
      - Why the script is needed.
    type: str
    required: true
  technical_justification:
    description:
      - Why the script's changes cannot be made through the Maximo front end (applications, automation scripts,
        Database Configuration).
    type: str
    required: true
  offline_backup:
    description:
      - Request a full offline backup of the production database before the script runs. IBM requires it, so only
        V(true) is accepted; the site is down while the backup runs, which can take hours.
    type: bool
    required: true
  tested_environment:
    description:
      - The non-production environment the script was tested on, for example V(test).
    type: str
    required: true
  tested_date:
    description:
      - The date of that test (YYYY-MM-DD). Required unless O(test_run) runs the test, which records today.
    type: str
  requested_date:
    description:
      - The date you want the script run (YYYY-MM-DD); refused when it leaves less than the 3-day lead time.
    type: str
  test_run:
    description:
      - Run the script on the non-production database of O(test_database) in one transaction that is rolled back
        at the end, and record each statement's affected row count. C(COMMIT) statements are not run.
      - Not run in check mode.
    type: bool
    default: false
  test_database:
    description:
      - The DB2 connection to the non-production database of O(tested_environment), for O(test_run). The same options
        as M(mas.dedicated.db2_query), without its environment variables (those name the replica).
    type: dict
    suboptions:
      database:
        description: The database name.
        type: str
      hostname:
        description: The host.
        type: str
      port:
        description:
          - The SSL port.
          - From 1 to 65,535; a value outside is refused before anything is sent.
        type: int
      username:
        description: The user.
        type: str
      password:
        description: The password; never shown.
        type: str
      ssl_server_certificate:
        description: The database's certificate (PEM/ARM).
        type: path
      connect_timeout:
        description:
          - Seconds for one connection attempt.
          - From 1 to 3,600; a value outside is refused before anything is sent.
        type: int
        default: 30
      connection_options:
        description: Further CLI keywords (SSL-weakening ones are refused).
        type: dict
        default: {}
extends_documentation_fragment:
  - mas.dedicated.environment
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reports whether the package would change; O(test_run) is not run, so a package that records a test run is
        reported as changing.
  diff_mode:
    support: none
seealso:
  - module: mas.dedicated.db2_query
  - name: Running SQL scripts in production
    description: The MAS Dedicated support guide.
    link: https://cloud.ibm.com/docs/mas-ms?topic=mas-ms-support#running-sql-scripts
'''

EXAMPLES = r'''
- name: Package a tested fix for the production environment
  mas.dedicated.sql_script_request:
    instance: acme
    environment: prod
    production: true
    script: files/fix_wo_status.sql
    dest: /tmp/case-fix-wo-status
    description: Sets the status of 1,204 work orders stuck in WAPPR after the 2024-05 migration to CLOSE.
    business_justification: Month-end reporting counts them as open backlog.
    technical_justification: The status change workflow cannot close work orders whose parent was deleted.
    offline_backup: true
    tested_environment: test
    tested_date: '2024-06-03'
    requested_date: '2024-06-12'
'''

RETURN = r'''
dest:
  description: The package directory.
  returned: always
  type: str
files:
  description: The package's files and whether each changed.
  returned: always
  type: dict
  sample: {fix.sql: false, fix.sql.sha256: false, case.md: true, request.json: true}
sha256:
  description: SHA-256 of the script.
  returned: always
  type: str
request:
  description: The JSON summary written to C(request.json).
  returned: always
  type: dict
'''

import datetime
import os

from ansible_collections.mas.dedicated.plugins.module_utils.cases import sql_script_request
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import write_package
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import DB2_SPEC, argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import dbapi


def read_script(params):
    if params['script']:
        try:
            with open(params['script'], 'rb') as handle:
                data = handle.read()
        except (IOError, OSError) as exc:
            raise RefusedError('cannot read script %s: %s' % (params['script'], exc.strerror or exc))
        name = params['script_name'] or os.path.basename(params['script'])
    else:
        data = params['script_content'].encode('utf-8')
        name = params['script_name'] or 'script.sql'
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        raise RefusedError('the script is not UTF-8 text')
    return name, data, text


def test_run(mas, statements):
    """Run the script on the non-production database, always rolled back; the dbapi.run result."""
    options = mas.params['test_database'] or {}
    target = 'DB2 database %s at %s:%s (%s)' % (options.get('database') or '?', options.get('hostname') or '?',
                                                options.get('port') or '?', mas.params['tested_environment'])
    connector = db2_connection.Connector(options, target, mas.secrets, prefix='test_database: ')
    mas.require('ibm_db', *db2_connection.driver_available())
    try:
        return connector.run([(statement, None) for statement in statements], max_rows=0, finish='rollback',
                             skip=lambda statement: statement.transaction_control)
    except (db2_connection.Db2Error, dbapi.StatementError) as exc:
        # The failed result names the test run; a driver error keeps what DB2 said under 'error'.
        extra = {'error': exc.to_dict()} if isinstance(exc, db2_connection.Db2Error) else {}
        raise ServiceError('the test run on %s failed and was rolled back: %s' % (mas.params['tested_environment'], exc),
                           **extra)


def run(mas):
    params = mas.params
    today = datetime.date.today()
    name, data, text = read_script(params)
    try:
        sql_script_request.check_script_name(name)
        statements = sql_script_request.check_script(text, name, params['terminator'])
        sql_script_request.check_parts(params['description'], params['business_justification'],
                                       params['technical_justification'], params['offline_backup'])
        if params['tested_environment'] and params['tested_environment'] == mas.environment.name:
            raise sql_script_request.RequestError("tested_environment '%s' is the production target itself; test on a "
                                                  "non-production environment" % params['tested_environment'])
        tested_date = params['tested_date'] or (today.isoformat() if params['test_run'] else None)
        tested = sql_script_request.tested_record(params['tested_environment'], tested_date)
        requested = sql_script_request.check_requested_date(params['requested_date'], today)
    except sql_script_request.RequestError as exc:
        raise RefusedError(str(exc), refused=True)

    results = None
    if params['test_run'] and not mas.check_mode:
        results = test_run(mas, statements)

    target = {'name': mas.environment.name, 'instance': mas.environment.instance, 'production': True}
    parts = dict((key, params[key]) for key in ('description', 'business_justification', 'technical_justification'))
    digest = sql_script_request.sha256_text(data)
    summary = sql_script_request.summary(target, name, digest, statements, parts, tested, requested_date=requested,
                                         test_results=results, severity=params['severity'], title=params['title'])
    files = sql_script_request.package_files(name, data, summary)

    dest = params['dest']
    try:
        changes = write_package(dest, files, check_mode=mas.check_mode, module=mas.module)
    except (IOError, OSError) as exc:
        raise RefusedError('cannot write the package to %s: %s' % (dest, exc))
    if mas.check_mode and params['test_run']:
        # The test run's outcome is part of case.md and request.json: they change once it has run.
        changes['case.md'] = changes['request.json'] = True
    return dict(changed=any(changes.values()), dest=dest, files=changes, sha256=digest, request=summary)


def main():
    db_options = dict((name, dict(DB2_SPEC[name])) for name in db2_connection.CONNECTION_OPTIONS)
    for name in db_options:
        db_options[name].pop('fallback', None)
    spec = argument_spec(
        'environment',
        dest=dict(type='path', required=True),
        script=dict(type='path'),
        script_content=dict(type='str'),
        script_name=dict(type='str'),
        terminator=dict(type='str', default=';'),
        title=dict(type='str'),
        severity=dict(type='int', choices=[2, 3, 4], default=3),
        description=dict(type='str', required=True),
        business_justification=dict(type='str', required=True),
        technical_justification=dict(type='str', required=True),
        offline_backup=dict(type='bool', required=True),
        tested_environment=dict(type='str', required=True),
        tested_date=dict(type='str'),
        requested_date=dict(type='str'),
        test_run=dict(type='bool', default=False),
        test_database=dict(type='dict', options=db_options),
    )
    mas = MasModule(spec, path_kinds={'dest': 'directory'}, mutually_exclusive=[('script', 'script_content')],
                    required_one_of=[('script', 'script_content')],
                    required_if=[('test_run', True, ('test_database',))])
    # IBM SRE runs scripts in production only: refused for non-production before anything is read.
    mas.guard('sql_script_request')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
