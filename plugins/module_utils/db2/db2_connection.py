# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DB2 over SSL: the connection string, the server certificate check, driver error mapping, and connecting.

MAS Dedicated accepts SSL connections only [doc]; the connection string therefore always carries
``SECURITY=SSL`` and ``SSLServerCertificate``, and options that would turn SSL, certificate or host name
checking off are refused. ibm_db is imported only by ``connect()``; everything else here is pure and tested
without it. Query execution is plain DB-API 2.0 and lives in ``dbapi.py``.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re
import ssl
import traceback

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact_text
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import dbapi


def import_driver():
    """(ibm_db_dbi module or None, import traceback or None): imported on first use only."""
    try:
        import ibm_db_dbi
        return ibm_db_dbi, None
    except ImportError:
        return None, traceback.format_exc()


def driver_available():
    """(whether ibm_db can be imported, its import traceback or None): for ``MasModule.require``."""
    driver, error = import_driver()
    return driver is not None, error


DEFAULT_CONNECT_TIMEOUT = 30
# Keywords the module sets itself; giving them again in connection_options would be ambiguous.
_OWN_KEYWORDS = ('DATABASE', 'HOSTNAME', 'PORT', 'PROTOCOL', 'UID', 'PWD', 'SECURITY', 'SSLSERVERCERTIFICATE',
                 'CONNECTTIMEOUT')
# Keywords that would weaken or replace the SSL set-up [doc: SSL only; sslConnection is ignored by the driver].
_REFUSED_KEYWORDS = {
    'SSLCONNECTION': 'it is ignored by the CLI driver; SECURITY=SSL is always set',
    'SECURITYTRANSPORTMODE': 'SECURITY=SSL is always set',
    'SSLCLIENTKEYSTOREDB': 'the server certificate file (ssl_server_certificate) is the trust store',
    'SSLCLIENTKEYSTASH': 'the server certificate file (ssl_server_certificate) is the trust store',
    'SSLCLIENTKEYSTOREDBPASSWORD': 'the server certificate file (ssl_server_certificate) is the trust store',
    'AUTHENTICATION': 'the server decides authentication; user and password are sent over SSL',
}
_OFF_VALUES = ('OFF', 'NO', 'NONE', 'FALSE', '0', 'DISABLE', 'DISABLED')
_KEYWORD = re.compile(r'^[A-Za-z][A-Za-z0-9_]*$')
_REJECTED_CERT_SUFFIXES = ('.jks', '.p12', '.pfx', '.kdb', '.sth')


class Db2ConfigError(RefusedError):
    """The connection settings are unusable or unsafe; nothing was sent."""


class Db2Error(ServiceError):
    """A DB2 driver error, mapped to a message a person can act on."""

    def __init__(self, message, sqlstate=None, sqlcode=None, message_id=None, category='error', driver_message=None):
        super(Db2Error, self).__init__(message)
        self.sqlstate = sqlstate
        self.sqlcode = sqlcode
        self.message_id = message_id
        self.category = category
        self.driver_message = driver_message

    def to_dict(self):
        return {'sqlstate': self.sqlstate, 'sqlcode': self.sqlcode, 'message_id': self.message_id,
                'category': self.category, 'driver_message': self.driver_message}


def _plain(name, value):
    value = str(value)
    if not value or ';' in value or value != value.strip() or value.startswith('{'):
        raise Db2ConfigError("%s '%s' cannot be used in a connection string: no ';', no leading '{', no "
                             "leading or trailing blanks" % (name, value))
    return value


def _secret(value):
    """A password for the connection string; braces keep ';' inside it (the CLI driver's quoting)."""
    value = str(value)
    if '}' in value and (';' in value or value.startswith('{')):
        raise Db2ConfigError("the password contains both ';' (or a leading '{') and '}', which the DB2 CLI "
                             "connection string cannot quote; change the password")
    if ';' in value or value.startswith('{') or value != value.strip():
        return '{%s}' % value
    return value


def check_extra_options(options):
    """Validate connection_options: {keyword: value}. Returns them as (keyword, value) pairs, sorted."""
    pairs = []
    for key, value in sorted((options or {}).items()):
        upper = str(key).upper()
        if not _KEYWORD.match(str(key)):
            raise Db2ConfigError("connection option '%s' is not a CLI keyword" % key)
        if upper in _OWN_KEYWORDS:
            raise Db2ConfigError("connection option '%s' is set by the module itself; use its own option" % key)
        if upper in _REFUSED_KEYWORDS:
            raise Db2ConfigError("connection option '%s' is refused: %s. MAS Dedicated accepts SSL connections only"
                                 % (key, _REFUSED_KEYWORDS[upper]))
        text = '' if value is None else str(value)
        if isinstance(value, bool):
            text = 'true' if value else 'false'
        if upper == 'SSLCLIENTHOSTNAMEVALIDATION' and text.upper() != 'BASIC':
            raise Db2ConfigError("connection option '%s=%s' is refused: the server's host name is always checked "
                                 "against its certificate (only BASIC is accepted)" % (key, text))
        if upper.startswith('SSL') and text.upper() in _OFF_VALUES:
            raise Db2ConfigError("connection option '%s=%s' is refused: it would weaken SSL" % (key, text))
        pairs.append((str(key), _plain(key, text)))
    return pairs


def connection_string(database, hostname, port, username, password, ssl_server_certificate,
                      connect_timeout=DEFAULT_CONNECT_TIMEOUT, options=None):
    """The ibm_db connection string [doc]: always SECURITY=SSL with the server certificate."""
    missing = [name for name, value in (('database', database), ('hostname', hostname), ('port', port),
                                        ('username', username), ('password', password),
                                        ('ssl_server_certificate', ssl_server_certificate)) if value in (None, '')]
    if missing:
        raise Db2ConfigError('%s %s required to connect' % (', '.join(missing), 'are' if len(missing) > 1 else 'is'))
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise Db2ConfigError("port '%s' is not a number" % port)
    if not 0 < port < 65536:
        raise Db2ConfigError('port %d is out of range' % port)
    timeout = int(connect_timeout or DEFAULT_CONNECT_TIMEOUT)
    if timeout < 1:
        raise Db2ConfigError('connect_timeout must be at least 1 second')
    parts = [('DATABASE', _plain('database', database)), ('HOSTNAME', _plain('hostname', hostname)),
             ('PORT', str(port)), ('PROTOCOL', 'TCPIP'), ('UID', _plain('username', username)),
             ('PWD', _secret(password)), ('SECURITY', 'SSL'),
             ('SSLServerCertificate', _plain('ssl_server_certificate', ssl_server_certificate)),
             ('ConnectTimeout', str(timeout))]
    parts.extend(check_extra_options(options))
    return ''.join('%s=%s;' % pair for pair in parts)


def check_certificate(path):
    """Fail before connecting when the server certificate is missing, unreadable, or not a PEM/ARM certificate."""
    if not path:
        raise Db2ConfigError('ssl_server_certificate is required: the path of the database certificate IBM provided')
    if path.lower().endswith(_REJECTED_CERT_SUFFIXES):
        raise Db2ConfigError("ssl_server_certificate '%s' is a key store; give the server certificate as a PEM/ARM "
                             "file (.arm, .pem, .crt); .jks key stores are not accepted by the DB2 CLI driver" % path)
    if not os.path.isfile(path):
        raise Db2ConfigError("ssl_server_certificate '%s' does not exist or is not a file" % path)
    try:
        with open(path, 'rb') as handle:
            data = handle.read(1024 * 1024)
    except (IOError, OSError) as exc:
        raise Db2ConfigError("ssl_server_certificate '%s' cannot be read: %s" % (path, exc.strerror or exc))
    text = data.decode('ascii', 'replace')
    match = re.search(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----', text, re.S)
    if not match:
        raise Db2ConfigError("ssl_server_certificate '%s' holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
                             "convert a DER file with 'openssl x509 -inform der -in CERT -out CERT.arm'" % path)
    try:
        ssl.PEM_cert_to_DER_cert(match.group(0))
    except ValueError:
        raise Db2ConfigError("ssl_server_certificate '%s' holds a damaged PEM certificate" % path)
    return path


# ---- error mapping -------------------------------------------------------------------------------------------

_SQLSTATE = re.compile(r'SQLSTATE=(\w{5})')
_SQLCODE = re.compile(r'SQLCODE=(-?\d+)')
_MESSAGE_ID = re.compile(r'\b((?:SQL|CLI)\d{4,5}[NWECI]?)\b')
_COMM_FUNCTION = re.compile(r'Communication function detecting the error: "([^"]*)"')
_COMM_PROTOCOL = re.compile(r'Communication protocol being used: "([^"]*)"')
_COMM_CODES = re.compile(r'Protocol specific error code\(s\): "([^"]*)"')
_REASON = re.compile(r'reason (?:code )?"?(\d+)"?', re.I)
_REASON_TEXT = re.compile(r'Reason code: "?(\d+)"?|reason "(\d+)"|reason code "(\d+)"', re.I)

# GSKit return codes seen in SQL30081N over SSL. 414 and 420 observed with the bundled driver, the rest [doc].
GSKIT_CODES = {
    '402': 'no shared cipher or protocol with the server (GSK_ERROR_NO_CIPHERS)',
    '406': 'an I/O error during the TLS handshake (GSK_ERROR_IO): the server may not speak TLS on this port',
    '408': 'the certificate is not valid yet or has expired (GSK_ERROR_BAD_CERTIFICATE)',
    '410': 'the server answered something that is not TLS (GSK_ERROR_BAD_MESSAGE): is this the SSL port?',
    '414': 'the server certificate is not the one in ssl_server_certificate, or is not signed by it '
           '(GSK_ERROR_BAD_CERT)',
    '415': 'the server rejected the handshake (GSK_ERROR_BAD_PEER)',
    '420': 'the server closed the connection (GSK_ERROR_SOCKET_CLOSED)',
}
# errno values in SQL30081N over TCP/IP [doc: Linux errno].
TCP_ERRNO = {
    '104': 'the connection was reset by the server (is this the SSL port? a non-SSL listener resets TLS)',
    '110': 'the connection timed out',
    '111': 'the connection was refused (nothing listens on that port)',
    '113': 'there is no route to the host',
    '115': 'no connection within connect_timeout (the port is closed, or a firewall or VPN drops the packets)',
}
# SQL30082N reason codes [doc].
SECURITY_REASONS = {
    '1': 'the password has expired',
    '2': 'the password is not valid',
    '3': 'no password was given',
    '5': 'no user was given',
    '6': 'the user is not valid',
    '7': 'the user has been revoked',
    '19': 'the user is disabled or restricted',
    '24': 'the user name or password is not valid',
}
_PASSWORD_HELP = ('database passwords expire (90 days for people, 365 for service accounts); reset it, or request '
                  'a new account, with the Access Management Tool of the Self Service Portal')


def _first_sentence(message):
    text = re.sub(r'^(ibm_db_dbi::\w+:\s*)?\[IBM\]\[CLI Driver\](\[DB2[^\]]*\])?\s*', '', message.strip())
    text = re.sub(r'\s+', ' ', text)
    return text[:400]


def map_driver_error(message, target='the database', secrets=()):
    """A Db2Error for a driver message (str or exception); the text says what happened and what to do."""
    raw = redact_text(str(message), secrets)
    sqlstate = _first(_SQLSTATE, raw)
    sqlcode = _first(_SQLCODE, raw)
    sqlcode = int(sqlcode) if sqlcode is not None else None
    message_id = _first(_MESSAGE_ID, raw)
    short = _first_sentence(raw)
    category, text = _explain(raw, message_id, sqlstate, target)
    if text is None:
        text = 'DB2 error on %s: %s' % (target, short)
    elif message_id and message_id not in text:
        text = '%s (%s, SQLSTATE %s)' % (text, message_id, sqlstate or '?')
    return Db2Error(text, sqlstate=sqlstate, sqlcode=sqlcode, message_id=message_id, category=category,
                    driver_message=short)


def _first(pattern, text):
    match = pattern.search(text)
    return match.group(1) if match else None


def _explain(raw, message_id, sqlstate, target):
    mid = (message_id or '').rstrip('NWECI')
    if mid == 'SQL30081':
        protocol = (_first(_COMM_PROTOCOL, raw) or '').upper()
        function = _first(_COMM_FUNCTION, raw) or ''
        codes = (_first(_COMM_CODES, raw) or '').split(',')
        code = codes[0].strip().strip('"') if codes else ''
        if protocol == 'SSL':
            if code in GSKIT_CODES:
                what = GSKIT_CODES[code]
                if code == '420' and 'Read' in function:
                    return 'unreachable', ('%s: the TLS handshake succeeded but %s before answering as DB2; check '
                                           'that the port is the DB2 SSL port' % (target, what))
                return 'certificate', ('SSL connection to %s failed: %s. Check ssl_server_certificate (the database '
                                       'certificate IBM provided) and the host name' % (target, what))
            return 'certificate', ('SSL connection to %s failed in %s (GSKit code %s); check ssl_server_certificate '
                                   'and that the port is the DB2 SSL port' % (target, function or 'TLS', code or '?'))
        reason = TCP_ERRNO.get(code, 'a network error (errno %s in %s)' % (code or '?', function or '?'))
        return 'unreachable', ('%s is unreachable: %s. Check hostname and port (from the replica order or the Welcome '
                               'Letter), the VPN and any firewall allow-list' % (target, reason))
    if mid == 'SQL1336':
        return 'unreachable', '%s is unreachable: its host name was not found in DNS; check hostname' % target
    if mid == 'SQL20576':
        reason = _first(_REASON, raw)
        if reason == '1':
            return 'certificate', ('SSL connection to %s failed: the server certificate does not name the host '
                                   'name used; connect with the host name in the certificate' % target)
        return 'certificate', 'SSL connection to %s could not be established (reason %s)' % (target, reason or '?')
    if mid == 'SQL30082':
        match = _REASON_TEXT.search(raw)
        reason = next((g for g in match.groups() if g), None) if match else None
        if reason is None:
            reason = _first(re.compile(r'SQL30082N\s+Security processing failed with reason "?(\d+)"?'), raw)
        what = SECURITY_REASONS.get(reason, 'security processing failed (reason %s)' % (reason or '?'))
        if reason == '1':
            return 'password_expired', 'Login to %s refused: %s; %s' % (target, what, _PASSWORD_HELP)
        return 'credentials', ('Login to %s refused: %s. Check username and password; %s'
                               % (target, what, _PASSWORD_HELP))
    if mid == 'SQL1092' or mid == 'SQL0551' or sqlstate == '42501':
        return 'privilege', ('%s refused the statement: the user lacks the privilege. Production replica users are '
                             'read-only' % target)
    if mid == 'SQL30061' or sqlstate == '08004':
        return 'database', '%s: the database name was not found on the server; check database' % target
    if mid == 'CLI0157' or sqlstate == 'HY507':
        return 'certificate', 'the driver could not open a file it was given (ssl_server_certificate?)'
    if mid == 'SQL0204' or sqlstate == '42704':
        return 'statement', 'DB2 error on %s: %s' % (target, _first_sentence(raw))
    if sqlstate and sqlstate.startswith('08'):
        return 'unreachable', 'could not connect to %s: %s' % (target, _first_sentence(raw))
    if sqlstate and sqlstate[:2] in ('42', '22', '23', '21', '24', '25', '2D'):
        return 'statement', 'DB2 rejected a statement on %s: %s' % (target, _first_sentence(raw))
    return 'error', None


def connect(conn_string, target='the database', secrets=()):
    """A DB-API 2.0 connection from ibm_db_dbi (autocommit off); driver errors become Db2Error."""
    driver, error = import_driver()
    if driver is None:
        raise Db2ConfigError('the ibm_db Python package is needed to connect to DB2: %s' % error.strip().splitlines()[-1])
    try:
        return driver.connect(conn_string, '', '')
    except Exception as exc:  # pylint: disable=broad-except
        raise map_driver_error(exc, target=target, secrets=secrets)


# The options a connection is made of, as DB2_SPEC names them (a test_database option holds the same keys).
CONNECTION_OPTIONS = ('database', 'hostname', 'port', 'username', 'password', 'ssl_server_certificate',
                      'connect_timeout', 'connection_options')


class Connector:
    """The DB2 connect sequence of db2_query and sql_script_request, written once.

    Made from the connection ``options`` (CONNECTION_OPTIONS), it checks them and the server certificate before
    anything is sent (Db2ConfigError: '<prefix><problem> (nothing was sent)'); ``run`` then opens one connection,
    runs the statements in one transaction (``dbapi.run``) with driver errors mapped to Db2Error for ``target``
    (``secrets`` removed from their text), and closes it.
    """

    def __init__(self, options, target, secrets=(), prefix=''):
        try:
            self.conn_string = connection_string(
                options.get('database'), options.get('hostname'), options.get('port'), options.get('username'),
                options.get('password'), options.get('ssl_server_certificate'), options.get('connect_timeout'),
                options.get('connection_options'))
            check_certificate(options.get('ssl_server_certificate'))
        except Db2ConfigError as exc:
            raise Db2ConfigError('%s%s (nothing was sent)' % (prefix, exc))
        self.target = target
        self.secrets = tuple(secrets)

    def map_error(self, exc):
        return map_driver_error(exc, self.target, self.secrets)

    def run(self, statements, **kwargs):
        """``dbapi.run(connection, statements, **kwargs)`` on a new connection, closed afterwards."""
        connection = connect(self.conn_string, target=self.target, secrets=self.secrets)
        try:
            return dbapi.run(connection, statements, error_mapper=self.map_error, **kwargs)
        finally:
            connection.close()


def find_db2cli(explicit=None):
    """The db2cli binary: ``explicit``, else the one in the ibm_db wheel's clidriver (or $IBM_DB_HOME). None if none."""
    if explicit:
        return explicit if os.path.isfile(explicit) else None
    candidates = []
    if os.environ.get('IBM_DB_HOME'):
        candidates.append(os.environ['IBM_DB_HOME'])
    try:
        import importlib.util
        spec = importlib.util.find_spec('ibm_db')
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        candidates.append(os.path.join(os.path.dirname(spec.origin), 'clidriver'))
    for home in candidates:
        binary = os.path.join(home, 'bin', 'db2cli')
        if os.path.isfile(binary):
            return binary
    return None


def db2cli_environment(binary, dsdriver_cfg=None, cli_ini_dir=None):
    """Environment variables for running ``binary`` (its libraries, and the configuration files to read)."""
    home = os.path.dirname(os.path.dirname(os.path.abspath(binary)))
    lib = os.path.join(home, 'lib')
    env = {'LD_LIBRARY_PATH': lib + ((':' + os.environ['LD_LIBRARY_PATH']) if os.environ.get('LD_LIBRARY_PATH') else ''),
           'DB2_CLI_DRIVER_INSTALL_PATH': home}
    if dsdriver_cfg:
        env['DB2DSDRIVER_CFG_PATH'] = dsdriver_cfg
    if cli_ini_dir:
        env['DB2CLIINIPATH'] = cli_ini_dir
    return env
