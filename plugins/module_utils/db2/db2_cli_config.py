# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the DB2 CLI/ODBC configuration of one data source, in db2dsdriver.cfg (XML) and odbc.ini (INI).

db2dsdriver.cfg [doc]: ``<dsncollection><dsn alias name host port/>`` names the data source; the SSL
parameters (``SecurityTransportMode=SSL``, ``SSLServerCertificate``) go on the matching
``<databases><database name host port>`` entry. Putting them on both makes ``db2cli validate`` report them as
DUPLICATE, and a dsn without a database entry draws a warning, so this layout is the one it validates cleanly.
Other data sources, databases and comments are kept.

odbc.ini / db2cli.ini [doc]: a ``[DSN]`` section with Database, Hostname, Port, Protocol, Security=SSL and
SSLServerCertificate. Only that section is edited (``rclone_config`` does the byte-preserving INI work).
No password is ever written to either file.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
import xml.etree.ElementTree as ET

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.paths import shown
from ansible_collections.mas.dedicated.plugins.module_utils.cos import rclone_config

_ALIAS = re.compile(r'^[A-Za-z@#$][A-Za-z0-9@#$_]{0,31}$')
_REFUSED = {
    'SECURITYTRANSPORTMODE': 'it is always SSL',
    'SECURITY': 'it is always SSL',
    'SSLSERVERCERTIFICATE': 'use ssl_server_certificate',
    'SSLCONNECTION': 'it is ignored by the CLI driver',
    'SSLCLIENTKEYSTOREDB': 'the server certificate is the trust store',
    'SSLCLIENTKEYSTASH': 'the server certificate is the trust store',
    'PWD': 'passwords are never written to configuration files',
    'PASSWORD': 'passwords are never written to configuration files',
    'DATABASE': 'use database', 'HOSTNAME': 'use hostname', 'PORT': 'use port', 'PROTOCOL': 'it is always TCPIP',
}


# CLI/ODBC keywords are letters and digits (Hostname, SSLServerCertificate, ConnectTimeout ...).
_KEYWORD = re.compile(r'^[A-Za-z][A-Za-z0-9_]{0,63}$')
# odbc.ini is read by unixODBC's ini library (unixODBC ini/iniOpen.c, _iniScanUntilObject.c, _iniPropertyRead.c,
# include/ini.h; comment characters '#;', brackets '[' ']', '='): a line is read with fgets(INI_MAX_LINE = 1000),
# so at most 999 bytes at a time, and the rest of a longer line is read as a line of its own: it may start a
# '[section]' or set any property, Driver (the library the driver manager loads) included. A line whose first
# non-blank character is '[' starts a section, '#' or ';' a comment; any other is a property split at the first
# '=', name and value trimmed (isspace); a NUL ends the C string. db2cli.ini (IBM's CLI driver, the same file for
# db2cli validate) takes the same 'keyword=value' lines. So a value written here holds no control character and no
# line separator (rclone_config.unsafe_text), no white space at either end, and its whole 'Keyword = value' line,
# newline included, stays under INI_MAX_LINE (tried with unixODBC 2.3.11's odbcinst: a 1,006-byte line became two,
# the second a section); a keyword is letters, digits and '_'. '=' or '[' inside a value are harmless.
INI_MAX_LINE = 1000


class CliConfigError(RefusedError):
    """The requested configuration is invalid or unsafe, or the existing file cannot be parsed."""


def check_value(option, value):
    """Raise CliConfigError naming ``option`` (not the value) when it cannot be written as one INI value."""
    reason = rclone_config.unsafe_text(str(value))
    if reason:
        raise CliConfigError('%s cannot be written to the DB2 CLI configuration: %s (value not shown)' % (option, reason))
    return str(value)


def check_keyword(name):
    if not isinstance(name, str) or not _KEYWORD.match(name):
        raise CliConfigError("parameter name '%s' is not a CLI keyword (letters, digits and '_', starting with a letter, "
                             "at most 64 characters)" % shown(str(name), 80))
    return name


def check_ini_lines(options):
    """The odbc.ini options, refused when a 'Keyword = value' line would be longer than unixODBC reads at once."""
    for key, value in options:
        check_keyword(key)
        check_value(key, value)
        if len(('%s = %s\n' % (key, value)).encode('utf-8')) >= INI_MAX_LINE:
            raise CliConfigError('%s is too long for odbc.ini: unixODBC reads at most %d bytes of a line and would read '
                                 'the rest as a line of its own' % (key, INI_MAX_LINE - 1))
    return options


def check_alias(alias):
    if not alias or not _ALIAS.match(alias):
        raise CliConfigError("dsn '%s' is not a valid data source name: a letter (or @ # $) then letters, digits, "
                             "@ # $ or _, at most 32 characters" % alias)
    return alias


def check_parameters(parameters):
    """Extra CLI keywords as sorted (name, value) pairs; SSL-weakening and credential keywords are refused."""
    pairs = []
    for name, value in sorted((parameters or {}).items(), key=lambda item: str(item[0])):
        check_keyword(name)
        upper = str(name).upper()
        if upper in _REFUSED:
            raise CliConfigError("parameter '%s' is refused: %s" % (name, _REFUSED[upper]))
        text = ('true' if value else 'false') if isinstance(value, bool) else str(value)
        check_value("parameter '%s'" % name, text)
        if upper == 'SSLCLIENTHOSTNAMEVALIDATION' and text.upper() != 'BASIC':
            raise CliConfigError("parameter '%s=%s' is refused: host name validation stays on (BASIC)" % (name, text))
        pairs.append((str(name), text))
    return pairs


def desired(alias, database, hostname, port, certificate, parameters=None):
    """What the data source should look like, as plain data (also the diff's 'after')."""
    for name, value in (('database', database), ('hostname', hostname), ('port', port),
                        ('ssl_server_certificate', certificate)):
        if value in (None, ''):
            raise CliConfigError('%s is required for state=present' % name)
        check_value(name, value)
    return {'alias': check_alias(alias), 'name': str(database), 'host': str(hostname), 'port': str(int(port)),
            'parameters': [('SecurityTransportMode', 'SSL'), ('SSLServerCertificate', str(certificate))]
            + check_parameters(parameters)}


# ---- db2dsdriver.cfg --------------------------------------------------------------------------------------------

def _parse(text):
    if not text.strip():
        return ET.Element('configuration'), False
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        root = ET.fromstring(text, parser=parser)
    except ET.ParseError as exc:
        raise CliConfigError('db2dsdriver.cfg is not well-formed XML (%s); fix or move it aside' % exc)
    if root.tag != 'configuration':
        raise CliConfigError("db2dsdriver.cfg has the root element <%s>, not <configuration>" % root.tag)
    return root, text.lstrip().startswith('<?xml')


def _child(parent, tag, create=False):
    found = parent.find(tag)
    if found is None and create:
        found = ET.SubElement(parent, tag)
    return found


def _find_dsn(root, alias):
    collection = root.find('dsncollection')
    if collection is None:
        return None, None
    for dsn in collection.findall('dsn'):
        if (dsn.get('alias') or '').upper() == alias.upper():
            return collection, dsn
    return collection, None


def _find_database(root, name, host, port):
    databases = root.find('databases')
    if databases is None:
        return None, None
    for database in databases.findall('database'):
        if ((database.get('name') or '').upper() == name.upper() and (database.get('host') or '').lower() == host.lower()
                and (database.get('port') or '') == port):
            return databases, database
    return databases, None


def _parameters(element):
    return [(p.get('name'), p.get('value')) for p in element.findall('parameter')] if element is not None else []


def dsdriver_state(text, alias):
    """The data source ``alias`` as in desired(), or None: its dsn entry plus its database entry's parameters."""
    root, dummy = _parse(text)
    dummy, dsn = _find_dsn(root, alias)
    if dsn is None:
        return None
    state = {'alias': dsn.get('alias'), 'name': dsn.get('name'), 'host': dsn.get('host'), 'port': dsn.get('port')}
    dummy, database = _find_database(root, state['name'] or '', state['host'] or '', state['port'] or '')
    own = _parameters(dsn)
    state['parameters'] = _parameters(database) + own
    return state


def _same(state, want):
    """Whether the data source is already as wanted: same dsn attributes, each wanted parameter once with its value."""
    if state is None or any(state.get(k) != want[k] for k in ('alias', 'name', 'host', 'port')):
        return False
    for name, value in want['parameters']:
        found = [v for n, v in state['parameters'] if (n or '').upper() == name.upper()]
        if found != [value]:
            return False
    return True


def _set_parameters(element, pairs):
    existing = dict(((p.get('name') or '').upper(), p) for p in element.findall('parameter'))
    for name, value in pairs:
        node = existing.get(name.upper())
        if node is None:
            node = ET.SubElement(element, 'parameter')
        node.set('name', name)
        node.set('value', value)


def _serialize(root, declaration):
    ET.indent(root, space='  ')
    body = ET.tostring(root, encoding='unicode')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else '') + body + '\n'


def upsert_dsdriver(text, want):
    """The db2dsdriver.cfg text with the data source ``want`` (from desired()); the same text when it is there."""
    if _same(dsdriver_state(text, want['alias']), want):
        return text
    root, declaration = _parse(text)
    collection, dsn = _find_dsn(root, want['alias'])
    if collection is None:
        collection = ET.Element('dsncollection')
        root.insert(0, collection)
    if dsn is None:
        dsn = ET.SubElement(collection, 'dsn')
    for key in ('alias', 'name', 'host', 'port'):
        dsn.set(key, want[key])
    # The SSL parameters belong on the database entry; on the dsn too they are DUPLICATE to db2cli validate.
    for node in list(dsn.findall('parameter')):
        if (node.get('name') or '').upper() in [n.upper() for n, dummy in want['parameters']]:
            dsn.remove(node)
    databases, database = _find_database(root, want['name'], want['host'], want['port'])
    if databases is None:
        databases = _child(root, 'databases', create=True)
    if database is None:
        database = ET.SubElement(databases, 'database', {'name': want['name'], 'host': want['host'], 'port': want['port']})
    _set_parameters(database, want['parameters'])
    return _serialize(root, declaration or not text.strip())


def remove_dsdriver(text, alias):
    """The text without the dsn ``alias`` (its database entry stays: other data sources may use it)."""
    if not text.strip():
        return text
    root, declaration = _parse(text)
    collection, dsn = _find_dsn(root, alias)
    if dsn is None:
        return text
    collection.remove(dsn)
    return _serialize(root, declaration)


def render(state):
    """A short text of a data source for --diff."""
    if state is None:
        return ''
    lines = ['dsn %s: database %s at %s:%s' % (state['alias'], state['name'], state['host'], state['port'])]
    lines.extend('  %s = %s' % pair for pair in state['parameters'])
    return '\n'.join(lines) + '\n'


# ---- odbc.ini ---------------------------------------------------------------------------------------------------

def odbc_options(want, driver=None):
    """The [DSN] section's (key, value) pairs for odbc.ini / db2cli.ini."""
    options = []
    if driver:
        options.append(('Driver', check_value('odbc_driver', driver)))
    options.extend([('Database', want['name']), ('Hostname', want['host']), ('Port', want['port']),
                    ('Protocol', 'TCPIP'), ('Security', 'SSL')])
    for name, value in want['parameters']:
        if name == 'SecurityTransportMode':
            continue
        options.append((name, value))
    return check_ini_lines(options)


def upsert_odbc(text, alias, options):
    if rclone_config.read_section(text, alias) == options:
        return text
    return rclone_config.upsert_section(text, alias, options)


def remove_odbc(text, alias):
    return rclone_config.remove_section(text, alias)


def odbc_state(text, alias):
    return rclone_config.read_section(text, alias)


def render_odbc(alias, options):
    return rclone_config.render_section(alias, options) if options is not None else ''


# ---- db2cli validate ---------------------------------------------------------------------------------------------

_PROBLEM = re.compile(r'\*\*(UNKNOWN|DUPLICATE|INVALID)[^*]*\*\*|^\s*\[(ERROR|WARNING)\]|^Failure:|'
                      r'name cannot be found in|Message\s*:', re.M)


def validation_problems(output, expect_dsdriver=True):
    """The lines of ``db2cli validate`` output that report a problem (empty when the data source validated)."""
    problems = []
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if not _PROBLEM.search(line):
            continue
        if 'cannot be found in' in line and not expect_dsdriver:
            continue
        text = line.strip()
        # A note or warning continues on the next line.
        if index + 1 < len(lines) and lines[index + 1].strip() and not _PROBLEM.search(lines[index + 1]) \
                and not lines[index + 1].startswith('='):
            text += ' ' + lines[index + 1].strip()
        problems.append(text)
    return problems
