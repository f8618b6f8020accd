#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: mas_user_info
short_description: MAS users with their Manage sync state, optionally waiting until the sync has ended
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Reads users from the MAS user API with their Manage synchronisation state (C(applications.manage.sync.state):
    C(PENDING), C(DELETE_PENDING), C(SUCCESS) or C(ERROR)), where IBM's client (C(mas-devops) C(MASUserUtils.check_user_sync))
    reads it."
  - MAS 9.1 shows the states as C(Pending), C(Complete) and C(Error) (IBM, User synchronization in Maximo Application
    Suite 9.1, U(https://www.ibm.com/docs/en/masv-and-l/cd?topic=users-user-synchronization-in-maximo-application-suite));
    they are reported with the 9.0 names (C(Complete) as C(SUCCESS)). That the API spells them this way on 9.1 is
    unverified.
  - With O(wait_for_sync=true) it polls until every named user (or every user) has left C(PENDING) and
    C(DELETE_PENDING), bounded by O(wait_timeout), and returns the C(ERROR) ones with the sync message and what the
    collection's validator says about them (Table 1 of the user synchronisation page), so the reason is in the
    result instead of in Manage's logs.
options:
  users:
    description:
      - The ids (or user names, when the id is the user name) to report. All users when not given.
    type: list
    elements: str
  wait_for_sync:
    description:
      - Wait until no reported user is C(PENDING) or C(DELETE_PENDING).
    type: bool
    default: false
  fail_on_error:
    description:
      - Fail when a reported user ends in sync state C(ERROR) (after waiting, with O(wait_for_sync)).
    type: bool
    default: false
  page_size:
    description:
      - Users read per call. With at most 10 names in O(users) each is read on its own instead.
      - From 1 to 10,000; a value outside is refused before anything is sent.
    type: int
    default: 500
  read_roles:
    description:
      - Also read each reported user's Manage role, one call per user, the way IBM's client reads it
        (C(GET /workspaces/{ws}/applications/manage/users/{id}), 404 means none). Without it C(role) is
        returned as V(null), because a MAS user record does not hold its application roles.
      - Not done with O(mas_version) 9.1 or later (access comes from Manage security groups there).
    type: bool
    default: false
  mas_version:
    description:
      - The MAS version, compared as major.minor the way IBM's client compares it (C(Version(mas_version) >= 9.1));
        V(9.1), V(9.1.x) and V(9.1.3) all mean 9.1. IBM's client is told the version by its caller (its CLI
        option C(--mas-version), default 9.0) because reading it needs the cluster; so is this module.
    type: str
    default: '9.0'
extends_documentation_fragment:
  - mas.dedicated.mas_api
  - mas.dedicated.mas_api.write
  - mas.dedicated.progress
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - mas.dedicated.wait
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_users
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
seealso:
  - module: mas.dedicated.mas_user
'''

EXAMPLES = r'''
- name: Wait until the users just written are synchronised to Manage
  mas.dedicated.mas_user_info:
    instance: acme
    mas_api_key_id: "{{ vault_mas_api_key_id }}"
    mas_api_key: "{{ vault_mas_api_key }}"
    users: "{{ written.users | map(attribute='id') | list }}"
    wait_for_sync: true
    wait_timeout: 900
    poll_interval: 15
  register: sync

- name: Show why some did not make it
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.message }}"
  loop: "{{ sync.errors }}"
'''

RETURN = r'''
users:
  description:
    - The users with C(id), C(username), C(active), C(sync_state), C(sync_message), C(role) and C(entitlement).
    - C(role) is read only with O(read_roles=true) (else V(null)).
  returned: always
  type: list
  elements: dict
missing:
  description: Names given in O(users) that MAS does not hold.
  returned: always
  type: list
  elements: str
counts:
  description: Users per sync state (C(NONE) for users MAS does not synchronise, e.g. without entitlement).
  returned: always
  type: dict
  sample: {SUCCESS: 4998, ERROR: 2}
errors:
  description: The users in C(ERROR), with C(id), C(username), C(message) (from MAS) and C(violations) (from the validator).
  returned: always
  type: list
  elements: dict
elapsed:
  description: Seconds spent waiting.
  returned: when waiting
  type: float
calls:
  description: MAS API calls made, by kind (C(authenticate), C(read), C(write)).
  returned: always
  type: dict
'''

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import Progress
from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import WaitTimeout, poll
from ansible_collections.mas.dedicated.plugins.module_utils.users.mas_api import version_at_least
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import user_violations
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_plan import is_active, sync_state

PENDING = ('PENDING', 'DELETE_PENDING')
SINGLE_READ_LIMIT = 10


def summary(user, roles):
    state, message = sync_state(user, 'manage')
    return {'id': user.get('id'), 'username': user.get('username'), 'active': is_active(user),
            'sync_state': state, 'sync_message': message, 'role': roles.get(user.get('id')),
            'entitlement': (user.get('entitlement') or {}).get('application')}


def read_roles(api, users, concurrency):
    """Each user's Manage role as IBM's client reads it (``GET /workspaces/{ws}/applications/manage/users/{id}``,
    404 = none), in parallel."""
    ids = [user.get('id') for user in users if user.get('id')]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return dict(zip(ids, pool.map(api.role, ids)))


def read(api, names, page_size):
    """(users held, names not held), reading one by one for a few names and in pages otherwise."""
    if names and len(names) <= SINGLE_READ_LIMIT:
        found = [api.user(name) for name in names]
        return [u for u in found if u], [n for n, u in zip(names, found) if not u]
    wanted = set(names or ())
    held = []
    seen = set()
    for user in api.users(page_size):
        keys = set(str(user.get(k)) for k in ('id', 'username') if user.get(k))
        if not names or keys & wanted:
            held.append(user)
            seen |= keys
    return held, sorted(wanted - seen)


def reread(api, snapshot, pending, names):
    """Read the ``pending`` users of ``snapshot`` again, one by one; one that is gone (deleted) leaves ``held``.

    Named users not found so far are looked for again too (they may appear while the sync runs)."""
    fresh = dict((id(user), api.user(user.get('id'))) for user in pending)
    found = [user for user in (api.user(name) for name in snapshot['missing']) if user]
    if found:
        keys = set(str(user.get(k)) for user in found for k in ('id', 'username') if user.get(k))
        snapshot['missing'] = [name for name in snapshot['missing'] if name not in keys]
    held = list(found)
    for user in snapshot['held']:
        if id(user) not in fresh:
            held.append(user)
        elif fresh[id(user)]:
            held.append(fresh[id(user)])
        else:
            named = [str(user.get(k)) for k in ('id', 'username') if str(user.get(k)) in (names or ())]
            snapshot['missing'] = sorted(set(snapshot['missing']) | set(named))
    snapshot['held'] = held


def run(mas):
    params = mas.params
    is_91 = version_at_least(params['mas_version'])  # a RefusedError for a version it cannot read
    api = mas.mas_user_api()
    names = list(dict.fromkeys(params['users'] or []))
    snapshot = {}

    def look():
        pending = [u for u in snapshot.get('held', []) if sync_state(u, 'manage')[0] in PENDING]
        if 'held' in snapshot and len(pending) + len(snapshot['missing']) <= SINGLE_READ_LIMIT:
            # Once few users are still syncing, only they are read again, not every page of users.
            reread(api, snapshot, pending, names)
        else:
            held, missing = read(api, names, params['page_size'])
            snapshot.update(held=held, missing=missing)
        return not any(sync_state(user, 'manage')[0] in PENDING for user in snapshot['held'])

    result = {'changed': False}
    if params['wait_for_sync']:
        progress = Progress(None if mas.check_mode else params['progress_file'], 'Manage sync',
                            unit='users synchronised', warn=mas.module.warn)

        def look_and_tell():
            done = look()
            held = snapshot['held']
            progress.set(done=sum(1 for u in held if sync_state(u, 'manage')[0] not in PENDING), total=len(held))
            return done
        try:
            dummy, dummy2, seconds = poll(look_and_tell, 'the Manage sync', params['wait_timeout'],
                                          params['poll_interval'])
            progress.finish()
        except WaitTimeout:
            pending = [u.get('id') for u in snapshot.get('held', []) if sync_state(u, 'manage')[0] in PENDING]
            raise ServiceError('timed out after %ss waiting for the Manage sync: %d users still pending (%s); raise '
                               'wait_timeout if the sync agent is just slow'
                               % (params['wait_timeout'], len(pending), ', '.join(pending[:20])),
                               timed_out=True, pending=pending)
        result['elapsed'] = seconds
    else:
        look()
    roles = {}
    if params['read_roles'] and not is_91:
        roles = read_roles(api, snapshot['held'], params['concurrency'])
    users = [summary(user, roles) for user in snapshot['held']]
    counts = {}
    for user in users:
        counts[user['sync_state'] or 'NONE'] = counts.get(user['sync_state'] or 'NONE', 0) + 1
    errors = [{'id': user.get('id'), 'username': user.get('username'), 'message': sync_state(user, 'manage')[1],
               'violations': user_violations(user)}
              for user in snapshot['held'] if sync_state(user, 'manage')[0] == 'ERROR']
    result.update(users=users, missing=snapshot['missing'], counts=counts, errors=errors, calls=dict(api.calls))
    if errors and params['fail_on_error']:
        raise ServiceError('%d users ended in sync state ERROR: %s' % (len(errors), '; '.join(
            '%s: %s' % (e['id'], e['message']) for e in errors[:10])), **result)
    return result


def main():
    spec = argument_spec(
        'environment', 'mas_api', 'mas_api.write', 'tls', 'transport', 'wait', 'progress',
        users=dict(type='list', elements='str'),
        wait_for_sync=dict(type='bool', default=False),
        fail_on_error=dict(type='bool', default=False),
        page_size=dict(type='int', default=500),
        read_roles=dict(type='bool', default=False),
        mas_version=dict(type='str', default='9.0'),
    )
    mas = MasModule(spec)
    mas.guard('user_read')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
