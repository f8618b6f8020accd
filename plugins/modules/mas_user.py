#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: mas_user
short_description: Create, update and deactivate MAS users in bulk, checked against Manage's limits first
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Takes a B(list) of users (one task for thousands) and makes MAS hold them, the way IBM's own client does it
    (C(mas-devops) 12.11.1, C(mas/devops/users.py), C(MASUserUtils.create_initial_user_for_saas_pre_9_1)): the user
    (C(POST /v3/users), C(PATCH /v3/users/{id})), its local identity when asked (O(local_identity)), its
    workspace membership (C(PUT /workspaces/{ws}/users/{id}), O(workspace_membership)), then its Manage role
    (C(PUT /workspaces/{ws}/applications/manage/users/{id}))."
  - The role is read back the way IBM's client reads it, C(GET /workspaces/{ws}/applications/manage/users/{id})
    (404 means no role), and the membership with C(GET /v3/users/{id}/workspaces), one call each per listed user
    that MAS already holds; so a re-run against a real MAS writes nothing and reports C(changed=false). A user
    record holds no roles (only C(applications.manage.sync)).
  - "MAS 9.1 and later (O(mas_version)): users are written as Manage C(masperuser) records through the Manage API
    (O(api_key)), as C(MASUserUtils.get_user) and C(get_or_create_user) do from 9.1 on: C(personid), C(displayname),
    C(firstname), C(lastname), C(primaryemail), C(primaryemailtype), C(primaryphone) and a C(maxuser) object
    (C(userid), C(loginid), C(personid), C(status)); updates are C(patchtype: MERGE) patches; leavers get
    C(maxuser.status: INACTIVE) [unverified]; the local identity is a C(maxuser.masuseridp) row C(idpid: local).
    IBM's 9.1 flow sets no application roles (access comes from Manage security groups, M(mas.dedicated.mas_group)),
    so O(manage_role) and C(role) are refused there."
  - Every user is first checked against Table 1 of IBM's user synchronisation page (UPPER fields, lengths such as
    username 100, displayName 82, familyName 30, givenName 50, title 30, postalCode 12, issuer
    C(local)/C(ldap)/C(saml), phone types C(HOME)/C(MOBILE)/C(WORK), email types C(HOME)/C(WORK)). A user that breaks
    one would be accepted by MAS and then end in sync state C(ERROR) in Manage; here the task fails with every
    violation at once and B(sends nothing), unless O(skip_invalid=true).
  - MAS is read in pages (one call per O(page_size) users) and only what differs is written, so a re-run with
    nothing changed makes no write call and reports C(changed=false).
  - Users with O(state=absent) are deactivated (C(status.active=false)); Manage then makes them inactive. Users are
    never deleted, as in Manage.
  - Allowed in production and non-production environments alike.
options:
  users:
    description:
      - The users, as MAS user JSON (C(username), C(givenName), C(familyName), C(displayName), C(title), C(emails),
        C(phoneNumbers), C(addresses), C(entitlement), C(issuer) ...). C(id) defaults to C(username).
      - Two keys steer the module and are not sent as attributes, C(state) (V(present) or V(absent), overriding
        O(state)) and C(role) (the Manage application role, overriding O(manage_role)).
      - Only the attributes given are compared with what MAS holds; attributes MAS adds are left alone.
    type: list
    elements: dict
    required: true
  state:
    description:
      - V(present) creates or updates the users; V(absent) deactivates them.
    type: str
    choices: [present, absent]
    default: present
  entitlement:
    description:
      - The Manage entitlement (C(entitlement.application), e.g. V(PREMIUM), V(BASE), V(LIMITED)) given to users that do
        not name one. Without an entitlement a user is not synchronised to Manage.
    type: str
  manage_role:
    description:
      - The Manage application role to give users that do not name one (C(role)), set in the environment's
        O(workspace).
    type: str
  skip_invalid:
    description:
      - Write the valid users and report the invalid ones (outcome V(invalid)) instead of failing before sending
        anything.
    type: bool
    default: false
  page_size:
    description:
      - Users read per call when comparing with MAS. With at most 10 users in O(users) each is read on its own instead.
      - From 1 to 10,000; a value outside is refused before anything is sent.
    type: int
    default: 500
  workspace_membership:
    description:
      - Make every present user a member of the environment's O(workspace) before its role is set, as IBM's client
        does (C(add_user_to_workspace)); a held user already in the workspace is left alone.
    type: bool
    default: true
  workspace_admin:
    description:
      - The C(permissions.workspaceAdmin) flag of new memberships. As in IBM's client, the flag of an existing
        membership is not changed.
    type: bool
    default: false
  local_identity:
    description:
      - Link users that have none to MAS's local identity provider, as IBM's client does
        (C(link_user_to_local_idp)) - before 9.1 C(PUT /v3/users/{id}/idps/local) with C(idpUserId) set to the id, a user
        counting as linked when it holds C(identities._local); from 9.1 a C(masuseridp) row on the C(masperuser)
        record. Users of C(ldap)/C(saml) issuers do not need it.
      - The answer of that call carries a generated credential; it is never read, returned, logged or shown.
    type: bool
    default: false
  email_password:
    description:
      - With O(local_identity), ask MAS to e-mail the user a generated password (C(emailPassword=true)). No
        password is ever sent by or shown to this module.
    type: bool
    default: false
  resync_errors:
    description:
      - Re-sync listed users that are otherwise unchanged and whose sync state is C(ERROR), the way IBM's client does
        (C(resync_users)), a no-op C(PATCH /v3/users/{id}) of the user's own C(displayName), which queues the sync
        again (IBM notes that C(/v3/users/utils/resync) exists only from MAS 9.1 / coreapi 25.2.3). Users without a
        C(displayName) are left alone, as IBM's client leaves them. Such users get the outcome V(resynced) and are
        listed in RV(resynced); follow them with M(mas.dedicated.mas_user_info) and O(mas.dedicated.mas_user_info#module:wait_for_sync=true).
      - With O(mas_version) 9.1 or later each listed unchanged user is read from C(/v3/users/{id}) for its state
        (IBM's client re-syncs through that API on 9.1 too).
    type: bool
    default: false
  mas_version:
    description:
      - The MAS version, compared as major.minor the way IBM's client compares it (C(Version(mas_version) >= 9.1));
        V(9.1), V(9.1.x) and V(9.1.3) mean 9.1. IBM's client is given the version by its caller (C(--mas-version),
        default 9.0; reading it from the cluster's subscription needs cluster access), and so is this module.
      - 9.1 and later use the Manage C(masperuser) path and need O(api_key) (a Manage API key) and the Manage URL.
    type: str
    default: '9.0'
  api_key:
    description:
      - The Manage API key, for O(mas_version) 9.1 and later only (the C(masperuser) object structure). Never shown.
      - If not set, the environment variable E(MAS_API_KEY) is used.
    type: str
    aliases: [apikey]
extends_documentation_fragment:
  - mas.dedicated.mas_api
  - mas.dedicated.progress
  - mas.dedicated.mas_api.write
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_users
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - Reads MAS and reports the per-user outcome without writing.
  diff_mode:
    support: full
    details:
      - Before and after of the attributes that change, per user id. No secret is part of a user.
notes:
  - The paged listing call (C(GET /v3/users?count=N&start=K)) and the merge-patch form of C(PATCH) are inferred;
    the single-user calls are documented. See the collection's C(docs/contracts.md).
  - Sources, IBM's client C(mas-devops) 12.11.1 C(mas/devops/users.py) C(MASUserUtils) (C(get_user),
    C(get_or_create_user), C(add_user_to_workspace), C(get_user_application_permissions),
    C(set_user_application_permission), C(link_user_to_local_idp), C(resync_users)); IBM API Hub, MAS admin APIs
    (U(https://developer.ibm.com/apis/catalog/maximo--maximo-application-suite-admin-apis-9-0-x/Getting+Started)).
    What a role answer holds besides C(role), and whether MAS refuses a role for a user outside the workspace, are
    unverified (IBM's client always adds the membership first, and so does this module).
  - The sync to Manage happens after this module returns; follow it with M(mas.dedicated.mas_user_info) and
    O(mas.dedicated.mas_user_info#module:wait_for_sync=true), or use the role C(mas.dedicated.user_sync), which does
    both from a YAML or CSV source of truth and writes a report.
seealso:
  - module: mas.dedicated.mas_user_info
  - module: mas.dedicated.mas_group
'''

EXAMPLES = r'''
- name: Create or update two users with a Manage entitlement
  mas.dedicated.mas_user:
    instance: acme
    production: false
    mas_api_key_id: "{{ vault_mas_api_key_id }}"
    mas_api_key: "{{ vault_mas_api_key }}"
    entitlement: PREMIUM
    manage_role: MANAGEUSER
    users:
      - username: jdoe
        givenName: Jane
        familyName: Doe
        displayName: Jane Doe
        emails: [{value: jane.doe@example.com, type: WORK, primary: true}]
      - username: rroe
        givenName: Richard
        familyName: Roe
        role: MANAGEADMIN

- name: Local users, e-mailed a generated password, re-syncing the ones left in ERROR
  mas.dedicated.mas_user:
    instance: acme
    mas_api_key_id: "{{ vault_mas_api_key_id }}"
    mas_api_key: "{{ vault_mas_api_key }}"
    local_identity: true
    email_password: true
    resync_errors: true
    users:
      - {username: jdoe, givenName: Jane, familyName: Doe, displayName: Jane Doe}

- name: MAS 9.1 - users as Manage masperuser records (access through mas_group)
  mas.dedicated.mas_user:
    instance: acme
    mas_version: "9.1"
    api_key: "{{ vault_manage_api_key }}"
    users:
      - {username: jdoe, givenName: Jane, familyName: Doe, displayName: Jane Doe}

- name: Deactivate a leaver (Manage keeps the user, inactive)
  mas.dedicated.mas_user:
    instance: acme
    mas_api_key_id: "{{ vault_mas_api_key_id }}"
    mas_api_key: "{{ vault_mas_api_key }}"
    users:
      - username: olduser
        state: absent
'''

RETURN = r'''
users:
  description: One entry per listed user, in order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The MAS user id.
      type: str
    username:
      description: The user name.
      type: str
    outcome:
      description: V(created), V(updated), V(deactivated), V(resynced), V(unchanged), V(invalid) or V(failed).
      type: str
    steps:
      description:
        - The calls made (or, in check mode, to be made) in order, among V(create), V(patch), V(local_identity),
          V(workspace), V(role) and V(resync).
      type: list
      elements: str
      returned: when something is written
    changed_attributes:
      description: The top-level attributes written, for V(updated).
      type: list
      elements: str
      returned: when attributes changed
    violations:
      description: Every Manage limit the user breaks (V(invalid) only).
      type: list
      elements: dict
      returned: when invalid
    error:
      description: Why the write failed (V(failed) only).
      type: str
      returned: when failed
counts:
  description: Users per outcome.
  returned: always
  type: dict
  sample: {created: 2, updated: 0, deactivated: 0, resynced: 0, unchanged: 4998, invalid: 0, failed: 0}
resynced:
  description: Ids of the users re-synced because they were in sync state C(ERROR) (O(resync_errors)).
  returned: always
  type: list
  elements: str
mas_version_path:
  description: V(9.0) (MAS core user API) or V(9.1) (Manage C(masperuser)), from O(mas_version).
  returned: always
  type: str
violations:
  description: Every violation of every user, with C(user), C(field), C(value), C(rule) and C(manage).
  returned: always
  type: list
  elements: dict
calls:
  description:
    - MAS API calls made, by kind (C(authenticate), C(read), C(write)); on the 9.1 path C(manage) holds the Manage
      calls (C(read), C(write)).
  returned: always
  type: dict
'''

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import CONNECTION_SPEC, argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import Progress
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects
from ansible_collections.mas.dedicated.plugins.module_utils.users.mas_api import ManagePersons, version_at_least
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import describe_violations
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_plan import (
    count_outcomes, desired_users, plan_person, plan_users, sync_state)

# Up to this many users are read one by one; more are compared against a paged listing.
SINGLE_READ_LIMIT = 10


def held_users(api, desired, page_size):
    ids = [user.id for user in desired if user.id]
    if len(ids) <= SINGLE_READ_LIMIT:
        found = ((user_id, api.user(user_id)) for user_id in ids)
        return dict((user_id, user) for user_id, user in found if user is not None)
    return dict((user.get('id'), user) for user in api.users(page_size))


def held_access(api, desired, held, params):
    """(roles, members) of the held users that need them, read in parallel as IBM's client reads them:
    ``GET /workspaces/{ws}/applications/{app}/users/{id}`` and ``GET /v3/users/{id}/workspaces``."""
    present = [u for u in desired if not u.problems and u.state == 'present' and u.id in held]
    role_ids = [u.id for u in present if u.role]
    member_ids = [u.id for u in present] if params['workspace_membership'] else []

    def member(user_id):
        found = api.in_workspace(user_id)
        return True if found is None else found

    with ThreadPoolExecutor(max_workers=max(1, params['concurrency'])) as pool:
        roles = dict(zip(role_ids, pool.map(api.role, role_ids)))
        members = dict(zip(member_ids, pool.map(member, member_ids)))
    if not params['workspace_membership']:
        members = dict((u.id, None) for u in desired)
    return roles, members


def apply(api, action, params):
    """Make the calls of one UserAction in IBM's order; a failure is reported on the user, not raised."""
    calls = {'create': lambda: api.create(action.create),
             'patch': lambda: api.patch(action.user.id, action.patch),
             'local_identity': lambda: api.link_local_identity(action.user.id, params['email_password']),
             'workspace': lambda: api.add_to_workspace(action.user.id, params['workspace_admin']),
             'role': lambda: api.set_role(action.user.id, action.role),
             'resync': lambda: api.resync(action.user.id, action.resync)}
    run_steps(action, calls)


def run_steps(action, calls):
    action.done = []
    try:
        for step in action.steps:
            calls[step]()
            action.done.append(step)
    except ServiceError as exc:
        action.outcome = 'failed'
        action.error = str(exc)


def plan_91(mas, desired, params):
    """MAS 9.1 and later: masperuser records through the Manage API, as IBM's client does from 9.1 on."""
    if any(user.role for user in desired if not user.problems):
        raise RefusedError('mas_version %s: from MAS 9.1 on, IBM\'s client gives access through Manage security groups, '
                           'not application roles; remove manage_role/role and use mas.dedicated.mas_group'
                           % params['mas_version'])
    persons = ManagePersons(ManageObjects(mas.client('manage_url')))
    held = dict((u.id, persons.find(u.id)) for u in desired if not u.problems and u.id)
    actions = [plan_person(u, held.get(u.id), params['local_identity']) for u in desired]
    return persons, held, actions


def apply_91(persons, action, params):
    href = {'value': (action.before or {}).get('href')}

    def create():
        created = persons.create(action.create) or {}
        href['value'] = created.get('href')
        if not href['value'] and action.local_identity:
            href['value'] = (persons.find(action.user.id) or {}).get('href')

    calls = {'create': create,
             'patch': lambda: persons.patch(href['value'], action.patch),
             'local_identity': lambda: persons.link_local_identity(href['value'], action.user.id,
                                                                   params['email_password']),
             'resync': lambda: action.api.resync(action.user.id, action.resync)}
    run_steps(action, calls)


def resyncs_91(mas, actions):
    """9.1 re-sync of unchanged users in ERROR: IBM's client PATCHes ``displayName`` through ``/v3/users`` then too."""
    api = mas.mas_user_api()
    for action in actions:
        if action.outcome != 'unchanged' or action.user.state != 'present' or action.before is None:
            continue
        user = api.user(action.user.id)
        name = (user or {}).get('displayName') or (action.before or {}).get('displayname')
        if user and name and sync_state(user, 'manage')[0] == 'ERROR':
            action.outcome, action.resync, action.api = 'resynced', name, api
    return api


def run(mas):
    params = mas.params
    is_91 = version_at_least(params['mas_version'])  # a RefusedError for a version it cannot read
    desired, violations = desired_users(params['users'], params['state'], params['entitlement'], params['manage_role'])
    if violations and not params['skip_invalid']:
        invalid = sorted(set(str(v['user']) for v in violations))
        raise RefusedError('%d of %d users break the limits of Manage, so nothing was sent (set skip_invalid to write '
                           'the others): %s' % (len(invalid), len(desired), describe_violations(violations)),
                           violations=violations, invalid_users=invalid)
    calls = {}
    if is_91:
        persons, held, actions = plan_91(mas, desired, params)
        api = resyncs_91(mas, actions) if params['resync_errors'] else None
        writes = [action for action in actions if action.writes]
        if writes and not mas.check_mode:
            progress = Progress(params['progress_file'], 'mas_user', total=len(writes), unit='users written',
                                warn=mas.module.warn)
            for action in writes:
                apply_91(persons, action, params)
                progress.add(1)
            progress.finish()
        calls['manage'] = dict(persons.calls)
        if api is not None:
            calls.update(api.calls)
    else:
        api = mas.mas_user_api()
        held = held_users(api, [u for u in desired if not u.problems], params['page_size'])
        roles, members = held_access(api, desired, held, params)
        actions = plan_users(desired, held, roles, members, local_identity=params['local_identity'],
                             resync_errors=params['resync_errors'])
        writes = [action for action in actions if action.writes]
        if writes and not mas.check_mode:
            progress = Progress(params['progress_file'], 'mas_user', total=len(writes), unit='users written',
                                warn=mas.module.warn)

            def write(action):
                apply(api, action, params)
                progress.add(1)
            with ThreadPoolExecutor(max_workers=max(1, params['concurrency'])) as pool:
                list(pool.map(write, writes))
            progress.finish()
        calls.update(api.calls)
    entries = []
    for action in actions:
        entry = action.result()
        if action.outcome == 'failed':
            entry['error'] = action.error
        entries.append(entry)
    changed = any(action.outcome in ('created', 'updated', 'deactivated', 'resynced') for action in actions)
    result = {'changed': changed, 'users': entries, 'counts': count_outcomes(entries), 'violations': violations,
              'calls': calls, 'mas_version_path': '9.1' if is_91 else '9.0',
              'resynced': [a.user.id for a in actions if a.outcome == 'resynced']}
    if mas.module._diff:
        changes = [action for action in writes if action.outcome != 'failed']
        result['diff'] = {'before': dict((a.user.id, a.diff()['before']) for a in changes),
                          'after': dict((a.user.id, a.diff()['after']) for a in changes)}
    failed = [entry for entry in entries if entry['outcome'] == 'failed']
    if failed:
        # The per-user failures were collected first (the others were written); the run fails with all of them.
        raise ServiceError('%d of %d users could not be written; the others were: first failure: %s: %s'
                           % (len(failed), len(entries), failed[0]['id'], failed[0]['error']), **result)
    return result


def main():
    spec = argument_spec(
        'environment', 'mas_api', 'mas_api.write', 'tls', 'transport', 'progress',
        users=dict(type='list', elements='dict', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        entitlement=dict(type='str'),
        manage_role=dict(type='str'),
        skip_invalid=dict(type='bool', default=False),
        page_size=dict(type='int', default=500),
        workspace_membership=dict(type='bool', default=True),
        workspace_admin=dict(type='bool', default=False),
        local_identity=dict(type='bool', default=False),
        email_password=dict(type='bool', default=False, no_log=False),
        resync_errors=dict(type='bool', default=False),
        mas_version=dict(type='str', default='9.0'),
        api_key=CONNECTION_SPEC['api_key'],
    )
    mas = MasModule(spec)
    mas.guard('user_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
