#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_logs
short_description: Ask Maximo Manage to upload its server log bundles to the Logs bucket, and fetch them
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Sends the logging service request of the support guide
    (C(POST /maximo/api/service/logging?action=wsmethod:submitUploadLogRequest), API key header, empty body). Manage
    records one LOGREQUEST row per server and a cron task uploads each server's compressed log bundle to the
    environment's Logs bucket.
  - Allowed in production and non-production environments alike.
  - With O(wait=true) the module watches the Logs bucket until the bundles of this request have arrived; with
    O(dest) it downloads them (atomically, one file per bundle).
options:
  wait:
    description:
      - Wait for the bundles to arrive in the Logs bucket. Needs O(bucket) and the bucket's keys.
    type: bool
    default: false
  expected_bundles:
    description:
      - How many bundles this request produces (one per Manage server). When unknown, the module waits until no new
        bundle has arrived for O(settle_time) seconds.
      - From 1 to 1,000; a value outside is refused before anything is sent.
    type: int
  settle_time:
    description:
      - Seconds without a new bundle after which the upload counts as complete (when O(expected_bundles) is not set).
      - From 0 to 3,600; a value outside is refused before anything is sent.
    type: float
    default: 60
  dest:
    description:
      - A local directory to download the bundles into (created when missing). Implies O(wait=true).
      - Each bundle is saved under the last segment of its key. Every name is checked before the first download. A
        name that is not a plain file name (V(..), a control character, empty), a symbolic link in O(dest) that
        points outside it, or two bundles with the same name fail the task, and nothing is downloaded.
      - Each bundle is downloaded into a temporary file beside its final name and moved into place with Ansible's
        atomic move, mode 0644; set other permissions afterwards with M(ansible.builtin.file).
    type: path
  bucket:
    description:
      - The Logs bucket of the environment (Welcome Letter).
    type: str
  logs_prefix:
    description:
      - Only watch objects under this prefix of the Logs bucket.
    type: str
    default: ''
extends_documentation_fragment:
  - mas.dedicated.connection
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - mas.dedicated.wait
  - mas.dedicated.cos
  - mas.dedicated.cos.download
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_manage
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - In check mode no request is sent; the task reports that one would be.
  diff_mode:
    support: none
notes:
  - The names of the bundles are not documented beyond "source location and start time"; the bundles of a request
    are taken to be the objects that appeared in the bucket after it.
  - The Logs bucket is purged after 30 days.
seealso:
  - module: mas.dedicated.cos_object_info
'''

EXAMPLES = r'''
- name: Collect the Manage server logs of production
  mas.dedicated.manage_logs:
    instance: acme
    production: true
    api_key: "{{ vault_prod_manage_api_key }}"
    bucket: acme-prod-logs
    region: us-east
    access_key_id: "{{ vault_prod_logs_access_key_id }}"
    secret_access_key: "{{ vault_prod_logs_secret_access_key }}"
    dest: "{{ playbook_dir }}/logs/prod"
    wait_timeout: 1800
'''

RETURN = r'''
request_id:
  description: The service's answer, C(LOGREQUESTNUM-EPOCHMILLIS).
  returned: unless in check mode
  type: str
  sample: 1001-1795357496087
requested_at:
  description: The time of the request (ISO-8601).
  returned: unless in check mode
  type: str
bundles:
  description: The bundles of this request, with C(key), C(size), C(last_modified) and, with O(dest), C(path).
  returned: when waiting
  type: list
  elements: dict
total_size:
  description: Bytes in all bundles.
  returned: when waiting
  type: int
elapsed:
  description: Seconds spent waiting.
  returned: when waiting
  type: float
environment:
  description: The environment the module targeted (URLs, production flag).
  returned: always
  type: dict
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import dir_dest_problem
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.paths import UnsafeNameError, check_all, shown
from ansible_collections.mas.dedicated.plugins.module_utils.tools.log_collection import parse_request_id, submit, wait_for_bundles


def collect(mas):
    params = mas.params
    waiting = params['wait'] or bool(params['dest'])
    result = {'changed': True, 'environment': mas.environment.as_dict()}
    # Checked before the request is sent: an upload request cannot be taken back.
    problem = params['dest'] and dir_dest_problem(params['dest'])
    if problem:
        raise RefusedError(problem)
    if mas.check_mode:
        return result
    client = mas.client('manage_url')
    bucket = mas.cos() if waiting else None
    known = set(item['key'] for item in bucket.list(params['logs_prefix'])) if bucket else set()
    request_id, requested_at = parse_request_id(submit(client))
    result.update(request_id=request_id, requested_at=requested_at.isoformat())
    if not waiting:
        return result
    bundles, dummy, seconds = wait_for_bundles(bucket, known, requested_at, params['expected_bundles'],
                                               params['settle_time'], params['wait_timeout'], params['poll_interval'],
                                               params['logs_prefix'])
    targets = {}
    if params['dest']:
        # A bundle is saved under its name (the last segment of its key): every name is checked, and names
        # checked against each other, before the first download.
        try:
            targets = check_all(params['dest'], [bundle['key'].rsplit('/', 1)[-1] for bundle in bundles],
                                what='log bundle name')
        except UnsafeNameError as exc:
            raise RefusedError("%s (of a bundle in s3://%s; dest %s)" % (exc, bucket.bucket, params['dest']),
                               request_id=request_id, bundle_keys=[shown(b['key']) for b in bundles])
    for bundle in bundles:
        bundle['last_modified'] = bundle['last_modified'].isoformat() if bundle['last_modified'] else None
        if params['dest']:
            bundle['path'] = targets[bundle['key'].rsplit('/', 1)[-1]]
            bucket.download(bundle['key'], bundle['path'])
    result.update(bundles=bundles, total_size=sum(b['size'] for b in bundles), elapsed=seconds)
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment', 'wait', 'cos', 'cos.download',
        bucket=dict(type='str'),
        logs_prefix=dict(type='str', default=''),
        wait=dict(type='bool', default=False),
        expected_bundles=dict(type='int'),
        settle_time=dict(type='float', default=60.0),
        dest=dict(type='path'),
    )
    mas = MasModule(spec, path_kinds={'dest': 'directory'}, required_if=[('wait', True, ['bucket'])], required_by={'dest': 'bucket'})
    mas.guard('log_upload')
    mas.run(lambda: collect(mas))


if __name__ == '__main__':
    main()
