# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sample AWX project (docs/awx/project) holds together: what configure_awx.yml would create is what AWX accepts.

The survey rules are AWX's own (JobTemplateSurveySpec._validate_spec_data in awx/api/views, and the survey spec
page of its API): name and description strings, a non-empty spec list, each question with string type,
question_name and variable and a boolean required, unique variables, a known type, a default of the type's kind,
integer min/max, choices for the choice types and defaults among them (one for multiplechoice). make awx-lint checks
the module options against awx.awx itself.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
PROJECT = os.path.join(ROOT, 'docs', 'awx', 'project')
# AWX's survey question types and the Python type a default must have.
SURVEY_TYPES = {'text': str, 'textarea': str, 'password': str, 'multiplechoice': str, 'multiselect': str,
                'integer': int, 'float': (float, int)}
# AWX's own credential types the sample uses.
BUILT_IN_TYPES = {'Vault'}
# Added by the credential-type work in parallel (docs/awx/credential_types/): the sample references it by name.
PENDING_TYPES = {'MAS Dedicated DB2'}


def load(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


DEFINITIONS = load(os.path.join(PROJECT, 'setup', 'awx_definitions.yml'))
TEMPLATES = DEFINITIONS['awx_job_templates']


def credential_types():
    types = {}
    for path in glob.glob(os.path.join(ROOT, 'docs', 'awx', 'credential_types', '*.yml')):
        definition = load(path)
        types[definition['name']] = set(field['id'] for field in definition['inputs']['fields'])
    return types


def survey_problems(spec):
    """AWX's survey spec validation, as a list of problems (empty: AWX accepts it)."""
    problems = []
    for field, kind in (('name', str), ('description', str), ('spec', list)):
        if not isinstance(spec.get(field), kind):
            problems.append('%s must be a %s' % (field, kind.__name__))
    if problems:
        return problems
    if not spec['spec']:
        return ["'spec' doesn't contain any items"]
    seen = set()
    for index, item in enumerate(spec['spec']):
        for field in ('type', 'question_name', 'variable', 'required'):
            if field not in item:
                problems.append('question %d: %s missing' % (index, field))
            elif not isinstance(item[field], bool if field == 'required' else str):
                problems.append('question %d: %s has the wrong type' % (index, field))
        if problems:
            continue
        if item['variable'] in seen:
            problems.append('question %d: variable %s duplicated' % (index, item['variable']))
        seen.add(item['variable'])
        qtype = item['type']
        if qtype not in SURVEY_TYPES:
            problems.append('question %d: type %s unknown' % (index, qtype))
            continue
        default = item.get('default', '')
        if default != '' and not isinstance(default, SURVEY_TYPES[qtype]):
            problems.append('question %d: default %r is not a %s' % (index, default, qtype))
        for key in ('min', 'max'):
            if item.get(key) is not None and not isinstance(item[key], int):
                problems.append('question %d: %s must be an integer' % (index, key))
        if qtype in ('multiplechoice', 'multiselect'):
            if 'choices' not in item:
                problems.append('question %d: %s needs choices' % (index, qtype))
                continue
            choices = item['choices'].splitlines() if isinstance(item['choices'], str) else item['choices']
            defaults = [d for d in default.splitlines() if d.strip()] if isinstance(default, str) else default
            if qtype == 'multiplechoice' and len(defaults) > 1:
                problems.append('question %d: one default only' % index)
            if any(d not in choices for d in defaults):
                problems.append('question %d: default not among the choices' % index)
        if qtype in ('integer', 'float') and default != '':
            if item.get('min') is not None and default < item['min'] or (
                    item.get('max') is not None and default > item['max']):
                problems.append('question %d: default outside min/max' % index)
    return problems


def survey_of(template):
    """The survey_spec configure_awx.yml builds for a template."""
    return {'name': template['name'], 'description': '', 'spec': template['survey']}


def test_the_survey_check_refuses_what_awx_refuses():
    good = {'name': 'x', 'description': '', 'spec': [
        {'type': 'multiplechoice', 'question_name': 'Mode', 'variable': 'mode', 'required': True,
         'choices': ['report', 'repair'], 'default': 'report'}]}
    assert survey_problems(good) == []
    assert survey_problems(dict(good, spec=[])) == ["'spec' doesn't contain any items"]
    wrong_default = dict(good['spec'][0], default='fix')
    assert survey_problems(dict(good, spec=[wrong_default])) == ['question 0: default not among the choices']
    twice = [good['spec'][0], dict(good['spec'][0], question_name='Again')]
    assert survey_problems(dict(good, spec=twice)) == ['question 1: variable mode duplicated']
    assert survey_problems(dict(good, spec=[dict(good['spec'][0], type='checkbox')])) == ['question 0: type checkbox unknown']
    assert survey_problems(dict(good, spec=[{'type': 'integer', 'question_name': 'n', 'variable': 'n', 'required': True,
                                             'default': '3'}])) == ["question 0: default '3' is not a integer"]


@pytest.mark.parametrize('template', [t for t in TEMPLATES if 'survey' in t], ids=lambda t: t['name'])
def test_every_survey_is_one_awx_accepts(template):
    assert survey_problems(survey_of(template)) == []


@pytest.mark.parametrize('template', TEMPLATES, ids=lambda t: t['name'])
def test_job_templates_name_project_playbooks_and_defined_credentials(template):
    assert os.path.isfile(os.path.join(PROJECT, template['playbook'])), template['playbook']
    defined = set(c['name'] for c in DEFINITIONS['awx_credentials'])
    assert set(template['credentials']) <= defined
    assert template.get('job_type', 'run') in ('run', 'check')


def test_survey_variables_are_role_variables():
    """A survey answer is an extra var the playbook's role documents (a typo would be ignored silently)."""
    for template in TEMPLATES:
        playbook = load(os.path.join(PROJECT, template['playbook']))[0]['ansible.builtin.import_playbook']
        name = playbook.split('.')[-1]
        known = set()
        collection_playbook = load(os.path.join(ROOT, 'playbooks', name + '.yml'))[0]
        for role in collection_playbook.get('roles', []):
            spec = load(os.path.join(ROOT, 'roles', role['role'].split('.')[-1], 'meta', 'argument_specs.yml'))
            known |= set(spec['argument_specs']['main']['options'])
        text = open(os.path.join(ROOT, 'playbooks', name + '.yml'), encoding='utf-8').read()
        known |= set(re.findall(r'\b([a-z_]+) \| default', text))
        for variable in [q['variable'] for q in template.get('survey', [])] + list(template.get('extra_vars', {})):
            assert variable in known, '%s: %s is not a variable of %s' % (template['name'], variable, playbook)


def test_credentials_reference_types_by_name_with_their_fields():
    types = credential_types()
    for credential in DEFINITIONS['awx_credentials']:
        name = credential['credential_type']
        if name in BUILT_IN_TYPES or (name in PENDING_TYPES and name not in types):
            continue
        assert name in types, '%s: no credential type named %s' % (credential['name'], name)
        assert set(credential['inputs']) <= types[name], credential['name']


def test_project_playbooks_import_the_collection_playbooks():
    for path in glob.glob(os.path.join(PROJECT, '*.yml')):
        target = load(path)[0]['ansible.builtin.import_playbook']
        assert target.startswith('mas.dedicated.')
        assert os.path.isfile(os.path.join(ROOT, 'playbooks', target.split('.')[-1] + '.yml'))


def test_requirements_install_this_release():
    wanted = load(os.path.join(PROJECT, 'collections', 'requirements.yml'))['collections']
    entry = [c for c in wanted if c['name'] == 'mas.dedicated'][0]
    version = tuple(int(p) for p in load(os.path.join(ROOT, 'galaxy.yml'))['version'].split('.'))
    low, high = re.match(r'>=([0-9.]+),<([0-9.]+)$', entry['version']).groups()
    assert tuple(int(p) for p in low.split('.')) <= version < tuple(int(p) for p in high.split('.'))


def test_the_gitops_workflow_installs_from_a_file_that_exists():
    workflow = open(os.path.join(ROOT, 'docs', 'gitops', 'github-workflow.yml'), encoding='utf-8').read()
    for path in re.findall(r'ansible-galaxy collection install -r (\S+)', workflow):
        assert os.path.isfile(os.path.join(ROOT, 'docs', 'gitops', path)), path


def test_the_project_inventory_is_the_sample_welcome_letter():
    assert load(os.path.join(PROJECT, 'inventory', 'acme.mas.yml')) == load(
        os.path.join(ROOT, 'docs', 'examples', 'inventory', 'acme.mas.yml'))
