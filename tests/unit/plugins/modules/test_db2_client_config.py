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
    return [dict(dsn='ACMEDEV', hostname='dev.db.example.com', ssl_server_certificate=cert),
            dict(dsn='ACMETEST', hostname='test.db.example.com', ssl_server_certificate=cert,
                 parameters={'CurrentSchema': 'MAXIMO'}),
            dict(dsn='ACMEPROD', hostname='replica.db.example.com', port=50443, ssl_server_certificate=cert)]


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
    outcome = run_module(db2_client_config, dict(dsdriver_cfg=str(path), database='BLUDB', port=50001, data_sources=[
        dict(dsn='ACMEDEV', hostname='dev.db.example.com', ssl_server_certificate=cert),
        dict(dsn='9STARTSWITHDIGIT', hostname='x', ssl_server_certificate=cert),
        dict(dsn='NOHOST', ssl_server_certificate=cert),
        dict(dsn='ACMEDEV', hostname='dev2.db.example.com', ssl_server_certificate=cert)]))
    assert outcome.failed
    message = outcome.result['msg']
    assert 'dsn 9STARTSWITHDIGIT:' in message and 'dsn NOHOST: state is present but' in message
    assert 'hostname' in message and 'dsn ACMEDEV is listed more than once' in message
    assert not path.exists()
