# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A light module loads only what it uses: every module process compiles the sources it imports (AnsiballZ ships
no bytecode), and that is most of a light task's cost (make bench-overhead). The user, integrity-checker and
MAS-API code is imported where it is used, not by the shared runner and option specs."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

PREFIX = 'ansible_collections.mas.dedicated.plugins.'
LOADED = ('import json, sys; import %s; '
          'print(json.dumps(sorted(m for m in sys.modules if m.startswith("ansible_collections.mas.dedicated."))))')


def loaded_by(module):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, '-c', LOADED % (PREFIX + module)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return set(name[len(PREFIX):] for name in json.loads(out))


NOT_NEEDED = {'module_utils.users.mas_api', 'module_utils.users.user_limits', 'module_utils.tools.integrity_checker',
              'module_utils.common.progress'}


@pytest.mark.parametrize('module', ['modules.tools_log_info', 'modules.manage_server'])
def test_a_light_module_does_not_load_the_user_or_integrity_checker_code(module):
    loaded = loaded_by(module)
    assert 'module_utils.common.module_runner' in loaded   # the check would pass vacuously otherwise
    assert sorted(loaded & NOT_NEEDED) == []


def test_the_user_code_is_still_loaded_where_it_is_used():
    assert 'module_utils.users.mas_api' in loaded_by('modules.mas_user')
    assert 'module_utils.tools.integrity_checker' in loaded_by('modules.integrity_checker')
