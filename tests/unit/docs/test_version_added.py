# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every version_added of the collection's docs agrees with galaxy.yml and the releases of changelogs/changelog.yaml.

A plugin (module, filter, inventory) names the release it first appeared in; so may each option, suboption and
return value, of doc fragments and role argument specs too. A value is either a released version (in
changelog.yaml) or the version being released (galaxy.yml), and never newer than galaxy.yml: for 1.0.0, the first
release, every value is 1.0.0.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ast
import glob
import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def load_yaml(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def galaxy_version():
    return load_yaml(os.path.join(ROOT, 'galaxy.yml'))['version']


def released_versions():
    changes = load_yaml(os.path.join(ROOT, 'changelogs', 'changelog.yaml')) or {}
    return set((changes.get('releases') or {}).keys())


def semver(text):
    parts = str(text).split('.')
    assert len(parts) == 3 and all(p.isdigit() for p in parts), 'not a version X.Y.Z: %r' % (text,)
    return tuple(int(p) for p in parts)


def python_docs(path):
    """The YAML doc strings (DOCUMENTATION, RETURN ...) assigned anywhere in a Python file, without importing it."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    fragment = os.sep + 'doc_fragments' + os.sep in path
    docs = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if not isinstance(target, ast.Name) or target.id == 'EXAMPLES':
                    continue
                if target.id in ('DOCUMENTATION', 'RETURN') or (fragment and target.id.isupper()):
                    docs[target.id] = yaml.safe_load(node.value.value)
    return docs


def plugin_docs():
    """(name, kind, documentation, return docs) of every plugin and doc fragment."""
    found = []
    for kind in ('modules', 'inventory', 'doc_fragments', 'filter', 'lookup', 'callback', 'action', 'test'):
        for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', kind, '*.py'))):
            if os.path.basename(path) == '__init__.py':
                continue
            docs = python_docs(path)
            if kind == 'doc_fragments':
                for name, doc in docs.items():
                    found.append(('%s %s.%s' % (kind, os.path.basename(path), name), kind, doc, None))
            elif 'DOCUMENTATION' in docs:
                found.append(('%s %s' % (kind, os.path.basename(path)), kind, docs['DOCUMENTATION'], docs.get('RETURN')))
        for path in sorted(glob.glob(os.path.join(ROOT, 'plugins', kind, '*.yml'))):
            data = load_yaml(path)
            found.append(('%s %s' % (kind, os.path.basename(path)), kind, data['DOCUMENTATION'], data.get('RETURN')))
    return found


def role_specs():
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'meta', 'argument_specs.yml'))):
        role = path.split(os.sep)[-3]
        for entry, spec in (load_yaml(path).get('argument_specs') or {}).items():
            found.append(('role %s:%s' % (role, entry), spec))
    return found


def version_values(node, where):
    """Every version_added below node (options, suboptions, return values and their contains)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'version_added':
                yield where, value
            else:
                yield from version_values(value, '%s.%s' % (where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from version_values(value, '%s[%d]' % (where, index))


def everything():
    values = []
    for name, dummy, doc, returns in plugin_docs():
        values.extend(version_values(doc, name))
        values.extend(version_values(returns, name + ' RETURN'))
    for name, spec in role_specs():
        values.extend(version_values(spec, name))
    return values


def test_galaxy_version_is_semver():
    semver(galaxy_version())


def test_the_collection_has_docs_to_check():
    kinds = set(kind for dummy, kind, dummy2, dummy3 in plugin_docs())
    assert {'modules', 'filter', 'inventory', 'doc_fragments'} <= kinds
    assert len(role_specs()) >= 5


@pytest.mark.parametrize('name, kind, doc', [(n, k, d) for n, k, d, dummy in plugin_docs() if k != 'doc_fragments'])
def test_every_plugin_says_when_it_was_added(name, kind, doc):
    assert 'version_added' in doc, '%s has no version_added' % name


@pytest.mark.parametrize('where, value', everything())
def test_version_added_is_released_or_this_release(where, value):
    """Not newer than galaxy.yml, and either an existing release or the one being made (str, so 1.10 != 1.1)."""
    assert isinstance(value, str), '%s: version_added %r must be a string' % (where, value)
    current = galaxy_version()
    assert semver(value) <= semver(current), '%s: version_added %s is newer than galaxy.yml %s' % (where, value, current)
    allowed = released_versions() | {current}
    assert value in allowed, '%s: version_added %s is neither a release (%s) nor this one (%s)' % (
        where, value, ', '.join(sorted(released_versions())) or 'none yet', current)


def test_first_release_is_one_point_oh():
    """Nothing was released before 1.0.0: when it is the first release, every version_added says 1.0.0."""
    releases = released_versions() | {galaxy_version()}
    if min(releases, key=semver) == '1.0.0':
        assert all(value == '1.0.0' for dummy, value in everything())


# Sections that describe a change against an earlier release: a first release has nothing to fix or break.
SECTIONS_AGAINST_A_RELEASE = ('breaking_changes', 'bugfixes', 'deprecated_features', 'removed_features')


def pending_fragments():
    found = {}
    for path in glob.glob(os.path.join(ROOT, 'changelogs', 'fragments', '*.y*ml')):
        found[os.path.basename(path)] = load_yaml(path) or {}
    return found


def test_the_first_release_notes_fix_and_break_nothing():
    """1.0.0 is the first release: its notes (released and still in fragments) have no bugfixes or breaking changes.

    Write what a fragment of unreleased work describes as what 1.0.0 does (minor_changes or known_issues).
    """
    changes = load_yaml(os.path.join(ROOT, 'changelogs', 'changelog.yaml')) or {}
    first = (changes.get('releases') or {}).get('1.0.0', {}).get('changes', {})
    assert not [s for s in SECTIONS_AGAINST_A_RELEASE if s in first]
    if galaxy_version() == '1.0.0':
        wrong = dict((name, [s for s in SECTIONS_AGAINST_A_RELEASE if s in data])
                     for name, data in pending_fragments().items())
        assert not dict((name, sections) for name, sections in wrong.items() if sections), wrong
