#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: rclone_remote
short_description: Manage the rclone remote of one MAS Dedicated IBM COS bucket
version_added: 0.1.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Writes the rclone remote the support guide's C(rclone config) steps produce for one bucket (C(type = s3),
    C(provider = IBMCOS), C(env_auth = false), the bucket's HMAC keys, the endpoint, C(location_constraint) and
    C(acl)), one remote per bucket since each bucket has its own keys.
  - Edits only its own section of the config file; other remotes, comments and their order stay byte for byte.
    The file is written atomically with mode 0600.
  - Optionally proves the remote works by listing the bucket with the real C(rclone) binary.
options:
  name:
    description:
      - The remote name, for example V(acme-dev-custfile).
    type: str
    required: true
  path:
    description:
      - The rclone config file. Defaults to E(RCLONE_CONFIG) when set, else C(~/.config/rclone/rclone.conf).
    type: path
  state:
    description:
      - V(present) writes the remote; V(absent) removes its section.
    type: str
    choices: [present, absent]
    default: present
  bucket:
    description:
      - The bucket this remote is for; used by O(verify).
    type: str
  region:
    description:
      - The COS region from the Welcome Letter, for example V(us-east).
    type: str
  endpoint_type:
    description:
      - The COS network the endpoint is derived for.
    type: str
    choices: [public, direct, private]
    default: public
  endpoint:
    description:
      - The endpoint host or URL, overriding the one derived from O(region) and O(endpoint_type).
    type: str
  location_constraint:
    description:
      - The location constraint; defaults to C(REGION-standard) as in the support guide's steps.
    type: str
  acl:
    description:
      - The canned ACL rclone uses for new objects.
    type: str
    default: private
  access_key_id:
    description:
      - The bucket's HMAC access key id.
    type: str
  secret_access_key:
    description:
      - The bucket's HMAC secret access key. Masked in results and diffs.
    type: str
  verify:
    description:
      - After writing, list the top level of O(bucket) through the remote with C(rclone lsf) and fail if that fails.
    type: bool
    default: false
  rclone_binary:
    description:
      - The rclone executable used by O(verify).
    type: path
    default: rclone
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - Secret values are masked in the diff.
  platform:
    platforms: posix
seealso:
  - module: mas.dedicated.cos_object
  - name: IBM COS with rclone
    description: IBM documentation of rclone for Cloud Object Storage.
    link: https://cloud.ibm.com/docs/cloud-object-storage?topic=cloud-object-storage-rclone
'''

EXAMPLES = r'''
- name: A remote for the custfile bucket of the Welcome Letter
  mas.dedicated.rclone_remote:
    name: acme-dev-custfile
    bucket: acme-dev-custfile
    region: us-east
    access_key_id: "{{ vault_custfile_access_key_id }}"
    secret_access_key: "{{ vault_custfile_secret_access_key }}"
    verify: true

- name: Remove a remote
  mas.dedicated.rclone_remote:
    name: acme-old-logs
    state: absent
'''

RETURN = r'''
path:
  description: The config file.
  returned: always
  type: str
remote:
  description: The remote's options as written, secrets masked.
  returned: when O(state=present)
  type: dict
verified:
  description: Whether C(rclone lsf) listed the bucket through the remote.
  returned: when O(verify=true)
  type: bool
'''

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mas.dedicated.plugins.module_utils.cos_plan import ENDPOINT_HOSTS
from ansible_collections.mas.dedicated.plugins.module_utils.files import atomic_write, directory_lock
from ansible_collections.mas.dedicated.plugins.module_utils.rclone_config import (
    ibm_cos_remote, masked, read_section, remove_section, render_section, upsert_section)
from ansible_collections.mas.dedicated.plugins.module_utils.redact import redact_text


def default_path():
    if os.environ.get('RCLONE_CONFIG'):
        return os.environ['RCLONE_CONFIG']
    # rclone's own default location; the module's 'path' option (type path) expands ~ for explicit paths.
    base = os.environ.get('XDG_CONFIG_HOME') or os.path.join(os.environ.get('HOME', '/root'), '.config')
    return os.path.join(base, 'rclone', 'rclone.conf')


def desired_options(module):
    params = module.params
    missing = [name for name in ('access_key_id', 'secret_access_key') if not params[name]]
    if not params['endpoint'] and not params['region']:
        missing.append('region (or endpoint)')
    if missing:
        module.fail_json(msg='state=present needs %s' % ', '.join(missing))
    endpoint = params['endpoint'] or ENDPOINT_HOSTS[params['endpoint_type']] % params['region']
    location = params['location_constraint'] or ('%s-standard' % params['region'] if params['region'] else '')
    return ibm_cos_remote(params['access_key_id'], params['secret_access_key'], endpoint, location, params['acl'])


def verify(module, path, secrets):
    if not module.params['bucket']:
        module.fail_json(msg='verify=true needs bucket')
    binary = module.get_bin_path(module.params['rclone_binary'], required=True)
    # rclone fails to load a CA bundle it does not need for a plain-http endpoint (a local test server).
    env = {'AWS_CA_BUNDLE': ''} if str(module.params['endpoint'] or '').startswith('http://') else None
    rc, dummy, err = module.run_command([binary, '--config', path, 'lsf', '--max-depth', '1',
                                         '%s:%s' % (module.params['name'], module.params['bucket'])],
                                        environ_update=env)
    if rc != 0:
        module.fail_json(msg='rclone could not list %s:%s through the remote: %s' % (
            module.params['name'], module.params['bucket'], redact_text(err.strip()[-500:], secrets)), verified=False)
    return True


def edit(module, path):
    """Read the file, change this remote's section, replace the file when it changed; the result."""
    params = module.params
    text = ''
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
    before = read_section(text, params['name'])
    if params['state'] == 'present':
        wanted = desired_options(module)
        new_text = upsert_section(text, params['name'], wanted) if before != wanted else text
    else:
        wanted = None
        new_text = remove_section(text, params['name'])
    changed = new_text != text
    result = {'changed': changed, 'path': path}
    if wanted is not None:
        result['remote'] = dict(masked(wanted))
    if module._diff:
        result['diff'] = {
            'before_header': '%s [%s]' % (path, params['name']), 'after_header': '%s [%s]' % (path, params['name']),
            'before': render_section(params['name'], masked(before)) if before is not None else '',
            'after': render_section(params['name'], masked(wanted)) if wanted is not None else '',
        }
    if changed and not module.check_mode:
        atomic_write(path, [new_text.encode('utf-8')], mode=0o600)
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            path=dict(type='path'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            bucket=dict(type='str'),
            region=dict(type='str'),
            endpoint_type=dict(type='str', choices=['public', 'direct', 'private'], default='public'),
            endpoint=dict(type='str'),
            location_constraint=dict(type='str'),
            acl=dict(type='str', default='private'),
            access_key_id=dict(type='str', no_log=True),
            secret_access_key=dict(type='str', no_log=True),
            verify=dict(type='bool', default=False),
            rclone_binary=dict(type='path', default='rclone'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not params['name'] or any(c in params['name'] for c in '[]:\n'):
        module.fail_json(msg="name '%s' is not a valid rclone remote name" % params['name'])
    path = params['path'] or default_path()
    secrets = [s for s in (params['access_key_id'], params['secret_access_key']) if s]
    if module.check_mode:
        result = edit(module, path)
    else:
        # Other hosts of the play may edit the same file at the same time (one rclone.conf for all environments).
        with directory_lock(path):
            result = edit(module, path)
    if params['verify'] and params['state'] == 'present' and not module.check_mode:
        result['verified'] = verify(module, path, secrets)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
