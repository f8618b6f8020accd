# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad inputs the hardening issue found, each refused by a clear fail_json before any request or write."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.modules import (
    cos_object, db2_client_config, manage_object_info, mas_group, mas_user_info, rclone_remote, sql_script_request)

MANAGE = dict(manage_url='https://manage.example', api_key='unit-test-key-1234', production=False)
USERS = dict(mas_api_url='https://api.example', mas_api_key_id='admin-id', mas_api_key='unit-test-mas-key', production=False)


@pytest.mark.parametrize('page_size', [-1, 0, 10 ** 9])
def test_manage_object_info_page_size_out_of_range_sends_nothing(run_module, no_network, page_size):
    outcome = run_module(manage_object_info, dict(MANAGE, object_structure='mxapicrontaskdef', page_size=page_size))
    assert outcome.failed and 'page_size must be between 1 and 10000' in outcome.result['msg']


@pytest.mark.parametrize('option,value', [('page_size', -1), ('poll_interval', -1), ('timeout', 0), ('timeout', 1e300),
                                          ('retries', -1), ('retry_max_wait', -1), ('concurrency', 10 ** 6)])
def test_mas_user_info_numbers_out_of_range(run_module, no_network, option, value):
    outcome = run_module(mas_user_info, dict(USERS, **{option: value}))
    assert outcome.failed and outcome.result['msg'].startswith(option + ' must be between')


def test_cos_object_huge_concurrency_is_refused(run_module, tmp_path):
    src = tmp_path / 'a.txt'
    src.write_text('x')
    outcome = run_module(cos_object, dict(bucket='acme-dev-custfile', endpoint_url='https://s3.example', mode='put',
                                          object='a.txt', src=str(src), access_key_id='unit-access-key',
                                          secret_access_key='unit-secret-key', concurrency=10 ** 9))
    assert outcome.failed and 'concurrency must be between 1 and 64' in outcome.result['msg']


def test_cos_object_file_endpoint_is_refused(run_module, tmp_path):
    outcome = run_module(cos_object, dict(bucket='acme-dev-custfile', endpoint_url='file:///etc', mode='delete',
                                          object='a.txt', access_key_id='unit-access-key',
                                          secret_access_key='unit-secret-key'))
    assert outcome.failed and "endpoint_url 'file:///etc' must be an http:// or https:// URL" in outcome.result['msg']


def test_non_latin1_api_key_is_refused_up_front(run_module, no_network):
    outcome = run_module(manage_object_info, dict(MANAGE, object_structure='mxapicrontaskdef',
                                                  api_key=u'cl\u00e9-\u043a\u043b\u044e\u0447'))
    assert outcome.failed and outcome.result['msg'].startswith('api_key holds characters that cannot be sent')


def test_nul_byte_in_a_path(run_module, tmp_path):
    outcome = run_module(rclone_remote, dict(name='sbx', path=str(tmp_path / 'rclone\x00.conf'), bucket='acme-dev-custfile',
                                             region='us-east', access_key_id='unit-access-key',
                                             secret_access_key='unit-secret-key'))
    assert outcome.failed and outcome.result['msg'].startswith('path contains a NUL byte')


@pytest.mark.parametrize('option', ['dsdriver_cfg', 'odbc_ini'])
def test_db2_config_file_that_is_a_directory_or_under_a_file(run_module, tmp_path, option):
    (tmp_path / 'afile').write_text('x')
    for path, words in ((tmp_path, 'is a directory'), (tmp_path / 'afile' / 'x.cfg', 'is not a directory')):
        args = dict(dsn='MAXRO', database='BLUDB', hostname='db.example', port=50001, check_certificate=False,
                    ssl_server_certificate=str(tmp_path / 'db.arm'), **{option: str(path)})
        outcome = run_module(db2_client_config, args)
        assert outcome.failed and outcome.result['msg'].startswith(option) and words in outcome.result['msg']
    assert sorted(p.name for p in tmp_path.iterdir()) == ['afile']


def test_rclone_conf_that_is_a_directory(run_module, tmp_path):
    outcome = run_module(rclone_remote, dict(name='sbx', path=str(tmp_path), bucket='acme-dev-custfile', region='us-east',
                                             access_key_id='unit-access-key', secret_access_key='unit-secret-key'))
    assert outcome.failed and outcome.result['msg'].startswith("path '%s' is a directory" % tmp_path)


def test_test_database_as_a_list_names_the_option(run_module, tmp_path):
    outcome = run_module(sql_script_request, dict(
        instance='acme', environment='prod', production=True, dest=str(tmp_path / 'pkg'), script_name='a.sql',
        script_content="UPDATE workorder SET status = 'CLOSE' WHERE wonum = '1';", description='d',
        business_justification='b', technical_justification='t', offline_backup=True, tested_environment='test',
        test_database=['a', 'b']))
    # ansible-core 2.17 refuses the list itself, before the collection's check can name the option.
    assert outcome.failed and outcome.result['msg'] in ('test_database must be a mapping, not list',
                                                        'dictionary requested, could not parse JSON or key=value')
    assert 'exception' not in outcome.result
    assert not (tmp_path / 'pkg').exists()


@pytest.mark.parametrize('name', ['../../x', 'a/b', '..'])
def test_group_and_member_names_that_change_a_url_path(run_module, no_network, name):
    for groups in ([{'name': name, 'members': []}], [{'name': 'planners', 'members': [name]}]):
        outcome = run_module(mas_group, dict(MANAGE, groups=groups))
        assert outcome.failed and 'nothing was sent' in outcome.result['msg'] and 'URL' in outcome.result['msg']


@pytest.mark.parametrize('name', ['../../x', 'a/b', '..'])
def test_user_names_that_change_a_url_path(run_module, no_network, name):
    outcome = run_module(mas_user_info, dict(USERS, users=[name]))
    assert outcome.failed and outcome.result['msg'].startswith('users[0] must not')


def test_rclone_config_from_the_environment_that_is_a_directory(run_module, tmp_path, monkeypatch):
    monkeypatch.setenv('RCLONE_CONFIG', str(tmp_path))
    outcome = run_module(rclone_remote, dict(name='sbx', bucket='acme-dev-custfile', region='us-east',
                                             access_key_id='unit-access-key', secret_access_key='unit-secret-key'))
    assert outcome.failed and 'is a directory' in outcome.result['msg'] and 'default rclone config' in outcome.result['msg']
