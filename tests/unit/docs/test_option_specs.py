# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One option spec per doc fragment, and every module's spec built from the fragments its docs extend.

validate-modules compares a module's merged docs with its argument spec, but not where an option comes from. Here:
each doc fragment that documents options has exactly one spec in options.SPECS (same name, same options, types,
defaults, choices, aliases); each module takes, by name, exactly the specs of the mas.dedicated fragments it extends
and no others; a fragment's option reaches the module unchanged unless the module names it in ``overrides``; and
an option documented as never shown is no_log in the spec, the one source of the secrets the runner masks.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ast
import glob
import importlib
import os

import pytest
import yaml

from ansible.module_utils import basic

from ansible_collections.mas.dedicated.plugins.module_utils.common import options

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py')))
FRAGMENT_FILES = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'doc_fragments', '*.py')))
PREFIX = 'mas.dedicated.'


def _docs(path):
    """The YAML strings assigned at the top of a Python file (upper-case names), without importing it."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper() and target.id != 'EXAMPLES':
                    found[target.id] = node.value.value
    return found


def fragment_options():
    """{fragment name as a module extends it, without mas.dedicated.: its documented options} (options only)."""
    found = {}
    for path in FRAGMENT_FILES:
        base = os.path.basename(path)[:-3]
        if base == '__init__':
            continue
        for attribute, text in _docs(path).items():
            name = base if attribute == 'DOCUMENTATION' else '%s.%s' % (base, attribute.lower())
            documented = (yaml.safe_load(text) or {}).get('options') or {}
            if documented:
                found[name] = documented
    return found


FRAGMENTS = fragment_options()


def extended(path):
    """The mas.dedicated fragments with options that the module's docs extend."""
    doc = yaml.safe_load(_docs(path)['DOCUMENTATION'])
    names = [n[len(PREFIX):] for n in doc.get('extends_documentation_fragment') or [] if n.startswith(PREFIX)]
    return [n for n in names if n.lower() in FRAGMENTS]


def module_doc_options(path):
    return yaml.safe_load(_docs(path)['DOCUMENTATION']).get('options') or {}


class _Built(Exception):
    def __init__(self, spec):
        super(_Built, self).__init__('argument spec built')
        self.spec = spec


def built_spec(monkeypatch, path):
    """(the argument spec the module's main() gives AnsibleModule, [the argument_spec() calls it made])."""
    module = importlib.import_module('ansible_collections.mas.dedicated.plugins.modules.' + os.path.basename(path)[:-3])
    if not hasattr(module, 'main'):
        return None, []
    calls = []

    def recording(*parts, **own):
        calls.append((parts, dict(own.get('overrides') or {})))
        return options.argument_spec(*parts, **own)

    def capture(self, argument_spec=None, *args, **kwargs):  # pylint: disable=unused-argument
        raise _Built(argument_spec)

    if hasattr(module, 'argument_spec'):
        monkeypatch.setattr(module, 'argument_spec', recording)
    monkeypatch.setattr(basic.AnsibleModule, '__init__', capture)
    with pytest.raises(_Built) as built:
        module.main()
    return built.value.spec, calls


def _type(option):
    return option.get('type') or 'str'


# ---- fragment <-> spec ----------------------------------------------------------------------------------------------

def test_every_fragment_with_options_has_one_spec_and_every_spec_a_fragment():
    assert set(FRAGMENTS) == set(options.SPECS)


@pytest.mark.parametrize('name', sorted(options.SPECS))
def test_the_spec_is_named_after_its_fragment(name):
    assert getattr(options, name.upper().replace('.', '_') + '_SPEC') is options.SPECS[name]


@pytest.mark.parametrize('name', sorted(FRAGMENTS))
def test_the_fragment_documents_its_spec(name):
    documented, spec = FRAGMENTS[name], options.SPECS[name]
    assert set(documented) == set(spec), name
    for option, doc in documented.items():
        declared = spec[option]
        where = '%s: %s' % (name, option)
        assert _type(doc) == _type(declared), where
        assert doc.get('default') == declared.get('default'), where
        assert doc.get('choices') == declared.get('choices'), where
        assert sorted(doc.get('aliases') or []) == sorted(declared.get('aliases') or []), where
        assert doc.get('elements') == declared.get('elements'), where
        assert bool(doc.get('required')) == bool(declared.get('required')), where


# ---- module <-> fragments -------------------------------------------------------------------------------------------

@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_the_module_takes_the_specs_of_the_fragments_it_extends(monkeypatch, path):
    spec, calls = built_spec(monkeypatch, path)
    fragments = extended(path)
    if spec is None:
        assert not fragments, 'a module without main() extends option fragments'
        return
    named = [part for parts, dummy in calls for part in parts if isinstance(part, str)]
    assert sorted(named) == sorted(set(named)), 'a fragment named twice: %s' % named
    assert sorted(named) == sorted(fragments), 'docs extend %s but the spec is built from %s' % (fragments, named)
    overridden = set(name for dummy, overrides in calls for name in overrides)
    for fragment in fragments:
        for option, declared in options.SPECS[fragment].items():
            assert option in spec, '%s: %s' % (fragment, option)
            if option not in overridden:
                assert spec[option] == declared, '%s changes %s of %s without overrides' % (path, option, fragment)


@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_an_option_documented_as_never_shown_is_no_log(monkeypatch, path):
    spec, dummy = built_spec(monkeypatch, path)
    if spec is None:
        return
    documented = dict(module_doc_options(path))
    for fragment in extended(path):
        documented.update(FRAGMENTS[fragment])

    def walk(docs, declared, prefix):
        for name, doc in docs.items():
            text = ' '.join(doc.get('description') or []) if isinstance(doc.get('description'), list) \
                else str(doc.get('description') or '')
            option = declared.get(name) or {}
            if 'never shown' in text.lower():
                assert option.get('no_log') is True, '%s%s is documented as never shown but not no_log' % (prefix, name)
            if doc.get('suboptions'):
                walk(doc['suboptions'], option.get('options') or {}, prefix + name + '.')
    walk(documented, spec, os.path.basename(path) + ': ')


# ---- the secrets are the no_log options -----------------------------------------------------------------------------

def test_secret_options_are_the_no_log_options_of_the_specs():
    no_log = set(name for spec in options.SPECS.values() for name, option in spec.items() if option.get('no_log'))
    assert set(options.SECRET_OPTIONS) == no_log
    assert {'api_key', 'mas_api_key', 'access_key_id', 'secret_access_key', 'password'} <= no_log


def _fill(spec, prefix=''):
    """Params that give every no_log option (sub-options too) a value of its own; the values expected back."""
    params, secrets = {}, []
    for name, option in spec.items():
        if option.get('no_log'):
            value = 'secret-%s%s' % (prefix, name)
            params[name] = {'leaf': value} if _type(option) == 'dict' else value
            secrets.append(value)
        elif option.get('options'):
            inner, found = _fill(option['options'], prefix + name + '.')
            if found:
                params[name] = [inner] if _type(option) == 'list' else inner
                secrets += found
    return params, secrets


@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_the_secrets_of_a_module_are_its_no_log_options(monkeypatch, path):
    spec, dummy = built_spec(monkeypatch, path)
    if spec is None:
        return
    params, secrets = _fill(spec)
    assert sorted(options.secrets_from(params, spec)) == sorted(secrets)
