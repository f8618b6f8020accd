# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: edit one remote (one ``[section]``) of an rclone config and keep every other byte as it was.

A section's block is its header and its ``key = value`` lines; blank lines and comments after the last key
belong to whatever follows, so they survive a rewrite of the section before them.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

_HEADER = re.compile(r'^\s*\[([^\]]+)\]\s*$')
_OPTION = re.compile(r'^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$')
SECRET_KEYS = ('secret_access_key', 'access_key_id', 'pass', 'password', 'token', 'key', 'client_secret')
MASK = '********'


def _blocks(lines):
    """(name, first line index, end index exclusive) of every section's block."""
    headers = [(i, _HEADER.match(line).group(1).strip()) for i, line in enumerate(lines) if _HEADER.match(line)]
    blocks = []
    for n, (start, name) in enumerate(headers):
        limit = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
        end = start + 1
        for i in range(start + 1, limit):
            if _OPTION.match(lines[i]) and not lines[i].lstrip().startswith(('#', ';')):
                end = i + 1
        blocks.append((name, start, end))
    return blocks


def sections(text):
    """The names of the remotes, in file order."""
    return [name for name, dummy, dummy2 in _blocks(text.splitlines(True))]


def read_section(text, name):
    """The options of remote ``name`` as an ordered list of (key, value), or None when it is absent."""
    lines = text.splitlines(True)
    for section, start, end in _blocks(lines):
        if section == name:
            options = []
            for line in lines[start + 1:end]:
                match = _OPTION.match(line)
                if match and not line.lstrip().startswith(('#', ';')):
                    options.append((match.group(1), match.group(2)))
            return options
    return None


def render_section(name, options):
    return '[%s]\n' % name + ''.join('%s = %s\n' % (key, value) for key, value in options)


def upsert_section(text, name, options):
    """The config text with remote ``name`` set to ``options``; appended at the end when new."""
    lines = text.splitlines(True)
    for section, start, end in _blocks(lines):
        if section == name:
            return ''.join(lines[:start]) + render_section(name, options) + ''.join(lines[end:])
    prefix = text
    if prefix and not prefix.endswith('\n'):
        prefix += '\n'
    if prefix.strip() and not prefix.endswith('\n\n'):
        prefix += '\n'
    return prefix + render_section(name, options)


def remove_section(text, name):
    """The config text without remote ``name`` (and without the blank line that separated it)."""
    lines = text.splitlines(True)
    for section, start, end in _blocks(lines):
        if section == name:
            if end < len(lines) and not lines[end].strip():
                end += 1
            elif start > 0 and not lines[start - 1].strip() and end >= len(lines):
                start -= 1
            return ''.join(lines[:start] + lines[end:])
    return text


def masked(options):
    """Options with secret values masked, for diffs and results."""
    if options is None:
        return None
    return [(key, MASK if key in SECRET_KEYS and value else value) for key, value in options]


def ibm_cos_remote(access_key_id, secret_access_key, endpoint, location_constraint, acl='private'):
    """The options of an IBM COS remote as the support guide's rclone steps produce them [doc]."""
    return [
        ('type', 's3'),
        ('provider', 'IBMCOS'),
        ('env_auth', 'false'),
        ('access_key_id', access_key_id),
        ('secret_access_key', secret_access_key),
        ('endpoint', endpoint),
        ('location_constraint', location_constraint),
        ('acl', acl),
    ]
