# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: what to send to MAS (users) and Manage (security group members) to reach a desired list.

Users are compared only on the attributes the caller gives, so what MAS adds on its own (sync state, defaults,
timestamps) never looks like a difference; a difference becomes a patch of the differing top-level attributes.
Absent users are deactivated (``status.active: false``), never deleted: Manage keeps them inactive [doc].

As IBM's client (``mas-devops`` ``MASUserUtils.create_initial_user_for_saas_pre_9_1``) orders them, the steps of a
present user are: the user record, its local identity (when asked), its workspace membership, then its
application role. The role is what ``GET /workspaces/{ws}/applications/{app}/users/{id}`` answers (the caller reads
it), never ``applications.<app>.role`` of the user record: a real MAS user holds only ``sync`` there.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.compare import contains
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import group_violations, id_problem, user_violations

# Keys of an entry of the module's ``users`` list that steer the module instead of being sent to MAS
# (``groups`` is read by the user_sync role for Manage group membership).
CONTROL_KEYS = ('state', 'role', 'groups')
OUTCOMES = ('created', 'updated', 'deactivated', 'resynced', 'unchanged', 'invalid', 'failed')
# MAS 9.0 names the sync states PENDING, DELETE_PENDING, SUCCESS, ERROR [doc]; MAS 9.1 shows Pending, Complete,
# Error [doc, 9.1 user synchronisation page]: read as the 9.0 names so one set of rules serves both.
_STATE_NAMES = {'COMPLETE': 'SUCCESS', 'COMPLETED': 'SUCCESS'}


def user_id(user):
    """The MAS user id: ``id``, else the username (MAS uses the same value unless told otherwise)."""
    return str(user.get('id') or user.get('username') or '')


def sync_state(user, application):
    apps = user.get('applications') if isinstance(user, dict) else None
    entry = apps.get(application) if isinstance(apps, dict) else None
    sync = entry.get('sync') if isinstance(entry, dict) else None
    if not isinstance(sync, dict):
        return None, None
    state = sync.get('state')
    if isinstance(state, str):
        state = state.strip().upper().replace(' ', '_')
        state = _STATE_NAMES.get(state, state)
    return state, sync.get('message')


def has_local_identity(user):
    """Whether the MAS user already has a local identity (``identities._local``, as IBM's client checks)."""
    identities = user.get('identities') if isinstance(user, dict) else None
    return isinstance(identities, dict) and '_local' in identities


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

    def __init__(self, user, outcome, create=None, patch=None, role=None, before=None, membership=False,
                 local_identity=False, resync=None, held_role=None):
        self.user = user
        self.outcome = outcome
        self.create = create
        self.patch = patch
        self.role = role
        self.before = before
        self.membership = membership
        self.local_identity = local_identity
        self.resync = resync
        self.held_role = held_role
        self.done = None  # the steps made so far, once the calls have started (None: planned only)

    @property
    def writes(self):
        return bool(self.create or self.patch or self.role or self.membership or self.local_identity or self.resync)

    @property
    def steps(self):
        """The calls in IBM's order: record, local identity, workspace membership, role (or a re-sync)."""
        named = (('create', self.create), ('patch', self.patch), ('local_identity', self.local_identity),
                 ('workspace', self.membership), ('role', self.role), ('resync', self.resync))
        return [name for name, wanted in named if wanted]

    def result(self):
        entry = {'id': self.user.id, 'username': self.user.username, 'outcome': self.outcome}
        if self.patch:
            entry['changed_attributes'] = sorted(self.patch)
        if self.role:
            entry['role'] = self.role
        if self.done is not None:
            entry['steps'] = list(self.done)  # only what was done: a failed call and those after it are not listed
        elif self.writes:
            entry['steps'] = self.steps
        if self.outcome == 'invalid':
            entry['violations'] = self.user.problems
        return entry

    def diff(self):
        if self.create:
            return {'before': None, 'after': self.create}
        before = dict((k, (self.before or {}).get(k)) for k in (self.patch or {}))
        after = dict(self.patch or {})
        if self.role:
            before['role'] = self.held_role
            after['role'] = self.role
        if self.membership:
            before['workspace_member'], after['workspace_member'] = False, True
        if self.local_identity:
            before['local_identity'], after['local_identity'] = False, True
        return {'before': before, 'after': after}


def plan_user(user, current, held_role=None, member=True, local_identity=False, resync_errors=False,
              application='manage'):
    """The UserAction that brings MAS from ``current`` (the held user or None) to ``user``.

    ``held_role`` is the role MAS answers for the user (None: none, ``''``: a permission whose role is not named,
    left alone as IBM's client does); ``member`` whether it is in the workspace (False: add it; None: not asked);
    ``local_identity`` links users without one; ``resync_errors`` re-syncs an otherwise unchanged user in ERROR."""
    if getattr(user, 'problems', None):
        return UserAction(user, 'invalid')
    if user.state == 'absent':
        if current is None or not is_active(current):
            return UserAction(user, 'unchanged', before=current)
        return UserAction(user, 'deactivated', patch={'status': {'active': False}}, before=current)
    if current is None:
        return UserAction(user, 'created', create=user.body, role=user.role, membership=member is not None,
                          local_identity=local_identity)
    patch = dict((key, value) for key, value in user.body.items() if key != 'id' and not contains(value, current.get(key)))
    role = None
    if user.role and (held_role is None or (held_role and held_role != user.role)):
        role = user.role
    link = bool(local_identity and not has_local_identity(current))
    membership = member is False
    if patch or role or link or membership:
        return UserAction(user, 'updated', patch=patch or None, role=role, before=current, membership=membership,
                          local_identity=link, held_role=held_role)
    if resync_errors and sync_state(current, application)[0] == 'ERROR' and current.get('displayName'):
        return UserAction(user, 'resynced', resync=current['displayName'], before=current)
    return UserAction(user, 'unchanged', before=current)


def plan_users(desired, held_by_id, roles=None, members=None, **options):
    """One UserAction per desired user; ``roles``/``members`` map ids to what MAS answered (see plan_user)."""
    roles, members = roles or {}, members or {}
    return [plan_user(user, held_by_id.get(user.id), roles.get(user.id), members.get(user.id, True), **options)
            for user in desired]


# ---- MAS 9.1 and later: users as Manage masperuser records --------------------------------------------

def _primary(entries):
    entries = [e for e in entries or [] if isinstance(e, dict) and e.get('value')]
    chosen = [e for e in entries if e.get('primary')] or entries
    return chosen[0] if chosen else None


def to_masperuser(body):
    """The ``masperuser`` record of a MAS user JSON body (IBM's 9.1 payload: ``personid``, ``displayname``,
    ``primaryemail``/``primaryemailtype``, ``primaryphone``, ``maxuser{userid, loginid, personid, status}``).

    Which PERSON attributes ``masperuser`` accepts besides the ones IBM's client sends is [unverified]."""
    record = {'personid': body.get('id')}
    for source, target in (('displayName', 'displayname'), ('givenName', 'firstname'), ('familyName', 'lastname'),
                           ('title', 'title')):
        if body.get(source) not in (None, ''):
            record[target] = body[source]
    email, phone = _primary(body.get('emails')), _primary(body.get('phoneNumbers'))
    if email:
        record['primaryemail'] = email['value']
        if email.get('type'):
            record['primaryemailtype'] = email['type']
    if phone:
        record['primaryphone'] = phone['value']
    active = is_active(body)
    record['maxuser'] = {'userid': body.get('id'), 'loginid': body.get('username') or body.get('id'),
                         'personid': body.get('id'), 'status': 'ACTIVE' if active else 'INACTIVE'}
    return record


def person_has_local_identity(record):
    """A local identity on a masperuser record: a ``maxuser.masuseridp`` row ``idpid: local`` (or IBM's check,
    ``identities._local``)."""
    maxuser = record.get('maxuser') if isinstance(record, dict) else None
    if isinstance(maxuser, list):
        maxuser = maxuser[0] if maxuser else None
    rows = maxuser.get('masuseridp') if isinstance(maxuser, dict) else None
    return has_local_identity(record) or any(isinstance(r, dict) and r.get('idpid') == 'local' for r in rows or [])


def _maxuser(record):
    maxuser = record.get('maxuser') if isinstance(record, dict) else None
    if isinstance(maxuser, list):
        maxuser = maxuser[0] if maxuser else None
    return maxuser if isinstance(maxuser, dict) else {}


def plan_person(user, current, local_identity=False):
    """9.1 path: the UserAction for one masperuser record (``create``/``patch`` hold masperuser JSON)."""
    if getattr(user, 'problems', None):
        return UserAction(user, 'invalid')
    if user.state == 'absent':
        if current is None or str(_maxuser(current).get('status') or '').upper() == 'INACTIVE':
            return UserAction(user, 'unchanged', before=current)
        return UserAction(user, 'deactivated', patch={'maxuser': {'userid': user.id, 'status': 'INACTIVE'}},
                          before=current)
    wanted = to_masperuser(user.body)
    if current is None:
        return UserAction(user, 'created', create=wanted, local_identity=local_identity)
    patch = dict((key, value) for key, value in wanted.items()
                 if key not in ('personid', 'maxuser') and value != current.get(key))
    held_maxuser = _maxuser(current)
    differing = dict((key, value) for key, value in wanted['maxuser'].items()
                     if str(value).upper() != str(held_maxuser.get(key)).upper())
    if differing:
        patch['maxuser'] = dict(differing, userid=user.id)
    link = bool(local_identity and not person_has_local_identity(current))
    if patch or link:
        return UserAction(user, 'updated', patch=patch or None, before=current, local_identity=link)
    return UserAction(user, 'unchanged', before=current)


def count_outcomes(entries):
    counts = dict((outcome, 0) for outcome in OUTCOMES)
    for entry in entries:
        counts[entry['outcome']] = counts.get(entry['outcome'], 0) + 1
    return counts


# ---- Manage security groups ---------------------------------------------------------------------------

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
