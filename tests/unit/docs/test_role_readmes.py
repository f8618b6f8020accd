# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every role has the README galaxy-importer requires, naming each variable of its argument spec and an example play."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
ROLES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, 'roles', '*')) if os.path.isdir(p))


@pytest.mark.parametrize('role', ROLES)
def test_role_readme_names_every_variable_and_shows_a_play(role):
    path = os.path.join(ROOT, 'roles', role, 'README.md')
    assert os.path.isfile(path), 'galaxy-importer refuses a role without README.md: %s' % role
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    with open(os.path.join(ROOT, 'roles', role, 'meta', 'argument_specs.yml'), encoding='utf-8') as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    missing = [name for name in options if '`%s`' % name not in text]
    assert not missing, '%s/README.md does not describe %s' % (role, ', '.join(missing))
    play = text.split('```yaml', 1)[1].split('```', 1)[0]
    tasks = yaml.safe_load(play)
    assert any(('mas.dedicated.%s' % role) in [r.get('role') for r in p.get('roles', [])] for p in tasks)
