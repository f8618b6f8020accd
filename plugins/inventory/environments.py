# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
name: environments
short_description: One inventory host per environment of a MAS Dedicated instance, from its Welcome Letter
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Reads one YAML file per MAS Dedicated instance that mirrors its Welcome Letter (the instance name; per
    environment whether it is production, a Manage host override, the COS region or endpoint and the bucket names
    with their read-only flags, the database or read-replica host, port, database name and certificate path) and
    yields one host per environment.
  - Hosts are grouped by instance (the instance name, dashes turned into underscores) and into C(production) or
    C(non_production).
  - The host variables are the ones the roles and playbooks of the collection read (C(mas_instance),
    C(mas_environment), C(mas_production), C(mas_manage_url), C(mas_logs_bucket) ...); the route URLs are derived
    by the same code the modules use.
  - No secret belongs in the file. API keys, HMAC keys and passwords come from vault variables or from the
    environment variables an AWX credential injects; a key that looks like a secret fails the parse.
  - The file name must end in C(.mas.yml) or C(.mas.yaml). An environment without C(production) is production.
extends_documentation_fragment:
  - ansible.builtin.constructed
options:
  plugin:
    description: The name of this plugin; makes the file an inventory source for it.
    required: true
    type: str
    choices: [mas.dedicated.environments]
  instance:
    description:
      - The instance name of the Welcome Letter (C(INSTANCE_NAME) in C(https://main.home.INSTANCE_NAME.suite.maximo.com/)).
    required: true
    type: str
  workspace:
    description:
      - The MAS workspace used to derive the Manage host of every environment that does not set its own.
    type: str
    default: main
  cos:
    description:
      - COS settings shared by the environments (C(region), C(endpoint)); an environment's own C(cos) wins.
    type: raw
    default: {}
  environments:
    description:
      - "A mapping from environment name (C(dev), C(test), C(prod) ...) to its settings: C(production) (bool),
        C(workspace), C(manage_url), C(tools_url), C(cos) (C(region), C(endpoint), C(buckets): a mapping from a
        bucket role such as C(custfile) or C(logs) to C(name) and C(read_only)), C(db) (C(host), C(port),
        C(database), C(certificate), C(replica)) and C(vars) (more host variables)."
      - A relative C(db.certificate) path is taken relative to the file.
    required: true
    type: raw
  host_name_format:
    description:
      - The inventory host name of an environment; C({instance}) and C({environment}) are replaced.
    type: str
    default: "{instance}-{environment}"
'''

EXAMPLES = r'''
# acme.mas.yml -- ansible-inventory -i acme.mas.yml --graph
plugin: mas.dedicated.environments
instance: acme
cos:
  region: us-east
environments:
  dev:
    production: false
    cos:
      buckets:
        custfile: {name: acme-dev-custfile}
        logs: {name: acme-dev-logs, read_only: true}
    db:
      host: db.dev.acme.example
      port: 50001
      database: BLUDB
      certificate: certs/acme-dev-db.arm
  prod:
    production: true
    manage_url: https://main.manage.acme.suite.maximo.com
    cos:
      buckets:
        logs: {name: acme-prod-logs, read_only: true}
    db:
      host: replica.prod.acme.example
      port: 50001
      database: BLUDB
      certificate: certs/acme-prod-replica.arm
      replica: true
'''

import os
import re

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable

from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment, EnvironmentConfigError

_SECRET = re.compile(r'(?i)(passw|secret|token|api_?key|apikey|access_key|hmac|credential|private_?key|pwd)')
_NAME = re.compile(r'^[a-z][a-z0-9_]*$')
_ENV_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]*$')
ENV_KEYS = ('production', 'workspace', 'manage_url', 'tools_url', 'cos', 'db', 'vars')
COS_KEYS = ('region', 'endpoint', 'buckets')
BUCKET_KEYS = ('name', 'read_only')
DB_KEYS = ('host', 'port', 'database', 'certificate', 'replica')
TOP_KEYS = ('plugin', 'instance', 'workspace', 'cos', 'environments', 'host_name_format', 'compose', 'groups',
            'keyed_groups', 'strict', 'use_extra_vars', 'leading_separator')


class WelcomeLetterError(AnsibleParserError):
    """The instance file is malformed; the message names the file, the key and what to write."""


class InventoryModule(BaseInventoryPlugin, Constructable):

    NAME = 'mas.dedicated.environments'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('.mas.yml', '.mas.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        raw = self.loader.load_from_file(path, cache='none')
        if not isinstance(raw, dict):
            raise WelcomeLetterError('%s: the file must be a mapping with plugin, instance and environments' % path)
        check_keys(path, '', raw, TOP_KEYS)
        self._read_config_data(path)
        for host in build_hosts(path, raw, self.get_option('host_name_format')):
            self._add(host)

    def _add(self, host):
        name, variables = host['name'], host['vars']
        self.inventory.add_host(name)
        for group in host['groups']:
            self.inventory.add_group(group)
            self.inventory.add_child(group, name)
        for key, value in variables.items():
            self.inventory.set_variable(name, key, value)
        strict = self.get_option('strict')
        self._set_composite_vars(self.get_option('compose'), variables, name, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), variables, name, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, name, strict=strict)


# ---- pure part: the file's data -> hosts (unit tested without an inventory) ---------------------------------

def _fail(path, where, message):
    raise WelcomeLetterError('%s: %s%s' % (path, '%s: ' % where if where else '', message))


def check_keys(path, where, mapping, allowed):
    for key in mapping:
        label = '%s.%s' % (where, key) if where else str(key)
        if _SECRET.search(str(key)):
            _fail(path, label, 'secrets stay out of the instance file: give them as vault variables or through the '
                               'environment (MAS_API_KEY, MAS_COS_ACCESS_KEY_ID ...) of an AWX credential')
        if key not in allowed:
            _fail(path, label, 'unknown key; expected one of %s' % ', '.join(allowed))


def _mapping(path, where, value, required=False):
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        _fail(path, where, 'must be a mapping, not %s' % type(value).__name__)
    return value


def _text(path, where, value, required=False):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            _fail(path, where, 'is required')
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        _fail(path, where, 'must be a text, not %s' % type(value).__name__)
    return str(value).strip()


def _bool(path, where, value, default):
    if value is None:
        return default
    if not isinstance(value, bool):
        _fail(path, where, 'must be true or false, not %r' % (value,))
    return value


def _port(path, where, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        _fail(path, where, 'must be a port number (1-65535), not %r' % (value,))
    return value


def _group_name(name):
    return re.sub(r'[^A-Za-z0-9_]', '_', name)


def build_hosts(path, raw, host_name_format='{instance}-{environment}'):
    """[{'name', 'groups', 'vars'}] for the parsed file ``raw`` (a dict), or WelcomeLetterError."""
    if raw.get('plugin') != 'mas.dedicated.environments':
        _fail(path, 'plugin', 'must be mas.dedicated.environments')
    instance = _text(path, 'instance', raw.get('instance'), required=True)
    default_workspace = _text(path, 'workspace', raw.get('workspace')) or 'main'
    shared_cos = _mapping(path, 'cos', raw.get('cos'))
    check_keys(path, 'cos', shared_cos, ('region', 'endpoint'))
    environments = raw.get('environments')
    if not isinstance(environments, dict) or not environments:
        _fail(path, 'environments', 'must map each environment name (dev, test, prod ...) to its settings, as in '
                                    'the Welcome Letter')
    hosts = []
    names = set()
    for env_name, settings in environments.items():
        where = 'environments.%s' % env_name
        if not isinstance(env_name, str) or not _ENV_NAME.match(env_name):
            _fail(path, where, 'an environment name is letters, digits, dashes and underscores')
        settings = _mapping(path, where, settings)
        check_keys(path, where, settings, ENV_KEYS)
        production = _bool(path, where + '.production', settings.get('production'), True)
        try:
            environment = Environment(instance=instance, name=env_name, production=production,
                                      workspace=_text(path, where + '.workspace', settings.get('workspace'))
                                      or default_workspace,
                                      tools_url=_text(path, where + '.tools_url', settings.get('tools_url')),
                                      manage_url=_text(path, where + '.manage_url', settings.get('manage_url')))
            urls = (environment.suite_url, environment.tools_url, environment.manage_url)
        except EnvironmentConfigError as exc:
            _fail(path, where, to_native(exc))
        host_vars = {
            'mas_instance': environment.instance,
            'mas_environment': env_name,
            'mas_production': environment.production,
            'mas_workspace': environment.workspace,
            'mas_suite_url': urls[0],
            'mas_tools_url': urls[1],
            'mas_manage_url': urls[2],
        }
        host_vars.update(_cos_vars(path, where + '.cos', shared_cos, _mapping(path, where + '.cos', settings.get('cos'))))
        host_vars.update(_db_vars(path, where + '.db', _mapping(path, where + '.db', settings.get('db'))))
        extra = _mapping(path, where + '.vars', settings.get('vars'))
        for key in extra:
            check_keys(path, where + '.vars', {key: None}, (key,))
            if key in host_vars:
                _fail(path, '%s.vars.%s' % (where, key),
                      'is set from the Welcome Letter keys of the environment; change it there')
        host_vars.update(extra)
        try:
            name = host_name_format.format(instance=environment.instance, environment=env_name)
        except (KeyError, IndexError, ValueError) as exc:
            _fail(path, 'host_name_format', 'only {instance} and {environment} can be used (%s)' % to_native(exc))
        if name in names:
            _fail(path, where, "host name '%s' is used twice" % name)
        names.add(name)
        groups = [_group_name(environment.instance), 'production' if environment.production else 'non_production']
        hosts.append({'name': name, 'groups': groups, 'vars': host_vars})
    return hosts


def _cos_vars(path, where, shared, own):
    check_keys(path, where, own, COS_KEYS)
    region = _text(path, where + '.region', own.get('region', shared.get('region')))
    endpoint = _text(path, where + '.endpoint', own.get('endpoint', shared.get('endpoint')))
    if endpoint and not re.match(r'^https?://', endpoint):
        endpoint = 'https://' + endpoint
    result = {}
    if region:
        if not re.match(r'^[a-z]{2}(-[a-z]+)+$', region):
            _fail(path, where + '.region', "'%s' is not a COS region such as us-east or eu-de" % region)
        result['mas_cos_region'] = region
    if endpoint:
        result['mas_cos_endpoint_url'] = endpoint
    buckets = _mapping(path, where + '.buckets', own.get('buckets'))
    if buckets and not (region or endpoint):
        _fail(path, where, 'buckets need the COS region (or endpoint) of the Welcome Letter')
    described = {}
    for role, bucket in buckets.items():
        label = '%s.buckets.%s' % (where, role)
        if not isinstance(role, str) or not _NAME.match(role):
            _fail(path, label, 'a bucket role is lower-case letters, digits and underscores (custfile, logs ...)')
        if isinstance(bucket, str):
            bucket = {'name': bucket}
        bucket = _mapping(path, label, bucket)
        check_keys(path, label, bucket, BUCKET_KEYS)
        name = _text(path, label + '.name', bucket.get('name'), required=True)
        if not re.match(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', name):
            _fail(path, label + '.name', "'%s' is not a COS bucket name" % name)
        read_only = _bool(path, label + '.read_only', bucket.get('read_only'), False)
        described[role] = {'name': name, 'read_only': read_only}
        result['mas_%s_bucket' % role] = name
        result['mas_%s_bucket_read_only' % role] = read_only
    result['mas_cos_buckets'] = described
    return result


def _db_vars(path, where, db):
    if not db:
        return {}
    check_keys(path, where, db, DB_KEYS)
    host = _text(path, where + '.host', db.get('host'), required=True)
    database = _text(path, where + '.database', db.get('database'), required=True)
    port = _port(path, where + '.port', db.get('port'))
    certificate = _text(path, where + '.certificate', db.get('certificate'), required=True)
    if certificate.endswith('.jks'):
        _fail(path, where + '.certificate', 'a .jks keystore is not accepted: give the .arm / PEM certificate the '
                                            'Welcome Letter came with')
    if not os.path.isabs(certificate):
        certificate = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), certificate))
    return {'mas_db_host': host, 'mas_db_port': port, 'mas_db_database': database, 'mas_db_certificate': certificate,
            'mas_db_replica': _bool(path, where + '.replica', db.get('replica'), False)}
