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

from ansible_collections.mas.dedicated.plugins.module_utils.environment import Environment
from ansible_collections.mas.dedicated.plugins.module_utils.http_client import MasHttpClient
from ansible_collections.mas.dedicated.plugins.module_utils.retry import RetryPolicy

ENVIRONMENT_SPEC = dict(
    instance=dict(type='str', fallback=(env_fallback, ['MAS_INSTANCE'])),
    environment=dict(type='str', aliases=['environment_name'], fallback=(env_fallback, ['MAS_ENVIRONMENT'])),
    production=dict(type='bool', default=True, fallback=(env_fallback, ['MAS_PRODUCTION'])),
    workspace=dict(type='str', fallback=(env_fallback, ['MAS_WORKSPACE'])),
    tools_url=dict(type='str', fallback=(env_fallback, ['MAS_TOOLS_URL'])),
    manage_url=dict(type='str', fallback=(env_fallback, ['MAS_MANAGE_URL'])),
)

CONNECTION_SPEC = dict(
    api_key=dict(type='str', no_log=True, aliases=['apikey'], fallback=(env_fallback, ['MAS_API_KEY'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['MAS_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['MAS_CA_PATH'])),
    timeout=dict(type='float', default=60.0, fallback=(env_fallback, ['MAS_TIMEOUT'])),
    retries=dict(type='int', default=5, fallback=(env_fallback, ['MAS_RETRIES'])),
    retry_max_wait=dict(type='float', default=120.0, fallback=(env_fallback, ['MAS_RETRY_MAX_WAIT'])),
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
                       tools_url=params.get('tools_url'), manage_url=params.get('manage_url'))


def secrets_from(params):
    return tuple(params[name] for name in ('api_key',) if params.get(name))


def client_for(params, base_url, **kwargs):
    """An HTTP client for ``base_url`` with the connection options of ``params``."""
    retry = RetryPolicy(retries=params['retries'], max_wait=params['retry_max_wait'])
    return MasHttpClient(base_url, api_key=params.get('api_key'), validate_certs=params['validate_certs'],
                         ca_path=params.get('ca_path'), timeout=params['timeout'], retry=retry, **kwargs)
