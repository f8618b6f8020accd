#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: db2_client_config
short_description: Configure a DB2 CLI/ODBC data source for a MAS Dedicated database, SSL only
version_added: 0.2.0
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
options:
  dsn:
    description:
      - The data source name (alias), for example V(MAXPROD).
    type: str
    required: true
  state:
    description:
      - V(present) writes the data source; V(absent) removes its C(dsn) entry and its C(odbc.ini) section.
    type: str
    choices: [present, absent]
    default: present
  dsdriver_cfg:
    description:
      - The C(db2dsdriver.cfg) file to edit (created when missing).
      - At least one of O(dsdriver_cfg) and O(odbc_ini) is required.
    type: path
  odbc_ini:
    description:
      - The C(odbc.ini) (or C(db2cli.ini)) file to edit (created when missing).
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
    description: The DB2 SSL port.
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
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
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
    dsdriver_cfg: ~/sqllib/cfg/db2dsdriver.cfg
    odbc_ini: ~/.odbc.ini
    odbc_driver: DB2
    validate: true
'''

RETURN = r'''
dsdriver_cfg:
  description: The data source as it is in C(db2dsdriver.cfg) after the task (C(null) when absent).
  returned: when O(dsdriver_cfg) is set
  type: dict
  sample: {alias: MAXPROD, name: BLUDB, host: db.example.com, port: '50001',
           parameters: [[SecurityTransportMode, SSL], [SSLServerCertificate, /etc/mas/db.arm]]}
odbc_ini:
  description: The C(odbc.ini) section's entries after the task (C(null) when absent).
  returned: when O(odbc_ini) is set
  type: list
  elements: list
validation:
  description: The problems C(db2cli validate) reported (empty when it validated).
  returned: when O(validate=true) and not in check mode
  type: list
  elements: str
'''

import contextlib
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mas.dedicated.plugins.module_utils import db2
from ansible_collections.mas.dedicated.plugins.module_utils import db2_cli_config as cfg
from ansible_collections.mas.dedicated.plugins.module_utils.files import atomic_write, directory_lock


def _read(path):
    if path and os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            return handle.read()
    return ''


def _write(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    atomic_write(path, [text.encode('utf-8')], mode=0o644)


def validate(module, dsn, dsdriver_cfg, odbc_ini):
    binary = db2.find_db2cli(module.params['db2cli_path'])
    if binary is None:
        module.fail_json(msg='validate=true needs db2cli: install the ibm_db Python package (its wheel bundles the CLI '
                             'driver) or set db2cli_path')
    with tempfile.TemporaryDirectory(prefix='db2cli-') as ini_dir:
        # db2cli reads db2cli.ini from the directory DB2CLIINIPATH names; odbc.ini uses the same keywords.
        if odbc_ini:
            os.symlink(os.path.abspath(odbc_ini), os.path.join(ini_dir, 'db2cli.ini'))
        env = db2.db2cli_environment(binary, dsdriver_cfg=os.path.abspath(dsdriver_cfg) if dsdriver_cfg else None,
                                     cli_ini_dir=ini_dir)
        if not dsdriver_cfg:
            # Without this, db2cli would read the driver's own db2dsdriver.cfg.
            empty = os.path.join(ini_dir, 'db2dsdriver.cfg')
            with open(empty, 'w') as handle:
                handle.write('<configuration/>\n')
            env['DB2DSDRIVER_CFG_PATH'] = empty
        rc, out, err = module.run_command([binary, 'validate', '-dsn', dsn], environ_update=env)
    problems = cfg.validation_problems(out, expect_dsdriver=bool(dsdriver_cfg))
    if rc != 0 and not problems:
        problems = ['db2cli validate exited with %d: %s' % (rc, (err or out).strip()[-300:])]
    return problems


def edit(module, alias, want, present):
    """Read both files, change this data source, write what changed; the result."""
    params = module.params
    result = {'changed': False}
    diffs = []
    writes = []
    try:
        if params['dsdriver_cfg']:
            path = params['dsdriver_cfg']
            text = _read(path)
            before = cfg.dsdriver_state(text, alias)
            new_text = cfg.upsert_dsdriver(text, want) if present else cfg.remove_dsdriver(text, alias)
            after = cfg.dsdriver_state(new_text, alias)
            result['dsdriver_cfg'] = after
            if new_text != text:
                writes.append((path, new_text))
                diffs.append({'before_header': '%s (dsn %s)' % (path, alias), 'after_header': '%s (dsn %s)' % (path, alias),
                              'before': cfg.render(before), 'after': cfg.render(after)})
        if params['odbc_ini']:
            path = params['odbc_ini']
            text = _read(path)
            before = cfg.odbc_state(text, alias)
            if present:
                new_text = cfg.upsert_odbc(text, alias, cfg.odbc_options(want, params['odbc_driver']))
            else:
                new_text = cfg.remove_odbc(text, alias)
            after = cfg.odbc_state(new_text, alias)
            result['odbc_ini'] = [list(pair) for pair in after] if after is not None else None
            if new_text != text:
                writes.append((path, new_text))
                diffs.append({'before_header': '%s [%s]' % (path, alias), 'after_header': '%s [%s]' % (path, alias),
                              'before': cfg.render_odbc(alias, before), 'after': cfg.render_odbc(alias, after)})
    except cfg.CliConfigError as exc:
        module.fail_json(msg=str(exc))

    result['changed'] = bool(writes)
    if module._diff and diffs:
        result['diff'] = diffs if len(diffs) > 1 else diffs[0]
    if not module.check_mode:
        for path, text in writes:
            try:
                _write(path, text)
            except (IOError, OSError) as exc:
                module.fail_json(msg='cannot write %s: %s' % (path, exc), **result)
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dsn=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            dsdriver_cfg=dict(type='path'),
            odbc_ini=dict(type='path'),
            odbc_driver=dict(type='str'),
            database=dict(type='str'),
            hostname=dict(type='str'),
            port=dict(type='int'),
            ssl_server_certificate=dict(type='path'),
            check_certificate=dict(type='bool', default=True),
            parameters=dict(type='dict', default={}),
            validate=dict(type='bool', default=False),
            db2cli_path=dict(type='path'),
        ),
        required_one_of=[('dsdriver_cfg', 'odbc_ini')],
        required_if=[('state', 'present', ('database', 'hostname', 'port', 'ssl_server_certificate'))],
        supports_check_mode=True,
    )
    params = module.params
    present = params['state'] == 'present'
    try:
        alias = cfg.check_alias(params['dsn'])
        want = None
        if present:
            want = cfg.desired(alias, params['database'], params['hostname'], params['port'],
                               params['ssl_server_certificate'], params['parameters'])
            if params['check_certificate']:
                db2.check_certificate(params['ssl_server_certificate'])
    except (cfg.CliConfigError, db2.Db2ConfigError) as exc:
        module.fail_json(msg=str(exc))

    # One file per directory to lock (in a fixed order): locking one directory twice would wait for itself.
    by_directory = dict((os.path.dirname(os.path.abspath(p)), p) for p in (params['dsdriver_cfg'], params['odbc_ini']) if p)
    with contextlib.ExitStack() as locks:
        if not module.check_mode:
            # Several hosts of a play may write the same files (one db2dsdriver.cfg for every environment).
            for directory in sorted(by_directory):
                locks.enter_context(directory_lock(by_directory[directory]))
        result = edit(module, alias, want, present)
    if not module.check_mode:
        if params['validate'] and present:
            problems = validate(module, alias, params['dsdriver_cfg'], params['odbc_ini'])
            result['validation'] = problems
            if problems:
                module.fail_json(msg='db2cli validate reported problems for dsn %s: %s' % (alias, '; '.join(problems)),
                                 **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
