#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: migration_package
short_description: Migration Manager packages through Manage's REST API (create, distribute, move, deploy)
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - "Moves configuration between Manage environments with Migration Manager, through the REST calls of IBM's Maximo
    REST API guide (C(/dm/...), C(/adminmode/...)). The package definition - its migration groups, the records it
    carries and its targets - is set up beforehand in the Migration Manager application: the API does not define
    packages. Change and snapshot packages only, not migration collections."
  - "V(create), on the source environment: builds a package from O(package_definition) (C(POST dm/create)) and
    distributes it (C(POST dm/distribute)) to O(target), or to every target of the definition when O(target) is not
    given. A database target receives the package in its database; a file target needs V(download) and V(upload)."
  - "V(download), on the source: the package zip of a file target (C(GET dm/download)), written atomically to
    O(dest). V(upload), on the target: sends the zip O(src) as O(filename) (C(POST dm/upload))."
  - "V(deploy), on the target: C(POST dm/deploy). When Manage answers that the deployment needs admin mode
    (C(BMXAA0578E)), the task fails with nothing deployed unless O(admin_mode=true): it then turns admin mode on
    (C(POST adminmode/on); Manage logs the other users out after O(logout_minutes)), waits until
    C(GET adminmode/state) says 1 (on), completes the deployment (C(POST dm/completedeploy)) and turns admin mode
    off (C(POST adminmode/off)) in every case, also when the deployment fails."
  - "V(reset) resets the change event tracking of a CHANGE package definition (C(POST dm/reset)); V(toggle_active)
    reactivates its change event listener after a CHANGE package was created and distributed
    (C(POST dm/toggleactive))."
  - A task reports only what Manage confirmed; when an answer is lost after a deployment was sent, the failure says
    that it is not known whether Manage deployed it.
  - Allowed in production (operation C(migration_package); admin mode is operation C(migration_admin_mode), only
    with O(admin_mode=true)). The MAS Dedicated support guide asks for Migration Manager to move changes from one
    environment to another; what production receives is the P(mas.dedicated.promote#role) role's rule.
options:
  action:
    description: What to do (see above).
    type: str
    required: true
    choices: [create, download, upload, deploy, reset, toggle_active]
  package_definition:
    description:
      - The package definition (C(pkgdefname)), for example C(TESTDD). Letters, digits, C(_), C(.) and C(-), at most
        100. Required except with O(action=upload).
    type: str
  readme:
    description: The memo of the new package (C(readme)), with O(action=create).
    type: str
    default: Created by mas.dedicated.migration_package
  target:
    description:
      - The target to distribute to (C(targetname)), with O(action=create). Not given - every target of the package
        definition.
    type: str
  distribute:
    description: With O(action=create), distribute the new package at once (V(false) - only create it).
    type: bool
    default: true
  dmpackageid:
    description:
      - The package (C(dmpackageid)) that V(create) returned, with O(action=download) and O(action=deploy).
      - From 1 to 2,147,483,647; a value outside is refused before anything is sent.
    type: int
  dest:
    description: The file to write the package zip to, with O(action=download) (atomically; its directories are created).
    type: path
  src:
    description: The package zip to upload, with O(action=upload) (read into memory and sent as the body).
    type: path
  filename:
    description:
      - The file name Manage gets for the uploaded zip (C(upload?filename=)), with O(action=upload). Default the name
        of O(src). A plain name - no C(/), C(\), C(..) or line break.
    type: str
  admin_mode:
    description:
      - With O(action=deploy), turn admin mode on when the deployment needs it, complete the deployment and turn
        admin mode off again. V(false) - such a deployment fails with nothing deployed and says so.
      - Admin mode logs every other user out of Manage; set it only for a maintenance window.
    type: bool
    default: false
  admin_sessions:
    description:
      - The number of sessions admin mode allows (C(numsessions)), with O(admin_mode=true).
      - From 1 to 1,000; a value outside is refused before anything is sent.
    type: int
    default: 5
  logout_minutes:
    description:
      - The minutes users get to log out before admin mode logs them out (C(logoutmin)), with O(admin_mode=true).
      - From 1 to 1,440; a value outside is refused before anything is sent.
    type: int
    default: 1
extends_documentation_fragment:
  - mas.dedicated.connection
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - mas.dedicated.wait
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_manage
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - Sends nothing; RV(calls) lists what would be sent.
  diff_mode:
    support: none
notes:
  - "Source: IBM Maximo REST API guide, \"Migration Manager APIs\"
    (U(https://ibm-maximo-dev.github.io/maximo-restapi-documentation/migrationmanager/api)), part of Maximo 7.6.1.3
    and 8.x: the calls, their bodies, the answers of create and distribute (the C(DMPACKAGE) and
    C(distributionmessage)), C(warningmsg) of deploy, the admin-mode error C(BMXAA0578E) with the C(dmpackageid),
    the admin-mode states 0, 1, 2. See the collection's C(docs/contracts.md)."
  - "Unverified: the API root C(/maximo/api) the paths are sent under (derived from the guide's other pages); the
    body of C(dm/deploy) (the module sends C({pkgdefname, dmpackageid}) as for C(dm/completedeploy)); the key that
    holds the state in the answer of C(adminmode/state) (a bare number or C(state), C(adminmode), C(status),
    C(value) is read); the HTTP status of the admin-mode error; the C(status) values of a package; and whether MAS
    Dedicated's customer routes serve these calls to an API key at all."
  - Which records a package carries is the package definition's. IBM's migration groups name C(DMSCRIPT) and
    C(DMLAUNCHPOINT) (automation scripts, their variables and launch points), C(DMMAXPROP) (system properties) and
    C(DMCRONTASKDEF) (cron tasks and instances); end points belong to the Integration migration group.
seealso:
  - module: mas.dedicated.automation_script
  - module: mas.dedicated.system_property
'''

EXAMPLES = r'''
- name: Build and distribute a package of the scripts and properties on dev (to its database target PROD)
  mas.dedicated.migration_package:
    instance: acme
    environment: dev
    production: false
    api_key: "{{ vault_dev_manage_api_key }}"
    action: create
    package_definition: ACMECONFIG
    target: PROD
    readme: Release 42
  register: package

- name: Deploy it on prod, turning admin mode on if Manage needs it (a maintenance window)
  mas.dedicated.migration_package:
    instance: acme
    environment: prod
    production: true
    api_key: "{{ vault_prod_manage_api_key }}"
    action: deploy
    package_definition: ACMECONFIG
    dmpackageid: "{{ package.package.dmpackageid }}"
    admin_mode: true
    logout_minutes: 5

- name: A file target - download the zip from dev ...
  mas.dedicated.migration_package:
    environment: dev
    production: false
    action: download
    package_definition: ACMECONFIG
    dmpackageid: "{{ package.package.dmpackageid }}"
    dest: build/packages/{{ package.package.filename }}

- name: ... and upload it to test
  mas.dedicated.migration_package:
    environment: test
    production: false
    action: upload
    src: build/packages/{{ package.package.filename }}
'''

RETURN = r'''
action:
  description: The action.
  returned: always
  type: str
calls:
  description: The calls sent (in check mode, those that would be sent), each with C(method), C(path) and C(body) or
    C(query).
  returned: always
  type: list
  elements: dict
package:
  description: The package as Manage answered (C(dmpackageid), C(pkgdefname), C(status), C(filename), C(readme),
    C(source), C(createdate), C(createby)), after its distribution when it was distributed.
  returned: when O(action=create), not in check mode
  type: dict
distribution_message:
  description: The message of Migration Manager after the distribution (C(distributionmessage)).
  returned: when O(action=create) distributed the package, not in check mode
  type: str
deployed:
  description: Whether the package was deployed (only true when Manage answered success).
  returned: when O(action=deploy), not in check mode
  type: bool
warning_message:
  description: The combined status message of the deployment (C(warningmsg)).
  returned: when O(action=deploy) deployed the package
  type: str
admin_mode_used:
  description: Whether admin mode was turned on (and off again) for the deployment.
  returned: when O(action=deploy), not in check mode
  type: bool
dmpackageid:
  description: The package deployed, downloaded or created.
  returned: when the action names a package, not in check mode
  type: int
dest:
  description: The file written by O(action=download).
  returned: when O(action=download), not in check mode
  type: str
sha256:
  description: The SHA-256 of the zip downloaded or uploaded.
  returned: when O(action=download) or O(action=upload), not in check mode
  type: str
size:
  description: The size in bytes of the zip downloaded or uploaded.
  returned: when O(action=download) or O(action=upload), not in check mode
  type: int
filename:
  description: The file name the zip was uploaded as.
  returned: when O(action=upload), not in check mode
  type: str
answer:
  description: Manage's answer to the call (upload, reset, toggle_active).
  returned: when O(action) is V(upload), V(reset) or V(toggle_active), not in check mode
  type: dict
'''

import os
import zipfile

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_file, sha256_bytes
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage import migration_manager as mm


def _create(p, manager):
    created = manager.create(p['package_definition'], p['readme'])
    package = mm.package_view(created)
    result = {'changed': True, 'package': package, 'dmpackageid': package.get('dmpackageid')}
    if package.get('dmpackageid') in (None, ''):
        raise ServiceError('POST %screate answered without a dmpackageid: nothing was distributed' % mm.DM,
                           changed=True, package=package)
    if p['distribute']:
        try:
            distributed = manager.distribute(p['package_definition'], package['dmpackageid'], p['target'])
        except ServiceError as exc:
            raise ServiceError('package %s was created but not distributed: %s' % (package['dmpackageid'], exc.message()),
                               error=exc.to_dict(), changed=True, package=package)
        result['package'] = mm.package_view(distributed) or package
        result['distribution_message'] = (distributed or {}).get('distributionmessage')
    return result


def _download(mas, p, manager):
    dest = os.path.abspath(p['dest'])  # type path: already expanded
    # Only once Manage answered with the package: a failed call leaves no new directory behind.
    response = manager.download(p['package_definition'], p['dmpackageid'])
    try:
        with atomic_file(dest, 0o644, mas.module) as out:
            for chunk in response.iter_content(1024 * 1024):
                out.write(chunk)
            if not zipfile.is_zipfile(out.temp):
                raise ServiceError('GET %sdownload answered with something that is not a zip file (%d bytes): %s was '
                                   'not written; check that package %s was distributed to a file target'
                                   % (mm.DM, out.size, dest, p['dmpackageid']))
    finally:
        response.close()
    return {'changed': out.changed, 'dest': dest, 'sha256': out.sha256, 'size': out.size,
            'dmpackageid': p['dmpackageid']}


def _upload(p, manager, filename):
    if not zipfile.is_zipfile(p['src']):
        raise RefusedError('src %s is not a zip file: nothing was sent' % p['src'])
    with open(p['src'], 'rb') as handle:
        data = handle.read()
    answer = manager.upload(filename, data)
    return {'changed': True, 'answer': answer if isinstance(answer, dict) else {}, 'size': len(data),
            'sha256': sha256_bytes(data), 'filename': filename}


def run(mas):
    p = mas.params
    problems = mm.input_problems(p)
    filename = None
    if p['action'] == 'upload' and p['src']:
        filename = p['filename'] or os.path.basename(p['src'])
        found = None if p['filename'] else mm.filename_problem(filename, 'filename (the name of src)')
        if found:
            problems.append(found)
    if problems:
        raise RefusedError('; '.join(problems) + ' (nothing was sent)')
    if p['action'] == 'deploy' and p['admin_mode']:
        mas.guard('migration_admin_mode')
    calls = [c.as_dict() for c in mm.plan(p, filename)]
    if mas.check_mode:
        return {'changed': True, 'action': p['action'], 'calls': calls}
    manager = mm.MigrationManager(mas.client('manage_url'))
    if p['action'] == 'create':
        result = _create(p, manager)
    elif p['action'] == 'download':
        result = _download(mas, p, manager)
    elif p['action'] == 'upload':
        result = _upload(p, manager, filename)
    elif p['action'] == 'deploy':
        result = mm.deploy_package(manager, p['package_definition'], p['dmpackageid'], p['admin_mode'],
                                   p['admin_sessions'], p['logout_minutes'], p['wait_timeout'], p['poll_interval'])
        sent = set(mm.step_path(step) for step in result.pop('steps'))
        calls = [c for c in calls if c['path'] in sent]
        result['changed'] = True
    elif p['action'] == 'reset':
        result = {'changed': True, 'answer': manager.reset(p['package_definition'])}
    else:
        result = {'changed': True, 'answer': manager.toggle_active(p['package_definition'])}
    result.update(action=p['action'], calls=calls)
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment', 'wait',
        action=dict(type='str', required=True, choices=list(mm.ACTIONS)),
        package_definition=dict(type='str'),
        readme=dict(type='str', default='Created by mas.dedicated.migration_package'),
        target=dict(type='str'),
        distribute=dict(type='bool', default=True),
        dmpackageid=dict(type='int'),
        dest=dict(type='path'),
        src=dict(type='path'),
        filename=dict(type='str'),
        admin_mode=dict(type='bool', default=False),
        admin_sessions=dict(type='int', default=5),
        logout_minutes=dict(type='int', default=1),
    )
    mas = MasModule(spec, path_kinds={'dest': 'file', 'src': 'input'})
    mas.guard('migration_package')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
