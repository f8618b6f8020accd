# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: a source of truth for users (an HR export as CSV) as MAS user JSON, and group memberships from it.

One row per user. Columns name MAS attributes directly (``username``, ``givenName`` ...) or through the short
names below; empty cells are left out, so a CSV never blanks an attribute MAS holds. ``groups`` lists Manage
security groups separated by ``;``.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import csv
import io

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

# column -> path in the MAS user JSON ('emails'/'phoneNumbers'/'addresses' entries are built below)
COLUMNS = {
    'id': ('id',), 'username': ('username',), 'givenName': ('givenName',), 'familyName': ('familyName',),
    'displayName': ('displayName',), 'title': ('title',), 'issuer': ('issuer',),
    'language': ('preferences', 'locale', 'language'), 'timezone': ('preferences', 'timezone'),
    'entitlement': ('entitlement', 'application'), 'state': ('state',), 'role': ('role',),
}
EMAIL_COLUMNS = ('email', 'email_type')
PHONE_COLUMNS = ('phone', 'phone_type')
ADDRESS_COLUMNS = ('streetAddress', 'locality', 'region', 'country', 'postalCode')
KNOWN = set(COLUMNS) | set(EMAIL_COLUMNS) | set(PHONE_COLUMNS) | set(ADDRESS_COLUMNS) | {'groups'}


class SourceError(RefusedError):
    """The source cannot be read as users."""


def _put(record, path, value):
    for part in path[:-1]:
        record = record.setdefault(part, {})
    record[path[-1]] = value


def users_from_csv(text):
    """The users of a CSV text with a header row."""
    reader = csv.DictReader(io.StringIO(text.lstrip('\ufeff')))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise SourceError('the CSV has no header row')
    unknown = [name for name in header if name not in KNOWN]
    if unknown:
        raise SourceError('unknown CSV column(s) %s; known columns: %s' % (', '.join(unknown), ', '.join(sorted(KNOWN))))
    if 'username' not in header and 'id' not in header:
        raise SourceError('the CSV needs a username (or id) column')
    users = []
    for number, row in enumerate(reader, start=2):
        cells = dict((key.strip(), (value or '').strip()) for key, value in row.items() if key is not None)
        if None in row:
            raise SourceError('line %d has more cells than the header' % number)
        if not any(cells.values()):
            continue
        user = {}
        for column, path in COLUMNS.items():
            if cells.get(column):
                _put(user, path, cells[column])
        if cells.get('email'):
            user['emails'] = [{'value': cells['email'], 'type': (cells.get('email_type') or 'WORK').upper(), 'primary': True}]
        if cells.get('phone'):
            user['phoneNumbers'] = [{'value': cells['phone'], 'type': (cells.get('phone_type') or 'WORK').upper(),
                                     'primary': True}]
        address = dict((column, cells[column]) for column in ADDRESS_COLUMNS if cells.get(column))
        if address:
            user['addresses'] = [address]
        if cells.get('groups'):
            user['groups'] = [g.strip() for g in cells['groups'].split(';') if g.strip()]
        users.append(user)
    return users


def group_memberships(users, synced=None, groups=None):
    """[{name, members}] from each user's ``groups``, plus ``groups`` given as [{name, description, members}].

    Only present users count, and with ``synced`` (user ids or names known to Manage) only those: Manage refuses a
    member it does not hold.
    """
    allowed = None if synced is None else set(str(s).upper() for s in synced)
    merged = {}
    for group in groups or []:
        entry = merged.setdefault(str(group['name']).upper(), {'name': str(group['name']).upper(), 'members': []})
        if group.get('description') is not None:
            entry['description'] = group['description']
        entry['members'].extend(str(m).upper() for m in group.get('members') or [])
    for user in users or []:
        if (user.get('state') or 'present') != 'present':
            continue
        member = str(user.get('username') or user.get('id') or '').upper()
        for name in user.get('groups') or []:
            entry = merged.setdefault(str(name).upper(), {'name': str(name).upper(), 'members': []})
            entry['members'].append(member)
    result = []
    for entry in merged.values():
        members = [m for m in dict.fromkeys(entry['members']) if allowed is None or m in allowed]
        result.append(dict(entry, members=members))
    return result
