#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: db2_client_config
short_description: Configure a DB2 CLI/ODBC data source for a MAS Dedicated database, SSL only
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Writes the data source of a MAS Dedicated DB2 database (for production, the ordered read replica) into
    C(db2dsdriver.cfg) and/or an C(odbc.ini) (or C(db2cli.ini)) section, as the support guide's ODBC section
    describes (Database, Hostname, Port, Security=SSL, SSLServerCertificate).
  - In C(db2dsdriver.cfg) the C(<dsn alias name host port/>) entry names the data source and the matching
    C(<database>) entry carries C(SecurityTransportMode=SSL) and C(SSLServerCertificate); other data sources,
    databases and comments are kept (the file is re-indented when it changes).
  - In C(odbc.ini) only the data source's own section is edited; everything else stays byte for byte.
  - No user name or password is written; give them when connecting.
  - Optionally validates the result with C(db2cli validate), the tool of the IBM CLI driver (bundled with the
    C(ibm_db) Python package).
  - With O(data_sources), the data sources of many environments are written in one task; each file is read,
    edited and written once, under one lock.
options:
  dsn:
    description:
      - The data source name (alias), for example V(MAXPROD).
      - Exactly one of O(dsn) and O(data_sources) is required.
    type: str
  data_sources:
    description:
      - Several data sources in one task, each written as O(dsn) and its options would write it. An option an item
        leaves out comes from the top-level option of the same name.
    type: list
    elements: dict
    suboptions:
      dsn:
        description: The data source name (alias).
        type: str
        required: true
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
      database:
        description: As O(database).
        type: str
      hostname:
        description: As O(hostname).
        type: str
      port:
        description:
          - As O(port).
          - From 1 to 65,535; a value outside is refused before anything is sent.
        type: int
      ssl_server_certificate:
        description: As O(ssl_server_certificate).
        type: path
      parameters:
        description: As O(parameters).
        type: dict
      production:
        description: As O(production).
        type: bool
      replica:
        description: As O(replica).
        type: bool
  state:
    description:
      - V(present) writes the data source; V(absent) removes its C(dsn) entry and its C(odbc.ini) section.
    type: str
    choices: [present, absent]
    default: present
  dsdriver_cfg:
    description:
      - The C(db2dsdriver.cfg) file to edit (created when missing, with its directory; mode 0644 unless O(mode)
        says otherwise, moved into place atomically).
      - At least one of O(dsdriver_cfg) and O(odbc_ini) is required.
    type: path
  odbc_ini:
    description:
      - The C(odbc.ini) (or C(db2cli.ini)) file to edit (created when missing, like O(dsdriver_cfg)).
      - O(mode), O(owner), O(group) and the SELinux options apply to both files.
    type: path
  odbc_driver:
    description:
      - The C(Driver) entry of the C(odbc.ini) section (a driver name from C(odbcinst.ini), or the path of
        C(libdb2o.so)). Left out when not set, as C(db2cli.ini) has no such entry.
    type: str
  database:
    description: The database name, for example V(BLUDB).
    type: str
  hostname:
    description: The database host (the replica's host for production).
    type: str
  port:
    description:
      - The DB2 SSL port.
      - From 1 to 65,535; a value outside is refused before anything is sent.
    type: int
  ssl_server_certificate:
    description:
      - The path of the database certificate IBM provided (PEM/ARM). Checked to exist and hold a certificate unless
        O(check_certificate=false).
    type: path
  check_certificate:
    description:
      - Check that O(ssl_server_certificate) exists and holds a PEM certificate before writing.
    type: bool
    default: true
  parameters:
    description:
      - "Further CLI keywords for the data source, for example C({CurrentSchema: MAXIMO})."
      - Keywords that would weaken SSL (anything but C(BASIC) for C(SSLClientHostnameValidation), C(sslConnection),
        key stores), credentials, and the keywords set by the options above are refused.
    type: dict
    default: {}
  production:
    description:
      - Whether the data source belongs to a production environment. Production data may only be read from the
        ordered read replica, so a production data source is refused unless O(replica=true), as M(mas.dedicated.db2_query)
        refuses to read there.
      - Defaults to V(true), so an environment that was not declared non-production gets the stricter rule.
      - If not set, the environment variable E(MAS_PRODUCTION) is used.
    type: bool
    default: true
  replica:
    description:
      - Declares that O(hostname) is the ordered read replica of production.
      - If not set, the environment variable E(MAS_DB2_REPLICA) is used.
    type: bool
    default: false
  validate:
    description:
      - After writing, run C(db2cli validate -dsn DSN) on the files and fail when it reports a problem (schema
        errors, unknown or duplicate keywords, a data source it cannot find).
      - Does not connect to the database.
    type: bool
    default: false
  db2cli_path:
    description:
      - The C(db2cli) binary for O(validate). Defaults to the one in the C(ibm_db) package's C(clidriver), or
        C($IBM_DB_HOME/bin/db2cli).
    type: path
extends_documentation_fragment:
  - ansible.builtin.files
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
seealso:
  - module: mas.dedicated.db2_query
  - name: DB2 ODBC/CLI driver
    description: Download and installation of the IBM Data Server Driver for ODBC and CLI.
    link: https://www.ibm.com/support/pages/db2-odbc-cli-driver-download-and-installation-information
'''

EXAMPLES = r'''
- name: The production replica as an ODBC/CLI data source
  mas.dedicated.db2_client_config:
    dsn: MAXPROD
    database: BLUDB
    hostname: acme-replica.db.example.com
    port: 50001
    ssl_server_certificate: /etc/mas/acme-replica.arm
    production: true
    replica: true
    dsdriver_cfg: ~/sqllib/cfg/db2dsdriver.cfg
    odbc_ini: ~/.odbc.ini
    odbc_driver: DB2
    validate: true

- name: The data sources of every environment of an instance in one task
  mas.dedicated.db2_client_config:
    dsdriver_cfg: ~/.config/mas-dedicated/db2dsdriver.cfg
    port: 50001
    database: BLUDB
    data_sources:
      - {dsn: ACMEDEV, hostname: acme-dev.db.example.com, ssl_server_certificate: /etc/mas/acme-dev.arm,
         production: false}
      - {dsn: ACMEPROD, hostname: acme-replica.db.example.com, ssl_server_certificate: /etc/mas/acme-replica.arm,
         production: true, replica: true}
'''

RETURN = r'''
dsdriver_cfg:
  description: The data source as it is in C(db2dsdriver.cfg) after the task (C(null) when absent).
  returned: when O(dsdriver_cfg) is set and O(dsn) is given
  type: dict
  sample: {alias: MAXPROD, name: BLUDB, host: db.example.com, port: '50001',
           parameters: [[SecurityTransportMode, SSL], [SSLServerCertificate, /etc/mas/db.arm]]}
odbc_ini:
  description: The C(odbc.ini) section's entries after the task (C(null) when absent).
  returned: when O(odbc_ini) is set and O(dsn) is given
  type: list
  elements: list
validation:
  description: The problems C(db2cli validate) reported (empty when it validated).
  returned: when O(validate=true), O(dsn) is given and not in check mode
  type: list
  elements: str
data_sources:
  description: With O(data_sources), one result per data source, in order, with the keys above.
  returned: when O(data_sources) is given
  type: list
  elements: dict
  contains:
    dsn:
      description: The data source name.
      type: str
    changed:
      description: Whether this data source changed in either file.
      type: bool
    dsdriver_cfg:
      description: As the top-level RV(dsdriver_cfg).
      type: dict
    odbc_ini:
      description: As the top-level RV(odbc_ini).
      type: list
    validation:
      description: As the top-level RV(validation).
      type: list
'''

import contextlib
import os
import tempfile

from ansible_collections.mas.dedicated.plugins.module_utils.common.batch import ListOption, repeated
from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import directory_lock, finish_file, write_package
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import DB2_SPEC, ENVIRONMENT_SPEC, argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.policy import PolicyError, guard
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_cli_config as cfg
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection


def _read(path):
    if path and os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            return handle.read()
    return ''


def _write(path, text, module=None):
    path = os.path.abspath(path)
    write_package(os.path.dirname(path), {os.path.basename(path): text.encode('utf-8')}, module=module)


def validate(mas, binary, dsn, dsdriver_cfg, odbc_ini):
    with tempfile.TemporaryDirectory(prefix='db2cli-') as ini_dir:
        # db2cli reads db2cli.ini from the directory DB2CLIINIPATH names; odbc.ini uses the same keywords.
        if odbc_ini:
            os.symlink(os.path.abspath(odbc_ini), os.path.join(ini_dir, 'db2cli.ini'))
        env = db2_connection.db2cli_environment(binary, dsdriver_cfg=os.path.abspath(dsdriver_cfg) if dsdriver_cfg else None,
                                                cli_ini_dir=ini_dir)
        if not dsdriver_cfg:
            # Without this, db2cli would read the driver's own db2dsdriver.cfg.
            empty = os.path.join(ini_dir, 'db2dsdriver.cfg')
            with open(empty, 'w') as handle:
                handle.write('<configuration/>\n')
            env['DB2DSDRIVER_CFG_PATH'] = empty
        rc, out, err = mas.module.run_command([binary, 'validate', '-dsn', dsn], environ_update=env)
    problems = cfg.validation_problems(out, expect_dsdriver=bool(dsdriver_cfg))
    if rc != 0 and not problems:
        problems = ['db2cli validate exited with %d: %s' % (rc, (err or out).strip()[-300:])]
    return problems


def _edit_file(text, sources, state_of, upsert, remove, render, header):
    """Apply every data source to one file's text: the new text, per-source (changed, after), diff parts."""
    outcomes, before_parts, after_parts = [], [], []
    for alias, want, present in sources:
        before = state_of(text, alias)
        new_text = upsert(text, alias, want) if present else remove(text, alias)
        after = state_of(new_text, alias)
        outcomes.append((new_text != text, after))
        if new_text != text:
            before_parts.append(render(alias, before))
            after_parts.append(render(alias, after))
        text = new_text
    diff = {'before_header': header, 'after_header': header,
            'before': ''.join(before_parts), 'after': ''.join(after_parts)}
    return text, outcomes, diff


def edit(mas, sources):
    """Read each file once, change every data source in it, write what changed; one result per data source."""
    params = mas.params
    results = [{'dsn': alias, 'changed': False} for alias, dummy, dummy2 in sources]
    diffs, writes = [], []
    single = len(sources) == 1
    if params['dsdriver_cfg']:
        path = params['dsdriver_cfg']
        text = _read(path)
        new_text, outcomes, diff = _edit_file(
            text, sources, cfg.dsdriver_state,
            lambda text, alias, want: cfg.upsert_dsdriver(text, want), cfg.remove_dsdriver,
            lambda alias, state: cfg.render(state),
            '%s (dsn %s)' % (path, sources[0][0]) if single else path)
        for result, (changed, after) in zip(results, outcomes):
            result['dsdriver_cfg'] = after
            result['changed'] = result['changed'] or changed
        if new_text != text:
            writes.append((path, new_text))
            diffs.append(diff)
    if params['odbc_ini']:
        path = params['odbc_ini']
        text = _read(path)
        new_text, outcomes, diff = _edit_file(
            text, sources, cfg.odbc_state,
            lambda text, alias, want: cfg.upsert_odbc(text, alias, cfg.odbc_options(want, params['odbc_driver'])),
            cfg.remove_odbc, cfg.render_odbc, '%s [%s]' % (path, sources[0][0]) if single else path)
        for result, (changed, after) in zip(results, outcomes):
            result['odbc_ini'] = [list(pair) for pair in after] if after is not None else None
            result['changed'] = result['changed'] or changed
        if new_text != text:
            writes.append((path, new_text))
            diffs.append(diff)

    output = {'changed': bool(writes)}
    if mas.module._diff and diffs:
        output['diff'] = diffs if len(diffs) > 1 else diffs[0]
    if not mas.check_mode:
        for path, text in writes:
            try:
                _write(path, text, module=mas.module)
            except (IOError, OSError) as exc:
                raise RefusedError('cannot write %s: %s' % (path, exc), **output)
    for path in (params['dsdriver_cfg'], params['odbc_ini']):
        if path and os.path.exists(path):
            output['changed'] = finish_file(mas.module, path, output['changed'])
    return output, results


# The options that describe one data source; a data_sources item leaves out what the top-level option gives.
# The same defaults and environment variables as db2_query: unset means production, not the replica.
DATA_SOURCES = ListOption('data_sources', dict(
    dsn=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent']),
    database=dict(type='str'),
    hostname=dict(type='str'),
    port=dict(type='int'),
    ssl_server_certificate=dict(type='path'),
    parameters=dict(type='dict'),
    production=dict(type='bool'),
    replica=dict(type='bool'),
), defaults=dict(state='present', parameters={}),
    top_level=dict(production=ENVIRONMENT_SPEC['production'], replica=DB2_SPEC['replica']), required=('dsn',))


def check_access(spec):
    """Refuse a data source the access rules forbid, as db2_query refuses its reads: production only through the
    ordered read replica."""
    try:
        guard('db_read', Environment(production=spec['production']), replica=spec['replica'])
    except PolicyError as exc:
        raise cfg.CliConfigError(
            "refused before writing anything: a production data source must point at the ordered read replica, and "
            "hostname %s of dsn %s is not declared the replica (%s). Set replica: true when hostname is the ordered "
            "read replica, or production: false for a non-production database"
            % (spec['hostname'], spec['dsn'], exc.rule.reason))


def desired_sources(params, specs):
    """(alias, wanted entry or None, present) per data source; every problem of every source reported at once."""
    sources, problems = [], []
    for spec in specs:
        present = spec['state'] == 'present'
        try:
            alias = cfg.check_alias(spec['dsn'])
            want = None
            if present:
                missing = [key for key in ('database', 'hostname', 'port', 'ssl_server_certificate') if not spec[key]]
                if missing:
                    raise cfg.CliConfigError('state is present but the following are missing: %s' % ', '.join(missing))
                check_access(spec)
                want = cfg.desired(alias, spec['database'], spec['hostname'], spec['port'],
                                   spec['ssl_server_certificate'], spec['parameters'] or {})
                if params['check_certificate']:
                    db2_connection.check_certificate(spec['ssl_server_certificate'])
            sources.append((alias, want, present))
        except (cfg.CliConfigError, db2_connection.Db2ConfigError) as exc:
            problems.append(('dsn %s: %s' % (spec['dsn'], exc)) if len(specs) > 1 else str(exc))
    aliases = [alias for alias, dummy, dummy2 in sources]
    problems += ['dsn %s is listed more than once' % alias for alias in sorted(set(aliases[n] for n in repeated(aliases)))]
    if problems:
        raise RefusedError('; '.join(problems))
    return sources


def run(mas):
    params = mas.params
    sources = desired_sources(params, DATA_SOURCES.items(params))
    binary = None
    if params['validate'] and not mas.check_mode and any(present for dummy, dummy2, present in sources):
        # Checked before anything is written: the files are only written when they can be validated.
        binary = db2_connection.find_db2cli(params['db2cli_path'])
        mas.require('db2cli', binary is not None, reason='validate=true',
                    hint='install the ibm_db Python package (its wheel bundles the CLI driver) or set db2cli_path')

    # One file per directory to lock (in a fixed order): locking one directory twice would wait for itself.
    by_directory = dict((os.path.dirname(os.path.abspath(p)), p) for p in (params['dsdriver_cfg'], params['odbc_ini']) if p)
    with contextlib.ExitStack() as locks:
        if not mas.check_mode:
            # Several hosts of a play may write the same files (one db2dsdriver.cfg for every environment).
            for directory in sorted(by_directory):
                locks.enter_context(directory_lock(by_directory[directory]))
        output, results = edit(mas, sources)
    if binary is not None:
        for (alias, dummy, present), result in zip(sources, results):
            if present:
                problems = validate(mas, binary, alias, params['dsdriver_cfg'], params['odbc_ini'])
                result['validation'] = problems
                if problems:
                    raise ServiceError('db2cli validate reported problems for dsn %s: %s' % (alias, '; '.join(problems)),
                                       **output)
    return DATA_SOURCES.output(params, output, results, identity=('dsn',))


def main():
    spec = argument_spec(
        DATA_SOURCES.argument_spec(),
        dsdriver_cfg=dict(type='path'),
        odbc_ini=dict(type='path'),
        odbc_driver=dict(type='str'),
        check_certificate=dict(type='bool', default=True),
        validate=dict(type='bool', default=False),
        db2cli_path=dict(type='path'),
    )
    mas = MasModule(spec, environment=False, add_file_common_args=True,
                    required_one_of=[('dsdriver_cfg', 'odbc_ini'), ('dsn', 'data_sources')],
                    mutually_exclusive=[('dsn', 'data_sources')])
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
