# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""db2dsdriver.cfg and odbc.ini editing; db2cli validate output parsing (real output captured from the bundled db2cli)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2 import db2_cli_config as cfg

EXISTING = """<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <!-- the team's other data sources -->
  <dsncollection>
    <dsn alias="OTHER" name="OTHDB" host="o.example.com" port="50000"/>
  </dsncollection>
  <databases>
    <database name="OTHDB" host="o.example.com" port="50000">
      <parameter name="CurrentSchema" value="APP"/>
    </database>
  </databases>
</configuration>
"""


def want(**overrides):
    args = dict(alias='MAXRO', database='BLUDB', hostname='db.example.com', port=50001, certificate='/etc/db.arm')
    args.update(overrides)
    return cfg.desired(args['alias'], args['database'], args['hostname'], args['port'], args['certificate'],
                       args.get('parameters'))


def test_new_file_gets_dsn_and_database_entries():
    text = cfg.upsert_dsdriver('', want())
    root = ET.fromstring(text.split('\n', 1)[1])
    dsn = root.find('dsncollection/dsn')
    assert dsn.attrib == {'alias': 'MAXRO', 'name': 'BLUDB', 'host': 'db.example.com', 'port': '50001'}
    assert list(dsn) == []
    params = [(p.get('name'), p.get('value')) for p in root.find('databases/database')]
    assert params == [('SecurityTransportMode', 'SSL'), ('SSLServerCertificate', '/etc/db.arm')]
    assert text.startswith('<?xml')


def test_other_entries_and_comments_are_kept_and_reapplying_is_a_no_op():
    text = cfg.upsert_dsdriver(EXISTING, want())
    assert '<!-- the team\'s other data sources -->' in text
    root = ET.fromstring(text.split('\n', 1)[1])
    assert [d.get('alias') for d in root.find('dsncollection')] == ['OTHER', 'MAXRO']
    other = [d for d in root.find('databases') if d.get('name') == 'OTHDB'][0]
    assert [(p.get('name'), p.get('value')) for p in other] == [('CurrentSchema', 'APP')]
    assert cfg.upsert_dsdriver(text, want()) == text
    assert cfg.dsdriver_state(text, 'maxro')['parameters'][1] == ('SSLServerCertificate', '/etc/db.arm')


def test_changes_are_applied_in_place():
    text = cfg.upsert_dsdriver(EXISTING, want())
    moved = cfg.upsert_dsdriver(text, want(certificate='/etc/new.arm'))
    assert cfg.dsdriver_state(moved, 'MAXRO')['parameters'] == [('SecurityTransportMode', 'SSL'),
                                                                ('SSLServerCertificate', '/etc/new.arm')]
    assert moved.count('<dsn ') == 2


def test_ssl_parameters_on_the_dsn_are_moved_off_it():
    text = EXISTING.replace('port="50000"/>', 'port="50000"/>\n    <dsn alias="MAXRO" name="BLUDB" host="db.example.com" '
                            'port="50001"><parameter name="SecurityTransportMode" value="SSL"/></dsn>', 1)
    state = cfg.dsdriver_state(text, 'MAXRO')
    assert state['parameters'] == [('SecurityTransportMode', 'SSL')]
    fixed = cfg.upsert_dsdriver(text, want())
    root = ET.fromstring(fixed.split('\n', 1)[1])
    assert list([d for d in root.find('dsncollection') if d.get('alias') == 'MAXRO'][0]) == []


def test_remove_keeps_the_rest():
    text = cfg.upsert_dsdriver(EXISTING, want())
    removed = cfg.remove_dsdriver(text, 'MAXRO')
    assert cfg.dsdriver_state(removed, 'MAXRO') is None and cfg.dsdriver_state(removed, 'OTHER') is not None
    assert cfg.remove_dsdriver(removed, 'MAXRO') == removed
    assert cfg.remove_dsdriver('', 'MAXRO') == ''


@pytest.mark.parametrize('text,words', [('<configuration><dsn', 'not well-formed'), ('<other/>', 'root element')])
def test_unparseable_files_are_reported(text, words):
    with pytest.raises(cfg.CliConfigError, match=words):
        cfg.upsert_dsdriver(text, want())


@pytest.mark.parametrize('parameters', [{'SecurityTransportMode': 'NONE'}, {'Security': 'SSL'}, {'PWD': 'x'},
                                        {'sslConnection': 'true'}, {'SSLClientHostnameValidation': 'OFF'},
                                        {'Hostname': 'x'}, {'CurrentSchema': 'A\nB'}])
def test_refused_parameters(parameters):
    with pytest.raises(cfg.CliConfigError):
        want(parameters=parameters)


@pytest.mark.parametrize('alias', ['', '1ABC', 'MY DSN', 'A' * 33, 'x;y'])
def test_bad_alias(alias):
    with pytest.raises(cfg.CliConfigError):
        cfg.check_alias(alias)


def test_missing_fields():
    with pytest.raises(cfg.CliConfigError, match='hostname'):
        want(hostname=None)


def test_odbc_section_is_the_documented_keywords_and_keeps_other_bytes():
    other = '; my notes\n[OTHER]\nDatabase=X\n\n'
    options = cfg.odbc_options(want(parameters={'CurrentSchema': 'MAXIMO'}), driver='DB2')
    assert options == [('Driver', 'DB2'), ('Database', 'BLUDB'), ('Hostname', 'db.example.com'), ('Port', '50001'),
                       ('Protocol', 'TCPIP'), ('Security', 'SSL'), ('SSLServerCertificate', '/etc/db.arm'),
                       ('CurrentSchema', 'MAXIMO')]
    text = cfg.upsert_odbc(other, 'MAXRO', options)
    assert text.startswith(other)
    assert cfg.odbc_state(text, 'MAXRO') == options
    assert cfg.upsert_odbc(text, 'MAXRO', options) == text
    removed = cfg.remove_odbc(text, 'MAXRO')
    assert removed.startswith('; my notes\n[OTHER]\nDatabase=X\n') and '[MAXRO]' not in removed


VALID = """
===============================================================================
db2dsdriver.cfg schema validation for the entire file:
===============================================================================

Success: The system db2dsdriver.cfg schema validation completed successfully without any errors.

===============================================================================
db2cli.ini validation for data source name "MAXRO":
===============================================================================

Note: The validation utility could not find the configuration file db2cli.ini.
The file is searched at "/tmp/x/db2cli.ini".

===============================================================================
db2dsdriver.cfg validation for data source name "MAXRO":
===============================================================================

[ Parameters used for the connection ]

Keywords                  Valid For     Value
---------------------------------------------------------------------------
DATABASE                  CLI,.NET,ESQL BLUDB
SECURITYTRANSPORTMODE     CLI,.NET,ESQL SSL
"""

BROKEN = """
Following schema errors are found in db2dsdriver.cfg file:

  Error at : line 1, column 104
  Message : Unknown element 'junk'

Failure: The System db2dsdriver.cfg schema validation completed unsuccessfully.

[WARNING] Database entry for dsn is missing in IBM Data Server Configuration
file.
SECURITYTRANSPORTMODE     CLI,.NET,ESQL **DUPLICATE**
Bogus                     **UNKNOWN**
Note: The requested data source name or a database name cannot be found in
db2dsdriver.cfg file. The file is searched at "/tmp/x.cfg".
"""


def test_validation_output_parsing():
    assert cfg.validation_problems(VALID) == []
    problems = cfg.validation_problems(BROKEN)
    assert len(problems) == 6
    assert any("Unknown element 'junk'" in p for p in problems)
    assert any('Database entry for dsn is missing in IBM Data Server Configuration file.' in p for p in problems)
    assert any('**UNKNOWN**' in p for p in problems) and any('**DUPLICATE**' in p for p in problems)
    assert len(cfg.validation_problems(BROKEN, expect_dsdriver=False)) == 5
