# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One way to fail: a module raises RefusedError or ServiceError inside ``MasModule.run`` and the runner reports it.

A module that calls ``fail_json`` or ``.fail(`` itself must say why on the line before, in a comment that starts
with ``# fail here because``. The allow-list names the modules not yet on that road; it may only shrink.
The code under module_utils raises and never fails a task itself, but for the runner and the AnsibleModule.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ast
import glob
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py')))
MODULE_UTILS = sorted(glob.glob(os.path.join(ROOT, 'plugins', 'module_utils', '**', '*.py'), recursive=True))
REASON = '# fail here because'

# Modules that may still fail by hand (each call with a reason): none today.
# Remove a module from this list as soon as it has none left; the test below says when an entry is stale.
ALLOWED = frozenset()  # every module fails through the runner today

# The one place that turns errors into a failed task, and the AnsibleModule subclass that checks the arguments
# before the runner exists.
RUNNER = frozenset([
    os.path.join('common', 'module_runner.py'),
    os.path.join('common', 'options.py'),
])


def fail_calls(path):
    """Line numbers of the calls of ``fail_json`` or ``fail`` (as an attribute: ``mas.fail``, ``module.fail_json``)."""
    with open(path) as handle:
        source = handle.read()
    lines = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ('fail', 'fail_json'):
            lines.append(node.lineno)
    return sorted(lines), source.splitlines()


def unexplained(path):
    lines, text = fail_calls(path)
    return ['%s:%d: %s' % (os.path.basename(path), number, text[number - 1].strip()) for number in lines
            if number < 2 or not text[number - 2].strip().startswith(REASON)]


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


@pytest.mark.parametrize('path', [p for p in MODULES if name_of(p) not in ALLOWED], ids=name_of)
def test_a_module_fails_through_the_runner_or_says_why(path):
    found = unexplained(path)
    assert not found, ('raise RefusedError/ServiceError inside mas.run instead, or put "%s ..." on the line '
                       'before: %s' % (REASON, '; '.join(found)))


@pytest.mark.parametrize('path', [p for p in MODULE_UTILS
                                  if os.path.relpath(p, os.path.join(ROOT, 'plugins', 'module_utils')) not in RUNNER],
                         ids=lambda p: os.path.relpath(p, os.path.join(ROOT, 'plugins', 'module_utils')))
def test_module_utils_raise_and_leave_failing_to_the_runner(path):
    found = unexplained(path)
    assert not found, 'raise RefusedError/ServiceError; MasModule.run reports it: %s' % '; '.join(found)


def test_the_runner_is_found():
    assert all(os.path.exists(os.path.join(ROOT, 'plugins', 'module_utils', name)) for name in RUNNER)
    assert fail_calls(os.path.join(ROOT, 'plugins', 'module_utils', 'common', 'module_runner.py'))[0]


def test_the_allow_list_holds_no_stale_entry():
    for name in sorted(ALLOWED):
        path = os.path.join(ROOT, 'plugins', 'modules', name + '.py')
        assert os.path.exists(path), '%s is in ALLOWED but is no module' % name
        assert unexplained(path), '%s no longer fails by hand: remove it from ALLOWED' % name


def test_the_check_sees_a_call_and_accepts_a_reason(tmp_path):
    bare = tmp_path / 'bare.py'
    bare.write_text(u"def main(mas):\n    mas.fail('no')\n    mas.module.fail_json(msg='no')\n")
    assert len(unexplained(str(bare))) == 2
    explained = tmp_path / 'explained.py'
    explained.write_text(u"def main(mas):\n    %s the runner does not exist yet\n    mas.fail('no')\n"
                         u"    x = 'mas.fail(in a string)'  # mas.fail( in a comment\n" % REASON)
    assert unexplained(str(explained)) == []
