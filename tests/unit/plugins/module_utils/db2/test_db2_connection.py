# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection strings (SSL always, nothing that weakens it), the certificate check, and driver error mapping.

The driver messages below are the ones the bundled CLI driver printed against a local TLS listener and closed
ports (SQL30081N, SQL20576N, SQL1336N, CLI0157E); SQL30082N and SQL0551N follow IBM's message reference.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_connection

CERT = """-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ9zq3uWd0p0l3y1dQx3u8bO9u4wwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MB4XDTI0MDEwMTAwMDAwMFoXDTM0MDEwMTAw
MDAwMFowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAE
-----END CERTIFICATE-----
"""


def build(**overrides):
    args = dict(database='BLUDB', hostname='db.example.com', port=50001, username='maxro', password='pa55word',
                ssl_server_certificate='/etc/mas/db.arm')
    args.update(overrides)
    return db2_connection.connection_string(**args)


def test_ssl_is_always_set_with_the_certificate_and_a_timeout():
    text = build()
    assert text == ('DATABASE=BLUDB;HOSTNAME=db.example.com;PORT=50001;PROTOCOL=TCPIP;UID=maxro;PWD=pa55word;'
                    'SECURITY=SSL;SSLServerCertificate=/etc/mas/db.arm;ConnectTimeout=30;')
    assert 'ConnectTimeout=5;' in build(connect_timeout=5)


def test_passwords_with_semicolons_are_braced():
    assert 'PWD={a;b=c};' in build(password='a;b=c')
    assert 'PWD={{x};' in build(password='{x')
    with pytest.raises(db2_connection.Db2ConfigError, match='cannot quote'):
        build(password='a;}b')


@pytest.mark.parametrize('field', ['database', 'hostname', 'username', 'ssl_server_certificate'])
def test_semicolons_elsewhere_are_refused(field):
    with pytest.raises(db2_connection.Db2ConfigError, match=field):
        build(**{field: 'x;SECURITY=NONE'})


@pytest.mark.parametrize('missing', ['database', 'hostname', 'port', 'username', 'password', 'ssl_server_certificate'])
def test_missing_settings_are_named(missing):
    with pytest.raises(db2_connection.Db2ConfigError, match=missing):
        build(**{missing: None})


@pytest.mark.parametrize('port', ['x', 0, 70000])
def test_bad_ports(port):
    with pytest.raises(db2_connection.Db2ConfigError, match='port'):
        build(port=port)


@pytest.mark.parametrize('options', [
    {'SECURITY': 'NONE'}, {'security': 'SSL'}, {'SSLServerCertificate': '/x'}, {'PWD': 'x'},
    {'sslConnection': 'true'}, {'SecurityTransportMode': 'NONE'}, {'SSLClientHostnameValidation': 'OFF'},
    {'sslclienthostnamevalidation': 'off'}, {'SSLClientKeystoredb': '/x.kdb'}, {'Authentication': 'SERVER'},
    {'SSLClientLabel': False}, {'SSLVersion': 'none'}, {'bad key': 'x'}, {'CurrentSchema': 'A;SECURITY=NONE'},
    {'ConnectTimeout': 0},
])
def test_unsafe_or_ambiguous_options_are_refused(options):
    with pytest.raises(db2_connection.Db2ConfigError):
        build(options=options)


def test_safe_options_are_appended_in_order():
    text = build(options={'CurrentSchema': 'MAXIMO', 'SSLClientHostnameValidation': 'Basic', 'QueryTimeout': 60})
    assert text.endswith('ConnectTimeout=30;CurrentSchema=MAXIMO;QueryTimeout=60;SSLClientHostnameValidation=Basic;')


def test_certificate_check(tmp_path):
    good = tmp_path / 'db.arm'
    good.write_text('subject=CN = db\n' + CERT)
    assert db2_connection.check_certificate(str(good)) == str(good)
    with pytest.raises(db2_connection.Db2ConfigError, match='does not exist'):
        db2_connection.check_certificate(str(tmp_path / 'missing.arm'))
    with pytest.raises(db2_connection.Db2ConfigError, match='key store'):
        db2_connection.check_certificate(str(tmp_path / 'truststore.jks'))
    der = tmp_path / 'db.der'
    der.write_bytes(b'\x30\x82\x01\xb3' + b'\x00' * 40)
    with pytest.raises(db2_connection.Db2ConfigError, match='no PEM certificate'):
        db2_connection.check_certificate(str(der))
    broken = tmp_path / 'broken.pem'
    broken.write_text('-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n')
    with pytest.raises(db2_connection.Db2ConfigError, match='damaged'):
        db2_connection.check_certificate(str(broken))
    with pytest.raises(db2_connection.Db2ConfigError, match='required'):
        db2_connection.check_certificate(None)


def comm(protocol, function, code, location='10.1.2.3'):
    return ('ibm_db_dbi::OperationalError: [IBM][CLI Driver] SQL30081N  A communication error has been detected. '
            'Communication protocol being used: "%s".  Communication API being used: "SOCKETS".  Location where the '
            'error was detected: "%s".  Communication function detecting the error: "%s".  Protocol specific error '
            'code(s): "%s", "*", "*".  SQLSTATE=08001 SQLCODE=-30081' % (protocol, location, function, code))


@pytest.mark.parametrize('message,category,words', [
    (comm('TCP/IP', 'selectForConnectTimeout', '115'), 'unreachable', 'within connect_timeout'),
    (comm('TCP/IP', 'connect', '111'), 'unreachable', 'refused'),
    (comm('TCP/IP', 'recv', '104'), 'unreachable', 'SSL port'),
    (comm('TCP/IP', 'connect', '99'), 'unreachable', 'errno 99'),
    (comm('SSL', 'sqlccSSLSocketSetup', '414', ''), 'certificate', 'not the one in ssl_server_certificate'),
    (comm('SSL', 'sqlccSSLSocketSetup', '408', ''), 'certificate', 'expired'),
    (comm('SSL', 'sqlccSSLSocketRead', '420', ''), 'unreachable', 'handshake succeeded'),
    (comm('SSL', 'sqlccSSLSocketSetup', '999', ''), 'certificate', 'GSKit code 999'),
    ('[IBM][CLI Driver] SQL20576N  The command or operation failed because a TLS connection could not be '
     'established with reason "1" and additional information "localhost".  SQLSTATE=08001 SQLCODE=-20576',
     'certificate', 'does not name the host'),
    ('[IBM][CLI Driver] SQL1336N  The remote host "nowhere.invalid" was not found.  SQLSTATE=08001 SQLCODE=-1336',
     'unreachable', 'DNS'),
    ('[IBM][CLI Driver] SQL30082N  Security processing failed with reason "24" ("USERNAME AND/OR PASSWORD INVALID").  '
     'SQLSTATE=08001 SQLCODE=-30082', 'credentials', 'user name or password is not valid'),
    ('[IBM][CLI Driver] SQL30082N  Security processing failed with reason "1" ("PASSWORD EXPIRED").  '
     'SQLSTATE=08001 SQLCODE=-30082', 'password_expired', 'Self Service Portal'),
    ('[IBM][CLI Driver][DB2/LINUXX8664] SQL0551N  "MAXRO" does not have the required authorization or privilege to '
     'perform operation "UPDATE" on object "MAXIMO.ASSET".  SQLSTATE=42501 SQLCODE=-551', 'privilege', 'read-only'),
    ('[IBM][CLI Driver] SQL30061N  The database alias or database name "NODB" was not found at the remote node.  '
     'SQLSTATE=08004 SQLCODE=-30061', 'database', 'check database'),
    ('[IBM][CLI Driver] CLI0157E  Error opening a file. SQLSTATE=HY507 SQLCODE=-99999', 'certificate',
     'could not open a file'),
    ('[IBM][CLI Driver][DB2/LINUXX8664] SQL0204N  "MAXIMO.NOPE" is an undefined name.  SQLSTATE=42704 SQLCODE=-204',
     'statement', 'MAXIMO.NOPE'),
    ('[IBM][CLI Driver][DB2/LINUXX8664] SQL0104N  An unexpected token "FORM" was found.  SQLSTATE=42601 SQLCODE=-104',
     'statement', 'rejected a statement'),
    ('something else entirely', 'error', 'something else entirely'),
])
def test_error_mapping(message, category, words):
    error = db2_connection.map_driver_error(message, target='DB2 database BLUDB at db:50001')
    assert error.category == category
    assert words in str(error)
    assert 'Traceback' not in str(error)


def test_mapping_keeps_codes_and_redacts():
    error = db2_connection.map_driver_error(comm('TCP/IP', 'connect', '111') + ' PWD=hunter2xyz', secrets=('hunter2xyz',))
    assert (error.sqlstate, error.sqlcode, error.message_id) == ('08001', -30081, 'SQL30081N')
    assert 'hunter2xyz' not in str(error) and 'hunter2xyz' not in repr(error.to_dict())
    assert '(SQL30081N, SQLSTATE 08001)' in str(error)


def test_connect_without_driver_is_a_clear_config_error(monkeypatch):
    monkeypatch.setattr(db2_connection, 'import_driver', lambda: (None, 'Traceback\nImportError: No module named ibm_db_dbi\n'))
    with pytest.raises(db2_connection.Db2ConfigError, match='ibm_db Python package'):
        db2_connection.connect('DATABASE=x;')


def test_db2cli_environment_points_at_the_driver_libraries():
    env = db2_connection.db2cli_environment('/opt/clidriver/bin/db2cli', dsdriver_cfg='/tmp/d.cfg', cli_ini_dir='/tmp/ini')
    assert env['LD_LIBRARY_PATH'].startswith('/opt/clidriver/lib')
    assert env['DB2DSDRIVER_CFG_PATH'] == '/tmp/d.cfg' and env['DB2CLIINIPATH'] == '/tmp/ini'
    assert db2_connection.find_db2cli('/does/not/exist') is None


class FakeCursor:
    description = None
    rowcount = 1

    def __init__(self, log, fail=None):
        self.log, self.fail = log, fail

    def execute(self, text, *args):
        if self.fail and self.fail in text:
            raise RuntimeError('[IBM][CLI Driver][DB2/LINUXX8664] SQL0551N "MAXRO" does not have the privilege. '
                               'PWD=pa55word SQLSTATE=42501 SQLCODE=-551')
        self.log.append(('execute', text))

    def close(self):
        self.log.append('cursor closed')


class FakeConnection:
    def __init__(self, log, fail=None):
        self.log, self.fail = log, fail

    def cursor(self):
        return FakeCursor(self.log, self.fail)

    def commit(self):
        self.log.append('commit')

    def rollback(self):
        self.log.append('rollback')

    def close(self):
        self.log.append('closed')


class FakeDriver:
    def __init__(self, fail=None):
        self.log, self.fail, self.conn_strings = [], fail, []

    def connect(self, conn_string, user, password):
        self.conn_strings.append(conn_string)
        return FakeConnection(self.log, self.fail)


OPTIONS = dict(database='BLUDB', hostname='db.example.com', port=50001, username='maxro', password='pa55word',
               connect_timeout=30, connection_options={})


def statements(*texts):
    from ansible_collections.mas.dedicated.plugins.module_utils.db2 import sql
    return [(statement, None) for statement in sql.split(';'.join(texts))]


def test_connector_checks_everything_before_anything_is_sent(tmp_path):
    with pytest.raises(db2_connection.Db2ConfigError) as caught:
        db2_connection.Connector(dict(OPTIONS, ssl_server_certificate=str(tmp_path / 'missing.arm')), 'the db')
    assert str(caught.value).endswith('does not exist or is not a file (nothing was sent)')
    with pytest.raises(db2_connection.Db2ConfigError) as caught:
        db2_connection.Connector(dict(OPTIONS, port=None, ssl_server_certificate='/x.arm'), 'the db',
                                 prefix='test_database: ')
    assert str(caught.value) == 'test_database: port is required to connect (nothing was sent)'


def test_connector_runs_on_one_connection_and_closes_it(tmp_path, monkeypatch):
    cert = tmp_path / 'db.arm'
    cert.write_text(CERT)
    driver = FakeDriver()
    monkeypatch.setattr(db2_connection, 'import_driver', lambda: (driver, None))
    connector = db2_connection.Connector(dict(OPTIONS, ssl_server_certificate=str(cert)), 'the db')
    assert connector.conn_string.startswith('DATABASE=BLUDB;') and 'SSLServerCertificate=%s;' % cert in connector.conn_string
    outcome = connector.run(statements('UPDATE t SET a = 1', 'UPDATE t SET b = 2'), finish='rollback')
    assert outcome['rows_affected'] == 2
    assert driver.log == [('execute', 'UPDATE t SET a = 1'), ('execute', 'UPDATE t SET b = 2'), 'rollback',
                          'cursor closed', 'closed']
    assert driver.conn_strings == [connector.conn_string]


def test_connector_maps_driver_errors_for_its_target_without_secrets(tmp_path, monkeypatch):
    cert = tmp_path / 'db.arm'
    cert.write_text(CERT)
    driver = FakeDriver(fail='b = 2')
    monkeypatch.setattr(db2_connection, 'import_driver', lambda: (driver, None))
    connector = db2_connection.Connector(dict(OPTIONS, ssl_server_certificate=str(cert)), 'the replica',
                                         secrets=('pa55word',))
    with pytest.raises(db2_connection.Db2Error) as caught:
        connector.run(statements('UPDATE t SET a = 1', 'UPDATE t SET b = 2'))
    assert caught.value.category == 'privilege' and 'the replica refused the statement' in str(caught.value)
    assert str(caught.value).startswith('statement 2 (line 1): ') and 'pa55word' not in repr(caught.value.to_dict())
    assert driver.log[-3:] == ['rollback', 'cursor closed', 'closed']


def test_driver_available(monkeypatch):
    monkeypatch.setattr(db2_connection, 'import_driver', lambda: (None, 'Traceback: no ibm_db'))
    assert db2_connection.driver_available() == (False, 'Traceback: no ibm_db')
    monkeypatch.setattr(db2_connection, 'import_driver', lambda: (object(), None))
    assert db2_connection.driver_available() == (True, None)
