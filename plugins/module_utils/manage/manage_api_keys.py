# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API keys of Manage users (object structure ``mxapiapikey``): the pure plan and the file contents.

The calls are those of IBM's own client (mas-devops ``mas/devops/users.py``): ``POST
/maximo/api/os/mxapiapikey?lean=1&ccm=1`` with ``{"expiration": -1, "userid": U}`` (201, or 400 ``BMXAA10051E``
when the user already holds a key: one key per user), ``GET ...?oslc.where=userid="U"&oslc.select=*`` and
``DELETE <href>``. A rotation is a delete followed by a create, as there is one key per user.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import re

STATES = ('present', 'absent', 'rotated')
_VAR_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]{0,99}$')


class KeyAction:
    """What to do for one user: ``delete`` and/or ``create`` (a rotation does both, in that order)."""

    def __init__(self, userid, state, held):
        self.userid = userid
        self.state = state
        self.held = held  # the held record (with its href) or None
        self.delete = bool(held) and state in ('absent', 'rotated')
        self.create = state == 'rotated' or (state == 'present' and not held)

    @property
    def changed(self):
        return self.delete or self.create

    @property
    def outcome(self):
        if self.delete and self.create:
            return 'rotated'
        if self.create:
            return 'created'
        if self.delete:
            return 'deleted'
        return 'exists' if self.held else 'absent'


def plan_keys(userids, state, held):
    """One KeyAction per user; ``held`` maps a user id (upper case) to its key record or None."""
    if state not in STATES:
        raise ValueError('state must be one of %s' % ', '.join(STATES))
    return [KeyAction(u, state, held.get(u.upper())) for u in userids]


def input_problems(userids, key_file=None, vault_file=None, vault_var=None, state='present'):
    """Why the arguments cannot be used (a list of messages, empty when they can)."""
    problems = []
    upper = [u.upper() for u in userids]
    if not userids:
        problems.append('users must name at least one user')
    problems.extend('user %s is listed more than once' % u for u in sorted(set(u for u in upper if upper.count(u) > 1)))
    for name, path in (('key_file', key_file), ('vault_file', vault_file)):
        if not path:
            continue
        if any(c in path for c in '\r\n'):
            problems.append('%s must not contain a line break' % name)
        if '..' in re.split(r'[\\/]', path):
            problems.append("%s must not contain a '..' component" % name)
        if len(userids) != 1:
            problems.append('%s needs exactly one user in users (it holds one key)' % name)
        if state == 'absent':
            problems.append('%s cannot be used with state=absent (there is no key to write)' % name)
    if key_file and vault_file and key_file == vault_file:
        problems.append('key_file and vault_file must be different files')
    if vault_var is not None and not _VAR_NAME.match(vault_var):
        problems.append("vault_var '%s' must be a variable name (letters, digits and '_', not starting with a "
                        "digit)" % vault_var[:100])
    return problems


def default_vault_var(userid):
    return 'manage_api_key_' + re.sub(r'[^a-z0-9_]', '_', userid.lower())


def key_file_bytes(key):
    return (key + '\n').encode('utf-8')


def vault_file_bytes(var_name, key):
    """A YAML document ``{var_name: key}`` (a JSON string is a valid YAML double-quoted scalar)."""
    return ('---\n# Encrypt this file with: ansible-vault encrypt <file>\n%s: %s\n'
            % (var_name, json.dumps(key))).encode('utf-8')


def carries_key(result):
    """Whether a module result holds a new key (the action plugin then marks it no_log)."""
    if not isinstance(result, dict):
        return False
    if result.get('apikey'):
        return True
    return any(isinstance(u, dict) and u.get('apikey') for u in result.get('users') or [])
