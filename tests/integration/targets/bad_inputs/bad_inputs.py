# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module, every option, the bad values of its kind: each must end in a clear fail_json and do nothing.

The cases come from each module's own argument spec (read by stopping AnsibleModule before it parses anything):
for every option the values its type and its role make wrong (wrong types, out of range, empty, huge, NUL,
unicode, path traversal, odd URL schemes, a directory where a file is expected, a file where a directory is
expected). Each case runs the module as a process of its own (a fork of a runner that has imported ansible and
the libraries once, then runs the module's file as ``__main__`` with the args file, as ``python -m`` would),
in a scratch directory that is also its HOME and TMPDIR, against the running sandbox. A case passes when:

- the module answers ``failed: true`` with a ``msg`` that names the option (or its parent option);
- no ``Traceback`` appears in stdout or stderr and no ``exception`` key carries one;
- the sandbox saw no request (HTTP API and S3) while it ran;
- nothing changed in its scratch directory.

Requests are attributed to cases by time (the sandbox's request log); a request that falls in the windows of
two parallel cases makes both suspects, and suspects are run again alone to decide.

  python bad_inputs.py CONFIG WORKDIR [--workers 2] [--module NAME] [--max-failures-shown 40] [--allow-failures]
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import base64
import datetime
import hashlib
import importlib
import json
import os
import re
import runpy
import shutil
import signal
import sys
import time
import urllib.request

import yaml

CASE_TIMEOUT = 30.0
SLACK = 0.005
HUGE_TEXT = 'x' * (1024 * 1024)

# ---- what the options mean (from the module docs, independent of the code under test) ---------------------------
URL_OPTIONS = {'tools_url', 'manage_url', 'mas_api_url', 'endpoint_url', 'endpoint', 'case_management_url', 'iam_url'}
HEADER_OPTIONS = {'api_key', 'mas_api_key', 'mas_api_key_id', 'access_key_id', 'secret_access_key', 'ibmcloud_api_key'}
# Values that become a path segment or a host name label of a URL.
NAME_OPTIONS = {'object_structure', 'bucket', 'instance', 'workspace'}
# Numeric options for which 0 is meaningless (the rest take 0: retries 0, max_records 0 = no limit ...).
POSITIVE_OPTIONS = {'timeout', 'wait_timeout', 'poll_interval', 'page_size', 'concurrency', 'part_size_mb', 'port',
                    'connect_timeout', 'fetch_size', 'purge_days', 'expected_bundles', 'follow_interval'}
# Paths: files read, files written, directories.
FILE_IN = {'src', 'script', 'ca_path', 'attachments'}
FILE_OUT = {'dsdriver_cfg', 'odbc_ini', 'path', 'ssl_server_certificate', 'key_file', 'vault_file', 'follow_dest'}
DIRECTORIES = {'local_path'}
# Files written only into an existing directory (the module does not create it).
FILE_IN_DIR = set()  # every file the modules write may be created with its directories
DEST_KIND = {'cos_object': 'file', 'integrity_checker': 'file', 'tools_log_info': 'file', 'manage_logs': 'dir',
             'migration_package': 'file',
             'sql_script_request': 'dir', 'support_case': 'dir'}
SKIP = {'rclone_binary', 'db2cli_path'}  # executables, looked up on PATH


def http(url, method='GET', body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b'null')


# ---- the modules' argument specs ---------------------------------------------------------------------------------
class _Stop(Exception):
    pass


def module_specs(names):
    """{module: (argument_spec, other AnsibleModule kwargs)} read by stopping AnsibleModule.__init__."""
    from ansible.module_utils import basic
    original = basic.AnsibleModule.__init__
    seen = {}

    def capture(self, *args, **kwargs):
        if args:
            kwargs['argument_spec'] = args[0]
        seen['kwargs'] = kwargs
        raise _Stop()
    specs = {}
    basic.AnsibleModule.__init__ = capture
    try:
        for name in names:
            module = importlib.import_module('ansible_collections.mas.dedicated.plugins.modules.' + name)
            seen.clear()
            try:
                module.main()
            except _Stop:
                pass
            specs[name] = seen['kwargs']
    finally:
        basic.AnsibleModule.__init__ = original
        # Each case runs the module file afresh as __main__.
        for name in names:
            sys.modules.pop('ansible_collections.mas.dedicated.plugins.modules.' + name, None)
    return specs


# ---- valid arguments of each module (each would send requests or write files) ------------------------------------
def baselines(config):
    url = config['sandbox_url']
    key = config['sandbox_api_key']
    s3 = config['sandbox_s3']
    custfile = s3['buckets']['custfile']
    mas = config['sandbox_mas']
    manage = dict(manage_url=url, api_key=key, production=False)
    tools = dict(tools_url=url + '/toolsapi', manage_url=url, api_key=key, production=False)
    cos = dict(bucket=custfile['bucket'], endpoint_url=s3['endpoint_url'], region=s3['region'],
               access_key_id=custfile['access_key_id'], secret_access_key=custfile['secret_access_key'])
    users = dict(mas_api_url=url, mas_api_key_id=mas['api_key_id'], mas_api_key=mas['api_key'], production=False)
    db2 = dict(database='BLUDB', hostname='127.0.0.1', port=1, username='maxro', password='db2-pw-bad-inputs',
               ssl_server_certificate='{s}/db.arm', connect_timeout=2)
    source = dict(dsn='MAXRO', database='BLUDB', hostname='replica.example.com', port=50001, replica=True,
                  ssl_server_certificate='{s}/db.arm', parameters={'CurrentSchema': 'MAXIMO'})
    sql_request = dict(instance='acme', environment='prod', production=True, dest='{s}/pkg',
                       script_content='UPDATE workorder SET status = \'CLOSE\' WHERE wonum = \'1001\';',
                       script_name='close_wo.sql', description='Closes one work order.',
                       business_justification='It blocks the month-end report.',
                       technical_justification='The status change action refuses it.',
                       offline_backup=True, tested_environment='test', tested_date='2024-06-03')
    remote = dict(name='sbx', path='{s}/rclone.conf', bucket=custfile['bucket'], region='us-east',
                  endpoint=s3['endpoint_url'], access_key_id=custfile['access_key_id'],
                  secret_access_key=custfile['secret_access_key'])
    return {
        'automation_script': [dict(manage, name='BADINPUTS', source_file='{s}/script.py', language='jython',
                                   launch_points=[{'name': 'BADINPUTS', 'type': 'OBJECT', 'object': 'ASSET'}]),
                              dict(manage, scripts=[{'name': 'BADINPUTS', 'source_file': '{s}/script.py',
                                                     'language': 'jython'}])],
        'system_property': [dict(manage, properties=[{'name': 'mxe.cosbucketname', 'value': 'bad-inputs'}],
                                 live_refresh=True)],
        'manage_log_level': [dict(manage, loggers=[{'logger': 'log4j.logger.maximo.sql', 'level': 'DEBUG'}]),
                             dict(manage, loggers=[{'logger': 'log4j.logger.maximo.sql', 'level': 'DEBUG',
                                                    'active': True}], apply=True, api='object_structure'),
                             dict(manage, loggers=[], follow_seconds=1, follow_interval=0.5,
                                  follow_dest='{s}/follow/live.log')],
        'manage_api_key': [dict(manage, users=['MAXADMIN'], state='present', expiration=60, key_file='{s}/key.txt',
                                vault_file='{s}/vault.yml', vault_var='bad_inputs_key')],
        'cos_object': [dict(cos, mode='put', object='bad-inputs/in.txt', src='{s}/in.txt', dest='{s}/out/get.txt')],
        'cos_object_info': [dict(cos, prefix='', bucket_kind='custfile', purge_days=15, expiring_within=5)],
        'cos_sync': [dict(cos, direction='upload', local_path='{s}/sync', prefix='bad-inputs/sync/')],
        'db2_client_config': [
            dict(source, dsdriver_cfg='{s}/cfg/db2dsdriver.cfg', odbc_ini='{s}/cfg/odbc.ini'),
            dict(dsdriver_cfg='{s}/cfg/db2dsdriver.cfg', odbc_ini='{s}/cfg/odbc.ini', data_sources=[source])],
        'db2_query': [dict(db2, production=False, sql='SELECT 1 FROM sysibm.sysdummy1', output='{s}/rows.csv'),
                      dict(db2, production=False, statements=[{'sql': 'SELECT 1 FROM sysibm.sysdummy1'}])],
        'integrity_checker': [dict(tools, mode='report', dest='{s}/report.log', wait_timeout=30, poll_interval=0.2)],
        'manage_logs': [dict(manage, **dict(cos, bucket=s3['buckets']['logs']['bucket'],
                                            access_key_id=s3['buckets']['logs']['access_key_id'],
                                            secret_access_key=s3['buckets']['logs']['secret_access_key'],
                                            dest='{s}/bundles', wait_timeout=30, poll_interval=0.2,
                                            settle_time=0.5, expected_bundles=1))],
        'manage_object': [dict(manage, object_structure='mxapiendpoint', key={'endpointname': 'BADINPUTS'},
                               attributes={'handlername': 'KAFKA', 'description': 'bad inputs'}),
                          dict(manage, objects=[{'object_structure': 'mxapiendpoint',
                                                 'key': {'endpointname': 'BADINPUTS'},
                                                 'attributes': {'handlername': 'KAFKA', 'description': 'bad inputs'}}])],
        'manage_object_info': [dict(manage, object_structure='mxapicrontaskdef', page_size=50, max_records=10)],
        'migration_package': [
            dict(manage, action='create', package_definition='BADINPUTS', readme='bad inputs', target='FILES',
                 distribute=True),
            dict(manage, action='deploy', package_definition='BADINPUTS', dmpackageid=1, admin_mode=True,
                 admin_sessions=5, logout_minutes=1, wait_timeout=30, poll_interval=0.2),
            dict(manage, action='download', package_definition='BADINPUTS', dmpackageid=1, dest='{s}/pkg.zip'),
            dict(manage, action='upload', src='{s}/in.txt', filename='in.zip')],
        'manage_server': [dict(tools, state='started', wait_timeout=30, poll_interval=0.2)],
        'mas_group': [dict(manage, groups=[{'name': 'badinputs', 'description': 'Bad inputs', 'members': []}])],
        'mas_user': [dict(users, users=[{'username': 'badinputs', 'givenName': 'Bad', 'familyName': 'Inputs',
                                         'emails': [{'value': 'bad@example.com', 'type': 'WORK', 'primary': True}]}],
                          page_size=100, concurrency=2)],
        'mas_user_info': [dict(users, users=['badinputs'], page_size=100, concurrency=2, wait_timeout=30,
                               poll_interval=0.2)],
        'rclone_remote': [remote, dict(path='{s}/rclone.conf', remotes=[remote])],
        'sql_script_request': [sql_request,
                               dict(sql_request, test_database=dict((k, v) for k, v in db2.items()))],
        'support_case': [dict(kind='incident', severity=3, dest='{s}/case', instance='acme', environments=['dev'],
                              production=False, title='Bad inputs',
                              details={'summary': 'Manage is slow', 'description': 'Every list takes a minute.',
                                       'business_impact': 'Users wait'},
                              attachments=['{s}/in.txt'], case_management_url=url + '/case-management/v1',
                              iam_url=url + '/identity/token', timeout=10)],
        'tools_log_info': [dict(tools, name='icheckerreport20260101000000000.log', dest='{s}/tools.log')],
    }


# ---- the bad values ------------------------------------------------------------------------------------------------
def path_values(module, option):
    """Bad values of a path option, by what it names (placeholders resolved in the scratch directory)."""
    leaf = option.split('.')[-1]
    kind = DEST_KIND.get(module) if leaf == 'dest' else (
        'in' if leaf in FILE_IN else 'file-in-dir' if leaf in FILE_IN_DIR else 'file' if leaf in FILE_OUT else
        'dir' if leaf in DIRECTORIES else None)
    values = [('NUL byte', '{s}/in\x00.txt')]
    if kind in ('in', 'file', 'file-in-dir'):
        values += [('a directory where a file is expected', '{s}/adir'),
                   ('a path under a file', '{s}/afile/x')]
    if kind == 'file-in-dir':
        values += [('a file in a missing directory', '{s}/missing-dir/x')]
    if kind == 'in':
        values += [('a missing file', '{s}/missing.txt')]
    if kind == 'dir':
        values += [('a file where a directory is expected', '{s}/afile'),
                   ('a path under a file', '{s}/afile/x')]
    return values


def bad_values(module, option, spec):
    """(label, value) pairs that are wrong for this option."""
    leaf = option.split('.')[-1]
    kind = spec.get('type', 'str')
    values = []
    if spec.get('choices'):
        values.append(('not one of the choices', 'no-such-choice'))
    if kind in ('int', 'float'):
        values += [('wrong type (text)', 'abc'), ('wrong type (list)', [1, 2]), ('negative', -1),
                   ('huge', 10 ** 12 if kind == 'int' else 1e300)]
        if kind == 'float':
            values += [('not a number', 'nan'), ('infinite', 'inf')]
        if leaf in POSITIVE_OPTIONS:
            values.append(('zero', 0))
        if leaf == 'port':
            values.append(('above 65535', 70000))
        if spec.get('choices'):
            values = [v for v in values if v[0] in ('not one of the choices', 'wrong type (text)', 'negative')]
    elif kind == 'bool':
        values += [('wrong type (text)', 'maybe'), ('wrong type (list)', [True])]
    elif kind == 'dict':
        values += [('wrong type (list)', ['first-item', 'second-item']), ('wrong type (text)', 'not a mapping')]
    elif kind == 'list':
        values += [('wrong type (mapping)', {'a': 1})]
        if spec.get('elements') == 'dict':
            values.append(('elements of the wrong type', ['text']))
        if spec.get('elements') == 'path':
            values += [(label, [value]) for label, value in path_values(module, option)]
    elif kind == 'path':
        if leaf not in SKIP:
            values += path_values(module, option)
    elif kind == 'str' and not spec.get('choices'):
        # (Items longer than a letter: no_log options mask every occurrence of their value in the output.)
        values += [('NUL byte', 'a\x00b'), ('wrong type (list)', ['first-item', 'second-item']),
                   ('wrong type (mapping)', {'some-key': 'some-value'})]
        if leaf in URL_OPTIONS:
            values += [('file:// URL', 'file:///etc/passwd'), ('ftp:// URL', 'ftp://127.0.0.1/x'),
                       ('javascript: URL', 'javascript:alert(1)'), ('gopher:// URL', 'gopher://127.0.0.1:70/x'),
                       ('URL without a host', 'http://')]
        if leaf in HEADER_OPTIONS:
            values += [('non-latin-1 text', 'cl\u00e9-\u043a\u043b\u044e\u0447-\u2713'), ('a newline', 'abc\r\nX-Injected: 1')]
        if leaf in NAME_OPTIONS:
            values += [('path traversal', '../../x'), ('a slash', 'a/b'), ('huge', HUGE_TEXT),
                       ('unicode', 'n\u00e4me-\u2713')]
            if leaf not in ('instance', 'workspace'):  # empty means not given: the URL options decide
                values.append(('empty', ''))
        elif spec.get('required'):
            values += [('empty', '')]
    return values


# Values inside free-form lists of mappings (users, groups) that become parts of URLs.
def nested_cases(module):
    cases = []
    if module == 'mas_user':
        for label, name in (('path traversal', '../../x'), ('a slash', 'a/b'), ('NUL byte', 'a\x00b'),
                            ('dot-dot', '..'), ('huge', HUGE_TEXT)):
            user = {'username': name, 'givenName': 'A', 'familyName': 'B'}
            cases.append(('users', 'username: %s' % label, {'users': [user]}))
        cases.append(('users', 'absent user id: path traversal', {'users': [{'id': '../../x', 'state': 'absent'}]}))
    if module == 'mas_user_info':
        for label, name in (('path traversal', '../../x'), ('a slash', 'a/b'), ('dot-dot', '..'),
                            ('NUL byte', 'a\x00b'), ('empty', '')):
            cases.append(('users', 'user name: %s' % label, {'users': [name]}))
    if module == 'mas_group':
        for label, name in (('path traversal', '../../x'), ('a slash', 'a/b'), ('NUL byte', 'a\x00b'),
                            ('dot-dot', '..')):
            cases.append(('groups', 'group name: %s' % label, {'groups': [{'name': name, 'members': ['jdoe']}]}))
            cases.append(('groups', 'member: %s' % label, {'groups': [{'name': 'badinputs', 'members': [name]}]}))
    return cases


def walk_options(spec, prefix=''):
    for name, option in sorted(spec.items()):
        yield prefix + name, option
        if option.get('options'):
            yield from walk_options(option['options'], prefix + name + '.')


def set_option(args, option, value):
    """A copy of args with ``option`` (a.b for a sub-option of the first element of a) set to value."""
    args = json.loads(json.dumps(args))
    parts = option.split('.')
    holder = args
    for part in parts[:-1]:
        holder = holder[part]
        if isinstance(holder, list):
            holder = holder[0]
    holder[parts[-1]] = value
    return args


def build_cases(specs, bases, only=None):
    cases = []
    for module in sorted(specs):
        if only and module not in only:
            continue
        spec = specs[module]['argument_spec']
        variants = bases[module]
        for option, option_spec in walk_options(spec):
            top = option.split('.')[0]
            if '.' in option:
                base = next((b for b in variants if top in b), None)
            else:
                base = next((b for b in variants if top in b), variants[0])
            if base is None:
                continue
            for label, value in bad_values(module, option, option_spec):
                cases.append({'module': module, 'option': option, 'label': label,
                              'args': set_option(base, option, value)})
        for option, label, override in nested_cases(module):
            args = dict(variants[0])
            args.update(override)
            cases.append({'module': module, 'option': option, 'label': label, 'args': args})
    for number, case in enumerate(cases):
        case['id'] = number
    return cases


# ---- running one case -----------------------------------------------------------------------------------------------
PEM = '-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n' % base64.b64encode(b'bad-inputs-cert' * 4).decode()


def make_scratch(path):
    os.makedirs(os.path.join(path, 'adir'))
    os.makedirs(os.path.join(path, 'sync'))
    os.makedirs(os.path.join(path, 'home'))
    os.makedirs(os.path.join(path, 'tmp'))
    files = {'in.txt': 'hello\n', 'afile': 'a file\n', 'adir/f.txt': 'in a directory\n', 'sync/a.txt': 'sync me\n',
             'db.arm': PEM, 'script.py': 'mbo.setValue("DESCRIPTION", "bad inputs")\n'}
    for name, text in files.items():
        with open(os.path.join(path, name), 'w') as handle:
            handle.write(text)


def snapshot(path):
    state = {}
    for root, dirs, files in os.walk(path):
        for name in dirs:
            state[os.path.relpath(os.path.join(root, name), path)] = 'dir'
        for name in files:
            full = os.path.join(root, name)
            with open(full, 'rb') as handle:
                state[os.path.relpath(full, path)] = hashlib.sha256(handle.read()).hexdigest()
    return state


def resolve(value, scratch):
    if isinstance(value, str):
        return value.replace('{s}', scratch)
    if isinstance(value, list):
        return [resolve(v, scratch) for v in value]
    if isinstance(value, dict):
        return dict((k, resolve(v, scratch)) for k, v in value.items())
    return value


CLEARED_ENV = ('RCLONE_CONFIG', 'AWS_CA_BUNDLE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'XDG_CONFIG_HOME')


def run_module(module, args_file, scratch, out_path, err_path):
    """Fork a child that runs the module file as __main__ with the args file; returns (status, seconds)."""
    started = time.time()
    pid = os.fork()
    if pid == 0:  # the module process
        try:
            os.chdir(scratch)
            for name in list(os.environ):
                if name.startswith('MAS_') or name in CLEARED_ENV or name.startswith('IBMCLOUD'):
                    del os.environ[name]
            os.environ.update(HOME=os.path.join(scratch, 'home'), TMPDIR=os.path.join(scratch, 'tmp'))
            out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out, 1)
            os.dup2(err, 2)
            sys.argv = [module, args_file]
            runpy.run_module('ansible_collections.mas.dedicated.plugins.modules.' + module, run_name='__main__',
                             alter_sys=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # pylint: disable=broad-except
            import traceback
            traceback.print_exc()
            code = 1
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    deadline = started + CASE_TIMEOUT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, started, time.time(), False
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, started, time.time(), True
        time.sleep(0.005)


def names_option(msg, option, spec_aliases):
    text = (msg or '').lower()
    names = set([option.split('.')[-1], option.split('.')[0]] + list(spec_aliases))
    return any(name.lower() in text for name in names)


def run_case(case, work, aliases):
    scratch = os.path.join(work, 'case-%d' % case['id'])
    shutil.rmtree(scratch, ignore_errors=True)
    make_scratch(scratch)
    before = snapshot(scratch)
    args = dict(resolve(case['args'], scratch))
    args.update(_ansible_check_mode=False, _ansible_diff=False, _ansible_tmpdir=os.path.join(scratch, 'tmp'),
                _ansible_remote_tmp=os.path.join(scratch, 'tmp'), _ansible_keep_remote_files=False)
    args_file = os.path.join(work, 'args-%d.json' % case['id'])
    with open(args_file, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
    out_path, err_path = os.path.join(work, 'out-%d' % case['id']), os.path.join(work, 'err-%d' % case['id'])
    status, started, ended, hung = run_module(case['module'], args_file, scratch, out_path, err_path)
    with open(out_path, errors='replace') as handle:
        stdout = handle.read()
    with open(err_path, errors='replace') as handle:
        stderr = handle.read()
    after = snapshot(scratch)
    result = None
    for line in reversed(stdout.strip().splitlines()):
        try:
            result = json.loads(line)
            break
        except ValueError:
            continue
    problems = []
    if hung:
        problems.append('hung (killed after %ds)' % CASE_TIMEOUT)
    traceback_seen = 'Traceback' in stdout or 'Traceback' in stderr or (
        isinstance(result, dict) and 'Traceback' in str(result.get('exception', '')))
    if traceback_seen:
        problems.append('traceback')
    if not isinstance(result, dict) or not result.get('failed'):
        if not hung:
            problems.append('accepted (no fail_json)')
    elif not names_option(result.get('msg'), case['option'], aliases):
        problems.append('message does not name the option')
    changed = sorted(set(before.items()) ^ set(after.items()))
    if changed:
        problems.append('changed on disk: %s' % ', '.join(sorted(set(name for name, dummy in changed)))[:200])
    shutil.rmtree(scratch, ignore_errors=True)
    for name in (args_file, out_path, err_path):
        os.unlink(name)
    msg = result.get('msg') if isinstance(result, dict) else (stderr.strip().splitlines() or [''])[-1]
    return {'id': case['id'], 'start': started, 'end': ended, 'problems': problems, 'traceback': traceback_seen,
            'msg': str(msg)[:300], 'exit': status}


def worker(cases, work, aliases, results_path):
    with open(results_path, 'w') as handle:
        for case in cases:
            handle.write(json.dumps(run_case(case, work, aliases.get(case['module'], {}).get(case['option'], ()))) + '\n')
            handle.flush()


def run_all(cases, work, aliases, workers):
    """Run cases in ``workers`` forked worker processes; returns {id: result}."""
    pids = []
    for index in range(workers):
        part = cases[index::workers]
        path = os.path.join(work, 'results-%d.jsonl' % index)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                worker(part, work, aliases, path)
            except BaseException:  # pylint: disable=broad-except
                import traceback
                traceback.print_exc()
                code = 1
            os._exit(code)
        pids.append((pid, path))
    results = {}
    pending = [pid for pid, dummy in pids]
    while pending:
        for pid in list(pending):
            if os.waitpid(pid, os.WNOHANG)[0]:
                pending.remove(pid)
        LOG.collect()
        time.sleep(0.5)
    for pid, path in pids:
        with open(path) as handle:
            for line in handle:
                entry = json.loads(line)
                results[entry['id']] = entry
        os.unlink(path)
    return results


class RequestLog:
    """The sandbox's request log, read while the cases run (it keeps only its last 10,000 entries)."""

    def __init__(self):
        self.url = None
        self.entries = {}

    def collect(self):
        for entry in http(self.url + '/_sandbox/requests'):
            self.entries[entry['seq']] = entry

    def clear(self):
        http(self.url + '/_sandbox/requests', 'DELETE')
        self.entries = {}


LOG = RequestLog()


def request_times():
    LOG.collect()
    times = []
    for dummy, entry in sorted(LOG.entries.items()):
        stamp = datetime.datetime.strptime(entry['time'], '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=datetime.timezone.utc)
        times.append((stamp.timestamp(), '%s %s' % (entry['method'], entry['path'])))
    return times


def attribute(results, times):
    """{case id: [requests]} for requests inside a case's window; a request in two windows goes to both."""
    found = {}
    for stamp, what in times:
        for entry in results.values():
            if entry['start'] - SLACK <= stamp <= entry['end'] + SLACK:
                found.setdefault(entry['id'], []).append(what)
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('config')
    parser.add_argument('work')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--module', action='append')
    parser.add_argument('--max-failures-shown', type=int, default=40)
    parser.add_argument('--allow-failures', action='store_true', help='report, but exit 0 (to record figures)')
    options = parser.parse_args()
    config = yaml.safe_load(open(options.config))
    url = config['sandbox_url']
    work = os.path.abspath(options.work)
    os.makedirs(work, exist_ok=True)
    began = time.time()

    modules_dir = list(importlib.import_module('ansible_collections.mas.dedicated.plugins.modules').__path__)[0]
    # An action plugin's stub (job_progress) documents options the action checks itself: it is no module to run.
    # A module with an action plugin in front of it (manage_api_key, which censors results) is one: it has a main().
    actions = os.path.join(os.path.dirname(modules_dir), 'action')

    def stub(f):
        with open(os.path.join(modules_dir, f)) as handle:
            return os.path.exists(os.path.join(actions, f)) and 'def main(' not in handle.read()

    names = sorted(f[:-3] for f in os.listdir(modules_dir) if f.endswith('.py') and not f.startswith('_')
                   and not stub(f))
    specs = module_specs(names)
    bases = baselines(config)
    missing = sorted(set(names) - set(bases))
    if missing:
        print('FAILED: no valid arguments known for %s' % ', '.join(missing))
        sys.exit(1)
    aliases = {}
    for module, kwargs in specs.items():
        for option, option_spec in walk_options(kwargs['argument_spec']):
            aliases.setdefault(module, {})[option] = tuple(option_spec.get('aliases') or ())
    # The libraries every module process needs, imported once here and shared by the forks.
    importlib.import_module('ansible.module_utils.basic')
    for name in ('requests', 'boto3', 'botocore.client', 'jmespath'):
        try:
            importlib.import_module(name)
        except ImportError:
            pass

    # The valid arguments must work (and be seen by the sandbox): otherwise a refused case would prove nothing.
    http(url + '/_sandbox/reset', 'POST')
    http(url + '/_sandbox/config', 'POST', {'report_delay': 0.2, 'stop_delay': 0.3, 'start_delay': 0.3,
                                            'sync_delay': 0.2, 'log_upload_delay': 0.3})
    # Migration Manager package definitions are not made through the API: the baseline's is seeded.
    http(url + '/_sandbox/dm/packagedefs', 'POST', {'pkgdefname': 'BADINPUTS', 'objects': {'mxapiautoscript': []},
                                                    'targets': [{'targetname': 'FILES', 'type': 'file'}]})
    base_cases = [{'id': -1 - i, 'module': m, 'option': '-', 'label': 'valid', 'args': bases[m][0]}
                  for i, m in enumerate(sorted(bases)) if not options.module or m in options.module]
    base_problems = []
    for case in base_cases:
        seen_before = len(http(url + '/_sandbox/requests'))
        entry = run_case(case, work, ())
        sent = len(http(url + '/_sandbox/requests')) - seen_before
        entry['sent'] = sent
        failed_ok = case['module'] in ('db2_query',)  # no DB2 server: it fails connecting, after its checks
        if ('accepted (no fail_json)' not in entry['problems'] and not failed_ok) or entry['traceback']:
            base_problems.append('%s with valid arguments: %s' % (case['module'], entry['msg']))
        if sent == 0 and case['module'] not in ('db2_query', 'db2_client_config', 'sql_script_request', 'support_case',
                                                'rclone_remote'):
            base_problems.append('%s with valid arguments sent no request: the suite could not see one' % case['module'])

    cases = build_cases(specs, bases, options.module)
    http(url + '/_sandbox/reset', 'POST')
    http(url + '/_sandbox/config', 'POST', {'report_delay': 0.2, 'stop_delay': 0.3, 'start_delay': 0.3,
                                            'sync_delay': 0.2, 'log_upload_delay': 0.3})
    LOG.url = url
    LOG.clear()
    results = run_all(cases, work, aliases, max(1, options.workers))
    sent = attribute(results, request_times())
    # A request seen while two cases ran belongs to one of them: run the suspects again, alone.
    suspects = sorted(sent)
    if suspects and options.workers > 1:
        LOG.clear()
        again = run_all([c for c in cases if c['id'] in suspects], work, aliases, 1)
        sent = attribute(again, request_times())
        for case_id in suspects:
            results[case_id] = again[case_id]
    for case_id, calls in sent.items():
        results[case_id]['problems'].append('sent %d request(s): %s' % (len(calls), ', '.join(sorted(set(calls)))[:150]))

    # ---- figures
    per_module = {}
    for case in cases:
        entry = results[case['id']]
        stats = per_module.setdefault(case['module'], {'cases': 0, 'failed': 0, 'tracebacks': 0, 'writes': 0,
                                                       'sending': 0, 'requests': 0})
        stats['cases'] += 1
        stats['failed'] += bool(entry['problems'])
        stats['tracebacks'] += entry['traceback']
        stats['writes'] += any(p.startswith('changed on disk') for p in entry['problems'])
        stats['sending'] += case['id'] in sent
        stats['requests'] += len(sent.get(case['id'], ()))
    print('bad-input suite: %d modules, %d cases, %d workers, %.1f s'
          % (len(per_module), len(cases), options.workers, time.time() - began))
    print('%-20s %6s %6s %10s %8s %13s %9s' % ('module', 'cases', 'failed', 'tracebacks', 'writes', 'cases-sending',
                                               'requests'))
    total = dict((k, 0) for k in ('cases', 'failed', 'tracebacks', 'writes', 'sending', 'requests'))
    for module in sorted(per_module):
        stats = per_module[module]
        for key in total:
            total[key] += stats[key]
        print('%-20s %6d %6d %10d %8d %13d %9d' % (module, stats['cases'], stats['failed'], stats['tracebacks'],
                                                   stats['writes'], stats['sending'], stats['requests']))
    print('%-20s %6d %6d %10d %8d %13d %9d' % ('total', total['cases'], total['failed'], total['tracebacks'],
                                               total['writes'], total['sending'], total['requests']))
    kinds = {}
    for entry in results.values():
        for problem in entry['problems']:
            kind = re.sub(r'\d+ request\(s\)', 'requests', problem.split(':')[0].split(' (')[0])
            kinds[kind] = kinds.get(kind, 0) + 1
    if kinds:
        print('problems: %s' % ', '.join('%s %d' % item for item in sorted(kinds.items())))
    shown = 0
    for case in cases:
        entry = results[case['id']]
        if entry['problems'] and shown < options.max_failures_shown:
            shown += 1
            print('  FAIL %s %s = %s: %s | msg: %s'
                  % (case['module'], case['option'], case['label'], '; '.join(entry['problems']), entry['msg'][:160]))
    for problem in base_problems:
        print('  BASELINE %s' % problem)
    if (total['failed'] or base_problems) and not options.allow_failures:
        sys.exit(1)


if __name__ == '__main__':
    main()
