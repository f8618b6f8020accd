#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: mas_user
short_description: Create, update and deactivate MAS users in bulk, checked against Manage's limits first
version_added: 0.2.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Takes a B(list) of users (one task for thousands) and makes MAS hold them, through the MAS user API
    (C(POST /v3/users), C(PATCH /v3/users/{id}), C(PUT /workspaces/{ws}/applications/manage/users/{id})).
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
extends_documentation_fragment:
  - mas.dedicated.mas_api
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
      description: V(created), V(updated), V(deactivated), V(unchanged), V(invalid) or V(failed).
      type: str
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
  sample: {created: 2, updated: 0, deactivated: 0, unchanged: 4998, invalid: 0, failed: 0}
violations:
  description: Every violation of every user, with C(user), C(field), C(value), C(rule) and C(manage).
  returned: always
  type: list
  elements: dict
calls:
  description: MAS API calls made, by kind (C(authenticate), C(read), C(write)).
  returned: always
  type: dict
'''

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mas.dedicated.plugins.module_utils.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.options import ENVIRONMENT_SPEC, MAS_API_SPEC, argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.user_plan import count_outcomes, desired_users, plan_users
from ansible_collections.mas.dedicated.plugins.module_utils.users import describe_violations

# Up to this many users are read one by one; more are compared against a paged listing.
SINGLE_READ_LIMIT = 10


def held_users(api, desired, page_size):
    ids = [user.id for user in desired if user.id]
    if len(ids) <= SINGLE_READ_LIMIT:
        found = ((user_id, api.user(user_id)) for user_id in ids)
        return dict((user_id, user) for user_id, user in found if user is not None)
    return dict((user.get('id'), user) for user in api.users(page_size))


def apply(api, action):
    """Make the calls of one UserAction; a failure is reported on the user, not raised."""
    try:
        if action.create:
            api.create(action.create)
        if action.patch:
            api.patch(action.user.id, action.patch)
        if action.role:
            api.set_role(action.user.id, action.role)
    except ServiceError as exc:
        action.outcome = 'failed'
        action.error = str(exc)


def run(mas):
    params = mas.params
    desired, violations = desired_users(params['users'], params['state'], params['entitlement'], params['manage_role'])
    if violations and not params['skip_invalid']:
        invalid = sorted(set(str(v['user']) for v in violations))
        mas.fail('%d of %d users break the limits of Manage, so nothing was sent (set skip_invalid to write the '
                 'others): %s' % (len(invalid), len(desired), describe_violations(violations)),
                 violations=violations, invalid_users=invalid)
    api = mas.mas_user_api()
    held = held_users(api, [u for u in desired if not u.problems], params['page_size'])
    actions = plan_users(desired, held)
    writes = [action for action in actions if action.writes]
    if writes and not mas.check_mode:
        with ThreadPoolExecutor(max_workers=max(1, params['concurrency'])) as pool:
            list(pool.map(lambda action: apply(api, action), writes))
    entries = []
    for action in actions:
        entry = action.result()
        if action.outcome == 'failed':
            entry['error'] = action.error
        entries.append(entry)
    changed = any(action.outcome in ('created', 'updated', 'deactivated') for action in actions)
    result = {'changed': changed, 'users': entries, 'counts': count_outcomes(entries), 'violations': violations,
              'calls': dict(api.calls)}
    if mas.module._diff:
        changes = [action for action in writes if action.outcome != 'failed']
        result['diff'] = {'before': dict((a.user.id, a.diff()['before']) for a in changes),
                          'after': dict((a.user.id, a.diff()['after']) for a in changes)}
    failed = [entry for entry in entries if entry['outcome'] == 'failed']
    if failed:
        mas.fail('%d of %d users could not be written; the others were: first failure: %s: %s'
                 % (len(failed), len(entries), failed[0]['id'], failed[0]['error']), **result)
    return result


def main():
    spec = argument_spec(
        ENVIRONMENT_SPEC, MAS_API_SPEC,
        users=dict(type='list', elements='dict', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        entitlement=dict(type='str'),
        manage_role=dict(type='str'),
        skip_invalid=dict(type='bool', default=False),
        page_size=dict(type='int', default=500),
    )
    mas = MasModule(spec)
    mas.guard('user_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
