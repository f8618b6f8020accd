# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.cos.rclone_config import (
    ibm_cos_remote, masked, read_section, remove_section, sections, upsert_section)

CONFIG = """# my remotes
[alpha]
type = local
; keep me

[beta]
type = s3
provider = IBMCOS
secret_access_key = old

# trailing comment
"""
NEW = ibm_cos_remote('AK', 'SK', 's3.us-east.cloud-object-storage.appdomain.cloud', 'us-east-standard')


def test_read_and_list():
    assert sections(CONFIG) == ['alpha', 'beta']
    assert read_section(CONFIG, 'beta') == [('type', 's3'), ('provider', 'IBMCOS'), ('secret_access_key', 'old')]
    assert read_section(CONFIG, 'gamma') is None


def test_replacing_a_section_keeps_everything_else_byte_for_byte():
    out = upsert_section(CONFIG, 'beta', NEW)
    before, dummy, after = CONFIG.partition('[beta]')
    assert out.startswith(before + '[beta]\ntype = s3\nprovider = IBMCOS\nenv_auth = false\n')
    assert out.endswith('acl = private\n\n# trailing comment\n')
    assert read_section(out, 'beta') == NEW
    assert read_section(out, 'alpha') == [('type', 'local')]


def test_adding_appends_with_one_blank_line():
    out = upsert_section(CONFIG, 'gamma', [('type', 'local')])
    assert out == CONFIG + '\n[gamma]\ntype = local\n'
    assert upsert_section('', 'g', [('type', 'local')]) == '[g]\ntype = local\n'
    assert upsert_section('[a]\ntype = local', 'g', [('type', 'local')]) == '[a]\ntype = local\n\n[g]\ntype = local\n'


def test_add_then_remove_restores_the_original():
    assert remove_section(upsert_section(CONFIG, 'gamma', NEW), 'gamma') == CONFIG
    assert remove_section(CONFIG, 'nothing') == CONFIG


def test_removing_a_middle_section():
    # The comment after alpha's last key belongs to what follows, so it stays.
    out = remove_section(CONFIG, 'alpha')
    assert out == CONFIG.replace('[alpha]\ntype = local\n', '')
    assert sections(out) == ['beta']


def test_secrets_are_masked():
    shown = dict(masked(NEW))
    assert shown['secret_access_key'] == '********' and shown['access_key_id'] == '********'
    assert shown['endpoint'] == 's3.us-east.cloud-object-storage.appdomain.cloud'
