#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: cos_object
short_description: Upload, download or delete one object in a MAS Dedicated IBM COS bucket
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Puts a local file into, gets an object from, or deletes an object in an IBM Cloud Object Storage bucket of a
    MAS Dedicated environment (the custfile bucket that Manage reads as C(/MeaGlobalDirs), the Logs bucket ...).
  - Idempotent by content, an upload or download happens only when size or content differ. Content is compared
    through the S3 ETag (the MD5 of a single-part object, or the multipart ETag computed locally for the part
    size the object was stored with), without reading the object.
  - If the module is stopped (SIGTERM, SIGINT, SIGHUP, or the process that started it dies) while downloading, it
    removes its temporary file and fails; the temporary file of a run killed outright (SIGKILL) is removed by the
    next run for the same O(dest), with a warning.
  - Downloads are written to a temporary file beside O(dest) and renamed into place, so O(dest) is never a partial
    file. Every byte range must arrive whole and from the same version of the object (C(If-Match) on its ETag);
    objects up to 32 MiB, fetched in one range, are also checked against their ETag.
options:
  bucket:
    description:
      - The bucket name from the Welcome Letter (for example the custfile or the Logs bucket).
    type: str
    required: true
  mode:
    description:
      - V(put) uploads O(src) to O(object); V(get) downloads O(object) to O(dest); V(delete) removes O(object).
    type: str
    choices: [put, get, delete]
    required: true
  object:
    description:
      - The object key, for example V(imports/assets.csv).
    type: str
    required: true
    aliases: [key]
  src:
    description:
      - The local file to upload. Required with O(mode=put).
    type: path
  dest:
    description:
      - The local file to download to. Required with O(mode=get). Its directory is created when missing.
    type: path
  overwrite:
    description:
      - V(different) transfers only when content differs; V(always) transfers every time; V(never) transfers only
        when the destination does not exist.
    type: str
    choices: [different, always, never]
    default: different
  read_only:
    description:
      - The bucket is read-only for these keys, as the Welcome Letter says and the P(mas.dedicated.environments#inventory)
        inventory gives it (C(mas_<bucket role>_bucket_read_only), for example C(mas_logs_bucket_read_only)).
      - V(put) and V(delete) are refused before any request is sent, in check mode too.
    type: bool
    default: false
extends_documentation_fragment:
  - mas.dedicated.files
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
  diff_mode:
    support: full
notes:
  - Some MAS Dedicated buckets are read-only; with O(read_only=true) an upload or delete there is refused before
    any request, and without it the service's C(AccessDenied) is explained.
  - The custfile bucket is purged after 15 days and the Logs bucket after 30; see M(mas.dedicated.cos_object_info).
seealso:
  - module: mas.dedicated.cos_sync
  - module: mas.dedicated.cos_object_info
  - module: mas.dedicated.rclone_remote
'''

EXAMPLES = r'''
- name: Give Manage a flat file to consume from /MeaGlobalDirs
  mas.dedicated.cos_object:
    mode: put
    bucket: acme-dev-custfile
    region: us-east
    object: imports/assets.csv
    src: files/assets.csv
    access_key_id: "{{ vault_custfile_access_key_id }}"
    secret_access_key: "{{ vault_custfile_secret_access_key }}"

- name: Fetch a log bundle (the inventory declares the Logs bucket read-only, so a put there would be refused)
  mas.dedicated.cos_object:
    mode: get
    bucket: acme-dev-logs
    read_only: "{{ mas_logs_bucket_read_only }}"
    object: "{{ bundle_key }}"
    dest: /var/tmp/acme-logs/{{ bundle_key | basename }}
'''

RETURN = r'''
object:
  description: The object key.
  returned: always
  type: str
size:
  description: The object's size in bytes (after the operation).
  returned: when the object exists
  type: int
etag:
  description: The object's ETag.
  returned: when the object exists
  type: str
transferred:
  description: Whether bytes were (or, in check mode, would be) transferred.
  returned: always
  type: bool
dest:
  description: The local file written.
  returned: with O(mode=get)
  type: str
transfer_seconds:
  description: Seconds the upload or download itself took (without the checks before and after).
  returned: when bytes were transferred
  type: float
'''

import os
import time

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import finish_file, remove_stale_parts
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import Progress
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import file_etag, read_only_refusal, same_content


def _local(path):
    if not os.path.isfile(path):
        return None
    return {'size': os.path.getsize(path), 'etag': lambda part: file_etag(path, part)}


def _state(entry):
    return {'size': entry['size'], 'etag': entry['etag']} if entry else {'exists': False}


def _needed(overwrite, source, target):
    if target is None:
        return True
    if overwrite == 'never':
        return False
    return overwrite == 'always' or not same_content(*source)


def cos_object(mas):
    params = mas.params
    if params['read_only'] and params['mode'] != 'get':
        raise RefusedError(read_only_refusal(params['bucket'], 'mode=%s' % params['mode']), refused=True)
    bucket = mas.cos()
    key = params['object']
    remote = bucket.head(key)
    result = {'changed': False, 'object': key, 'transferred': False}
    mode = params['mode']
    if mode == 'put':
        local = _local(params['src'])
        if local is None:
            raise RefusedError("src '%s' is not a readable file" % params['src'])
        transfer = _needed(params['overwrite'], (local, remote), remote)
        if transfer and not mas.check_mode:
            started = time.monotonic()
            progress = Progress(params['progress_file'], 'cos_object put %s' % key, total=1, total_bytes=local['size'],
                                unit='objects', warn=mas.module.warn)
            bucket.upload(params['src'], key, progress=progress.add_bytes)
            progress.add(1)
            progress.finish()
            result['transfer_seconds'] = round(time.monotonic() - started, 3)
        after = bucket.head(key) if transfer and not mas.check_mode else remote
        diff = (_state(remote), _state(after) if after else {'size': local['size']})
    elif mode == 'get':
        if remote is None:
            raise RefusedError("s3://%s/%s does not exist" % (params['bucket'], key))
        if not mas.check_mode:
            # Left by a run that was killed (SIGKILL leaves no chance to clean up); a live download's is kept.
            for path in remove_stale_parts(params['dest']):
                mas.module.warn('removed %s, the partial file of an interrupted download' % path)
        local = _local(params['dest'])
        transfer = _needed(params['overwrite'], (local, remote), local)
        if transfer and not mas.check_mode:
            started = time.monotonic()
            progress = Progress(params['progress_file'], 'cos_object get %s' % key, total=1,
                                total_bytes=remote['size'], unit='objects', warn=mas.module.warn)
            bucket.download(key, params['dest'], size=remote['size'], etag=remote['etag'], progress=progress.add_bytes)
            progress.add(1)
            progress.finish()
            result['transfer_seconds'] = round(time.monotonic() - started, 3)
        result['dest'] = params['dest']
        if finish_file(mas.module, params['dest'], False, mode=params['dest_mode']):
            result['changed'] = True
        after = remote
        diff = ({'local': {'size': local['size']} if local else {'exists': False}}, {'local': {'size': remote['size']}})
    else:
        transfer = False
        after = None
        if remote is not None and not mas.check_mode:
            bucket.delete([key])
        result['changed'] = remote is not None
        diff = (_state(remote), {'exists': False})
    if transfer:
        result.update(changed=True, transferred=True)
    if after:
        result.update(size=after['size'], etag=after['etag'])
    if mas.module._diff:
        result['diff'] = {'before': diff[0], 'after': diff[1]}
    return result


def main():
    spec = argument_spec(
        'cos', 'tls', 'cos.transfer', 'files', 'progress',
        bucket=dict(type='str', required=True),
        mode=dict(type='str', choices=['put', 'get', 'delete'], required=True),
        object=dict(type='str', required=True, aliases=['key']),
        src=dict(type='path'),
        dest=dict(type='path'),
        overwrite=dict(type='str', choices=['different', 'always', 'never'], default='different'),
        read_only=dict(type='bool', default=False),
    )
    mas = MasModule(spec, path_kinds={'dest': 'file'}, required_if=[('mode', 'put', ['src']), ('mode', 'get', ['dest'])])
    mas.run(lambda: cos_object(mas))


if __name__ == '__main__':
    main()
