#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_object
short_description: Create, update or delete one record of any Maximo Manage REST object structure
version_added: 0.2.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Finds the record whose O(key) attributes match (C(oslc.where) built from them) in the object structure
    O(object_structure) (C(/maximo/api/os/NAME), lean JSON), then creates it, updates the attributes that differ with
    a MERGE patch (C(x-method-override: PATCH), C(patchtype: MERGE)), or deletes it."
  - Only the attributes given are compared; a child array (for example C(crontaskinstance) of C(mxapicrontaskdef))
    counts as held when each given child is found among the held ones, so a re-run changes nothing.
  - The MAS Dedicated support guide leaves Kafka endpoints, message providers and the activation of the Kafka cron
    task instances to the customer; this module is how the collection does it.
options:
  object_structure:
    description:
      - The object structure, for example V(mxapicrontaskdef), V(mxapiendpoint) or V(mxapigroup).
    type: str
    required: true
  key:
    description:
      - "Attribute values that identify one record (for example C({crontaskname: KAFKACRONTASK})). They are part of a
        created record. Finding more than one record is an error."
    type: dict
    required: true
  attributes:
    description:
      - The attributes the record should have (names in any case; lean JSON uses lower case).
    type: dict
    default: {}
  secret_attributes:
    description:
      - Attributes whose values are secrets (for example the C(PASSWORD) of a Kafka message provider). Never shown in
        output, diffs or logs, at any verbosity.
      - Manage does not give secrets back, so they cannot be compared; see O(update_secrets).
    type: dict
    default: {}
  update_secrets:
    description:
      - V(on_create) sends O(secret_attributes) only when the record is created, so re-runs stay unchanged.
        V(always) sends them on every run (the task then always reports a change), for rotating a password.
    type: str
    choices: [on_create, always]
    default: on_create
  state:
    description:
      - V(present) creates or updates the record, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mas.dedicated.connection
  - mas.dedicated.transport
  - mas.dedicated.environment
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The attributes that change, before and after. Secret values are masked.
  platform:
    platforms: posix
  action_group:
    membership: [mas.dedicated.manage]
notes:
  - Object structure and attribute names of the Kafka set-up (C(mxapiendpoint) and its properties) come from
    third-party clients and are not confirmed by IBM's documentation; see the collection's C(docs/contracts.md).
seealso:
  - module: mas.dedicated.manage_object_info
'''

EXAMPLES = r'''
- name: Activate the Kafka cron task instance of a queue
  mas.dedicated.manage_object:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    object_structure: mxapicrontaskdef
    key: {crontaskname: KAFKACRONTASK}
    attributes:
      crontaskinstance:
        - instancename: KAFKA_CQIN
          active: true
          schedule: "30s,*,*,*,*,*,*,*,*,*"
'''

RETURN = r'''
outcome:
  description: V(created), V(updated), V(deleted) or V(unchanged).
  returned: always
  type: str
href:
  description: The record's link, when it exists.
  returned: when the record exists or was created
  type: str
changed_attributes:
  description: The top-level attributes written.
  returned: always
  type: list
  elements: str
'''

from ansible_collections.mas.dedicated.plugins.module_utils.manage_api import ManageObjects
from ansible_collections.mas.dedicated.plugins.module_utils.manage_plan import plan_object, where_for
from ansible_collections.mas.dedicated.plugins.module_utils.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.options import CONNECTION_SPEC, ENVIRONMENT_SPEC, argument_spec


def run(mas):
    params = mas.params
    if not params['key']:
        mas.fail('key must name at least one attribute that identifies the record')
    objects = ManageObjects(mas.client('manage_url'))
    found = list(objects.query(params['object_structure'], where=where_for(params['key']), select='*', page_size=2))
    if len(found) > 1:
        mas.fail('the key %s matches more than one %s record: add attributes to make it unique'
                 % (params['key'], params['object_structure']))
    held = found[0] if found else None
    action = plan_object(params['key'], params['attributes'], held, params['state'],
                         secret_attributes=params['secret_attributes'],
                         always_send_secrets=params['update_secrets'] == 'always')
    result = {'changed': action.changed, 'outcome': action.outcome, 'href': action.href,
              'changed_attributes': sorted(action.create or action.patch or {})}
    if not mas.check_mode:
        if action.create is not None:
            result['href'] = objects.create(params['object_structure'], action.create).get('href')
        elif action.patch:
            objects.patch(action.href, action.patch, merge=True)
        elif action.delete:
            objects.delete(action.href)
    if mas.module._diff:
        diff = action.diff()
        result['diff'] = diff  # secret_attributes values and secret-named attributes are masked on exit
    return result


def main():
    spec = argument_spec(
        CONNECTION_SPEC, ENVIRONMENT_SPEC,
        object_structure=dict(type='str', required=True),
        key=dict(type='dict', required=True, no_log=False),
        attributes=dict(type='dict', default={}),
        secret_attributes=dict(type='dict', default={}, no_log=True),
        update_secrets=dict(type='str', default='on_create', choices=['on_create', 'always']),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )
    mas = MasModule(spec)
    mas.guard('manage_configuration')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
