# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure model of one MAS Dedicated environment: its name, whether it is production, and its routes.

The route URLs follow the support guide ("MAS-Dedicated Environment Route URLs"); the Manage host is a
[guess] (``<workspace>.manage.<instance>.suite.maximo.com``), so every URL can be overridden.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible.module_utils.basic import env_fallback
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

SUITE_DOMAIN = 'suite.maximo.com'
DEFAULT_WORKSPACE = 'main'
# An instance name is one DNS label of the route host names.
_LABEL = re.compile(r'^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')


# Safety switches read from the environment: only an explicit word turns them to the less safe side. An empty value
# (what AWX injects for an unset text field) or any other word keeps the safe side, so an unset or mistyped variable
# can never lift the production guard or switch TLS verification off. (AWX renders an unset boolean field as False,
# so the credential types under docs/awx never inject a boolean field as it is: see their injectors.) The words are
# Ansible's own boolean spellings (ansible.module_utils.parsing.convert_bool), compared without case and blanks.
FALSE_WORDS = frozenset(('false', 'no', 'off', '0', 'n', 'f'))
TRUE_WORDS = frozenset(('true', 'yes', 'on', '1', 'y', 't'))


def env_true_unless_false(*names):
    """Fallback for production and validate_certs: True unless the variable explicitly says false."""
    return env_fallback(*names).strip().lower() not in FALSE_WORDS


def env_false_unless_true(*names):
    """Fallback for replica (a read replica lifts the production read rule): False unless it explicitly says true."""
    return env_fallback(*names).strip().lower() in TRUE_WORDS


class EnvironmentConfigError(RefusedError):
    """The environment settings cannot produce a usable URL."""


def _check_label(kind, value):
    if not _LABEL.match(value):
        raise EnvironmentConfigError(
            "%s '%s' is not a valid host name label: use the lower-case letters, digits and dashes from the "
            "Welcome Letter" % (kind, value))


def _normalize_url(kind, url):
    url = url.strip().rstrip('/')
    if not re.match(r'^https?://[^/\s]+', url):
        raise EnvironmentConfigError("%s '%s' must be an absolute http(s) URL" % (kind, url))
    return url


class Environment:
    """One environment (dev, test, prod ...) of a MAS Dedicated instance."""

    def __init__(self, instance=None, name=None, production=True, workspace=None,
                 tools_url=None, manage_url=None, mas_api_url=None):
        self.instance = instance.strip().lower() if instance else None
        # Messages name the environment; only without its name do they fall back to the instance (and say so).
        self.named = bool(name)
        self.name = name or self.instance or 'unnamed'
        # None would be ambiguous; anything not explicitly non-production is treated as production.
        self.production = production is not False
        self.workspace = (workspace or DEFAULT_WORKSPACE).strip().lower()
        if self.instance:
            _check_label('instance', self.instance)
        _check_label('workspace', self.workspace)
        self._tools_url = _normalize_url('tools_url', tools_url) if tools_url else None
        self._manage_url = _normalize_url('manage_url', manage_url) if manage_url else None
        self._mas_api_url = _normalize_url('mas_api_url', mas_api_url) if mas_api_url else None

    @property
    def kind(self):
        return 'production' if self.production else 'non-production'

    def _derived(self, option, host_prefix, path=''):
        if not self.instance:
            raise EnvironmentConfigError(
                "set 'instance' (the instance name from the Welcome Letter, or MAS_INSTANCE) or give '%s'" % option)
        return 'https://%s.%s.%s%s' % (host_prefix, self.instance, SUITE_DOMAIN, path)

    @property
    def suite_url(self):
        """The MAS home route [doc]."""
        return self._derived('instance', 'main.home')

    @property
    def tools_url(self):
        """The Tools API base URL [doc], e.g. https://maxinst.manage.acme.suite.maximo.com/toolsapi."""
        return self._tools_url or self._derived('tools_url', 'maxinst.manage', '/toolsapi')

    @property
    def manage_url(self):
        """The Manage host serving /maximo [guess: <workspace>.manage.<instance>.suite.maximo.com]."""
        return self._manage_url or self._derived('manage_url', '%s.manage' % self.workspace)

    @property
    def mas_api_url(self):
        """The MAS core API (users) [doc: https://api.<instance>.<domain>; the domain is a guess]."""
        return self._mas_api_url or self._derived('mas_api_url', 'api')

    def describe(self):
        if self.named:
            return "environment '%s' (%s)" % (self.name, self.kind)
        if self.instance:
            return ("an environment of instance '%s' (%s; no environment name given: set 'environment' or "
                    "MAS_ENVIRONMENT)" % (self.instance, self.kind))
        return "an unnamed environment (%s; set 'environment' or MAS_ENVIRONMENT)" % self.kind

    def as_dict(self):
        result = {'name': self.name, 'instance': self.instance, 'production': self.production,
                  'workspace': self.workspace}
        for key in ('tools_url', 'manage_url', 'mas_api_url'):
            try:
                result[key] = getattr(self, key)
            except EnvironmentConfigError:
                result[key] = None
        return result
