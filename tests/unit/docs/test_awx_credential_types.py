# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential types under docs/awx: valid for AWX, and what AWX injects from them is what the modules need.

AWX's rules are modelled here from its source (ansible/awx, awx/main/fields.py and awx/main/models/credential.py,
read at commit e21dd0a0, 2024-10-23) and written down as the rules themselves:

- a type is valid (CredentialTypeInputField, CredentialTypeInjectorField): the inputs and injectors schemas; field
  ids are identifiers, unique, not 'tower'; a field without 'type' is a string; a 'default' has the field's type;
  'choices', 'multiline', 'format' and 'secret' are for string fields only; 'dependencies' is refused for custom
  types; env variable names are identifiers, values ASCII, not ANSIBLE_* nor in ENV_BLOCKLIST; file injectors are
  'template' or 'template.<name>', not both; every template renders with StrictUndefined when each field is the text
  'EXAMPLE' and tower.filename(.<name>) is a file name (anything else under 'tower' is an error);
- a credential's inputs are valid (CredentialInputField): only declared fields, of their type, a choice among
  'choices'; a value that is null, '' or false is replaced by the type's default_for_field (the first choice, '' or
  False), never by the field's own 'default' (which only pre-fills the UI form);
- a job starts only when every 'required' field has a value that is neither '' nor null (UnifiedJob.pre_start);
- injection (CredentialType.inject_credential): the namespace holds the credential's own inputs (text only when not
  empty, booleans as they are); every boolean field the credential does not have is False; file templates are
  rendered into files first (tower.filename.<name>); env templates render with a sandboxed Jinja environment whose
  undefined values are empty; blocked variables are left out.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os
import re

import pytest
import yaml
from jinja2 import StrictUndefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_collections.mas.dedicated.tests.unit.plugins.modules.conftest import (  # noqa: F401 pylint: disable=unused-import
    no_network, run_module)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
TYPES = sorted(glob.glob(os.path.join(ROOT, 'docs', 'awx', 'credential_types', '*.yml')))
SECRET_ID = re.compile(r'(key|secret|password)')
IDENTIFIER = re.compile(r'^[a-zA-Z_]+[a-zA-Z0-9_]*$')
FILE_LABEL = re.compile(r'^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$')
# awx/main/constants.py ENV_BLOCKLIST
ENV_BLOCKLIST = frozenset((
    'VIRTUAL_ENV', 'PATH', 'PYTHONPATH', 'JOB_ID', 'INVENTORY_ID', 'INVENTORY_SOURCE_ID', 'INVENTORY_UPDATE_ID',
    'AD_HOC_COMMAND_ID', 'REST_API_URL', 'REST_API_TOKEN', 'MAX_EVENT_RES', 'CALLBACK_QUEUE', 'CALLBACK_CONNECTION',
    'CACHE', 'JOB_CALLBACK_DEBUG', 'INVENTORY_HOSTVARS', 'AWX_HOST', 'PROJECT_REVISION', 'SUPERVISOR_CONFIG_PATH'))
FIELD_KEYS = ('type', 'format', 'choices', 'id', 'label', 'help_text', 'multiline', 'secret', 'ask_at_runtime',
              'default')
# The environment type as it was before: a boolean 'production' with default true, injected as it is.
OLD_ENVIRONMENT_TYPE = {
    'name': 'MAS Dedicated environment', 'kind': 'cloud',
    'inputs': {'fields': [{'id': 'instance', 'type': 'string', 'label': 'Instance name'},
                          {'id': 'production', 'type': 'boolean', 'label': 'Production', 'default': True},
                          {'id': 'api_key', 'type': 'string', 'label': 'Manage API key', 'secret': True}],
               'required': ['instance', 'api_key']},
    'injectors': {'env': {'MAS_INSTANCE': '{{ instance }}', 'MAS_PRODUCTION': '{{ production }}',
                          'MAS_API_KEY': '{{ api_key }}'}}}


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def load(name):
    return yaml.safe_load(read(os.path.join(ROOT, 'docs', 'awx', 'credential_types', name)))


# ---- AWX's rules --------------------------------------------------------------------------------------------------

class AwxRefused(Exception):
    """What AWX would answer with a validation error."""


def _fields(definition):
    return (definition.get('inputs') or {}).get('fields', [])


def awx_validate_type(definition):
    """Raise AwxRefused unless AWX would accept the credential type's inputs and injectors."""
    inputs, injectors = definition.get('inputs') or {}, definition.get('injectors') or {}
    if not isinstance(inputs, dict) or set(inputs) - {'fields', 'required', 'dependencies'}:
        raise AwxRefused('inputs: only fields and required')
    if 'dependencies' in inputs:
        raise AwxRefused("'dependencies' is not supported for custom credentials.")
    if not all(isinstance(r, str) for r in inputs.get('required', [])):
        raise AwxRefused('required: a list of strings')
    ids = set()
    for field in inputs.get('fields', []):
        if not isinstance(field, dict) or set(field) - set(FIELD_KEYS) or not {'id', 'label'} <= set(field):
            raise AwxRefused('field %r: only %s, with id and label' % (field, ', '.join(FIELD_KEYS)))
        if not isinstance(field['id'], str) or not IDENTIFIER.match(field['id']):
            raise AwxRefused('%s is an invalid variable name' % field['id'])
        for key in ('label', 'help_text'):
            if key in field and not isinstance(field[key], str):
                raise AwxRefused('%s of %s must be a string' % (key, field['id']))
        for key in ('multiline', 'secret', 'ask_at_runtime'):
            if key in field and not isinstance(field[key], bool):
                raise AwxRefused('%s of %s must be a boolean' % (key, field['id']))
        kind = field.get('type', 'string')
        if kind not in ('string', 'boolean'):
            raise AwxRefused('type of %s: string or boolean' % field['id'])
        if 'format' in field and field['format'] not in ('ssh_private_key', 'url'):
            raise AwxRefused('format of %s' % field['id'])
        if 'choices' in field:
            choices = field['choices']
            if not isinstance(choices, list) or not choices or len(set(choices)) != len(choices) \
                    or not all(isinstance(c, str) for c in choices):
                raise AwxRefused('choices of %s: unique strings, at least one' % field['id'])
        if field['id'] == 'tower':
            raise AwxRefused('"tower" is a reserved field name')
        if field['id'] in ids:
            raise AwxRefused('field IDs must be unique (%s)' % field['id'])
        ids.add(field['id'])
        if 'default' in field and not isinstance(field['default'], {'string': str, 'boolean': bool}[kind]):
            raise AwxRefused('{} is not a {}'.format(field['default'], kind))
        for key in ('choices', 'multiline', 'format', 'secret'):
            if key in field and kind != 'string':
                raise AwxRefused('%s not allowed for %s type (%s)' % (key, kind, field['id']))

    if not isinstance(injectors, dict) or set(injectors) - {'file', 'env', 'extra_vars'}:
        raise AwxRefused('injectors: only file, env and extra_vars')
    files = injectors.get('file', {})
    for label, template in files.items():
        if not FILE_LABEL.match(label) or not isinstance(template, str):
            raise AwxRefused('file injector %s' % label)
    for name, template in injectors.get('env', {}).items():
        if not IDENTIFIER.match(name) or not isinstance(template, str) or not re.match(r'^[\x00-\x7F]*$', template):
            raise AwxRefused('env injector %s' % name)
        if name.startswith('ANSIBLE_') or name in ENV_BLOCKLIST:
            raise AwxRefused('Environment variable %s is not allowed to be used in credentials.' % name)

    class Exploding(object):
        def __str__(self):
            raise UndefinedError('Must define unnamed file injector in order to reference `tower.filename`.')

    class Tower(object):
        def __init__(self):
            self.filename = Exploding()

        def __str__(self):
            raise UndefinedError('Cannot directly reference reserved `tower` namespace container.')

    namespace = dict((field['id'], 'EXAMPLE') for field in _fields(definition))
    namespace['tower'] = Tower()
    labels = [label for label in files if label.startswith('template')]
    if 'template' in labels:
        if len(labels) > 1:
            raise AwxRefused('Must use multi-file syntax when injecting multiple files')
        namespace['tower'].filename = 'EXAMPLE_FILENAME'
    else:
        for label in labels:
            setattr(namespace['tower'].filename, label.split('.')[1], 'EXAMPLE_FILENAME')
    strict = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind in ('file', 'env'):
        for key, template in injectors.get(kind, {}).items():
            try:
                strict.from_string(template).render(namespace)
            except UndefinedError as exc:
                raise AwxRefused('%s uses an undefined field (%s)' % (key, exc))


def default_for_field(definition, field_id):
    for field in _fields(definition):
        if field['id'] == field_id:
            if 'choices' in field:
                return field['choices'][0]
            return {'string': '', 'boolean': False}[field.get('type', 'string')]
    return None


def awx_create_credential(definition, inputs):
    """The inputs AWX stores for a new credential (or AwxRefused)."""
    stored = dict(inputs)
    for key in [k for k, v in stored.items() if not v]:
        default = default_for_field(definition, key)
        if default is not None:
            stored[key] = default
    fields = dict((field['id'], field) for field in _fields(definition))
    for key, value in stored.items():
        if key not in fields:
            raise AwxRefused('Additional properties are not allowed (%s was unexpected)' % key)
        field = fields[key]
        wanted = {'string': str, 'boolean': bool}[field.get('type', 'string')]
        if not isinstance(value, wanted):
            raise AwxRefused('%s provided in relative path [%s], expected %s' % (type(value).__name__, key,
                                                                                 field.get('type', 'string')))
        if field.get('choices') and value not in field['choices']:
            raise AwxRefused('%r is not one of %r' % (value, field['choices']))
    return stored


def awx_job_can_start(definition, stored):
    """UnifiedJob.pre_start: every required field has a value that is not '' or None."""
    defined = [field['id'] for field in _fields(definition)]
    missing = [r for r in definition['inputs'].get('required', []) if r in defined and stored.get(r) in ('', None)]
    return not missing


def awx_inject(definition, stored, private_dir):
    """The environment variables AWX gives the job for a credential with these stored inputs."""
    class Namespace(object):
        pass

    tower = Namespace()
    namespace = {'tower': tower}
    for key, value in stored.items():
        if isinstance(value, bool) or len(value):
            namespace[key] = value
    for field in _fields(definition):
        if field.get('type', 'string') == 'boolean' and field['id'] not in stored:
            namespace[field['id']] = False
    sandbox = ImmutableSandboxedEnvironment()
    for number, (label, template) in enumerate(sorted(definition['injectors'].get('file', {}).items())):
        path = os.path.join(private_dir, 'env', 'tmp%d' % number)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(sandbox.from_string(template).render(**namespace))
        if '.' not in label:
            tower.filename = path
        else:
            if not hasattr(tower, 'filename'):
                tower.filename = Namespace()
            setattr(tower.filename, label.split('.')[1], path)
    env = {}
    for name, template in definition['injectors'].get('env', {}).items():
        if name.startswith('ANSIBLE_') or name in ENV_BLOCKLIST:
            continue
        env[name] = sandbox.from_string(template).render(**namespace)
    return env


def module_params(monkeypatch, env, spec=None):
    """The parameters Ansible gives a module (its real argument spec with its env fallbacks) under ``env``."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible_collections.mas.dedicated.plugins.module_utils.common import options
    for name in [n for n in os.environ if n.startswith('MAS_')]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = spec or options.argument_spec('environment', 'connection', 'tls', 'transport', 'cos', 'db2', 'mas_api')
    result = ArgumentSpecValidator(spec).validate({})
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


# ---- the types are valid AWX credential types ---------------------------------------------------------------------

def test_there_are_credential_types():
    assert len(TYPES) >= 5


@pytest.mark.parametrize('path', TYPES, ids=os.path.basename)
def test_awx_accepts_the_type(path):
    definition = yaml.safe_load(read(path))
    assert definition['name'].startswith('MAS Dedicated ') and definition['kind'] == 'cloud'
    awx_validate_type(definition)
    assert set(definition['inputs'].get('required', [])) <= set(f['id'] for f in _fields(definition))


@pytest.mark.parametrize('broken, words', [
    ({'inputs': {'fields': [{'id': 'p', 'label': 'P', 'type': 'boolean', 'secret': True}]}}, 'secret not allowed'),
    ({'inputs': {'fields': [{'id': 'p', 'label': 'P', 'type': 'boolean', 'default': 'yes'}]}}, 'is not a boolean'),
    ({'inputs': {'fields': [{'id': 'tower', 'label': 'T'}]}}, 'reserved'),
    ({'inputs': {'fields': [{'id': 'a-b', 'label': 'A'}]}}, 'invalid variable name'),
    ({'inputs': {'fields': [{'id': 'a', 'label': 'A', 'choices': []}]}}, 'choices'),
    ({'injectors': {'env': {'X': '{{ nothing }}'}}}, 'undefined field'),
    ({'injectors': {'env': {'X': '{{ tower.filename }}'}}}, 'unnamed file injector'),
    ({'injectors': {'env': {'ANSIBLE_X': '{{ a }}'}}}, 'not allowed'),
    ({'injectors': {'env': {'PATH': '{{ a }}'}}}, 'not allowed'),
    ({'injectors': {'file': {'template': '{{ a }}', 'template.b': '{{ a }}'}}}, 'multi-file syntax'),
])
def test_the_schema_check_catches_what_awx_refuses(broken, words):
    # Guards the model itself: a check that accepted everything would make the test above vacuous.
    definition = {'name': 'x', 'kind': 'cloud', 'inputs': {'fields': [{'id': 'a', 'label': 'A'}]},
                  'injectors': {'env': {'X': '{{ a }}'}}}
    definition.update(broken)
    with pytest.raises(AwxRefused) as caught:
        awx_validate_type(definition)
    assert words in str(caught.value)


def env_vars_read():
    """Every name in a fallback list (env_fallback or the safe boolean fallbacks) of the collection's code."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, 'plugins', '**', '*.py'), recursive=True):
        for group in re.findall(r'fallback=\(\w+,\s*\[([^\]]*)\]', read(path)):
            names.update(re.findall(r"'([A-Z0-9_]+)'", group))
    return names


def documented_env_vars():
    """Every E(NAME) of the module docs and doc fragments."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, 'plugins', '**', '*.py'), recursive=True):
        names.update(re.findall(r'E\(([A-Z0-9_]+)\)', read(path)))
    return names


def test_the_scan_finds_the_known_fallbacks():
    # Guards the scan itself: if it found nothing, every injector check below would be vacuous.
    assert {'MAS_API_KEY', 'MAS_COS_SECRET_ACCESS_KEY', 'MAS_SMTP_PASSWORD', 'IBMCLOUD_API_KEY', 'MAS_PRODUCTION',
            'MAS_VALIDATE_CERTS', 'MAS_DB2_REPLICA'} <= env_vars_read()


@pytest.mark.parametrize('path', TYPES, ids=os.path.basename)
def test_every_injected_variable_is_read_and_documented(path):
    definition = yaml.safe_load(read(path))
    injected = set(definition['injectors']['env'])
    assert injected, 'no injectors'
    unknown = injected - env_vars_read()
    assert not unknown, '%s injects variables no module reads: %s' % (os.path.basename(path), sorted(unknown))
    undocumented = injected - documented_env_vars()
    assert not undocumented, 'not documented with E(...): %s' % sorted(undocumented)


@pytest.mark.parametrize('path', TYPES, ids=os.path.basename)
def test_secrets_are_marked_and_booleans_are_never_injected_as_they_are(path):
    definition = yaml.safe_load(read(path))
    for field in _fields(definition):
        if SECRET_ID.search(field['id']):
            assert field.get('secret') is True, '%s must be secret: true' % field['id']
        if field.get('type') == 'boolean':
            # AWX renders an unset boolean as False: '{{ flag }}' would inject 'False' for "no answer".
            for name, template in definition['injectors']['env'].items():
                assert not re.search(r'{{\s*%s\s*}}' % field['id'], template), '%s injects %s as it is' % (
                    name, field['id'])


def test_every_secret_variable_the_modules_read_has_a_credential_type():
    injected = set()
    for path in TYPES:
        injected.update(yaml.safe_load(read(path))['injectors']['env'])
    secrets = set(n for n in env_vars_read() if re.search(r'(KEY|SECRET|PASSWORD)', n))
    assert secrets <= injected, sorted(secrets - injected)
    assert {'MAS_WORKSPACE', 'MAS_VALIDATE_CERTS', 'MAS_CA_PATH', 'MAS_DB2_HOSTNAME', 'MAS_DB2_PORT',
            'MAS_DB2_DATABASE', 'MAS_DB2_USERNAME', 'MAS_DB2_PASSWORD', 'MAS_DB2_SSL_SERVER_CERTIFICATE',
            'MAS_DB2_REPLICA'} <= injected


# ---- what AWX injects is what the modules need ---------------------------------------------------------------------

def test_the_model_reproduces_the_old_trap(monkeypatch, tmp_path):
    # The previous type: a credential made without a 'production' answer injected MAS_PRODUCTION=False.
    awx_validate_type(OLD_ENVIRONMENT_TYPE)
    stored = awx_create_credential(OLD_ENVIRONMENT_TYPE, {'instance': 'acme', 'api_key': 'k'})
    env = awx_inject(OLD_ENVIRONMENT_TYPE, stored, str(tmp_path))
    assert env['MAS_PRODUCTION'] == 'False'
    assert module_params(monkeypatch, env)['production'] is False


@pytest.mark.parametrize('inputs', [
    {'instance': 'acme', 'api_key': 'k'},
    {'instance': 'acme', 'api_key': 'k', 'non_production': None},
    {'instance': 'acme', 'api_key': 'k', 'non_production': False},
    {'instance': 'acme', 'api_key': 'k', 'skip_tls_verify': False, 'workspace': '', 'ca_certificate': ''},
], ids=['no-answer', 'null', 'false', 'empty-answers'])
def test_a_credential_without_answers_is_production_and_verifies_tls(monkeypatch, tmp_path, inputs):
    definition = load('mas_dedicated_environment.yml')
    stored = awx_create_credential(definition, inputs)
    assert awx_job_can_start(definition, stored)
    env = awx_inject(definition, stored, str(tmp_path))
    assert env['MAS_PRODUCTION'] == 'true' and env['MAS_VALIDATE_CERTS'] == 'true' and env['MAS_CA_PATH'] == ''
    params = module_params(monkeypatch, env)
    assert params['production'] is True and params['validate_certs'] is True and not params['ca_path']
    assert params['workspace'] == ''
    from ansible_collections.mas.dedicated.plugins.module_utils.common.options import environment_from
    environment = environment_from(params)
    assert environment.production and environment.workspace == 'main'


def test_an_awx_credential_without_answers_makes_a_tools_module_refuse(run_module, no_network, monkeypatch,  # noqa: F811
                                                                       tmp_path):  # pylint: disable=redefined-outer-name
    from ansible_collections.mas.dedicated.plugins.modules import tools_log_info
    definition = load('mas_dedicated_environment.yml')
    env = awx_inject(definition, awx_create_credential(definition, {'instance': 'acme', 'api_key': 'k'}), str(tmp_path))
    module_params(monkeypatch, env)
    outcome = run_module(tools_log_info, {})
    assert outcome.failed and outcome.result['refused'] and outcome.result['environment']['production'] is True


def test_only_an_explicit_answer_lifts_production_or_tls(monkeypatch, tmp_path):
    definition = load('mas_dedicated_environment.yml')
    pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    stored = awx_create_credential(definition, {'instance': 'acme', 'api_key': 'k', 'non_production': True,
                                                'skip_tls_verify': True, 'workspace': 'ws1', 'ca_certificate': pem})
    env = awx_inject(definition, stored, str(tmp_path))
    params = module_params(monkeypatch, env)
    assert params['production'] is False and params['validate_certs'] is False and params['workspace'] == 'ws1'
    assert read(params['ca_path']) == pem


def test_awx_refuses_a_text_answer_for_the_boolean():
    definition = load('mas_dedicated_environment.yml')
    with pytest.raises(AwxRefused):
        awx_create_credential(definition, {'instance': 'acme', 'api_key': 'k', 'non_production': 'true'})


DB2 = {'hostname': 'replica.db.example.com', 'port': '50001', 'database': 'BLUDB', 'username': 'ro',
       'password': 'pw', 'ssl_server_certificate': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'}


def test_db2_without_a_replica_answer_is_not_the_replica(monkeypatch, tmp_path):
    definition = load('mas_dedicated_db2.yml')
    assert definition['name'] == 'MAS Dedicated DB2'
    stored = awx_create_credential(definition, DB2)
    assert awx_job_can_start(definition, stored)
    params = module_params(monkeypatch, awx_inject(definition, stored, str(tmp_path)))
    assert params['replica'] is False and params['port'] == 50001 and params['database'] == 'BLUDB'
    assert read(params['ssl_server_certificate']) == DB2['ssl_server_certificate']
    params = module_params(monkeypatch, awx_inject(definition, awx_create_credential(definition, dict(DB2, replica=True)),
                                                   str(tmp_path / 'second')))
    assert params['replica'] is True


@pytest.mark.parametrize('missing', sorted(DB2))
def test_db2_needs_every_connection_field_before_a_job_starts(missing):
    definition = load('mas_dedicated_db2.yml')
    inputs = dict(DB2)
    del inputs[missing]
    assert not awx_job_can_start(definition, awx_create_credential(definition, inputs))


@pytest.mark.parametrize('path', TYPES, ids=os.path.basename)
def test_the_fewest_answers_awx_starts_a_job_with_give_values_the_modules_accept(monkeypatch, tmp_path, path):
    # AWX renders an unset text field as '': every variable must still convert (an empty MAS_DB2_PORT would not).
    definition = yaml.safe_load(read(path))
    required = definition['inputs'].get('required', [])
    stored = awx_create_credential(definition, dict((name, 'x') if name != 'port' else (name, '1') for name in required))
    assert awx_job_can_start(definition, stored)
    env = awx_inject(definition, stored, str(tmp_path))
    params = module_params(monkeypatch, env)
    assert params['production'] is True and params['validate_certs'] is True and params['replica'] is False
