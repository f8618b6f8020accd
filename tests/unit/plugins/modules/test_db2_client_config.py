# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""db2_client_config with a list of data sources: each file read and written once, the same result as one by one."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.modules import db2_client_config

CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n'


@pytest.fixture
def cert(tmp_path):
    path = tmp_path / 'db.arm'
    path.write_text(CERT)
    return str(path)


def sources(cert):
    return [dict(dsn='ACMEDEV', hostname='dev.db.example.com', ssl_server_certificate=cert, production=False),
            dict(dsn='ACMETEST', hostname='test.db.example.com', ssl_server_certificate=cert,
                 parameters={'CurrentSchema': 'MAXIMO'}, production=False),
            dict(dsn='ACMEPROD', hostname='replica.db.example.com', port=50443, ssl_server_certificate=cert,
                 replica=True)]


def test_list_equals_one_by_one_and_writes_each_file_once(run_module, tmp_path, cert, monkeypatch):
    single = dict(dsdriver_cfg=str(tmp_path / 'one' / 'db2dsdriver.cfg'), odbc_ini=str(tmp_path / 'one' / 'odbc.ini'))
    listed = dict(dsdriver_cfg=str(tmp_path / 'all' / 'db2dsdriver.cfg'), odbc_ini=str(tmp_path / 'all' / 'odbc.ini'))
    for item in sources(cert):
        assert not run_module(db2_client_config, dict(dict(single, database='BLUDB', port=50001), **item)).failed
    writes = []
    real = db2_client_config._write
    monkeypatch.setattr(db2_client_config, '_write', lambda path, text, **kw: (writes.append(path), real(path, text, **kw)))
    outcome = run_module(db2_client_config, dict(listed, database='BLUDB', port=50001, data_sources=sources(cert)))
    assert not outcome.failed and outcome.result['changed']
    assert sorted(writes) == sorted(listed.values())
    for key in listed:
        assert open(listed[key]).read() == open(single[key]).read()
    results = outcome.result['data_sources']
    assert [(r['dsn'], r['changed'], r['dsdriver_cfg']['port']) for r in results] == [
        ('ACMEDEV', True, '50001'), ('ACMETEST', True, '50001'), ('ACMEPROD', True, '50443')]

    again = run_module(db2_client_config, dict(listed, database='BLUDB', port=50001, data_sources=sources(cert)))
    assert not again.result['changed'] and len(writes) == 2
    assert not any(r['changed'] for r in again.result['data_sources'])

    removed = run_module(db2_client_config, dict(listed, data_sources=[dict(dsn='ACMETEST', state='absent')],
                                                 _ansible_diff=True))
    assert removed.result['changed'] and removed.result['data_sources'][0]['dsdriver_cfg'] is None
    assert 'ACMETEST' in removed.result['diff'][0]['before'] and 'ACMEDEV' in open(listed['dsdriver_cfg']).read()


def test_every_bad_item_reported_before_writing(run_module, tmp_path, cert):
    path = tmp_path / 'db2dsdriver.cfg'
    outcome = run_module(db2_client_config, dict(dsdriver_cfg=str(path), database='BLUDB', port=50001, production=False,
                                                 data_sources=[
        dict(dsn='ACMEDEV', hostname='dev.db.example.com', ssl_server_certificate=cert),
        dict(dsn='9STARTSWITHDIGIT', hostname='x', ssl_server_certificate=cert),
        dict(dsn='NOHOST', ssl_server_certificate=cert),
        dict(dsn='ACMEDEV', hostname='dev2.db.example.com', ssl_server_certificate=cert)]))
    assert outcome.failed
    message = outcome.result['msg']
    assert 'dsn 9STARTSWITHDIGIT:' in message and 'dsn NOHOST: state is present but' in message
    assert 'hostname' in message and 'dsn ACMEDEV is listed more than once' in message
    assert not path.exists()


# ---- config injection: a value must not add sections or properties to odbc.ini -------------------------------------

def odbcinst_sections(path, tmp_path):
    """The data sources unixODBC itself reads from ``path`` (odbcinst -q -s).

    Without odbcinst on PATH (ODBCINST may name it), the sections this collection's own INI reader sees.
    """
    import os
    import shutil
    import subprocess
    from ansible_collections.mas.dedicated.plugins.module_utils.cos import rclone_config
    binary = os.environ.get('ODBCINST') or shutil.which('odbcinst')
    if not binary:
        return sorted(rclone_config.sections(path.read_text()))
    system = tmp_path / 'odbcsys'
    system.mkdir(exist_ok=True)
    (system / 'odbc.ini').write_text('')
    (system / 'odbcinst.ini').write_text('')
    env = dict(os.environ, ODBCINI=str(path), ODBCSYSINI=str(system))
    out = subprocess.run([binary, '-q', '-s'], capture_output=True, text=True, env=env, check=True).stdout
    return sorted(line.strip('[]') for line in out.split())


INJECTION = '\n[EVIL]\nDriver = /tmp/evil.so'


@pytest.mark.parametrize('option, value, words', [
    ('database', 'BLUDB' + INJECTION, 'database cannot be written'),
    ('hostname', 'db.example.com\r\n[EVIL]', 'hostname cannot be written'),
    ('hostname', 'db.example.com\x00', 'NUL'),
    ('ssl_server_certificate', '/certs/' + 'a' * 1000 + '[EVIL]', 'SSLServerCertificate is too long'),
    ('parameters', {'CurrentSchema': 'MAXIMO' + INJECTION}, "parameter 'CurrentSchema' cannot be written"),
    ('parameters', {'X\n[EVIL]\nDriver': '/tmp/evil.so'}, 'is not a CLI keyword'),
    ('parameters', {'Driver = /tmp/evil.so\nX': 'y'}, 'is not a CLI keyword'),
    ('odbc_driver', '/opt/clidriver/lib/libdb2o.so' + INJECTION, 'odbc_driver cannot be written'),
])
def test_a_value_that_would_change_odbc_ini_is_refused_and_nothing_is_written(
        run_module, tmp_path, cert, option, value, words):
    odbc, dsdriver = tmp_path / 'odbc.ini', tmp_path / 'db2dsdriver.cfg'
    odbc.write_text('[OTHER]\nDatabase = OTHDB\n')
    args = dict(dsn='MAXRO', database='BLUDB', hostname='db.example.com', port=50001, production=False, ssl_server_certificate=cert,
                odbc_ini=str(odbc), dsdriver_cfg=str(dsdriver), check_certificate=False)
    args[option] = value
    outcome = run_module(db2_client_config, args)
    assert outcome.failed, 'written: %r' % odbc.read_text()
    assert words in outcome.result['msg']
    if option != 'parameters' or 'keyword' not in words:
        assert '/tmp/evil.so' not in outcome.result['msg'] and 'EVIL' not in outcome.result['msg']
    assert odbc.read_text() == '[OTHER]\nDatabase = OTHDB\n' and not dsdriver.exists()
    assert odbcinst_sections(odbc, tmp_path) == ['OTHER']


def test_the_longest_line_unixodbc_reads_whole_is_written(run_module, tmp_path, cert):
    odbc = tmp_path / 'odbc.ini'
    # 'SSLServerCertificate = ' is 23 bytes: with the newline, 999 bytes in all.
    longest = '/' + 'c' * (999 - 23 - 2)
    args = dict(dsn='MAXRO', database='BLUDB', hostname='db.example.com', port=50001, production=False, ssl_server_certificate=longest,
                odbc_ini=str(odbc), check_certificate=False)
    outcome = run_module(db2_client_config, args)
    assert not outcome.failed, outcome.result['msg']
    assert odbcinst_sections(odbc, tmp_path) == ['MAXRO']
    outcome = run_module(db2_client_config, dict(args, ssl_server_certificate=longest + 'c'))
    assert outcome.failed and 'too long for odbc.ini' in outcome.result['msg']


@pytest.mark.parametrize('args', [
    {},                                   # production unless declared otherwise
    {'production': True},
    {'production': True, 'replica': False},
])
def test_a_production_data_source_on_the_primary_database_is_refused_before_writing(run_module, tmp_path, cert,
                                                                                    monkeypatch, args):
    monkeypatch.delenv('MAS_PRODUCTION', raising=False)
    monkeypatch.delenv('MAS_DB2_REPLICA', raising=False)
    cfg, ini = tmp_path / 'db2dsdriver.cfg', tmp_path / 'odbc.ini'
    for check_mode in (True, False):
        outcome = run_module(db2_client_config, dict(
            args, dsn='ACMEPROD', database='BLUDB', hostname='db.prod.example.com', port=50001,
            ssl_server_certificate=cert, dsdriver_cfg=str(cfg), odbc_ini=str(ini), _ansible_check_mode=check_mode))
        message = outcome.result['msg']
        assert outcome.failed and not outcome.result.get('changed')
        assert 'production data source must point at the ordered read replica' in message
        assert 'ACMEPROD' in message and 'db.prod.example.com' in message and 'replica: true' in message
        assert not cfg.exists() and not ini.exists()


def test_in_a_list_the_primary_of_production_stops_every_write(run_module, tmp_path, cert):
    cfg = tmp_path / 'db2dsdriver.cfg'
    outcome = run_module(db2_client_config, dict(dsdriver_cfg=str(cfg), database='BLUDB', port=50001, data_sources=[
        dict(dsn='ACMEDEV', hostname='dev.db.example.com', ssl_server_certificate=cert, production=False),
        dict(dsn='ACMEPROD', hostname='db.prod.example.com', ssl_server_certificate=cert, production=True)]))
    assert outcome.failed and outcome.result['msg'].startswith('dsn ACMEPROD: ')
    assert not cfg.exists()


def test_environment_variables_declare_production_and_the_replica(run_module, tmp_path, cert, monkeypatch):
    cfg = tmp_path / 'db2dsdriver.cfg'
    args = dict(dsn='ACMEPROD', database='BLUDB', hostname='replica.example.com', port=50001,
                ssl_server_certificate=cert, dsdriver_cfg=str(cfg))
    monkeypatch.setenv('MAS_PRODUCTION', 'true')
    assert run_module(db2_client_config, args).failed
    monkeypatch.setenv('MAS_DB2_REPLICA', 'true')
    outcome = run_module(db2_client_config, args)
    assert not outcome.failed and outcome.result['changed'] and cfg.exists()


def test_validate_without_db2cli_fails_before_writing(run_module, tmp_path, cert):
    path = tmp_path / 'cfg' / 'db2dsdriver.cfg'
    outcome = run_module(db2_client_config, dict(dsdriver_cfg=str(path), dsn='ACMEDEV', database='BLUDB', port=50001,
                                                 hostname='dev.db.example.com', ssl_server_certificate=cert,
                                                 production=False, validate=True,
                                                 db2cli_path=str(tmp_path / 'no' / 'db2cli')))
    assert outcome.failed and outcome.result['msg'] == (
        'validate=true needs db2cli: install the ibm_db Python package (its wheel bundles the CLI driver) or set '
        'db2cli_path')
    assert not path.exists()
