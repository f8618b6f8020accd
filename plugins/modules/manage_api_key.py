#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_api_key
short_description: API keys of Maximo Manage integration users (create, rotate, delete)
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Manages the API key of each user in O(users) through the Manage object structure C(mxapiapikey), with the
    calls of IBM's own client (mas-devops C(create_or_get_manage_api_key_for_user), C(get_manage_api_key_for_user),
    C(delete_manage_api_key)). Manage holds one key per user."
  - V(present) creates a key for a user without one, and reports a held key (C(outcome=exists)) without showing
    it. V(absent) deletes the key. V(rotated) deletes the key and creates a new one (a change on every run).
  - "A key created or rotated by this task is returned once, as RV(apikey) (and RV(users[].apikey)). The module's
    action plugin then marks the whole result C(no_log): the display, C(-vvv) and callbacks show it censored, while
    a registered variable holds the key for the next tasks. Keys already held are never returned nor shown."
  - "O(key_file) writes the key (new or held) to a file of mode 0600, atomically; O(vault_file) writes a YAML file
    C({<vault_var>: <key>}) of mode 0600, ready to be encrypted with C(ansible-vault encrypt <file>) (the module
    writes it in the clear: encrypt it, or keep it out of version control)."
  - The task refuses to delete or rotate the key it authenticates with (O(api_key)).
  - If a file cannot be written after a key was created, the failure does not show the key; run the task again with
    O(state=present) and the file option to write the key Manage now holds.
  - Allowed in production (operation C(manage_api_key_write)). The MAS Dedicated support guide says that all
    integrations are done through API keys and does not forbid customers managing them.
options:
  users:
    description: The Manage user ids whose keys are managed (for example C(MXINTADM)), in order; sent in upper case.
    type: list
    elements: str
    required: true
  state:
    description: V(present), V(absent) or V(rotated), for every user in O(users).
    type: str
    choices: [present, absent, rotated]
    default: present
  expiration:
    description:
      - The C(expiration) of a new key, from 1 to 100000000 (minutes; the unit is not confirmed by IBM's
        documentation, unverified). Omitted, the key never expires (the module sends C(-1), the value IBM's client
        sends).
    type: int
  key_file:
    description:
      - A file to write the key to (mode 0600, atomically; unchanged when it already holds the key). Needs exactly
        one user in O(users); not with O(state=absent).
    type: path
  vault_file:
    description:
      - "A YAML file C({<vault_var>: <key>}) to write (mode 0600), to be encrypted with C(ansible-vault). Needs
        exactly one user in O(users); not with O(state=absent)."
    type: path
  vault_var:
    description: The variable name in O(vault_file). Default C(manage_api_key_<user id in lower case>).
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
    details:
      - Predicts the outcome from the keys Manage holds; creates, deletes and writes nothing.
  diff_mode:
    support: partial
    details:
      - Shows whether each user holds a key before and after, never a key.
notes:
  - "Sources: IBM's mas-devops 12.11.1 (C(mas/devops/users.py)) for the object structure, the calls, the body
    C({expiration: -1, userid}) and the error C(BMXAA10051E) (one key per user). The key returned by C(GET) in the
    C(apikey) attribute is how IBM's client reads a key back. See the collection's C(docs/contracts.md).
  - IBM's client makes these calls on Manage's internal URL with a client certificate; that the public Manage URL
    serves C(mxapiapikey) to an API key, and which rights the key's user needs for it, is unverified."
  - Because the whole result of a task that created a key is censored, put what you need into a registered variable
    and use it in later tasks (with C(no_log) where it is shown).
seealso:
  - module: mas.dedicated.mas_user
'''

EXAMPLES = r'''
- name: Rotate the key of the integration user and keep it in a vault-ready file
  mas.dedicated.manage_api_key:
    instance: acme
    environment: dev
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    users: [INTUSER1]
    state: rotated
    vault_file: "{{ playbook_dir }}/vault/intuser1.yml"
  register: rotated

- name: Encrypt the new key file at once
  ansible.builtin.command: ansible-vault encrypt {{ playbook_dir }}/vault/intuser1.yml

- name: Make sure two users have a key (a held key is not shown)
  mas.dedicated.manage_api_key:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    users: [INTUSER2, INTUSER3]

- name: Delete the key of a retired integration user
  mas.dedicated.manage_api_key:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    users: [OLDINT]
    state: absent
'''

RETURN = r'''
apikey:
  description: The key created or rotated by this task, when O(users) names one user (the result is then censored).
  returned: when a key was created or rotated for a single user (not in check mode)
  type: str
users:
  description: One result per user, in order.
  returned: always
  type: list
  elements: dict
  contains:
    userid:
      description: The user id.
      type: str
    changed:
      description: Whether the key was (or in check mode would be) created or deleted.
      type: bool
    outcome:
      description: V(created), V(rotated), V(deleted), V(exists) (a key is held and kept) or V(absent).
      type: str
    key_exists:
      description: Whether the user holds a key after the task (in check mode, would hold).
      type: bool
    apikey:
      description: The new key, only when it was created or rotated by this task.
      type: str
files:
  description: The files written (O(key_file), O(vault_file)), each with C(path) and C(changed).
  returned: always
  type: list
  elements: dict
'''


from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, would_change
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects, where_equals
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api_keys import (
    default_vault_var, input_problems, key_file_bytes, plan_keys, vault_file_bytes)

OBJECT_STRUCTURE = 'mxapiapikey'


def _held_key(objects, userid):
    for record in objects.query(OBJECT_STRUCTURE, where=where_equals('userid', userid), select='*'):
        if isinstance(record, dict) and str(record.get('userid', '')).upper() == userid.upper() and record.get('href'):
            return record
    return None


def _create(mas, objects, userid):
    """POST the new key as IBM's client does, then read it back (the POST answers with its Location only).

    None when Manage accepted the key but does not give it back (the caller fails, outside its ServiceError catch).
    """
    objects.client.request('POST', '/maximo/api/os/%s' % OBJECT_STRUCTURE, params={'lean': 1, 'ccm': 1},
                           json_body={'expiration': -1 if mas.params['expiration'] is None else mas.params['expiration'],
                                      'userid': userid},
                           expect=(200, 201), idempotent=False)
    record = _held_key(objects, userid)
    key = (record or {}).get('apikey')
    if key:
        mas.add_secret(key)
    return key


def _delete(objects, href):
    """DELETE the key; a 404 means it is gone already, as IBM's client (delete_manage_api_key) treats it."""
    try:
        objects.delete(href)
    except ServiceError as exc:
        if getattr(exc, 'status', None) != 404:
            raise


def _write(mas, path, data):
    if mas.check_mode:
        return would_change(path, data)
    changed, dummy, dummy = atomic_write(path, [data], mode=0o600, module=mas.module)
    return changed


def run(mas):
    p = mas.params
    # Manage user ids are upper case (MAXUSER.USERID is an UPPER field): send them so.
    userids = [u.strip().upper() for u in p['users']]
    problems = input_problems(userids, p['key_file'], p['vault_file'], p['vault_var'], p['state'])
    if p['expiration'] is not None and not 1 <= p['expiration'] <= 10 ** 8:
        problems.append('expiration must be a number of minutes from 1 to 100000000 (omit it for a key that never '
                        'expires)')
    if problems:
        raise RefusedError('; '.join(problems))
    objects = ManageObjects(mas.client('manage_url'))
    held = {}
    for userid in userids:
        record = _held_key(objects, userid)
        held[userid.upper()] = record
        if record and record.get('apikey'):
            mas.add_secret(record['apikey'])
    actions = plan_keys(userids, p['state'], held)
    own = [a.userid for a in actions if a.delete and a.held.get('apikey') and a.held.get('apikey') == p['api_key']]
    if own:
        raise RefusedError('refusing to delete or rotate the API key of %s: it is the key this task authenticates with '
                           '(api_key); use another user\'s key for the task' % ', '.join(own))
    results, new_keys = [], {}
    for action in actions:
        entry = {'userid': action.userid, 'changed': action.changed, 'outcome': action.outcome,
                 'key_exists': action.create or (bool(action.held) and not action.delete)}
        if not mas.check_mode and action.changed:
            try:
                if action.delete:
                    _delete(objects, action.held['href'])
                if action.create:
                    new_keys[action.userid] = _create(mas, objects, action.userid)
            except ServiceError as exc:
                raise ServiceError('user %s: %s' % (action.userid, exc), error=exc.to_dict(),
                                   changed=any(r['changed'] for r in results) or action.delete, users=results)
            if action.create and not new_keys[action.userid]:
                raise ServiceError('user %s: Manage accepted the new API key but does not give it back' % action.userid,
                                   changed=True)
        results.append(entry)
    files = []
    if p['key_file'] or p['vault_file']:
        action = actions[0]
        key = new_keys.get(action.userid) or (None if action.create else (action.held or {}).get('apikey'))
        if key is None and not (mas.check_mode and action.create):
            raise RefusedError('user %s holds no key Manage gives back, so there is nothing to write' % action.userid)
        for option, maker in (('key_file', key_file_bytes),
                              ('vault_file', lambda k: vault_file_bytes(p['vault_var'] or default_vault_var(action.userid), k))):
            if p[option]:
                changed = True if key is None else _write(mas, p[option], maker(key))
                files.append({'path': p[option], 'changed': changed})
    output = redact({'changed': any(r['changed'] for r in results) or any(f['changed'] for f in files),
                     'users': results, 'files': files}, mas.secrets)
    if mas.module._diff:
        output['diff'] = [{'before_header': 'API key of %s' % r['userid'], 'after_header': 'API key of %s' % r['userid'],
                           'before': 'key held\n' if held[r['userid'].upper()] else 'no key\n',
                           'after': ('new key\n' if r['outcome'] in ('created', 'rotated') else
                                     'key held\n' if r['key_exists'] else 'no key\n')}
                          for r in results if r['changed']]
    # The new keys are added after the redaction, for the registered result only; the action plugin
    # censors a result that carries one.
    for entry in output['users']:
        if entry['userid'] in new_keys:
            entry['apikey'] = new_keys[entry['userid']]
    if len(userids) == 1 and new_keys:
        output['apikey'] = new_keys[userids[0]]
    mas.module.no_log_values.difference_update(new_keys.values())
    mas.module.exit_json(**output)


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        users=dict(type='list', elements='str', required=True),
        state=dict(type='str', choices=['present', 'absent', 'rotated'], default='present'),
        expiration=dict(type='int'),
        key_file=dict(type='path'),
        vault_file=dict(type='path'),
        vault_var=dict(type='str'),
    )
    mas = MasModule(spec, path_kinds={'key_file': 'file', 'vault_file': 'file'})
    mas.guard('manage_api_key_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
