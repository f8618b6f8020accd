# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared option specs (documented in plugins/doc_fragments) and what modules build from them.

Every connection and environment option falls back to an environment variable, the names an AWX
credential type injects (listed in the README).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.mas.dedicated.plugins.module_utils.cos_plan import endpoint_url
from ansible_collections.mas.dedicated.plugins.module_utils.environment import (
    Environment, env_false_unless_true, env_true_unless_false)
from ansible_collections.mas.dedicated.plugins.module_utils.http_client import MasHttpClient
from ansible_collections.mas.dedicated.plugins.module_utils.retry import RetryPolicy

ENVIRONMENT_SPEC = dict(
    instance=dict(type='str', fallback=(env_fallback, ['MAS_INSTANCE'])),
    environment=dict(type='str', aliases=['environment_name'], fallback=(env_fallback, ['MAS_ENVIRONMENT'])),
    production=dict(type='bool', default=True, fallback=(env_true_unless_false, ['MAS_PRODUCTION'])),
    workspace=dict(type='str', fallback=(env_fallback, ['MAS_WORKSPACE'])),
    tools_url=dict(type='str', fallback=(env_fallback, ['MAS_TOOLS_URL'])),
    manage_url=dict(type='str', fallback=(env_fallback, ['MAS_MANAGE_URL'])),
    mas_api_url=dict(type='str', fallback=(env_fallback, ['MAS_CORE_API_URL'])),
)

CONNECTION_SPEC = dict(
    api_key=dict(type='str', no_log=True, aliases=['apikey'], fallback=(env_fallback, ['MAS_API_KEY'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_true_unless_false, ['MAS_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['MAS_CA_PATH'])),
    timeout=dict(type='float', default=60.0, fallback=(env_fallback, ['MAS_TIMEOUT'])),
    retries=dict(type='int', default=5, fallback=(env_fallback, ['MAS_RETRIES'])),
    retry_max_wait=dict(type='float', default=120.0, fallback=(env_fallback, ['MAS_RETRY_MAX_WAIT'])),
)

# The MAS core API (users) authenticates with a MAS API key (id and key), not with the Manage API key.
MAS_API_SPEC = dict(
    mas_api_key_id=dict(type='str', fallback=(env_fallback, ['MAS_CORE_API_KEY_ID'])),
    mas_api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_CORE_API_KEY'])),
    validate_certs=CONNECTION_SPEC['validate_certs'],
    ca_path=CONNECTION_SPEC['ca_path'],
    timeout=CONNECTION_SPEC['timeout'],
    retries=CONNECTION_SPEC['retries'],
    retry_max_wait=CONNECTION_SPEC['retry_max_wait'],
    concurrency=dict(type='int', default=8),
)

WAIT_SPEC = dict(
    wait_timeout=dict(type='int', default=1800),
    poll_interval=dict(type='float', default=10.0),
)


def argument_spec(*parts, **own):
    """One argument spec from the shared parts plus a module's own options."""
    spec = {}
    for part in parts:
        spec.update(part)
    spec.update(own)
    return spec


def environment_from(params):
    return Environment(instance=params.get('instance'), name=params.get('environment'),
                       production=params.get('production'), workspace=params.get('workspace'),
                       tools_url=params.get('tools_url'), manage_url=params.get('manage_url'),
                       mas_api_url=params.get('mas_api_url'))


SECRET_OPTIONS = ('api_key', 'access_key_id', 'secret_access_key', 'mas_api_key', 'password')


def secrets_from(params):
    found = [params[name] for name in SECRET_OPTIONS if params.get(name)]
    # Modules that write secret values into Manage records (manage_object) take them in 'secret_attributes'.
    # A secret may sit in a child row (the PASSWORD row of maxendpointdtl): every value in it counts.
    for holder in [params] + list(params.get('objects') or []):
        found.extend(_leaf_values(holder.get('secret_attributes') or {}))
    return tuple(found)


def _leaf_values(value):
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaf_values(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaf_values(item)]
    return [] if value in (None, '') or isinstance(value, bool) else [str(value)]


def client_for(params, base_url, **kwargs):
    """An HTTP client for ``base_url`` with the connection options of ``params``."""
    retry = RetryPolicy(retries=params['retries'], max_wait=params['retry_max_wait'])
    return MasHttpClient(base_url, api_key=params.get('api_key'), validate_certs=params['validate_certs'],
                         ca_path=params.get('ca_path'), timeout=params['timeout'], retry=retry, **kwargs)


# 'bucket' is each module's own option: required for the cos_* modules, optional for manage_logs.
COS_SPEC = dict(
    region=dict(type='str', fallback=(env_fallback, ['MAS_COS_REGION'])),
    endpoint_type=dict(type='str', default='public', choices=['public', 'direct', 'private']),
    endpoint_url=dict(type='str', fallback=(env_fallback, ['MAS_COS_ENDPOINT_URL'])),
    access_key_id=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_COS_ACCESS_KEY_ID'])),
    secret_access_key=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_COS_SECRET_ACCESS_KEY'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_true_unless_false, ['MAS_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['MAS_CA_PATH'])),
    part_size_mb=dict(type='int', default=16),
    concurrency=dict(type='int', default=16),
)


def cos_bucket_for(params, bucket=None):
    """A CosBucket for the COS options of ``params`` (``bucket`` overrides params['bucket'])."""
    # Imported here so that modules which never touch COS do not pay for importing boto3.
    from ansible_collections.mas.dedicated.plugins.module_utils.cos import CosBucket
    endpoint = params.get('endpoint_url') or endpoint_url(params.get('region'), params.get('endpoint_type') or 'public')
    return CosBucket(bucket or params['bucket'], endpoint, params['access_key_id'], params['secret_access_key'],
                     region=params.get('region'), validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                     part_size_mb=params.get('part_size_mb') or 16, concurrency=params.get('concurrency') or 16)


# DB2 over SSL (db2_query, sql_script_request). The names follow the MAS_DB2_* variables an AWX credential injects.
DB2_SPEC = dict(
    database=dict(type='str', fallback=(env_fallback, ['MAS_DB2_DATABASE'])),
    hostname=dict(type='str', fallback=(env_fallback, ['MAS_DB2_HOSTNAME'])),
    port=dict(type='int', fallback=(env_fallback, ['MAS_DB2_PORT'])),
    username=dict(type='str', fallback=(env_fallback, ['MAS_DB2_USERNAME'])),
    password=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_DB2_PASSWORD'])),
    ssl_server_certificate=dict(type='path', fallback=(env_fallback, ['MAS_DB2_SSL_SERVER_CERTIFICATE'])),
    connect_timeout=dict(type='int', default=30, fallback=(env_fallback, ['MAS_DB2_CONNECT_TIMEOUT'])),
    connection_options=dict(type='dict', default={}),
    replica=dict(type='bool', default=False, fallback=(env_false_unless_true, ['MAS_DB2_REPLICA'])),
)


def db2_target(params):
    """A description of the database for messages: 'DB2 database BLUDB at host:port' (no secrets)."""
    return 'DB2 database %s at %s:%s' % (params.get('database') or '?', params.get('hostname') or '?',
                                         params.get('port') or '?')
