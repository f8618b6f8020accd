# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection does the same way: parse, guard, build clients, map errors.

Order matters: the environment is parsed and the access rules applied before the API key is even
looked at, so a refused operation fails the same way with or without credentials and sends nothing.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts
from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import EnvironmentConfigError
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import MasError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import client_for
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import (
    CheckedModule, environment_from, secrets_from)
from ansible_collections.mas.dedicated.plugins.module_utils.common.policy import PolicyError, guard
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact, redact_text


class MasModule:
    """An AnsibleModule plus the environment it targets and the clients it may use."""

    def __init__(self, argument_spec, path_kinds=None, environment=True, **kwargs):
        """``environment=False``: the module targets no MAS environment (it writes local files: rclone_remote,
        db2_client_config, support_case), so ``environment`` is None and there is nothing to ``guard``."""
        kwargs.setdefault('supports_check_mode', True)
        # Ranges, NUL bytes, URL schemes, header-safe keys, path kinds: checked before anything else.
        # ``path_kinds`` names what the module's own path options are ({'dest': 'file'}).
        self.module = CheckedModule(argument_spec=argument_spec, path_kinds=path_kinds, **kwargs)
        self.params = self.module.params
        self._secrets = secrets_from(self.params, self.module.argument_spec)
        # Objects with a ``secrets`` list that grows at run time (access tokens), redacted like the options.
        self._secret_sources = []
        self.environment = None
        if environment:
            try:
                self.environment = environment_from(self.params)
            except EnvironmentConfigError as exc:
                self.fail(str(exc))

    @property
    def secrets(self):
        found = list(self._secrets)
        for source in self._secret_sources:
            found.extend(s for s in source.secrets if s and s not in found)
        return tuple(found)

    @property
    def check_mode(self):
        return self.module.check_mode

    def guard(self, *operations):
        """Refuse, before any request, what the access rules forbid for this environment."""
        if self.environment is None:
            raise TypeError('guard() needs the environment: this MasModule was made with environment=False')
        for operation in operations:
            try:
                guard(operation, self.environment)
            except PolicyError as exc:
                self.fail(str(exc), refused=True, operation=operation, environment=self.environment.as_dict())

    def client(self, base_url_name, **kwargs):
        """An HTTP client for the environment's ``tools_url`` or ``manage_url``."""
        if not self.params.get('api_key'):
            self.fail("api_key is required: give the Manage API key of %s in 'api_key' or MAS_API_KEY"
                      % self.environment.describe())
        try:
            base_url = getattr(self.environment, base_url_name)
        except EnvironmentConfigError as exc:
            self.fail(str(exc))
        return client_for(self.params, base_url, **kwargs)

    def mas_user_api(self):
        """A MasUserApi for the environment's MAS API URL; fails clearly without the MAS API key."""
        # Imported here: most modules never talk to the MAS API, and each module process compiles what it imports
        # (AnsiballZ ships sources only), which is most of a light task's cost (make bench-overhead).
        from ansible_collections.mas.dedicated.plugins.module_utils.users.mas_api import (  # pylint: disable=import-outside-toplevel
            HINTS as MAS_API_HINTS, MasUserApi)
        missing = [name for name in ('mas_api_key_id', 'mas_api_key') if not self.params.get(name)]
        if missing:
            self.fail("%s %s required: give the id and the key of a MAS API key (or MAS_CORE_API_KEY_ID and "
                      "MAS_CORE_API_KEY)" % (' and '.join(missing), 'are' if len(missing) > 1 else 'is'))
        try:
            base_url = self.environment.mas_api_url
        except EnvironmentConfigError as exc:
            self.fail(str(exc))
        api = MasUserApi(lambda: client_for(self.params, base_url, hints=MAS_API_HINTS), self.params['mas_api_key_id'],
                         self.params['mas_api_key'], self.environment.workspace)
        self.add_secret_source(api)
        return api

    def cos(self, bucket=None):
        """A CosBucket for the module's COS options; fails clearly without boto3 or keys."""
        # Imported here so that modules which never touch COS do not pay for importing boto3.
        from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_bucket import (
            BOTO3_IMPORT_ERROR, HAS_BOTO3, bucket_from_params)
        self.require('boto3', HAS_BOTO3, BOTO3_IMPORT_ERROR)
        missing = [name for name in ('access_key_id', 'secret_access_key') if not self.params.get(name)]
        if missing:
            self.fail("%s %s required: give the bucket's HMAC keys from the Welcome Letter (or MAS_COS_ACCESS_KEY_ID "
                      "and MAS_COS_SECRET_ACCESS_KEY)" % (' and '.join(missing), 'are' if len(missing) > 1 else 'is'))
        try:
            found = bucket_from_params(self.params, bucket)
        except ValueError as exc:
            self.fail(str(exc))
        found.module = self.module
        return found

    def add_secret(self, value):
        """A secret found at run time (a password in a nested option, a value in free-form details, a token): never
        shown, like the options. It joins AnsibleModule's ``no_log_values`` at once, so even a result the runner does
        not build (the module arguments Ansible echoes as ``invocation``) has it masked."""
        if value in (None, '') or isinstance(value, bool):
            return
        value = str(value)
        if value not in self._secrets:
            self._secrets = self._secrets + (value,)
        self.module.no_log_values.add(value)

    def add_secret_source(self, source):
        """An object whose ``secrets`` grow at run time (a client's access token): redacted like the options."""
        self._secret_sources.append(source)

    def require(self, name, available, import_error=None, reason=None, hint=None):
        """Fail the same way for every missing requirement, before the work that needs it.

        A Python package: ``import_error`` is its import traceback, ``reason`` what needs it (Ansible's own
        ``missing_required_lib`` message). A program (``rclone``, ``db2cli``): ``hint`` says how to get it or
        where to point, ``reason`` what needs it; the message is '<reason> needs <name>: <hint>'.
        """
        if available:
            return
        if hint is not None:
            self.fail('%s needs %s: %s' % (reason or 'this task', name, hint))
        self.module.fail_json(msg=missing_required_lib(name, reason=reason), exception=import_error)

    def _hide_secrets(self):
        # AnsibleModule removes no_log_values from everything it prints; ours are added there too, as
        # kubernetes.core does with tokens, so a secret found at run time is masked even in an unforeseen key.
        self.module.no_log_values.update(s for s in self.secrets if isinstance(s, str) and s)

    def fail(self, msg, **extra):
        self._hide_secrets()
        self.module.fail_json(msg=redact_text(msg, self.secrets), **redact(extra, self.secrets))

    def exit(self, **result):
        self._hide_secrets()
        self.module.exit_json(**redact(result, self.secrets))

    def _interrupted(self, msg):
        self.fail(msg, interrupted=True)

    def run(self, work):
        """Call ``work()`` (returns the result dict) and turn every known failure into a clear fail_json."""
        try:
            # A SIGTERM, or the death of the process that started the module, ends it cleanly (see interrupts).
            with interrupts.armed(self._interrupted):
                result = work()
        except MasError as exc:
            # The one place where the collection's errors become a failed task: RefusedError (nothing was sent)
            # and ServiceError (the service said no) carry their own text and extra keys.
            self.fail(exc.message(), **exc.result())
        except (OSError, IOError) as exc:
            self.fail('local file error: %s' % exc)
        self.exit(**result)
