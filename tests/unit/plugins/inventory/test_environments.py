# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Welcome Letter inventory: hosts, groups and variables, and a clear error for every malformed file."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest
import yaml

from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.mas.dedicated.plugins.inventory.environments import WelcomeLetterError, build_hosts
from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, '..', '..', '..', '..', 'docs', 'examples', 'inventory', 'acme.mas.yml')


def base():
    return {
        'plugin': 'mas.dedicated.environments', 'instance': 'acme', 'cos': {'region': 'us-east'},
        'environments': {
            'dev': {'production': False,
                    'cos': {'buckets': {'custfile': {'name': 'acme-dev-custfile'},
                                        'logs': {'name': 'acme-dev-logs', 'read_only': True}}},
                    'db': {'host': 'db.dev.acme.example', 'port': 50001, 'database': 'BLUDB',
                           'certificate': 'certs/dev.arm'}},
            'prod': {'production': True, 'manage_url': 'https://prod.acme.example/',
                     'db': {'host': 'replica.acme.example', 'port': 50001, 'database': 'BLUDB',
                            'certificate': '/etc/mas/replica.arm', 'replica': True}},
        },
    }


def hosts_of(raw, path='/inv/acme.mas.yml', **kwargs):
    return dict((h['name'], h) for h in build_hosts(path, raw, **kwargs))


def test_one_host_per_environment_grouped_by_instance_and_kind():
    hosts = hosts_of(base())
    assert sorted(hosts) == ['acme-dev', 'acme-prod']
    assert hosts['acme-dev']['groups'] == ['acme', 'non_production']
    assert hosts['acme-prod']['groups'] == ['acme', 'production']


def test_variables_use_the_names_the_roles_read_and_the_modules_routes():
    dev = hosts_of(base())['acme-dev']['vars']
    env = Environment(instance='acme', name='dev', production=False)
    assert dev['mas_instance'] == 'acme' and dev['mas_environment'] == 'dev' and dev['mas_production'] is False
    assert dev['mas_tools_url'] == env.tools_url and dev['mas_manage_url'] == env.manage_url
    assert dev['mas_suite_url'] == env.suite_url
    assert dev['mas_logs_bucket'] == 'acme-dev-logs' and dev['mas_logs_bucket_read_only'] is True
    assert dev['mas_custfile_bucket'] == 'acme-dev-custfile' and dev['mas_custfile_bucket_read_only'] is False
    assert dev['mas_cos_region'] == 'us-east'
    assert dev['mas_cos_buckets'] == {'custfile': {'name': 'acme-dev-custfile', 'read_only': False},
                                      'logs': {'name': 'acme-dev-logs', 'read_only': True}}
    assert dev['mas_db_certificate'] == '/inv/certs/dev.arm' and dev['mas_db_replica'] is False
    assert dev['mas_db_port'] == 50001


def test_overrides_win_and_are_normalised():
    prod = hosts_of(base())['acme-prod']['vars']
    assert prod['mas_manage_url'] == 'https://prod.acme.example'
    assert prod['mas_db_replica'] is True and prod['mas_db_certificate'] == '/etc/mas/replica.arm'


def test_environment_without_flag_is_production():
    raw = base()
    del raw['environments']['dev']['production']
    dev = hosts_of(raw)['acme-dev']
    assert dev['vars']['mas_production'] is True and 'production' in dev['groups']


def test_an_empty_production_flag_is_production():
    # 'production:' with no value is YAML null: no declaration, so production (never False by default).
    raw = base()
    raw['environments']['dev']['production'] = None
    dev = hosts_of(raw)['acme-dev']
    assert dev['vars']['mas_production'] is True and 'production' in dev['groups']


def test_host_name_format():
    assert sorted(hosts_of(base(), host_name_format='{environment}')) == ['dev', 'prod']


def test_extra_vars_are_passed_but_cannot_shadow():
    raw = base()
    raw['environments']['dev']['vars'] = {'mas_validate_certs': False}
    assert hosts_of(raw)['acme-dev']['vars']['mas_validate_certs'] is False
    raw['environments']['dev']['vars'] = {'mas_production': True}
    with pytest.raises(WelcomeLetterError, match='environments.dev.vars.mas_production: is set from the Welcome'):
        hosts_of(raw)


def mutate(path, value):
    raw = base()
    node = raw
    keys = path.split('.')
    for key in keys[:-1]:
        node = node[key]
    if value is KeyError:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return raw


@pytest.mark.parametrize('path,value,message', [
    ('instance', KeyError, 'instance: is required'),
    ('instance', 'Acme Corp', "environments.dev: instance 'acme corp' is not a valid host name label"),
    ('environments', KeyError, 'environments: must map each environment name'),
    ('environments', ['dev', 'prod'], 'environments: must map each environment name'),
    ('environments.dev.production', 'no', "environments.dev.production: must be true or false, not 'no'"),
    ('environments.dev.prodution', False, 'environments.dev.prodution: unknown key; expected one of production'),
    ('environments.dev.manage_url', 'manage.acme', "manage_url 'manage.acme' must be an absolute http"),
    ('environments.dev.api_key', 'x', 'environments.dev.api_key: secrets stay out of the instance file'),
    ('environments.dev.cos.buckets.logs.secret_access_key', 'x', 'secrets stay out of the instance file'),
    ('environments.dev.db.password', 'x', 'environments.dev.db.password: secrets stay out'),
    ('environments.dev.cos.buckets.logs.read_only', 'yes', 'buckets.logs.read_only: must be true or false'),
    ('environments.dev.cos.buckets.logs.name', 'Acme_Logs', "'Acme_Logs' is not a COS bucket name"),
    ('environments.dev.cos.buckets.logs', {'read_only': True}, 'buckets.logs.name: is required'),
    ('environments.dev.cos.buckets.Logs-Bucket', 'acme-x', 'a bucket role is lower-case letters'),
    ('cos', {'region': 'US East'}, "'US East' is not a COS region"),
    ('cos', {}, 'environments.dev.cos: buckets need the COS region'),
    ('environments.dev.db.port', '50001x', "environments.dev.db.port: must be a port number"),
    ('environments.dev.db.host', KeyError, 'environments.dev.db.host: is required'),
    ('environments.dev.db.certificate', 'certs/db.jks', '.jks keystore is not accepted'),
    ('environments.dev.db', 'db.acme', 'environments.dev.db: must be a mapping, not str'),
    ('plugin', 'other', 'plugin: must be mas.dedicated.environments'),
])
def test_malformed_files_fail_clearly(path, value, message):
    with pytest.raises(WelcomeLetterError) as caught:
        hosts_of(mutate(path, value))
    assert str(caught.value).startswith('/inv/acme.mas.yml: ')
    assert message in str(caught.value)


def test_duplicate_host_names_fail():
    with pytest.raises(WelcomeLetterError, match="host name 'acme' is used twice"):
        hosts_of(base(), host_name_format='{instance}')


def parse(path):
    plugin = inventory_loader.get('mas.dedicated.environments')
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), path, cache=False)
    return plugin, inventory


def test_the_plugin_parses_the_sample_file_of_the_docs():
    plugin, inventory = parse(SAMPLE)
    assert plugin.verify_file(SAMPLE)
    assert sorted(inventory.hosts) == ['acme-dev', 'acme-prod', 'acme-test']
    assert sorted(h.name for h in inventory.groups['production'].get_hosts()) == ['acme-prod']
    assert sorted(h.name for h in inventory.groups['non_production'].get_hosts()) == ['acme-dev', 'acme-test']
    prod = inventory.get_host('acme-prod').get_vars()
    assert prod['mas_production'] is True and prod['mas_db_replica'] is True
    assert prod['mas_logs_bucket'] == 'acme-prod-logs'


def test_the_plugin_applies_constructed_options(tmp_path):
    raw = base()
    raw['keyed_groups'] = [{'key': 'mas_environment', 'prefix': 'env'}]
    raw['compose'] = {'ansible_connection': "'local'"}
    path = tmp_path / 'acme.mas.yml'
    path.write_text(yaml.safe_dump(raw))
    dummy, inventory = parse(str(path))
    assert 'env_dev' in inventory.groups
    assert inventory.get_host('acme-dev').get_vars()['ansible_connection'] == 'local'


def test_the_plugin_reports_a_malformed_file(tmp_path):
    path = tmp_path / 'acme.mas.yml'
    path.write_text('plugin: mas.dedicated.environments\ninstance: acme\nenvironments:\n  dev:\n    production: maybe\n')
    with pytest.raises(AnsibleError, match='environments.dev.production: must be true or false'):
        parse(str(path))


def test_other_file_names_are_not_claimed(tmp_path):
    path = tmp_path / 'hosts.yml'
    path.write_text('plugin: mas.dedicated.environments\n')
    assert not inventory_loader.get('mas.dedicated.environments').verify_file(str(path))
