# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: MAS users and groups as Manage will receive them, and every value Manage would refuse.

The rules are Table 1 (users) and Table 2 (groups) of IBM's "User creation, authentication, and
synchronization" page [doc]: UPPER fields are stored upper-case, ALN lengths are maxima, and some fields
only take listed values. A user that breaks one of them ends in sync state ERROR; checking first means
nothing is sent.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

# (MAS attribute, path in the user JSON, Manage object.attribute, Manage type, max length, allowed values)
USER_FIELDS = (
    ('_id', ('_id',), 'USER.LOGINID', 'ALN', 100, None),
    ('username', ('username',), 'USER.USERID, PERSON.PERSONID', 'UPPER', 100, None),
    ('displayName', ('displayName',), 'PERSON.DISPLAYNAME', 'ALN', 82, None),
    ('familyName', ('familyName',), 'PERSON.LASTNAME', 'ALN', 30, None),
    ('givenName', ('givenName',), 'PERSON.FIRSTNAME', 'ALN', 50, None),
    ('title', ('title',), 'PERSON.TITLE', 'ALN', 30, None),
    ('issuer', ('issuer',), 'PERSON.MASISSUER', 'ALN', 20, ('local', 'ldap', 'saml')),
    ('preferences.locale.language', ('preferences', 'locale', 'language'), 'PERSON.LOCALE', 'ALN', 10, None),
    ('preferences.timezone', ('preferences', 'timezone'), 'PERSON.TIMEZONE', 'ALN', 33, None),
    ('address.streetAddress', ('address', 'streetAddress'), 'PERSON.ADDRESSLINE1 + ADDRESSLINE2 + ADDRESSLINE3', 'ALN', 169, None),
    ('address.locality', ('address', 'locality'), 'PERSON.CITY', 'ALN', 36, None),
    ('address.region', ('address', 'region'), 'PERSON.STATEPROVINCE', 'ALN', 36, None),
    ('address.country', ('address', 'country'), 'PERSON.COUNTRY', 'ALN', 36, None),
    ('address.postalCode', ('address', 'postalCode'), 'PERSON.POSTALCODE', 'ALN', 12, None),
    ('entitlement.application', ('entitlement', 'application'), 'MAXDOMAIN', 'ALN', 25, None),
)
# Fields of each entry of a list attribute: (list, field, Manage attribute, type, length, allowed)
LIST_FIELDS = (
    ('emails', 'value', 'EMAIL.EMAILADDRESS', 'ALN', 100, None),
    ('emails', 'type', 'EMAIL.TYPE', 'UPPER', 10, ('HOME', 'WORK')),
    ('emails', 'primary', 'EMAIL.ISPRIMARY', 'BOOLEAN', 1, None),
    ('phoneNumbers', 'value', 'PHONE.PHONENUM', 'ALN', 20, None),
    ('phoneNumbers', 'type', 'PHONE.TYPE', 'UPPER', 10, ('HOME', 'MOBILE', 'WORK')),
    ('phoneNumbers', 'primary', 'PHONE.ISPRIMARY', 'BOOLEAN', 1, None),
)
GROUP_FIELDS = (
    ('id', 'MAXGROUP.GROUPNAME', 30),
    ('displayName', 'MAXGROUP.DESCRIPTION', 200),
)
GROUP_MEMBER_LENGTH = 30  # GROUPUSER.USERID


def _get(record, path):
    value = record
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _address(user):
    # The MAS API carries "addresses" (a list; the first one is synchronised) or a single "address".
    if isinstance(user.get('address'), dict):
        return user['address']
    addresses = user.get('addresses')
    if isinstance(addresses, list) and addresses and isinstance(addresses[0], dict):
        return addresses[0]
    return {}


def _normalized(user):
    copy = dict(user)
    copy['address'] = _address(user)
    return copy


def _check(who, field, value, manage, kind, length, allowed):
    """The violations of one value against one rule."""
    if value is None or value == '':
        return []
    found = []

    def add(rule):
        found.append({'user': who, 'field': field, 'value': value, 'rule': rule, 'manage': manage})
    if kind == 'BOOLEAN':
        if not isinstance(value, bool):
            add('must be true or false')
        return found
    text = str(value)
    if len(text) > length:
        add('longer than %d characters (%d)' % (length, len(text)))
    if allowed:
        shown = text.upper() if kind == 'UPPER' else text
        if shown not in allowed:
            add('must be one of %s' % ', '.join(allowed))
    return found


def id_problem(value):
    """Why a user or group id cannot be one segment of a URL path (None when it can)."""
    text = str(value)
    if text in ('', '.', '..'):
        return "must not be empty, '.' or '..' (it becomes part of a URL)"
    if '/' in text or '\\' in text or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "must not contain '/', '\\' or control characters (it becomes part of a URL)"
    return None


def _id_violations(who, record, fields, manage):
    found = []
    for field in fields:
        value = record.get(field)
        problem = id_problem(value) if value not in (None, '') else None
        if problem:
            found.append({'user': who, 'field': field, 'value': value, 'rule': problem, 'manage': manage})
    return found


def user_violations(user):
    """Every Table 1 rule the user breaks, all at once: [{user, field, value, rule, manage}]."""
    if not isinstance(user, dict):
        return [{'user': None, 'field': None, 'value': user, 'rule': 'a user must be a mapping', 'manage': None}]
    user = _normalized(user)
    who = user.get('username') or user.get('id') or user.get('_id')
    found = []
    if not user.get('username'):
        found.append({'user': who, 'field': 'username', 'value': None, 'rule': 'is required',
                      'manage': 'USER.USERID, PERSON.PERSONID'})
    for field, path, manage, kind, length, allowed in USER_FIELDS:
        found += _check(who, field, _get(user, path), manage, kind, length, allowed)
    for list_name, key, manage, kind, length, allowed in LIST_FIELDS:
        for index, entry in enumerate(user.get(list_name) or []):
            if isinstance(entry, dict):
                found += _check(who, '%s[%d].%s' % (list_name, index, key), entry.get(key), manage, kind, length, allowed)
    return found + _id_violations(who, user, ('id', '_id', 'username'), 'USER.USERID, USER.LOGINID')


def group_violations(group):
    """Every Table 2 rule the group breaks, members included."""
    who = group.get('id') if isinstance(group, dict) else None
    if not who:
        return [{'user': None, 'field': 'id', 'value': None, 'rule': 'is required', 'manage': 'MAXGROUP.GROUPNAME'}]
    found = _id_violations(who, group, ('id',), 'MAXGROUP.GROUPNAME')
    for field, manage, length in GROUP_FIELDS:
        found += _check(who, field, group.get(field), manage, 'ALN', length, None)
    for index, member in enumerate(group.get('members') or []):
        member_id = member.get('value') or member.get('id') if isinstance(member, dict) else member
        found += _check(who, 'members[%d]' % index, member_id, 'GROUPUSER.USERID', 'ALN', GROUP_MEMBER_LENGTH, None)
        found += _id_violations(who, {'members[%d]' % index: member_id}, ('members[%d]' % index,), 'GROUPUSER.USERID')
    return found


def _street_lines(street):
    lines = [line.strip() for line in str(street or '').splitlines() if line.strip()]
    return (lines + ['', '', ''])[:2] + [' '.join(lines[2:])]


def manage_user(user):
    """The Manage records a MAS user becomes (Table 1): PERSON, MAXUSER, EMAIL[], PHONE[]."""
    user = _normalized(user)
    username = str(user.get('username') or '').upper()
    address = user['address']
    line1, line2, line3 = _street_lines(address.get('streetAddress'))
    person = {
        'PERSONID': username, 'DISPLAYNAME': user.get('displayName'), 'LASTNAME': user.get('familyName'),
        'FIRSTNAME': user.get('givenName'), 'TITLE': user.get('title'), 'MASISSUER': user.get('issuer'),
        'LOCALE': _get(user, ('preferences', 'locale', 'language')), 'TIMEZONE': _get(user, ('preferences', 'timezone')),
        'ADDRESSLINE1': line1 or None, 'ADDRESSLINE2': line2 or None, 'ADDRESSLINE3': line3 or None,
        'CITY': address.get('locality'), 'STATEPROVINCE': address.get('region'), 'COUNTRY': address.get('country'),
        'POSTALCODE': address.get('postalCode'),
    }
    return {
        'PERSON': dict((k, v) for k, v in person.items() if v not in (None, '')),
        'MAXUSER': {'USERID': username, 'LOGINID': user.get('_id') or user.get('id') or user.get('username')},
        'EMAIL': [{'EMAILADDRESS': e.get('value'), 'TYPE': str(e.get('type') or '').upper() or None,
                   'ISPRIMARY': bool(e.get('primary'))} for e in user.get('emails') or [] if isinstance(e, dict)],
        'PHONE': [{'PHONENUM': p.get('value'), 'TYPE': str(p.get('type') or '').upper() or None,
                   'ISPRIMARY': bool(p.get('primary'))} for p in user.get('phoneNumbers') or [] if isinstance(p, dict)],
    }


def describe_violations(violations, limit=10):
    """One line a person can act on: the first ``limit`` violations, then how many more."""
    parts = []
    for item in violations[:limit]:
        value = item.get('value')
        shown = '' if value is None else " '%s'" % (value if len(str(value)) <= 40 else str(value)[:37] + '...')
        where = ' (%s)' % item['manage'] if item.get('manage') else ''
        parts.append('%s: %s%s %s%s' % (item.get('user'), item.get('field'), shown, item.get('rule'), where))
    more = len(violations) - limit
    return '; '.join(parts) + ('; and %d more' % more if more > 0 else '')
