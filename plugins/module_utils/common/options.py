# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared option specs, one per doc fragment of plugins/doc_fragments, the checks of every option, and what
modules build from the options (no HTTP client: common.http_client.client_for builds that).

Every connection and environment option falls back to an environment variable, the names an AWX
credential type injects (listed in the README).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import math
import os
import re

from ansible.module_utils import basic
from ansible.module_utils.basic import env_fallback

from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import (
    Environment, env_false_unless_true, env_true_unless_false)

# ---- one spec per doc fragment ------------------------------------------------------------------------------------
# Each constant is the argument spec of the doc fragment it is named after (COS_TRANSFER_SPEC documents as
# mas.dedicated.cos.transfer) and SPECS maps the fragment names to them. A module builds its spec from the names of
# the fragments it extends plus its own options (argument_spec below), as community.hashi_vault pairs each option
# group's ARGSPEC with its doc fragment; tests/unit/docs/test_option_specs.py checks the pairing both ways.

ENVIRONMENT_SPEC = dict(
    instance=dict(type='str', fallback=(env_fallback, ['MAS_INSTANCE'])),
    environment=dict(type='str', aliases=['environment_name'], fallback=(env_fallback, ['MAS_ENVIRONMENT'])),
    production=dict(type='bool', default=True, fallback=(env_true_unless_false, ['MAS_PRODUCTION'])),
    workspace=dict(type='str', fallback=(env_fallback, ['MAS_WORKSPACE'])),
    tools_url=dict(type='str', fallback=(env_fallback, ['MAS_TOOLS_URL'])),
    manage_url=dict(type='str', fallback=(env_fallback, ['MAS_MANAGE_URL'])),
    mas_api_url=dict(type='str', fallback=(env_fallback, ['MAS_CORE_API_URL'])),
)

# The Manage API key.
CONNECTION_SPEC = dict(
    api_key=dict(type='str', no_log=True, aliases=['apikey'], fallback=(env_fallback, ['MAS_API_KEY'])),
)

# Certificate checks of every module that opens TLS connections: the MAS routes and the COS endpoints alike.
TLS_SPEC = dict(
    validate_certs=dict(type='bool', default=True, fallback=(env_true_unless_false, ['MAS_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['MAS_CA_PATH'])),
)

# Timeouts and retries of the modules that call an HTTP API of MAS (common.http_client).
TRANSPORT_SPEC = dict(
    timeout=dict(type='float', default=60.0, fallback=(env_fallback, ['MAS_TIMEOUT'])),
    retries=dict(type='int', default=5, fallback=(env_fallback, ['MAS_RETRIES'])),
    retry_max_wait=dict(type='float', default=120.0, fallback=(env_fallback, ['MAS_RETRY_MAX_WAIT'])),
)

# The MAS core API (users) authenticates with a MAS API key (id and key), not with the Manage API key.
MAS_API_SPEC = dict(
    mas_api_key_id=dict(type='str', fallback=(env_fallback, ['MAS_CORE_API_KEY_ID'])),
    mas_api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_CORE_API_KEY'])),
)
# Parallel calls of mas_user and mas_user_info.
MAS_API_WRITE_SPEC = dict(concurrency=dict(type='int', default=8))

# The file options of modules whose own 'mode' is their operation (cos_object, integrity_checker); documented in
# the mas.dedicated.files doc fragment. Modules without such a clash take AnsibleModule's add_file_common_args.
FILES_SPEC = dict(
    dest_mode=dict(type='raw'),
    owner=dict(type='str'),
    group=dict(type='str'),
    unsafe_writes=dict(type='bool', default=False, fallback=(env_fallback, ['ANSIBLE_UNSAFE_WRITES'])),
)

WAIT_SPEC = dict(
    wait_timeout=dict(type='int', default=1800),
    poll_interval=dict(type='float', default=10.0),
)

PROGRESS_SPEC = dict(progress_file=dict(type='path'))

# 'bucket' is each module's own option: required for the cos_* modules, optional for manage_logs. The certificate
# options are TLS_SPEC's.
COS_SPEC = dict(
    region=dict(type='str', fallback=(env_fallback, ['MAS_COS_REGION'])),
    endpoint_type=dict(type='str', default='public', choices=['public', 'direct', 'private']),
    endpoint_url=dict(type='str', fallback=(env_fallback, ['MAS_COS_ENDPOINT_URL'])),
    access_key_id=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_COS_ACCESS_KEY_ID'])),
    secret_access_key=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_COS_SECRET_ACCESS_KEY'])),
)

# Transfer options, only for the modules that transfer: part_size_mb shapes uploads (cos_object, cos_sync),
# concurrency the parallel parts, ranges and files (downloads too, so manage_logs takes COS_DOWNLOAD_SPEC).
COS_TRANSFER_SPEC = dict(
    part_size_mb=dict(type='int', default=16),
    concurrency=dict(type='int', default=16),
)
COS_DOWNLOAD_SPEC = dict(concurrency=COS_TRANSFER_SPEC['concurrency'])

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

# Fragment name (mas.dedicated.<name>) -> its spec.
SPECS = {
    'environment': ENVIRONMENT_SPEC,
    'connection': CONNECTION_SPEC,
    'tls': TLS_SPEC,
    'transport': TRANSPORT_SPEC,
    'mas_api': MAS_API_SPEC,
    'mas_api.write': MAS_API_WRITE_SPEC,
    'files': FILES_SPEC,
    'wait': WAIT_SPEC,
    'progress': PROGRESS_SPEC,
    'cos': COS_SPEC,
    'cos.transfer': COS_TRANSFER_SPEC,
    'cos.download': COS_DOWNLOAD_SPEC,
    'db2': DB2_SPEC,
}


def argument_spec(*parts, **own):
    """A module's argument spec: the specs of the doc fragments it extends (by fragment name, e.g. 'transport' for
    mas.dedicated.transport), or option dicts of its own, then its own options as keywords.

    No option may come from two places: a clash raises ValueError, so a module cannot silently replace a shared
    option. A module that needs a shared option changed (another default) says so in ``overrides``, a dict of option
    name -> the keys to change, which may only name options the parts declare (so no option is called 'overrides').
    """
    overrides = own.pop('overrides', None) or {}
    spec, origin = {}, {}
    named = [(part if isinstance(part, str) else 'the own options', _part(part)) for part in parts]
    for label, options in named + [('the keyword options', own)]:
        for name, option in options.items():
            if name in spec:
                raise ValueError('option %s is declared by both %s and %s; change a shared option with overrides'
                                 % (name, origin[name], label))
            spec[name], origin[name] = dict(option), label
    for name, changes in overrides.items():
        if name not in spec or origin[name] == 'the keyword options':
            raise ValueError('overrides names %s, which no part declares' % name)
        spec[name] = dict(spec[name], **changes)
    return spec


def _part(part):
    if isinstance(part, dict):
        return part
    if part not in SPECS:
        raise ValueError('no doc fragment mas.dedicated.%s has a spec (known: %s)' % (part, ', '.join(sorted(SPECS))))
    return SPECS[part]


def environment_from(params):
    return Environment(instance=params.get('instance'), name=params.get('environment'),
                       production=params.get('production'), workspace=params.get('workspace'),
                       tools_url=params.get('tools_url'), manage_url=params.get('manage_url'),
                       mas_api_url=params.get('mas_api_url'))


def _secret_names(specs):
    return tuple(sorted(set(name for spec in specs for name, option in spec.items() if option.get('no_log'))))


# The options of the shared specs that are secret: derived from their no_log, never listed by hand.
SECRET_OPTIONS = _secret_names(SPECS.values())
_SHARED = dict((name, option) for spec in SPECS.values() for name, option in spec.items())


def secrets_from(params, argument_spec=None):
    """The values of every no_log option of ``argument_spec`` in ``params``, sub-options too (the password of a
    test_database, the secret_value of a properties item, every leaf of a secret_attributes mapping).

    Without ``argument_spec``, the shared specs' options (SECRET_OPTIONS) are looked for at the top level only.
    """
    found = []
    _collect(argument_spec if argument_spec is not None else _SHARED, params, found)
    return tuple(found)


def _collect(spec, params, found):
    for holder in params if isinstance(params, list) else [params]:
        if not isinstance(holder, dict):
            continue
        for name, option in spec.items():
            value = holder.get(name)
            if value is None:
                continue
            if option.get('no_log'):
                found.extend(_leaf_values(value))
            elif option.get('options'):
                _collect(option['options'], value, found)


def _leaf_values(value):
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaf_values(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaf_values(item)]
    return [] if value in (None, '') or isinstance(value, bool) else [str(value)]


def db2_target(params):
    """A description of the database for messages: 'DB2 database BLUDB at host:port' (no secrets)."""
    return 'DB2 database %s at %s:%s' % (params.get('database') or '?', params.get('hostname') or '?',
                                         params.get('port') or '?')


# ---- checks of every option, before anything else ------------------------------------------------------------------
# The range of every numeric option of the collection, by option name (sub-options too): (lowest, highest), both
# allowed. Each module's docs state the same range. A value outside it is refused before any request is sent.
RANGES = {
    'timeout': (1, 3600),            # seconds for one HTTP answer
    'connect_timeout': (1, 3600),    # seconds to open a DB2 connection
    'retries': (0, 20),
    'retry_max_wait': (0, 3600),
    'wait_timeout': (1, 86400),      # at most a day of waiting
    'poll_interval': (0.1, 3600),
    'settle_time': (0, 3600),
    'page_size': (1, 10000),
    'max_records': (0, 10000000),    # 0: no limit
    'concurrency': (1, 64),
    'part_size_mb': (5, 5120),       # IBM COS multipart parts: 5 MB to 5 GB
    'purge_days': (1, 3650),
    'expiring_within': (0, 3650),
    'port': (1, 65535),
    'dmpackageid': (1, 2147483647),  # a Migration Manager package id (DMPACKAGE.DMPACKAGEID, a positive integer)
    'admin_sessions': (1, 1000),     # admin mode's numsessions: the sessions still allowed
    'logout_minutes': (1, 1440),     # admin mode's logoutmin: minutes users get before they are logged out
    'max_rows': (0, 10000000),
    'fetch_size': (1, 100000),
    'expected_bundles': (1, 1000),
    'completion_polls': (0, 1000),   # polls of an unchanged log that end an integrity checker run
    'follow_seconds': (0, 3600),     # manage_log_level: seconds of live log followed (0: none)
    'follow_interval': (0.5, 300),   # manage_log_level: seconds between two reads of the live log
}

# Options that hold a URL the collection calls: http(s) only, with a host.
URL_OPTIONS = ('tools_url', 'manage_url', 'mas_api_url', 'endpoint_url', 'case_management_url', 'iam_url')
# rclone's endpoint may also be a bare host[:port] (rclone adds https://).
HOST_OR_URL_OPTIONS = ('endpoint',)
# Options sent in an HTTP header (or an S3 signature): printable ASCII without spaces, as IBM's keys are.
HEADER_OPTIONS = ('api_key', 'mas_api_key', 'mas_api_key_id', 'access_key_id', 'secret_access_key', 'ibmcloud_api_key')
# Values that become one segment of a URL path.
SEGMENT_OPTIONS = ('object_structure',)
# Lists of user ids (each becomes one segment of a URL path).
USER_LIST_OPTIONS = ('users',)
# What a path option names, by option name; a module gives the kind of its own 'dest' (file or directory).
# 'input': a file that must exist; 'file': a file that may be created (with its directories); 'file-in-dir': a file
# that may be created in a directory that must exist; 'directory': a directory that may be created.
PATH_KINDS = {
    'src': 'input', 'script': 'input', 'ca_path': 'input', 'attachments': 'input',
    'ssl_server_certificate': 'file', 'output': 'file', 'dsdriver_cfg': 'file', 'odbc_ini': 'file', 'path': 'file',
    'local_path': 'directory',
}

_URL = re.compile(r'^https?://[^/\s?#@]+(?:[/?#]\S*)?$', re.I)
_SCHEME = re.compile(r'^[a-z][a-z0-9+.-]*:(?!\d)', re.I)
_HOST = re.compile(r'^[A-Za-z0-9.-]+(?::\d{1,5})?(?:/\S*)?$')
_HEADER_VALUE = re.compile(r'^[\x21-\x7e]+$')
# S3/DNS bucket names, as IBM COS takes them: 3-63 lower-case letters, digits, dots and dashes, a letter or a
# digit at both ends.
_BUCKET = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')
_SEGMENT = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$')
# The instance and the workspace are DNS labels of the route host names (as environment.py checks them).
LABEL_OPTIONS = ('instance', 'workspace')
_LABEL = re.compile(r'^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')


def _shown(value, limit=60):
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + '...'


def _has_nul(value):
    if isinstance(value, str):
        return '\x00' in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def number_problem(name, value):
    """Why ``value`` is out of the documented range of option ``name`` (None when fine or not ranged)."""
    leaf = name.split('.')[-1].split('[')[0]
    if leaf not in RANGES or value is None or isinstance(value, bool):
        return None
    low, high = RANGES[leaf]
    if not isinstance(value, (int, float)) or isinstance(value, float) and not math.isfinite(value) \
            or not low <= value <= high:
        return '%s must be between %s and %s (got %s)' % (name, low, high, _shown(value))
    return None


def url_problem(name, value, bare_host=False):
    if value in (None, ''):
        return None
    text = value.strip()
    if _URL.match(text):
        return None
    if bare_host and not _SCHEME.match(text) and _HOST.match(text):
        return None
    return "%s '%s' must be an http:// or https:// URL with a host%s" % (
        name, _shown(value), ' (or a bare host name)' if bare_host else '')


def header_problem(name, value):
    if value in (None, '') or _HEADER_VALUE.match(value):
        return None
    # The value is a secret: never shown.
    return ('%s holds characters that cannot be sent in an HTTP header: only printable ASCII without spaces or line '
            'breaks, as in the key IBM issued' % name)


def bucket_problem(name, value):
    if value is None or (_BUCKET.match(value) and '..' not in value):
        return None
    return ("%s '%s' is not a bucket name: 3 to 63 lower-case letters, digits, dots and dashes, starting and ending "
            "with a letter or a digit" % (name, _shown(value)))


def segment_problem(name, value):
    if value is None or _SEGMENT.match(value):
        return None
    return "%s '%s' must be a name of letters, digits, '_', '-' and '.' (at most 100), as it becomes part of a URL" % (
        name, _shown(value))


def label_problem(name, value):
    if value in (None, '') or _LABEL.match(value.strip().lower()):
        return None
    return ("%s '%s' is not a valid host name label: use the lower-case letters, digits and dashes from the "
            "Welcome Letter" % (name, _shown(value)))


def path_problem(name, path, kind):
    """Why ``path`` cannot be the ``kind`` of path it must be (a directory where a file is expected ...)."""
    if not path or kind is None:
        return None
    if kind == 'input':
        if os.path.isdir(path):
            return "%s '%s' is a directory, not a file" % (name, path)
        if not os.path.isfile(path):
            return "%s '%s' does not exist or is not a file" % (name, path)
        return None
    if os.path.lexists(path):
        if kind in ('file', 'file-in-dir') and os.path.isdir(path):
            return "%s '%s' is a directory, not a file" % (name, path)
        if kind == 'directory' and not os.path.isdir(path):
            return "%s '%s' is not a directory" % (name, path)
        return None
    parent = os.path.dirname(os.path.abspath(path))
    if kind == 'file-in-dir' and not os.path.isdir(parent):
        return "%s '%s' cannot be written: its directory '%s' does not exist" % (name, path, parent)
    while not os.path.lexists(parent) and os.path.dirname(parent) != parent:
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        return "%s '%s' cannot be created: '%s' is not a directory" % (name, path, parent)
    return None


def _raw_args():
    """The module arguments as given (before AnsibleModule turned a list into the text of a str option)."""
    raw = getattr(basic, '_PARSED_MODULE_ARGS', None)
    return raw if isinstance(raw, dict) else {}


def _walk(spec, params, raw, prefix, path_kinds, problems):
    for option, option_spec in spec.items():
        name = prefix + option
        value = params.get(option) if isinstance(params, dict) else None
        given = raw.get(option) if isinstance(raw, dict) else None
        if given is None and isinstance(raw, dict):
            given = next((raw[alias] for alias in option_spec.get('aliases') or () if alias in raw), None)
        kind = option_spec.get('type', 'str')
        if value is None:
            continue
        if _has_nul(value):
            problems.append('%s contains a NUL byte' % name)
            continue
        if kind == 'str' and isinstance(given, (list, dict)):
            problems.append('%s must be a string, not a %s' % (name, 'list' if isinstance(given, list) else 'mapping'))
            continue
        leaf = option
        found = number_problem(name, value) if kind in ('int', 'float') else None
        if kind == 'str' and isinstance(value, str):
            if leaf in URL_OPTIONS:
                found = url_problem(name, value)
            elif leaf in HOST_OR_URL_OPTIONS:
                found = url_problem(name, value, bare_host=True)
            elif leaf in HEADER_OPTIONS:
                found = header_problem(name, value)
            elif leaf == 'bucket':
                found = bucket_problem(name, value)
            elif leaf in SEGMENT_OPTIONS:
                found = segment_problem(name, value)
            elif leaf in LABEL_OPTIONS:
                found = label_problem(name, value)
        path_kind = path_kinds.get(leaf, PATH_KINDS.get(leaf)) if not prefix else PATH_KINDS.get(leaf)
        if kind == 'path' and path_kind:
            found = path_problem(name, value, path_kind)
        if kind == 'list' and option_spec.get('elements') == 'str' and leaf in USER_LIST_OPTIONS:
            # Imported here: only the user modules have such lists (see module_runner.mas_user_api).
            from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import (  # pylint: disable=import-outside-toplevel
                id_problem)
            found = next(('%s[%d] %s' % (name, i, id_problem(v)) for i, v in enumerate(value) if id_problem(v)), None)
        if kind == 'list' and option_spec.get('elements') == 'path' and path_kind:
            found = next((p for p in (path_problem('%s[%d]' % (name, i), v, path_kind) for i, v in enumerate(value))
                          if p), None)
        if found:
            problems.append(found)
        if option_spec.get('options'):
            items = value if isinstance(value, list) else [value]
            raw_items = given if isinstance(given, list) else [given] * len(items)
            for index, item in enumerate(items):
                label = '%s[%d].' % (name, index) if isinstance(value, list) else name + '.'
                _walk(option_spec['options'], item, raw_items[index] if index < len(raw_items) else None, label,
                      {}, problems)


def input_problems(argument_spec, params, path_kinds=None, raw=None):
    """Every problem of the module's parameters that the collection's rules find, all at once (pure but for the
    file system checks of path options): NUL bytes, lists given for text, numbers out of range, URL schemes,
    header-unsafe keys, bucket names, URL path segments, and paths of the wrong kind."""
    problems = []
    _walk(argument_spec, params, _raw_args() if raw is None else raw, '', path_kinds or {}, problems)
    return problems


def _not_mappings(argument_spec, raw, prefix=''):
    """The options (sub-options too) that must be mappings, or lists of mappings, and are not."""
    found = []
    for option, option_spec in argument_spec.items():
        value = raw.get(option) if isinstance(raw, dict) else None
        if value is None:
            continue
        name = prefix + option
        wants_dict = option_spec.get('type') == 'dict'
        wants_dicts = option_spec.get('type', 'str') == 'list' and option_spec.get('elements') == 'dict'
        if wants_dict and not isinstance(value, dict):
            found.append('%s must be a mapping, not %s' % (name, type(value).__name__))
        elif wants_dicts and isinstance(value, list) and any(not isinstance(item, dict) for item in value):
            found.append('every item of %s must be a mapping' % name)
        elif option_spec.get('options'):
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                found += _not_mappings(option_spec['options'], item, '%s[%d].' % (name, index) if isinstance(value, list)
                                       else name + '.')
    return found


class CheckedModule(basic.AnsibleModule):
    """An AnsibleModule that also applies the collection's input checks (check_inputs) before anything else.

    Ansible's own message for a list or a text given where a mapping is expected ("dictionary requested, could not
    parse JSON or key=value") names no option; this one says which.
    """

    def __init__(self, *args, **kwargs):
        path_kinds = kwargs.pop('path_kinds', None)
        super(CheckedModule, self).__init__(*args, **kwargs)
        check_inputs(self, path_kinds)

    def fail_json(self, msg, **kwargs):
        if 'dictionary requested' in str(msg) and hasattr(self, 'argument_spec'):
            named = _not_mappings(self.argument_spec, _raw_args())
            if named:
                msg = '; '.join(named)
        super(CheckedModule, self).fail_json(msg=msg, **kwargs)


def check_inputs(module, path_kinds=None):
    """Fail the module (nothing sent, nothing written) when input_problems() finds anything."""
    problems = input_problems(module.argument_spec, module.params, path_kinds)
    if problems:
        module.fail_json(msg='; '.join(problems) + ' (nothing was done)')
