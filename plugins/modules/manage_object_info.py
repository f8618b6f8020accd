#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_object_info
short_description: Read records of any Maximo Manage REST object structure, in pages, optionally through JMESPath
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Queries C(/maximo/api/os/NAME) in its lean JSON form with C(oslc.where) and C(oslc.select), following
    C(responseInfo.nextPage) page by page, and returns the records, optionally reshaped by a JMESPath O(query).
options:
  object_structure:
    description:
      - The object structure, for example V(mxapicrontaskdef).
    type: str
    required: true
  where:
    description:
      - An C(oslc.where) clause, for example C(crontaskname="Kafka"). All records when not given.
    type: str
  key:
    description:
      - Attribute values to match (joined with C(and)), as an alternative to O(where).
    type: dict
  select:
    description:
      - The C(oslc.select) list, for example C(crontaskname,crontaskinstance{instancename,active}).
    type: str
    default: '*'
  page_size:
    description:
      - Records per call.
      - From 1 to 10,000; a value outside is refused before anything is sent.
    type: int
    default: 200
  max_records:
    description:
      - Stop after this many records (0 for no limit).
      - From 0 to 10,000,000; a value outside is refused before anything is sent.
    type: int
    default: 0
  query:
    description:
      - A JMESPath expression applied to the list of records, for example C([?active].instancename).
    type: str
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
    support: none
requirements:
  - jmespath (for O(query))
seealso:
  - module: mas.dedicated.manage_object
'''

EXAMPLES = r'''
- name: Which Kafka cron task instances are active
  mas.dedicated.manage_object_info:
    instance: acme
    api_key: "{{ vault_dev_manage_api_key }}"
    object_structure: mxapicrontaskdef
    key: {crontaskname: Kafka}
    select: crontaskname,crontaskinstance{instancename,active}
    query: "[].crontaskinstance[?active].instancename[]"
  register: kafka
'''

RETURN = r'''
records:
  description: The records, in lean JSON (attribute names in lower case).
  returned: always
  type: list
  elements: dict
count:
  description: How many records were read.
  returned: always
  type: int
result:
  description: The O(query) applied to RV(records).
  returned: when O(query) is given
  type: raw
truncated:
  description: Whether O(max_records) stopped the reading.
  returned: always
  type: bool
'''

import traceback

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_plan import key_matches, where_for

try:
    import jmespath
    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR = None
except ImportError:
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = traceback.format_exc()


def run(mas):
    params = mas.params
    expression = None
    if params['query']:
        mas.require('jmespath', HAS_JMESPATH, JMESPATH_IMPORT_ERROR)
        try:
            expression = jmespath.compile(params['query'])
        except jmespath.exceptions.ParseError as exc:
            raise RefusedError('query is not a valid JMESPath expression: %s' % exc)
    where = params['where'] or (where_for(params['key']) if params['key'] else None)
    objects = ManageObjects(mas.client('manage_url'))
    records, truncated = [], False
    for record in objects.query(params['object_structure'], where=where, select=params['select'],
                                page_size=params['page_size']):
        if params['key'] and not key_matches(record, params['key']):
            continue  # exactly the key's values (a value with % is a LIKE pattern to oslc.where)
        if params['max_records'] and len(records) >= params['max_records']:
            truncated = True
            break
        records.append(record)
    result = {'changed': False, 'records': records, 'count': len(records), 'truncated': truncated}
    if expression is not None:
        result['result'] = expression.search(records)
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        object_structure=dict(type='str', required=True),
        where=dict(type='str'),
        key=dict(type='dict', no_log=False),
        select=dict(type='str', default='*'),
        page_size=dict(type='int', default=200),
        max_records=dict(type='int', default=0),
        query=dict(type='str'),
    )
    mas = MasModule(spec, mutually_exclusive=[('where', 'key')])
    mas.guard('manage_read')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
