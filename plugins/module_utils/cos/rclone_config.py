# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: edit one remote (one ``[section]``) of an rclone config and keep every other byte as it was.

A section's block is its header and its ``key = value`` lines; blank lines and comments after the last key
belong to whatever follows, so they survive a rewrite of the section before them.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.paths import shown

_HEADER = re.compile(r'^\s*\[([^\]]+)\]\s*$')
_OPTION = re.compile(r'^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$')
SECRET_KEYS = ('secret_access_key', 'access_key_id', 'pass', 'password', 'token', 'key', 'client_secret')
MASK = '********'

# What rclone accepts as a remote name (fs/fspath/path.go, configNameRe, rclone 1.62 and later): letters and digits
# of any script, '_', '.', '+' and '@', with '-' and ' ' only between them (not first, and no trailing space). No
# '/', ':', '[', ']', '=', control characters. rclone sets no length limit; this module does (MAX_REMOTE_NAME).
_REMOTE_NAME = re.compile(r'[\w.+@]+(?:[ -]+[\w.+@-]+)*')
MAX_REMOTE_NAME = 200
# rclone reads its config with goconfig (github.com/unknwon/goconfig v1.0.0, read.go): a line ends at '\n' only and
# is trimmed of white space; '#' or ';' first makes a comment, '[...]' a section, anything else a key and a value split
# at the first '=' or ':'. The value is trimmed, and a value starting with '`' or '"""' is unquoted up to the last
# such quote; without a closing one goconfig refuses the whole file (every remote stops working). This module reads
# the file back itself with str.splitlines(), which also ends lines at \r, \v, \f, \x1c-\x1e, \x85, U+2028 and
# U+2029. So a value written here holds no control character (C0, DEL, C1) and no line or paragraph separator,
# neither starts nor ends with white space, and does not start with '`' or '"""'. '=', ':', '[', '#' inside a value
# are harmless: only the first '=' or ':' of a line splits it, and the key comes first.
_UNSAFE_CHARACTER = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]')


class ConfigValueError(RefusedError):
    """A value that would change the structure of the config file (or be read back differently) if written."""


def _character_name(char):
    names = {'\n': 'a line break (\\n)', '\r': 'a carriage return (\\r)', '\x00': 'a NUL byte',
             '\u2028': 'a line separator (U+2028)', '\u2029': 'a paragraph separator (U+2029)'}
    return names.get(char, 'a control character (\\x%02x)' % ord(char))


def unsafe_text(value):
    """Why ``value`` cannot be written as one INI value (None when it can): the checks every INI file here shares."""
    found = _UNSAFE_CHARACTER.search(value)
    if found:
        return 'it contains %s' % _character_name(found.group(0))
    if value != value.strip():
        return 'it starts or ends with white space, which the reader would drop'
    return None


def check_remote_name(name):
    """``name`` when rclone accepts it as a remote name, else ConfigValueError (the name shown escaped, shortened)."""
    if not isinstance(name, str) or not name:
        raise ConfigValueError('the remote name is empty')
    if len(name) > MAX_REMOTE_NAME:
        raise ConfigValueError("remote name '%s' is longer than %d characters" % (shown(name, 60), MAX_REMOTE_NAME))
    if not _REMOTE_NAME.fullmatch(name):
        raise ConfigValueError(
            "remote name '%s' is not a valid rclone remote name: letters, digits, '_', '.', '+', '@', and '-' or "
            "space between them (not first; no trailing space); no '/', ':', '[', ']' or control characters"
            % shown(name, 60))
    return name


def check_value(option, value, where=''):
    """Raise ConfigValueError, naming ``option`` (never the value: it may be a secret), unless it is safe to write."""
    if value is None:
        return
    text = str(value)
    reason = unsafe_text(text)
    if reason is None and (text.startswith('`') or text.startswith('"""')):
        reason = "it starts with a quote rclone's config reader would strip (` or \"\"\")"
    if reason:
        raise ConfigValueError("%s%s cannot be written to the rclone config: %s (value not shown)"
                               % (where, option, reason))


def check_options(options, where=''):
    """Every (key, value) of a section checked with check_value; the keys are this module's own."""
    for key, value in options:
        check_value(key, value, where)
    return options


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
