#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: automation_script
short_description: Maximo Manage automation scripts from files, with their variables and launch points
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Keeps automation scripts in Manage as the files in git say, through the object structure C(mxapiautoscript)
    (C(/maximo/api/os/mxapiautoscript), lean JSON): the script text from O(source_file), its language, description,
    log level, status, variables (C(autoscriptvars)) and launch points (C(scriptlaunchpoint)) of the kinds IBM
    documents: object, attribute, action and custom condition."
  - "Idempotent by content. The held script is read back and compared with the file's text exactly; only what differs
    is written, with a MERGE patch (C(x-method-override: PATCH), C(patchtype: MERGE)), so an equal script is not
    written at all."
  - The source file is only read, never altered; its SHA-256 is returned.
  - Several scripts in one task (O(scripts)) are read with one paged query and written over one connection.
  - Every option is checked before any request (language, launch point kinds and what each must name, names
    without quotes or newlines, duplicates); a bad script fails the task and nothing is sent.
  - The MAS Dedicated support guide asks for data changes through automation scripts rather than SQL, and for
    Migration Manager to move changes between environments. It does not forbid writing scripts in production, so
    this module is allowed there (operation C(manage_config_write)); promote what was tested in non-production.
options:
  name:
    description:
      - The script's name (C(autoscript)); Manage keeps it in upper case, so it is sent upper-cased.
      - Exactly one of O(name) and O(scripts) is required.
    type: str
  source_file:
    description:
      - The file with the script text, read as UTF-8. Required unless O(state=absent).
    type: path
  language:
    description:
      - The script language (C(scriptlanguage)). Required unless O(state=absent).
    type: str
    choices: [jython, python, javascript, nashorn, ecmascript, js]
  description:
    description: The script's description.
    type: str
  log_level:
    description: The script's log level (C(loglevel)).
    type: str
    choices: [DEBUG, INFO, WARN, ERROR, FATAL]
  status:
    description: The script's status.
    type: str
    choices: [Active, Draft, Inactive]
  variables:
    description:
      - The script's variables (C(autoscriptvars)), matched by name. Variables Manage holds that are not listed are
        left as they are.
    type: list
    elements: dict
    suboptions:
      name:
        description: The variable name (C(varname)).
        type: str
        required: true
      type:
        description: C(vartype).
        type: str
        choices: [IN, OUT, INOUT]
      binding_type:
        description: C(varbindingtype).
        type: str
        choices: [LITERAL, ATTRIBUTE, MAXVAR, SYSPROP]
      binding_value:
        description: C(varbindingvalue).
        type: str
      description:
        description: The variable's description.
        type: str
  launch_points:
    description:
      - The script's launch points (C(scriptlaunchpoint)), matched by name. Launch points Manage holds that are not
        listed are left as they are.
    type: list
    elements: dict
    suboptions:
      name:
        description: The launch point name (C(launchpointname)).
        type: str
        required: true
      type:
        description:
          - The kind (C(launchpointtype)). V(OBJECT) and V(CUSTOMCONDITION) must name O(launch_points[].object),
            V(ATTRIBUTE) the object and O(launch_points[].attribute), V(ACTION) O(launch_points[].action).
        type: str
        required: true
        choices: [OBJECT, ATTRIBUTE, ACTION, CUSTOMCONDITION]
      object:
        description: The business object (C(objectname)).
        type: str
      attribute:
        description: The attribute (C(attributename)), for an attribute launch point.
        type: str
      action:
        description: The action (C(actionname)), for an action launch point.
        type: str
      condition:
        description: The launch point's condition (C(condition)).
        type: str
      description:
        description: The launch point's description.
        type: str
      active:
        description: Whether the launch point is active.
        type: bool
      bindings:
        description: "Variable bindings of this launch point (C(launchpointvars)), as C({VARNAME: value})."
        type: dict
      attributes:
        description:
          - Further C(scriptlaunchpoint) attributes in lean JSON, for example the event flags of an object launch
            point (C(add), C(update), C(delete), C(beforesave)). Their names and meaning are not confirmed by IBM's
            documentation (unverified); they are sent as given.
        type: dict
  state:
    description: V(present) creates or updates the script, V(absent) deletes it (with its launch points).
    type: str
    choices: [present, absent]
    default: present
  scripts:
    description:
      - Several scripts in one task, each with the options of one script. An option an item leaves out comes from
        the top-level option of the same name (for example O(state) or O(log_level) given once).
    type: list
    elements: dict
    suboptions:
      name:
        description: As O(name).
        type: str
        required: true
      source_file:
        description: As O(source_file).
        type: path
      language:
        description: As O(language).
        type: str
        choices: [jython, python, javascript, nashorn, ecmascript, js]
      description:
        description: As O(description).
        type: str
      log_level:
        description: As O(log_level).
        type: str
        choices: [DEBUG, INFO, WARN, ERROR, FATAL]
      status:
        description: As O(status).
        type: str
        choices: [Active, Draft, Inactive]
      variables:
        description: As O(variables).
        type: list
        elements: dict
      launch_points:
        description: As O(launch_points).
        type: list
        elements: dict
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
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
      - The script text before (in Manage) and after (the file), and the other attributes that change.
notes:
  - The object structure C(mxapiautoscript) and its attributes C(autoscript), C(scriptlanguage), C(source),
    C(description), C(status) come from public clients (the C(mxscript) VS Code extension); C(loglevel),
    C(autoscriptvars), C(scriptlaunchpoint) and C(launchpointvars) from the Maximo tables and public deployment tools.
    The list of languages and the launch point event flags are not confirmed by IBM's documentation (unverified).
    See the collection's C(docs/contracts.md).
seealso:
  - module: mas.dedicated.manage_object
'''

EXAMPLES = r'''
- name: One script with an attribute launch point
  mas.dedicated.automation_script:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    name: ACME_ASSET_DESC
    source_file: scripts/acme_asset_desc.py
    language: jython
    description: Upper-cases the asset description
    log_level: ERROR
    launch_points:
      - name: ACME_ASSET_DESC
        type: ATTRIBUTE
        object: ASSET
        attribute: DESCRIPTION
        active: true

- name: All scripts of a directory in one task
  mas.dedicated.automation_script:
    instance: acme
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    log_level: ERROR
    scripts:
      - {name: ACME_WO_SAVE, source_file: scripts/acme_wo_save.js, language: javascript,
         launch_points: [{name: ACME_WO_SAVE, type: OBJECT, object: WORKORDER, active: true}]}
      - {name: ACME_OLD_SCRIPT, state: absent}
'''

RETURN = r'''
outcome:
  description: V(created), V(updated), V(deleted) or V(unchanged).
  returned: when O(name) is given
  type: str
sha256:
  description: The SHA-256 of the source file's text (UTF-8).
  returned: when O(name) is given and O(state=present)
  type: str
live_sha256:
  description:
    - The SHA-256 of the script text Manage held before this task (UTF-8); null when it did not exist. Equal to
      RV(sha256) when the script in Manage is the file's text; the P(mas.dedicated.promote#role) role compares it
      across environments.
  returned: when O(name) is given
  type: str
changed_attributes:
  description: The top-level attributes written.
  returned: when O(name) is given
  type: list
  elements: str
source_diff:
  description: The unified diff of the script text in Manage against the file; empty when equal.
  returned: when O(name) is given
  type: str
href:
  description: The script's link, when it exists.
  returned: when O(name) is given and the script exists or was created
  type: str
scripts:
  description: With O(scripts), one result per script, in order.
  returned: when O(scripts) is given
  type: list
  elements: dict
  contains:
    name:
      description: The script's name, upper case.
      type: str
    changed:
      description: Whether this script was (or in check mode would be) written.
      type: bool
    outcome:
      description: As RV(outcome).
      type: str
    sha256:
      description: As RV(sha256).
      type: str
    live_sha256:
      description: As RV(live_sha256).
      type: str
    changed_attributes:
      description: As RV(changed_attributes).
      type: list
      elements: str
    source_diff:
      description: As RV(source_diff).
      type: str
    href:
      description: As RV(href).
      type: str
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.batch import ListOption
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects, where_in
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_config import (
    check_script, plan_script, sha256_text, wanted_script)

OBJECT_STRUCTURE = 'mxapiautoscript'
LANGUAGES = ['jython', 'python', 'javascript', 'nashorn', 'ecmascript', 'js']
VARIABLE = dict(
    name=dict(type='str', required=True), type=dict(type='str', choices=['IN', 'OUT', 'INOUT']),
    binding_type=dict(type='str', choices=['LITERAL', 'ATTRIBUTE', 'MAXVAR', 'SYSPROP']),
    binding_value=dict(type='str'), description=dict(type='str'))
LAUNCH_POINT = dict(
    name=dict(type='str', required=True),
    type=dict(type='str', required=True, choices=['OBJECT', 'ATTRIBUTE', 'ACTION', 'CUSTOMCONDITION']),
    object=dict(type='str'), attribute=dict(type='str'), action=dict(type='str'), condition=dict(type='str'),
    description=dict(type='str'), active=dict(type='bool'), bindings=dict(type='dict'), attributes=dict(type='dict'))
SCRIPT_OPTIONS = dict(
    name=dict(type='str'),
    source_file=dict(type='path'),
    language=dict(type='str', choices=LANGUAGES),
    description=dict(type='str'),
    log_level=dict(type='str', choices=['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']),
    status=dict(type='str', choices=['Active', 'Draft', 'Inactive']),
    variables=dict(type='list', elements='dict', options=VARIABLE),
    launch_points=dict(type='list', elements='dict', options=LAUNCH_POINT),
    state=dict(type='str', choices=['present', 'absent']),
)
# An item's variables and launch points are checked by check_script (their documentation refers to the top level).
SCRIPTS = ListOption('scripts', SCRIPT_OPTIONS, defaults={'state': 'present'}, required=('name',),
                     item=dict(variables=dict(type='list', elements='dict'), launch_points=dict(type='list', elements='dict')))


def read_source(path):
    with open(path, 'rb') as handle:
        data = handle.read()
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        raise ValueError('%s is not UTF-8 text' % path)


def run(mas):
    specs = SCRIPTS.items(mas.params)
    problems = []
    for spec in specs:
        problems.extend(check_script(spec))
    names = [str(spec['name'] or '').upper() for spec in specs]
    problems.extend('script %s is listed more than once' % n for n in sorted(set(n for n in names if names.count(n) > 1)))
    sources = {}
    if not problems:
        for spec in specs:
            if spec['state'] == 'present':
                try:
                    sources[spec['name'].upper()] = read_source(spec['source_file'])
                except (OSError, IOError, ValueError) as exc:
                    problems.append('script %s: cannot read source_file: %s' % (spec['name'], exc))
    if problems:
        raise RefusedError('; '.join(problems))
    objects = ManageObjects(mas.client('manage_url'))
    held = {}
    for record in objects.query(OBJECT_STRUCTURE, where=where_in('autoscript', names), select='*'):
        held[str(record.get('autoscript') or '').upper()] = record
    results, diffs = [], []
    for spec in specs:
        name = spec['name'].upper()
        wanted = wanted_script(spec, sources[name]) if spec['state'] == 'present' else {'autoscript': name}
        action = plan_script(wanted, held.get(name), spec['state'], name=name)
        result = {'name': name, 'changed': action.changed, 'outcome': action.outcome, 'href': action.href,
                  'changed_attributes': action.changed_attributes,
                  'source_diff': action.source_diff(spec.get('source_file') or name)}
        if spec['state'] == 'present':
            result['sha256'] = sha256_text(sources[name])
        live = held.get(name)
        result['live_sha256'] = sha256_text(live.get('source') or '') if live is not None else None
        if not mas.check_mode:
            try:
                if action.create is not None:
                    result['href'] = objects.create(OBJECT_STRUCTURE, action.create).get('href')
                elif action.patch:
                    objects.patch(action.href, action.patch, merge=True)
                elif action.delete:
                    objects.delete(action.href)
            except ServiceError as exc:
                raise ServiceError('script %s: %s' % (name, exc), error=exc.to_dict(),
                                   changed=any(r['changed'] for r in results), scripts=results)
        results.append(result)
        if action.changed:
            diffs.append(action.diff(spec.get('source_file') or name))
    output = SCRIPTS.output(mas.params, {'changed': any(r['changed'] for r in results)}, results, identity=('name',))
    if mas.module._diff:
        output['diff'] = diffs if SCRIPTS.given(mas.params) else (diffs[0] if diffs else {})
    return output


def main():
    spec = argument_spec('connection', 'tls', 'transport', 'environment', SCRIPTS.argument_spec())
    mas = MasModule(spec, required_one_of=[('name', 'scripts')], mutually_exclusive=[('scripts', 'name')])
    mas.guard('manage_config_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
