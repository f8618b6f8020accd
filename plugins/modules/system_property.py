#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: system_property
short_description: Values of Maximo Manage system properties, live-refreshed where the property allows
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Sets the global value of existing system properties (C(MAXPROP) / C(MAXPROPVALUE), value row of server
    C(COMMON)) through the object structure O(object_structure), with a MERGE patch of C(maxpropvalue). Only values
    that differ are written; properties are never created (a property Manage does not have fails the task and
    nothing is written)."
  - With O(live_refresh=true) a property whose definition allows live refresh (C(liverefresh)) is refreshed after it
    is written (C(POST /maximo/api/service/system?action=wsmethod:liveRefreshProperty) with its C(propName)), so the
    new value applies without a restart; a property that does not allow it is written, not refreshed, and named in
    RV(needs_restart).
  - "Secret properties: give their value as O(properties[].secret_value) (an encrypted property refuses a plain
    O(properties[].value)). Manage does not give their values back, so they are never compared and never shown
    (masked in the diff). They are written only with O(update_secrets=always), and then on every run (the task
    then always reports a change), like the C(secret_attributes) of M(mas.dedicated.manage_object)."
  - Several properties are read with one paged query and written over one connection.
  - Allowed in production (operation C(manage_config_write)). The MAS Dedicated support guide does not forbid it, and
    asks for Migration Manager to move configuration between environments.
options:
  properties:
    description: The properties to set, handled in order.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The property name, exactly as Manage has it (for example C(mxe.int.dfltuser)).
        type: str
        required: true
      value:
        description: The value, compared with the one Manage holds.
        type: str
      secret_value:
        description: The value of a secret (encrypted) property; never compared, never shown. See O(update_secrets).
        type: str
      live_refresh:
        description: Live-refresh the property after writing it, when its definition allows it. Default O(live_refresh).
        type: bool
  live_refresh:
    description: The default of O(properties[].live_refresh).
    type: bool
    default: false
  update_secrets:
    description:
      - V(never) leaves secret properties as they are (reported unchanged); V(always) writes them on every run.
    type: str
    choices: [never, always]
    default: never
  object_structure:
    description: The object structure of system properties (its name is not confirmed by IBM's documentation).
    type: str
    default: mxapiproperty
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
      - Each written property's value before and after; secret values are masked.
notes:
  - "The C(MAXPROPVALUE) table and its C(PROPNAME) / C(PROPVALUE) columns are IBM's (IBM's own C(ibm-mas/ansible-devops)
    sets attachment properties there). The live refresh call is the one of the public client
    C(@maximomize/maximo-api-client) 0.8.4 (C(SystemService.liveRefreshProperty), the system service's
    C(wsmethod:liveRefreshProperty) with body C({propName}) and header C(x-method-override) C(PATCH)), run against the
    sandbox by the conformance suite. The object structure C(mxapiproperty), its attributes C(liverefresh) and
    C(encrypted), the C(servername) of the global value row and the live refresh call are not confirmed by IBM's
    documentation (unverified). See the collection's C(docs/contracts.md)."
seealso:
  - module: mas.dedicated.manage_object
  - module: mas.dedicated.automation_script
'''

EXAMPLES = r'''
- name: Attachment properties, live-refreshed where they allow it, and a secret one rotated
  mas.dedicated.system_property:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    live_refresh: true
    update_secrets: always
    properties:
      - {name: mxe.doclink.securedAttachment, value: "true"}
      - {name: mxe.cosbucketname, value: acme-dev-attachments}
      - {name: mxe.cossecretkey, secret_value: "{{ vault_cos_secret_key }}"}
'''

RETURN = r'''
properties:
  description: One result per property, in order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The property name.
      type: str
    changed:
      description: Whether the value was (or in check mode would be) written.
      type: bool
    outcome:
      description: V(updated) or V(unchanged).
      type: str
    secret:
      description: Whether the value is a secret (never shown).
      type: bool
    live_refreshed:
      description: Whether the property was (or in check mode would be) live-refreshed.
      type: bool
needs_restart:
  description: Properties written with O(live_refresh=true) whose definition does not allow live refresh.
  returned: always
  type: list
  elements: str
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects, where_in
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_config import check_property, plan_property


def run(mas):
    specs = [dict(item) for item in mas.params['properties']]
    for spec in specs:
        if spec.get('live_refresh') is None:
            spec['live_refresh'] = mas.params['live_refresh']
    problems = []
    for spec in specs:
        problems.extend(check_property(spec))
    names = [spec['name'] for spec in specs]
    problems.extend('property %s is listed more than once' % n for n in sorted(set(n for n in names if names.count(n) > 1)))
    if problems:
        raise RefusedError('; '.join(problems))
    objects = ManageObjects(mas.client('manage_url'))
    held = dict((record.get('propname'), record) for record in
                objects.query(mas.params['object_structure'], where=where_in('propname', names), select='*'))
    for spec in specs:
        record = held.get(spec['name']) or {}
        if spec.get('value') is not None and str(record.get('encrypted')).lower() in ('true', '1', 'y'):
            # A secret given as a plain value: mask it in everything this run returns, the arguments included.
            mas.add_secret(spec['value'])
    # plan_property's ConfigPlanError (a RefusedError) fails the run before any write.
    actions = [plan_property(spec, held.get(spec['name']), mas.params['update_secrets'] == 'always') for spec in specs]
    results, diffs, needs_restart = [], [], []
    for action in actions:
        if not mas.check_mode and action.changed:
            try:
                objects.patch(action.href, action.patch, merge=True)
                if action.live_refresh:
                    objects.service('system', 'liveRefreshProperty', {'propName': action.name})
            except ServiceError as exc:
                raise ServiceError('property %s: %s' % (action.name, exc), error=exc.to_dict(),
                                   changed=any(r['changed'] for r in results), properties=results)
        if action.refresh_refused:
            needs_restart.append(action.name)
        results.append({'name': action.name, 'changed': action.changed, 'outcome': action.outcome,
                        'secret': action.secret, 'live_refreshed': action.live_refresh})
        if action.changed:
            diffs.append(action.diff())
    output = {'changed': any(r['changed'] for r in results), 'properties': results, 'needs_restart': needs_restart}
    if mas.module._diff:
        output['diff'] = diffs
    return output


def main():
    item = dict(name=dict(type='str', required=True), value=dict(type='str'),
                secret_value=dict(type='str', no_log=True), live_refresh=dict(type='bool'))
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        properties=dict(type='list', elements='dict', required=True, options=item),
        live_refresh=dict(type='bool', default=False),
        update_secrets=dict(type='str', choices=['never', 'always'], default='never'),
        object_structure=dict(type='str', default='mxapiproperty'),
    )
    mas = MasModule(spec)
    mas.guard('manage_config_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
