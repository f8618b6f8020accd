#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: mas_group
short_description: Members of Maximo Manage security groups, in bulk, checked against Manage's limits first
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Makes Manage security groups hold the listed members, through the C(mxapigroup) object structure of the Manage
    REST API (its C(groupuser) children).
  - Every group is first checked against Table 2 of IBM's user synchronisation page (group name 30 characters,
    description 200, member user ids 30); the task fails with every violation at once and sends nothing.
  - "All groups are read in one call (C(oslc.where=groupname in [...])) and only what differs is written: members
    to add go in one merge patch per group (C(patchtype: MERGE)); removing members sends the members that stay
    (a PATCH without MERGE replaces the child array)."
  - Members are Manage user ids (the MAS user name, upper-case), so a user must have been synchronised to Manage
    before it can join a group; Manage refuses unknown users.
options:
  groups:
    description:
      - The groups, each with C(name) (MAXGROUP.GROUPNAME), optional C(description) and C(members) (user ids).
      - A group that does not exist is created (with O(members_state=present) or V(exact)).
    type: list
    elements: dict
    required: true
  members_state:
    description:
      - V(present) adds the listed members and leaves others; V(absent) removes the listed members; V(exact) makes the
        listed members the only ones.
    type: str
    choices: [present, absent, exact]
    default: present
extends_documentation_fragment:
  - mas.dedicated.connection
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_manage
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - Members and description before and after, per group.
notes:
  - Adding members is the call IBM's own client makes (C(mas-devops) 12.11.1 C(mas/devops/users.py),
    C(MASUserUtils.add_user_to_manage_group)), a C(patchtype) C(MERGE) patch with C(groupuser) rows answered by 204;
    IBM's client addresses the group by its C(maxgroupid) and checks membership through the C(groupuser) child
    collection one user at a time, where this module reads all listed groups in one query and patches their C(href).
  - IBM's client adds users to groups only once their sync has reached C(SUCCESS) (C(check_user_sync)); on MAS 9.1
    and later a user written as a C(masperuser) record (M(mas.dedicated.mas_user) with
    O(mas.dedicated.mas_user#module:mas_version=9.1)) is a Manage user at once.
seealso:
  - module: mas.dedicated.mas_user
'''

EXAMPLES = r'''
- name: Planners and supervisors groups hold these users
  mas.dedicated.mas_group:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    groups:
      - name: PLANNERS
        description: Maintenance planners
        members: [JDOE, RROE]
      - name: SUPERVISORS
        members: [RROE]
'''

RETURN = r'''
groups:
  description: One entry per group with C(name), C(outcome) (V(created), V(updated), V(unchanged) or V(invalid)),
    C(added) and C(removed).
  returned: always
  type: list
  elements: dict
violations:
  description: Every Table 2 violation, with C(user) (the group), C(field), C(value), C(rule) and C(manage).
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects, where_in
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import describe_violations
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_plan import desired_groups, plan_group

OBJECT_STRUCTURE = 'mxapigroup'


def _members(record):
    return sorted(str(m.get('userid')).upper() for m in (record or {}).get('groupuser') or [])


def run(mas):
    params = mas.params
    groups, violations = desired_groups(params['groups'])
    if violations:
        raise RefusedError('groups break the limits of Manage, so nothing was sent: %s' % describe_violations(violations),
                           violations=violations)
    names = list(dict.fromkeys(group.name for group in groups))
    if len(names) != len(groups):
        raise RefusedError('a group is listed twice: %s'
                           % ', '.join(sorted(n for n in names if [g.name for g in groups].count(n) > 1)))
    objects = ManageObjects(mas.client('manage_url'))
    held = dict((str(record.get('groupname')).upper(), record)
                for record in objects.query(OBJECT_STRUCTURE, where=where_in('groupname', names),
                                            select='groupname,description,groupuser{userid}'))
    actions = [plan_group(group, held.get(group.name), params['members_state']) for group in groups]
    if not mas.check_mode:
        for action in actions:
            if action.create:
                objects.create(OBJECT_STRUCTURE, action.create)
            elif action.patch:
                objects.patch(action.href, action.patch, merge=action.merge)
    changed = any(action.outcome in ('created', 'updated') for action in actions)
    result = {'changed': changed, 'groups': [action.result() for action in actions], 'violations': []}
    if mas.module._diff:
        before, after = {}, {}
        for action in actions:
            if action.outcome in ('created', 'updated'):
                record = held.get(action.group.name)
                members = _members(record)
                before[action.group.name] = None if record is None else {'description': record.get('description'),
                                                                         'members': members}
                kept = [m for m in members if m not in action.removed]
                after[action.group.name] = {
                    'description': action.group.description if action.group.description is not None
                    else (record or {}).get('description'),
                    'members': sorted(kept + action.added)}
        result['diff'] = {'before': before, 'after': after}
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        groups=dict(type='list', elements='dict', required=True),
        members_state=dict(type='str', default='present', choices=['present', 'absent', 'exact']),
    )
    mas = MasModule(spec)
    mas.guard('group_membership')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
