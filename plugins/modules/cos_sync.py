#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: cos_sync
short_description: Synchronise a local directory and a prefix of a MAS Dedicated IBM COS bucket
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Makes a bucket prefix match a local directory (O(direction=upload)) or a local directory match a bucket prefix
    (O(direction=download)) in one task.
  - One listing pass of the bucket (a request per 1,000 objects) and one walk of the directory give a plan, which is to
    transfer what is missing or differs by size or content (S3 ETag, computed locally, see
    M(mas.dedicated.cos_object)), skip the rest, and with O(delete=true) delete what the source does not have.
  - Transfers run in parallel. Check mode returns the plan without transferring anything.
  - For a download every key under O(prefix) is checked before anything is written (in check mode too). A key that
    would name a file outside O(local_path) (a C(..) segment, an absolute key, a symbolic link on the way that points
    outside), an empty or C(.) segment, a control character, or two keys that cannot both be files (V(a) and
    V(a/b)) fail the task with the key named, and nothing is downloaded or deleted.
options:
  bucket:
    description:
      - The bucket name from the Welcome Letter (for example the custfile or the Logs bucket).
    type: str
    required: true
  direction:
    description:
      - V(upload) copies from O(local_path) to the bucket; V(download) copies from the bucket to O(local_path).
    type: str
    choices: [upload, download]
    required: true
  local_path:
    description:
      - The local directory. Created for a download when missing.
      - Downloaded files are moved into place atomically (Ansible's atomic move), mode 0644; the module takes no
        O(ansible.builtin.file#module:mode) or owner options, as they would apply to every file of the tree - set
        them afterwards with M(ansible.builtin.file) (O(ansible.builtin.file#module:recurse=true)).
    type: path
    required: true
  prefix:
    description:
      - The key prefix in the bucket that mirrors O(local_path), for example V(imports/). Empty for the whole bucket.
    type: str
    default: ''
  delete:
    description:
      - Delete, on the destination side, files or objects that the source does not have (only among the
        included ones).
    type: bool
    default: false
  include:
    description:
      - Shell patterns of relative paths to consider (any may match). Default all.
    type: list
    elements: str
  exclude:
    description:
      - Shell patterns of relative paths to leave alone.
    type: list
    elements: str
  read_only:
    description:
      - The bucket is read-only for these keys, as the Welcome Letter says and the P(mas.dedicated.environments#inventory)
        inventory gives it (C(mas_<bucket role>_bucket_read_only), for example C(mas_logs_bucket_read_only)).
      - O(direction=upload) is refused before any request is sent, in check mode too.
    type: bool
    default: false
extends_documentation_fragment:
  - mas.dedicated.cos
  - mas.dedicated.tls
  - mas.dedicated.progress
  - mas.dedicated.cos.transfer
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_cos
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - Returns the plan; nothing is transferred or deleted.
  diff_mode:
    support: none
seealso:
  - module: mas.dedicated.cos_object
'''

EXAMPLES = r'''
- name: Publish Migration Manager packages to /MeaGlobalDirs/migration
  mas.dedicated.cos_sync:
    direction: upload
    local_path: build/migration
    bucket: acme-test-custfile
    prefix: migration/
    include: ["*.zip"]
    delete: true

- name: Mirror the Logs bucket locally before the 30-day purge
  mas.dedicated.cos_sync:
    direction: download
    bucket: acme-prod-logs
    local_path: /srv/mas-logs/prod
'''

RETURN = r'''
plan:
  description: Relative paths by action (C(upload) or C(download), C(delete), C(skip)); lists are cut at 1000 names.
  returned: always
  type: dict
counts:
  description: How many paths each action has.
  returned: always
  type: dict
  sample: {"upload": 3, "delete": 0, "skip": 997}
bytes_transferred:
  description: Bytes uploaded or downloaded.
  returned: always
  type: int
'''

import os
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.paths import UnsafeNameError, check_all, shown
from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import Progress
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import file_etag, plan_sync, read_only_refusal, selected

SHOWN = 1000


def local_tree(root, include, exclude):
    """Relative path (with /) -> {'size', 'etag' (computed lazily), 'path'} for the files under root."""
    tree = {}
    if not os.path.isdir(root):
        return tree
    for directory, dummy, files in os.walk(root):
        for name in files:
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, root).replace(os.sep, '/')
            if selected(rel, include, exclude):
                tree[rel] = {'size': os.path.getsize(path), 'etag': _lazy_etag(path), 'path': path}
    return tree


def _lazy_etag(path):
    cache = {}

    def etag(part_size):
        if part_size not in cache:
            cache[part_size] = file_etag(path, part_size)
        return cache[part_size]
    return etag


def remote_tree(bucket, prefix, include, exclude):
    tree = {}
    for item in bucket.list(prefix):
        rel = item['key'][len(prefix):]
        if rel and not rel.endswith('/') and selected(rel, include, exclude):
            tree[rel] = item
    return tree


def cos_sync(mas):
    params = mas.params
    if params['read_only'] and params['direction'] == 'upload':
        raise RefusedError(read_only_refusal(params['bucket'], 'a sync upload'), refused=True)
    prefix = params['prefix'] or ''
    if prefix and not prefix.endswith('/'):
        prefix += '/'
    root = params['local_path']
    if params['direction'] == 'upload' and not os.path.isdir(root):
        raise RefusedError("local_path '%s' is not a directory" % root)
    bucket = mas.cos()
    local = local_tree(root, params['include'], params['exclude'])
    remote = remote_tree(bucket, prefix, params['include'], params['exclude'])
    plan = plan_sync(local, remote, params['direction'], params['delete'])
    verb = params['direction']
    targets = {}
    if verb == 'download':
        # Every key is checked before the first byte is written (in check mode too): a key of the bucket must
        # not name a file outside local_path ('..', an absolute key, a symbolic link on the way).
        try:
            targets = check_all(root, sorted(remote))
        except UnsafeNameError as exc:
            raise RefusedError("refused object key '%s' of bucket %s: %s; nothing was downloaded to %s"
                               % (shown(prefix + exc.name), params['bucket'], exc.reason, root),
                               unsafe_key=shown(prefix + exc.name, 1100))
    sizes = local if verb == 'upload' else remote
    result = {
        'changed': bool(plan[verb] or plan['delete']),
        'plan': dict((k, v[:SHOWN]) for k, v in plan.items()),
        'counts': dict((k, len(v)) for k, v in plan.items()),
        'bytes_transferred': 0,
    }
    if mas.check_mode or not result['changed']:
        return result
    progress = Progress(params['progress_file'], 'cos_sync %s' % verb, total=len(plan[verb]),
                        total_bytes=sum(sizes[rel]['size'] for rel in plan[verb]), warn=mas.module.warn)

    def transfer(rel):
        if verb == 'upload':
            bucket.upload(local[rel]['path'], prefix + rel)
        else:
            bucket.download(prefix + rel, targets[rel], size=remote[rel]['size'], etag=remote[rel]['etag'])
        progress.add(1, sizes[rel]['size'])
        return sizes[rel]['size']

    with ThreadPoolExecutor(max_workers=max(1, params['concurrency'])) as pool:
        result['bytes_transferred'] = sum(pool.map(transfer, plan[verb]))
    if plan['delete']:
        if verb == 'upload':
            bucket.delete(prefix + rel for rel in plan['delete'])
        else:
            for rel in plan['delete']:
                os.unlink(local[rel]['path'])
    progress.finish()
    return result


def main():
    spec = argument_spec(
        'cos', 'tls', 'cos.transfer', 'progress',
        bucket=dict(type='str', required=True),
        direction=dict(type='str', choices=['upload', 'download'], required=True),
        local_path=dict(type='path', required=True),
        prefix=dict(type='str', default=''),
        delete=dict(type='bool', default=False),
        include=dict(type='list', elements='str'),
        exclude=dict(type='list', elements='str'),
        read_only=dict(type='bool', default=False),
    )
    mas = MasModule(spec)
    mas.run(lambda: cos_sync(mas))


if __name__ == '__main__':
    main()
