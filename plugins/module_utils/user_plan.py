# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: what to send to MAS (users) and Manage (security group members) to reach a desired list.

Users are compared only on the attributes the caller gives, so what MAS adds on its own (sync state, defaults,
timestamps) never looks like a difference; a difference becomes a patch of the differing top-level attributes.
Absent users are deactivated (``status.active: false``), never deleted: Manage keeps them inactive [doc].
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.users import group_violations, id_problem, user_violations

# Keys of an entry of the module's ``users`` list that steer the module instead of being sent to MAS
# (``groups`` is read by the user_sync role for Manage group membership).
CONTROL_KEYS = ('state', 'role', 'groups')
OUTCOMES = ('created', 'updated', 'deactivated', 'unchanged', 'invalid', 'failed')


def user_id(user):
    """The MAS user id: ``id``, else the username (MAS uses the same value unless told otherwise)."""
    return str(user.get('id') or user.get('username') or '')


def contains(wanted, held):
    """Whether ``held`` already has everything in ``wanted`` (dicts: the wanted keys; lists: same length, in order)."""
    if isinstance(wanted, dict):
        return isinstance(held, dict) and all(contains(value, held.get(key)) for key, value in wanted.items())
    if isinstance(wanted, list):
        return (isinstance(held, list) and len(wanted) == len(held)
                and all(contains(w, h) for w, h in zip(wanted, held)))
    return wanted == held


def role_of(user, application):
    apps = user.get('applications') if isinstance(user, dict) else None
    entry = apps.get(application) if isinstance(apps, dict) else None
    return entry.get('role') if isinstance(entry, dict) else None


def sync_state(user, application):
    apps = user.get('applications') if isinstance(user, dict) else None
    entry = apps.get(application) if isinstance(apps, dict) else None
    sync = entry.get('sync') if isinstance(entry, dict) else None
    if not isinstance(sync, dict):
        return None, None
    return sync.get('state'), sync.get('message')


def is_active(user):
    status = user.get('status') if isinstance(user, dict) else None
    return not (isinstance(status, dict) and status.get('active') is False)


class DesiredUser:
    """One entry of the module's list, split into what is sent and what steers the module."""

    def __init__(self, entry, default_state='present', entitlement=None, role=None):
        self.raw = entry
        self.state = entry.get('state') or default_state
        self.role = entry.get('role') or role
        body = dict((k, v) for k, v in entry.items() if k not in CONTROL_KEYS)
        self.id = user_id(body)
        if self.id:
            body['id'] = self.id
        if self.state == 'present':
            if entitlement and not (body.get('entitlement') or {}).get('application'):
                body['entitlement'] = dict(body.get('entitlement') or {}, application=entitlement)
            body.setdefault('status', {'active': True})
        self.body = body
        self.username = body.get('username')

    def violations(self):
        found = []
        if self.state not in ('present', 'absent'):
            found.append(self._violation('state', self.state, 'must be present or absent'))
        if self.role is not None and not isinstance(self.role, str):
            found.append(self._violation('role', self.role, 'must be a string'))
        if self.state == 'absent':
            if not self.id:
                found.append(self._violation('id', None, 'an id or username is required'))
            elif id_problem(self.id):
                found.append(self._violation('id', self.id, id_problem(self.id)))
            return found
        return found + user_violations(self.body)

    def _violation(self, field, value, rule):
        return {'user': self.username or self.id or None, 'field': field, 'value': value, 'rule': rule, 'manage': None}


def desired_users(entries, default_state='present', entitlement=None, role=None):
    """DesiredUser objects and every violation of the whole list (duplicates included), all at once."""
    desired, violations = [], []
    seen = {}
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict):
            violations.append({'user': None, 'field': 'users[%d]' % index, 'value': entry,
                               'rule': 'each user must be a mapping', 'manage': None})
            continue
        user = DesiredUser(entry, default_state, entitlement, role)
        problems = user.violations()
        if user.id and user.id in seen:
            problems.append(user._violation('id', user.id, 'is listed twice (entries %d and %d)' % (seen[user.id], index)))
        seen.setdefault(user.id, index)
        user.problems = problems
        violations.extend(problems)
        desired.append(user)
    return desired, violations


class UserAction:
    """What to do for one user: ``outcome`` and the calls (create / patch / role) that achieve it."""

    def __init__(self, user, outcome, create=None, patch=None, role=None, before=None):
        self.user = user
        self.outcome = outcome
        self.create = create
        self.patch = patch
        self.role = role
        self.before = before

    @property
    def writes(self):
        return bool(self.create or self.patch or self.role)

    def result(self):
        entry = {'id': self.user.id, 'username': self.user.username, 'outcome': self.outcome}
        if self.patch:
            entry['changed_attributes'] = sorted(self.patch)
        if self.role:
            entry['role'] = self.role
        if self.outcome == 'invalid':
            entry['violations'] = self.user.problems
        return entry

    def diff(self):
        if self.create:
            return {'before': None, 'after': self.create}
        before = dict((k, (self.before or {}).get(k)) for k in (self.patch or {}))
        after = dict(self.patch or {})
        if self.role:
            before['role'] = role_of(self.before or {}, 'manage')
            after['role'] = self.role
        return {'before': before, 'after': after}


def plan_user(user, current, application='manage'):
    """The UserAction that brings MAS from ``current`` (the held user or None) to ``user``."""
    if getattr(user, 'problems', None):
        return UserAction(user, 'invalid')
    if user.state == 'absent':
        if current is None or not is_active(current):
            return UserAction(user, 'unchanged', before=current)
        return UserAction(user, 'deactivated', patch={'status': {'active': False}}, before=current)
    if current is None:
        return UserAction(user, 'created', create=user.body, role=user.role)
    patch = dict((key, value) for key, value in user.body.items() if key != 'id' and not contains(value, current.get(key)))
    role = user.role if user.role and role_of(current, application) != user.role else None
    if patch or role:
        return UserAction(user, 'updated', patch=patch or None, role=role, before=current)
    return UserAction(user, 'unchanged', before=current)


def plan_users(desired, held_by_id, application='manage'):
    return [plan_user(user, held_by_id.get(user.id), application) for user in desired]


def count_outcomes(entries):
    counts = dict((outcome, 0) for outcome in OUTCOMES)
    for entry in entries:
        counts[entry['outcome']] = counts.get(entry['outcome'], 0) + 1
    return counts


# ---- Manage security groups ---------------------------------------------------------------------------

GROUP_OUTCOMES = ('created', 'updated', 'unchanged', 'invalid')


def _member_ids(members):
    ids = []
    for member in members or []:
        value = member.get('userid') or member.get('value') or member.get('id') if isinstance(member, dict) else member
        if value not in (None, ''):
            ids.append(str(value).upper())
    return ids


class DesiredGroup:
    def __init__(self, entry):
        self.name = str(entry.get('name') or entry.get('id') or '').upper()
        self.description = entry.get('description', entry.get('displayName'))
        self.members = _member_ids(entry.get('members'))
        self.problems = group_violations({'id': self.name, 'displayName': self.description, 'members': self.members})


def desired_groups(entries):
    groups, violations = [], []
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict):
            violations.append({'user': None, 'field': 'groups[%d]' % index, 'value': entry,
                               'rule': 'each group must be a mapping', 'manage': None})
            continue
        group = DesiredGroup(entry)
        violations.extend(group.problems)
        groups.append(group)
    return groups, violations


class GroupAction:
    """``create`` (a record), or ``patch`` with ``merge`` (add members) or not (the whole member list)."""

    def __init__(self, group, outcome, create=None, patch=None, merge=False, added=(), removed=(), href=None):
        self.group = group
        self.outcome = outcome
        self.create = create
        self.patch = patch
        self.merge = merge
        self.added = sorted(added)
        self.removed = sorted(removed)
        self.href = href

    def result(self):
        entry = {'name': self.group.name, 'outcome': self.outcome, 'added': self.added, 'removed': self.removed}
        if self.outcome == 'invalid':
            entry['violations'] = self.group.problems
        return entry


def plan_group(group, current, members_state='present'):
    """members_state: ``present`` adds the listed members, ``absent`` removes them, ``exact`` sets the list."""
    if group.problems:
        return GroupAction(group, 'invalid')
    wanted = list(dict.fromkeys(group.members))
    if current is None:
        if members_state == 'absent':
            return GroupAction(group, 'unchanged')
        record = {'groupname': group.name, 'groupuser': [{'userid': m} for m in wanted]}
        if group.description is not None:
            record['description'] = group.description
        return GroupAction(group, 'created', create=record, added=wanted)
    held = _member_ids(current.get('groupuser'))
    if members_state == 'absent':
        added, removed = [], [m for m in wanted if m in held]
    elif members_state == 'exact':
        added, removed = [m for m in wanted if m not in held], [m for m in held if m not in wanted]
    else:
        added, removed = [m for m in wanted if m not in held], []
    patch = {}
    if group.description is not None and group.description != current.get('description'):
        patch['description'] = group.description
    if removed:
        # Without MERGE a PATCH replaces the child array: the members that stay are sent, the others go [doc].
        patch['groupuser'] = [{'userid': m} for m in held if m not in removed] + [{'userid': m} for m in added]
        merge = False
    else:
        merge = True
        if added:
            patch['groupuser'] = [{'userid': m} for m in added]
    if not patch:
        return GroupAction(group, 'unchanged', href=current.get('href'))
    return GroupAction(group, 'updated', patch=patch, merge=merge, added=added, removed=removed, href=current.get('href'))
