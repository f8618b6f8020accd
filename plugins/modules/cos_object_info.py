#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: cos_object_info
short_description: List the objects of a MAS Dedicated IBM COS bucket and when they will be purged
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Lists the objects under a prefix with size and time in one paginated listing.
  - IBM SRE purges custfile bucket objects after 15 days and Logs bucket objects after 30 days; given
    O(bucket_kind) or O(purge_days) each object gets RV(objects[].days_until_purge), and O(expiring_within) picks
    the ones a play should rescue now.
options:
  bucket:
    description:
      - The bucket name from the Welcome Letter (for example the custfile or the Logs bucket).
    type: str
    required: true
  prefix:
    description:
      - Only objects whose key starts with this.
    type: str
    default: ''
  bucket_kind:
    description:
      - The kind of bucket, which gives the purge period (V(custfile) 15 days, V(logs) 30 days).
    type: str
    choices: [custfile, logs, other]
  purge_days:
    description:
      - The purge period in days, overriding O(bucket_kind).
      - From 1 to 3,650; a value outside is refused before anything is sent.
    type: int
  expiring_within:
    description:
      - Also return in RV(expiring) the objects that may be purged within this many days.
      - From 0 to 3,650; a value outside is refused before anything is sent.
    type: int
extends_documentation_fragment:
  - mas.dedicated.cos
  - mas.dedicated.tls
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_cos
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
notes:
  - Expiry rules run once a day, so an object may live up to a day past its purge period.
'''

EXAMPLES = r'''
- name: Log bundles that will be purged within 3 days
  mas.dedicated.cos_object_info:
    bucket: acme-prod-logs
    bucket_kind: logs
    expiring_within: 3
  register: logs

- name: Keep them
  mas.dedicated.cos_object:
    mode: get
    bucket: acme-prod-logs
    object: "{{ item.key }}"
    dest: "/srv/mas-logs/{{ item.key }}"
  loop: "{{ logs.expiring }}"
'''

RETURN = r'''
objects:
  description: The objects, in key order.
  returned: always
  type: list
  elements: dict
  contains:
    key:
      description: The object key.
      type: str
    size:
      description: Bytes.
      type: int
    last_modified:
      description: ISO-8601 time of the last write.
      type: str
    etag:
      description: The ETag.
      type: str
    days_until_purge:
      description: Whole days before the object may be purged; null without a purge period.
      type: int
count:
  description: Number of objects.
  returned: always
  type: int
total_size:
  description: Bytes in all listed objects.
  returned: always
  type: int
expiring:
  description: The objects that may be purged within O(expiring_within) days.
  returned: when O(expiring_within) is set
  type: list
  elements: dict
purge_days:
  description:
    - The purge period used for RV(objects[].days_until_purge), in days (15 for V(custfile), 30 for V(logs), or
      O(purge_days)); null when no period is known (no O(purge_days), and O(bucket_kind) unset or V(other)).
  returned: always
  type: int
  sample: 15
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import days_until_purge, purge_days


def object_info(mas):
    params = mas.params
    days = purge_days(params['bucket_kind'], params['purge_days'])
    objects = []
    for item in mas.cos().list(params['prefix']):
        when = item['last_modified']
        objects.append({'key': item['key'], 'size': item['size'], 'etag': item['etag'],
                        'last_modified': when.isoformat() if when else None,
                        'days_until_purge': days_until_purge(when, days)})
    result = {'changed': False, 'objects': objects, 'count': len(objects),
              'total_size': sum(o['size'] for o in objects), 'purge_days': days}
    if params['expiring_within'] is not None:
        if days is None:
            raise RefusedError('expiring_within needs bucket_kind (custfile or logs) or purge_days')
        result['expiring'] = [o for o in objects if o['days_until_purge'] <= params['expiring_within']]
    return result


def main():
    spec = argument_spec(
        'cos', 'tls',
        bucket=dict(type='str', required=True),
        prefix=dict(type='str', default=''),
        bucket_kind=dict(type='str', choices=['custfile', 'logs', 'other']),
        purge_days=dict(type='int'),
        expiring_within=dict(type='int'),
    )
    mas = MasModule(spec)
    mas.run(lambda: object_info(mas))


if __name__ == '__main__':
    main()
