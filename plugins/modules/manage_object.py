#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_object
short_description: Create, update or delete one record of any Maximo Manage REST object structure
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Finds the record whose O(key) attributes match (C(oslc.where) built from them) in the object structure
    O(object_structure) (C(/maximo/api/os/NAME), lean JSON), then creates it, updates the attributes that differ with
    a MERGE patch (C(x-method-override: PATCH), C(patchtype: MERGE)), or deletes it."
  - Only the attributes given are compared; a child array (for example C(crontaskinstance) of C(mxapicrontaskdef))
    counts as held when each given child is found among the held ones, so a re-run changes nothing.
  - Key values are matched exactly as given, never case-folded (Maximo's exact search is case sensitive); give
    them as Manage stores them, for example C(crontaskname=Kafka), and upper-case attributes (such as
    C(endpointname) or C(groupname), which Manage stores in upper case) in upper case.
  - The MAS Dedicated support guide leaves Kafka endpoints, message providers and the activation of the Kafka cron
    task instances to the customer; this module is how the collection does it.
options:
  object_structure:
    description:
      - The object structure, for example V(mxapicrontaskdef), V(mxapiendpoint) or V(mxapigroup).
      - Required with O(key).
    type: str
  key:
    description:
      - "Attribute values that identify one record (for example C({crontaskname: Kafka})). They are part of a
        created record. Finding more than one record is an error. Only records that hold exactly these values count
        (a value with C(%) is a LIKE pattern to C(oslc.where), so the records found are checked again)."
      - Exactly one of O(key) and O(objects) is required.
    type: dict
  objects:
    description:
      - Several records, of one or more object structures, in one task (one connection, one module run), handled in
        order. Each item takes the options that describe one record; an option an item leaves out comes from the
        top-level option of the same name (so O(state=absent) or O(update_secrets=always) can be given once).
    type: list
    elements: dict
    suboptions:
      object_structure:
        description: As O(object_structure).
        type: str
        required: true
      key:
        description: As O(key).
        type: dict
        required: true
      attributes:
        description: As O(attributes).
        type: dict
      secret_attributes:
        description: As O(secret_attributes); never shown.
        type: dict
      update_secrets:
        description: As O(update_secrets).
        type: str
        choices: [on_create, always]
      must_exist:
        description: As O(must_exist).
        type: bool
      new_children:
        description: As O(new_children).
        type: dict
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
  attributes:
    description:
      - The attributes the record should have (names in any case; lean JSON uses lower case).
    type: dict
    default: {}
  secret_attributes:
    description:
      - Attributes whose values are secrets. Never shown in output, diffs or logs, at any verbosity.
      - "A child array here (for example C(maxendpointdtl: [{property: PASSWORD, value: ...}]), the password
        property of a Kafka endpoint handler) adds its rows to the rows of the same array in O(attributes)."
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
  must_exist:
    description:
      - The record must exist already; when the key finds none the task fails and writes nothing, instead of
        creating it. For records only an administrator can create, such as a cron task definition (which needs its
        Java class).
    type: bool
    default: false
  new_children:
    description:
      - "Rules for rows that would be added to a child array, as C({ARRAY: {key: [ATTRIBUTES], require:
        [ATTRIBUTES]}}): a given row that no held row matches on C(key) (exactly) must carry every C(require)
        attribute, or the task fails and writes nothing. For example C({crontaskinstance: {key: [instancename],
        require: [crontaskparam]}}) lets existing cron task instances be activated by name while a new instance
        must bring its parameters."
    type: dict
    default: {}
  state:
    description:
      - V(present) creates or updates the record, V(absent) deletes it.
    type: str
    choices: [present, absent]
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
      - The attributes that change, before and after. Secret values are masked.
notes:
  - The Kafka cron task is C(Kafka) with one instance per Kafka queue and the parameters C(TOPIC), C(MESSAGEHUB),
    C(MESSAGEPROCESSOR) and C(PARTITION) (IBM Maximo Manage documentation "Kafka configuration cron task"; IBM's
    C(ibm-mas/ansible-devops) role C(configure_manage_eventstreams)). The Kafka endpoint handler takes its password
    as a property (IBM "Kafka handler and properties").
  - The object structure C(mxapiendpoint) and how Manage answers a PASSWORD property row (masked or left out) are
    not confirmed by IBM's documentation (unverified); see the collection's C(docs/contracts.md).
seealso:
  - module: mas.dedicated.manage_object_info
'''

EXAMPLES = r'''
- name: Activate a Kafka cron task instance that already exists (never creates the definition)
  mas.dedicated.manage_object:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    object_structure: mxapicrontaskdef
    key: {crontaskname: Kafka}
    must_exist: true
    new_children: {crontaskinstance: {key: [instancename], require: [crontaskparam]}}
    attributes:
      crontaskinstance:
        - instancename: kafkacqin
          active: true
          schedule: "30s,*,*,*,*,*,*,*,*,*"

- name: A Kafka endpoint and its cron task instance in one task
  mas.dedicated.manage_object:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    objects:
      - object_structure: mxapiendpoint
        key: {endpointname: KAFKA_DEV}
        attributes:
          handlername: KAFKA
          maxendpointdtl:
            - {property: TOPIC, value: acme-dev}
            - {property: BOOTSTRAPSERVERS, value: "broker-0.example.com:9093"}
        secret_attributes:
          maxendpointdtl: [{property: PASSWORD, value: "{{ vault_kafka_password }}"}]
      - object_structure: mxapicrontaskdef
        key: {crontaskname: Kafka}
        must_exist: true
        attributes:
          crontaskinstance:
            - instancename: acmecqin
              active: true
              crontaskparam:
                - {parameter: TOPIC, value: acme-cqin}
                - {parameter: MESSAGEHUB, value: KAFKA}
                - {parameter: MESSAGEPROCESSOR, value: psdi.iface.jms.QueueToMaximoProcessor}
'''

RETURN = r'''
outcome:
  description: V(created), V(updated), V(deleted) or V(unchanged).
  returned: when O(key) is given
  type: str
href:
  description: The record's link, when it exists.
  returned: when O(key) is given and the record exists or was created
  type: str
changed_attributes:
  description: The top-level attributes written.
  returned: when O(key) is given
  type: list
  elements: str
objects:
  description: With O(objects), one result per item, in order.
  returned: when O(objects) is given
  type: list
  elements: dict
  contains:
    object_structure:
      description: The item's object structure.
      type: str
    key:
      description: The item's key.
      type: dict
    changed:
      description: Whether this record was (or in check mode would be) written.
      type: bool
    outcome:
      description: As RV(outcome).
      type: str
    href:
      description: As RV(href).
      type: str
    changed_attributes:
      description: As RV(changed_attributes).
      type: list
      elements: str
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.batch import ListOption, repeated
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_plan import (
    ManagePlanError, key_matches, lowered, plan_object, where_for)


# The options of one record. An item of 'objects' takes the same ones without defaults: what it leaves out comes
# from the top-level option (whose default applies when that is not given either).
OBJECTS = ListOption('objects', dict(
    object_structure=dict(type='str'),
    key=dict(type='dict', no_log=False),
    attributes=dict(type='dict'),
    secret_attributes=dict(type='dict', no_log=True),
    update_secrets=dict(type='str', choices=['on_create', 'always']),
    must_exist=dict(type='bool'),
    new_children=dict(type='dict'),
    state=dict(type='str', choices=['present', 'absent']),
), defaults=dict(attributes={}, secret_attributes={}, update_secrets='on_create', must_exist=False, new_children={},
                 state='present'), required=('object_structure', 'key'))


def apply_one(mas, objects, spec):
    """Find, plan and (unless in check mode) write one record; its result."""
    found = [record for record in objects.query(spec['object_structure'], where=where_for(spec['key']), select='*',
                                                page_size=2)
             if key_matches(record, spec['key'])]
    if len(found) > 1:
        raise RefusedError('the key %s matches more than one %s record: add attributes to make it unique'
                           % (spec['key'], spec['object_structure']))
    held = found[0] if found else None
    action = plan_object(spec['key'], spec['attributes'], held, spec['state'],
                         secret_attributes=spec['secret_attributes'],
                         always_send_secrets=spec['update_secrets'] == 'always',
                         must_exist=spec['must_exist'], new_children=spec['new_children'])
    result = {'changed': action.changed, 'outcome': action.outcome, 'href': action.href,
              'changed_attributes': sorted(action.create or action.patch or {})}
    if not mas.check_mode:
        if action.create is not None:
            result['href'] = objects.create(spec['object_structure'], action.create).get('href')
        elif action.patch:
            objects.patch(action.href, action.patch, merge=True)
        elif action.delete:
            objects.delete(action.href)
    return result, action


def run(mas):
    specs = OBJECTS.items(mas.params)
    wrong = ['%s: key must name at least one attribute that identifies the record' % (spec['object_structure'] or 'item')
             for spec in specs if not spec['key']]
    identities = [(spec['object_structure'].lower(), sorted((k, repr(v)) for k, v in lowered(spec['key'] or {}).items()))
                  for spec in specs]
    wrong += ['%s %s is listed more than once' % (specs[n]['object_structure'], specs[n]['key'])
              for n in repeated(identities) if specs[n]['key']]
    if wrong:
        raise RefusedError('; '.join(wrong))
    objects = ManageObjects(mas.client('manage_url'))
    results, diffs = [], []
    for spec in specs:
        try:
            result, action = apply_one(mas, objects, spec)
        except (ServiceError, ManagePlanError) as exc:
            # Say what the earlier items already wrote before reporting this one's failure.
            failed = ServiceError if isinstance(exc, ServiceError) else RefusedError
            raise failed('%s %s: %s' % (spec['object_structure'], spec['key'], exc),
                         error=exc.to_dict() if isinstance(exc, ServiceError) else {},
                         changed=any(r['changed'] for r in results), objects=results)
        results.append(dict(result, object_structure=spec['object_structure'], key=spec['key']))
        if action.changed:
            # secret_attributes values and secret-named attributes are masked on exit
            diffs.append(action.diff())
    output = OBJECTS.output(mas.params, {'changed': any(r['changed'] for r in results)}, results,
                            identity=('object_structure', 'key'))
    if mas.module._diff:
        output['diff'] = diffs if OBJECTS.given(mas.params) else (diffs[0] if diffs else action.diff())
    return output


def main():
    spec = argument_spec('connection', 'tls', 'transport', 'environment', OBJECTS.argument_spec())
    mas = MasModule(spec, required_one_of=[('key', 'objects')], required_together=[('object_structure', 'key')],
                    mutually_exclusive=[('objects', 'key'), ('objects', 'object_structure')])
    mas.guard('manage_configuration')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
