#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: rclone_remote
short_description: Manage the rclone remotes of MAS Dedicated IBM COS buckets
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Writes the rclone remote the support guide's C(rclone config) steps produce for one bucket (C(type = s3),
    C(provider = IBMCOS), C(env_auth = false), the bucket's HMAC keys, the endpoint, C(location_constraint) and
    C(acl)), one remote per bucket since each bucket has its own keys.
  - Edits only its own section of the config file; other remotes, comments and their order stay byte for byte.
    The file is written atomically with mode 0600.
  - Every value is checked before the file is touched; a value with a line break or another control character, with
    white space at either end, or starting with a backtick or three double quotes (which rclone's config reader strips)
    fails the task, naming the option but never showing the value. A line break would otherwise add keys or whole
    remotes to the file.
  - Optionally proves the remote works by listing the bucket with the real C(rclone) binary.
  - With O(remotes), many remotes (every bucket of every environment of an instance) are written in one task; the
    file is read, edited and written once, under one lock.
options:
  name:
    description:
      - The remote name, for example V(acme-dev-custfile).
      - rclone's rules for remote names apply - letters, digits, V(_), V(.), V(+), V(@), and V(-) or a space between
        them (not first, no trailing space) - and at most 200 characters. Anything else (V(/), V(:), V([), a
        control character) fails the task before the file is touched. rclone before 1.62 does not accept V(+) and
        V(@) in remote names.
      - Exactly one of O(name) and O(remotes) is required.
    type: str
  remotes:
    description:
      - Several remotes in one task. Each item takes the per-remote options below; an option an item leaves out
        comes from the top-level option of the same name (so O(region) or O(verify) can be given once).
    type: list
    elements: dict
    suboptions:
      name:
        description: The remote name.
        type: str
        required: true
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
      bucket:
        description: As O(bucket).
        type: str
      region:
        description: As O(region).
        type: str
      endpoint_type:
        description: As O(endpoint_type).
        type: str
        choices: [public, direct, private]
      endpoint:
        description: As O(endpoint).
        type: str
      location_constraint:
        description: As O(location_constraint).
        type: str
      acl:
        description: As O(acl).
        type: str
      access_key_id:
        description: As O(access_key_id).
        type: str
      secret_access_key:
        description: As O(secret_access_key).
        type: str
      verify:
        description: As O(verify).
        type: bool
  path:
    description:
      - The rclone config file. Defaults to E(RCLONE_CONFIG) when set, else C(~/.config/rclone/rclone.conf).
      - A missing directory is created (mode 0700). The file is written with mode 0600 unless O(mode) says otherwise,
        and moved into place atomically (keeping an existing file's SELinux context).
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
      - Before the file is replaced, list the top level of O(bucket) through the new remote with C(rclone lsf) (on a
        private copy of the new file beside it) and fail if that fails. On failure the file is left as it was and the
        task reports C(changed=false); with O(remotes), no remote of the task is written.
    type: bool
    default: false
  rclone_binary:
    description:
      - The rclone executable used by O(verify).
    type: path
    default: rclone
notes:
  - Not a member of the C(mas.dedicated.cos) action group, on purpose - it writes rclone's configuration rather than
    calling COS, and takes rclone's names and choices (O(endpoint), not C(endpoint_url); no C(validate_certs),
    C(ca_path), C(part_size_mb) or C(concurrency)). A C(group/mas.dedicated.cos) entry of C(module_defaults) would
    hand it options it does not take, and the task would fail; give it its options directly, or O(remotes).
extends_documentation_fragment:
  - ansible.builtin.files
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - Secret values are masked in the diff.
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

- name: Every bucket of two environments in one task (one read and one write of rclone.conf)
  mas.dedicated.rclone_remote:
    region: us-east
    remotes:
      - {name: acme-dev-custfile, bucket: acme-dev-custfile, access_key_id: "{{ vault_dev_custfile_key_id }}",
         secret_access_key: "{{ vault_dev_custfile_secret }}"}
      - {name: acme-test-custfile, bucket: acme-test-custfile, access_key_id: "{{ vault_test_custfile_key_id }}",
         secret_access_key: "{{ vault_test_custfile_secret }}"}

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
  returned: when O(name) is given and O(state=present)
  type: dict
verified:
  description: Whether C(rclone lsf) listed the bucket through the remote.
  returned: when O(name) is given and O(verify=true)
  type: bool
remotes:
  description: With O(remotes), one result per remote, in order.
  returned: when O(remotes) is given
  type: list
  elements: dict
  contains:
    name:
      description: The remote name.
      type: str
    state:
      description: V(present) or V(absent).
      type: str
    changed:
      description: Whether this remote's section changed.
      type: bool
    remote:
      description: Its options as written, secrets masked (when present).
      type: dict
    verified:
      description: Whether C(rclone lsf) listed its bucket (when verified).
      type: bool
'''

import os
import tempfile

from ansible_collections.mas.dedicated.plugins.module_utils.common.batch import ListOption, repeated
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, directory_lock, finish_file
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec, path_problem
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact_text
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import ENDPOINT_HOSTS
from ansible_collections.mas.dedicated.plugins.module_utils.cos.rclone_config import (
    ConfigValueError, check_options, check_remote_name, check_value, ibm_cos_remote, masked, read_section,
    remove_section, render_section, upsert_section)

# The options one remote is described by; in a remotes item, those left out come from the top-level option.
REMOTES = ListOption('remotes', dict(
    name=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent']),
    bucket=dict(type='str'),
    region=dict(type='str'),
    endpoint_type=dict(type='str', choices=['public', 'direct', 'private']),
    endpoint=dict(type='str'),
    location_constraint=dict(type='str'),
    acl=dict(type='str'),
    access_key_id=dict(type='str', no_log=True),
    secret_access_key=dict(type='str', no_log=True),
    verify=dict(type='bool'),
), defaults=dict(state='present', endpoint_type='public', acl='private', verify=False), required=('name',))


def default_path():
    if os.environ.get('RCLONE_CONFIG'):
        return os.environ['RCLONE_CONFIG']
    # rclone's own default location; the module's 'path' option (type path) expands ~ for explicit paths.
    base = os.environ.get('XDG_CONFIG_HOME') or os.path.join(os.environ.get('HOME', '/root'), '.config')
    return os.path.join(base, 'rclone', 'rclone.conf')


def problems(spec):
    """What is wrong with one remote's spec ([] when nothing)."""
    name = spec['name']
    try:
        check_remote_name(name)
    except ConfigValueError as exc:
        return [str(exc)]
    if spec['state'] != 'present':
        return []
    missing = [key for key in ('access_key_id', 'secret_access_key') if not spec[key]]
    if not spec['endpoint'] and not spec['region']:
        missing.append('region (or endpoint)')
    if spec['verify'] and not spec['bucket']:
        missing.append('bucket (for verify)')
    if missing:
        return ['remote %s: state=present needs %s' % (name, ', '.join(missing))]
    # Every value that reaches the file, and the options they are made from, checked before anything is written:
    # a line break would add keys or whole remotes to the config.
    try:
        for option in ('region', 'endpoint', 'location_constraint', 'acl', 'access_key_id', 'secret_access_key'):
            check_value(option, spec[option], 'remote %s: ' % name)
        check_options(desired_options(spec), 'remote %s: ' % name)
    except ConfigValueError as exc:
        return [str(exc)]
    return []


def desired_options(spec):
    endpoint = spec['endpoint'] or ENDPOINT_HOSTS[spec['endpoint_type']] % spec['region']
    location = spec['location_constraint'] or ('%s-standard' % spec['region'] if spec['region'] else '')
    return ibm_cos_remote(spec['access_key_id'], spec['secret_access_key'], endpoint, location, spec['acl'])


def verify(mas, binary, config, spec):
    """List the bucket through the remote as ``config`` describes it: None when it worked, else the reason."""
    # rclone fails to load a CA bundle it does not need for a plain-http endpoint (a local test server).
    env = {'AWS_CA_BUNDLE': ''} if str(spec['endpoint'] or '').startswith('http://') else None
    target = '%s:%s' % (spec['name'], spec['bucket'])
    # A blip is retried, but a wrong endpoint does not keep rclone's default ten backed-off attempts (over a minute).
    rc, dummy, err = mas.module.run_command([binary, '--config', config, '--retries', '2', '--low-level-retries', '3',
                                             'lsf', '--max-depth', '1', target], environ_update=env)
    if rc != 0:
        return 'rclone could not list %s through the remote: %s' % (target, redact_text(err.strip()[-500:], mas.secrets))
    return None


def verify_candidate(mas, path, text, specs, results):
    """Verify the remotes on the new text in a private file beside ``path`` before it replaces the config, so a
    remote that does not work never reaches the file. Returns the failures ([] when every remote listed)."""
    binary = mas.module.get_bin_path(mas.params['rclone_binary'])
    mas.require('rclone', binary is not None, reason='verify=true',
                hint="'%s' was not found: install rclone (https://rclone.org/install/) or give its path in "
                     "rclone_binary" % mas.params['rclone_binary'])
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle, candidate = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.verify', dir=directory)
    except OSError as exc:
        raise RefusedError('cannot write the copy of %s to verify the remotes on: %s' % (path, exc), changed=False)
    failures = []
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(text.encode('utf-8'))
        for spec, result in zip(specs, results):
            if spec['verify'] and spec['state'] == 'present':
                failure = verify(mas, binary, candidate, spec)
                result['verified'] = failure is None
                if failure:
                    failures.append(failure)
    finally:
        os.unlink(candidate)
    return failures


def edit(path, specs):
    """Read the file once, change every remote's section, replace the file when it changed; one result per remote."""
    text = ''
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
    original = text
    results, before_parts, after_parts = [], [], []
    for spec in specs:
        name = spec['name']
        before = read_section(text, name)
        wanted = desired_options(spec) if spec['state'] == 'present' else None
        if wanted is None:
            new_text = remove_section(text, name)
        else:
            new_text = upsert_section(text, name, wanted) if before != wanted else text
        result = {'name': name, 'state': spec['state'], 'changed': new_text != text}
        if wanted is not None:
            result['remote'] = dict(masked(wanted))
        if result['changed']:
            before_parts.append(render_section(name, masked(before)) if before is not None else '')
            after_parts.append(render_section(name, masked(wanted)) if wanted is not None else '')
        results.append(result)
        text = new_text
    changed = text != original
    diff = {'before_header': path, 'after_header': path,
            'before': ''.join(before_parts), 'after': ''.join(after_parts)}
    return changed, results, diff, text


def apply(mas, path, specs):
    """Edit, verify the result (unless in check mode) and only then replace the file."""
    changed, results, diff, text = edit(path, specs)
    if mas.check_mode:
        return changed, results, diff
    if any(spec['verify'] and spec['state'] == 'present' for spec in specs):
        failures = verify_candidate(mas, path, text, specs, results)
        if failures:
            raise ServiceError('%s; nothing was written to %s' % ('; '.join(failures), path), changed=False,
                               verified=False, path=path)
    if changed:
        atomic_write(path, [text.encode('utf-8')], mode=0o600, module=mas.module)
    return changed, results, diff


def run(mas):
    params = mas.params
    path = params['path'] or default_path()
    if not params['path'] and path_problem('path', path, 'file'):
        # The default (RCLONE_CONFIG or ~/.config/rclone/rclone.conf) is checked like an explicit path.
        raise RefusedError('%s (the default rclone config file)' % path_problem('path', path, 'file'))
    specs = REMOTES.items(params)
    names = [spec['name'] for spec in specs]
    wrong = [problem for spec in specs for problem in problems(spec)]
    wrong += ['remote %s is listed more than once' % name for name in sorted(set(names[n] for n in repeated(names)))]
    if wrong:
        raise RefusedError('; '.join(wrong))
    for spec in specs:
        mas.add_secret(spec['access_key_id'])
        mas.add_secret(spec['secret_access_key'])

    if mas.check_mode:
        changed, results, diff = apply(mas, path, specs)
    else:
        # Other hosts of the play may edit the same file at the same time (one rclone.conf for all environments).
        with directory_lock(path):
            changed, results, diff = apply(mas, path, specs)
    if os.path.exists(path):
        changed = finish_file(mas.module, path, changed)

    output = REMOTES.output(params, {'changed': changed, 'path': path}, results, identity=('name', 'state'))
    if mas.module._diff:
        if not REMOTES.given(params):
            diff['before_header'] = diff['after_header'] = '%s [%s]' % (path, names[0])
        output['diff'] = diff
    return output


def main():
    spec = argument_spec(REMOTES.argument_spec(), path=dict(type='path'), rclone_binary=dict(type='path', default='rclone'))
    mas = MasModule(spec, environment=False, add_file_common_args=True,
                    required_one_of=[('name', 'remotes')], mutually_exclusive=[('name', 'remotes')])
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
