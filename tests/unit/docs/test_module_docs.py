# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ansible-doc shows of each module holds: EXAMPLES use only options the module takes, action groups are meta/runtime.yml's.

The options come from the module's own argument spec as ansible-doc shows it (doc fragments merged), so an example
naming a removed or misspelt option fails here rather than in a user's play.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os

import pytest
import yaml

from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py')))
# Task keywords that are not module options.
KEYWORDS = {'name', 'register', 'when', 'loop', 'loop_control', 'vars', 'check_mode', 'diff', 'delegate_to',
            'run_once', 'no_log', 'environment', 'tags', 'become', 'ignore_errors', 'changed_when', 'failed_when',
            'until', 'retries', 'delay', 'throttle', 'module_defaults', 'async', 'poll', 'notify', 'args'}


def options_of(path):
    doc = get_docstring(path, fragment_loader, verbose=False, collection_name='mas.dedicated', is_module=True)[0]
    names = set()
    for name, option in (doc.get('options') or {}).items():
        names.add(name)
        names.update(option.get('aliases') or [])
    return names


def example_tasks(path):
    examples = get_docstring(path, fragment_loader, verbose=False, collection_name='mas.dedicated',
                             is_module=True)[1]
    tasks = yaml.safe_load(examples) or []
    for task in tasks:
        for block in ('block', 'rescue', 'always'):
            yield from task.get(block, [])
        yield task


@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_examples_use_only_options_the_module_takes(path):
    module = 'mas.dedicated.' + os.path.basename(path)[:-3]
    options = options_of(path)
    used = [task for task in example_tasks(path) if module in task]
    assert used, '%s: no example task calls %s' % (os.path.basename(path), module)
    for task in used:
        args = task[module]
        assert isinstance(args, dict), '%s: arguments of %s are not a mapping' % (os.path.basename(path), task.get('name'))
        unknown = set(args) - options
        assert not unknown, '%s example %r uses %s, which the module does not take' % (
            os.path.basename(path), task.get('name'), ', '.join(sorted(unknown)))
        assert not set(task) - KEYWORDS - {module}, task.get('name')


def test_the_check_sees_a_wrong_option(tmp_path):
    """The same check on a module whose example names an option that does not exist."""
    source = open(os.path.join(ROOT, 'plugins', 'modules', 'cos_object_info.py'), encoding='utf-8').read()
    broken = tmp_path / 'cos_object_info.py'
    broken.write_text(source.replace("EXAMPLES = r'''\n", "EXAMPLES = r'''\n- name: Broken\n  mas.dedicated.cos_object_info:\n"
                                     "    bucket: x\n    part_size_mb: 8\n", 1))
    tasks = [t for t in example_tasks(str(broken)) if 'mas.dedicated.cos_object_info' in t]
    assert set(tasks[0]['mas.dedicated.cos_object_info']) - options_of(str(broken)) == {'part_size_mb'}


def runtime_groups():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        groups = yaml.safe_load(handle).get('action_groups') or {}
    found = {}
    for group, members in groups.items():
        for member in members:
            if isinstance(member, str):
                found.setdefault(member, set()).add('mas.dedicated.' + group)
    return found


@pytest.mark.parametrize('path', MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_docs_name_the_action_groups_of_meta_runtime(path):
    """What ansible-doc says under action_group is what module_defaults does (meta/runtime.yml)."""
    doc = get_docstring(path, fragment_loader, verbose=False, collection_name='mas.dedicated', is_module=True)[0]
    documented = set(((doc.get('attributes') or {}).get('action_group') or {}).get('membership') or [])
    module = os.path.basename(path)[:-3]
    assert documented == runtime_groups().get(module, set()), module
    if module == 'rclone_remote':
        # It looks like a COS module but is in no group: its docs say why.
        notes = ' '.join(doc.get('notes') or [])
        assert 'Not a member of the C(mas.dedicated.cos) action group' in notes
